#!/usr/bin/env python
"""What bounds `build-dataset --workers N` on a small machine: threads against processes, on the whole pipeline.

    python bench/thread_scaling.py [--repeats 3]

Runs `dataset.process_recording` on the demo diary (31 s) in fresh processes, after one warm-up recording each:
1 process with every core's threads (the one-worker default), 1 process with 1 thread alone, and as many 1-thread
processes at once as there are cores (what N workers of 1 thread do). Thread limits are set in the environment
before anything is imported, as Dask's nanny does for its workers. From the same run:

- thread speed-up = (1 thread alone) / (all threads alone), per recording;
- contention = (1 thread, all cores busy) / (1 thread alone): what processes sharing caches and memory cost;
- best batch ratio = (1 thread, all cores busy) / (N × all threads alone): N one-thread workers against one worker
  with N threads, per recording — the floor of the ratio in `bench/batch.py`, before any scheduler or
  model-loading overhead.

Prints a table and writes bench/results/thread_scaling.json.
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMITS = ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'EMODIARY_THREADS')

def worker(repeats: int):
    "Process the demo `repeats` times after a warm-up; print per-recording wall, CPU and stage seconds as JSON."
    import warnings; warnings.simplefilter('ignore')
    from emodiary.core import demo_path, use_threads
    from emodiary.dataset import process_recording
    use_threads(int(os.environ['EMODIARY_THREADS']))
    process_recording(demo_path())
    runs = []
    for _ in range(repeats):
        timings, w0, c0 = {}, time.perf_counter(), time.process_time()
        process_recording(demo_path(), timings=timings)
        runs.append({'wall': time.perf_counter() - w0, 'cpu': time.process_time() - c0, **timings})
    print(json.dumps(runs))

def launch(threads: int, repeats: int) -> subprocess.Popen:
    "A fresh worker process limited to `threads` threads from its start."
    env = {**os.environ, **{k: str(threads) for k in LIMITS}, 'TOKENIZERS_PARALLELISM': 'false'}
    return subprocess.Popen([sys.executable, __file__, '--worker', str(repeats)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

def median_runs(procs: list) -> dict:
    "Median of every measure over all runs of the given processes."
    import numpy as np
    runs = [r for p in procs for r in json.loads(p.communicate()[0])]
    return {k: round(float(np.median([r.get(k, 0.0) for r in runs])), 2) for k in runs[0]}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeats', type=int, default=3); ap.add_argument('--worker', type=int)
    args = ap.parse_args()
    if args.worker: return worker(args.worker)
    cores = os.cpu_count() or 1
    r = {'cores': cores, 'repeats': args.repeats, 'audio_s': 31.3,
         'all threads alone': median_runs([launch(cores, args.repeats)]),
         '1 thread alone': median_runs([launch(1, args.repeats)]),
         f'1 thread, {cores} processes at once': median_runs([launch(1, args.repeats) for _ in range(cores)])}
    one, alone, busy = r['all threads alone'], r['1 thread alone'], r[f'1 thread, {cores} processes at once']
    r['thread_speedup'] = round(alone['wall'] / one['wall'], 3)
    r['contention'] = round(busy['wall'] / alone['wall'], 3)
    r['best_batch_ratio'] = round(busy['wall'] / cores / one['wall'], 3)
    r['note'] = ('best_batch_ratio: N single-thread workers on N cores against 1 worker with N threads, per '
                 'recording, with no scheduler or model-loading overhead (the floor of bench/batch.py ratio)')
    for name in ('all threads alone', '1 thread alone', f'1 thread, {cores} processes at once'):
        v = r[name]
        print(f"{name:32s} wall {v['wall']:5.2f} s  CPU {v['cpu']:5.2f} s  transcribe {v.get('transcribe', 0):5.2f} s"
              f"  audio emotion {v.get('audio_emotion', 0):4.2f} s")
    print(f"thread speed-up {r['thread_speedup']}, contention {r['contention']}, "
          f"best batch ratio {r['best_batch_ratio']} (target of the batch: <= 0.8)")
    out = ROOT / 'bench' / 'results' / 'thread_scaling.json'
    out.write_text(json.dumps(r, indent=1) + '\n'); print(f"wrote {out}")

if __name__ == '__main__': main()
