#!/usr/bin/env python
"""Batch scaling of `emodiary build-dataset`: 1 worker with its default threads against N workers of 1 thread each.

    python bench/batch.py [--recordings 20] [--workers 2] [--asr base]

The recordings are the demo diary (31 s) at different gains with a little different noise each, so that each is a
recording of its own (distinct content, distinct pseudonym). Both runs happen in this one invocation, each as a
fresh `emodiary build-dataset` process (models load inside the timed run, as for a user), one after the other on the
same machine. Per-recording wall and CPU seconds come from the status manifest, so the scaling on more cores can be
read off: with W workers and enough cores, a batch takes about (recordings × CPU seconds per recording) / W plus
one model load per worker. Prints a table and writes bench/results/batch.json.
"""
import argparse, json, os, platform, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def make_recordings(folder: Path, n: int, seed: int = 0) -> list[Path]:
    "`n` distinct demo-length recordings in `folder`."
    import numpy as np, soundfile as sf
    from emodiary.core import load_audio, demo_path, SAMPLE_RATE
    x, rng = load_audio(demo_path()), np.random.default_rng(seed)
    paths = []
    for i in range(n):
        y = x * rng.uniform(0.6, 1.0) + rng.normal(0, 1e-3, len(x))
        paths.append(folder / f'diary_{i:02d}.wav'); sf.write(paths[-1], y.astype(np.float32), SAMPLE_RATE)
    return paths

def timed_build(inputs: Path, out: Path, workers: int, asr: str) -> dict:
    "Run `emodiary build-dataset` in a fresh process; its wall time and the manifest's per-recording times."
    from emodiary.dataset import manifest, private_dir
    cli = 'import sys; from emodiary.cli import main; sys.exit(main())'
    cmd = [sys.executable, '-c', cli, 'build-dataset', str(inputs), '--out', str(out), '--model', asr,
           '--workers', str(workers), '--quiet', '--no-plots']
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode != 0: raise SystemExit(f"build-dataset failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    m = manifest(private_dir(out))
    return {'workers': workers, 'wall_s': round(wall, 1), 'recordings': len(m),
            'per_recording_wall_s': round(float(m.wall_seconds.mean()), 2),
            'per_recording_cpu_s': round(float(m.cpu_seconds.mean()), 2),
            'statuses': m.status.value_counts().to_dict()}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--recordings', type=int, default=20); ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--asr', default='base')
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp); (tmp / 'in').mkdir()
        make_recordings(tmp / 'in', args.recordings)
        one = timed_build(tmp / 'in', tmp / 'one', 1, args.asr)
        many = timed_build(tmp / 'in', tmp / 'many', args.workers, args.asr)
    ratio = many['wall_s'] / one['wall_s']
    result = {'recordings': args.recordings, 'audio_s_each': 31.3, 'asr': args.asr, 'cpu_count': os.cpu_count(),
              'machine': platform.processor() or platform.machine(), 'one_worker_default_threads': one,
              f'{args.workers}_workers_1_thread': many, 'ratio_many_over_one': round(ratio, 3),
              'target_ratio': 0.8}
    print(f"{args.recordings} recordings of 31 s, ASR {args.asr}, {os.cpu_count()} cores")
    for name, r in (('1 worker, default threads', one), (f'{args.workers} workers × 1 thread', many)):
        print(f"  {name:28s} {r['wall_s']:7.1f} s  per recording: wall {r['per_recording_wall_s']:.1f} s, "
              f"CPU {r['per_recording_cpu_s']:.1f} s  {r['statuses']}")
    print(f"  ratio {ratio:.2f} (target ≤ 0.8)")
    out = ROOT / 'bench' / 'results' / 'batch.json'
    out.write_text(json.dumps(result, indent=1) + '\n'); print(f"wrote {out}")

if __name__ == '__main__': main()
