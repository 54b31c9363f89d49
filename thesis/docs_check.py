"""Check the documentation site as a reader meets it, offline: build it (`docs_build.py`), then read every
page twice. First as files: every local link, anchor and image must exist, no link may point at the hosted
site (`doc_host`), no page or stylesheet may load anything from another host, and no raw TeX may be left in
the text. Then in headless Chromium (Debian's `chromium`), driven over the DevTools protocol with tornado's
websocket client (tornado comes with ipykernel): every image must decode, no request may leave the site (the
browser gets a dead proxy, so none could succeed anyway), no script may fail, and no raw TeX may show once the
page has run. Without Chromium the browser half is skipped with a loud warning; the file half always runs.

Usage: `python thesis/docs_check.py [--no-build] [--site _docs] [--screenshots DIR] [--verbose]`; exits 1 on
any failure. `--verbose` also lists, per page, the code blocks that scroll sideways at 1,300 px."""

import argparse
import asyncio
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).parent))
import docs_build  # noqa: E402  (beside this file)

# TeX that was not turned into maths: \( \[ $$, $..\cmd..$, and a bare command such as \mid or \alpha
RAW_TEX = re.compile(r'\\\(|\\\[|\$\$|\$[^$\s][^$]*?\\[A-Za-z]+[^$]*?\$|(?<![\\\w])\\[A-Za-z]{2,}\b')
EXTERNAL = re.compile(r'^(?:[a-z][a-z0-9+.-]*:)?//', re.I)  # http://, https://, protocol-relative //
LOADS = {'script': ['src'], 'link': ['href'], 'img': ['src', 'srcset'], 'source': ['src', 'srcset'],
         'iframe': ['src'], 'video': ['src', 'poster'], 'audio': ['src'], 'embed': ['src'],
         'object': ['data'], 'track': ['src'], 'input': ['src']}  # the attributes that make a browser fetch
SKIP_TEXT = {'script', 'style', 'pre', 'code', 'math', 'textarea'}  # text that is not prose
LOAD_RELS = {'stylesheet', 'icon', 'preload', 'modulepreload', 'manifest'}  # <link>s that the browser fetches
SHOTS = ['index.html', 'tutorials/quick_start.html', 'gaussian.html', 'tutorials/diffusion_explained.html']


class Page(HTMLParser):
    "What the file half needs from one page: ids, links, loaded resources and the prose text."
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.loads, self.text, self.styles, self._skip = set(), [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get('id'): self.ids.add(a['id'])
        if tag == 'a' and a.get('name'): self.ids.add(a['name'])
        if tag == 'a' and a.get('href'): self.links.append(a['href'])
        for key in LOADS.get(tag, []):
            if not a.get(key): continue
            if tag == 'link' and not set((a.get('rel') or '').split()) & LOAD_RELS: continue
            urls = [u.split()[0] for u in a[key].split(',') if u.strip()] if key == 'srcset' else [a[key]]
            self.loads += urls
        if a.get('style'): self.styles.append(a['style'])
        if tag in SKIP_TEXT: self._skip.append(tag)

    def handle_endtag(self, tag):
        if tag in self._skip:
            while self._skip and self._skip.pop() != tag: pass

    def handle_data(self, data):
        if self._skip and self._skip[-1] == 'style': self.styles.append(data)
        elif not self._skip: self.text.append(data)


def css_urls(css: str) -> list[str]:
    "Every address a stylesheet loads: `url(...)` and `@import`."
    return [m.group(1) or m.group(2) for m in
            re.finditer(r'url\(\s*["\']?([^"\')]+)["\']?\s*\)|@import\s+["\']([^"\']+)["\']', css)]


def check_files(site: Path, host: str) -> list[str]:
    "The file half: links, anchors, images, external loads, links to the hosted site, raw TeX."
    pages, errors = {}, []
    for f in sorted(site.rglob('*.html')):
        p = Page()
        p.feed(f.read_text(encoding='utf-8'))
        pages[f] = p
    for f, p in pages.items():
        rel = f.relative_to(site)
        for url in p.loads + [u for s in p.styles for u in css_urls(s)]:
            if EXTERNAL.match(url): errors.append(f'{rel}: loads from another host: {url}')
            elif not url.startswith(('data:', 'blob:', '#')) and not _target(site, f, url).exists():
                errors.append(f'{rel}: missing file {url}')
        for href in p.links:
            if host and href.startswith(host):
                errors.append(f'{rel}: links to the hosted site, not within it: {href}')
            if EXTERNAL.match(href) or href.startswith(('mailto:', 'javascript:', 'data:')): continue
            path, _, frag = href.partition('#')
            target = _target(site, f, path) if path else f
            if target.is_dir(): target = target / 'index.html'
            if not target.exists(): errors.append(f'{rel}: broken link {href}')
            elif frag and target in pages and unquote(frag) not in pages[target].ids:
                errors.append(f'{rel}: broken anchor {href}')
        for m in RAW_TEX.finditer(text := ' '.join(p.text)):
            errors.append(f'{rel}: raw TeX in the text: ...{text[max(0, m.start() - 30):m.end() + 30]}...')
    for css in site.rglob('*.css'):
        for url in css_urls(css.read_text(encoding='utf-8', errors='replace')):
            if EXTERNAL.match(url): errors.append(f'{css.relative_to(site)}: loads from another host: {url}')
    return errors


def _target(site: Path, page: Path, url: str) -> Path:
    "The file a relative address on `page` names (a leading `/` is the site's root)."
    path = unquote(urlsplit(url).path)
    return (site / path.lstrip('/')) if path.startswith('/') else (page.parent / path).resolve()


def find_chromium() -> str | None:
    "Chromium's command: `$CHROMIUM`, else the first of Debian's and Google's names on the PATH."
    names = [os.environ.get('CHROMIUM', ''), 'chromium', 'chromium-browser', 'google-chrome', 'chrome']
    return next((shutil.which(n) for n in names if n and shutil.which(n)), None)


# What the browser half asks each page once it has loaded: raw TeX in the prose, images that did not decode,
# maths that takes no space, and code blocks that scroll sideways (reported, not failed).
PROBE = """(() => {
  const skip = 'pre, code, script, style, math, textarea';
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), tex = [];
  const re = new RegExp(%s);
  for (let n = w.nextNode(); n; n = w.nextNode())
    if (!n.parentElement.closest(skip) && re.test(n.data)) tex.push(n.data.trim().slice(0, 80));
  const imgs = [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);
  const flat = [...document.querySelectorAll('math')].filter(m => !m.getBoundingClientRect().width).length;
  const wide = [...document.querySelectorAll('main pre')].filter(p => p.scrollWidth > p.clientWidth + 1)
    .map(p => p.innerText.split('\\n').reduce((a, b) => b.length > a.length ? b : a, '').slice(0, 70));
  return JSON.stringify({tex, imgs, flat, wide, maths: document.querySelectorAll('math').length});
})()""" % json.dumps(RAW_TEX.pattern)


class Browser:
    "Headless Chromium over the DevTools protocol: one tab, commands by id, events kept per tab."
    def __init__(self, exe: str):
        self.exe, self.n, self.waiting, self.events = exe, 0, {}, []

    async def start(self):
        from tornado.websocket import websocket_connect
        self.profile = tempfile.mkdtemp(prefix='docs_check_')
        args = [self.exe, '--headless', '--disable-gpu', '--hide-scrollbars', '--no-first-run',
                '--disable-dev-shm-usage', '--remote-debugging-port=0', f'--user-data-dir={self.profile}',
                '--proxy-server=127.0.0.1:9', '--proxy-bypass-list=<-loopback>',  # dead: nothing leaves
                '--allow-file-access-from-files', 'about:blank']
        if os.geteuid() == 0: args.insert(1, '--no-sandbox')  # Chromium refuses root without it
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / 'DevToolsActivePort'
        for _ in range(300):
            if port_file.exists() and len(port_file.read_text().split()) == 2: break
            await asyncio.sleep(0.1)
        port, path = port_file.read_text().split()
        self.ws = await websocket_connect(f'ws://127.0.0.1:{port}{path}', max_message_size=256 << 20)
        self.reader = asyncio.ensure_future(self._read())
        target = await self.call('Target.createTarget', url='about:blank')
        attached = await self.call('Target.attachToTarget', targetId=target['targetId'], flatten=True)
        self.session = attached['sessionId']
        for domain in ['Page', 'Network', 'Runtime']: await self.call(f'{domain}.enable', session=True)
        await self.call('Emulation.setDeviceMetricsOverride', session=True, width=1300, height=900,
                        deviceScaleFactor=1, mobile=False)

    async def _read(self):
        while (msg := await self.ws.read_message()) is not None:
            m = json.loads(msg)
            if 'id' in m and m['id'] in self.waiting: self.waiting.pop(m['id']).set_result(m)
            elif 'method' in m: self.events.append(m)

    async def call(self, method: str, session: bool = False, **params) -> dict:
        self.n += 1
        fut = self.waiting[self.n] = asyncio.get_running_loop().create_future()
        msg = {'id': self.n, 'method': method, 'params': params}
        if session: msg['sessionId'] = self.session
        await self.ws.write_message(json.dumps(msg))
        m = await asyncio.wait_for(fut, 30)
        if 'error' in m: raise RuntimeError(f'{method}: {m["error"]}')
        return m.get('result', {})

    async def visit(self, url: str) -> list[dict] | None:
        "Open `url`, wait for its load event and a quiet moment; return the events it caused (None: no load)."
        self.events.clear()
        await self.call('Page.navigate', session=True, url=url)
        for _ in range(300):
            if any(e['method'] == 'Page.loadEventFired' for e in self.events): break
            await asyncio.sleep(0.05)
        else: return None
        await asyncio.sleep(0.2)  # deferred scripts and late requests
        return list(self.events)

    async def evaluate(self, js: str):
        r = await self.call('Runtime.evaluate', session=True, expression=js, returnByValue=True)
        if 'exceptionDetails' in r: raise RuntimeError(f'the probe failed: {r["result"].get("description")}')
        return r['result'].get('value')

    async def screenshot(self, dest: Path):
        "A PNG of the whole page at 1,300 px."
        h = await self.evaluate('document.documentElement.scrollHeight')
        await self.call('Emulation.setDeviceMetricsOverride', session=True, width=1300,
                        height=min(int(h), 6000), deviceScaleFactor=1, mobile=False)
        shot = await self.call('Page.captureScreenshot', session=True, format='png')
        dest.write_bytes(base64.b64decode(shot['data']))
        await self.call('Emulation.setDeviceMetricsOverride', session=True, width=1300, height=900,
                        deviceScaleFactor=1, mobile=False)

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def _event_errors(rel: str, events: list[dict]) -> list[str]:
    "Requests to other hosts, files that failed to load and script errors among a page's DevTools events."
    errors = []
    for e in events:
        p = e.get('params', {})
        if e['method'] == 'Network.requestWillBeSent':
            url = p['request']['url']
            if not url.startswith(('file:', 'data:', 'blob:', 'about:', 'chrome', 'devtools:')):
                errors.append(f'{rel}: request to another host: {url}')
        elif e['method'] == 'Network.loadingFailed' and not p.get('canceled'):
            errors.append(f'{rel}: a resource failed to load: {p.get("errorText")} ({p.get("type")})')
        elif e['method'] == 'Runtime.exceptionThrown':
            d = p['exceptionDetails']
            errors.append(f'{rel}: script error: {d.get("exception", {}).get("description") or d["text"]}')
    return errors


async def check_browser(site: Path, exe: str, shots: Path | None) -> tuple[list[str], dict]:
    "The browser half: (failures, {page: lines of code blocks that scroll sideways})."
    errors, wide, b = [], {}, Browser(exe)
    await b.start()
    try:
        for f in sorted(site.rglob('*.html')):
            rel = str(f.relative_to(site))
            events = await b.visit(f.resolve().as_uri())
            if events is None:
                errors.append(f'{rel}: did not finish loading in 15 s')
                continue
            errors += _event_errors(rel, events)
            r = json.loads(await b.evaluate(PROBE))
            errors += [f'{rel}: raw TeX on screen: {t}' for t in r['tex']]
            errors += [f'{rel}: image did not load: {i}' for i in r['imgs']]
            if r['flat']: errors.append(f'{rel}: {r["flat"]} MathML formulas take no space (not rendered)')
            wide[rel] = r['wide']
            if shots and rel in SHOTS:
                await b.screenshot(shots / (rel.replace('/', '_').removesuffix('.html') + '.png'))
    finally:
        b.close()
    return errors, wide


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--site', type=Path, help='the built site (default: doc_path of settings.ini)')
    ap.add_argument('--no-build', action='store_true', help='check the site as it is')
    ap.add_argument('--screenshots', type=Path, help=f'save PNGs of {", ".join(SHOTS)} here')
    ap.add_argument('--verbose', action='store_true', help='print per-page notes')
    args = ap.parse_args(argv)
    from nbdev.config import get_config
    site = args.site or get_config().doc_path
    if not args.no_build: site = docs_build.build_docs()
    n = len(list(site.rglob('*.html')))
    errors = check_files(site, docs_build.site_url())
    print(f'docs check (files): {n} pages, {len(errors)} problems')
    exe = find_chromium()
    if exe is None:
        print('\n' + '!' * 100 + '\nSKIPPED the browser half of the docs check: no Chromium on this machine '
              '(Debian: apt-get install chromium; or set CHROMIUM=/path/to/chrome).\n' + '!' * 100 + '\n')
    else:
        if args.screenshots: args.screenshots.mkdir(parents=True, exist_ok=True)
        b_errors, wide = asyncio.run(check_browser(site, exe, args.screenshots))
        for page, lines in wide.items():
            if args.verbose and lines: print(f'{page}: code that scrolls sideways:', *lines, sep='\n    ')
        print(f'docs check (Chromium): {n} pages, {len(b_errors)} problems; {sum(map(len, wide.values()))} '
              'code blocks scroll sideways at 1,300 px (--verbose lists them)')
        errors += b_errors
    for e in errors: print(f'  {e}')
    print(f'docs check: {"FAILED" if errors else "passed"} ({len(errors)} problems)')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
