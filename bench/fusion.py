"""Late vs early fusion vs audio alone on RAVDESS, leave-actors-out (6 folds × 2 actors).

RAVDESS actors say two emotionally neutral sentences in 8 emotions, so text carries no label information:
a good fusion must learn to ignore it. Writes bench/results/fusion.json and prints a table.
Run: cd /work/main && nice -n 10 /work/venv/bin/python bench/fusion.py
"""
import json, sys, time, warnings
from pathlib import Path
import numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, accuracy_score, f1_score
from emodiary.core import data_dir, cache_dir, RAVDESS8, atomic_path
from emodiary.fusion import SHARED, LABEL_MAPS, to_shared, LateFusion, EarlyFusion
from emodiary.audio_emotion import LinearHead, DEFAULT_DIM, TRAINING_DEGRADATIONS, file_features
from emodiary.privacy import per_speaker_normalised as per_speaker

ROOT = Path(__file__).resolve().parents[1]
CACHE = cache_dir('fusion_bench')
NB22_FEATURES = cache_dir('audio_head') / 'ravdess_default_features.npz'   # written by nbs/22_train_audio_head
C_AUDIO = json.loads((ROOT / 'bench' / 'results' / 'audio.json').read_text())['C']   # the C chosen by nbs/22

def audio_features(man: pd.DataFrame, root: Path, degradation: str | None = None) -> np.ndarray:
    "The (n, DEFAULT_DIM) default audio features of every manifest row, optionally degraded (nbs/22's cache when it matches, else extracted)."
    tag = '' if degradation is None else '_' + degradation.replace(' ', '_')
    nb22 = NB22_FEATURES.with_name(f'ravdess_default_features{tag}.npz')
    if nb22.exists():
        z = np.load(nb22)
        if list(z['path']) == list(man.path) and z['X'].shape[1] == DEFAULT_DIM: return z['X']
    own = CACHE / f'ravdess_default_features{tag}_{DEFAULT_DIM}d.npy'
    if own.exists(): return np.load(own)
    X = file_features([root / p for p in man.path], degradation)   # seeded as in nbs/22
    np.save(own, X); return X

def text_features(texts: list[str]) -> pd.DataFrame:
    "Text probabilities and embeddings per row, computed once per distinct sentence."
    from emodiary.features import add_text_features
    uniq = pd.DataFrame({'recording_id': 'ravdess', 'segment': range(len(set(texts))), 'text': sorted(set(texts))})
    t = add_text_features(uniq, progress=False).set_index('text')
    return t.loc[texts].reset_index()

def actor_folds(spk):
    return np.array([(int(s.split('_')[-1]) - 1) // 2 for s in spk])

def fit_head(X, y, C):
    mean, scale = X.mean(0), X.std(0) + 1e-6
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        clf = LogisticRegression(C=C, max_iter=1000).fit((X - mean) / scale, y)
    order = [list(clf.classes_).index(l) for l in RAVDESS8.labels]
    return LinearHead(RAVDESS8, mean, scale, clf.coef_[order], clf.intercept_[order])

def audio_probs(Xtr, ytr, Xte, C, aug=()):
    "RAVDESS-8 probabilities of test rows from a head trained on the training rows (and their degraded copies `aug`), as shipped."
    A, yy = np.concatenate([Xtr, *aug]), np.tile(ytr, 1 + len(aug))
    return pd.DataFrame(fit_head(A, yy, C).predict_proba(Xte), columns=list(RAVDESS8.labels))

def oof_audio_probs(X, y, folds, C, aug=()):
    "Out-of-fold audio probabilities over the given rows (inner leave-actors-out), to fit fusion weights honestly."
    out = pd.DataFrame(0.0, index=range(len(X)), columns=list(RAVDESS8.labels))
    for f in np.unique(folds):
        te = folds == f
        out.loc[np.where(te)[0]] = audio_probs(X[~te], y[~te], X[te], C, [a[~te] for a in aug]).to_numpy()
    return out

def scores(y, pred):
    return dict(UA=balanced_accuracy_score(y, pred), WA=accuracy_score(y, pred),
                macro_F1=f1_score(y, pred, average='macro', zero_division=0))

def evaluate(X, man, T, norm: str, X_aug=()):
    y8 = man.label.to_numpy(); ys = np.array([LABEL_MAPS['ravdess8'][l] for l in y8])
    spk = man.speaker.to_numpy(); folds = actor_folds(spk)
    if norm == 'speaker': X, X_aug = per_speaker(X, spk), [per_speaker(a, spk) for a in X_aug]
    C = C_AUDIO[norm]
    text_shared = to_shared(T[[f'text_p_{l}' for l in SHARED]].set_axis(list(SHARED.labels), axis=1), SHARED)
    blocks_text = [np.stack(T.text_emb_distributional.to_numpy()), np.stack(T.text_emb_sentence.to_numpy())]
    shared_cols = list(SHARED.labels)
    preds = {k: np.empty(len(y8), object) for k in ('audio_8class', 'audio', 'text', 'late_naive', 'late_fitted', 'early', 'early_zscored_audio', 'early_audio_only')}
    weights = []
    for f in np.unique(folds):
        tr, te = folds != f, folds == f
        aug_tr = [a[tr] for a in X_aug]
        pa8 = audio_probs(X[tr], y8[tr], X[te], C, aug_tr)
        preds['audio_8class'][te] = pa8.idxmax(1).to_numpy()
        pa = to_shared(pa8, RAVDESS8); pt = text_shared[te].reset_index(drop=True)
        preds['audio'][te] = pa.idxmax(1).to_numpy()
        preds['text'][te] = pt.idxmax(1).to_numpy()
        preds['late_naive'][te] = LateFusion({'text': 0.5, 'audio': 0.5}).predict_proba(text=pt, audio=pa).idxmax(1).to_numpy()
        inner = folds[tr]
        pa_oof = to_shared(oof_audio_probs(X[tr], y8[tr], inner, C, aug_tr), RAVDESS8)
        lf = LateFusion().fit(ys[tr], text=text_shared[tr].reset_index(drop=True), audio=pa_oof)
        weights.append({k: np.round(np.asarray(v, float), 2).tolist() for k, v in lf.weights.items()})
        preds['late_fitted'][te] = lf.predict_proba(text=pt, audio=pa).idxmax(1).to_numpy()
        ef = EarlyFusion().fit([X[tr]] + [b[tr] for b in blocks_text], ys[tr])
        preds['early'][te] = ef.predict_proba([X[te]] + [b[te] for b in blocks_text])[shared_cols].idxmax(1).to_numpy()
        mu, sd = X[tr].mean(0), X[tr].std(0) + 1e-6   # per-feature z-score of the audio block (training rows only)
        ez = EarlyFusion().fit([(X[tr] - mu) / sd] + [b[tr] for b in blocks_text], ys[tr])
        preds['early_zscored_audio'][te] = ez.predict_proba([(X[te] - mu) / sd] + [b[te] for b in blocks_text])[shared_cols].idxmax(1).to_numpy()
        ea = EarlyFusion().fit([X[tr]], ys[tr])
        preds['early_audio_only'][te] = ea.predict_proba([X[te]])[shared_cols].idxmax(1).to_numpy()
        print(f"  {norm} fold {f}: late weights {lf}", file=sys.stderr)
    rows = {k: scores(y8 if k == 'audio_8class' else ys, p.astype(str)) for k, p in preds.items()}
    return rows, weights

def main():
    root = data_dir('ravdess16k')
    if root is None: return
    t0 = time.time()
    man = pd.read_csv(root / 'manifest.csv')
    X = audio_features(man, root)
    X_aug = [audio_features(man, root, g) for g in TRAINING_DEGRADATIONS]
    T = text_features(man.text.tolist())
    res = {}
    for norm in ('global', 'speaker'):
        rows, weights = evaluate(X, man, T, norm, X_aug)
        res[norm] = dict(rows=rows, late_fitted_weights_per_fold=weights)
    out = dict(protocol=f'6 folds, 2 RAVDESS actors held out per fold (actors 1-2, 3-4, ...); audio head (default {DEFAULT_DIM}-d '
                        'Whisper-base layers + prosody features, logistic regression, C from nbs/22) re-trained per fold on the 10 training actors and, as shipped, their 20 dB quieter and 20 dB SNR noisy copies (early-fusion heads: clean rows only); '
                        'late-fusion weights fitted on inner leave-actors-out out-of-fold audio probabilities of the training actors; '
                        'shared set = Ekman-7 (calm→neutral), audio_8class on native RAVDESS-8; speaker = features z-scored per actor',
               n=len(man), actors=int(man.speaker.nunique()), C_audio=C_AUDIO, results=res, seconds=round(time.time() - t0, 1),
               rows_doc={'audio_8class': 'audio head, native 8 classes', 'audio': 'audio head probabilities mapped to Ekman-7',
                         'text': 'text model (default) Ekman-7 probabilities', 'late_naive': 'LateFusion 0.5/0.5',
                         'late_fitted': 'LateFusion.fit (global then per-label weights)',
                         'early': 'EarlyFusion over audio features ⊕ text distributional ⊕ sentence embedding (C=1)',
                         'early_zscored_audio': 'EarlyFusion as above, audio block z-scored per feature on the training rows first',
                         'early_audio_only': 'EarlyFusion over the audio features alone (same head family, C=1), for reference'})
    path = ROOT / 'bench' / 'results' / 'fusion.json'
    with atomic_path(path) as tmp: Path(tmp).write_text(json.dumps(out, indent=1))
    print(f"{'row':18s} {'norm':8s} {'UA':>6s} {'WA':>6s} {'mF1':>6s}")
    for norm in res:
        for k, s in res[norm]['rows'].items(): print(f"{k:18s} {norm:8s} {s['UA']:6.3f} {s['WA']:6.3f} {s['macro_F1']:6.3f}")
    print('seconds', out['seconds'])

if __name__ == '__main__': main()
