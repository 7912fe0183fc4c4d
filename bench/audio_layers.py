#!/usr/bin/env python
"""Which Whisper-base encoder layers carry speech emotion? RAVDESS leave-2-actors-out, one logistic regression per set.

CTranslate2 exposes only the encoder's last layer; `models.WhisperEncoder` runs the carried CT2 weights in
torch and exposes all of them. This script checks it against CTranslate2's own output on one clip, pools every
layer over the clip's real frames (mean, and std), and scores feature sets (each ⊕ the 112 prosodic statistics) with the protocol of training/03_audio_head (6 folds × 2 held-out actors, standardised
features, multinomial LR, C in a small grid; global and per-speaker normalised). Exploration, not a test: writes
bench/results/audio_layers.json.

    EMODIARY_DATA=../shared/data nice -n 10 python bench/audio_layers.py
"""
import json, time
from pathlib import Path
import numpy as np, pandas as pd, torch
from emodiary.core import data_dir, load_audio, atomic_path, SAMPLE_RATE
from emodiary.models import load_ct2, ct2_encoder_states, WhisperEncoder
from emodiary.audio_emotion import prosodic_features
from emodiary.training.audio_head import layer_stats, cross_validate, scores

def cv_ua(X, y, spk, C, normalise) -> float:
    "UA of leave-2-actors-out predictions (the folds of training/03)."
    return scores(y, cross_validate(X, y, spk, C, normalise, max_iter=2000))['UA']

def main():
    d = data_dir('ravdess16k')
    if d is None: print('RAVDESS not found (set EMODIARY_DATA): skipping'); return
    torch.set_num_threads(2)
    man = pd.read_csv(d / 'manifest.csv'); y, spk = man.label.values, man.speaker.values
    enc = WhisperEncoder()
    x0 = load_audio(d / man.path[0]); a, b = layer_stats(enc, x0)[0][-1], ct2_encoder_states(load_ct2('base'), x0).mean(0)
    check = dict(cosine=round(float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)), 5), max_abs_diff=round(float(np.abs(a - b).max()), 4))
    print('torch vs CTranslate2 (int8) last layer:', check)
    t0, audio_s, L, S, P = time.time(), 0.0, [], [], []
    for p in man.path:
        x = load_audio(d / p); audio_s += len(x) / SAMPLE_RATE; m, s_ = layer_stats(enc, x); L.append(m); S.append(s_); P.append(prosodic_features(x))
    L, S, P, rtf = np.stack(L), np.stack(S), np.stack(P), (time.time() - t0) / audio_s
    sets = {**{f'layer {i}': [i] for i in range(7)}, 'mean of layers 1-6': 'mean', 'layers 3-6': [3, 4, 5, 6],
            'layers 2,4,6': [2, 4, 6], 'layer 3 mean+std': 'ms3', 'layer 3 mean+std, last-layer mean (shipped)': 'shipped'}
    rows, grid = [], (0.02, 0.05, 0.2)
    for name, idx in sets.items():
        E = (L[:, 1:].mean(1) if idx == 'mean' else np.c_[L[:, 3], S[:, 3]] if idx == 'ms3' else np.c_[L[:, 3], S[:, 3], L[:, 6]] if idx == 'shipped'
             else L[:, idx].reshape(len(L), -1))
        X = np.c_[E, P].astype(np.float32)
        r = dict(features=f'{name} + prosody', dims=X.shape[1],
                 global_UA={str(C): cv_ua(X, y, spk, C, False) for C in grid}, normalised_UA={str(C): cv_ua(X, y, spk, C, True) for C in grid})
        rows.append(r); print(f"{r['features']:32s} global {r['global_UA']}  normalised {r['normalised_UA']}", flush=True)
    out = Path(__file__).parent / 'results' / 'audio_layers.json'
    res = dict(protocol='RAVDESS actors 01-12, leave-2-actors-out (6 folds), standardised features + LR; UA for each C of the grid (the best C is picked on the same folds: optimistic by ~0.01)',
               encoder_check=check, seconds_per_audio_second_all_layer_stats_plus_prosody=round(rtf, 4), rows=rows,
               note='models.WhisperEncoder: torch fp32 from the carried CT2 float16 weights; the shipped default is layer 3 mean+std + last-layer mean + prosody')
    with atomic_path(out) as tmp: tmp.write_text(json.dumps(res, indent=1))
    print('wrote', out)

if __name__ == '__main__': main()
