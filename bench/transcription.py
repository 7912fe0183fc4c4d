"""Transcription benchmark: word-boundary F1 / median error on TIMIT, WER on asr_samples, RTF, long-form drift.

Not a test. Run:  nice -n 10 /work/venv/bin/python bench/transcription.py  (writes bench/results/transcription.json)
Raw = Whisper's own word times (faster-whisper, DTW over alignment heads); refined = `transcribe`'s refinement: energy
edges next to pauses, junctions at the peak of the shipped word-boundary probe (trained on these 8 speakers, so the
row is in-sample); refined LOSO = the probe *retrained* on 6 TIMIT speakers (SA sentences left out) and refinement
parameters picked on those 6, scored on the other 2, four folds, pooled: the honest number for new speakers.
The energy-only rows (junctions at energy dips, no probe) are kept for comparison.
"""
from __future__ import annotations
import csv, json, os, re, sys, time, difflib, itertools, platform
from pathlib import Path
import numpy as np
from emodiary.core import load_audio, data_dir, atomic_path, SAMPLE_RATE, Word
from emodiary.transcription import (_ct2_transcribe, refine_word_times, load_ct2, word_time_offset, encoder_states,
                                    fit_boundary_model, boundary_frames, word_boundary_logits)

MODELS = ['tiny.en', 'base']
GRID = dict(offset=[-0.02, 0.0, 0.02], junction_window=[0.04, 0.05, 0.06], edge_window=[0.15, 0.2])  # offset: relative to the model's calibrated one
GRID_LEARNED = dict(offset=[-0.02, 0.0, 0.02], edge_window=[0.15, 0.2])   # junction_window only matters for energy junctions

def norm_tokens(text: str) -> list[str]:
    "Lower-case words without punctuation (apostrophes inside words kept)."
    t = re.sub(r"[^a-z0-9' ]+", ' ', text.lower().replace('’', "'"))
    return [w.strip("'") for w in t.split() if w.strip("'")]

def hyp_items(words: list[Word]) -> list[tuple[str, float, float]]:
    return [(n, w.start, w.end) for w in words for n in norm_tokens(w.text)]

def ref_items(alignment: str, offset: float = 0.0) -> list[tuple[str, float, float]]:
    out = []
    for tok in alignment.split():
        w, span = tok.rsplit(':', 1); a, b = span.split('-')
        out += [(n, float(a) + offset, float(b) + offset) for n in norm_tokens(w)]
    return out

def matched_pairs(hyp, ref):
    "Monotonic alignment of hyp to ref words by normalised text (difflib's longest matching blocks)."
    sm = difflib.SequenceMatcher(a=[h[0] for h in hyp], b=[r[0] for r in ref], autojunk=False)
    return [(hyp[b.a + k], ref[b.b + k]) for b in sm.get_matching_blocks() for k in range(b.size)]

def boundary_scores(pairs, n_hyp, n_ref) -> dict:
    "F1 at 50/100 ms collars (text match and both boundaries within the collar) and the median boundary error."
    def f1(c):
        hits = sum(abs(h[1] - r[1]) <= c and abs(h[2] - r[2]) <= c for h, r in pairs)
        p, r = hits / max(n_hyp, 1), hits / max(n_ref, 1)
        return 2 * p * r / (p + r) if p + r else 0.0
    errs = [abs(h[1] - r[1]) for h, r in pairs] + [abs(h[2] - r[2]) for h, r in pairs]
    return dict(f1_50ms=round(f1(0.05), 4), f1_100ms=round(f1(0.10), 4),
                median_error_ms=round(1000 * float(np.median(errs)), 1) if errs else None, n_matched=len(pairs), n_hyp=n_hyp, n_ref=n_ref)

def score_set(hyps: dict, refs: dict, keys) -> dict:
    pairs, nh, nr = [], 0, 0
    for k in keys:
        h = hyp_items(hyps[k]); pairs += matched_pairs(h, refs[k]); nh += len(h); nr += len(refs[k])
    return boundary_scores(pairs, nh, nr)

def wer(hyp: str, ref: str) -> tuple[int, int]:
    "(edit distance, reference length) over normalised words."
    h, r = norm_tokens(hyp), norm_tokens(ref)
    d = list(range(len(h) + 1))
    for i, rw in enumerate(r, 1):
        prev, d[0] = d[0], i
        for j, hw in enumerate(h, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (rw != hw))
    return d[len(h)], len(r)

CPU = {'s': 0.0}  # CPU seconds of the last timed call (all threads): robust to other users of the machine
def timed(fn, *a, **kw):
    t0, c0 = time.perf_counter(), time.process_time(); out = fn(*a, **kw)
    CPU['s'] = time.process_time() - c0
    return out, time.perf_counter() - t0

def long_form(timit_rows, root, minutes=10.5, seed=0):
    "TIMIT utterances concatenated with random 0.3–2 s pauses: (audio, per utterance (start, end, reference items))."
    rng = np.random.default_rng(seed); pieces, utts, n = [], [], 0
    while n < minutes * 60 * SAMPLE_RATE:
        for r in timit_rows:
            gap, x = np.zeros(int(rng.uniform(0.3, 2.0) * SAMPLE_RATE), np.float32), load_audio(root / r['path'])
            start = (n + len(gap)) / SAMPLE_RATE; pieces += [gap, x]; n += len(gap) + len(x)
            utts.append((start, n / SAMPLE_RATE, ref_items(r['word_alignment'], start)))
            if n >= minutes * 60 * SAMPLE_RATE: break
    return np.concatenate(pieces), utts

def long_pairs(hyp_words, utts):
    "Matched pairs per utterance: hyp words whose midpoint lies between the pause midpoints around it (the text repeats, so no global alignment)."
    h = hyp_items(hyp_words); mids = np.array([(a + b) / 2 for _, a, b in h])
    cuts = [0.0] + [(u[1] + v[0]) / 2 for u, v in zip(utts, utts[1:])] + [float('inf')]
    pairs = []
    for (s, e, ref), lo, hi in zip(utts, cuts, cuts[1:]):
        pairs += matched_pairs([x for x, m in zip(h, mids) if lo <= m < hi], ref)
    return pairs, len(h), sum(len(u[2]) for u in utts)

def long_scores(hyp_words, utts, dur) -> dict:
    "Boundary scores over the long-form file, plus the median boundary error in its first and last minute."
    pairs, nh, nr = long_pairs(hyp_words, utts)
    def minute(lo, hi):
        errs = [abs(x[1] - r[1]) for x, r in pairs if lo <= r[1] < hi] + [abs(x[2] - r[2]) for x, r in pairs if lo <= r[1] < hi]
        return round(1000 * float(np.median(errs)), 1) if errs else None
    return dict(boundary_scores(pairs, nh, nr), first_minute_ms=minute(0, 60), last_minute_ms=minute(dur - 60, dur + 1))

def fold_probe(states: dict, refs: dict, speakers: dict, held):
    "A word-boundary probe fitted on the speakers not in `held` (SA sentences, read by everyone, left out)."
    train = [k for k in states if speakers[k] not in held and '_sa' not in k]
    targets = [boundary_frames([Word(n, a, b) for n, a, b in refs[k]], len(states[k])) for k in train]
    return fit_boundary_model([states[k] for k in train], targets)

def fold_logits(states: dict, refs: dict, speakers: dict, held) -> dict:
    "Boundary logits of every utterance from the probe of the speakers not in `held`."
    probe = fold_probe(states, refs, speakers, held)
    return {k: probe.logits(v) for k, v in states.items()}

def loso(raw: dict, refs: dict, audio: dict, speakers: dict, base_offset: float, states: dict | None = None) -> dict:
    "Leave-speakers-out: pick refinement parameters (and with `states`, fit the probe) on 6 speakers, score the 2 held out; pooled."
    spk = sorted(set(speakers.values())); folds = [spk[i::4] for i in range(4)]
    grid = GRID if states is None else GRID_LEARNED
    combos = [dict(zip(grid, v)) for v in itertools.product(*grid.values())]
    for c in combos: c['offset'] = round(base_offset + c['offset'], 3)
    pairs, nh, nr, picked = [], 0, 0, []
    for held in folds:
        lg = fold_logits(states, refs, speakers, held) if states is not None else {k: None for k in raw}
        refined = [{k: refine_word_times(raw[k], audio[k], logits=lg[k], **c) for k in raw} for c in combos]
        train = [k for k in raw if speakers[k] not in held]; test = [k for k in raw if speakers[k] in held]
        best = max(range(len(combos)), key=lambda i: (lambda s: s['f1_50ms'] + s['f1_100ms'])(score_set(refined[i], refs, train)))
        picked.append(dict(held_out=held, **combos[best]))
        for k in test:
            h = hyp_items(refined[best][k]); pairs += matched_pairs(h, refs[k]); nh += len(h); nr += len(refs[k])
    return dict(boundary_scores(pairs, nh, nr), folds=picked)

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
        _ct2_transcribe(audio[rows[0]['path']], m, 'en' if m == 'base' else None, progress=False)  # warm-up
        raw, t_asr, t_ref = {}, 0.0, 0.0
        for r in rows:
            (ws, _), dt = timed(_ct2_transcribe, audio[r['path']], m, 'en', False); raw[r['path']] = ws; t_asr += dt
        fine, fine_energy = {}, {}
        for k in raw:
            lg, dt_l = timed(word_boundary_logits, audio[k])
            fine[k], dt = timed(refine_word_times, raw[k], audio[k], offset=word_time_offset(m), logits=lg); t_ref += dt + dt_l
            fine_energy[k] = refine_word_times(raw[k], audio[k], offset=word_time_offset(m))
        short_s = sum(len(x) for x in audio.values()) / SAMPLE_RATE
        errs = [wer(' '.join(w.text for w in timed(_ct2_transcribe, load_audio(asr / a['path']), m, 'en', False)[0][0]), a['text']) for a in asr_rows]
        (lw, _), t_long = timed(_ct2_transcribe, long_audio, m, 'en', False); cpu_long = CPU['s']
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
