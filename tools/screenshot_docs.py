#!/usr/bin/env python
"""Screenshots of the built documentation site (_site/), to look at it as a reader would.

    python tools/screenshot_docs.py docs/screenshots    # or: python tools/build_docs.py --screenshots DIR

Serves _site on 127.0.0.1 (a free port, loopback only) and drives headless Chromium (Debian package
`chromium`: apt-get update && apt-get install -y chromium) over its DevTools pipe. home.png: the home page;
<page>.png: the first page of the sidebar that shows a figure, scrolled to it; 1280x900 each. The DevTools
pipe is used, not `--screenshot`, because headless Chromium's `--screenshot` paints a scrolled page blank.
"""
import base64, fcntl, functools, http.server, json, os, shutil, subprocess, sys, tempfile, threading, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_docs  # noqa: E402  (the site's layout: SITE, find_notebooks, nav_order, scan_page)

CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync',
                  '--hide-scrollbars', '--window-size=1280,900']
SCROLL_TO_FIGURE = """(() => {
  const fig = document.querySelector('article .jp-OutputArea-output img, article .jp-RenderedSVG svg');
  if (fig) window.scrollTo(0, fig.getBoundingClientRect().top + window.scrollY - 300);
  return !!fig; })()"""


def chromium_binary():
    "Path of a Chromium/Chrome binary."
    for name in ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'):
        if shutil.which(name): return shutil.which(name)
    sys.exit('no chromium found: apt-get update && apt-get install -y chromium')


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    "Static file handler that does not log each request."
    def log_message(self, *args): pass


def serve(folder):
    "Serve `folder` on 127.0.0.1 (a free port) in a background thread; returns the server."
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def high_fd(fd):
    "The same pipe end moved to a descriptor >= 10, so the child can dup it onto 3 and 4 safely."
    new = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return new


class Chromium:
    "Headless Chromium driven over --remote-debugging-pipe (NUL-separated JSON on fds 3 and 4)."
    def __init__(self, binary):
        to_chrome_r, self.to_chrome = map(high_fd, os.pipe())
        self.from_chrome, from_chrome_w = map(high_fd, os.pipe())
        self.profile = tempfile.mkdtemp(prefix='chromium-profile-')

        def wire_pipes():
            os.dup2(to_chrome_r, 3); os.dup2(from_chrome_w, 4)
        self.proc = subprocess.Popen([binary, *CHROMIUM_FLAGS, f'--user-data-dir={self.profile}',
                                      '--remote-debugging-pipe', 'about:blank'], preexec_fn=wire_pipes,
                                     close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r); os.close(from_chrome_w)
        self.buffer, self.last_id, self.session = b'', 0, None

    def send(self, method, params=None):
        "Send one DevTools command (to the attached page, if any); returns its id."
        self.last_id += 1
        msg = {'id': self.last_id, 'method': method, 'params': params or {}}
        if self.session: msg['sessionId'] = self.session
        os.write(self.to_chrome, json.dumps(msg).encode() + b'\0')
        return self.last_id

    def wait_for(self, accept, timeout=60):
        "Read messages until one satisfies `accept`; returns it."
        deadline = time.time() + timeout
        while time.time() < deadline:
            while b'\0' in self.buffer:
                raw, self.buffer = self.buffer.split(b'\0', 1)
                msg = json.loads(raw)
                if 'error' in msg: raise RuntimeError(f"chromium: {msg['error']}")
                if accept(msg): return msg
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk: raise RuntimeError('chromium closed its DevTools pipe')
            self.buffer += chunk
        raise TimeoutError('chromium did not answer in time')

    def call(self, method, params=None):
        "Send a command and return its result."
        msg_id = self.send(method, params)
        return self.wait_for(lambda m: m.get('id') == msg_id).get('result', {})

    def open_page(self):
        "Open a tab and attach to it."
        target = self.call('Target.createTarget', {'url': 'about:blank'})['targetId']
        self.session = self.call('Target.attachToTarget', {'targetId': target, 'flatten': True})['sessionId']
        self.call('Page.enable')
        self.call('Emulation.setDeviceMetricsOverride', {'width': 1280, 'height': 900, 'deviceScaleFactor': 1,
                                                         'mobile': False})

    def screenshot(self, url, png, script=None):
        "Load `url`, run `script` (if any), save a PNG of the viewport."
        self.send('Page.navigate', {'url': url})
        self.wait_for(lambda m: m.get('method') == 'Page.loadEventFired')
        if script: self.call('Runtime.evaluate', {'expression': script})
        time.sleep(0.5)  # let the scroll and the sticky header settle
        shot = self.call('Page.captureScreenshot', {'format': 'png'})
        Path(png).write_bytes(base64.b64decode(shot['data']))

    def close(self):
        "Quit Chromium and remove its profile."
        try: self.send('Browser.close'); self.proc.wait(10)
        except Exception: self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def figure_page():
    "The first notebook page in sidebar order that shows an image."
    for nb in build_docs.nav_order(build_docs.find_notebooks()):
        scan = build_docs.scan_page(nb)
        if scan and scan.images and nb.section is not None: return nb
    sys.exit('no page with an image in _site: build the site first')


def take_screenshots(folder):
    "home.png and <figure page>.png of the built site in `folder`."
    site = build_docs.SITE
    if not (site / 'index.html').exists(): sys.exit('no _site/index.html: build it with tools/build_docs.py')
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    server, browser = serve(site), Chromium(chromium_binary())
    base = f'http://127.0.0.1:{server.server_address[1]}/'
    try:
        browser.open_page()
        nb = figure_page()
        shots = [(base, folder / 'home.png', None),
                 (f'{base}{nb.url_dir.as_posix()}/', folder / f'{nb.page.stem}.png', SCROLL_TO_FIGURE)]
        for url, png, script in shots:
            browser.screenshot(url, png, script)
            print(f'{png}  <- {url}')
    finally:
        browser.close()
        server.shutdown()
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 2 or sys.argv[1].startswith('-'): sys.exit(__doc__)
    os.chdir(build_docs.ROOT)
    sys.exit(take_screenshots(sys.argv[1]))
