#!/usr/bin/env python
"""Variants of step 2 of the speaker-safe release, under the same attack and probe as bench/privacy.py.

The release is `posterior(R) @ class_means` after each recording's offset is swapped for the one its emotions
predict. Two variants that could hide more of the speaker were measured (neither is shipped):
- sharpen: posteriors raised to a power s (s = 1 shipped; 'hard': one-hot labels) before the average;
- shrink: each recording's target offset pulled towards the centre of the emotions by (1 - b) (b = 1 shipped).
RAVDESS rows are the folds `k` was chosen on; TIMIT was used for no choice.
Writes bench/results/privacy_variants.json.

    EMODIARY_DATA=../shared/data nice -n 10 python bench/privacy_variants.py
"""
import json, time
from pathlib import Path
import numpy as np
from emodiary.core import data_dir, atomic_path
from emodiary.audio_emotion import SpeakerSafe
import emodiary.training.speaker_privacy as sp

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = [('shipped', 1, 1.0), ('sharpen 2', 2, 1.0), ('sharpen 4', 4, 1.0), ('hard labels', 'hard', 1.0),
            ('shrink 0.9', 1, 0.9), ('shrink 0.8', 1, 0.8), ('shrink 0.7', 1, 0.7)]

def release(sharpen, shrink):
    "A `SpeakerSafe.__call__` with the given posterior power and offset shrink."
    def call(self, E, groups=None):
        R = self.project(E)
        groups = np.zeros(len(R), int) if groups is None else np.asarray(groups)
        centre = self.class_means.mean(0)
        for g in np.unique(groups):
            i = groups == g
            target = self.posterior(R[i]).mean(0) @ self.class_means
            R[i] += shrink * target + (1 - shrink) * centre - R[i].mean(0)
        P = self.posterior(R)
        P = np.eye(P.shape[1])[P.argmax(1)] if sharpen == 'hard' else P ** sharpen
        return (P / P.sum(1, keepdims=True) @ self.class_means).astype(np.float32)
    return call

def main():
    root = data_dir('ravdess16k')
    if root is None or data_dir('timit_sample') is None:
        print('development data not found (set EMODIARY_DATA): skipping'); return
    d, shipped_call = sp.dev_data(root.parent), SpeakerSafe.__call__
    ex, T, out = sp._extra(d, 'timit_sample', 'asr_samples'), d['timit_sample'], {}
    try:
        for name, sharpen, shrink in VARIANTS:
            SpeakerSafe.__call__ = release(sharpen, shrink); t0 = time.time()
            rav = sp.ravdess_attack(d['X'], d['augment'], d['y'], d['spk'], d['rec'], ex)['released']
            emo = sp.ravdess_emotion(d['X'], d['augment'], d['y'], d['spk'], d['rec'], ex)
            ss = sp.fit_speaker_safe(d['X'], d['y'], d['spk'], d['augment'], sp._extra(d, 'asr_samples'))
            tim = sp.speaker_attack(ss(T['X'], sp.recording_groups(T['spk'], T['rec'])), T['spk'], T['rec'])
            out[name] = {'ravdess speaker ID (LR, tuned LR, kNN) per segment':
                             [rav[a]['segment'] for a in sp.ATTACKERS],
                         'ravdess per recording': [rav[a]['recording'] for a in sp.ATTACKERS],
                         'timit per segment': [tim[a]['segment'] for a in sp.ATTACKERS],
                         'timit per recording': [tim[a]['recording'] for a in sp.ATTACKERS],
                         'ravdess emotion UA released (mixed, 70% one-emotion)':
                             list(emo['released'].values()),
                         'ravdess emotion UA raw': list(emo['raw'].values()),
                         'seconds': round(time.time() - t0)}
            print(name, json.dumps(out[name]), flush=True)
    finally: SpeakerSafe.__call__ = shipped_call
    path = ROOT / 'bench' / 'results' / 'privacy_variants.json'
    with atomic_path(path) as tmp: tmp.write_text(json.dumps(out, indent=1))
    print('wrote', path)

if __name__ == '__main__': main()
