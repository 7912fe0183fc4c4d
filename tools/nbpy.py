#!/usr/bin/env python
"""Convert between nbdev notebooks and plain 'percent' scripts (for editing notebooks in a text editor).

    python tools/nbpy.py to-nb  script.py  nbs/01_x.ipynb   # '# %%' starts a code cell, '# %% [md]' a markdown cell
    python tools/nbpy.py to-py  nbs/01_x.ipynb  script.py

Markdown cells are written as comment lines ('# ' prefix) so the script stays valid Python.
"""
import json, sys, re
from pathlib import Path

MD = re.compile(r'^# %% \[(md|markdown)\]\s*$')
CODE = re.compile(r'^# %%\s*$')

def py_to_cells(text):
    "Split a percent script into (kind, source) cells."
    cells, kind, lines = [], None, []
    def flush():
        if kind is None: return
        src = '\n'.join(lines).strip('\n')
        if kind == 'markdown': src = '\n'.join(l[2:] if l.startswith('# ') else l.lstrip('#') for l in src.split('\n'))
        if src.strip(): cells.append((kind, src))
    for line in text.split('\n'):
        if MD.match(line): flush(); kind, lines = 'markdown', []
        elif CODE.match(line): flush(); kind, lines = 'code', []
        else: lines.append(line)
    flush()
    return cells

def cell_json(kind, src, i):
    "One nbformat-4 cell."
    c = {'cell_type': kind, 'id': f'c{i:03d}', 'metadata': {}, 'source': src.splitlines(keepends=True)}
    if kind == 'code': c.update(execution_count=None, outputs=[])
    return c

def to_nb(src, dst):
    "Write notebook `dst` from percent script `src`."
    cells = [cell_json(k, s, i) for i, (k, s) in enumerate(py_to_cells(Path(src).read_text()))]
    nb = {'cells': cells, 'metadata': {'kernelspec': {'display_name': 'python3', 'language': 'python', 'name': 'python3'}},
          'nbformat': 4, 'nbformat_minor': 5}
    Path(dst).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')

def to_py(src, dst):
    "Write percent script `dst` from notebook `src`."
    out = []
    for c in json.loads(Path(src).read_text())['cells']:
        s = ''.join(c['source'])
        if c['cell_type'] == 'markdown': out += ['# %% [md]'] + ['# ' + l if l else '#' for l in s.split('\n')]
        else: out += ['# %%', s]
        out.append('')
    Path(dst).write_text('\n'.join(out))

if __name__ == '__main__':
    cmd, a, b = sys.argv[1:4]
    {'to-nb': to_nb, 'to-py': to_py}[cmd](a, b)
