#!/usr/bin/env python
"""How the default audio-emotion head holds up when the recording channel changes (RAVDESS, leave-2-actors-out).

No second labelled emotion corpus is reachable here, so a cross-corpus score cannot be measured; this measures one
part of what changes between corpora, the channel. The head is trained on 10 actors' clips, either clean only or, as
shipped, clean plus the two `TRAINING_DEGRADATIONS` copies (20 dB quieter, white noise at 20 dB SNR), and tested on
the 2 held-out actors' clips after each of `DEGRADATIONS` (the telephone band is never seen in training). Global and per-speaker normalised UA, per-class
recall. Exploration, not a test: writes bench/results/audio_channels.json.

    EMODIARY_DATA=../shared/data nice -n 10 python bench/audio_channels.py
"""
import json, time
from pathlib import Path
import numpy as np, pandas as pd
from emodiary.core import data_dir, atomic_path
from emodiary.audio_emotion import DEGRADATIONS, TRAINING_DEGRADATIONS, per_speaker_normalised
from emodiary.training.audio_head import ravdess_features, cross_validate, shipped_audio_C

ROOT = Path(__file__).resolve().parents[1]
C = shipped_audio_C()   # the C the shipped head was trained with (chosen in training/03)

CONDITIONS = {'clean': None, **DEGRADATIONS}

def features(d, man, name) -> np.ndarray:
    "Default features of every clip under condition `name` (training/03's cache)."
    return ravdess_features(d, man, None if name == 'clean' else name)[0]

def cv(X_train, X_test, y, spk, C, augment=()) -> np.ndarray:
    "Out-of-fold predictions: fit on the training actors' clips (plus `augment` copies), predict their rows of X_test."
    return cross_validate(X_train, y, spk, C, augment=augment, X_test=X_test, max_iter=3000).astype(str)

def main():
    from sklearn.metrics import balanced_accuracy_score, recall_score
    d = data_dir('ravdess16k')
    if d is None: print('RAVDESS not found (set EMODIARY_DATA): skipping'); return
    man = pd.read_csv(d / 'manifest.csv'); y, spk = man.label.values.astype(str), man.speaker.values.astype(str)
    t0, X = time.time(), {name: features(d, man, name) for name in CONDITIONS}
    labels = sorted(set(y)); rows = []
    for training in ('clean only', 'clean + degraded copies (shipped)'):
        for name in CONDITIONS:
            for norm in (False, True):
                Z = {k: per_speaker_normalised(v, spk) if norm else v for k, v in X.items()}
                aug = [Z[g] for g in TRAINING_DEGRADATIONS] if training != 'clean only' else []
                p = cv(Z['clean'], Z[name], y, spk, C['speaker' if norm else 'global'], aug)
                rows.append(dict(training=training, condition=name, speaker_norm=norm, UA=round(float(balanced_accuracy_score(y, p)), 3),
                                 recall=dict(zip(labels, np.round(recall_score(y, p, labels=labels, average=None), 3).tolist()))))
                print(f"{training:34s} {name:24s} {'normalised' if norm else 'global    '} UA {rows[-1]['UA']:.3f}  lowest recall {min(rows[-1]['recall'].values()):.3f}", flush=True)
    out = ROOT / 'bench' / 'results' / 'audio_channels.json'
    res = dict(protocol='RAVDESS actors 01-12, leave-2-actors-out (6 folds); head trained on clean clips of the training actors, '
                        'tested on degraded clips of the held-out actors; C of the shipped head; noise seeded (the held-out clips are never in training)',
               rows=rows, seconds=round(time.time() - t0, 1),
               note='a proxy for one part of cross-corpus shift (the channel); speaking style, language and labelling differ too and are not measured')
    with atomic_path(out) as tmp: tmp.write_text(json.dumps(res, indent=1))
    print('wrote', out)

if __name__ == '__main__': main()
