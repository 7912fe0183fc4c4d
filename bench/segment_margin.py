"""Segments cut tight at their word times against whole files, through the shipped default head.

Not a test. Run:  EMODIARY_DATA=../shared/data nice -n 10 python bench/segment_margin.py
(writes bench/results/segment_margin.json; ~6 min on 2 cores)
Clips: RAVDESS (10 per dev actor: the head was trained on them, so 'agree' - the top label of the cut clip equals
the whole file's - is the measure, not accuracy), the TIMIT sample (neutral read speech: share neutral or calm) and
the asr_samples clips. Each clip is cut to its speech (`speech_span`, as the pipeline's word times cut a sentence)
and heard by the encoder inside 0 / 0.25 / 0.4 / 0.6 / 1.0 s of digital silence (`Clip.margin`); rows give the
share out of domain (ood > 1), the share whose label is withheld ('uncertain') and the agreement.
"""
import json, time
import numpy as np, pandas as pd
from emodiary.core import data_dir, load_audio, atomic_path, SAMPLE_RATE
from emodiary.audio_emotion import (slice_clips, resolve_backend, reliability_flags, speech_share, RELIABILITY_FLAGS,
                                    MIN_CONFIDENCE, SEGMENT_MARGIN)
from emodiary.training.word_boundaries import speech_span
from pathlib import Path

MARGINS = (0.0, 0.25, 0.4, 0.6, 1.0)

def corpus(name: str, per_speaker: int | None = None) -> list[tuple[np.ndarray, str]]:
    "(signal, label) of a corpus's clips (`per_speaker` of each speaker, seeded); read speech is 'neutral'."
    d = data_dir(name, required=True); man = pd.read_csv(d / 'manifest.csv')
    if per_speaker:
        pick = lambda g: g.sample(min(per_speaker, len(g)), random_state=0)
        man = man.groupby('speaker', group_keys=False).apply(pick)
    labels = man.label if 'label' in man else ['neutral'] * len(man)
    return [(load_audio(d / p), l) for p, l in zip(man.path, labels)]

def scored(items, backend, margin: float | None) -> tuple[np.ndarray, dict]:
    "Top labels and shares of the clips cut to their speech inside `margin` s of silence (None: whole files)."
    clips = []
    for x, _ in items:
        s, e = (0.0, len(x) / SAMPLE_RATE) if margin is None else speech_span(x)
        clips += slice_clips(x, np.array([[s, e]]), margin=margin or 0.0)
    E = backend.embed(clips); P, _ = backend.classify(E, False); ood = backend.out_of_domain(E)
    speech = [speech_share(np.concatenate(c.windows)) for c in clips]
    flags = reliability_flags([c.flags for c in clips], P.max(1), ood, speech,
                              backend.info.get('min_confidence', MIN_CONFIDENCE))
    top, labels = np.array(backend.labels.labels)[P.argmax(1)], np.array([l for _, l in items])
    return top, dict(out_of_domain=round(float(np.mean(ood > 1)), 3),
                     uncertain=round(float(np.mean([bool(set(f) & set(RELIABILITY_FLAGS)) for f in flags])),
                                     3),
                     top_is_truth=round(float(np.mean(top == labels)), 3),
                     neutral_or_calm=round(float(np.mean(np.isin(top, ['neutral', 'calm']))), 3))

def main():
    backend, out, t0 = resolve_backend('default'), {'shipped_margin_s': SEGMENT_MARGIN}, time.time()
    for name, k in (('ravdess16k', 10), ('timit_sample', None), ('asr_samples', None)):
        items = corpus(name, k); whole, row = scored(items, backend, None)
        out[name] = {'clips': len(items), 'whole file': row}
        for m in MARGINS:
            top, row = scored(items, backend, m)
            agree = round(float(np.mean(top == whole)), 3)
            out[name][f'cut, margin {m} s'] = dict(row, agree_with_whole=agree)
        for k2, v in out[name].items(): print(f'{name:12} {k2:18} {v}')
    out['seconds'] = round(time.time() - t0)
    path = Path(__file__).parent / 'results' / 'segment_margin.json'
    with atomic_path(path) as tmp: Path(tmp).write_text(json.dumps(out, indent=1) + '\n')
    print('wrote', path)

if __name__ == '__main__': main()
