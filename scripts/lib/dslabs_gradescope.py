#!/usr/bin/env python3
"""The Gradescope autograder's two steps, run inside the image scripts/autograder packages.

    dslabs_gradescope.py setup   (setup.sh, once, while Gradescope builds the image)
    dslabs_gradescope.py run     (run_autograder, once per submission, in a fresh container)

Paths (Gradescope's layout) hang off $AUTOGRADER_ROOT (default /autograder), so a test can run
both steps in a temporary directory:
    source/autograder.json   what to grade (written by scripts/autograder): names, visibility
    source/dslabs/           the handout tree (no solution regions); this file is in it
    source/dslabs/build/     setup builds the graded drivers here, on the handout's stubs
    source/stubs/            setup's copy of the handout's student files
    submission/              the student's upload (files, or an unpacked zip)
    results/results.json     what run writes for Gradescope
setup configures the tree (the top CMakeLists.txt compiles through ccache when it is on PATH;
the build dir inside the tree, as in a checkout, lets the cache serve objects built elsewhere),
builds only the drivers of the graded labs and keeps each driver's `--list`. run puts the stubs back, copies the student files
of the graded labs and of the labs they build on (labs/labs.json: student_files, builds_on) from the
submission over them and nothing else, rebuilds the drivers, grades with scripts/grade (a fresh random seed) and writes
results.json. A build failure scores 0 on every test with the compiler's first errors.
$AUTOGRADER_JOBS sets the build and test parallelism (default: the number of CPUs).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dslabs_labs as L  # noqa: E402
import dslabs_submission as S  # noqa: E402

ROOT = os.environ.get("AUTOGRADER_ROOT", "/autograder")
SOURCE = os.path.join(ROOT, "source")
TREE = os.path.join(SOURCE, "dslabs")
BUILD = os.path.join(TREE, "build")
STUBS = os.path.join(SOURCE, "stubs")
LISTS = os.path.join(SOURCE, "lists")
RESULTS = os.path.join(ROOT, "results")
ERROR_LINES = 30  # compiler output shown to a student whose submission does not build


def jobs():
    """Build and test parallelism: $AUTOGRADER_JOBS, else the number of CPUs."""
    return max(1, int(os.environ.get("AUTOGRADER_JOBS") or os.cpu_count() or 2))


def load_config():
    """(config dict, {lab: Lab} of the graded labs, [student file paths]): the files of the
    graded labs and of the labs they build on (kv's grading runs the student's raft)."""
    with open(os.path.join(SOURCE, "autograder.json"), encoding="utf-8") as f:
        config = json.load(f)
    manifest = L.load(os.path.join(TREE, "labs", "labs.json"))
    labs = {}
    for name in config["names"]:
        for sel in manifest.resolve(name):
            labs[sel.lab] = manifest.lab(sel.lab)
    paths = [rel for lab_id in manifest.with_foundations(list(labs))
             for rel in manifest.lab(lab_id).student_paths()]
    return config, labs, paths


def build(labs, log_path):
    """Builds the drivers of labs in BUILD; returns the exit status (output in log_path)."""
    targets = [lab.driver for lab in labs.values()]
    with open(log_path, "w") as log:
        return subprocess.call(["cmake", "--build", BUILD, "-j%d" % jobs(), "--target"]
                               + targets, stdout=log, stderr=subprocess.STDOUT)


def setup():
    """Configures and builds the handout's drivers once; keeps the stubs and each --list."""
    config, labs, paths = load_config()
    configure = ["cmake", "-S", TREE, "-B", BUILD, "-DCMAKE_BUILD_TYPE=RelWithDebInfo"]
    subprocess.check_call(configure, stdout=subprocess.DEVNULL)
    log_path = os.path.join(SOURCE, "setup-build.log")
    if build(labs, log_path) != 0:
        sys.stdout.write(open(log_path, errors="replace").read()[-5000:])
        raise SystemExit("setup: the handout's drivers do not build (log %s)" % log_path)
    os.makedirs(LISTS, exist_ok=True)
    for rel in paths:
        os.makedirs(os.path.dirname(os.path.join(STUBS, rel)), exist_ok=True)
        shutil.copyfile(os.path.join(TREE, rel), os.path.join(STUBS, rel))
    for lab in labs.values():
        driver = lab.driver_path(BUILD)
        listing = subprocess.check_output([driver, "--list"], cwd=os.path.dirname(driver))
        with open(os.path.join(LISTS, lab.id + ".tsv"), "wb") as f:
            f.write(listing)
    print("setup: built %s in %s" % (", ".join(lab.driver for lab in labs.values()), BUILD))


def first_errors(log_text):
    """The compiler's first errors: ERROR_LINES lines from just before the first error line, without
    make's progress lines, and with file names as in the student's tree (no image path, no
    ../ prefixes that ccache's relative paths add)."""
    lines = []
    for line in log_text.replace(TREE + "/", "").splitlines():
        if re.match(r"^\[\s*\d+%\]", line):
            continue
        lines.append(re.sub(r"(?<![\w./])(?:\.\./)+(?=(labs|rrr|deptran)/)", "", line))
    first = next((i for i, line in enumerate(lines)
                  if re.search(r"\berror\b|Error \d|undefined reference", line)), None)
    if first is None:
        return lines[-ERROR_LINES:]
    start = max(0, first - 3)
    return lines[start:start + ERROR_LINES]


def unbuilt_results(labs, config, errors):
    """Gradescope tests for a submission that did not build: every listed test, 0 points."""
    tests = []
    for lab in labs.values():
        with open(os.path.join(LISTS, lab.id + ".tsv"), encoding="utf-8") as f:
            listing = [line.split("\t") for line in f.read().splitlines() if line.strip()]
        selected = selected_parts(config, lab)
        for full, lab_id, part, name, points, _ in listing:
            if selected is None or part in selected:
                tests.append({"name": "%s/%s %s" % (lab_id, part, name), "score": 0,
                              "max_score": _number(points), "status": "failed",
                              "output": "not run: the submission does not compile (see the "
                              "compiler's errors at the top)"})
    return tests


def _number(text):
    value = float(text)
    return int(value) if value == int(value) else value


def selected_parts(config, lab):
    """The parts of lab the package grades (None = all)."""
    manifest = L.load(os.path.join(TREE, "labs", "labs.json"))
    parts = []
    for name in config["names"]:
        for sel in manifest.resolve(name):
            if sel.lab == lab.id:
                if sel.parts is None:
                    return None
                parts += sel.parts
    return parts


def graded_results(config, seed):
    """Runs scripts/grade on BUILD; returns (tests, its score table)."""
    out = tempfile.mkdtemp(prefix="dslabs-gradescope-")
    cmd = [sys.executable, os.path.join(TREE, "scripts", "grade"), "--build", BUILD, "--out", out,
           "-j", str(jobs()), "-q"] + config["names"]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True)
        print(proc.stdout)
        if proc.returncode != 0:
            raise RuntimeError("scripts/grade exited %d:\n%s" % (proc.returncode,
                                                                proc.stdout[-3000:]))
        with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
            doc = json.load(f)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    for test in doc["tests"]:  # replay lines name the student's build dir, not the image's
        test["output"] = test["output"].replace(BUILD + "/", "build/")
    return doc["tests"], doc["output"].replace(BUILD + "/", "build/")


def write_results(config, tests, output, start):
    """Writes RESULTS/results.json with the package's visibility settings."""
    for test in tests:
        test.setdefault("visibility", config["test_visibility"])
    doc = {"score": sum(t["score"] for t in tests),
           "execution_time": round(time.monotonic() - start, 3),
           "output": output, "visibility": config["visibility"],
           "stdout_visibility": config["stdout_visibility"], "tests": tests}
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "results.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print("gradescope: score %s of %s; wrote %s" % (
        doc["score"], sum(t["max_score"] for t in tests), os.path.join(RESULTS, "results.json")))


def run(seed=None):
    """Grades ROOT/submission; always writes results.json (an internal error scores 0)."""
    start = time.monotonic()
    config, labs, paths = load_config()
    try:
        report = S.overlay(os.path.join(ROOT, "submission"), TREE, STUBS, paths)
        for lab in labs.values():  # never grade a stale driver
            if os.path.exists(lab.driver_path(BUILD)):
                os.remove(lab.driver_path(BUILD))
        log_path = os.path.join(ROOT, "build.log")
        if build(labs, log_path) != 0:
            with open(log_path, errors="replace") as f:
                errors = first_errors(f.read())
            output = "\n".join(report + ["", "Your submission does not compile: 0 points. "
                                         "The compiler's first errors:", ""] + errors)
            print(output)
            write_results(config, unbuilt_results(labs, config, errors), output, start)
            return 0
        tests, table = graded_results(config, seed)
        write_results(config, tests, "\n".join(report + ["", table]), start)
        return 0
    except Exception as e:  # the autograder's fault, not the student's: say so, score nothing
        message = "The autograder failed (tell the course staff): %s: %s" % (type(e).__name__, e)
        print(message)
        write_results(config, [], message, start)
        return 1


def main(argv):
    if argv[:1] == ["setup"]:
        setup()
        return 0
    if argv[:1] == ["run"]:
        seed = os.environ.get("AUTOGRADER_SEED")
        return run(int(seed) if seed else None)
    print("usage: dslabs_gradescope.py setup|run", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
