"""Tests of scripts/stress against test/scripts/fake_driver.py.

The fake driver's Toy.Flaky (enabled by FAKE_DRIVER_FLAKY) fails exactly when the seed is a
multiple of 3, so the failure rate and the failing seeds of a stress run are known in advance.
StressHostsTest runs through GNU parallel (--hosts) on this machine with two job slots.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
STRESS = os.path.join(REPO, "scripts", "stress")
FAKE = os.path.join(HERE, "fake_driver.py")


class StressTest(unittest.TestCase):
    def setUp(self):
        self.logs = tempfile.mkdtemp(prefix="stress-test-")

    def tearDown(self):
        shutil.rmtree(self.logs, ignore_errors=True)

    def stress(self, *args, **extra_env):
        env = dict(os.environ, FAKE_DRIVER_FLAKY="1", **extra_env)
        start = time.monotonic()
        proc = subprocess.run([sys.executable, STRESS, "--driver", FAKE, "--logs", self.logs]
                              + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, env=env, timeout=120)
        return proc, time.monotonic() - start

    def replay(self, seed, test):
        return "    replay: %s --net=sim --seed=%d --gtest_filter=%s" % (FAKE, seed, test)

    def test_failure_rate_failing_seeds_and_replays(self):
        proc, _ = self.stress("-n", "12", "-j", "3", "--seed-start", "1", "Toy.Flaky")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("4/12 runs failed (33.3%)", proc.stdout)
        lines = proc.stdout.splitlines()
        start = next(i for i, l in enumerate(lines) if "runs failed" in l)
        summary = lines[start + 1:]
        expected = []
        for seed in (3, 6, 9, 12):
            expected += ["  seed %d: FAIL toy/C Flaky" % seed, self.replay(seed, "Toy.Flaky"),
                         "    log: %s" % os.path.join(self.logs, "fake_driver-seed%d.log" % seed)]
        self.assertEqual(summary, expected)
        self.assertEqual(sorted(os.listdir(self.logs)),
                         sorted("fake_driver-seed%d.log" % s for s in (3, 6, 9, 12)))
        with open(os.path.join(self.logs, "fake_driver-seed6.log")) as f:
            self.assertIn("[FAIL] toy/C Flaky", f.read())

    def test_failing_runs_list_their_html_reports(self):
        reports = os.path.join(self.logs, "reports")
        os.makedirs(reports)
        proc, _ = self.stress("-n", "3", "-j", "1", "--seed-start", "5", "Toy.Flaky",
                              FAKE_DRIVER_REPORT_DIR=reports)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("    log: %s\n    report: %s\n" % (
            os.path.join(self.logs, "fake_driver-seed6.log"),
            os.path.join(reports, "lin-Toy.Flaky-sim-seed6.html")), proc.stdout)
        self.assertEqual(proc.stdout.count("report:"), 1)

    def test_part_and_course_lab_select_one_drivers_tests(self):
        build = os.path.join(self.logs, "build")
        sys.path.insert(0, os.path.join(REPO, "scripts", "lib"))
        import dslabs_protocol as P
        driver = P.driver_path(build, "raft")
        os.makedirs(os.path.dirname(driver))
        shutil.copy(FAKE, driver)
        for name in ("raft/B", "lab1"):
            proc = subprocess.run([sys.executable, STRESS, "--build", build, "--logs", self.logs,
                                   "-n", "1", "--seed-start", "1", "--timeout-s", "1", name],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  universal_newlines=True, timeout=60)
            self.assertEqual(proc.returncode, 1, proc.stderr)
            tests = 2 if name == "raft/B" else 4
            self.assertIn("stress: raft %s (%d tests): 1 runs" % (name, tests), proc.stdout)
        # A written course lab whose driver is not built: a usage error naming the driver.
        proc = subprocess.run([sys.executable, STRESS, "--build", build, "lab4"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=60)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no driver", proc.stderr)
        self.assertIn("txn_test", proc.stderr)
        # Planned names of the real manifest, if any are left, are refused as such.
        with open(os.path.join(REPO, "labs", "labs.json")) as f:
            manifest = json.load(f)
        planned = [c["id"] for c in manifest["course_labs"] if c.get("planned")]
        planned += [lab["id"] for lab in manifest["labs"] if lab.get("planned")]
        for name in planned:
            proc = subprocess.run([sys.executable, STRESS, "--build", build, name],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  universal_newlines=True, timeout=60)
            self.assertEqual(proc.returncode, 2, name)
            self.assertIn("planned, not written yet", proc.stderr)

    def test_all_pass(self):
        proc, _ = self.stress("-n", "5", "-j", "2", "--seed-start", "1", "Toy.Pass")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("0/5 runs failed (0.0%)", proc.stdout)
        self.assertEqual(os.listdir(self.logs), [])

    def test_bare_test_name_selects_the_test(self):
        proc, _ = self.stress("-n", "1", "--seed-start", "1", "Passes")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("fake_driver Toy.Pass: 1 runs", proc.stdout)

    def test_hang_is_killed_and_replay_is_built(self):
        proc, elapsed = self.stress("-n", "2", "-j", "2", "--seed-start", "10", "--timeout-s",
                                    "1", "Toy.Hang")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("  seed 10: hung (killed after 1 s) in Toy.Hang", proc.stdout)
        self.assertIn(self.replay(11, "Toy.Hang"), proc.stdout)
        self.assertLess(elapsed, 10)

    def test_crash_after_a_failure_in_the_same_run(self):
        proc, _ = self.stress("-n", "1", "--seed-start", "4", "--timeout-s", "1",
                              "Toy.Fail:Toy.Crash")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("  seed 4: FAIL toy/A Fails; crashed (SIGSEGV) in Toy.Crash", proc.stdout)
        self.assertIn(self.replay(4, "Toy.Fail"), proc.stdout)
        self.assertIn(self.replay(4, "Toy.Crash"), proc.stdout)

    def test_crash_reported_by_the_driver_is_attributed_to_its_test(self):
        sys.path.insert(0, HERE)
        from test_grade import CRASHING_DRIVER
        driver = os.path.join(self.logs, "crash_test")
        with open(driver, "w") as f:
            f.write(CRASHING_DRIVER)
        os.chmod(driver, 0o755)
        proc = subprocess.run([sys.executable, STRESS, "--driver", driver, "--logs", self.logs,
                               "-n", "1", "--seed-start", "5"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("  seed 5: FAIL x/A Crash; crashed (SIGSEGV) in T.Crash\n"
                      "    replay: /d --net=sim --seed=5 --gtest_filter=T.Crash\n    log:",
                      proc.stdout)

    def test_filter_matching_nothing_is_an_error(self):
        proc, _ = self.stress("-n", "1", "NoSuchTest")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("matches no test", proc.stderr)
        self.assertIn("Toy.Flaky", proc.stderr)

    def test_missing_driver_is_an_error(self):
        proc = subprocess.run([sys.executable, STRESS, "--build", self.logs, "raft"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=60)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no driver", proc.stderr)


@unittest.skipUnless(shutil.which("parallel"), "GNU parallel is not installed (scripts/install-deps)")
class StressHostsTest(unittest.TestCase):
    """--hosts: the same runs through GNU parallel on this machine (':'), two job slots; the
    driver runs from the staged copy parallel would ship to remote hosts."""

    setUp = StressTest.setUp
    tearDown = StressTest.tearDown
    stress = StressTest.stress
    replay = StressTest.replay

    def summary(self, proc):
        lines = proc.stdout.splitlines()
        start = next(i for i, l in enumerate(lines) if "runs failed" in l)
        return lines[start:]

    def test_hosts_gives_the_summary_of_a_local_run(self):
        here, _ = self.stress("-n", "9", "-j", "2", "--seed-start", "1", "Toy.Flaky")
        spread, _ = self.stress("--hosts", ":", "-n", "9", "-j", "2", "--seed-start", "1",
                                "Toy.Flaky")
        self.assertEqual(spread.returncode, 1, spread.stderr)
        self.assertIn("over hosts :, 2 per host", spread.stdout)
        self.assertIn("  seed 6: FAIL toy/C Flaky", spread.stdout)
        self.assertIn(self.replay(9, "Toy.Flaky"), spread.stdout)
        self.assertEqual([l.split(" in ")[0] for l in self.summary(spread)],
                         [l.split(" in ")[0] for l in self.summary(here)])
        with open(os.path.join(self.logs, "fake_driver-seed3.log")) as f:
            log = f.read()
        self.assertIn("# on host :", log)
        self.assertIn("[FAIL] toy/C Flaky", log)

    def test_hosts_file_crash_and_hang(self):
        hosts = os.path.join(self.logs, "hosts")
        with open(hosts, "w") as f:
            f.write("# the lab's machines\n\n2/:\n")
        proc, elapsed = self.stress("--hosts", hosts, "-n", "2", "--seed-start", "7",
                                    "--timeout-s", "1", "Toy.Crash")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("  seed 7: crashed (SIGSEGV) in Toy.Crash", proc.stdout)
        self.assertIn(self.replay(8, "Toy.Crash"), proc.stdout)
        pidfile = os.path.join(self.logs, "hang.pid")
        proc, elapsed = self.stress("--hosts", ":", "-j", "2", "-n", "1", "--seed-start", "10",
                                    "--timeout-s", "1", "Toy.Hang", FAKE_DRIVER_PIDFILE=pidfile)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("  seed 10: hung (killed after 1 s) in Toy.Hang", proc.stdout)
        self.assertIn(self.replay(10, "Toy.Hang"), proc.stdout)
        self.assertLess(elapsed, 15)
        with open(pidfile) as f:
            child = int(f.read())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and os.path.exists("/proc/%d" % child):
            time.sleep(0.1)  # the killed job's child is reaped by init shortly
        self.assertFalse(os.path.exists("/proc/%d" % child), "the hung job's child survived")

    def test_remote_hosts_get_the_staged_driver(self):
        sys.path.insert(0, os.path.join(REPO, "scripts", "lib"))
        import dslabs_hosts as H
        hosts = os.path.join(self.logs, "hosts")
        with open(hosts, "w") as f:
            f.write(":\n4/ta@lab01  # a comment\n")
        staged = "/tmp/dslabs-stress-0-x/raft_test"
        cmd = H.parallel_command(hosts, 2, 30.5, staged, "/j", "/r", ["--seed={}", "--x=a b"])
        self.assertEqual(cmd[cmd.index("--sshloginfile") + 1], hosts)
        self.assertEqual(cmd[cmd.index("--basefile") + 1], staged)  # same absolute path there
        self.assertIn("--cleanup", cmd)
        self.assertEqual(cmd[cmd.index("--timeout") + 1], "31")
        self.assertEqual(cmd[-1], "cd /tmp/dslabs-stress-0-x && exec env GTEST_COLOR=no "
                         "./raft_test '--seed={}' '--x=a b'")
        local = H.parallel_command(":", None, 1, staged, "/j", "/r", [])
        self.assertNotIn("--basefile", local)
        self.assertEqual(local[local.index("-S") + 1], ":")

    def test_unreadable_hosts_file_is_an_error(self):
        before = set(os.listdir("/tmp"))
        proc, _ = self.stress("--hosts", os.path.join(self.logs, "none"), "-n", "1", "Toy.Pass")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("cannot read the hosts file", proc.stderr)
        left = [d for d in set(os.listdir("/tmp")) - before if d.startswith("dslabs-stress-")]
        self.assertEqual(left, [], "staging dirs left behind")


if __name__ == "__main__":
    unittest.main()
