#!/usr/bin/env python
"""Fixed 0.5/0.5 late fusion vs reliability-weighted fusion on held-out speakers (RAVDESS, Urdu talk-show).

Audio: the joint out-of-fold probabilities of training/03_audio_head (each row from a head that never saw its
speaker), calibrated, out-of-domain rows discounted, and the uncertain flag (out of domain or low confidence; the
speech share is not recomputed here). Text: the default text pipeline on RAVDESS's sentence and on the Urdu
clips' transcripts by the multilingual Whisper base (Urdu read by an English text head, cached). Evaluation:
`training.fusion_eval.fixed_vs_reliable`. Merges into bench/results/fusion.json under "reliability".

    EMODIARY_DATA=../shared/data nice -n 10 python bench/fusion_reliability.py
"""
import json, time
from pathlib import Path
import numpy as np, pandas as pd
from scipy.special import softmax
from emodiary.core import data_dir, atomic_path, cache_dir, RAVDESS8
from emodiary.asr import recognise
from emodiary.fusion import SHARED, to_shared
from emodiary.audio_emotion import discount_out_of_domain, MIN_CONFIDENCE
from emodiary.training.audio_head import (shipped_corpora, cached_joint_out_of_fold, calibration_temperature,
                                          shipped_audio_C)
from emodiary.training.fusion_eval import text_features, fixed_vs_reliable

ROOT = Path(__file__).resolve().parents[1]

def urdu_texts(k) -> list[str]:
    "Whisper-base transcripts of the Urdu clips (cached)."
    path = cache_dir('fusion_bench') / 'urdu16k_transcripts.json'
    if path.exists(): return json.loads(path.read_text())
    d = data_dir('urdu16k')
    texts = [recognise(d / p, 'base', language='ur', progress=False).text or '…' for p in k['man'].path]
    path.write_text(json.dumps(texts, ensure_ascii=False)); return texts

def text_shared(texts) -> pd.DataFrame:
    T = text_features(list(texts))
    return to_shared(T[[f'text_p_{l}' for l in SHARED]].set_axis(list(SHARED.labels), axis=1), SHARED)

def main():
    if data_dir('ravdess16k') is None or data_dir('urdu16k') is None: print('data not found: skipping'); return
    t0, C = time.time(), shipped_audio_C()['global']
    R, U = shipped_corpora()
    oof = cached_joint_out_of_fold([R, U], C); T = calibration_temperature([R, U], oof)
    res = {}
    for k, o, texts in ((R, oof[0], R['man'].text), (U, oof[1], urdu_texts(U))):
        P = discount_out_of_domain(softmax(o['logits'] / T, 1), o['ood'], list(RAVDESS8.labels))
        unc = (o['ood'] > 1) | (P.max(1) < MIN_CONFIDENCE)
        res[k['name']] = dict(fixed_vs_reliable(P, text_shared(texts), k['y'], unc),
                              audio_uncertain_share=round(float(unc.mean()), 3))
        print(k['name'], res[k['name']], flush=True)
    out = ROOT / 'bench' / 'results' / 'fusion.json'
    stored = json.loads(out.read_text()) if out.exists() else {}
    stored['reliability'] = dict(protocol='UA (shared Ekman-7 set, over the classes present) on held-out speakers: '
                                          'audio = joint out-of-fold calibrated probabilities; text = default text '
                                          'head (Urdu: Whisper-base Urdu transcripts through the English head)',
                                 results=res, seconds=round(time.time() - t0, 1))
    with atomic_path(out) as tmp: tmp.write_text(json.dumps(stored, indent=1))
    print('wrote', out)

if __name__ == '__main__': main()
