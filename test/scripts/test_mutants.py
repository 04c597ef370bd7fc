"""Tests of scripts/mutants: judging one run (on test/scripts/fake_driver.py), the table, and a
whole run on a fixture repo whose "compiler" is a CMake script and whose driver is Python.

The fixture's driver passes Answer when the built answer.cc says `return 42;`, fails Flaky on
odd seeds when it says `flaky = 1`, and dies of SIGSEGV when it says `crash`. Its variants are
made with `git diff` in the fixture, so they are real `git apply` patches.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MUTANTS = os.path.join(REPO, "scripts", "mutants")
FAKE = os.path.join(HERE, "fake_driver.py")
sys.path.insert(0, os.path.join(REPO, "scripts", "lib"))
import dslabs_mutants as M  # noqa: E402


class RunSeedTest(unittest.TestCase):
    def judge(self, test, timeout_s=30):
        return M.run_seed(FAKE, 7, timeout_s, ["--gtest_filter=" + test])

    def test_pass_fail_crash_hang(self):
        passed = self.judge("Toy.Pass")
        self.assertFalse(passed.killed)
        self.assertEqual(passed.failed, [])
        failed = self.judge("Toy.Pass:Toy.Fail")
        self.assertTrue(failed.killed)
        self.assertEqual(failed.failed, ["toy/A Fails"])
        crashed = self.judge("Toy.Fail:Toy.Crash")
        self.assertEqual(crashed.failed, ["toy/A Fails", "crash (SIGSEGV)"])
        hung = self.judge("Toy.Hang", timeout_s=1)
        self.assertEqual(hung.failed, ["hang (killed after 1 s)"])

    def test_no_result_line_kills(self):
        self.assertEqual(self.judge("NoSuch.Test").failed, ["no result line"])


class TableTest(unittest.TestCase):
    def test_counts_and_survivors(self):
        bug = M.Variant("off-by-one", "/x/off-by-one.patch", "counts one too many", [])
        quiet = M.Variant("quiet", "/x/quiet.patch", "changes nothing visible", [])
        broken = M.Variant("stale", "/x/stale.patch", "no longer applies", [])
        outcomes = [M.SeedOutcome(1, True, ["raft/B Figure8", "raft/A ReElection"], 0.1),
                    M.SeedOutcome(2, True, ["raft/B Figure8"], 0.1),
                    M.SeedOutcome(3, False, [], 0.1)]
        results = [M.VariantResult(bug, outcomes),
                   M.VariantResult(quiet, [M.SeedOutcome(s, False, [], 0.1) for s in (1, 2, 3)]),
                   M.VariantResult(broken, error="error: patch failed: a.cc:3")]
        self.assertEqual(results[0].killers(), [("raft/B Figure8", 2), ("raft/A ReElection", 1)])
        table = M.format_table(results, 3, 2).splitlines()
        self.assertRegex(table[2], r"^off-by-one +2/3 +Figure8 2, ReElection 1 +counts one")
        self.assertRegex(table[3], r"^quiet +0/3  <- survives +- +changes nothing")
        self.assertRegex(table[4], r"^stale +ERROR +error: patch failed: a.cc:3 +no longer")
        ok, problems = M.verdict(results, 2)
        self.assertFalse(ok)
        self.assertEqual(problems, ["quiet: killed on 0/3 seeds, fewer than 2",
                                    "stale: error: patch failed: a.cc:3"])
        self.assertTrue(M.verdict(results[:1], 2)[0])
        self.assertIn("| `off-by-one` | 2/3 | Figure8 2, ReElection 1 | counts one too many |",
                      M.markdown_table(results, 3))

    def test_min_kills_default(self):
        self.assertEqual([M.min_kills_default(n) for n in (1, 2, 5, 10, 20)], [1, 2, 4, 8, 16])

    def test_variant_header_is_required(self):
        tmp = tempfile.mkdtemp(prefix="mutants-test-")
        self.addCleanup(shutil.rmtree, tmp)
        path = os.path.join(tmp, "bad.patch")
        with open(path, "w") as f:
            f.write("diff --git a/x b/x\n")
        with self.assertRaisesRegex(M.MutantsError, "line 1 must be"):
            M.parse_variant(path)


FIXTURE = {
    "CMakeLists.txt": "cmake_minimum_required(VERSION 3.13)\nproject(fixture NONE)\n"
                      "add_subdirectory(labs/demo)\n",
    "labs/labs.json": """\
{"course_labs": [{"id": "lab1", "name": "Lab 1", "title": "the answer"}],
 "labs": [{"id": "demo", "folder": "labs/demo", "fixture": "labs/harness/demo",
           "driver": "demo_test", "kinds": [100, 199],
           "parts": [{"part": "A", "course_lab": "lab1", "points": 10}]}]}
""",
    "labs/demo/CMakeLists.txt": """\
add_custom_target(demo_test
  COMMAND ${CMAKE_COMMAND} -DSRC=${CMAKE_CURRENT_SOURCE_DIR}/answer.cc
          -P ${CMAKE_CURRENT_SOURCE_DIR}/compile.cmake
  COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_SOURCE_DIR}/answer.cc
          ${CMAKE_CURRENT_BINARY_DIR}/answer.cc
  COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_SOURCE_DIR}/driver.py
          ${CMAKE_CURRENT_BINARY_DIR}/demo_test)
""",
    "labs/demo/compile.cmake": """\
file(READ ${SRC} text)
if(text MATCHES "syntax error")
  message(FATAL_ERROR "answer.cc: syntax error")
endif()
""",
    "labs/demo/driver.py": """\
#!/usr/bin/env python3
import os, sys
seed = int([a for a in sys.argv if a.startswith("--seed=")][0][7:])
text = open(os.path.join(os.path.dirname(os.path.realpath(__file__)), "answer.cc")).read()
if "crash" in text:
    os.kill(os.getpid(), 11)
for name, ok in (("Answer", "return 42;" in text),
                 ("Flaky", "flaky = 1" not in text or seed % 2 == 0)):
    print("[%s] demo/A %s  %d/5 pts  seed %d" % ("PASS" if ok else "FAIL", name,
                                                 5 if ok else 0, seed))
""",
    "labs/demo/answer.cc": "// The answer.\nint Answer() {\n  int flaky = 0;\n  return 42;\n}\n",
}

# name -> (description, answer.cc of the variant); "stale" is made against another text.
VARIANTS = {
    "wrong-answer": ("returns 41", FIXTURE["labs/demo/answer.cc"].replace("42", "41")),
    "odd-seeds": ("fails on odd seeds only", FIXTURE["labs/demo/answer.cc"].replace(
        "flaky = 0", "flaky = 1")),
    "comment-only": ("changes a comment", FIXTURE["labs/demo/answer.cc"].replace(
        "The answer.", "The answer!")),
    "crashes": ("crashes", FIXTURE["labs/demo/answer.cc"].replace("return 42;",
                                                                  "return 42; // crash")),
    "no-build": ("does not compile", FIXTURE["labs/demo/answer.cc"].replace(
        "return 42;", "syntax error")),
}


def git(root, *args):
    return subprocess.run(["git", "-C", root] + list(args), stdout=subprocess.PIPE,
                          universal_newlines=True, check=True).stdout


@unittest.skipIf(shutil.which("git") is None or shutil.which("cmake") is None,
                 "git or cmake is not installed")
class FixtureRunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mutants-test-")
        cls.src = os.path.join(cls.tmp, "src")
        for rel, text in FIXTURE.items():
            path = os.path.join(cls.src, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        os.chmod(os.path.join(cls.src, "labs/demo/driver.py"), 0o755)
        git(cls.src, "init", "-q")
        answer = os.path.join(cls.src, "labs/demo/answer.cc")
        folder = os.path.join(cls.src, "labs/harness/demo/mutants")
        os.makedirs(folder)
        variants = dict(VARIANTS, stale=("edits a line that changed", FIXTURE[
            "labs/demo/answer.cc"].replace("int Answer() {", "int Answer(void) {")))
        git(cls.src, "add", "-A")
        for name, (description, text) in variants.items():
            with open(answer, "w") as f:
                f.write(text)
            diff = git(cls.src, "diff", "--", "labs/demo")
            if name == "stale":  # as if the reference's first line had changed since
                diff = diff.replace(" // The answer.", " // The question.")
            with open(answer, "w") as f:
                f.write(FIXTURE["labs/demo/answer.cc"])
            with open(os.path.join(folder, name + ".patch"), "w") as f:
                f.write("# %s\n# from the fixture\n%s" % (description, diff))
        git(cls.src, "add", "-A")
        git(cls.src, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "f")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def mutants(self, *args):
        return subprocess.run([sys.executable, MUTANTS, "--source", self.src, "demo"] +
                              list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=300)

    def test_table_and_exit_status(self):
        # The default work dir lies inside the fixture checkout: `git apply` must still patch
        # the copy, never the checkout.
        proc = self.mutants("--seeds", "4", "--jobs", "2")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        out = proc.stdout
        self.assertIn("reference passes 4/4 seeds", out)
        self.assertRegex(out, r"\ncomment-only +0/4  <- survives +- +changes a comment\n")
        self.assertRegex(out, r"\ncrashes +4/4 +crash \(SIGSEGV\) 4 +crashes\n")
        self.assertRegex(out, r"\nno-build +ERROR +did not build \(log: ")
        self.assertRegex(out, r"\nodd-seeds +2/4  <- survives +Flaky 2 +fails on odd seeds")
        self.assertRegex(out, r"\nstale +ERROR +error: patch failed: labs/demo/answer.cc")
        self.assertRegex(out, r"\nwrong-answer +4/4 +Answer 4 +returns 41\n")
        self.assertIn("4 of 6 variants not killed on >= 4/4 seeds", out)
        self.assertEqual(git(self.src, "status", "--porcelain", "--untracked-files=no"), "")
        logs = os.path.join(self.src, "build-mutants", "logs")
        self.assertTrue(os.path.exists(os.path.join(logs, "odd-seeds-seed3.log")))
        self.assertFalse(os.path.exists(os.path.join(logs, "odd-seeds-seed2.log")))
        with open(os.path.join(self.src, "build-mutants/src/labs/demo/answer.cc")) as f:
            self.assertEqual(f.read(), FIXTURE["labs/demo/answer.cc"])  # restored

    def test_min_kills_and_only(self):
        build = os.path.join(self.tmp, "b")
        proc = self.mutants("--seeds", "2", "--min-kills", "1", "--build", build, "--only",
                            "odd-seeds", "wrong-answer")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("every variant killed on >= 1/2 seeds", proc.stdout)
        self.assertTrue(os.path.isdir(os.path.join(build, "mutants", "build")))
        proc = self.mutants("--only", "nonesuch", "--build", build)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no variant nonesuch", proc.stderr)

    def test_sample_judges_some_and_checks_the_rest_apply(self):
        # Sorted: comment-only crashes no-build odd-seeds stale wrong-answer; --sample 2 judges
        # the 1st and 4th. Of the others, stale does not apply (an ERROR) and no-build is never
        # built (applying is all that is checked).
        build = os.path.join(self.tmp, "sample")
        proc = self.mutants("--seeds", "2", "--min-kills", "1", "--build", build, "--sample", "2")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        out = proc.stdout
        self.assertIn("3 more variants apply (not judged: --sample 2)", out)
        self.assertRegex(out, r"\ncomment-only +0/2  <- survives")
        self.assertRegex(out, r"\nodd-seeds +1/2 ")
        self.assertRegex(out, r"\nstale +ERROR +error: patch failed")
        for name in ("crashes", "no-build", "wrong-answer"):
            self.assertNotRegex(out, r"\n%s +" % name)
        self.assertIn("2 of 3 variants not killed", out)
        proc = self.mutants("--sample", "0")
        self.assertEqual(proc.returncode, 2)

    def test_failing_reference_aborts(self):
        src = os.path.join(self.tmp, "badref")
        shutil.copytree(self.src, src)
        with open(os.path.join(src, "labs/demo/answer.cc"), "w") as f:
            f.write(VARIANTS["odd-seeds"][1])
        proc = subprocess.run([sys.executable, MUTANTS, "--source", src, "demo", "--seeds", "2"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=300)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("the reference FAILS on seed 1: demo/A Flaky", proc.stderr)
        self.assertIn("must pass every seed", proc.stderr)
        self.assertNotIn("wrong-answer", proc.stdout)


if __name__ == "__main__":
    unittest.main()
