"""Build the documentation site without Quarto: nbdev processes the notebooks (`nbdev_proc_nbs`: directives,
`show_doc`, sidebar) into `_proc/`, then `smalldocs` renders that folder from its unchanged `_quarto.yml`, and
the site is moved to the `doc_path` of `settings.ini` (`_docs/`), as `nbdev_docs` does.

The site works offline, from a folder, a zip or any host: nbdev's links to `doc_host` + `doc_baseurl` become
relative links, and the maths is MathML written by Pandoc (`--mathml`, from the `pypandoc_binary` wheel)
instead of TeX that KaTeX would typeset from a CDN. `thesis/docs_check.py` checks the result in a browser.

Usage: `python thesis/docs_build.py`. Where Quarto is installed, `nbdev_docs` builds the same pages, but
with maths from a CDN and links to `doc_host`."""

import html
import json
import re
import shutil
import os
import sys
from pathlib import Path
from unittest import mock
from urllib.parse import urljoin

import yaml


def proc_nbs(n_workers: int = 1) -> Path:
    "Run `nbdev_proc_nbs` into a fresh `_proc/`, without its Quarto download; return `_proc`."
    import nbdev.quarto
    from nbdev.config import get_config
    shutil.rmtree(get_config().config_path / '_proc', ignore_errors=True)  # renamed pages defeat its cache
    # `_pre_docs` calls `_ensure_quarto`, which downloads Quarto from GitHub; smalldocs renders instead.
    # nbdev's workers are spawned: an environment variable reaches them, a warnings filter here would not
    quiet = {'PYTHONWARNINGS': 'ignore:Found cells containing imports and other code'}
    with mock.patch.object(nbdev.quarto, '_ensure_quarto', lambda: None), mock.patch.dict(os.environ, quiet):
        nbdev.quarto.nbdev_proc_nbs.__wrapped__(n_workers=n_workers)
    return get_config().config_path / '_proc'


def _subtitle(nb: Path) -> str | None:
    "The whole `> subtitle` under a notebook's `# title`, its lines joined."
    cells = json.loads(nb.read_text()).get('cells', [])
    md = next((''.join(c['source']) for c in cells if c['cell_type'] == 'markdown'), '')
    m = re.search(r'^# .*\n+((?:>.*\n?)+)', md, re.M)
    return ' '.join(line.lstrip('>').strip() for line in m.group(1).splitlines()) if m else None


def whole_subtitles(proc: Path, nbs: Path) -> int:
    "nbdev keeps only the first line of a `> subtitle` as the page's description: put back the rest."
    n = 0
    for nb in proc.rglob('*.ipynb'):
        src, full = nbs / nb.relative_to(proc), None
        if src.exists(): full = _subtitle(src)
        d = json.loads(nb.read_text())
        cells = d.get('cells', [])
        if not full or not cells or cells[0]['cell_type'] != 'raw': continue
        fm = yaml.safe_load(''.join(cells[0]['source']).strip().strip('-')) or {}
        if fm.get('description') in (None, full): continue
        fm['description'] = full
        cells[0]['source'] = f'---\n{yaml.dump(fm)}\n---\n\n'
        nb.write_text(json.dumps(d, indent=1, ensure_ascii=False))
        n += 1
    return n


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


def site_url() -> str:
    "The address nbdev writes in front of its links to documented symbols: `doc_host` + `doc_baseurl`."
    from nbdev.config import get_config
    cfg = get_config()
    return urljoin(cfg.doc_host + '/', cfg.doc_baseurl).rstrip('/')


def relative_links(proc: Path, base: str) -> int:
    "Make nbdev's links to `base` (the hosted site) relative to each processed notebook; return how many."
    pat = re.compile(re.escape(base) + r'(/[^\s"\'<>)\\]*)?')
    total = 0
    for nb in proc.rglob('*.ipynb'):
        up = '../' * (len(nb.relative_to(proc).parts) - 1)
        text, n = pat.subn(lambda m: up + ((m.group(1) or '/')[1:] or 'index.html'), nb.read_text())
        if n: nb.write_text(text)
        total += n
    return total


MATH = re.compile(r'<span class="math (inline|display)">\\[(\[](.*?)\\[)\]]</span>', re.S)
TAG = re.compile(r'\\tag\*?\{([^{}]*)\}')  # Pandoc's MathML drops `\tag`: we write the label beside the maths


def _pandoc_mathml(formulas: list[tuple[str, str]]) -> list[str | None]:
    "MathML for each (kind, TeX) in one Pandoc call; None where Pandoc could not read the TeX."
    import pypandoc
    if not formulas: return []
    api = json.loads(pypandoc.convert_text('', 'json', format='markdown'))['pandoc-api-version']
    kinds = {'inline': 'InlineMath', 'display': 'DisplayMath'}
    blocks = [{'t': 'Para', 'c': [{'t': 'Math', 'c': [{'t': kinds[k]}, tex]}]} for k, tex in formulas]
    doc = json.dumps({'pandoc-api-version': api, 'meta': {}, 'blocks': blocks})
    out = pypandoc.convert_text(doc, 'html', format='json', extra_args=['--mathml', '--wrap=none'])
    paras = re.findall(r'<p>(.*?)</p>', out, re.S)
    assert len(paras) == len(formulas), f'Pandoc wrote {len(paras)} paragraphs for {len(formulas)} formulas'
    return [p if p.startswith('<math') else None for p in paras]


def mathml(pages: dict) -> tuple[int, list[str]]:
    "Put MathML for the TeX in the maths of `pages` (path -> HTML), in place; return (formulas, failures)."
    found = {}  # (kind, TeX) -> MathML, converted once for the whole site
    for text in pages.values():
        for kind, tex in MATH.findall(text): found.setdefault((kind, TAG.sub('', html.unescape(tex))), None)
    found = dict(zip(found, _pandoc_mathml(list(found))))
    failed = []

    def swap(m: re.Match, page: Path) -> str:
        kind, tex = m.group(1), html.unescape(m.group(2))
        out = found.get((kind, TAG.sub('', tex)))
        if out is None:
            failed.append(f'{page.name}: {tex}')
            return m.group(0)
        tag = TAG.search(tex)
        label = f'<span class="math-tag">({html.escape(tag.group(1))})</span>' if tag else ''
        return f'<span class="math {kind}">{out}{label}</span>'

    for page, text in pages.items(): pages[page] = MATH.sub(lambda m: swap(m, page), text)
    return len(found), failed


LINK = re.compile(r'<a href="([^"#:]*)#([^"]+)">(.*?)</a>', re.S)  # a local link with an anchor


def fix_anchors(pages: dict) -> int:
    "Point nbdev's links to undocumented symbols at what is documented, in place; return how many changed."
    ids = {p: set(re.findall(r' id="([^"]+)"', t)) for p, t in pages.items()}
    changed = 0

    def fix(m: re.Match, page: Path) -> str:
        nonlocal changed
        href, frag, inner = m.groups()
        target = (page.parent / href).resolve() if href else page
        if target not in ids or frag in ids[target]: return m.group(0)
        changed += 1
        while '.' in frag:  # a method without an entry of its own: its class (`schema.fit` -> `schema`)
            frag = frag.rsplit('.', 1)[0]
            if frag in ids[target]: return f'<a href="{href}#{frag}">{inner}</a>'
        return inner  # a private helper: documented nowhere, so no link

    for page, text in pages.items(): pages[page] = LINK.sub(lambda m: fix(m, page), text)
    return changed


def toc_maths(text: str) -> str:
    "Show the maths of a heading in its table-of-contents entry too (smalldocs writes the bare TeX there)."
    heads = dict(re.findall(r'<h\d[^>]* data-anchor-id="([^"]+)">(.*?)</h\d>', text, re.S))

    def entry(m: re.Match) -> str:
        inner = heads.get(m.group(2), '')
        return m.group(1) + inner + m.group(3) if '<math' in inner else m.group(0)

    nav = re.search(r'<nav id="TOC".*?</nav>', text, re.S)
    if not nav: return text
    new = re.sub(r'(<a href="#([^"]+)"[^>]*>)(?:(?!</a>).)*(</a>)', entry, nav.group(0), flags=re.S)
    return text[:nav.start()] + new + text[nav.end():]


def offline(site: Path) -> str:
    "Make the site need no network (MathML, no KaTeX, no web fonts) and find every anchor; return a summary."
    from smalldocs.layout import KATEX
    pages = {p.resolve(): p.read_text(encoding='utf-8') for p in site.rglob('*.html')}
    before = dict(pages)
    n_math, failed = mathml(pages)
    for f in failed: print(f'Pandoc could not read this TeX, left as it was: {f}', file=sys.stderr)
    n_anchors = fix_anchors(pages)
    for page, text in pages.items(): pages[page] = toc_maths(text)
    katex = re.compile(r'<link[^>]*href="' + re.escape(KATEX) + r'[^"]*"[^>]*>|<script[^>]*src="'
                       + re.escape(KATEX) + r'[^"]*"[^>]*>\s*</script>')
    for page, text in pages.items():
        text = katex.sub('', text)
        if text != before[page]: page.write_text(text, encoding='utf-8')
    for css in site.rglob('*.css'):  # Bootswatch themes @import web fonts: their fallbacks are local
        text = css.read_text(encoding='utf-8')
        new = re.sub(r'@import\s+url\(\s*["\']?(?:https?:)?//[^)]*\)[^;]*;', '', text)
        if new != text: css.write_text(new, encoding='utf-8')
    return f'{n_math} formulas as MathML, {n_anchors} links to undocumented anchors fixed'


def build_docs(n_workers: int = 1) -> Path:
    "Process the notebooks, render the site with smalldocs and move it to `doc_path`; return that folder."
    from nbdev.config import get_config
    from smalldocs.site import build
    cfg = get_config()
    proc = proc_nbs(n_workers)
    whole_subtitles(proc, cfg.nbs_path)
    apply_output_files(proc)
    n_links = relative_links(proc, site_url())
    site = build(proc, quiet=True)
    for w in site.warnings: print(f'smalldocs warning: {w}', file=sys.stderr)
    print(f'docs: {n_links} links made relative, {offline(site.out)}')
    dest = cfg.doc_path
    shutil.rmtree(dest, ignore_errors=True)
    shutil.move(str(site.out), str(dest))
    return dest


if __name__ == '__main__':
    out = build_docs()
    print(f'docs: {out} ({len(list(out.rglob("*.html")))} HTML pages)')
