"""Build the documentation site without Quarto: nbdev processes the notebooks (`nbdev_proc_nbs`: directives,
`show_doc`, sidebar) into `_proc/`, then `smalldocs` renders that folder from its unchanged `_quarto.yml`, and
the site is moved to the `doc_path` of `settings.ini` (`_docs/`), as `nbdev_docs` does.

Usage: `python thesis/docs_build.py`. Where Quarto is installed, `nbdev_docs` builds the same site."""

import json
import shutil
import sys
from pathlib import Path
from unittest import mock

import yaml


def proc_nbs(n_workers: int = 1) -> Path:
    "Run `nbdev_proc_nbs` into a fresh `_proc/`, without its Quarto download; return `_proc`."
    import nbdev.quarto
    from nbdev.config import get_config
    shutil.rmtree(get_config().config_path / '_proc', ignore_errors=True)  # renamed pages defeat its cache
    # `_pre_docs` calls `_ensure_quarto`, which downloads Quarto from GitHub; smalldocs renders instead.
    with mock.patch.object(nbdev.quarto, '_ensure_quarto', lambda: None):
        nbdev.quarto.nbdev_proc_nbs.__wrapped__(n_workers=n_workers)
    return get_config().config_path / '_proc'


def _output_file(nb: Path) -> str | None:
    "The `output-file` that nbdev wrote into a processed notebook's front matter, if any."
    cells = json.loads(nb.read_text()).get('cells', [])
    src = ''.join(cells[0]['source']) if cells and cells[0]['cell_type'] == 'raw' else ''
    if not src.startswith('---'): return None
    meta = yaml.safe_load(src.strip().strip('-')) or {}
    return meta.get('output-file')


def apply_output_files(proc: Path) -> dict:
    "Rename processed notebooks to their `output-file` (smalldocs names pages by file, Quarto by this key)."
    sidebar = proc / 'sidebar.yml'
    text = sidebar.read_text() if sidebar.exists() else ''
    moved = {}
    for nb in sorted(proc.rglob('*.ipynb')):
        out = _output_file(nb)
        if not out or Path(out).stem == nb.stem: continue
        new = nb.with_name(Path(out).stem + '.ipynb')
        nb.rename(new)
        old_rel, new_rel = str(nb.relative_to(proc)), str(new.relative_to(proc))
        text = text.replace(f' {old_rel}\n', f' {new_rel}\n')
        moved[old_rel] = new_rel
    if sidebar.exists(): sidebar.write_text(text)
    return moved


def build_docs(n_workers: int = 1) -> Path:
    "Process the notebooks, render the site with smalldocs and move it to `doc_path`; return that folder."
    from nbdev.config import get_config
    from smalldocs.site import build
    cfg = get_config()
    proc = proc_nbs(n_workers)
    apply_output_files(proc)
    site = build(proc, quiet=True)
    for w in site.warnings: print(f'smalldocs warning: {w}', file=sys.stderr)
    dest = cfg.doc_path
    shutil.rmtree(dest, ignore_errors=True)
    shutil.move(str(site.out), str(dest))
    return dest


if __name__ == '__main__':
    out = build_docs()
    print(f'docs: {out} ({len(list(out.rglob("*.html")))} HTML pages)')
