#!/usr/bin/env python
"""Which Whisper-base encoder layers carry speech emotion? RAVDESS leave-2-actors-out, one logistic regression per set.

The default audio head reads the *last* encoder layer through CTranslate2, which exposes no other layer. This script
reads the carried CT2 weights (`model.bin`, float16) into a small torch re-implementation of the encoder, checks it
against CTranslate2's own output on one clip, mean-pools every layer over the clip's real frames, and scores feature
sets (each ⊕ the 112 prosodic statistics) with the protocol of nbs/22 (6 folds × 2 held-out actors, standardised
features, multinomial LR, C in a small grid; global and per-speaker normalised). Exploration, not a test: writes
bench/results/audio_layers.json.

    EMODIARY_DATA=../shared/data nice -n 10 python bench/audio_layers.py
"""
import json, struct, time, warnings
from pathlib import Path
import numpy as np, pandas as pd, torch
from emodiary.core import data_dir, load_audio, atomic_path, SAMPLE_RATE
from emodiary.transcription import whisper_base_dir
from emodiary.audio_emotion import WhisperEncoder, prosodic_features, speaker_normalise

CT2_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}

def _string(f) -> str:
    n = struct.unpack('<H', f.read(2))[0]; return f.read(n)[:-1].decode()

def read_ct2(path) -> dict:
    "Variables of a CTranslate2 `model.bin` (format version 6) as numpy arrays, aliases resolved."
    out = {}
    with open(path, 'rb') as f:
        version = struct.unpack('<I', f.read(4))[0]; _string(f); struct.unpack('<I', f.read(4))
        if version != 6: raise ValueError(f'CTranslate2 model format {version}: this reader knows version 6')
        for _ in range(struct.unpack('<I', f.read(4))[0]):
            name = _string(f); rank = f.read(1)[0]
            dims = struct.unpack(f'<{rank}I', f.read(4 * rank)) if rank else ()
            dtype = CT2_DTYPES[f.read(1)[0]]; nbytes = struct.unpack('<I', f.read(4))[0]
            out[name] = np.frombuffer(f.read(nbytes), dtype).reshape(dims)
        for _ in range(struct.unpack('<I', f.read(4))[0]):
            alias = _string(f); out[alias] = out[_string(f)]
    return out

class TorchWhisperEncoder:
    "Whisper-base encoder in torch from the carried CT2 weights: the mean of every layer's output over real frames."
    def __init__(self):
        from faster_whisper.feature_extractor import FeatureExtractor
        W = read_ct2(whisper_base_dir() / 'model.bin')
        self.w = {k: torch.tensor(v.astype(np.float32)) for k, v in W.items() if k.startswith('encoder/') and v.ndim}
        self.heads, self.dim, self.mel = int(W['encoder/num_heads']), 512, FeatureExtractor(feature_size=80)

    def _ln(self, x, p): return torch.nn.functional.layer_norm(x, (self.dim,), self.w[p + '/gamma'], self.w[p + '/beta'])
    def _lin(self, x, p): return torch.nn.functional.linear(x, self.w[p + '/weight'], self.w[p + '/bias'])

    def _layer(self, x, i):
        p, n, d = f'encoder/layer_{i}', x.shape[0], self.dim
        q, k, v = self._lin(self._ln(x, p + '/self_attention/layer_norm'), p + '/self_attention/linear_0').split(d, -1)
        q, k, v = [t.view(n, self.heads, d // self.heads).transpose(0, 1)[None] for t in (q, k, v)]
        a = torch.nn.functional.scaled_dot_product_attention(q, k, v)[0].transpose(0, 1).reshape(n, d)
        x = x + self._lin(a, p + '/self_attention/linear_1')
        h = self._lin(torch.nn.functional.gelu(self._lin(self._ln(x, p + '/ffn/layer_norm'), p + '/ffn/linear_0')), p + '/ffn/linear_1')
        return x + h

    @torch.no_grad()
    def __call__(self, x: np.ndarray) -> np.ndarray:
        "(7, 512): mean of the input embedding (0) and of layers 1–6 (6 after the final layer norm) over real frames."
        f = self.mel(x, padding=0); n = max(2, f.shape[1] // 2 * 2)
        f = torch.tensor(np.pad(f, ((0, 0), (0, max(0, n - f.shape[1]))))[:, :n], dtype=torch.float32)[None]
        conv = lambda h, p, s: torch.nn.functional.gelu(torch.nn.functional.conv1d(h, self.w[p + '/weight'], self.w[p + '/bias'], stride=s, padding=1))
        h = conv(conv(f, 'encoder/conv1', 1), 'encoder/conv2', 2)[0].T
        h = h + self.w['encoder/position_encodings/encodings'][:h.shape[0]]
        means = [h.mean(0)]
        for i in range(6):
            h = self._layer(h, i); means.append((self._ln(h, 'encoder/layer_norm') if i == 5 else h).mean(0))
        return torch.stack(means).numpy()

def cv_ua(X, y, spk, C, normalise) -> float:
    "UA of leave-2-actors-out predictions (the folds of nbs/22)."
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import balanced_accuracy_score
    if normalise:
        X = X.copy()
        for s in np.unique(spk): X[spk == s] = speaker_normalise(X[spk == s])
    fold, pred = np.array([(int(s.split('_')[-1]) - 1) // 2 for s in spk]), np.empty(len(y), dtype=object)
    for f in np.unique(fold):
        tr, te = fold != f, fold == f; mu, sd = X[tr].mean(0), X[tr].std(0) + 1e-6
        with warnings.catch_warnings():
            warnings.simplefilter('ignore'); clf = LogisticRegression(C=C, max_iter=2000).fit((X[tr] - mu) / sd, y[tr])
        pred[te] = clf.predict((X[te] - mu) / sd)
    return round(float(balanced_accuracy_score(y, pred.astype(str))), 3)

def main():
    d = data_dir('ravdess16k')
    if d is None: print('RAVDESS not found (set EMODIARY_DATA): skipping'); return
    torch.set_num_threads(2)
    man = pd.read_csv(d / 'manifest.csv'); y, spk = man.label.values, man.speaker.values
    enc, ct2 = TorchWhisperEncoder(), WhisperEncoder()
    x0 = load_audio(d / man.path[0]); a, b = enc(x0)[-1], ct2(x0)
    check = dict(cosine=round(float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)), 5), max_abs_diff=round(float(np.abs(a - b).max()), 4))
    print('torch vs CTranslate2 (int8) last layer:', check)
    t0, audio_s, L, P = time.time(), 0.0, [], []
    for p in man.path:
        x = load_audio(d / p); audio_s += len(x) / SAMPLE_RATE; L.append(enc(x)); P.append(prosodic_features(x))
    L, P, rtf = np.stack(L), np.stack(P), (time.time() - t0) / audio_s
    sets = {**{f'layer {i}': [i] for i in range(7)}, 'mean of layers 1-6': 'mean', 'layers 3-6': [3, 4, 5, 6],
            'layers 2,4,6': [2, 4, 6], 'all layers 0-6': list(range(7))}
    rows, grid = [], (0.02, 0.05, 0.2)
    for name, idx in sets.items():
        E = L[:, 1:].mean(1) if idx == 'mean' else L[:, idx].reshape(len(L), -1)
        X = np.c_[E, P].astype(np.float32)
        r = dict(features=f'{name} + prosody', dims=X.shape[1],
                 global_UA={str(C): cv_ua(X, y, spk, C, False) for C in grid}, normalised_UA={str(C): cv_ua(X, y, spk, C, True) for C in grid})
        rows.append(r); print(f"{r['features']:32s} global {r['global_UA']}  normalised {r['normalised_UA']}", flush=True)
    out = Path(__file__).parent / 'results' / 'audio_layers.json'
    res = dict(protocol='RAVDESS actors 01-12, leave-2-actors-out (6 folds), standardised features + LR; UA for each C of the grid (the best C is picked on the same folds: optimistic by ~0.01)',
               encoder_check=check, seconds_per_audio_second_all_layers_plus_prosody=round(rtf, 4), rows=rows,
               note='torch fp32 encoder from the carried CT2 float16 weights; the shipped head uses the last layer via CTranslate2 int8')
    with atomic_path(out) as tmp: tmp.write_text(json.dumps(res, indent=1))
    print('wrote', out)

if __name__ == '__main__': main()
