"""Render the thesis without Quarto: execute each chapter, turn it into Pandoc Markdown, then Pandoc makes a
standalone HTML file and a Typst file that the `typst` wheel compiles to PDF.

The sources stay a valid Quarto book (the root `_quarto.yml`), so `quarto render` also works where
Quarto is installed. Prose quotes computed numbers with Quarto's inline code, `` `{python} expr` ``: each such
paragraph runs in the kernel as a hidden cell that returns the `str` of its expressions, in order.
Usage: `python thesis/build.py [--out _thesis] [--chapters 06_experiments.qmd ...] [--no-pdf]`."""

import base64
import datetime
import re
from pathlib import Path

import nbformat
import yaml
from fastcore.script import Param, call_parse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent  # the book's `_quarto.yml` and `index.qmd`; chapters are thesis/*.qmd
FENCE = re.compile(r'^```\{python[^}]*\}\s*\n(.*?)^```\s*$', re.S | re.M)
FRONT = re.compile(r'\A---\s*\n(.*?)\n---\s*\n', re.S)
HEADING = re.compile(r'^#{1,4} +(.+?) +\{#((?:sec|fig|tbl)-[\w-]+)[^}]*\}\s*$', re.M)
XREF = re.compile(r'(?<![\w@])@((sec|fig|tbl)-[\w-]+)')
INLINE = re.compile(r'`\{python\}\s+([^`]+?)\s*`')  # Quarto's inline code
INLINE_MIME = 'application/vnd.tabdiffusion.inline+json'


def book_config(root: Path = ROOT) -> dict:
    "The parsed `_quarto.yml` of the book in `root`."
    return yaml.safe_load((root / '_quarto.yml').read_text())


def prose_cell(prose: str) -> nbformat.NotebookNode:
    "A Markdown cell, or for prose with inline code a code cell that displays the `str` of each expression."
    exprs = INLINE.findall(prose)
    if not exprs: return nbformat.v4.new_markdown_cell(prose)
    values = '[str(v) for v in (' + ' '.join(f'({e}),' for e in exprs) + ')]'
    cell = nbformat.v4.new_code_cell(f"__import__('IPython').display.display({{{INLINE_MIME!r}: {values}}}, "
                                     'raw=True)')
    cell.metadata['prose'] = prose
    return cell


def fill_prose(cell) -> str:
    "The prose of an executed `prose_cell` with each inline expression replaced by its value."
    found = [o.data[INLINE_MIME] for o in cell.get('outputs', []) if INLINE_MIME in o.get('data', {})]
    values = iter(found[0])
    return INLINE.sub(lambda m: next(values), cell.metadata['prose'])


def qmd_to_notebook(text: str) -> nbformat.NotebookNode:
    "A notebook from a `.qmd` page: ```` ```{python} ```` chunks become code cells, the rest `prose_cell`s."
    nb = nbformat.v4.new_notebook()
    m = FRONT.match(text)
    if m:
        nb.metadata['front_matter'] = yaml.safe_load(m.group(1)) or {}
        text = text[m.end():]
    pos = 0
    for chunk in FENCE.finditer(text):
        prose = text[pos:chunk.start()]
        if prose.strip(): nb.cells.append(prose_cell(prose))
        nb.cells.append(nbformat.v4.new_code_cell(chunk.group(1).rstrip('\n')))
        pos = chunk.end()
    if text[pos:].strip(): nb.cells.append(prose_cell(text[pos:]))
    return nb


def read_chapter(path: Path) -> nbformat.NotebookNode:
    "A chapter as a notebook, from a `.qmd` or an `.ipynb` file."
    if path.suffix == '.ipynb': return nbformat.read(path, as_version=4)
    return qmd_to_notebook(path.read_text())


def execute(nb: nbformat.NotebookNode, cwd: Path, timeout: int = 600) -> nbformat.NotebookNode:
    "Run `nb`'s code cells in a fresh `python3` kernel whose working folder is `cwd`, as Quarto does."
    if not any(c.cell_type == 'code' for c in nb.cells): return nb
    from nbclient import NotebookClient
    NotebookClient(nb, kernel_name='python3', timeout=timeout, allow_errors=False,
                   resources={'metadata': {'path': str(cwd)}}).execute()
    return nb


def cell_options(source: str) -> dict:
    "Quarto's `#| key: value` options at the top of a code cell."
    lines = []
    for line in source.splitlines():
        if not line.startswith('#|'): break
        lines.append(line[2:].strip())
    return yaml.safe_load('\n'.join(lines)) or {} if lines else {}


def _image(png: str, fig_dir: Path, name: str, opts: dict, first: bool) -> str:
    "Save a base64 PNG output into `fig_dir` and return its Markdown figure."
    fig_dir.mkdir(parents=True, exist_ok=True)
    (fig_dir / f'{name}.png').write_bytes(base64.b64decode(png))
    label = f'#{opts["label"]} ' if first and str(opts.get('label', '')).startswith('fig-') else ''
    cap = opts.get('fig-cap', '') if first else ''
    return f'![{cap}]({fig_dir.name}/{name}.png){{{label}width=100%}}\n'


def _outputs(cell, opts: dict, fig_dir: Path, stem: str) -> list:
    "Markdown for the outputs of one executed code cell."
    parts, n_img = [], 0
    for i, out in enumerate(cell.get('outputs', [])):
        data = out.get('data', {})
        if out.output_type == 'stream':
            if out.name == 'stdout' and out.text.strip(): parts.append(f'```\n{out.text.rstrip()}\n```\n')
        elif 'image/png' in data:
            name = f'{stem}-{cell.get("id", i)}-{i}'
            parts.append(_image(data['image/png'], fig_dir, name, opts, n_img == 0))
            n_img += 1
        elif 'text/markdown' in data: parts.append(data['text/markdown'].rstrip() + '\n')
        elif out.output_type == 'execute_result' and 'text/plain' in data:
            parts.append(f'```\n{data["text/plain"]}\n```\n')
    return parts


def notebook_to_markdown(nb: nbformat.NotebookNode, fig_dir: Path, stem: str, echo: bool = False) -> str:
    "Pandoc Markdown of an executed chapter: Markdown cells, each code cell's code (if `echo`) and outputs."
    parts = []
    for cell in nb.cells:
        if cell.cell_type == 'markdown': parts.append(cell.source.rstrip() + '\n')
        elif 'prose' in cell.metadata: parts.append(fill_prose(cell).rstrip() + '\n')
        elif cell.cell_type == 'code':
            opts = cell_options(cell.source)
            if opts.get('include') is False: continue
            if opts.get('echo', echo):
                code = '\n'.join(l for l in cell.source.splitlines() if not l.startswith('#|'))
                parts.append(f'```python\n{code}\n```\n')
            if opts.get('output', True) is not False: parts += _outputs(cell, opts, fig_dir, stem)
    return '\n'.join(parts)


def resolve_xrefs(md: str, sources: str = '') -> str:
    "Quarto's `@sec-x`/`@fig-x`/`@tbl-x` references as Pandoc links (Pandoc would read them as citations)."
    found = HEADING.findall(sources + '\n' + md)
    titles = {key: re.sub(r'\{.*?\}', '', title).strip() for title, key in found}
    kinds = {'sec': None, 'fig': 'Figure', 'tbl': 'Table'}
    def link(m):
        key, kind = m.group(1), m.group(2)
        text = kinds[kind] or titles.get(key, key)
        return f'[{text}](#{key})' if '{#' + key in md else f'*{text}*'
    return XREF.sub(link, md)


def chapter_markdown(path: Path, out: Path, echo: bool = False) -> str:
    "Execute one chapter (`.qmd` or `.ipynb`) and return its Pandoc Markdown; figures go to `out/figures`."
    nb = execute(read_chapter(path), path.parent)
    md = notebook_to_markdown(nb, out / 'figures', path.stem, echo)
    title = nb.metadata.get('front_matter', {}).get('title')
    return (f'# {title}\n\n' if title else '') + md


def metadata(cfg: dict) -> dict:
    "Pandoc metadata (title page, bibliography, citation style) from the book's `_quarto.yml`."
    book = cfg.get('book', {})
    meta = {k: book[k] for k in ('title', 'subtitle', 'author') if k in book}
    meta['date'] = str(book.get('date', datetime.date.today().isoformat()))
    meta['bibliography'] = str(ROOT / cfg.get('bibliography', 'thesis/references.bib'))
    meta['link-citations'] = True
    meta['lang'] = cfg.get('lang', 'en')
    return meta


def _pandoc(md: str, to: str, outfile: Path, meta: dict, extra: list) -> None:
    "Run the `pypandoc_binary` Pandoc on `md`."
    import pypandoc
    args = ['--standalone', '--citeproc', '--toc', '--number-sections', f'--resource-path={outfile.parent}']
    args += [f'--metadata={k}:{v}' for k, v in meta.items() if k in ('date', 'lang', 'link-citations')]
    head = yaml.safe_dump({k: v for k, v in meta.items() if k not in ('date', 'lang', 'link-citations')})
    pypandoc.convert_text(f'---\n{head}---\n\n{md}', to, format='markdown', outputfile=str(outfile),
                          extra_args=args + extra)


def render_html(md: str, out: Path, meta: dict) -> Path:
    "A single standalone HTML file with the figures and the stylesheet embedded."
    path = out / 'thesis.html'
    css = [f'--css={HERE / f}' for f in ('standalone.css', 'thesis.css')]
    _pandoc(md, 'html5', path, meta, ['--embed-resources', '--mathml', *css])
    return path


def render_pdf(md: str, out: Path, meta: dict) -> Path:
    "A PDF: Pandoc writes Typst, the `typst` wheel compiles it (no LaTeX, no Quarto)."
    import typst
    typ = out / 'thesis.typ'
    opts = ['-V', 'papersize=a4', '-V', 'fontsize=11pt', '-V', 'section-numbering=1.1']
    _pandoc(md, 'typst', typ, meta, opts + [f'--include-in-header={HERE / "typst-header.typ"}'])
    pdf = out / 'thesis.pdf'
    typst.compile(str(typ), output=str(pdf), root=str(out))
    return pdf


def build(out: Path | str = '_thesis',  # output folder
          chapters: list | None = None,  # chapter paths from the root (thesis/06_experiments.qmd); default: all
          html: bool = True, pdf: bool = True) -> dict:
    "Render `chapters` (default: the book's, in order) into `out/thesis.md`, `thesis.html` and `thesis.pdf`."
    cfg = book_config()
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    names = chapters or cfg['book']['chapters']
    echo = cfg.get('execute', {}).get('echo', False)
    sources = '\n'.join(p.read_text() for p in [ROOT / 'index.qmd', *sorted(HERE.glob('*.qmd'))])
    md = resolve_xrefs('\n\n'.join(chapter_markdown(ROOT / n, out, echo) for n in names), sources)
    (out / 'thesis.md').write_text(md)
    meta, res = metadata(cfg), {'md': out / 'thesis.md'}
    if html: res['html'] = render_html(md, out, meta)
    if pdf: res['pdf'] = render_pdf(md, out, meta)
    return res


@call_parse
def main(out:str='_thesis', # output folder
         chapters:Param("chapter paths such as thesis/06_experiments.qmd (default: all, from _quarto.yml)", str,
                        nargs='*')=None,
         html:bool=True, # write the HTML file; --no-html skips it
         pdf:bool=True, # write the PDF file; --no-pdf skips it
        ):
    "Render the thesis to HTML and PDF without Quarto."
    for kind, path in build(out, chapters, html=html, pdf=pdf).items(): print(f'{kind}: {path}')
