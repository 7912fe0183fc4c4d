"""PII recall on the diary test sentences, written and in ASR form (lower case, no punctuation, numbers as words).

    python bench/pii.py            # prints the scores; writes bench/results/pii.json

Thin caller of `emodiary.privacy.pii_scores` on `pii_sentences()` (dev: the part the rules were tuned on;
test: held out at first, its errors looked at after a first scoring (see the notebook);
test2: written after that first look; test3 … test13: written later by people who had not read the rules;
all: every sentence; each split's first, blind scoring is in nbs/11_privacy.ipynb).
"""
import json, sys
from pathlib import Path
from emodiary.privacy import pii_sentences, pii_scores, anonymiser, gazetteer

BLIND = ('test13', 'all')   # splits whose errors nobody has read: not listed, so they stay tests

def main(examples: int = 20):
    anonymiser(); gazetteer()                       # load once, outside the timings
    splits = ('dev', 'test', *(f'test{k}' for k in range(2, 14)), 'all')
    out = {split: {form: pii_scores(pii_sentences(None if split == 'all' else split), form,
                                    examples=0 if split in BLIND else examples)
                   for form in ('written', 'asr')} for split in splits}
    for split, forms in out.items():
        for form, s in forms.items():
            print(f"{split:6} {form:7} recall {s['recall']:.3f}  kept {s['kept']:.3f}  typed {s['typed']:.3f}  "
                  f"{s['ms_per_sentence']:.1f} ms/sentence  {s['recall_by_type']}")
    path = Path(__file__).parent / 'results' / 'pii.json'
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + '\n')
    print('wrote', path)

if __name__ == '__main__': main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
