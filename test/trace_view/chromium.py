"""Headless Chromium driven through the DevTools protocol over a pipe (--remote-debugging-pipe:
the browser reads NUL-terminated JSON commands on fd 3 and writes replies and events on fd 4).
Standard library only; no network port is opened and the browser may not reach the network.

  with Browser() as b:
      b.open("file:///.../page.html")
      b.eval("1 + 1")                 # -> 2
      b.click(x, y)                   # real mouse events at viewport coordinates
      b.screenshot("out.png")
"""
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time


def find_chromium():
    """The path of Debian's chromium (or another Chromium-based browser), or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserError(Exception):
    pass


class Browser:
    """One headless browser with one page (a flat DevTools session attached to it)."""

    def __init__(self, width=1400, height=900, timeout_s=30):
        self.timeout_s = timeout_s
        self.width, self.height = width, height
        self.events = []
        self.requests = []  # URLs the page asked for (Network.requestWillBeSent)
        self._next = 1
        self._buf = b""

    def __enter__(self):
        exe = find_chromium()
        if not exe:
            raise BrowserError("chromium not found: run scripts/install-deps")
        self._profile = tempfile.mkdtemp(prefix="trace-view-chromium-")
        cmd_r, cmd_w = os.pipe()
        res_r, res_w = os.pipe()
        # Out of the way of fds 3 and 4, which the child gets.
        hi_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
        hi_w = fcntl.fcntl(res_w, fcntl.F_DUPFD, 10)
        os.close(cmd_r)
        os.close(res_w)

        def child_fds():
            os.dup2(hi_r, 3)
            os.dup2(hi_w, 4)

        args = [exe, "--headless", "--disable-gpu", "--remote-debugging-pipe",
                "--user-data-dir=" + self._profile, "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                "--disable-background-networking", "--disable-component-update",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
                "--hide-scrollbars", "--mute-audio",
                "--window-size=%d,%d" % (self.width, self.height), "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=child_fds,
                                     pass_fds=(3, 4))
        os.close(hi_r)
        os.close(hi_w)
        self._w, self._r = cmd_w, res_r
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": page["targetId"], "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Runtime.enable", session=True)
        self.call("Network.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": self.width, "height": self.height, "deviceScaleFactor": 1,
                   "mobile": False}, session=True)
        return self

    def __exit__(self, *exc):
        try:
            self.call("Browser.close", timeout_s=5)
        except (BrowserError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._w, self._r):
            os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)
        return False

    def _read_message(self, deadline):
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._r], [], [], left)[0]:
                raise BrowserError("no answer from chromium within the time limit")
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed its DevTools pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        msg = json.loads(raw)
        if msg.get("method") == "Network.requestWillBeSent":
            self.requests.append(msg["params"]["request"]["url"])
        return msg

    def call(self, method, params=None, session=False, timeout_s=None):
        """Sends one command and returns its result; events that arrive meanwhile are kept."""
        mid = self._next
        self._next += 1
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == mid:
                if "error" in reply:
                    raise BrowserError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method, timeout_s=None):
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))

    def open(self, url):
        """Navigates and waits for the load event (the page's inline script has run)."""
        self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_event("Page.loadEventFired")

    def eval(self, expression):
        """The value of a JavaScript expression in the page (promises awaited)."""
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True}, session=True)
        if "exceptionDetails" in r:
            raise BrowserError("%s: %s" % (expression, json.dumps(r["exceptionDetails"])[:500]))
        return r["result"].get("value")

    def click(self, x, y):
        """A real left click (mouse moved, pressed, released) at viewport point (x, y)."""
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            p = {"type": kind, "x": x, "y": y}
            if kind != "mouseMoved":
                p.update(button="left", clickCount=1)
            self.call("Input.dispatchMouseEvent", p, session=True)

    def screenshot(self, path, full_page=False):
        p = {"format": "png"}
        if full_page:
            p["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", p, session=True)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
