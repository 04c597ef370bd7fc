"""Tests of scripts/grade against test/scripts/fake_driver.py (and the toy driver when built).

The fake driver has one passing, one failing, one crashing (SIGSEGV) and one hanging test; the
grade run must score each correctly, kill the hang (and its child) within the limit, and write
the table, results.json and junit.xml exactly as documented.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GRADE = os.path.join(REPO, "scripts", "grade")
FAKE = os.path.join(HERE, "fake_driver.py")
sys.path.insert(0, os.path.join(REPO, "scripts", "lib"))
import dslabs_protocol as P  # noqa: E402


# A driver that, like the harness's, prints its [FAIL] line from the signal handler and then
# dies of the signal.
CRASHING_DRIVER = """#!/bin/sh
if [ "$1" = "--list" ]; then printf 'T.Crash\\tx\\tA\\tCrash\\t4\\t100\\n'; exit 0; fi
echo "[FAIL] x/A Crash  0/4 pts  virt 0.000s  wall 0.001s  rpcs 0  seed 5"
echo "       crashed: signal 11 (Segmentation fault)"
echo "       replay: /d --net=sim --seed=5 --gtest_filter=T.Crash"
kill -SEGV $$
"""


def planned_names():
    """Names of labs/labs.json marked planned: course labs (name and id), labs, and the planned
    parts of written labs ("lab/PART")."""
    with open(os.path.join(REPO, "labs", "labs.json")) as f:
        manifest = json.load(f)
    names = []
    for course in manifest["course_labs"]:
        if course.get("planned"):
            names += [course["name"], course["id"]]
    for lab in manifest["labs"]:
        if lab.get("planned"):
            names.append(lab["id"])
        else:
            names += [lab["id"] + "/" + p["part"] for p in lab["parts"] if p.get("planned")]
    return names


def run_grade(args, env=None, timeout=120):
    env = dict(env or os.environ)
    env.pop("FAKE_DRIVER_FLAKY", None)
    start = time.monotonic()
    proc = subprocess.run([sys.executable, GRADE] + args, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, env=env,
                          timeout=timeout)
    return proc, time.monotonic() - start


def alive(pid):
    """True when pid runs (a zombie waiting for a reaper counts as dead)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def table_rows(stdout):
    """{test name: [part, points, status, wall]} from the score table."""
    rows = {}
    for line in stdout.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) == 5 and line.startswith("  ") and cells[0] != "Test":
            rows[cells[0]] = cells[1:]
    return rows


class GradeFakeDriverTest(unittest.TestCase):
    """One sequential grade run of the fake driver, checked from every side."""

    LIMIT_S = 3

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="grade-test-")
        cls.out = os.path.join(cls.tmp, "results")
        cls.pidfile = os.path.join(cls.tmp, "hang-child.pid")
        env = dict(os.environ, FAKE_DRIVER_PIDFILE=cls.pidfile)
        cls.proc, cls.elapsed = run_grade(
            ["--driver", FAKE, "--timeout-s", str(cls.LIMIT_S), "--seed", "4242",
             "--out", cls.out], env)
        with open(os.path.join(cls.out, "results.json")) as f:
            cls.results = json.load(f)
        cls.junit = ET.parse(os.path.join(cls.out, "junit.xml")).getroot()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_exit_code_zero_although_tests_fail(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)

    def test_table(self):
        rows = table_rows(self.proc.stdout)
        self.assertEqual(sorted(rows), ["Crashes", "Fails", "Hangs", "Passes"])
        self.assertEqual(rows["Passes"][:3], ["A", "5/5", "passed"])
        self.assertEqual(rows["Fails"][:3], ["A", "0/10", "failed"])
        self.assertEqual(rows["Crashes"][:3], ["B", "0/7", "crashed (SIGSEGV)"])
        self.assertEqual(rows["Hangs"][:3], ["B", "0/3", "hung (killed after 3 s)"])
        for row in rows.values():
            self.assertRegex(row[3], r"^\d+\.\d\ds$")
        self.assertIn("  toy: 5/25 points, 1 passed, 3 failed\n", self.proc.stdout)
        self.assertIn("Total: 5/25 points, 1 passed, 3 failed\n", self.proc.stdout)
        self.assertIn("seed 4242", self.proc.stdout)

    def test_results_json(self):
        self.assertEqual(self.results["score"], 5)
        summary = [(t["name"], t["score"], t["max_score"], t["status"])
                   for t in self.results["tests"]]
        self.assertEqual(summary, [("toy/A Passes", 5, 5, "passed"),
                                   ("toy/A Fails", 0, 10, "failed"),
                                   ("toy/B Crashes", 0, 7, "failed"),
                                   ("toy/B Hangs", 0, 3, "failed")])
        self.assertIn("Total: 5/25 points", self.results["output"])
        self.assertIsInstance(self.results["execution_time"], float)

    def test_failure_output_keeps_message_and_replay(self):
        out = self.results["tests"][1]["output"]
        self.assertTrue(out.startswith("[FAIL] toy/A Fails  0/10 pts"), out)
        self.assertIn("expected 1 == 2", out)
        self.assertIn("replay: %s --net=sim --seed=4242 --gtest_filter=Toy.Fail" % FAKE, out)

    def test_crash_names_signal_seed_and_last_lines(self):
        out = self.results["tests"][2]["output"]
        self.assertTrue(out.startswith("toy/B Crashes: crashed (SIGSEGV), seed 4242\n"), out)
        self.assertIn("replay: %s --net=sim --seed=4242 --gtest_filter=Toy.Crash" % FAKE, out)
        logs = re.findall(r"log line (\d+)", out)
        self.assertEqual(logs, [str(i) for i in range(10, 30)])  # the last 20 lines

    def test_hang_is_killed_within_the_limit(self):
        out = self.results["tests"][3]["output"]
        self.assertTrue(out.startswith("toy/B Hangs: hung (killed after 3 s), seed 4242\n"), out)
        self.assertIn("waiting for a leader that never comes", out)
        case = self.junit.find("./testsuite/testcase[@name='Hangs']")
        self.assertLess(float(case.get("time")), self.LIMIT_S + 1.5)
        self.assertLess(self.elapsed, self.LIMIT_S + 15)

    def test_hang_child_process_is_killed_too(self):
        with open(self.pidfile) as f:
            pid = int(f.read())
        deadline = time.monotonic() + 5
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(alive(pid), "the hanging test's child %d survived" % pid)

    def test_junit(self):
        self.assertEqual(self.junit.tag, "testsuites")
        suites = self.junit.findall("testsuite")
        self.assertEqual([s.get("name") for s in suites], ["toy"])
        suite = suites[0]
        self.assertEqual((suite.get("tests"), suite.get("failures")), ("4", "3"))
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        self.assertEqual(props, {"seed": "4242", "net": "sim"})
        cases = {c.get("name"): c for c in suite.findall("testcase")}
        self.assertEqual(sorted(cases), ["Crashes", "Fails", "Hangs", "Passes"])
        self.assertIsNone(cases["Passes"].find("failure"))
        self.assertEqual(cases["Passes"].get("classname"), "toy.A")
        kinds = {name: c.find("failure").get("type") for name, c in cases.items()
                 if name != "Passes"}
        self.assertEqual(kinds, {"Fails": "failed", "Crashes": "crashed", "Hangs": "hung"})
        self.assertEqual(cases["Fails"].find("failure").get("message"),
                         "expected 1 == 2 (fake_driver.py:75)")
        self.assertEqual(cases["Crashes"].find("failure").get("message"),
                         "crashed (SIGSEGV), seed 4242")
        self.assertIn("log line 29", cases["Crashes"].find("failure").text)
        self.assertEqual(cases["Hangs"].find("failure").get("message"),
                         "hung (killed after 3 s), seed 4242")


class GradeOptionsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="grade-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def fake_build(self, *labs):
        """A build dir whose lab drivers are copies of the fake driver."""
        build = os.path.join(self.tmp, "build")
        for lab in labs:
            path = P.driver_path(build, lab)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            shutil.copy(FAKE, path)
        os.makedirs(build, exist_ok=True)
        return build

    def test_parallel_run_gives_the_same_grades(self):
        proc, elapsed = run_grade(["--driver", FAKE, "--timeout-s", "3", "-j", "4", "--seed",
                                   "7", "--out", self.tmp])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(self.tmp, "results.json")) as f:
            tests = json.load(f)["tests"]
        self.assertEqual([(t["name"], t["score"]) for t in tests],
                         [("toy/A Passes", 5), ("toy/A Fails", 0), ("toy/B Crashes", 0),
                          ("toy/B Hangs", 0)])
        self.assertLess(elapsed, 12)

    def test_missing_build_dir_is_an_error(self):
        proc, _ = run_grade(["--build", os.path.join(self.tmp, "nope"), "--out", self.tmp])
        self.assertEqual(proc.returncode, 2)
        self.assertIn("does not exist", proc.stderr)

    def test_named_lab_without_driver_is_an_error(self):
        build = self.fake_build()
        proc, _ = run_grade(["--build", build, "raft", "--out", self.tmp])
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no driver for lab raft", proc.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "results.json")))

    def test_no_lab_built_is_an_error_and_toy_is_not_a_lab(self):
        build = self.fake_build("toy")
        proc, _ = run_grade(["--build", build, "--out", self.tmp])
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no lab driver found", proc.stderr)

    def test_present_labs_and_named_toy(self):
        build = self.fake_build("toy", "kv", "raft")
        self.assertEqual(P.present_labs(build), ["raft", "kv"])
        proc, _ = run_grade(["--build", build, "toy", "--timeout-s", "1", "--seed", "1",
                             "--out", self.tmp])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("labs/harness/toy/toy_test", proc.stdout)
        self.assertIn("Total: 5/25 points", proc.stdout)

    def test_crash_after_the_drivers_own_fail_line_is_a_crash(self):
        # The harness's driver prints a [FAIL] line from its signal handler, then re-raises.
        driver = os.path.join(self.tmp, "crash_test")
        with open(driver, "w") as f:
            f.write(CRASHING_DRIVER)
        os.chmod(driver, 0o755)
        proc, _ = run_grade(["--driver", driver, "--seed", "5", "--out", self.tmp])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(table_rows(proc.stdout)["Crash"][:3], ["A", "0/4", "crashed (SIGSEGV)"])
        with open(os.path.join(self.tmp, "results.json")) as f:
            (test,) = json.load(f)["tests"]
        self.assertTrue(test["output"].startswith("x/A Crash: crashed (SIGSEGV), seed 5\n"))
        self.assertIn("crashed: signal 11 (Segmentation fault)", test["output"])

    def graded(self):
        with open(os.path.join(self.tmp, "results.json")) as f:
            return [t["name"] for t in json.load(f)["tests"]]

    def test_part_selects_the_parts_tests(self):
        build = self.fake_build("raft", "kv")
        proc, _ = run_grade(["--build", build, "raft/A", "--seed", "1", "--out", self.tmp])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.graded(), ["toy/A Passes", "toy/A Fails"])
        self.assertIn("grade: 2 tests, net sim, seed 1", proc.stdout)

    def test_course_lab_selects_its_parts(self):
        build = self.fake_build("raft", "kv")
        for name in ("Lab 2", "lab2", "lab 2"):
            proc, _ = run_grade(["--build", build, name, "--seed", "1", "--out", self.tmp])
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertIn("grade: Lab 2 (", proc.stdout)
            self.assertIn(") = kv/A\n", proc.stdout)
            self.assertIn("labs/kv/kv_test", proc.stdout)
            self.assertEqual(self.graded(), ["toy/A Passes", "toy/A Fails"])

    def test_names_merge_per_driver(self):
        build = self.fake_build("raft")
        proc, _ = run_grade(["--build", build, "raft/B", "raft/A", "lab1", "--timeout-s", "1",
                             "--seed", "1", "--out", self.tmp])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.graded(), ["toy/A Passes", "toy/A Fails", "toy/B Crashes",
                                         "toy/B Hangs"])

    def test_unknown_and_planned_names_are_errors(self):
        build = self.fake_build("raft", "kv")
        proc, _ = run_grade(["--build", build, "raft/Z", "--out", self.tmp])
        self.assertEqual(proc.returncode, 2)
        self.assertIn("'raft/Z' is not a lab, part or course lab", proc.stderr)
        self.assertIn("raft/A", proc.stderr)
        # The planned names of the real manifest (they change as labs are written).
        for name in planned_names():
            proc, _ = run_grade(["--build", build, name, "--out", self.tmp])
            self.assertEqual(proc.returncode, 2, name)
            self.assertIn("planned, not written yet", proc.stderr)

    def test_help_names_the_selectors(self):
        proc, _ = run_grade(["--help"])
        self.assertEqual(proc.returncode, 0)
        for text in ('"Lab 1", lab1', "raft/A", "labs/labs.json"):
            self.assertIn(text, proc.stdout)

    def test_linearizability_reports_are_listed_after_the_table(self):
        reports = os.path.join(self.tmp, "reports")
        os.makedirs(reports)
        env = dict(os.environ, FAKE_DRIVER_REPORT_DIR=reports)
        proc, _ = run_grade(["--driver", FAKE, "--timeout-s", "1", "--seed", "8", "--out",
                             self.tmp], env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        report = os.path.join(reports, "lin-Toy.Fail-sim-seed8.html")
        self.assertIn("Total: 5/25 points, 1 passed, 3 failed\n\n"
                      "Linearizability reports (HTML; open in a browser):\n  %s\n" % report,
                      proc.stdout)
        with open(os.path.join(self.tmp, "results.json")) as f:
            self.assertIn(report, json.load(f)["output"])

    def test_no_report_section_without_reports(self):
        proc, _ = run_grade(["--driver", FAKE, "--timeout-s", "1", "--seed", "8", "--out",
                             self.tmp])
        self.assertNotIn("Linearizability reports", proc.stdout)

    def test_driver_whose_list_fails_is_an_error(self):
        bad = os.path.join(self.tmp, "bad_test")
        with open(bad, "w") as f:
            f.write("#!/bin/sh\necho 'cannot start' >&2\nexit 3\n")
        os.chmod(bad, 0o755)
        proc, _ = run_grade(["--driver", bad, "--out", self.tmp])
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--list exited 3", proc.stderr)
        self.assertIn("cannot start", proc.stderr)


class ProtocolTest(unittest.TestCase):
    def test_parse_list(self):
        text = "some log line\nRaftA.Initial\traft\tA\tInitialElection\t5\t5000\n" \
               "RaftB.Agree\traft\tB\tBasicAgree\t2.5\t10000\n"
        tests = P.parse_list(text)
        self.assertEqual([(t.full_name, t.display, t.points, t.budget_ms) for t in tests],
                         [("RaftA.Initial", "raft/A InitialElection", 5, 5000),
                          ("RaftB.Agree", "raft/B BasicAgree", 2.5, 10000)])
        with self.assertRaises(ValueError):
            P.parse_list("X.Y\traft\tA\tName\tfive\t100\n")

    def test_result_line(self):
        r = P.Result("PASS", "[PASS] raft/A InitialElection  5/5 pts  virt 2.310s  "
                             "wall 0.052s  rpcs 42  seed 12345")
        self.assertEqual((r.display, r.earned, r.max_points, r.seed, r.virt_s),
                         ("raft/A InitialElection", 5, 5, 12345, 2.31))

    def test_output_parser_keeps_details_of_its_stream_only(self):
        parser = P.OutputParser()
        parser.feed("stdout", "[ RUN      ] RaftA.X")
        parser.feed("stdout", "[FAIL] raft/A X  0/5 pts  seed 3")
        parser.feed("stderr", "  an indented log line")
        parser.feed("stdout", "       no leader")
        parser.feed("stdout", "       replay: d --seed=3")
        parser.feed("stdout", "[  FAILED  ] RaftA.X (3 ms)")
        (result,) = parser.results
        self.assertEqual(result.details, ["       no leader", "       replay: d --seed=3"])
        self.assertEqual(result.replay, "d --seed=3")
        self.assertIsNone(parser.running)

    def test_gtest_filter(self):
        m = P.gtest_filter_matches
        self.assertTrue(m("RaftA.*", "RaftA.Initial"))
        self.assertFalse(m("RaftA.*", "RaftB.Initial"))
        self.assertTrue(m("RaftA.*:RaftB.I?itial", "RaftB.Initial"))
        self.assertFalse(m("*-RaftB.*", "RaftB.Initial"))
        self.assertTrue(m("-RaftB.*", "RaftA.Initial"))
        self.assertFalse(m("Raft[A].x", "RaftA.x"))  # '[' is not a wildcard in gtest

    def test_html_reports(self):
        tmp = tempfile.mkdtemp(prefix="grade-test-")
        try:
            for name in ("a.html", "b.html"):
                with open(os.path.join(tmp, name), "w") as f:
                    f.write("x")
            lines = ["  drawn in: %s" % os.path.join(tmp, "a.html"),
                     "cannot write /nonexistent/c.html: No such file",
                     "report=b.html, again: b.html and %s" % os.path.join(tmp, "a.html")]
            self.assertEqual(P.html_reports(lines, tmp),
                             [os.path.join(tmp, "a.html"), os.path.join(tmp, "b.html")])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_default_timeout(self):
        self.assertEqual(P.default_timeout_s(5000), 40.0)
        self.assertEqual(P.default_timeout_s(5000, 3), 50.0)
        self.assertEqual(P.default_timeout_s(5000, 1, "tcp"), 45.0)


@unittest.skipUnless(os.access(P.driver_path(os.environ.get("DSLABS_BUILD", "/nonexistent"),
                                             "toy"), os.X_OK),
                     "the harness's toy driver is not built (set DSLABS_BUILD)")
class GradeToyDriverTest(unittest.TestCase):
    """The harness's real toy driver: one test passes, one fails, one crashes (SIGSEGV) and one
    hangs in a busy loop, which the driver's watchdog turns into a failure (or, if it did not,
    grade's limit into a hang)."""

    def test_toy_driver(self):
        tmp = tempfile.mkdtemp(prefix="grade-toy-")
        env = dict(os.environ, HARNESS_TOY_CRASH_HANG="1")
        try:
            proc, elapsed = run_grade(["--build", os.environ["DSLABS_BUILD"], "toy",
                                       "--timeout-s", "30", "--seed", "99", "--out", tmp],
                                      env=env, timeout=300)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            kinds = {}
            for case in ET.parse(os.path.join(tmp, "junit.xml")).iter("testcase"):
                failure = case.find("failure")
                kind = "passed" if failure is None else failure.get("type")
                kinds[kind] = kinds.get(kind, 0) + 1
            self.assertEqual(kinds.get("passed"), 1, kinds)
            self.assertEqual(kinds.get("crashed"), 1, kinds)
            self.assertEqual(kinds.get("failed", 0) + kinds.get("hung", 0), 2, kinds)
            with open(os.path.join(tmp, "results.json")) as f:
                results = json.load(f)
            crashed = [t for t in results["tests"] if "SIGSEGV" in t["output"]]
            self.assertEqual(len(crashed), 1, results)
            self.assertIn("seed 99", crashed[0]["output"])
            self.assertLess(elapsed, 200)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
