#!/usr/bin/env python
"""Check the architecture rules the notebooks promise, so that CI keeps them.

    python tools/check_layout.py          # prints the findings; exit 1 if any

1. One direction of imports: a module imports only modules of notebooks numbered before its own
   (the user path `nbs/NN_*` in order, then `nbs/training/NN_*`); the user path never imports `emodiary.training` or
   `emodiary.testing` (test cells may).
2. No private name (`_x`) imported from another emodiary module, by the package, the notebooks or `bench/`.
3. Lines over 120 characters: at most 1.5 % of non-blank code lines, in the package and in the notebooks' code cells.
4. `nbs/sidebar.yml` (the Quarto sidebar; `custom_sidebar = True`, so nbdev_docs keeps it) lists every notebook.
5. A test cell with an `import` holds nothing else: nbdev_docs runs such cells (and only those) before rendering a
   page, so a cell that also uses the notebook's variables fails the docs build although `nbdev_test` passes.
"""
import ast, json, re, sys, warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT, SHARE = 120, 0.015

def notebooks() -> list[Path]:
    "User-path notebooks in order, then the training notebooks in order."
    nbs = ROOT / 'nbs'
    return sorted(nbs.glob('[0-9]*.ipynb')) + sorted((nbs / 'training').glob('[0-9]*.ipynb'))

def cells(nb: Path) -> list[dict]: return json.loads(nb.read_text())['cells']

def default_exp(nb: Path) -> str | None:
    "The module a notebook exports to."
    for c in cells(nb):
        m = re.search(r'^#\|\s*default_exp\s+(\S+)', ''.join(c['source']), re.M)
        if m: return m.group(1)

def code_lines(text: str) -> list[str]: return [l for l in text.splitlines() if l.strip()]

def emodiary_imports(src: str) -> list[tuple[str, list[str]]]:
    "(module, imported names) of every `emodiary.*` import in `src`."
    out = []
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith('emodiary'):
            out.append((node.module.removeprefix('emodiary.'), [a.name for a in node.names]))
    return out

def direction_findings() -> list[str]:
    "Modules that import a module exported by a later notebook."
    order = {m: i for i, m in enumerate(filter(None, map(default_exp, notebooks())))}
    found = []
    for mod, i in order.items():
        src = (ROOT / 'emodiary' / (mod.replace('.', '/') + '.py')).read_text().replace('from ..', 'from emodiary.')
        src = re.sub(r'from \.(\w)', r'from emodiary.\1', src)
        for dep, _ in emodiary_imports(src):
            if dep in order and order[dep] >= i: found.append(f"{mod} imports {dep}, which comes later")
            if not mod.startswith('training') and mod != 'testing' and dep.startswith(('training', 'testing')):
                found.append(f"user-path module {mod} imports {dep}")
    return found

def private_findings() -> list[str]:
    "Imports of private names across emodiary modules."
    srcs = {p: p.read_text() for p in [*(ROOT / 'emodiary').rglob('*.py'), *(ROOT / 'bench').glob('*.py')]
            if p.name != '_modidx.py'}
    for nb in notebooks():
        srcs[nb] = '\n'.join(re.sub(r'^[%!].*$', '', ''.join(c['source']), flags=re.M)
                             for c in cells(nb) if c['cell_type'] == 'code')
    found = []
    for p, src in srcs.items():
        src = re.sub(r'from \.\.?(\w*)', lambda m: f'from emodiary.{m.group(1)}'.rstrip('.'), src)
        for mod, names in emodiary_imports(src):
            found += [f"{p.relative_to(ROOT)} imports {n} from emodiary.{mod}" for n in names
                      if n.startswith('_') and not n.endswith('__')]   # dunders such as __version__ are public
        found += [f"{p.relative_to(ROOT)} uses {m}" for m in re.findall(r'\b(?:te|emodiary\.\w+)\._[a-zA-Z]\w*', src)]
    return found

def long_line_findings() -> list[str]:
    "Shares of lines over the limit, where they exceed SHARE."
    pkg = [l for p in (ROOT / 'emodiary').rglob('*.py') if p.name != '_modidx.py' for l in code_lines(p.read_text())]
    nbl = [l for nb in notebooks() for c in cells(nb) if c['cell_type'] == 'code'
           for l in code_lines(''.join(c['source']))]
    found = []
    for name, lines in (('package', pkg), ('notebook code', nbl)):
        share = sum(len(l) > LIMIT for l in lines) / max(len(lines), 1)
        print(f"{name}: {share:.2%} of {len(lines)} lines over {LIMIT} characters")
        if share > SHARE: found.append(f"{name}: {share:.2%} of lines over {LIMIT} characters (at most {SHARE:.1%})")
    return found

def sidebar_findings() -> list[str]:
    "Notebooks the Quarto sidebar does not list."
    listed = set(re.findall(r'([\w/]+\.ipynb)', (ROOT / 'nbs' / 'sidebar.yml').read_text()))
    every = {nb.relative_to(ROOT / 'nbs').as_posix() for nb in notebooks()} | {'index.ipynb'}
    return [f"nbs/sidebar.yml does not list {nb}" for nb in sorted(every - listed)]

def mixed_import_findings() -> list[str]:
    "Test cells that nbdev_docs would run for their imports although they hold other code (nbdev's own test)."
    from nbdev.process import NBProcessor
    from build_docs import mixes_imports            # the docs build notes the same cells after the fact
    found = []
    for nb in [ROOT / 'nbs' / 'index.ipynb'] + notebooks():
        for i, cell in enumerate(NBProcessor(nb, procs=[], process=True).nb.cells):
            with warnings.catch_warnings():
                warnings.simplefilter('ignore'); mixed = mixes_imports(cell)     # nbdev warns of these cells
            if mixed:
                found.append(f"{nb.relative_to(ROOT)}: cell #{i + 1} mixes imports with other code "
                             f"(nbdev_docs runs it alone): {cell.source.strip().splitlines()[0][:70]}")
    return found

if __name__ == '__main__':
    findings = (direction_findings() + private_findings() + long_line_findings() + sidebar_findings()
                + mixed_import_findings())
    for f in findings: print(f)
    print('layout: ok' if not findings else f'layout: {len(findings)} finding(s)')
    sys.exit(1 if findings else 0)
