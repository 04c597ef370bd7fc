"""The graded test driver protocol, as seen from scripts/grade and scripts/stress.

A driver is a googletest binary, `<build>/<folder>/<driver>` of its lab in labs/labs.json:
  `<driver> --list` prints one TSV line per graded test:
      gtest_full_name, lab, part, test name, points, virtual_budget_ms
  running prints, per test, one line `[PASS] lab/part Name  5/5 pts  virt ..  wall ..  rpcs ..
  seed N` or `[FAIL] ...`; a failure adds indented lines (messages, then `replay: <command>`).
Flags: --net=sim|tcp, --seed=N, --gtest_filter=...
"""

import os
import re
import shlex

import dslabs_labs

# The harness's toy driver (<build>/labs/harness/toy/toy_test): not a lab, graded only when named.
TOY = "toy"
TOY_DRIVER = os.path.join("labs", "harness", "toy", "toy_test")

_RESULT_RE = re.compile(
    r"^\[(?P<verdict>PASS|FAIL)\] (?P<lab>[^/\s]+)/(?P<part>\S+) (?P<name>.*?)\s+"
    r"(?P<earned>\d+(?:\.\d+)?)/(?P<max>\d+(?:\.\d+)?) pts\b(?P<rest>.*)$")
_SEED_RE = re.compile(r"\bseed (\d+)")
_VIRT_RE = re.compile(r"\bvirt (\d+(?:\.\d+)?)s")
_GTEST_RUN_RE = re.compile(r"^\[ RUN      \] (\S+)")
_GTEST_END_RE = re.compile(r"^\[ +(?:OK|FAILED|SKIPPED) +\] (\S+) \(")
# A token naming an HTML report (the kv tests' linearizability reports), e.g. in
# "history, failure and faults drawn in: /.../lin-KvA.Linearizable-sim-seed42.html".
_HTML_RE = re.compile(r"(?:^|[\s:=(])([^\s:=()]+\.html)\b")


def driver_path(build, lab, manifest=None):
    """Where the driver of lab is in build dir build, as labs/labs.json says ('toy' is
    <build>/labs/harness/toy/toy_test). Raises dslabs_labs.ManifestError for a lab it does not
    list."""
    if lab == TOY:
        return os.path.join(build, TOY_DRIVER)
    manifest = manifest or dslabs_labs.load()
    entry = manifest.lab(lab)
    if entry is None:
        raise dslabs_labs.ManifestError("lab %r is not in %s" % (lab, manifest.path))
    return entry.driver_path(build)


def present_labs(build, manifest=None):
    """The labs of labs/labs.json whose driver exists in build, in teaching order (toy
    excluded)."""
    manifest = manifest or dslabs_labs.load()
    return [lab for lab in manifest.lab_ids()
            if os.access(driver_path(build, lab, manifest), os.X_OK)]


def html_reports(lines, cwd):
    """The existing files named `*.html` in lines (relative names are taken from cwd), in order
    of first mention, without duplicates."""
    found = []
    for line in lines:
        for m in _HTML_RE.finditer(line):
            path = os.path.normpath(os.path.join(cwd, m.group(1)))
            if path not in found and os.path.isfile(path):
                found.append(path)
    return found


class TestInfo:
    """One graded test as listed by `--list`."""

    def __init__(self, full_name, lab, part, name, points, budget_ms):
        self.full_name = full_name
        self.lab = lab
        self.part = part
        self.name = name
        self.points = points
        self.budget_ms = budget_ms

    @property
    def display(self):
        """'raft/A InitialElection', the name used in tables and results.json."""
        return "%s/%s %s" % (self.lab, self.part, self.name)


def _number(text):
    value = float(text)
    return int(value) if value.is_integer() else value


def parse_list(text):
    """Parses `--list` output into [TestInfo]; lines that are not 6 TSV fields are ignored.

    Raises ValueError naming the line when a 6-field line has bad points or budget.
    """
    tests = []
    for line in text.splitlines():
        fields = line.rstrip("\r").split("\t")
        if len(fields) != 6:
            continue
        full, lab, part, name, points, budget = fields
        try:
            tests.append(TestInfo(full, lab, part, name, _number(points), _number(budget)))
        except ValueError:
            raise ValueError("bad --list line (points and budget must be numbers): %r" % line)
    return tests


def default_timeout_s(budget_ms, count=1, net="sim"):
    """Default wall-clock limit in seconds for count tests of total virtual budget budget_ms.

    2 x the budget (3 x over tcp, where the driver itself allows 2 x in real time) + 30 s, plus
    5 s per further test in one process. Simulated time usually runs much faster than real time,
    so this only kills genuine hangs (the driver's own watchdog and budget catch the rest).
    """
    factor = 3.0 if net == "tcp" else 2.0
    return factor * budget_ms / 1000.0 + 30.0 + 5.0 * max(0, count - 1)


class Result:
    """One `[PASS]`/`[FAIL]` line and the indented lines after it."""

    def __init__(self, verdict, line):
        self.verdict = verdict
        self.line = line
        self.details = []
        self.replay = None
        m = _RESULT_RE.match(line)
        self.display = None
        self.earned = self.max_points = None
        self.seed = None
        self.virt_s = None
        if m:
            self.display = "%s/%s %s" % (m.group("lab"), m.group("part"), m.group("name"))
            self.earned = _number(m.group("earned"))
            self.max_points = _number(m.group("max"))
            seed = _SEED_RE.search(m.group("rest"))
            self.seed = int(seed.group(1)) if seed else None
            virt = _VIRT_RE.search(m.group("rest"))
            self.virt_s = float(virt.group(1)) if virt else None

    @property
    def passed(self):
        return self.verdict == "PASS"

    def text(self):
        """The result line with its detail lines, as the driver printed them."""
        return "\n".join([self.line] + self.details)


class OutputParser:
    """Fed every output line of a driver run; collects results and the running gtest test."""

    def __init__(self):
        self.results = []
        self.running = None  # gtest full name of a started test that has not ended
        self._open = None  # (stream, Result) collecting indented detail lines

    def feed(self, stream, line):
        if line.startswith("[PASS] ") or line.startswith("[FAIL] "):
            result = Result(line[1:5], line)
            self.results.append(result)
            self._open = (stream, result)
            return
        if self._open is not None and self._open[0] == stream:
            if line[:1] in (" ", "\t") and line.strip():
                result = self._open[1]
                result.details.append(line)
                stripped = line.strip()
                if stripped.startswith("replay:"):
                    result.replay = stripped[len("replay:"):].strip()
                return
            self._open = None
        m = _GTEST_RUN_RE.match(line)
        if m:
            self.running = m.group(1)
            return
        m = _GTEST_END_RE.match(line)
        if m and m.group(1) == self.running:
            self.running = None


def replay_command(driver, net, seed, gtest_filter=None, extra=()):
    """The shell command that reruns one driver run exactly (in sim mode)."""
    cmd = [driver, "--net=" + net, "--seed=%d" % seed]
    if gtest_filter:
        cmd.append("--gtest_filter=" + gtest_filter)
    cmd.extend(extra)
    return " ".join(shlex.quote(part) for part in cmd)


def _glob_regex(pattern):
    out = []
    for ch in pattern:
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
    return "".join(out)


def gtest_filter_matches(gtest_filter, name):
    """True when googletest's --gtest_filter=gtest_filter would run test name.

    Format: positive patterns separated by ':', optionally '-' then negative patterns; '*' and '?'
    are the only wildcards.
    """
    positive, _, negative = gtest_filter.partition("-")
    pos = [p for p in positive.split(":") if p] or ["*"]
    neg = [p for p in negative.split(":") if p]
    if not any(re.fullmatch(_glob_regex(p), name) for p in pos):
        return False
    return not any(re.fullmatch(_glob_regex(p), name) for p in neg)
