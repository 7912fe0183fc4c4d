"""Forced-alignment benchmark: word times on unseen speakers, long-form drift, sentence boundaries, cost.

Not a test. Run:  nice -n 10 python bench/alignment.py [timit] [long] [joined]  (default all; writes
bench/results/alignment.json, keeping the rows of parts not run; ~15 min on 2 cores)
Model: faster-whisper base (int8, beam 5), English. Stages as `transcribe` runs them: recognise (02_asr) →
refine (energy edges + probe, 03) → align (pocketsphinx forced alignment blended per boundary kind, then sane
words). Rows:
- timit_loso: leave-speakers-out on the TIMIT sample (4 folds of 2 held-out speakers): the probe retrained, the
  refinement parameters and the blend rules (`ALIGN_RULES`) picked on the other 6; refined / aligner alone / blend.
- long_form: 10.5 min of TIMIT utterances joined by 0.3-2 s pauses; first / last minute median error (drift).
  Shipped probe and rules: in-sample (they were fitted on these 8 speakers).
- joined: recordings of speech-trimmed utterances (an asr_samples clip less its faint lead-in: breath, room noise)
  of alternating speakers (TIMIT sample + asr_samples) joined by gaps of 0-300 ms (20% exactly 0), in three draws
  (seeds 0-2: other pairings and gaps); per true boundary: does a segment end within 100 ms of the true end of the
  speech and the next start within 100 ms of the true start. Split by whether both sides are TIMIT (whose
  speakers trained the probe and rules) or one is an asr_samples clip (unseen speakers), and by draw; `merged`
  counts the misses where the recogniser ran the two sentences into one (no boundary within 0.5 s).
- cost: wall and CPU seconds of each stage in the same run; ratios to recognition alone.
- demo: the synthetic demo, where the aligner is expected to fail on some stretches and fall back.
The scoring functions live in nbs/training/01_word_boundaries.ipynb (emodiary.training.word_boundaries).
"""
from __future__ import annotations
import csv, json, os, sys, time, platform
from importlib.metadata import version
from pathlib import Path
import numpy as np
from emodiary.core import load_audio, data_dir, atomic_path, demo_path, SAMPLE_RATE
from emodiary.models import encoder_states
from emodiary.asr import recognise, ct2_words, Transcript
from emodiary.transcription import (refine_word_times, word_time_offset, word_boundary_logits, align_words,
                                    time_words, timing_problems, ALIGN_RULES)
from emodiary.segmentation import segment_transcript
from emodiary.training.word_boundaries import (ref_items, score_set, loso_aligned, long_form, long_scores,
                                               speech_span, joined_utterances, sentence_boundary_hits)

MODEL = 'base'
COST = {}
def timed(name, fn, *a, **kw):
    "Run fn, adding its wall and CPU seconds to COST[name]."
    t0, c0 = time.perf_counter(), time.process_time(); out = fn(*a, **kw)
    w, c = COST.get(name, (0.0, 0.0)); COST[name] = (w + time.perf_counter() - t0, c + time.process_time() - c0)
    return out

def timit_rows(timit):
    rows = list(csv.DictReader(open(timit / 'manifest.csv')))
    return rows, {r['path']: load_audio(timit / r['path']) for r in rows}

def loso_part(rows, audio):
    refs = {r['path']: ref_items(r['word_alignment']) for r in rows}
    speakers = {r['path']: r['speaker'] for r in rows}
    raw = {k: timed('recognise', ct2_words, x, MODEL, 'en', False)[0] for k, x in audio.items()}
    states = {k: encoder_states(x) for k, x in audio.items()}
    res = loso_aligned(raw, refs, audio, speakers, word_time_offset(MODEL), states)
    # in-sample, shipped probe and rules, stage by stage (timed)
    cur = {k: timed('refine', lambda x, ws: refine_word_times(ws, x, offset=word_time_offset(MODEL),
                                                              logits=word_boundary_logits(x)), audio[k], raw[k])
           for k in raw}
    al = {k: timed('align', align_words, cur[k], audio[k])[0] for k in raw}
    res['shipped_in_sample'] = dict(refined=score_set(cur, refs, refs), blend=score_set(al, refs, refs))
    return res

def long_part(rows, timit):
    x, utts = long_form(rows, timit); dur = len(x) / SAMPLE_RATE
    c0 = dict(COST)
    lw = timed('recognise', ct2_words, x, MODEL, 'en', False)[0]
    fine = timed('refine', lambda: refine_word_times(lw, x, offset=word_time_offset(MODEL),
                                                     logits=word_boundary_logits(x)))
    al, _, notes = timed('align', align_words, fine, x)
    cost = {k: [round(COST[k][i] - c0.get(k, (0, 0))[i], 2) for i in (0, 1)] for k in COST}
    return dict(duration_s=round(dur, 1), raw=long_scores(lw, utts, dur), refined=long_scores(fine, utts, dur),
                aligned=long_scores(al, utts, dur), notes=notes, cost_wall_cpu_s=cost,
                problems_refined=len(timing_problems(fine, x)), problems_aligned=len(timing_problems(al, x)))

def joined_inputs(rows, audio, asr):
    utts = []
    for r in rows:   # the words' span, trimmed to its sound: a final closure or lead-in silence is no speech
        w, x = r['word_alignment'].split(), audio[r['path']]
        a, b = float(w[0].rsplit(':', 1)[1].split('-')[0]), float(w[-1].rsplit(':', 1)[1].split('-')[1])
        s, e = speech_span(x[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)])
        utts.append(dict(audio=x, start=a + s, end=a + e, speaker=r['speaker'], source='timit'))
    for a in csv.DictReader(open(asr / 'manifest.csv')):
        x = load_audio(asr / a['path']); s, e = speech_span(x, lead_in=True)
        utts.append(dict(audio=x, start=s, end=e, speaker=a['speaker'], source='asr_samples'))
    return utts

def extra_boundaries(segs, truth, reach: float = 0.3) -> int:
    "Segment boundaries farther than `reach` s from every true boundary (a clip's own sentence ends count too)."
    true = [(u['end'] + v['start']) / 2 for u, v in zip(truth, truth[1:])]
    return sum(min(abs((s.end + t.start) / 2 - b) for b in true) > reach for s, t in zip(segs, segs[1:]))

def joined_part(utts, seeds=(0, 1, 2)):
    recs = [(seed, x, truth) for seed in seeds for x, truth in joined_utterances(utts, per_recording=8, seed=seed)]
    variants = {'refined': (dict(align=False), 'refine'), 'aligned_marks_only': (dict(read_ends=False), 'refine+align'),
                'aligned': ({}, 'refine+align+ends')}   # aligned: sentence ends read from Whisper's decoder too
    hits = {n: [] for n in variants}; problems = dict.fromkeys(variants, 0); max_sil = {}
    extra = dict.fromkeys(variants, 0)
    c0 = dict(COST)
    for seed, x, truth in recs:
        raw = timed('recognise', recognise, x, MODEL, language='en', progress=False)
        for name, (kw, stage) in variants.items():
            tr = timed(stage, time_words, raw, x, MODEL, **kw)
            segs = segment_transcript(tr)
            extra[name] += extra_boundaries(segs, truth)
            for h, u, v in zip(sentence_boundary_hits(segs, truth), truth, truth[1:]):
                hits[name].append(dict(h, seed=seed,
                                       sides='timit' if u['source'] == v['source'] == 'timit' else 'unseen'))
            p = timing_problems(tr.words, x); problems[name] += len(p)
            sil = p[p.problem.str.startswith('spans')]
            max_sil[name] = max(max_sil.get(name, 0.0), *[float(s.split()[1]) for s in sil.problem] or [0.0])
    def share(hs): return dict(n=len(hs), hit_share=round(float(np.mean([h['hit'] for h in hs])), 4) if hs else None)
    out = {n: dict(all=share(h), timit=share([x for x in h if x['sides'] == 'timit']),
                   unseen=share([x for x in h if x['sides'] == 'unseen']),
                   per_seed={s: share([x for x in h if x['seed'] == s]) for s in seeds}, timing_problems=problems[n],
                   max_silence_in_a_word_s=max_sil[n], extra_boundaries=extra[n],
                   misses=[x for x in h if not x['hit']]) for n, h in hits.items()}
    out['merged'] = {n: sum(abs(x['end_error'] or 9) > 0.5 for x in h if not x['hit']) for n, h in hits.items()}
    out['recordings'] = len(recs); out['boundaries_touching'] = sum(h['gap'] == 0 for h in hits['aligned'])
    out['cost_wall_cpu_s'] = {k: [round(COST[k][i] - c0.get(k, (0, 0))[i], 2) for i in (0, 1)] for k in COST}
    return out

def demo_part():
    x = load_audio(demo_path()); raw = recognise(x, MODEL, progress=False)
    tr = time_words(raw, x, MODEL)
    return dict(timing=tr.timing, problems=len(timing_problems(tr.words, x)))

def ratios(cost: dict) -> dict:
    "Stage time over recognition time (wall and CPU)."
    asr = cost['recognise']
    return {k: [round(v[0] / asr[0], 3), round(v[1] / asr[1], 3)] for k, v in cost.items() if k != 'recognise'}

def main(parts=('timit', 'long', 'joined')):
    "Run the benchmark parts named (all by default); rows of parts not run are kept from the last results file."
    timit, asr = data_dir('timit_sample'), data_dir('asr_samples')
    if timit is None or asr is None: print('benchmark data not found: skipping'); return
    out = Path(__file__).parent / 'results' / 'alignment.json'
    rows, audio = timit_rows(timit)
    ct2_words(audio[rows[0]['path']], MODEL, 'en', False)   # warm-up (model load)
    res = json.loads(out.read_text()) if set(parts) != {'timit', 'long', 'joined'} and out.exists() else {}
    res['settings'] = dict(res.get('settings', {}), model=MODEL, align_rules=ALIGN_RULES,
                           python=platform.python_version(),
                           packages={p: version(p) for p in ('ctranslate2', 'faster-whisper', 'pocketsphinx')},
                           cpu_threads=os.cpu_count(), load_before=os.getloadavg(),
                           parts_run={k: time.strftime('%Y-%m-%d') for k in parts})
    if 'timit' in parts:
        res['timit_loso'] = loso_part(rows, audio); print('timit', json.dumps(res['timit_loso']), flush=True)
    if 'long' in parts:
        res['long_form'] = long_part(rows, timit); print('long', json.dumps(res['long_form']), flush=True)
        res['long_form']['ratios_to_recognition_wall_cpu'] = ratios(res['long_form']['cost_wall_cpu_s'])
    if 'joined' in parts:
        res['joined'] = joined_part(joined_inputs(rows, audio, asr))
        res['joined']['ratios_to_recognition_wall_cpu'] = ratios(res['joined']['cost_wall_cpu_s'])
        print('joined', json.dumps(res['joined']), flush=True)
    res['demo'] = demo_part()
    res['settings']['load_after'] = os.getloadavg()
    with atomic_path(out) as p: p.write_text(json.dumps(res, indent=1))
    print_table(res); print(f'wrote {out}')

def print_table(res):
    t = res['timit_loso']
    print(f"{'TIMIT leave-speakers-out':30s} {'F1@50':>7s} {'F1@100':>7s} {'median ms':>10s}")
    for n in ('refined', 'aligner', 'blend'):
        print(f"{n:30s} {t[n]['f1_50ms']:7.3f} {t[n]['f1_100ms']:7.3f} {t[n]['median_error_ms']:10.1f}")
    lf = res['long_form']
    for n in ('raw', 'refined', 'aligned'):
        print(f"long-form {n:20s} F1@50 {lf[n]['f1_50ms']:.3f}  1st / last minute {lf[n]['first_minute_ms']} / "
              f"{lf[n]['last_minute_ms']} ms")
    j = res['joined']
    for n in ('refined', 'aligned_marks_only', 'aligned'):
        print(f"joined {n:10s} boundaries within 100 ms: all {j[n]['all']}, timit {j[n]['timit']}, "
              f"unseen {j[n]['unseen']}; timing problems {j[n]['timing_problems']}; merged {j['merged'][n]}; "
              f"extra boundaries {j[n]['extra_boundaries']}")
        print(' ' * 18, 'per draw:', {s: v['hit_share'] for s, v in j[n]['per_seed'].items()})
    print('ratios to recognition (wall, cpu): long', lf['ratios_to_recognition_wall_cpu'], 'joined',
          j['ratios_to_recognition_wall_cpu'])
    print('demo:', res['demo'])

if __name__ == '__main__': main(tuple(sys.argv[1:]) or ('timit', 'long', 'joined'))
