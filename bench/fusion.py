"""Late vs early fusion vs audio alone on RAVDESS, leave-actors-out (6 folds × 2 actors).

RAVDESS actors say two emotionally neutral sentences in 8 emotions, so text carries no label information:
a good fusion must learn to ignore it. The evaluation is `emodiary.training.fusion_eval.fusion_results`
(nbs/training/05_fusion_eval.ipynb); this script runs it, prints the table and writes bench/results/fusion.json.

    EMODIARY_DATA=../shared/data nice -n 10 python bench/fusion.py
"""
import json
from pathlib import Path
from emodiary.core import data_dir, atomic_path
from emodiary.training.fusion_eval import fusion_results, results_table

ROOT = Path(__file__).resolve().parents[1]

def main():
    root = data_dir('ravdess16k')
    if root is None: print('RAVDESS not found (set EMODIARY_DATA): skipping'); return
    out = fusion_results(root)   # C: the shipped audio head's own (chosen in training/03)
    with atomic_path(ROOT / 'bench' / 'results' / 'fusion.json') as tmp: Path(tmp).write_text(json.dumps(out, indent=1))
    print(results_table(out).to_string()); print('seconds', out['seconds'])

if __name__ == '__main__': main()
