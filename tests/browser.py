"""A real browser for the HTML report: Debian's Chromium, headless, driven over a pipe (CDP).

Only the standard library: Chromium reads DevTools commands on fd 3 and answers on fd 4, each a
JSON message ended by NUL. `Page` emulates a phone (mobile viewport, so the report's
`<meta name="viewport">` counts) or a desktop, loads a file, evaluates JavaScript and takes
full-page screenshots. Nothing is fetched: a browser missing here makes `find()` return None.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]


def find() -> str | None:
    return next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
        None,
    )


class Browser:
    def __init__(self, executable: str, timeout: float = 60) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="cxaudit-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: its fds 3 and 4 are the DevTools pipe
            reads, writes = os.dup(to_browser_r), os.dup(from_browser_w)  # clear of 3 and 4
            os.dup2(reads, 3)
            os.dup2(writes, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            pass_fds=(3, 4),  # kept open after preexec_fn
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> dict:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            for n, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(n)
            self.events.append(self._read())
        raise TimeoutError(method)

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def page(self, width: int, height: int, mobile: bool) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        return Page(self, session, width, height, mobile)

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    def __init__(self, browser: Browser, session: str, width: int, height: int, mobile: bool):
        self.browser, self.session = browser, session
        self.send("Page.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )
        if mobile:
            self.send("Emulation.setTouchEmulationEnabled", {"enabled": True})

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, self.session)

    def open(self, path: Path) -> None:
        self.send("Page.navigate", {"url": path.resolve().as_uri()})
        self.browser.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})[
            "result"
        ]
        return result.get("value")

    def screenshot(self, target: Path) -> Path:
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = self.send(
            "Page.captureScreenshot",
            {"format": "png", "clip": clip, "captureBeyondViewport": True},
        )["data"]
        target.write_bytes(base64.b64decode(data))
        return target


# What a reader would notice on a narrow screen, measured in the page.
LAYOUT_PROBE = r"""
(() => {
  const width = document.documentElement.clientWidth;
  const out = {viewport: innerWidth, width, scrollWidth: document.documentElement.scrollWidth,
               meta: !!document.querySelector('meta[name=viewport]'), overflowing: [],
               tables: [], labels: []};
  const box = el => el.getBoundingClientRect();
  const scrollsItself = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.clientWidth <= width)
        return p;
    }
    return null;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = box(el);
    if (r.width === 0 || r.height === 0 || scrollsItself(el)) continue;
    if (r.right > width + 1 || r.left < -1) {
      const cls = el.getAttribute('class');
      out.overflowing.push(el.tagName.toLowerCase() + (cls ? '.' + cls : '')
                           + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  for (const t of document.querySelectorAll('table')) {
    const own = ['auto', 'scroll'].includes(getComputedStyle(t).overflowX) ? t : null;
    const holder = own || scrollsItself(t);
    out.tables.push({cls: t.className, content: t.scrollWidth,
                     box: holder ? Math.round(holder.clientWidth) : null});
  }
  for (const l of document.querySelectorAll('figure [class*=label]')) {
    const chart = l.closest('figure');
    const r = box(l), c = box(chart);
    out.labels.push({text: l.textContent.trim().replace(/\s+/g, ' ').slice(0, 40),
                     inside: r.left >= Math.max(c.left, 0) - 1
                             && r.right <= Math.min(c.right, width) + 1});
  }
  return out;
})()
"""
