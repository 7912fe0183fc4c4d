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
"""
import argparse, json, time
from pathlib import Path
import numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import f1_score, accuracy_score
from emodiary.core import EKMAN7, atomic_path, repo_root, data_dir
from emodiary.base_space import BaseSpace, meld_base_table
from emodiary.mapping import map_probabilities
from emodiary.features import flow_context

PCOLS = EKMAN7.columns('text_p_')

def embeddings(split, table, cache):
    "MiniLM sentence embeddings of MELD `split` (cached)."
    f = Path(cache) / f'meld_{split}_minilm.npy'
    if f.exists(): return np.load(f)
    from emodiary.text_emotion import sentence_embeddings
    E = sentence_embeddings(table.text.tolist(), progress=True); np.save(f, E); return E

def classifier(): return make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))

def oof_probs(S_tr, y_tr, groups, S_dev, seed=0):
    "Out-of-fold train probabilities and dev probabilities of a logistic-regression head (EKMAN7 column order)."
    head = lambda: LogisticRegression(C=1.0, max_iter=2000)
    P_tr = np.zeros((len(S_tr), 7), np.float32)
    for a, b in GroupKFold(5).split(S_tr, y_tr, groups):
        m = head().fit(S_tr[a], y_tr[a]); P_tr[b] = m.predict_proba(S_tr[b])
    return P_tr, head().fit(S_tr, y_tr).predict_proba(S_dev).astype(np.float32)

def head_probs(table, name, cache):
    "Default-head probabilities (cached per split)."
    f = Path(cache) / f'meld_{name}_headprobs.npy'
    if f.exists(): return np.load(f)
    from emodiary.text_emotion import predict_proba
    P = predict_proba(table.text.tolist(), progress=True)[list(EKMAN7.labels)].to_numpy(np.float32); np.save(f, P); return P

def score(X_tr, y_tr, X_dev, y_dev):
    "Fit the one classifier, score it on dev."
    t = time.time(); yh = classifier().fit(X_tr, y_tr).predict(X_dev)
    return dict(weighted_f1=round(f1_score(y_dev, yh, average='weighted'), 4), macro_f1=round(f1_score(y_dev, yh, average='macro'), 4),
                accuracy=round(accuracy_score(y_dev, yh), 4), dims=X_tr.shape[1], fit_s=round(time.time() - t, 1))

def run(source, tr, dev, S_tr, S_dev, cache, only=None):
    "All rows for one probability source."
    y_tr, y_dev = tr.label.map(EKMAN7.index).to_numpy(), dev.label.map(EKMAN7.index).to_numpy()
    if source == 'oof': P_tr, P_dev = oof_probs(S_tr, y_tr, tr.recording_id, S_dev)
    else: P_tr, P_dev = head_probs(tr, 'train', cache), head_probs(dev, 'dev', cache)
    tr_p = tr.assign(**dict(zip(PCOLS, P_tr.T))); dev_p = dev.assign(**dict(zip(PCOLS, P_dev.T)))
    t = time.time(); space = BaseSpace.fit(tr_p); fit_s = time.time() - t
    t = time.time(); D_tr, D_dev = map_probabilities(tr_p, space, prob_prefix='text_p_'), map_probabilities(dev_p, space, prob_prefix='text_p_'); map_s = time.time() - t
    Dg = [map_probabilities(x, space, 'all', (0, 1), 'text_p_') for x in (tr_p, dev_p)]
    De = [map_probabilities(x, space, 'all', (1, 0), 'text_p_') for x in (tr_p, dev_p)]
    C = {c: [flow_context(P, t_.recording_id, 3, causal=c) for P, t_ in ((P_tr, tr), (P_dev, dev))] for c in (True, False)}
    Dc = [flow_context(D, t_.recording_id, 3, causal=False) for D, t_ in ((D_tr[:, 384:768], tr), (D_dev[:, 384:768], dev))]
    rows = {
        '1 sentence embedding (S)': ([S_tr], [S_dev]),
        '2 S + text probabilities (P)': ([S_tr, P_tr], [S_dev, P_dev]),
        '3 S + P + Alg.1–3 distributional (all layers, 0.4/0.6)': ([S_tr, P_tr, D_tr], [S_dev, P_dev, D_dev]),
        '3e S + P + extraction only (0/1 weights: 1/0)': ([S_tr, P_tr, De[0]], [S_dev, P_dev, De[1]]),
        '3g S + P + generation only (weights 0/1)': ([S_tr, P_tr, Dg[0]], [S_dev, P_dev, Dg[1]]),
        '4c S + P + Alg.1–3 + flow context (causal, prev 3 P)': ([S_tr, P_tr, D_tr, C[True][0]], [S_dev, P_dev, D_dev, C[True][1]]),
        '4n S + P + Alg.1–3 + flow context (non-causal, prev+next 3 P)': ([S_tr, P_tr, D_tr, C[False][0]], [S_dev, P_dev, D_dev, C[False][1]]),
        '4d S + P + Alg.1–3 + flow context of double-layer vectors (non-causal)': ([S_tr, P_tr, D_tr, Dc[0]], [S_dev, P_dev, D_dev, Dc[1]]),
        '5 S + P + flow context (non-causal), no Alg.1–3': ([S_tr, P_tr, C[False][0]], [S_dev, P_dev, C[False][1]]),
    }
    out = {}
    for name, (a, b) in rows.items():
        if only and name.split()[0] not in only: continue
        out[name] = score(np.hstack(a), y_tr, np.hstack(b), y_dev)
        print(f"{source:5s} {name:75s} wF1 {out[name]['weighted_f1']:.4f}  mF1 {out[name]['macro_f1']:.4f}  acc {out[name]['accuracy']:.4f}  d={out[name]['dims']}", flush=True)
    head_only = P_dev.argmax(1)
    return dict(rows=out, probs_alone=dict(weighted_f1=round(f1_score(y_dev, head_only, average='weighted'), 4),
                                             macro_f1=round(f1_score(y_dev, head_only, average='macro'), 4)),
                base_space_fit_s=round(fit_s, 2), map_train_dev_s=round(map_s, 3),
                coverage={k: space.layer(k).coverage for k in (1, 2, 3)})

def speed(space, n=10_000, repeats=5):
    "Seconds for Algorithms 1–3 on `n` segments (strings, mapping into all layers, final concat, context), and memory."
    import tracemalloc
    from emodiary.features import add_emotion_strings, final_features
    rng = np.random.default_rng(0)
    def table(n): return pd.DataFrame(rng.dirichlet(np.ones(7) * .5, n).astype(np.float32), columns=PCOLS).assign(recording_id=np.arange(n) // 100, segment=np.arange(n) % 100)
    t, S = table(n), rng.standard_normal((n, 384)).astype(np.float32)
    def once():
        add_emotion_strings(t); F = final_features(map_probabilities(t, space, prob_prefix='text_p_'), S); flow_context(t[PCOLS].to_numpy(), t.recording_id, 3, causal=False); return F
    once(); ts = []
    for _ in range(repeats): s0 = time.perf_counter(); once(); ts.append(time.perf_counter() - s0)
    def extra(n):
        P = table(n); tracemalloc.start(); out = map_probabilities(P, space, prob_prefix='text_p_'); pk = tracemalloc.get_traced_memory()[1]; tracemalloc.stop()
        return round((pk - out.nbytes) / 1e6, 2)
    return dict(n_segments=n, median_s=round(float(np.median(ts)), 3), min_s=round(min(ts), 3),
                map_working_mb_beyond_output={'10k': extra(10_000), '100k': extra(100_000)}, note='2 shared CPU cores, other jobs running')

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
