#!/usr/bin/env python
"""Write README.md from nbs/index.ipynb without Quarto (nbdev_readme needs Quarto, which cannot be installed offline).

    python tools/make_readme.py          # write README.md
    python tools/make_readme.py --check  # exit 1 if README.md is out of date
"""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->\n\n"

def cell_markdown(cell):
    "Markdown for one notebook cell: markdown as is, code as a fenced block (hidden cells skipped)."
    src = ''.join(cell['source']).strip()
    if cell['cell_type'] == 'markdown': return src
    if src.startswith('#| hide') or not src: return ''
    lines = [l for l in src.split('\n') if not l.startswith('#|')]
    return '```python\n' + '\n'.join(lines) + '\n```'

def readme_text():
    "The README generated from the index notebook."
    nb = json.loads((ROOT / 'nbs' / 'index.ipynb').read_text())
    parts = [m for m in map(cell_markdown, nb['cells']) if m]
    return HEADER + '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    text, readme = readme_text(), ROOT / 'README.md'
    if '--check' in sys.argv:
        ok = readme.exists() and readme.read_text() == text
        print('README.md is up to date' if ok else 'README.md is out of date: run python tools/make_readme.py')
        sys.exit(0 if ok else 1)
    readme.write_text(text)
