#!/usr/bin/env python
"""Speaker privacy of the released audio embedding: speaker attack and emotion probe, raw E against the release.

The attacker holds other recordings of the same people: trained on 3 (pseudo-)recordings per speaker, it names the
speaker of every segment of the 4th (and of the 4th as a whole), for three attackers (standardised LR C=1, LR with
its best C, cosine kNN with its best k). The emotion probe is trained on released embeddings of other speakers.
Every map is learnt on speakers disjoint from those it is scored on (see nbs/training/06_speaker_privacy.ipynb).
Writes bench/results/privacy.json.

    EMODIARY_DATA=../shared/data nice -n 10 python bench/privacy.py
"""
import json, time
from pathlib import Path
import pandas as pd
from emodiary.core import data_dir, atomic_path
from emodiary.training.speaker_privacy import dev_data, privacy_benchmark, privacy_table

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ('ravdess16k', 'timit_sample', 'urdu16k', 'asr_samples')

def main():
    roots = [data_dir(n) for n in CORPORA]
    if not all(roots): print(f'development data ({", ".join(CORPORA)}) not found (set EMODIARY_DATA): skipping'); return
    t0 = time.time()
    r = privacy_benchmark(dev_data(roots[0].parent))
    with pd.option_context('display.width', 250, 'display.max_colwidth', 80, 'display.max_rows', 100):
        print(privacy_table(r).to_string(index=False))
    r['seconds'] = round(time.time() - t0, 1)
    r['protocol'] = ('speaker ID: leave one pseudo-recording per speaker out (train on 3, test the 4th), segment UA and '
                     'recording accuracy (summed log-probabilities), chance 1/speakers; "LR tuned C" and "cosine kNN" '
                     'report the best of their grids on the test itself (an upper bound). Emotion: UA of a probe trained '
                     'on other speakers; kept = released / raw. Maps learnt on speakers disjoint from the scored ones.')
    out = ROOT / 'bench' / 'results' / 'privacy.json'
    with atomic_path(out) as tmp: tmp.write_text(json.dumps(r, indent=1))
    print(f"released dims {r['dims']['released']} (raw {r['dims']['raw']}); wrote {out}")

if __name__ == '__main__': main()
