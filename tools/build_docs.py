#!/usr/bin/env python
"""Build the emodiary documentation website offline: nbdev's docs pre-processing, then mkdocs-material.

    python tools/build_docs.py                          # every notebook under nbs/ -> _site/, then checks
    python tools/build_docs.py --only 00_core 11_viz    # only notebooks whose path contains one of these
    python tools/build_docs.py --screenshots docs/screenshots   # PNGs of _site (tools/screenshot_docs.py)
    python -m http.server -b 127.0.0.1 -d _site 8000    # look at the site in a browser

Needs the dev requirements and `pip install mkdocs-material==9.8.2 mkdocs-jupyter==0.26.3`; no Quarto, no
network. Exit status 0 when the site is built and every check passes, else 1 with one line per finding.

Per notebook (nbdev's `nbglob` of nbs/, so subfolders too), each in a fresh Python process, two at a time:
  1. Execute it, since notebooks are committed without outputs: the cells `nbdev_test` runs (not `#| eval:
     false`, not the settings.ini `tst_flags` such as `#| slow`), in the notebook's folder, with IN_TEST=1.
     Execution comes before nbdev's processors because they delete the `#| hide` and `#| export` cells, after
     which the rest of a notebook cannot run.
  2. nbdev's docs processors, the ones `nbdev_docs` runs before Quarto (`FilterDefaults`, as in
     `proc_nbs`/`serve_drv`), from the repository root. Their `exec_show_docs` runs every import, export
     and show_doc cell again in a fresh shell, so the failures `nbdev_docs` would hit show up here too.
     Changed: it notes every failing cell instead of stopping at the first, and it does not run a cell
     flagged with a `tst_flags` flag (nbdev's would, when the cell has an import) but reports it. nbdev's
     other `_pre_docs` steps write tracked files (`nbdev_sidebar`, `refresh_quarto_yml`, `_build_modidx`) or
     install Quarto, and are not run.
  3. Clean-up for mkdocs-jupyter: frontmatter -> `# Title` and description; `include: false` cells dropped,
     `echo: false` code hidden, `output: false` outputs dropped, `output: asis` markdown (show_doc's API docs)
     made markdown cells, leftover `#|` lines removed; Quarto link attributes and links into the nbdev site
     (doc_host) rewritten for this site. nbdev already removed the `#| hide` and `#| export` cells.
Then `_proc/mkdocs.yml` (sidebar sections from SECTION_RULES below; page titles from each notebook's first
`# Title` line) and `mkdocs build --strict` into `_site/`.

Findings (each fails the build): a cell that fails when executed or in nbdev's pre-processing (cells are
numbered #1.. as in nbdev_test); a notebook without a page; a page that shows fewer images than its notebook
made; a page missing API-doc headings its show_doc cells made; mkdocs warnings or errors; a file of the
checkout that the build changed (`git status --porcelain`). Build files: `_proc/` (pages, mkdocs.yml, logs/,
status/) and `_site/`.
"""
import argparse, ast, html.parser, json, os, re, shutil, subprocess, sys, threading, time, traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / '_proc'
PAGES_DIR, STATUS_DIR, LOG_DIR = BUILD / 'docs', BUILD / 'status', BUILD / 'logs'
MKDOCS_YML, SITE = BUILD / 'mkdocs.yml', ROOT / '_site'

# Sidebar sections: rules tried top to bottom, the first match decides. A rule gets the notebook's path
# relative to nbs/ (a Path), its number prefix (None without one) and its title. Section None: top-level page.
SECTION_RULES = (
    (None, lambda rel, num, title: rel.as_posix() == 'index.ipynb'),
    ('Training & evaluation', lambda rel, num, title: rel.parts[0] == 'training' or (num or 0) >= 20),
    ('Algorithms', lambda rel, num, title: num is not None and 'Algorithm' in title),
    ('Reference', lambda rel, num, title: rel.stem.endswith('_testing')),
    ('Pipeline', lambda rel, num, title: num is not None),
    ('Other', lambda rel, num, title: True),
)
SECTION_ORDER = (None, 'Pipeline', 'Algorithms', 'Training & evaluation', 'Reference', 'Other')   # order in the sidebar
HOME_TITLE = 'Home'
IMAGE_MIMES = ('image/png', 'image/jpeg', 'image/gif', 'image/svg+xml')
EXTRA_CSS = """\
.api-source { float: right; font-size: smaller; }
.jp-Notebook .jp-Cell { margin-bottom: .6rem; }
.md-typeset .jp-RenderedImage img { max-width: 100%; height: auto; }
"""


@dataclass
class Notebook:
    "A notebook under nbs/ and the page it becomes."
    path: Path      # the notebook file
    rel: Path       # its path relative to nbs/
    page: Path      # its page in the mkdocs docs folder: nbdev's output-file name, e.g. core.ipynb
    title: str
    section: str | None

    @property
    def url_dir(self):
        "Folder of the page in _site (mkdocs directory URLs)."
        return Path() if self.page == Path('index.ipynb') else self.page.with_suffix('')

    @property
    def depth(self):
        "How many folders deep the page's URL is."
        return len(self.url_dir.parts)

    @property
    def file_stem(self):
        "Name for the page's log and status files."
        return self.page.as_posix().replace('/', '__')


# ---------------------------------------------------------------- notebooks, titles, sections

def nbdev_config():
    "settings.ini of this checkout, as nbdev reads it."
    from nbdev.config import get_config
    return get_config(path=ROOT)


def notebook_number(rel):
    "Number prefix of a notebook's file name (`04_algorithm1.ipynb`, `04b_exports.ipynb` -> 4), None without one."
    m = re.match(r'(\d+)[a-z]?_', rel.name)
    return int(m.group(1)) if m else None


def first_h1(cells):
    "Text of the first `# Title` line of the markdown cells, or None."
    for cell in cells:
        if cell['cell_type'] != 'markdown': continue
        m = re.search(r'^#\s+(\S.*?)\s*$', ''.join(cell['source']), flags=re.MULTILINE)
        if m: return m.group(1)
    return None


def section_of(rel, title):
    "Sidebar section of a notebook, from SECTION_RULES."
    num = notebook_number(rel)
    return next(section for section, rule in SECTION_RULES if rule(rel, num, title))


def page_name(rel):
    "Page of a notebook: nbdev's output-file name (`00_core.ipynb` -> `core.ipynb`), so nbdev's links map."
    from nbdev.doclinks import _nbpath2html
    return _nbpath2html(rel).with_suffix('.ipynb')


def find_notebooks(only=()):
    "The notebooks nbdev renders (`nbglob` of nbs_path); with `only`, those whose path has one of its words."
    from nbdev.doclinks import nbglob
    nbs_path = nbdev_config().nbs_path
    paths = sorted(nbglob(nbs_path, func=Path))
    if only: paths = [p for p in paths if any(w in p.relative_to(nbs_path).as_posix() for w in only)]
    notebooks = []
    for path in paths:
        rel = path.relative_to(nbs_path)
        title = first_h1(json.loads(path.read_text(encoding='utf-8'))['cells']) or rel.stem
        notebooks.append(Notebook(path, rel, page_name(rel), title, section_of(rel, title)))
    return notebooks


def nav_order(notebooks):
    "Notebooks in sidebar order: by SECTION_ORDER, then by path."
    rank = {s: i for i, s in enumerate(SECTION_ORDER)}
    return sorted(notebooks, key=lambda nb: (rank.get(nb.section, len(rank)), nb.rel.as_posix()))


# ---------------------------------------------------------------- step 1: execution (worker process)

def code_lines(source):
    "A cell's source without its leading `#|` directive lines."
    from nbdev.process import first_code_ln
    lines = source.splitlines(True)
    first = first_code_ln(lines)
    return '' if first is None else ''.join(lines[first:])


def first_line(source):
    "First line of code of a cell, for messages."
    code = code_lines(source).strip() or source.strip()
    return code.splitlines()[0][:90] if code else ''


def skip_reason(cell, skip_flags):
    "Why `nbdev_test` would not run this cell, None if it would (the rules of nbdev.test.test_nb)."
    from nbdev.process import extract_directives
    if cell.cell_type != 'code' or not cell.source.strip(): return 'not code'
    if 'nbdev_export' + '(' in cell.source: return 'nbdev_export'
    directives = extract_directives(cell, remove=False)
    if directives.get('eval:', [''])[0].lower() == 'false': return 'eval: false'
    flags = skip_flags & directives.keys()
    return f"#| {' '.join(sorted(flags))}" if flags else None


def error_text(exc):
    "One-line description of an exception."
    message = ' | '.join(str(exc).strip().splitlines()[:3])   # test_eq's '==:' line alone says nothing
    return f'{type(exc).__name__}: {message[:400]}' if message else type(exc).__name__


def skips_execution(nb_path):
    "Whether the notebook's frontmatter says `skip_exec: true` (nbdev_test then runs none of it)."
    from fastcore.basics import str2bool
    from nbdev.frontmatter import FrontmatterProc
    from nbdev.process import NBProcessor
    fm = getattr(NBProcessor(nb_path, procs=FrontmatterProc, process=True).nb, 'frontmatter_', {})
    return str2bool(fm.get('skip_exec', False))


def execute_notebook(nb, nb_path, skip_flags):
    "Run the cells nbdev_test runs, in the notebook's folder, keeping outputs; the failing cell, if any."
    from execnb.nbio import _dict2obj
    from execnb.shell import CaptureShell
    from fastcore.xtras import working_directory
    shell, count = CaptureShell(nb_path), 0
    with working_directory(nb_path.parent):
        for cell in nb.cells:
            if skip_reason(cell, skip_flags): continue
            count += 1
            outputs = shell.run(code_lines(cell.source))
            cell.outputs, cell.execution_count = _dict2obj(list(outputs)), count
            if shell.exc is not None:
                return [(f'#{cell.src_idx_ + 1}', first_line(cell.source), error_text(shell.exc))]
    return []


# ---------------------------------------------------------------- step 2: nbdev's processors (worker process)

def cell_origin(nb, cell):
    "Number of `cell` in the notebook file (#1..); for a show_doc cell nbdev added, the cell it follows."
    if cell.get('src_idx_') is not None: return f'#{cell.src_idx_ + 1}'
    before = [c.get('src_idx_') for c in nb.cells[:cell.idx_] if c.get('src_idx_') is not None]
    return f'(added by nbdev after #{before[-1] + 1})' if before else '(added by nbdev)'


def mixes_imports(cell):
    "Whether exec_show_docs runs `cell` only for its imports although it holds other code (nbdev warns then)."
    from nbdev.processors import _ast_contains, _do_eval
    trees = cell.parsed_() if cell.cell_type == 'code' else None
    exported = cell.directives_.keys() & {'export', 'exports', 'exporti', 'exec_doc'}
    if not trees or exported or not _do_eval(cell): return False
    imports = _ast_contains(trees, (ast.Import, ast.ImportFrom))
    return bool(imports and _ast_contains(trees, (ast.Expr, ast.Assign)))


def recording_exec_show_docs(skip_flags):
    "nbdev's `exec_show_docs`, noting problems in `nb.show_doc_errors_` and skipping `skip_flags` cells."
    from fastcore.basics import str2bool
    from nbdev.processors import exec_show_docs, _do_eval

    class exec_show_docs_recording(exec_show_docs):
        "Execute the cells needed for show_doc output as nbdev does; note each cell that fails, and go on."
        def __call__(self, cell):
            flags = skip_flags & set(getattr(cell, 'directives_', None) or {})
            skip_all = str2bool(getattr(self.nb, 'frontmatter_', {}).get('skip_showdoc', False))
            runs = hasattr(self, 'k') and self.nb.has_docs_ and not skip_all and _do_eval(cell)
            if flags and runs:
                return self.note(cell, f"not run here, but nbdev_docs runs it (it has an import) although "
                                       f"it is flagged `#| {' '.join(sorted(flags))}`")
            executed_outputs = cell.get('outputs')
            try: super().__call__(cell)
            except Exception as exc:
                self.note(cell, error_text(exc.__cause__ or exc))
                self.k.exc = None
                if executed_outputs is not None: cell.outputs = executed_outputs   # the page shows those
            else:
                if runs and mixes_imports(cell): self.note(cell, 'imports mixed with other code', 'mixed_')

        def note(self, cell, problem, kind='errors_'):
            "Record a problem with `cell`."
            record = (cell_origin(self.nb, cell), first_line(cell.source), problem)
            self.nb[f'show_doc_{kind}'].append(record)
    return exec_show_docs_recording


def nbdev_preprocess(nb, skip_flags):
    "Apply nbdev's docs processors (FilterDefaults) to `nb`; returns the failing and the mixed cells."
    from nbdev.processors import FilterDefaults, exec_show_docs
    recording = recording_exec_show_docs(skip_flags)

    class DocsFilter(FilterDefaults):
        "FilterDefaults (settings.ini skip_procs and procs included) with the recording exec_show_docs."
        def procs(self): return [recording if p is exec_show_docs else p for p in super().procs()]

    nb.show_doc_errors_, nb.show_doc_mixed_ = [], []
    DocsFilter()(nb)
    return nb.show_doc_errors_, nb.show_doc_mixed_


# ---------------------------------------------------------------- step 3: page clean-up (worker process)

def quarto_options(source):
    "Split a processed code cell into its Quarto `#| key: value` options and its code."
    opts, lines = {}, source.splitlines(True)
    while lines and re.match(r'\s*#\|', lines[0]):
        m = re.match(r'\s*#\|\s*([\w-]+)\s*:\s*(.*?)\s*$', lines.pop(0))
        if m: opts[m.group(1)] = m.group(2).strip('"\'').lower()
    return opts, ''.join(lines).strip('\n')


def pandoc_attrs_to_html(attrs):
    "Pandoc link attributes `{.cls #id key=\"v\"}` as HTML attributes."
    classes = re.findall(r'(?<![\w"])\.([\w-]+)', attrs)
    ident = re.findall(r'(?<![\w"])#([\w-]+)', attrs)
    pairs = [(k, v.strip('"')) for k, v in re.findall(r'([\w-]+)=("[^"]*"|\S+)', attrs)]
    parts = [f'{k}="{v}"' for k, v in pairs]
    if classes: parts.append(f'class="{" ".join(classes)}"')
    if ident: parts.append(f'id="{ident[0]}"')
    return ' '.join(parts)


def links_with_attrs_to_html(text):
    "Quarto links with attributes, as show_doc writes `[source](url){target=\"_blank\"}`, as HTML links."
    def html_link(m):
        label, url, attrs = m.groups()
        if label == 'source': attrs += ' .api-source'
        return f'<a href="{url}" {pandoc_attrs_to_html(attrs)}>{label}</a>'
    return re.sub(r'\[([^\]\n]+)\]\(([^)\s]+)\)\{([^}\n]*)\}', html_link, text)


def local_doc_links(text, doc_url, depth):
    "Links into the nbdev website (doc_host + doc_baseurl) pointed at the same page of this site."
    from mkdocs_jupyter.utils import slugify
    up = '../' * depth

    def local(m):
        path, anchor = m.group(1), m.group(2)
        target = (up + ('' if path == 'index' else f'{path}/')) or './'
        return target + (f'#{slugify(anchor)}' if anchor else '')
    return re.sub(re.escape(doc_url.rstrip('/') + '/') + r'([\w/.-]+?)\.html(?:#([^)\s"\']*))?', local, text)


def clean_markdown(text, doc_url, depth):
    "Markdown that nbconvert's renderer shows as Quarto would."
    return local_doc_links(links_with_attrs_to_html(text), doc_url, depth)


def terminal_text(text):
    "Stream text as a terminal shows it: ANSI escapes dropped, each line only after its last carriage return."
    text = re.sub(r'\x1b\[[0-?]*[ -/]*[@-~]', '', text)
    lines = text.split('\n')
    return '\n'.join(line.rstrip('\r').rsplit('\r', 1)[-1] for line in lines)


def output_node(output, doc_url, depth):
    "An execnb output as an nbformat output: markdown cleaned, stream text as a terminal shows it."
    import nbformat
    from execnb.nbio import nb2dict
    node = nbformat.from_dict(nb2dict(output))
    if node.get('output_type') == 'stream': node.text = terminal_text(''.join(node.text))
    if 'text/markdown' in node.get('data', {}):
        node.data['text/markdown'] = clean_markdown(''.join(node.data['text/markdown']), doc_url, depth)
    return node


def has_image(output):
    "Whether an output holds an image."
    return any(m in output.get('data', {}) for m in IMAGE_MIMES)


def asis_markdown(outputs):
    "The markdown Quarto would paste in for an `output: asis` cell."
    parts = []
    for out in outputs:
        data = out.get('data', {})
        if 'text/markdown' in data: parts.append(''.join(data['text/markdown']))
        elif 'text/html' in data: parts.append(''.join(data['text/html']))
        elif out.get('output_type') == 'stream': parts.append(''.join(out.get('text', '')))
    return '\n\n'.join(p.strip('\n') for p in parts if p.strip())


def frontmatter_cell(cell):
    "Markdown `# Title` and description from nbdev's frontmatter raw cell (None if it is none)."
    import nbformat
    from nbdev.frontmatter import _fm2dict
    fm = _fm2dict(cell.source)
    if not fm.get('title'): return None
    description = f"\n\n> {fm['description']}" if fm.get('description') else ''
    return nbformat.v4.new_markdown_cell(f"# {fm['title']}{description}")


def api_name(markdown, code):
    "What a show_doc entry documents: its heading, else the argument of show_doc."
    m = re.search(r'^#{1,6}\s+(.+?)\s*$', markdown, flags=re.MULTILINE)
    m = m or re.match(r'\s*show_doc\(\s*([\w.]+)', code)
    return m.group(1) if m else code.strip()


def asis_cells(code, outputs, echo, api_docs):
    "Page cells for an `output: asis` cell: its markdown as a markdown cell; show_doc names go to `api_docs`."
    import nbformat
    markdown, images = asis_markdown(outputs), [o for o in outputs if has_image(o)]
    cells = [nbformat.v4.new_code_cell(code)] if echo and code else []
    if markdown: cells.append(nbformat.v4.new_markdown_cell(markdown))
    if re.match(r'\s*show_doc\b', code): api_docs.append(api_name(markdown, code))
    hidden = {'tags': ['remove_input']}
    if images: cells.append(nbformat.v4.new_code_cell(code, outputs=images, metadata=hidden))
    return cells


def code_cell_to_page(cell, doc_url, depth, api_docs):
    "Page cells for one processed code cell: none, a code cell, or markdown cells for `output: asis`."
    import nbformat
    opts, code = quarto_options(cell.source)
    if opts.get('include') == 'false': return []
    keep_outputs = opts.get('output') != 'false'
    outputs = [output_node(o, doc_url, depth) for o in cell.get('outputs', [])] if keep_outputs else []
    echo = opts.get('echo') != 'false'
    if opts.get('output') == 'asis': return asis_cells(code, outputs, echo, api_docs)
    if not code and not outputs: return []
    meta = {} if echo and code else {'tags': ['remove_input']}
    return [nbformat.v4.new_code_cell(code, outputs=outputs, execution_count=cell.get('execution_count'),
                                      metadata=meta)]


def page_notebook(nb, doc_url, depth):
    "The notebook mkdocs-jupyter renders, made from one nbdev processed; and its show_doc entries' names."
    import nbformat
    cells, api_docs = [], []
    for cell in nb.cells:
        if cell.cell_type == 'raw':
            title = frontmatter_cell(cell)
            if title: cells.append(title)
        elif cell.cell_type == 'markdown':
            if cell.source.strip().startswith('<!-- WARNING: THIS FILE WAS AUTOGENERATED'): continue
            cells.append(nbformat.v4.new_markdown_cell(clean_markdown(cell.source, doc_url, depth)))
        else: cells.extend(code_cell_to_page(cell, doc_url, depth, api_docs))
    kernelspec = dict(nb.metadata.get('kernelspec', {}))
    page = nbformat.v4.new_notebook(cells=cells, metadata={'kernelspec': kernelspec} if kernelspec else {})
    nbformat.validate(page)
    return page, api_docs


def image_count(page):
    "Number of image outputs a page must show."
    return sum(has_image(o) for c in page.cells if c.cell_type == 'code' for o in c.get('outputs', []))


# ---------------------------------------------------------------- the worker: steps 1-3 for one notebook

def empty_status(nb):
    "Status record of a notebook before anything ran."
    return dict(notebook=nb.rel.as_posix(), page=nb.page.as_posix(), exec_errors=[], proc_errors=[], images=0,
                api=[], crash=None)


def render_notebook(nb):
    "Execute, nbdev-process and clean up one notebook into its page; returns its status record."
    from execnb.nbio import read_nb
    import nbformat
    cfg, started, status = nbdev_config(), time.time(), empty_status(nb)
    os.environ['IN_TEST'] = '1'
    src = read_nb(nb.path)
    for i, cell in enumerate(src.cells): cell.src_idx_ = i
    skip_flags = set(cfg.get('tst_flags', '').split())
    if not skips_execution(nb.path): status['exec_errors'] = execute_notebook(src, nb.path, skip_flags)
    status['exec_seconds'] = round(time.time() - started, 1)
    os.chdir(ROOT)  # nbdev_docs runs its processors where it is started: the repository root
    status['proc_errors'], status['mixed_imports'] = nbdev_preprocess(src, skip_flags)
    page, status['api'] = page_notebook(src, cfg.doc_host.rstrip('/') + cfg.doc_baseurl, nb.depth)
    (PAGES_DIR / nb.page).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(page, PAGES_DIR / nb.page)
    status['images'], status['seconds'] = image_count(page), round(time.time() - started, 1)
    return status


def worker_main(rel):
    "Entry point of a worker process: render notebook `rel` (relative to nbs/) and write its status file."
    nb = next(n for n in find_notebooks() if n.rel.as_posix() == rel)
    try: status = render_notebook(nb)
    except Exception as exc:
        traceback.print_exc()
        status = dict(empty_status(nb), crash=error_text(exc))
    (STATUS_DIR / f'{nb.file_stem}.json').write_text(json.dumps(status, indent=1))
    return 0


# ---------------------------------------------------------------- orchestration (main process)

def run_worker(nb, timeout):
    "Render one notebook in a fresh Python process; its status record (with a crash note if it died)."
    log, status_file = LOG_DIR / f'{nb.file_stem}.log', STATUS_DIR / f'{nb.file_stem}.json'
    started, crash = time.time(), None
    with open(log, 'w') as out:
        try:
            rc = subprocess.run([sys.executable, __file__, '--render-one', nb.rel.as_posix()], cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT, timeout=timeout).returncode
            if rc: crash = f'worker exited with status {rc}'
        except subprocess.TimeoutExpired: crash = f'timed out after {timeout} s'
    status = json.loads(status_file.read_text()) if status_file.exists() else empty_status(nb)
    if crash and not status.get('crash'): status['crash'] = crash
    status['wall_seconds'], status['log'] = round(time.time() - started, 1), str(log.relative_to(ROOT))
    return status


def progress_line(done, total, nb, status):
    "One line of progress for a finished notebook."
    ok = not (status['exec_errors'] or status['proc_errors'] or status.get('crash'))
    return (f"[{done:2d}/{total}] {'ok  ' if ok else 'FAIL'} {status['wall_seconds']:6.1f} s  "
            f"{nb.rel.as_posix():34s} {status['images']} image(s), {len(status['api'])} API entries")


def render_all(notebooks, workers, timeout):
    "Render every notebook, `workers` at a time, biggest first, printing one line as each finishes."
    for folder in (PAGES_DIR, STATUS_DIR, LOG_DIR):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    todo = sorted(notebooks, key=lambda nb: -nb.path.stat().st_size)
    lock, results = threading.Lock(), {}

    def render(nb):
        status = run_worker(nb, timeout)
        with lock:
            results[nb.rel] = status
            print(progress_line(len(results), len(todo), nb, status), flush=True)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool: list(pool.map(render, todo))
    return results


def sidebar(notebooks):
    "mkdocs `nav`: top-level pages and sections, titles from the notebooks."
    nav, sections = [], {}
    for nb in nav_order(notebooks):
        entry = {HOME_TITLE if nb.page == Path('index.ipynb') else nb.title: nb.page.as_posix()}
        if nb.section is None:
            nav.append(entry)
            continue
        if nb.section not in sections:
            sections[nb.section] = []
            nav.append({nb.section: sections[nb.section]})
        sections[nb.section].append(entry)
    return nav


def mkdocs_config(notebooks, cfg):
    "mkdocs.yml text: material theme with sections in the sidebar, mkdocs-jupyter for the pages, no network."
    import yaml
    jupyter = {'execute': False, 'include_source': False, 'no_prompt': True, 'ignore_h1_titles': True,
               'cache': False, 'toc_depth': 3, 'custom_mathjax_url': 'data:text/javascript,',
               'remove_tag_config': {'remove_input_tags': ['remove_input']}}
    config = {
        'site_name': cfg.get('title', cfg.lib_name), 'site_description': cfg.get('description', ''),
        'site_url': cfg.doc_host.rstrip('/') + cfg.doc_baseurl.rstrip('/') + '/',
        'docs_dir': 'docs', 'site_dir': os.path.relpath(SITE, BUILD), 'use_directory_urls': True,
        'theme': {'name': 'material', 'font': False, 'language': 'en',
                  'features': ['navigation.sections', 'navigation.top', 'toc.follow', 'search.highlight'],
                  'palette': {'scheme': 'default', 'primary': 'indigo', 'accent': 'indigo'}},
        'extra_css': ['assets/extra.css'],
        'plugins': ['search', {'mkdocs-jupyter': jupyter}],
        'validation': {'nav': {'omitted_files': 'warn', 'not_found': 'warn'}},
        'nav': sidebar(notebooks),
    }
    header = '# generated by tools/build_docs.py (sections: SECTION_RULES there)\n'
    return header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def build_site(notebooks, cfg):
    "Write _proc/mkdocs.yml, run `mkdocs build --strict` into _site; returns (ok, its warning/error lines)."
    (PAGES_DIR / 'assets').mkdir(parents=True, exist_ok=True)
    (PAGES_DIR / 'assets' / 'extra.css').write_text(EXTRA_CSS)
    MKDOCS_YML.write_text(mkdocs_config(notebooks, cfg))
    shutil.rmtree(SITE, ignore_errors=True)
    cmd = [sys.executable, '-m', 'mkdocs', 'build', '--strict', '-f', str(MKDOCS_YML)]
    res = subprocess.run(cmd, cwd=BUILD, capture_output=True, text=True)
    log = res.stdout + res.stderr
    (LOG_DIR / 'mkdocs.log').write_text(log)
    problems = [line for line in log.splitlines() if re.match(r'\s*(WARNING|ERROR|Error|Aborted)', line)]
    return res.returncode == 0, problems


# ---------------------------------------------------------------- checks on the built site

class PageScan(html.parser.HTMLParser):
    "Counts the images (img, outermost svg that is no icon) and collects the headings of a page's <article>."
    def __init__(self):
        super().__init__()
        self.in_article, self.svg_depth, self.heading, self.images, self.headings = 0, 0, None, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == 'article': self.in_article += 1
        if not self.in_article: return
        attrs = dict(attrs)
        if tag == 'svg': self.svg_depth += 1
        icon = tag == 'svg' and (attrs.get('aria-hidden') == 'true' or 'icon' in (attrs.get('class') or ''))
        if (tag == 'img' or (tag == 'svg' and self.svg_depth == 1)) and not icon: self.images += 1
        if re.fullmatch(r'h[1-6]', tag): self.heading = []

    def handle_endtag(self, tag):
        if tag == 'article': self.in_article -= 1
        if tag == 'svg' and self.svg_depth: self.svg_depth -= 1
        if self.heading is not None and re.fullmatch(r'h[1-6]', tag):
            self.headings.append(''.join(self.heading).replace('¶', '').strip())
            self.heading = None

    def handle_data(self, data):
        if self.heading is not None: self.heading.append(data)


def page_html(nb):
    "The built HTML page of a notebook."
    return SITE / nb.url_dir / 'index.html'


def scan_page(nb):
    "PageScan of a notebook's built page, None if there is no page."
    path = page_html(nb)
    if not path.exists(): return None
    scan = PageScan()
    scan.feed(path.read_text(encoding='utf-8'))
    return scan


def api_key(text):
    "Heading text reduced to lower-case letters and digits, to compare names across markdown rendering."
    return re.sub(r'[\W_]+', '', text.lower())


def api_shown(status, scan):
    "The API entries of a notebook that its page shows as headings."
    headings = {api_key(h) for h in scan.headings} if scan else set()
    return [name for name in status['api'] if api_key(name) in headings]


def findings_for(nb, status, scan):
    "Findings, one line each, for one notebook and its page."
    name, out = f'nbs/{nb.rel.as_posix()}', []
    for cell, line, err in status['exec_errors']:
        out.append(f'{name}: cell {cell} `{line}` failed when executed: {err}')
    for cell, line, err in status['proc_errors']:
        out.append(f'{name}: cell {cell} `{line}`, in nbdev pre-processing (exec_show_docs): {err}')
    if status.get('crash'): out.append(f"{name}: rendering stopped: {status['crash']} ({status.get('log')})")
    if scan is None: return out + [f'{name}: has no page in the site ({page_html(nb).relative_to(ROOT)})']
    if scan.images < status['images']:
        out.append(f"{name}: the notebook made {status['images']} image(s), its page shows {scan.images}")
    shown = api_shown(status, scan)
    missing = [a for a in status['api'] if a not in shown]
    if status['api'] and not shown:
        out.append(f"{name}: the notebook has {len(status['api'])} API entries, its page shows none")
    elif missing: out.append(f"{name}: its page lacks the API docs of {', '.join(missing)}")
    return out


def git_state():
    "`git status --porcelain` lines of the checkout: changed tracked files, untracked files not ignored."
    cmd = ['git', 'status', '--porcelain', '--untracked-files=all']
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True).stdout.splitlines()


def print_summary(notebooks, results, scans, seconds):
    "Table of the pages: section, images (notebook/page), API entries (shown/made), seconds."
    print(f"\n{'page':30s} {'section':22s} {'images':>9s} {'API docs':>9s} {'seconds':>8s}")
    for nb in nav_order(notebooks):
        status, scan = results[nb.rel], scans[nb.rel]
        print(f"{nb.url_dir.as_posix() + '/':30s} {nb.section or HOME_TITLE:22s} "
              f"{status['images']:>4d}/{scan.images if scan else '-':<4} "
              f"{len(api_shown(status, scan)):>4d}/{len(status['api']):<4d} {status['wall_seconds']:8.1f}")
    pages = [s for s in scans.values() if s]
    print(f'{len(notebooks)} notebooks, {len(pages)} pages, {sum(s.images for s in pages)} images, '
          f'{seconds:.0f} s in all')


def print_mixed_imports(notebooks, results):
    "Note (no failure) the cells that passed exec_show_docs but mix imports with other code."
    notes = [f"nbs/{nb.rel.as_posix()}: cell {cell} `{line}`" for nb in nav_order(notebooks)
             for cell, line, _ in results[nb.rel].get('mixed_imports', [])]
    if notes:
        print(f'\nnote: {len(notes)} cell(s) mix imports with other code, so nbdev_docs runs them apart from '
              'their notebook (nbdev warns; they passed here):')
        print('\n'.join(notes))


def build(only, workers, timeout):
    "Render, build and check the site; returns the exit status."
    started, before, cfg = time.time(), git_state(), nbdev_config()
    notebooks = find_notebooks(only)
    if not notebooks: return print('no notebooks found') or 1
    pages = [nb.page for nb in notebooks]
    clashes = sorted({str(p) for p in pages if pages.count(p) > 1})
    if clashes: return print(f'notebooks that would share a page: {clashes}') or 1
    print(f'rendering {len(notebooks)} notebooks, {workers} at a time (logs: _proc/logs/)', flush=True)
    results = render_all(notebooks, workers, timeout)
    print('mkdocs build --strict', flush=True)
    built, mkdocs_problems = build_site(notebooks, cfg)
    findings = [f'mkdocs: {p.strip()}' for p in mkdocs_problems]
    if not built: findings.append('mkdocs build failed (see _proc/logs/mkdocs.log)')
    scans = {nb.rel: scan_page(nb) for nb in notebooks}
    for nb in nav_order(notebooks): findings += findings_for(nb, results[nb.rel], scans[nb.rel])
    findings += [f'the build changed the checkout: {line}' for line in sorted(set(git_state()) ^ set(before))]
    print_summary(notebooks, results, scans, time.time() - started)
    print_mixed_imports(notebooks, results)
    if findings:
        print(f'\n{len(findings)} finding(s):')
        print('\n'.join(findings))
        return 1
    print(f'\nsite built in {SITE.relative_to(ROOT)}/, all checks passed')
    return 0


def main():
    "Command line."
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--only', nargs='+', default=(), metavar='WORD', help='only notebooks whose path has WORD')
    p.add_argument('--workers', type=int, default=min(2, os.cpu_count() or 1), help='notebooks at a time: 2')
    p.add_argument('--timeout', type=int, default=1800, help='seconds one notebook may take: 1800')
    p.add_argument('--screenshots', metavar='DIR', help='screenshot the built _site into DIR (no build)')
    p.add_argument('--render-one', metavar='NOTEBOOK', help=argparse.SUPPRESS)   # a worker process
    args = p.parse_args()
    os.chdir(ROOT)
    os.environ['PYTHONPATH'] = os.pathsep.join([str(ROOT)] + [x for x in [os.environ.get('PYTHONPATH')] if x])
    if args.render_one: return worker_main(args.render_one)
    if args.screenshots:
        from screenshot_docs import take_screenshots
        return take_screenshots(args.screenshots)
    return build(args.only, args.workers, args.timeout)


if __name__ == '__main__':
    if str(ROOT) not in sys.path: sys.path.insert(0, str(ROOT))   # this checkout's emodiary
    sys.exit(main())
