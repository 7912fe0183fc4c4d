#!/usr/bin/env python
"""Word timing in noise: the probe (trained inside each fold on clean TIMIT speakers) against the energy rule, leave-speakers-out.

White noise at 20 and 10 dB SNR is added to the held-out speakers' utterances; Whisper base decodes the noisy audio
(words and raw times), then `refine_word_times` runs with its defaults, once with energy-dip junctions and once with
the logits of the fold's probe. Not a test: writes bench/results/transcription_noise.json.

    EMODIARY_DATA=../shared/data nice -n 10 python bench/transcription_noise.py
"""
import sys, csv, json
from pathlib import Path
import numpy as np
from emodiary.core import atomic_path, data_dir, load_audio
from emodiary.training.word_boundaries import ref_items, fold_probe, score_set
from emodiary.models import encoder_states
from emodiary.asr import ct2_words
from emodiary.transcription import refine_word_times, word_time_offset
timit = data_dir('timit_sample')
if timit is None: sys.exit('TIMIT sample not found (set EMODIARY_DATA): skipping')
rows = list(csv.DictReader(open(timit / 'manifest.csv')))
refs = {r['path']: ref_items(r['word_alignment']) for r in rows}; spk = {r['path']: r['speaker'] for r in rows}
clean = {r['path']: load_audio(timit / r['path']) for r in rows}
S_clean = {k: encoder_states(x) for k, x in clean.items()}
SP = sorted(set(spk.values())); folds = [SP[i::4] for i in range(4)]
probes = [fold_probe(S_clean, refs, spk, held) for held in folds]
rng = np.random.default_rng(0); out = {}
for snr in (None, 20, 10):
    if snr is None: audio = clean
    else:
        audio = {}
        for k, x in clean.items():
            p = np.mean(x ** 2); audio[k] = (x + rng.normal(0, np.sqrt(p / 10 ** (snr / 10)), len(x))).astype(np.float32)
    raw = {k: ct2_words(x, 'base', 'en', False)[0] for k, x in audio.items()}
    off = word_time_offset('base'); res = {}
    for name in ('energy', 'probe'):
        hyp = {}
        for o, held in enumerate(folds):
            for k in (k for k in audio if spk[k] in held):
                lg = probes[o].logits(encoder_states(audio[k])) if name == 'probe' else None
                hyp[k] = refine_word_times(raw[k], audio[k], offset=off, logits=lg)
        res[name] = score_set(hyp, refs, refs)
    res['raw'] = score_set(raw, refs, refs)
    out[str(snr)] = {k: (v['f1_50ms'], v['f1_100ms'], v['median_error_ms']) for k, v in res.items()}
    print('SNR', snr, out[str(snr)], flush=True)
res = dict(protocol='TIMIT sample, 4 folds x 2 held-out speakers; probe fitted on the 6 training speakers (clean, SA left out); refine defaults (offset 0.06); (F1@50, F1@100, median ms)', results=out)
with atomic_path(Path(__file__).parent / 'results' / 'transcription_noise.json') as tmp: tmp.write_text(json.dumps(res, indent=1))
print('wrote bench/results/transcription_noise.json')
