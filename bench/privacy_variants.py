#!/usr/bin/env python
"""Variants of step 2 of the speaker-safe release, under the same attack and probe as bench/privacy.py.

The release is `posterior(R) @ class_means` after each recording's offset is swapped for the one its emotions
predict. Variants that could hide more of the speaker were measured (none is shipped):
- sharpen: posteriors raised to a power s (s = 1 shipped; 'hard': one-hot labels) before the average;
- shrink: each recording's target offset pulled towards the centre of the emotions by (1 - b) (b = 1 shipped);
- iterate: the offset swap repeated (the posteriors recomputed after each swap, 3 times);
- match m: each recording's spread (covariance) also set to the one its emotions predict, shrunk by m;
- map settings: a heavier speaker penalty (alpha) or speaker-by-emotion penalty (interaction), fewer dims (k).
RAVDESS rows are the folds `k` and `interaction` were chosen on; TIMIT was used for no choice (the pooled set
holds a RAVDESS half).
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
VARIANTS = [('shipped', {}, {}), ('sharpen 2', dict(sharpen=2), {}), ('sharpen 4', dict(sharpen=4), {}),
            ('hard labels', dict(sharpen='hard'), {}), ('shrink 0.9', dict(shrink=0.9), {}),
            ('shrink 0.8', dict(shrink=0.8), {}), ('shrink 0.7', dict(shrink=0.7), {}),
            ('iterate 3', dict(steps=3), {}), ('match 0.5', dict(match=0.5), {}),
            ('match 0.2', dict(match=0.2), {}),
            ('alpha 3', {}, dict(alpha=3.0)), ('interaction 3', {}, dict(interaction=3.0)),
            ('interaction 10', {}, dict(interaction=10.0)), ('k 4', {}, dict(k=4))]

def _matched(D: np.ndarray, target: np.ndarray, m: float) -> np.ndarray:
    "Deviations D (n, k) recoloured to covariance `target` (their own covariance shrunk by m towards it)."
    from scipy.linalg import sqrtm
    C = (1 - m) * D.T @ D / len(D) + m * target
    return D @ np.real(np.linalg.inv(sqrtm(C)) @ sqrtm(target))

def release(sharpen=1, shrink=1.0, steps=1, match=None):
    "A `SpeakerSafe.__call__` with a posterior power, offset shrink, offset-swap steps and spread match."
    def call(self, E, groups=None):
        R = self.project(E)
        groups = np.zeros(len(R), int) if groups is None else np.asarray(groups)
        M = self.class_means.astype(np.float64); centre = M.mean(0)
        for g in np.unique(groups):
            i = groups == g
            for _ in range(steps):
                p = self.posterior(R[i]).mean(0)
                R[i] += shrink * (p @ M) + (1 - shrink) * centre - R[i].mean(0)
            if match is not None and i.sum() > 2:
                D = M - p @ M
                spread = np.linalg.inv(self.precision.astype(np.float64)) + D.T @ np.diag(p) @ D
                R[i] = R[i].mean(0) + _matched(R[i] - R[i].mean(0), spread, match)
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
        for name, how, kw in VARIANTS:
            SpeakerSafe.__call__ = release(**how); t0 = time.time()
            rav = sp.ravdess_attack(d['X'], d['augment'], d['y'], d['spk'], d['rec'], ex, **kw)['released']
            emo = sp.ravdess_emotion(d['X'], d['augment'], d['y'], d['spk'], d['rec'], ex, **kw)
            ss = sp.fit_speaker_safe(d['X'], d['y'], d['spk'], d['augment'], sp._extra(d, 'asr_samples'), **kw)
            pool = sp.pooled_attack(d, **kw)['released']
            tim = sp.speaker_attack(ss(T['X'], sp.recording_groups(T['spk'], T['rec'])), T['spk'], T['rec'])
            out[name] = {'ravdess speaker ID (LR, tuned LR, kNN) per segment':
                             [rav[a]['segment'] for a in sp.ATTACKERS],
                         'ravdess per recording': [rav[a]['recording'] for a in sp.ATTACKERS],
                         'timit per segment': [tim[a]['segment'] for a in sp.ATTACKERS],
                         'timit per recording': [tim[a]['recording'] for a in sp.ATTACKERS],
                         'pooled 22 speakers per recording': [pool[a]['recording'] for a in sp.ATTACKERS],
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
