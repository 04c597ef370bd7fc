"""scripts/trace-view without a browser: the rendered page, the errors on bad files, and the
ShiViz export (its regex parses every line; vector clocks follow send/deliver pairs)."""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(ROOT, "scripts", "trace-view")
sys.path.insert(0, HERE)
import gen_trace  # noqa: E402


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def run(*args):
    return subprocess.run([sys.executable, SCRIPT] + list(args), capture_output=True, text=True)


class TraceViewScript(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_page_embeds_events_and_escapes_script_ends(self):
        events = gen_trace.split_vote_trace()
        events.append({"ev": "note", "t_us": 5, "node": 0, "text": "x</script><b>"})
        path = os.path.join(self.dir, "t.jsonl")
        gen_trace.write(events, path)
        r = run(path)
        self.assertEqual(r.returncode, 0, r.stderr)
        html = read(os.path.join(self.dir, "t.html"))
        self.assertNotIn("/*@TRACE_EVENTS@*/", html)
        self.assertEqual(html.count("</script>"), 2)  # the data block's and the script's own
        self.assertIn("x<\\/script><b>", html)
        self.assertNotRegex(html, r"(src|href)=|https?:")  # nothing fetched from elsewhere
        block = re.search(r'id="trace-data">(.*?)</script>', html, re.S).group(1)
        self.assertEqual(json.loads(block), events)

    def test_output_name_and_refuses_to_overwrite_the_trace(self):
        path = self.write("a.jsonl", '{"ev":"test_start","t_us":0,"test":"T","seed":1}\n')
        out = os.path.join(self.dir, "x.html")
        self.assertEqual(run(path, "-o", out).returncode, 0)
        self.assertTrue(os.path.exists(out))
        r = run(path, "-o", path)
        self.assertEqual(r.returncode, 2)
        self.assertIn("refusing", r.stderr)

    def test_bad_files_give_one_line_with_the_line_number(self):
        cases = {
            '{"ev":"meta","format":"janus-trace","version":1}\n{"ev":"send",\n': ":2: not JSON",
            '{"ev":"step","t_us":1,"text":"a"}\n\n[1,2]\n': ":3: not an event",
            '{"ev":"step","text":"a"}\n': ':1: event "step" has no integer "t_us"',
            '{"ev":"meta","format":"other"}\n': ':1: meta line with format',
            "\n\n": "empty trace",
        }
        for i, (text, want) in enumerate(cases.items()):
            path = self.write("bad%d.jsonl" % i, text)
            r = run(path)
            self.assertEqual(r.returncode, 2, text)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertIn(path + want if want.startswith(":") else want, r.stderr)
        r = run(os.path.join(self.dir, "missing.jsonl"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot read", r.stderr)

    def test_shiviz_export(self):
        path = os.path.join(self.dir, "t.jsonl")
        gen_trace.write(gen_trace.split_vote_trace(), path)
        out = os.path.join(self.dir, "t.log")
        r = run(path, "--no-html", "--shiviz", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "t.html")))
        lines = read(out).splitlines()
        # ShiViz's (?<name>...) groups are JavaScript's named groups; Python spells them (?P<...>.
        regex = re.compile(lines[0].replace("(?<", "(?P<"))
        delim = re.compile(lines[1].replace("(?<", "(?P<"))
        own, traces, last = {}, [], {}
        for line in lines[2:]:
            d = delim.match(line)
            if d:
                traces.append(d.group("trace"))
                own, last = {}, {}
                continue
            m = regex.fullmatch(line)
            self.assertIsNotNone(m, line)
            host, clock = m.group("host"), json.loads(m.group("clock"))
            # Each host's own entry counts its events 1, 2, 3 ...; clocks never go back.
            own[host] = own.get(host, 0) + 1
            self.assertEqual(clock[host], own[host], line)
            for k, v in last.get(host, {}).items():
                self.assertGreaterEqual(clock.get(k, 0), v, line)
            last[host] = clock
            if m.group("event").startswith("deliver RequestVote #"):
                self.assertGreaterEqual(len(clock), 2, "a delivery merges the sender's clock")
        self.assertEqual(traces, ["RaftA.InitialElection", "RaftA.ReElection"])
        self.assertTrue(any(" DROP request " in x for x in lines))


if __name__ == "__main__":
    unittest.main()
