#!/usr/bin/env python
"""Speed and scale of the whole pipeline (`emodiary process`) against transcription alone, on 1- and 10-minute diaries.

    python bench/pipeline.py [--minutes 1 10] [--asr base]

Each size runs in its own fresh process (so peak memory is that size's own): models are loaded and warmed up on a
1-second clip first, then transcription alone and the full pipeline are timed on the same file in the same process, interleaved
(5 repeats up to 2 minutes, medians; 1 beyond).
Prints a table and writes bench/results/pipeline.json.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time, platform
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r'''
import json, resource, sys, time
import numpy as np, soundfile as sf
from emodiary.core import load_audio
from emodiary.transcription import transcribe
from emodiary.dataset import process_recording, PipelineConfig
path, asr, warm, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cfg = PipelineConfig(asr_model=asr)
process_recording(warm, config=cfg)                       # load and warm every model
rss_models = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t_asrs, t_alls = [], []
for _ in range(repeats):   # interleaved repeats, medians reported: single runs vary by 30 % on a shared machine
    t0 = time.perf_counter(); transcribe(load_audio(path), model=asr, progress=False, align=False, read_ends=False)
    t_asrs.append(time.perf_counter() - t0)   # recognition + refinement; aligning, reading ends: pipeline side
    timings = {}
    t0 = time.perf_counter(); table = process_recording(path, config=cfg, timings=timings)
    t_alls.append(time.perf_counter() - t0)
t_asr, t_all = float(np.median(t_asrs)), float(np.median(t_alls))
print(json.dumps({'asr_only_s': t_asr, 'pipeline_s': t_all, 'asr_only_runs_s': t_asrs, 'pipeline_runs_s': t_alls, 'stages_s': timings, 'segments': len(table),
                  'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'rss_after_model_load_mb': rss_models}))
'''

def long_diary(minutes: float, folder: Path) -> Path:
    "A diary of `minutes` built from the demo recording repeated with random pauses."
    import numpy as np, soundfile as sf
    from emodiary.core import load_audio, demo_path
    from emodiary.testing import repeat_with_pauses
    signal, _ = repeat_with_pauses(load_audio(demo_path()), minutes, seed=int(minutes))
    path = folder / f'diary_{minutes:g}min.wav'; sf.write(path, signal, 16000)
    return path

def run_size(minutes: float, asr: str, folder: Path) -> dict:
    "Time one size in a fresh process."
    path = long_diary(minutes, folder)
    warm = ROOT / 'nbs' / 'fixtures' / 'clip.wav'
    repeats = 5 if minutes <= 2 else 1   # a 10-minute size takes ~4 min a repeat
    out = subprocess.run([sys.executable, '-c', CHILD, str(path), asr, str(warm), str(repeats)],
                         capture_output=True, text=True)
    if out.returncode: raise SystemExit(out.stderr[-3000:])
    r = json.loads(out.stdout.strip().splitlines()[-1])
    r.update(minutes=minutes, audio_s=minutes * 60, after_asr_share=(r['pipeline_s'] - r['stages_s']['transcribe']) / r['stages_s']['transcribe'])
    return r

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--minutes', nargs='+', type=float, default=[1, 10]); ap.add_argument('--asr', default='base')
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    rows = [run_size(m, args.asr, folder) for m in args.minutes]
    print(f"{'min':>4} {'asr alone s':>11} {'pipeline s':>10} {'ratio':>6} {'after-ASR/ASR':>13} {'RTF':>6} {'peak MB':>8} {'segments':>8}")
    for r in rows:
        print(f"{r['minutes']:>4g} {r['asr_only_s']:>11.1f} {r['pipeline_s']:>10.1f} {r['pipeline_s'] / r['asr_only_s']:>6.2f} "
              f"{r['after_asr_share']:>13.1%} {r['pipeline_s'] / r['audio_s']:>6.3f} {r['peak_rss_mb']:>8.0f} {r['segments']:>8}")
        print('      stages:', {k: round(v, 2) for k, v in r['stages_s'].items()})
    result = {'asr_model': args.asr, 'cpus': os.cpu_count(), 'machine': platform.platform(), 'rows': rows}
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        result['scaling'] = {'length_ratio': b['audio_s'] / a['audio_s'], 'time_ratio': b['pipeline_s'] / a['pipeline_s'],
                             'peak_memory_ratio': b['peak_rss_mb'] / a['peak_rss_mb']}
        print('scaling:', {k: round(v, 2) for k, v in result['scaling'].items()})
    out = ROOT / 'bench' / 'results' / 'pipeline.json'; out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    print('wrote', out)
