"""The Gradescope autograder package of scripts/autograder, end to end on the raft lab.

Builds autograder/raft.zip (into a temp dir), unpacks it into a temp directory laid out like
Gradescope's (source/, submission/, results/; $AUTOGRADER_ROOT points there), runs setup.sh
without its apt step (DSLABS_SKIP_APT=1; the top CMakeLists.txt compiles through ccache when it
is on PATH, and the build dir inside the unpacked tree lets it reuse this checkout's objects)
and then run_autograder on three
submissions: the handout's stubs (flat files, one missing: 0 points), the reference files in a
zip with a top folder and with a broken test file and CMakeLists.txt that must be ignored (full
score), and a server.cc that does not compile (0 points, the compiler's error in the output).
Each results.json is checked against Gradescope's documented format (gradescope_schema below).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RAFT_FILES = ["server.h", "server.cc", "commo.h", "commo.cc", "service.h", "service.cc",
              "raft_rpc.rpc"]
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
TOP_KEYS = {"score": (int, float), "execution_time": (int, float), "output": str,
            "output_format": str, "test_output_format": str, "test_name_format": str,
            "visibility": str, "stdout_visibility": str, "extra_data": dict, "tests": list,
            "leaderboard": list}
TEST_KEYS = {"score": (int, float), "max_score": (int, float), "status": str, "name": str,
             "name_format": str, "number": str, "output": str, "output_format": str,
             "tags": list, "visibility": str, "extra_data": dict}


def gradescope_schema(doc):
    """The ways doc breaks Gradescope's results.json format ([] when it follows it)."""
    problems = []

    def check(obj, keys, where):
        for key, value in obj.items():
            if key not in keys:
                problems.append("%s: unknown field %r" % (where, key))
            elif not isinstance(value, keys[key]) or isinstance(value, bool):
                problems.append("%s: %s has type %s" % (where, key, type(value).__name__))
        for key in ("visibility", "stdout_visibility"):
            if key in obj and obj[key] not in VISIBILITY:
                problems.append("%s: %s is %r" % (where, key, obj[key]))

    if not isinstance(doc, dict):
        return ["not a JSON object"]
    check(doc, TOP_KEYS, "top level")
    tests = doc.get("tests", [])
    if "score" not in doc and not all("score" in t for t in tests):
        problems.append("no top-level score and a test without score")
    for i, test in enumerate(tests):
        if not isinstance(test, dict):
            problems.append("tests[%d] is not an object" % i)
            continue
        check(test, TEST_KEYS, "tests[%d]" % i)
        if test.get("status") not in (None, "passed", "failed"):
            problems.append("tests[%d]: status %r" % (i, test["status"]))
        if "score" in test and "max_score" in test and not 0 <= test["score"] <= test["max_score"]:
            problems.append("tests[%d]: score %s out of 0..%s" % (i, test["score"],
                                                                  test["max_score"]))
    return problems


class AutograderPackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start = time.monotonic()
        cls.tmp = tempfile.mkdtemp(prefix="autograder-test-")
        cls.root = os.path.join(cls.tmp, "autograder")
        cls.env = dict(os.environ, AUTOGRADER_ROOT=cls.root, DSLABS_SKIP_APT="1",
                       AUTOGRADER_JOBS="2", PYTHONDONTWRITEBYTECODE="1")
        subprocess.check_call([sys.executable, os.path.join(REPO, "scripts", "autograder"),
                               "raft", "--out", cls.tmp], stdout=subprocess.DEVNULL)
        cls.zip_path = os.path.join(cls.tmp, "raft.zip")
        source = os.path.join(cls.root, "source")
        with zipfile.ZipFile(cls.zip_path) as z:  # as unzip does: entries and their modes
            cls.names = z.namelist()
            for info in z.infolist():
                z.extract(info, source)
                os.chmod(os.path.join(source, info.filename), (info.external_attr >> 16) & 0o777)
        proc = subprocess.run(["bash", os.path.join(source, "setup.sh")], env=cls.env,
                              cwd=source, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True, timeout=1500)
        if proc.returncode != 0:
            raise AssertionError("setup.sh failed:\n" + proc.stdout[-4000:])
        print("setup: %.0f s" % (time.monotonic() - start), file=sys.stderr)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_autograder(self, fill):
        """Empties submission/ and results/, lets fill(submission dir) write the upload, runs
        run_autograder; returns the checked results.json document."""
        start = time.monotonic()
        for name in ("submission", "results"):
            shutil.rmtree(os.path.join(self.root, name), ignore_errors=True)
            os.makedirs(os.path.join(self.root, name))
        fill(os.path.join(self.root, "submission"))
        proc = subprocess.run([os.path.join(self.root, "source", "run_autograder")],
                              env=self.env, cwd=self.root, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True, timeout=1500)
        self.assertEqual(proc.returncode, 0, proc.stdout[-4000:])
        with open(os.path.join(self.root, "results", "results.json"), encoding="utf-8") as f:
            doc = json.load(f)
        self.assertEqual(gradescope_schema(doc), [], doc)
        self.assertEqual(doc["score"], sum(t["score"] for t in doc["tests"]))
        self.assertEqual(sum(t["max_score"] for t in doc["tests"]), 320)  # raft's 4 parts
        self.assertEqual(doc["stdout_visibility"], "hidden")
        self.assertTrue(all(t["visibility"] == "visible" for t in doc["tests"]))
        print("%s: %.0f s" % (self.id().split(".")[-1], time.monotonic() - start),
              file=sys.stderr)
        return doc

    def test_0_package_layout(self):
        self.assertLess(os.path.getsize(self.zip_path), 5 * 1000 * 1000)
        for name in ("setup.sh", "run_autograder", "autograder.json",
                     "dslabs/labs/raft/server.cc", "dslabs/labs/raft/raft_test.cc"):
            self.assertIn(name, self.names)
        self.assertFalse([n for n in self.names if n.startswith("dslabs/docs/instructors")])
        with zipfile.ZipFile(self.zip_path) as z:
            self.assertNotIn(b"BEGIN SOLUTION", z.read("dslabs/labs/raft/server.cc"))
            self.assertTrue((z.getinfo("run_autograder").external_attr >> 16) & 0o100)

    def test_1_stubs_score_zero_and_a_missing_file_is_named(self):
        stubs = os.path.join(self.root, "source", "dslabs", "labs", "raft")

        def fill(sub):
            for name in RAFT_FILES[:-1]:  # raft_rpc.rpc left out
                shutil.copy(os.path.join(stubs, name), sub)
        doc = self.run_autograder(fill)
        self.assertEqual(doc["score"], 0)
        self.assertEqual(len([t for t in doc["tests"] if t["status"] == "failed"]),
                         len(doc["tests"]))
        self.assertIn("NOT in your submission, so the handout's version was used: "
                      "labs/raft/raft_rpc.rpc", doc["output"])
        failed = next(t for t in doc["tests"] if "replay:" in t["output"])
        self.assertIn("build/labs/raft/raft_test --net=sim --seed=", failed["output"])
        self.assertNotIn(self.root, failed["output"])

    def test_2_submission_that_does_not_compile_scores_zero_with_the_errors(self):
        def fill(sub):
            os.makedirs(os.path.join(sub, "raft"))
            for name in RAFT_FILES:
                shutil.copy(os.path.join(REPO, "labs", "raft", name), os.path.join(sub, "raft"))
            with open(os.path.join(sub, "raft", "server.cc"), "a") as f:
                f.write("\nint this_does_not_compile = undeclared_name_g15;\n")
        doc = self.run_autograder(fill)
        self.assertEqual(doc["score"], 0)
        self.assertIn("does not compile", doc["output"])
        self.assertIn("undeclared_name_g15", doc["output"])
        self.assertIn("labs/raft/server.cc", doc["output"])
        self.assertTrue(doc["tests"])

    def test_3_reference_in_a_zip_scores_full_and_other_files_are_ignored(self):
        def fill(sub):
            with zipfile.ZipFile(os.path.join(sub, "mine.zip"), "w") as z:
                for name in RAFT_FILES:
                    z.write(os.path.join(REPO, "labs", "raft", name),
                            "dslabs/labs/raft/" + name)
                z.writestr("dslabs/labs/raft/raft_test.cc", "this would not compile\n")
                z.writestr("dslabs/labs/raft/CMakeLists.txt", "message(FATAL_ERROR no)\n")
        doc = self.run_autograder(fill)
        self.assertEqual(doc["score"], 320, doc["output"])
        self.assertIn("Taken from your submission (7 of 7 files)", doc["output"])
        self.assertTrue(all(t["status"] == "passed" for t in doc["tests"]))


if __name__ == "__main__":
    unittest.main()
