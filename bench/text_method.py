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

    python bench/text_method.py [--probs oof|head|both] [--rows 1,2,3,4n] [--cache /work/cache/h3b]
The rows and their scoring are nbs/training/04_text_method.ipynb (emodiary.training.text_method).
"""
import argparse, json
import numpy as np, pandas as pd
from emodiary.core import atomic_path, repo_root, data_dir
from emodiary.base_space import BaseSpace
from emodiary.training.corpora import meld_base_table
from emodiary.training.text_method import embeddings, run, speed

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--probs', default='oof'); ap.add_argument('--cache', default='/work/cache/h3b'); ap.add_argument('--rows', default='', help='comma-separated row ids to run, e.g. 1,2,3,4n (default: all)')
    a = ap.parse_args()
    tr, dev = meld_base_table('train'), meld_base_table('dev')
    if tr is None: print('MELD not found: skipping'); return
    # the cached embeddings are in CSV row order; meld_base_table sorts by dialogue then utterance
    raw = {s: pd.read_csv(data_dir('text/meld') / 'MELD' / f'{s}_sent_emo.csv') for s in ('train', 'dev')}
    def aligned(split, table):
        E = embeddings(split, raw[split].assign(text=raw[split].Utterance.astype(str)), a.cache)
        order = raw[split].assign(i=np.arange(len(raw[split])), rid='dia' + raw[split].Dialogue_ID.astype(str)).sort_values(['rid', 'Utterance_ID'], kind='stable').i.to_numpy()
        return E[order]
    S_tr, S_dev = aligned('train', tr), aligned('dev', dev)
    res = dict(task='MELD train → dev, 7 labels, utterance level', classifier='StandardScaler + LogisticRegression(C=0.1), same for every row',
               n_train=len(tr), n_dev=len(dev), all_neutral_dev_accuracy=round(float((dev.label == 'neutral').mean()), 4),
               context='flow_context: mean text probabilities of the previous (causal) or previous and next (non-causal) 3 utterances in the same dialogue')
    for src in (['oof', 'head'] if a.probs == 'both' else [a.probs]): res[src] = run(src, tr, dev, S_tr, S_dev, a.cache, [r for r in a.rows.split(',') if r])
    res['speed_alg123'] = speed(BaseSpace.default()); print('speed', res['speed_alg123'])
    f = repo_root() / 'bench' / 'results' / 'text.json'
    allres = json.loads(f.read_text()) if f.exists() else {}
    old = allres.get('method', {})
    for src in ('oof', 'head'):  # rows of earlier partial runs (--rows) are kept unless re-run
        if src in res and src in old: res[src]['rows'] = {**old[src].get('rows', {}), **res[src]['rows']}
    allres['method'] = {**old, **res}
    with atomic_path(f) as tmp: tmp.write_text(json.dumps(allres, indent=1))
    print('wrote', f)

if __name__ == '__main__': main()
