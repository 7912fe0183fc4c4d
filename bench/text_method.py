#!/usr/bin/env python
"""Does the distributional emotion-embedding method add information? MELD train → dev utterance classification.

One classifier (StandardScaler + multinomial logistic regression, C=0.1, the same for every row) over growing
feature sets: (1) sentence embedding; (2) + text probabilities; (3) + Algorithms 1–3 (distributional embedding of
all three layers, base space fitted on MELD train); (4) + the emotion-flow context feature (mean text probabilities
of the previous / next 3 utterances of the same dialogue; causal and non-causal). Prints a table and writes the
`method` section of bench/results/text.json.

Probability sources (`--probs`):
  oof   — out-of-fold: a logistic-regression head on MiniLM, fitted on MELD train in 5 dialogue-grouped folds, so
          every train utterance is scored by a head that never saw it; dev is scored by the head fitted on all of
          train. Clean stacking, but the head is linear in the sentence embedding.
  head  — emodiary's shipped default head (`predict_proba`). It was trained on MELD train too, so its train
          probabilities are in-sample (over-confident): the classifier learns to trust them more than it should.

    python bench/text_method.py [--probs oof|head|both] [--rows 1,2,3,4n] [--cache FOLDER]
The rows and their scoring are nbs/training/04_text_method.ipynb (emodiary.training.text_method).
"""
import argparse, json
from emodiary.core import atomic_path, repo_root
from emodiary.training.text_method import method_results

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--probs', default='oof'); ap.add_argument('--cache', default=None)
    ap.add_argument('--rows', default='', help='comma-separated row ids to run, e.g. 1,2,3,4n (default: all)')
    a = ap.parse_args()
    res = method_results(['oof', 'head'] if a.probs == 'both' else [a.probs], a.cache, [r for r in a.rows.split(',') if r])
    if res is None: print('MELD not found (set EMODIARY_DATA): skipping'); return
    print('speed', res['speed_alg123'])
    f = repo_root() / 'bench' / 'results' / 'text.json'
    allres = json.loads(f.read_text()) if f.exists() else {}
    old = allres.get('method', {})
    for src in ('oof', 'head'):  # rows of earlier partial runs (--rows) are kept unless re-run
        if src in res and src in old: res[src]['rows'] = {**old[src].get('rows', {}), **res[src]['rows']}
    allres['method'] = {**old, **res}
    with atomic_path(f) as tmp: tmp.write_text(json.dumps(allres, indent=1))
    print('wrote', f)

if __name__ == '__main__': main()
