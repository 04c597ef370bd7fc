"""Tests of scripts/handout (and scripts/grade --submission) on small fixture repos.

Every fixture is a git repo made in a temp dir from the strings below, so no file with markers
lives in this repo outside these Python strings (which the handout never transforms).
"""

import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
HANDOUT = os.path.join(REPO, "scripts", "handout")
GRADE = os.path.join(REPO, "scripts", "grade")
sys.path.insert(0, os.path.join(REPO, "scripts", "lib"))
import dslabs_handout as H  # noqa: E402

REF_CC = """\
#include "ref.h"
// Counts votes.
int Count(int n) {
  // BEGIN SOLUTION
  int votes_granted_so_far = 0;
  for (int i = 0; i < n; i++) votes_granted_so_far += i;
  return votes_granted_so_far;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: count the votes.
  // return 0;
  //
  //return -1;
  // END STUB
}

void Helper() {
// BEGIN SOLUTION (part 2A)
  secret_helper_call(1, 2, 3);
// END SOLUTION
}
"""

REF_CC_HANDOUT = """\
#include "ref.h"
// Counts votes.
int Count(int n) {
  // TODO: count the votes.
  return 0;
  
  return -1;
}

void Helper() {
}
"""

CMAKELISTS = """\
cmake_minimum_required(VERSION 3.13)
project(fixture NONE)
# BEGIN SOLUTION
message(STATUS "reference build")
# END SOLUTION
# BEGIN STUB
# message(STATUS "handout build")
# END STUB
"""

CMAKELISTS_HANDOUT = """\
cmake_minimum_required(VERSION 3.13)
project(fixture NONE)
message(STATUS "handout build")
"""

RPC = """\
namespace demo;
service Votes {
  // BEGIN SOLUTION
  defer RequestVote(i64 term, i32 candidate | i64 reply_term, bool granted);
  // END SOLUTION
}
"""

FILES = {
    "CMakeLists.txt": CMAKELISTS,
    "lib/ref.cc": REF_CC,
    "lib/ref.h": "int Count(int n);\n",
    "lib/solved.cc": "// SOLUTION FILE: reference-only helpers\nint secret = 1;\n",
    "lib/demo.rpc": RPC,
    "README.md": "Mark code with `// BEGIN SOLUTION` ... `// END SOLUTION`.\n",
    ".ci/run": "#!/bin/sh\nmake test\n",
    "docs/instructors.md": "grading notes\n",
    "bin/tool.sh": "#!/bin/sh\necho tool\n",
}


# The mutation suite: instructor-only wherever it lives (its patches contain reference code).
MUTANT_FILES = {
    "scripts/mutants": "#!/usr/bin/env python3\n",
    "scripts/lib/dslabs_mutants.py": "# runner\n",
    "test/scripts/test_mutants.py": "# test\n",
    "labs/harness/demo/mutants/off-by-one.patch": "# a bug\n+  return votes_granted_so_far;\n",
    "labs/harness/demo/mutants/notes/more.txt": "nested\n",
}


def make_repo(root, files, untracked=()):
    os.makedirs(root)
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        if text.startswith("#!"):
            os.chmod(path, 0o755)
    subprocess.run(["git", "init", "-q", root], check=True)
    subprocess.run(["git", "-C", root, "add", "-A"], check=True)
    for rel in untracked:
        with open(os.path.join(root, rel), "w") as f:
            f.write("not tracked\n")


def run(script, *args, timeout=300):
    return subprocess.run([sys.executable, script] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=timeout)


@unittest.skipIf(shutil.which("git") is None, "git is not installed")
class HandoutTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="handout-test-")
        self.src = os.path.join(self.tmp, "src")
        self.out = os.path.join(self.tmp, "out", "dslabs")
        self.tarball = os.path.join(self.tmp, "out", "dslabs-handout.tar.gz")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def handout(self, *extra):
        return run(HANDOUT, "--source", self.src, "--out", self.out, *extra)

    def read(self, rel):
        with open(os.path.join(self.out, rel)) as f:
            return f.read()

    def test_transformation_is_exact(self):
        make_repo(self.src, dict(FILES, **MUTANT_FILES,
                                 **{"labs/harness/demo/fixture.cc": "int fixture;\n"}),
                  untracked=["lib/untracked.cc"])
        proc = self.handout()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.read("lib/ref.cc"), REF_CC_HANDOUT)
        self.assertEqual(self.read("CMakeLists.txt"), CMAKELISTS_HANDOUT)
        self.assertEqual(self.read("lib/demo.rpc"), "namespace demo;\nservice Votes {\n}\n")
        self.assertEqual(self.read("README.md"), FILES["README.md"])  # not a source: verbatim
        self.assertEqual(self.read("lib/ref.h"), FILES["lib/ref.h"])
        for gone in ["lib/solved.cc", ".ci/run", "docs/instructors.md", "lib/untracked.cc"] + \
                list(MUTANT_FILES):
            self.assertFalse(os.path.exists(os.path.join(self.out, gone)), gone)
        self.assertEqual(self.read("labs/harness/demo/fixture.cc"), "int fixture;\n")
        self.assertEqual(os.stat(os.path.join(self.out, "bin/tool.sh")).st_mode & 0o777, 0o755)
        self.assertEqual(os.stat(os.path.join(self.out, "lib/ref.h")).st_mode & 0o777, 0o644)
        self.assertIn("omitted lib/solved.cc (SOLUTION FILE)", proc.stdout)
        self.assertIn("omitted .ci/run (instructor-only path)", proc.stdout)

    @unittest.skipUnless(os.path.exists(os.path.join(REPO, ".git")), "not a git checkout")
    def test_this_repos_mutation_suite_is_never_in_the_handout(self):
        handout = H.plan(REPO)
        leaked = [rel for rel in handout.files if "mutants" in rel.split("/")[-1]
                  or "/mutants/" in rel]
        self.assertEqual(leaked, [])
        omitted = [rel for rel, _ in handout.omitted]
        self.assertIn("scripts/mutants", omitted)
        self.assertTrue(any(rel.startswith("labs/harness/raft/mutants/") for rel in omitted),
                        "no Raft variant found to omit: was the suite moved?")

    def test_tarball_matches_tree_and_is_reproducible(self):
        make_repo(self.src, FILES)
        self.assertEqual(self.handout().returncode, 0)
        with open(self.tarball, "rb") as f:
            first = f.read()
        with tarfile.open(fileobj=io.BytesIO(first)) as tar:
            names = sorted(m.name for m in tar.getmembers() if m.isfile())
            ref = tar.extractfile("dslabs/lib/ref.cc").read().decode()
            tool_mode = tar.getmember("dslabs/bin/tool.sh").mode
        self.assertEqual(names, ["dslabs/CMakeLists.txt", "dslabs/README.md",
                                 "dslabs/bin/tool.sh", "dslabs/lib/demo.rpc",
                                 "dslabs/lib/ref.cc", "dslabs/lib/ref.h"])
        self.assertEqual(ref, REF_CC_HANDOUT)
        self.assertEqual(tool_mode, 0o755)
        time.sleep(1.1)  # a clock-dependent timestamp would change the bytes
        self.assertEqual(self.handout().returncode, 0)  # replaces its own previous tree
        with open(self.tarball, "rb") as f:
            self.assertEqual(f.read(), first)

    def test_marker_errors_name_file_and_line_and_write_nothing(self):
        files = dict(FILES)
        files["lib/unbalanced.cc"] = "int a;\n\n// BEGIN SOLUTION\nint b;\n"
        files["lib/nested.cc"] = ("// BEGIN SOLUTION\nint a;\n  // BEGIN SOLUTION\n"
                                  "// END SOLUTION\n// END SOLUTION\n")
        files["lib/orphan.cc"] = "int a;\n// END STUB\n"
        files["lib/inline.cc"] = "int a;  // BEGIN SOLUTION\n"
        files["lib/stub.cc"] = "// BEGIN STUB\nreturn 0;\n// END STUB\n"
        files["lib/mismatch.cc"] = "// BEGIN SOLUTION\nx;\n// END STUB\n"
        make_repo(self.src, files)
        proc = self.handout()
        self.assertEqual(proc.returncode, 1)
        errors = [l for l in proc.stderr.splitlines() if l.startswith("handout: error: ")]
        self.assertEqual(errors, [
            "handout: error: lib/inline.cc:1: marker must be alone on its line: "
            "int a;  // BEGIN SOLUTION",
            "handout: error: lib/mismatch.cc:3: END STUB closes the SOLUTION region opened at "
            "line 1",
            "handout: error: lib/nested.cc:3: BEGIN SOLUTION inside the SOLUTION region opened "
            "at line 1 (regions cannot nest)",
            "handout: error: lib/orphan.cc:2: END STUB without a BEGIN STUB",
            "handout: error: lib/stub.cc:2: line in a STUB region is not a // comment",
            "handout: error: lib/unbalanced.cc:3: BEGIN SOLUTION is never closed "
            "(END SOLUTION missing)",
        ])
        self.assertFalse(os.path.exists(self.out))
        self.assertFalse(os.path.exists(self.tarball))

    def test_refuses_to_replace_a_foreign_directory(self):
        make_repo(self.src, FILES)
        os.makedirs(self.out)
        with open(os.path.join(self.out, "precious.txt"), "w") as f:
            f.write("keep me\n")
        proc = self.handout()
        self.assertEqual(proc.returncode, 2)
        self.assertIn("refusing to replace", proc.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.out, "precious.txt")))

    def test_not_a_git_checkout(self):
        os.makedirs(self.src)
        proc = self.handout()
        self.assertEqual(proc.returncode, 2)
        self.assertIn("not a git checkout", proc.stderr)

    def test_check_builds_the_fixture(self):
        if shutil.which("cmake") is None:
            self.skipTest("cmake is not installed")
        make_repo(self.src, FILES)
        proc = self.handout("--check", "--jobs", "1")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertRegex(proc.stdout, r"\(a\) no solution code\s+OK\s+6 solution lines in 3 "
                                      r"files checked, 3 files omitted")
        self.assertRegex(proc.stdout, r"\(b\) builds\s+OK")
        self.assertRegex(proc.stdout, r"\(c\) grades to 0 in bounded time\s+OK\s+skipped: no lab")

    def test_leak_detection(self):
        leaks = H.leaked_lines(REF_CC, "//", REF_CC_HANDOUT)
        self.assertEqual(leaks, [])
        tampered = REF_CC_HANDOUT + "  secret_helper_call(1, 2, 3);\n  return 0;\n"
        self.assertEqual(H.leaked_lines(REF_CC, "//", tampered),
                         [(19, "  secret_helper_call(1, 2, 3);")])
        self.assertEqual(H.marker_lines("a\n  // END STUB\n", "//"), [(2, "  // END STUB")])

    def test_check_reports_a_leak(self):
        make_repo(self.src, FILES)
        self.assertEqual(self.handout().returncode, 0)
        handout = H.plan(self.src)
        sys.path.insert(0, os.path.dirname(HANDOUT))
        import importlib.machinery
        import importlib.util
        loader = importlib.machinery.SourceFileLoader("handout_script", HANDOUT)
        spec = importlib.util.spec_from_loader("handout_script", loader)
        script = importlib.util.module_from_spec(spec)
        loader.exec_module(script)
        with open(os.path.join(self.out, "lib/ref.cc"), "a") as f:
            f.write("for (int i = 0; i < n; i++) votes_granted_so_far += i;\n")
        with open(os.path.join(self.out, "lib/solved.cc"), "w") as f:
            f.write("// SOLUTION FILE\n")
        problems, _ = script.check_sources(handout, self.src, self.out)
        self.assertEqual(problems, [
            "lib/ref.cc: solution line 6 is in the handout: "
            "for (int i = 0; i < n; i++) votes_granted_so_far += i;",
            "lib/solved.cc: omitted file is in the handout",
            "lib/solved.cc: a SOLUTION FILE is in the handout"])


# A lab whose "compiler" is a CMake script: the build fails when answer.cc says `syntax error`;
# the driver passes when the built answer.cc returns 42.
DEMO_CMAKE = """\
cmake_minimum_required(VERSION 3.13)
project(fixture NONE)
add_subdirectory(labs/demo)
"""
DEMO_LAB_CMAKE = """\
add_custom_target(demo_driver ALL
  COMMAND ${CMAKE_COMMAND} -DSRC=${CMAKE_CURRENT_SOURCE_DIR}/answer.cc
          -P ${CMAKE_CURRENT_SOURCE_DIR}/compile.cmake
  COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_SOURCE_DIR}/answer.cc
          ${CMAKE_CURRENT_BINARY_DIR}/answer.cc
  COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_SOURCE_DIR}/demo_test.py
          ${CMAKE_CURRENT_BINARY_DIR}/demo_test)
"""
DEMO_COMPILE = """\
file(READ ${SRC} text)
if(text MATCHES "syntax error")
  message(FATAL_ERROR "answer.cc: syntax error")
endif()
"""
DEMO_DRIVER = """\
#!/usr/bin/env python3
import os, sys
if "--list" in sys.argv:
    print("Demo.Answer\\tdemo\\tA\\tAnswer\\t10\\t1000")
    sys.exit(0)
here = os.path.dirname(os.path.realpath(__file__))
ok = "return 42;" in open(os.path.join(here, "answer.cc")).read()
print("[%s] demo/A Answer  %d/10 pts  seed 1" % ("PASS" if ok else "FAIL", 10 if ok else 0))
if not ok:
    print("       wrong answer")
sys.exit(0 if ok else 1)
"""
DEMO_MANIFEST = """\
{"course_labs": [{"id": "lab1", "name": "Lab 1", "title": "the answer"}],
 "labs": [{"id": "demo", "folder": "labs/demo", "driver": "demo_test", "kinds": [100, 199],
           "parts": [{"part": "A", "course_lab": "lab1", "points": 10}]}]}
"""
DEMO_ANSWER = """\
int Answer() {
  // BEGIN SOLUTION
  return 42;
  // END SOLUTION
  // BEGIN STUB
  // return 0;
  // END STUB
}
"""


@unittest.skipIf(shutil.which("git") is None or shutil.which("cmake") is None,
                 "git or cmake is not installed")
class GradeSubmissionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="submission-test-")
        cls.src = os.path.join(cls.tmp, "src")
        make_repo(cls.src, {"CMakeLists.txt": DEMO_CMAKE,
                            "labs/labs.json": DEMO_MANIFEST,
                            "labs/demo/CMakeLists.txt": DEMO_LAB_CMAKE,
                            "labs/demo/compile.cmake": DEMO_COMPILE,
                            "labs/demo/demo_test.py": DEMO_DRIVER,
                            "labs/demo/answer.cc": DEMO_ANSWER})
        cls.ref_build = os.path.join(cls.tmp, "ref-build")
        for cmd in (["cmake", "-S", cls.src, "-B", cls.ref_build],
                    ["cmake", "--build", cls.ref_build]):
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def grade(self, name, files, *names):
        sub = os.path.join(self.tmp, name)
        for rel, text in files.items():
            path = os.path.join(sub, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        out = os.path.join(self.tmp, name + "-results")
        proc = run(GRADE, "--source", self.src, "--build", self.ref_build, "--submission", sub,
                   "--out", out, "--build-jobs", "1", "--seed", "1", *names)
        return proc

    def test_correct_submission_scores_and_tests_cannot_be_replaced(self):
        cheat = DEMO_DRIVER.replace('ok = "return 42;" in', 'ok = True or')
        proc = self.grade("good", {"labs/demo/answer.cc": "int Answer() { return 42; }\n",
                                   "labs/demo/demo_test.py": cheat,
                                   "labs/demo/CMakeLists.txt": "garbage(\n"})
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("1 submission files copied", proc.stdout)
        self.assertIn("Total: 10/10 points", proc.stdout)

    def test_course_lab_name_grades_its_parts(self):
        proc = self.grade("lab1", {"labs/demo/answer.cc": "int Answer() { return 42; }\n"},
                          "Lab 1")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("grade: Lab 1 (the answer) = demo/A\n", proc.stdout)
        self.assertIn("Total: 10/10 points", proc.stdout)

    def test_missing_files_fall_back_to_the_stub(self):
        proc = self.grade("empty", {"labs/demo/notes.txt": "nothing done\n"})
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("Total: 0/10 points", proc.stdout)

    def test_submission_that_does_not_build_scores_zero(self):
        proc = self.grade("broken", {"demo/answer.cc": "syntax error\n"})  # DIR/<lab>/ layout
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("build FAILED", proc.stdout)
        self.assertRegex(proc.stdout, r"Answer\s+A\s+0/10\s+did not build")
        self.assertIn("Total: 0/10 points", proc.stdout)


if __name__ == "__main__":
    unittest.main()
