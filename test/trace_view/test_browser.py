"""The trace viewer and the linearizability report in headless Chromium (Debian's chromium,
installed by scripts/install-deps), used as a person would: the page's script runs, then the
test reads what it drew through window.traceView (viewer.html) or the DOM (the report), clicks
with real mouse events and saves screenshots under <build>/trace_view/.

Environment: DSLABS_BUILD = the build directory (lin_jepsen is taken from there).
The render budget is browser-side: performance.now() in the page, from navigation start to
the first frame drawn, for a 10,000-message, 5 s trace.
"""
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import gen_trace  # noqa: E402
from chromium import Browser  # noqa: E402

BUILD = os.environ.get("DSLABS_BUILD", os.path.join(ROOT, "build"))
OUT = os.path.join(BUILD, "trace_view")
# A recorded failing run (a driver with --trace=FILE.jsonl); see README.md beside this file.
FAILING = os.path.join(HERE, "failing_run.jsonl")
RENDER_BUDGET_MS = 2000


def render(trace, html):
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "trace-view"), trace, "-o", html],
                   check=True, stdout=subprocess.DEVNULL)
    return "file://" + html


class BrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(OUT, exist_ok=True)
        cls.browser = Browser().__enter__()
        cls.failing_url = render(FAILING, os.path.join(OUT, "failing_run.html"))

    @classmethod
    def tearDownClass(cls):
        cls.browser.__exit__(None, None, None)

    def js(self, expr):
        return self.browser.eval(expr)

    def open_failing(self, fragment=""):
        self.browser.open(self.failing_url + fragment)
        self.assertTrue(self.js("window.traceView && traceView.ready"), "the viewer did not start")

    def hits(self, arrow):
        """Whether a click somewhere on `arrow` selects it (arrows can hide under marks)."""
        p = self.js("traceView.arrowPoint(%d, %s)" % (arrow["id"], json.dumps(arrow["kind"])))
        hit = p and self.js("JSON.stringify(traceView.hitAt(%f, %f))" % (p["x"], p["y"]))
        return bool(hit) and json.loads(hit) == {"type": "arrow", "id": arrow["id"],
                                                 "kind": arrow["kind"]}

    def click_arrow(self, arrow):
        """Clicks (real mouse events) a point that selects `arrow`; returns the detail panel."""
        p = self.js("traceView.arrowPoint(%d, %s)" % (arrow["id"], json.dumps(arrow["kind"])))
        self.assertIsNotNone(p, "arrow %s is not drawn" % arrow)
        hit = self.js("JSON.stringify(traceView.hitAt(%f, %f))" % (p["x"], p["y"]))
        self.assertEqual(json.loads(hit), {"type": "arrow", "id": arrow["id"], "kind": arrow["kind"]})
        self.browser.click(p["x"], p["y"])
        sel = json.loads(self.js("JSON.stringify(traceView.selected())"))
        self.assertEqual(sel, {"type": "arrow", "id": arrow["id"], "kind": arrow["kind"]})
        return (self.js("document.getElementById('detail-title').textContent"),
                self.js("document.getElementById('detail-body').textContent"))

    def test_failing_run_lanes_arrows_drop_and_click(self):
        self.open_failing()
        tests = json.loads(self.js("JSON.stringify(traceView.tests())"))
        failing = [t["name"] for t in tests if t["passed"] is False]
        self.assertTrue(failing, "the recorded run has no failing test")
        self.assertEqual(self.js("traceView.test()"), failing[0], "opens on the failing test")
        lanes = json.loads(self.js("JSON.stringify(traceView.lanes())"))
        self.assertGreaterEqual(len(lanes), 3)
        self.assertEqual(self.js("document.querySelectorAll('#lanes .lane').length"), len(lanes))
        self.assertGreater(self.js("traceView.visibleArrows().length"), 0)
        drops = json.loads(self.js("JSON.stringify(traceView.drops())"))
        self.assertTrue(drops, "no dropped message on the page")
        requests = [a for a in json.loads(self.js("JSON.stringify(traceView.visibleArrows())"))
                    if a["kind"] == "request" and not a["dropped"]]
        self.assertTrue(requests)
        a = next(a for a in requests if self.hits(a))
        title, body = self.click_arrow(a)
        self.assertIn(a["method"], title)
        self.assertIn("message #%d" % a["id"], body)
        self.assertIn("args:", body)
        d = next(d for d in drops if self.hits(d))
        title, body = self.click_arrow(d)
        self.assertIn("DROPPED", title)
        self.assertIn("DROPPED     %s at %s (%s)" % (d["what"], d["at"], d["reason"]), body)
        self.browser.screenshot(os.path.join(OUT, "failing_run.png"))
        self.assertTrue(all(u.startswith(("file:", "data:", "about:"))
                            for u in self.browser.requests), self.browser.requests)

    def test_hash_opens_a_test_at_a_time(self):
        self.open_failing()
        tests = json.loads(self.js("JSON.stringify(traceView.tests())"))
        name = tests[0]["name"]
        self.assertEqual(self.js("document.getElementById('test-picker').options.length"),
                         len(tests))
        self.browser.open("about:blank")  # else only the fragment changes: no new load
        self.browser.open(self.failing_url + "#t=150000&test=" + name)
        self.assertEqual(self.js("traceView.test()"), name)
        v = json.loads(self.js("JSON.stringify(traceView.view())"))
        self.assertAlmostEqual((v["t0"] + v["t1"]) / 2, 150000, delta=1)

    def test_filters_and_search(self):
        self.open_failing()
        lanes = json.loads(self.js("JSON.stringify(traceView.lanes())"))
        hidden = lanes[0]["node"]
        self.js("document.querySelector('#node-filter input[data-value=\"%d\"]').click()" % hidden)
        self.js("traceView.draw()")
        self.assertEqual(self.js("traceView.lanes().length"), len(lanes) - 1)
        arrows = json.loads(self.js("JSON.stringify(traceView.visibleArrows())"))
        self.assertFalse([a for a in arrows if hidden in (a["from"], a["to"])])
        method = arrows[0]["method"]
        self.assertGreater(self.js("traceView.search(%s)" % json.dumps(method)), 0)
        self.assertEqual(self.js("traceView.search('no such text at all')"), 0)

    def test_big_trace_renders_within_budget(self):
        trace = os.path.join(OUT, "big_10k.jsonl")
        gen_trace.write(gen_trace.big_trace(messages=10000, duration_us=5000000), trace)
        self.browser.open(render(trace, os.path.join(OUT, "big_10k.html")))
        ms = self.js("traceView.renderMs")
        timing = self.js("JSON.stringify(traceView.timing)")
        print("\n10k-message trace: first frame %.0f ms after navigation start (%s)"
              % (ms, timing), file=sys.stderr)
        self.assertLess(ms, RENDER_BUDGET_MS)
        self.assertEqual(self.js("traceView.lanes().length"), 7)
        self.assertGreaterEqual(self.js("traceView.arrows().filter(a => a.kind == 'request')"
                                        ".length"), 10000)
        whole = self.js("traceView.visibleArrows().length")
        self.js("traceView.setView(2000000, 2100000)")
        part = self.js("traceView.visibleArrows().length")
        self.assertLess(part, whole / 20, "only the arrows in view are drawn")
        self.assertGreater(part, 0)
        self.browser.screenshot(os.path.join(OUT, "big_10k.png"))

    def test_lin_report_opens_on_the_failing_operation(self):
        exe = os.path.join(BUILD, "labs", "harness", "checkers", "lin_jepsen")
        self.assertTrue(os.path.exists(exe), "build the target lin_jepsen first: " + exe)
        hist, html = os.path.join(OUT, "lin_c50.txt"), os.path.join(OUT, "lin_report.html")
        with open(hist, "w") as f:
            subprocess.run([exe, "gen", "c50", "--seed=3", "--bad-keys=1"], stdout=f,
                           stderr=subprocess.DEVNULL, check=True)
        r = subprocess.run([exe, "check", hist, "--html=" + html], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 1, "the generated history should not linearize")
        self.browser.open("file://" + html)
        box = json.loads(self.js("""JSON.stringify((() => {
            const d = document.querySelector('#keys .op.stuck'); if (!d) return null;
            const r = d.getBoundingClientRect(), s = d.parentNode.parentNode.getBoundingClientRect();
            return {l: r.left, r: r.right, t: r.top, b: r.bottom, sl: s.left, sr: s.right,
                    w: innerWidth, h: innerHeight};
            })())"""))
        self.assertIsNotNone(box, "no operation marked as not linearizable")
        self.assertGreaterEqual(box["l"], max(0, box["sl"]), box)
        self.assertLessEqual(box["r"], min(box["w"], box["sr"]), box)
        self.assertGreaterEqual(box["t"], 0, box)
        self.assertLessEqual(box["b"], box["h"], box)
        self.assertGreaterEqual(box["r"] - box["l"], 20, "wide enough to read")
        self.browser.click((box["l"] + box["r"]) / 2, (box["t"] + box["b"]) / 2)
        self.assertIn("COULD NOT BE LINEARIZED",
                      self.js("document.getElementById('details').textContent"))
        self.browser.screenshot(os.path.join(OUT, "lin_report.png"))


if __name__ == "__main__":
    unittest.main()
