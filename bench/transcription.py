"""Transcription benchmark: word-boundary F1 / median error on TIMIT, WER on asr_samples, RTF, long-form drift.

Not a test. Run:  nice -n 10 /work/venv/bin/python bench/transcription.py  (writes bench/results/transcription.json)
Raw = Whisper's own word times (faster-whisper, DTW over alignment heads); refined = `transcribe`'s refinement: energy
edges next to pauses, junctions at the peak of the shipped word-boundary probe (trained on these 8 speakers, so the
row is in-sample); refined LOSO = the probe *retrained* on 6 TIMIT speakers (SA sentences left out) and refinement
parameters picked on those 6, scored on the other 2, four folds, pooled: the honest number for new speakers.
The energy-only rows (junctions at energy dips, no probe) are kept for comparison.
The scoring (F1 at 50/100 ms collars, leave-speakers-out, long-form drift) is defined in
nbs/training/01_word_boundaries.ipynb (emodiary.training.word_boundaries); this script runs it.
"""
from __future__ import annotations
import csv, json, os, sys, time, platform
from pathlib import Path
import numpy as np
from emodiary.core import load_audio, data_dir, atomic_path, SAMPLE_RATE, Word
from emodiary.models import load_ct2, encoder_states
from emodiary.asr import ct2_words
from emodiary.transcription import refine_word_times, word_time_offset, word_boundary_logits
from emodiary.training.word_boundaries import (GRID, GRID_LEARNED, ref_items, wer, score_set, long_form, long_scores, loso,
                                               fold_probe)

MODELS = ['tiny.en', 'base']

CPU = {'s': 0.0}  # CPU seconds of the last timed call (all threads): robust to other users of the machine
def timed(fn, *a, **kw):
    t0, c0 = time.perf_counter(), time.process_time(); out = fn(*a, **kw)
    CPU['s'] = time.process_time() - c0
    return out, time.perf_counter() - t0

def main():
    timit, asr = data_dir('timit_sample'), data_dir('asr_samples')
    if timit is None or asr is None: print('benchmark data not found: skipping'); return
    rows = list(csv.DictReader(open(timit / 'manifest.csv')))
    refs = {r['path']: ref_items(r['word_alignment']) for r in rows}
    speakers = {r['path']: r['speaker'] for r in rows}
    audio = {r['path']: load_audio(timit / r['path']) for r in rows}
    asr_rows = list(csv.DictReader(open(asr / 'manifest.csv')))
    long_audio, long_utts = long_form(rows, timit)
    long_dur = len(long_audio) / SAMPLE_RATE
    states = {k: encoder_states(x) for k, x in audio.items()}   # for the probe retrained inside each LOSO fold
    res = dict(settings=dict(models=MODELS, compute_type='int8', cpu_threads=os.cpu_count(), beam_size=5, chunking='silero VAD, ≤30 s chunks cut in pauses',
                             refine_defaults='refine_word_times() defaults, offset=word_time_offset(model), logits of the shipped probe (trained on these 8 speakers: in-sample)', model_offsets={m: word_time_offset(m) for m in MODELS}, loso_grid=GRID, loso_grid_learned=GRID_LEARNED, long_form_s=round(long_dur, 1),
                             load_before=os.getloadavg(), python=platform.python_version()), models={})
    for m in MODELS:
        load_ct2(m)
        ct2_words(audio[rows[0]['path']], m, 'en' if m == 'base' else None, progress=False)  # warm-up
        raw, t_asr, t_ref = {}, 0.0, 0.0
        for r in rows:
            (ws, _), dt = timed(ct2_words, audio[r['path']], m, 'en', False); raw[r['path']] = ws; t_asr += dt
        fine, fine_energy = {}, {}
        for k in raw:
            lg, dt_l = timed(word_boundary_logits, audio[k])
            fine[k], dt = timed(refine_word_times, raw[k], audio[k], offset=word_time_offset(m), logits=lg); t_ref += dt + dt_l
            fine_energy[k] = refine_word_times(raw[k], audio[k], offset=word_time_offset(m))
        short_s = sum(len(x) for x in audio.values()) / SAMPLE_RATE
        errs = [wer(' '.join(w.text for w in timed(ct2_words, load_audio(asr / a['path']), m, 'en', False)[0][0]), a['text']) for a in asr_rows]
        (lw, _), t_long = timed(ct2_words, long_audio, m, 'en', False); cpu_long = CPU['s']
        long_lg, t_long_lg = timed(word_boundary_logits, long_audio)
        lfine, t_long_ref = timed(refine_word_times, lw, long_audio, offset=word_time_offset(m), logits=long_lg); t_long_ref += t_long_lg
        lfine_energy = refine_word_times(lw, long_audio, offset=word_time_offset(m))
        lf = lambda ws: long_scores(ws, long_utts, long_dur)
        res['models'][m] = dict(
            timit_raw=score_set(raw, refs, refs), timit_refined=score_set(fine, refs, refs),
            timit_refined_loso=loso(raw, refs, audio, speakers, word_time_offset(m), states),
            timit_refined_energy=score_set(fine_energy, refs, refs), timit_refined_energy_loso=loso(raw, refs, audio, speakers, word_time_offset(m)),
            wer_asr_samples=round(sum(e for e, _ in errs) / sum(n for _, n in errs), 4),
            rtf_short=round(t_asr / short_s, 3), refine_s_per_audio_s=round(t_ref / short_s, 5),
            rtf_long=round(t_long / long_dur, 3), cpu_s_per_audio_s_long=round(cpu_long / long_dur, 3),
            rtf_long_if_2_free_cores=round(cpu_long / long_dur / 2, 3), rtf_long_with_refine=round((t_long + t_long_ref) / long_dur, 3),
            long_raw=lf(lw), long_refined=lf(lfine), long_refined_energy=lf(lfine_energy))
        print(m, json.dumps(res['models'][m]), flush=True)
    res['settings']['load_after'] = os.getloadavg()
    out = Path(__file__).parent / 'results' / 'transcription.json'
    with atomic_path(out) as p: p.write_text(json.dumps(res, indent=1))
    print_table(res); print(f'wrote {out}')

def print_table(res):
    cols = ['F1@50', 'F1@100', 'med ms', 'WER', 'RTF short', 'RTF long', 'cpu/2 long', 'long 1st min ms', 'long last min ms', 'long F1@50', 'long F1@100']
    print(f"load average before/after: {res['settings']['load_before']} / {res['settings'].get('load_after')}")
    print(f"{'model / times':34s}" + ''.join(f'{c:>17s}' for c in cols))
    for m, r in res['models'].items():
        for name, t, lg in [('raw', r['timit_raw'], r['long_raw']), ('refined (in-sample)', r['timit_refined'], r['long_refined']),
                            ('refined LOSO', r['timit_refined_loso'], None), ('energy-only', r['timit_refined_energy'], r['long_refined_energy']),
                            ('energy-only LOSO', r['timit_refined_energy_loso'], None)]:
            vals = [t['f1_50ms'], t['f1_100ms'], t['median_error_ms'], r['wer_asr_samples'], r['rtf_short'],
                    r['rtf_long'] if name == 'raw' else r['rtf_long_with_refine'], r['rtf_long_if_2_free_cores'],
                    *( [lg['first_minute_ms'], lg['last_minute_ms'], lg['f1_50ms'], lg['f1_100ms']] if lg else ['', '', '', ''])]
            print(f'{m + " " + name:34s}' + ''.join(f'{v!s:>17s}' for v in vals))

if __name__ == '__main__': main()
