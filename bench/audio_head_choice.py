#!/usr/bin/env python
"""Which corpora the shipped audio head should be trained on: the shipped joint head (RAVDESS + Urdu) against the
same calibrated recipe on RAVDESS alone, on speakers neither saw (Urdu for the RAVDESS-only head; the joint head's
Urdu score is its leave-speakers-out score from bench/audio_corpora.py) and on read speech (TIMIT).

    EMODIARY_DATA=../shared/data python bench/audio_head_choice.py    # writes bench/results/audio_head_choice.json
"""
import json, sys, tempfile
from pathlib import Path
import numpy as np
sys.path.insert(0, str(Path(__file__).resolve().parent))
from audio_corpora import evaluate, false_alarms, U4, L8
from emodiary.audio_emotion import load_head, save_head, DefaultBackend, discount_out_of_domain
from emodiary.training.audio_head import (load_corpus, cached_joint_out_of_fold, calibration_temperature, fit_on,
                                          temperature_scaled, shipped_audio_C)
C = shipped_audio_C()['global']
R, U = load_corpus('ravdess16k'), load_corpus('urdu16k')
oof = cached_joint_out_of_fold([R], C)
T = calibration_temperature([R], oof)
head, domain = fit_on([R], [np.ones(len(R['y']), bool)], C)
heads, info = load_head()
path = Path(tempfile.mkdtemp()) / 'audio_head.npz'
save_head(path, {'global': temperature_scaled(head, T), 'speaker': heads['speaker']}, dict(info, trained_on='RAVDESS only (candidate)'), domain)
B, A = DefaultBackend(path), DefaultBackend()
from scipy.special import softmax
P_R = discount_out_of_domain(softmax(oof[0]['logits'] / T, 1), oof[0]['ood'], L8)
out = {'T': T, 'B RAVDESS LOSO 8': evaluate(R, P_R, L8)['UA'],
       'B Urdu 4 (unseen)': evaluate(U, B.classify(U['X'])[0], U4),
       'B Urdu 4 (unseen), no OOD discount': evaluate(U, softmax(np.log(np.clip(B.heads['global'].predict_proba(U['X']), 1e-9, 1)), 1), U4)['UA'],
       'B TIMIT': false_alarms('timit_sample', B), 'A TIMIT': false_alarms('timit_sample', A),
       'B ood share Urdu': float((B.out_of_domain(U['X']) > 1).mean())}
joint = json.loads((Path(__file__).resolve().parent / 'results' / 'audio.json').read_text())['multi_corpus']
out['A (shipped, joint) Urdu 4 leave-speakers-out'] = joint['joint_leave_speakers_out']['Urdu 4 classes']['UA']
out['A (shipped, joint) RAVDESS LOSO 8'] = joint['joint_leave_speakers_out']['RAVDESS 8 classes']['UA']
print(json.dumps(out, indent=1, default=str))
(Path(__file__).resolve().parent / 'results' / 'audio_head_choice.json').write_text(json.dumps(out, indent=1, default=str) + '\n')
