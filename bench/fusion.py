"""Late vs early fusion vs audio alone on RAVDESS, leave-actors-out (6 folds × 2 actors).

RAVDESS actors say two emotionally neutral sentences in 8 emotions, so text carries no label information:
a good fusion must learn to ignore it. Writes bench/results/fusion.json and prints a table.
The evaluation is nbs/training/05_fusion_eval.ipynb (emodiary.training.fusion_eval).
Run: EMODIARY_DATA=../shared/data nice -n 10 python bench/fusion.py
"""
import json, time
from pathlib import Path
import numpy as np, pandas as pd
from emodiary.core import data_dir, atomic_path
from emodiary.audio_emotion import DEFAULT_DIM, TRAINING_DEGRADATIONS
from emodiary.training.audio_head import ravdess_features
from emodiary.training.fusion_eval import text_features, evaluate

ROOT = Path(__file__).resolve().parents[1]
C_AUDIO = json.loads((ROOT / 'bench' / 'results' / 'audio.json').read_text())['C']   # the C chosen in training/03

def audio_features(man: pd.DataFrame, root: Path, degradation: str | None = None) -> np.ndarray:
    "The default audio features of every manifest row (training/03's cache)."
    return ravdess_features(root, man, degradation)[0]

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
        rows, weights = evaluate(X, man, T, norm, X_aug, C_AUDIO)
        res[norm] = dict(rows=rows, late_fitted_weights_per_fold=weights)
    out = dict(protocol=f'6 folds, 2 RAVDESS actors held out per fold (actors 1-2, 3-4, ...); audio head (default {DEFAULT_DIM}-d '
                        'Whisper-base layers + prosody features, logistic regression, C from training/03_audio_head) re-trained per fold on the 10 training actors and, as shipped, their 20 dB quieter and 20 dB SNR noisy copies (early-fusion heads: clean rows only); '
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
