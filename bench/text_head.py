#!/usr/bin/env python
"""Speed of the default text-emotion head: sentences/s for classifier + sentence embeddings on this machine.

    nice -n 10 python bench/text_head.py [N]      # N sentences (default 2000); merges a 'speed' entry into bench/results/text_head.json

Texts are MELD dev utterances when ../shared/data is present (short conversational lines, like diary sentences),
else synthetic diary sentences. Threads = torch's default (set OMP_NUM_THREADS / taskset to pin cores).
Machines here are shared and noisy: compare the ratios measured in one run, not absolute numbers across runs.
"""
import json, sys, time, os
from pathlib import Path
import numpy as np, pandas as pd, torch
from emodiary.core import data_dir, atomic_path, clear_model_cache
import emodiary.text_emotion as te

def bench_texts(n):
    d = data_dir('text/meld/MELD')
    if d: texts = pd.read_csv(d / 'dev_sent_emo.csv').Utterance.tolist()
    else: texts = [f"Day {i}: I went out, saw a friend and felt {w} about it." for i, w in enumerate(['great', 'awful', 'nervous', 'fine'] * 50)]
    return [f"{texts[i % len(texts)]}{'' if i < len(texts) else f' ({i // len(texts)})'}" for i in range(n)]

def timed(f):
    "Wall seconds of f(); CPU seconds of this process go to CPU_S."
    t, c = time.perf_counter(), time.process_time(); f()
    CPU_S.append(time.process_time() - c); return time.perf_counter() - t

CPU_S = []

def main(n=2000):
    texts = bench_texts(n)
    te.predict_proba(texts[:64]); te.sentence_embeddings(texts[:64])   # load + warm up
    te.forget_sentence_embeddings()
    t_emb = timed(lambda: te.sentence_embeddings(texts, progress=False)); te.forget_sentence_embeddings()
    t_clf = timed(lambda: te.predict_proba(texts, progress=False)); te.forget_sentence_embeddings()
    t_both = timed(lambda: (te.predict_proba(texts, progress=False), te.sentence_embeddings(texts, progress=False)))
    r = dict(n=n, threads=torch.get_num_threads(), cpus=os.cpu_count(), load_avg=os.getloadavg()[0],
             embeddings_per_s=n / t_emb, classifier_per_s=n / t_clf, classifier_plus_embeddings_per_s=n / t_both,
             ratio_both_over_embeddings_only=t_both / t_emb,
             classifier_plus_embeddings_per_cpu_s=n / CPU_S[-1],  # sentences per CPU-second of this process
             head=te.text_model().info.get('variant'))
    print(pd.Series(r).to_string())
    out = Path(__file__).parent / 'results' / 'text_head.json'
    old = json.loads(out.read_text()) if out.exists() else {}
    with atomic_path(out) as p: p.write_text(json.dumps(dict(old, speed=r), indent=1))

if __name__ == '__main__': main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
