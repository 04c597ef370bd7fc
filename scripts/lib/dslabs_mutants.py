"""The instructor mutation suite (scripts/mutants): broken variants of the reference solution.

A variant is <source>/<fixture of the lab>/mutants/<name>.patch (for raft:
labs/harness/raft/mutants/): its first line is `# <the student bug it models, one line>`, more
`#` lines may follow (where the bug comes from), then a unified diff in `git diff` format relative
to the repo root, applicable with `git apply`. A variant is "killed" on a seed when the lab's
graded driver, run in sim with that seed, prints a [FAIL] line, crashes, hangs or exits non-zero.

This module holds what scripts/mutants does, apart from argument parsing: the variants, the work
tree (a copy of the source tree that patches are applied to), building, running one seed, and
the table. Instructor-only: scripts/handout leaves it out (dslabs_handout.INSTRUCTOR_ONLY).
"""

import collections
import math
import os
import shutil
import subprocess

import dslabs_proc
import dslabs_protocol as P

# Top-level folders of the source tree that are never copied when it is not a git checkout.
_SKIP_TOP = ("build", "handout", "results", "data", ".git")


class MutantsError(Exception):
    """The suite could not run (bad variant file, no cmake, the reference does not build...)."""


class Variant:
    """One <name>.patch: name, path, description (first line), notes (further # lines)."""

    def __init__(self, name, path, description, notes):
        self.name = name
        self.path = path
        self.description = description
        self.notes = notes


def parse_variant(path):
    """Reads one variant file; MutantsError when its header or its diff is missing."""
    name = os.path.basename(path)[:-len(".patch")]
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    header = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line[1:].strip())
    if not header or not header[0]:
        raise MutantsError("%s: line 1 must be `# <the student bug this models>`" % path)
    if not any(line.startswith("diff --git ") for line in lines):
        raise MutantsError("%s: no `diff --git` section after the header" % path)
    return Variant(name, path, header[0], header[1:])


def load_variants(folder, only=None):
    """The variants in folder, sorted by name; only (names) selects some, MutantsError for an
    unknown one."""
    names = sorted(f[:-len(".patch")] for f in os.listdir(folder) if f.endswith(".patch")) \
        if os.path.isdir(folder) else []
    if only:
        unknown = [n for n in only if n not in names]
        if unknown:
            raise MutantsError("no variant %s in %s (there are: %s)" % (
                ", ".join(unknown), folder, " ".join(names) or "none"))
        names = [n for n in names if n in only]
    return [parse_variant(os.path.join(folder, n + ".patch")) for n in names]


def min_kills_default(seeds):
    """The default --min-kills: ceil(0.8 * seeds)."""
    return int(math.ceil(0.8 * seeds - 1e-9))


# ---------------------------------------------------------------------------------------------
# The work tree


def source_files(source):
    """Repo-relative paths of the source tree: `git ls-files` in a git checkout, else every file
    outside build*/, handout/, results/, data/ and .git/."""
    if os.path.exists(os.path.join(source, ".git")) and shutil.which("git"):
        proc = subprocess.run(["git", "-C", source, "ls-files", "-z", "--cached"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if proc.returncode == 0:
            rels = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
            return sorted(r for r in rels if r and os.path.isfile(os.path.join(source, r)))
    found = []
    for dirpath, dirnames, filenames in os.walk(source):
        rel_dir = os.path.relpath(dirpath, source)
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if not d.startswith(_SKIP_TOP)]
        for name in filenames:
            found.append(os.path.normpath(os.path.join(rel_dir, name)))
    return sorted(found)


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def sync_tree(source, dest, rels):
    """Makes dest hold rels with their content in source; a file whose content is already right
    is not rewritten (so an earlier build there stays up to date). Returns how many were
    written."""
    written = 0
    for rel in rels:
        src = os.path.join(source, rel)
        dst = os.path.join(dest, rel)
        data = _read(src)
        if data is None or _read(dst) == data:
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "wb") as f:
            f.write(data)
        shutil.copymode(src, dst)
        written += 1
    return written


def _git_env(tree):
    # The work tree may lie inside the source checkout (build-mutants/): stop git from finding
    # that repository, or `git apply` would patch paths relative to it.
    return dict(os.environ, GIT_CEILING_DIRECTORIES=os.path.dirname(os.path.abspath(tree)))


def patched_files(variant, tree):
    """The repo-relative paths variant's diff changes (via `git apply --numstat`)."""
    proc = subprocess.run(["git", "apply", "--numstat", variant.path], cwd=tree,
                          env=_git_env(tree), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode != 0:
        return []
    return [line.split("\t", 2)[2] for line in proc.stdout.splitlines() if line.count("\t") >= 2]


def sample_variants(variants, k):
    """(judged, unjudged): k variants spread evenly over `variants` (sorted by name) and the
    rest; all of them judged when k is None or not below their number."""
    ordered = sorted(variants, key=lambda v: v.name)
    if k is None or k >= len(ordered):
        return ordered, []
    picked = {(i * len(ordered)) // k for i in range(k)}
    return ([v for i, v in enumerate(ordered) if i in picked],
            [v for i, v in enumerate(ordered) if i not in picked])


def check_patch(variant, tree):
    """None when variant applies to tree (nothing is changed), else git's error."""
    proc = subprocess.run(["git", "apply", "--check", variant.path], cwd=tree,
                          env=_git_env(tree), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True)
    if proc.returncode != 0:
        return proc.stdout.strip() or "git apply --check exited %d" % proc.returncode
    return None


def apply_patch(variant, tree):
    """Applies variant in tree; returns None, or git's error when it does not apply."""
    for extra in (["--check"], []):
        proc = subprocess.run(["git", "apply"] + extra + [variant.path], cwd=tree,
                              env=_git_env(tree), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True)
        if proc.returncode != 0:
            return proc.stdout.strip() or "git apply exited %d" % proc.returncode
    return None


# ---------------------------------------------------------------------------------------------
# Building


def configure(tree, build, log_path):
    """Configures build from tree (Release at -O1 without debug info, the quickest to rebuild once
    per variant; NDEBUG, so the reference's debug-only invariant checks never decide a kill; ccache when it is on PATH). MutantsError on failure."""
    cmd = ["cmake", "-S", tree, "-B", build, "-DCMAKE_BUILD_TYPE=Release",
           "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG"]
    if shutil.which("ccache"):
        cmd.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
    ok, tail = _logged(cmd, log_path)
    if not ok:
        raise MutantsError("cmake configure failed (log: %s):\n%s" % (log_path, tail))


def build_target(build, target, jobs, log_path):
    """Builds one target; returns (ok, last lines of the output)."""
    return _logged(["cmake", "--build", build, "--target", target, "-j", str(jobs)], log_path)


def _logged(cmd, log_path):
    if shutil.which(cmd[0]) is None:
        raise MutantsError("%s is not installed" % cmd[0])
    with open(log_path, "w", encoding="utf-8") as log:
        log.write("$ %s\n" % " ".join(cmd))
        log.flush()
        proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT)
    with open(log_path, encoding="utf-8", errors="replace") as log:
        tail = log.read().splitlines()[-15:]
    return proc.returncode == 0, "\n".join(tail)


# ---------------------------------------------------------------------------------------------
# Running and judging


class SeedOutcome:
    """One driver run: seed, killed (bool), failed ([test display names, or 'crash in X',
    'hang', ...]: why it was killed), wall_s."""

    def __init__(self, seed, killed, failed, wall_s):
        self.seed = seed
        self.killed = killed
        self.failed = failed
        self.wall_s = wall_s


def run_seed(driver, seed, timeout_s, extra_args=(), log_path=None):
    """Runs `driver --net=sim --seed=seed` and judges it: killed when a [FAIL] line is printed,
    the driver crashes, hangs past timeout_s, exits non-zero, or prints no result line."""
    parser = P.OutputParser()
    cmd = [driver, "--net=sim", "--seed=%d" % seed] + list(extra_args)
    log = open(log_path, "w", encoding="utf-8") if log_path else None
    try:
        res = dslabs_proc.run(cmd, timeout_s, cwd=os.path.dirname(os.path.abspath(driver)),
                              env=dict(os.environ, GTEST_COLOR="no"), on_line=parser.feed,
                              log_file=log, tail_lines=1)
    finally:
        if log:
            log.close()
    failed = [r.display or r.line for r in parser.results if not r.passed]
    if res.timed_out:
        failed.append("hang (killed after %.0f s)" % timeout_s)
    elif res.signal_name:
        # A crash that the driver reported printed a [FAIL] line for its test already.
        failed.append("crash (%s)" % res.signal_name)
    elif res.returncode != 0 and not failed:
        failed.append("exit code %d" % res.returncode)
    elif not parser.results:
        failed.append("no result line")
    return SeedOutcome(seed, bool(failed), failed, res.wall_s)


class VariantResult:
    """A variant's verdict: outcomes per seed, or error (did not apply / did not build)."""

    def __init__(self, variant, outcomes=(), error=None):
        self.variant = variant
        self.outcomes = sorted(outcomes, key=lambda o: o.seed)
        self.error = error

    @property
    def kills(self):
        return sum(1 for o in self.outcomes if o.killed)

    def killers(self):
        """[(test or reason, number of seeds it failed on)], most seeds first, then by name."""
        counts = collections.Counter()
        for outcome in self.outcomes:
            for name in set(outcome.failed):
                counts[name] += 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _short(test):
    # "raft/B Figure8" -> "Figure8"; reasons ("crash (SIGSEGV)") stay as they are.
    lab_part, _, name = test.partition(" ")
    return name if "/" in lab_part and name else test


# How many killing tests a row of the terminal table names (the Markdown table names all).
_TERMINAL_KILLERS = 4


def format_table(results, seeds, min_kills):
    """The table scripts/mutants prints: one row per variant, survivors marked."""
    rows = [("variant", "killed", "by (tests: seeds)", "bug modelled")]
    for r in results:
        if r.error:
            rows.append((r.variant.name, "ERROR", r.error.splitlines()[0][:60],
                         r.variant.description))
            continue
        mark = "" if r.kills >= min_kills else "  <- survives"
        killers = r.killers()
        by = ", ".join("%s %d" % (_short(t), n) for t, n in killers[:_TERMINAL_KILLERS]) or "-"
        if len(killers) > _TERMINAL_KILLERS:
            by += ", +%d more" % (len(killers) - _TERMINAL_KILLERS)
        rows.append((r.variant.name, "%d/%d%s" % (r.kills, seeds, mark), by,
                     r.variant.description))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(row[c].ljust(widths[c]) for c in range(3)) + "  " + row[3])
        if i == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * len(row[3]))
    return "\n".join(line.rstrip() for line in lines)


def markdown_table(results, seeds):
    """The same results as a Markdown table (for docs/instructors.md)."""
    out = ["| variant | killed | by (tests: seeds) | bug modelled |", "|---|---|---|---|"]
    for r in results:
        if r.error:
            out.append("| `%s` | ERROR | %s | %s |" % (r.variant.name, r.error.splitlines()[0],
                                                       r.variant.description))
            continue
        by = ", ".join("%s %d" % (_short(t), n) for t, n in r.killers()) or "-"
        out.append("| `%s` | %d/%d | %s | %s |" % (r.variant.name, r.kills, seeds, by,
                                                   r.variant.description))
    return "\n".join(out)


def verdict(results, min_kills):
    """(ok, [one line per problem]): every variant applied, built and was killed often enough."""
    problems = []
    for r in results:
        if r.error:
            problems.append("%s: %s" % (r.variant.name, r.error.splitlines()[0]))
        elif r.kills < min_kills:
            problems.append("%s: killed on %d/%d seeds, fewer than %d" % (
                r.variant.name, r.kills, len(r.outcomes), min_kills))
    return not problems, problems
