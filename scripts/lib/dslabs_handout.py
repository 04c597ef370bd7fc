"""Cutting the student handout from the reference tree (used by scripts/handout and scripts/grade).

Markers, each alone on its line (text after the marker is ignored), with the file's comment leader
(`//` in C/C++ sources and .rpc files, `#` in CMakeLists.txt and *.cmake):

    // BEGIN SOLUTION        lines up to `// END SOLUTION` are removed from the handout
    // END SOLUTION
    // BEGIN STUB            lines up to `// END STUB` must be comments (or blank); the handout
    // END STUB              gets them uncommented (one leading `// ` or `//` removed)

A file whose first line contains `// SOLUTION FILE` (or `# SOLUTION FILE`) is left out, and so are
the instructor-only paths in INSTRUCTOR_ONLY. Unbalanced or nested markers are errors naming
file:line; nothing is written then.
"""

import os
import re
import subprocess

# Paths (relative to the repo root; a trailing '/' means a whole directory; '*' stands for one
# path component) never put in the handout: the reference's CI (in the handout `make test` fails
# until the labs are done), the instructors' guide, and the mutation suite (scripts/mutants and
# each lab's mutants/ folder of broken variants, which are patches of the reference solution),
# and the Gradescope packager with its test (the package's own steps, scripts/gradescope/ and
# dslabs_gradescope.py, stay: the zip carries the handout).
INSTRUCTOR_ONLY = [".ci/", "docs/instructors.md", "scripts/autograder",
                   "test/scripts/test_autograder.py",
                   "scripts/mutants", "scripts/lib/dslabs_mutants.py",
                   "test/scripts/test_mutants.py", "labs/harness/*/mutants/"]

_C_LIKE = {".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".ipp", ".inl", ".tpp",
           ".rpc"}
_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN STUB", "END STUB")
_SOLUTION_FILE_RE = re.compile(r"(//|#|/\*)\s*SOLUTION FILE\b")


class MarkerError(Exception):
    """A marker problem at path:line."""

    def __init__(self, path, line, message):
        super().__init__("%s:%d: %s" % (path, line, message))
        self.path = path
        self.line = line


class HandoutErrors(Exception):
    """Every MarkerError found in the tree (one per bad file), one per line of the message."""

    def __init__(self, errors):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def comment_leader(path):
    """'//' for C/C++/rpc sources, '#' for CMake files, None for files never transformed."""
    base = os.path.basename(path)
    if base == "CMakeLists.txt" or base.endswith(".cmake"):
        return "#"
    if os.path.splitext(base)[1] in _C_LIKE:
        return "//"
    return None


def _marker_res(leader):
    lead = re.escape(leader)
    words = "|".join(re.escape(m) for m in _MARKERS)
    exact = re.compile(r"^\s*%s\s*(%s)\b" % (lead, words))
    anywhere = re.compile(r"%s\s*(%s)\b" % (lead, words))
    return exact, anywhere


def is_solution_file(first_line):
    """True when a file's first line marks it reference-only."""
    return bool(_SOLUTION_FILE_RE.search(first_line))


def transform(text, path, leader="//"):
    """Returns (handout_text, solution_lines) for reference file text.

    solution_lines: [(line_number, line)] of every line inside a solution region.
    Raises MarkerError for unbalanced/nested markers, a marker sharing its line with code, or a
    stub line that is not a comment.
    """
    exact, anywhere = _marker_res(leader)
    uncomment = re.compile(r"^([ \t]*)%s ?(.*)$" % re.escape(leader), re.S)
    out = []
    solution = []
    region = None  # None, or (kind 'SOLUTION'/'STUB', line number of its BEGIN)
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        m = exact.match(line)
        if m is None and anywhere.search(line):
            raise MarkerError(path, number, "marker must be alone on its line: %s" % line.strip())
        if m is not None:
            verb, kind = m.group(1).split(" ")
            if verb == "BEGIN":
                if region is not None:
                    raise MarkerError(path, number, "BEGIN %s inside the %s region opened at line "
                                      "%d (regions cannot nest)" % (kind, region[0], region[1]))
                region = (kind, number)
            else:
                if region is None:
                    raise MarkerError(path, number, "END %s without a BEGIN %s" % (kind, kind))
                if region[0] != kind:
                    raise MarkerError(path, number, "END %s closes the %s region opened at line %d"
                                      % (kind, region[0], region[1]))
                region = None
            continue
        if region is None:
            out.append(line)
        elif region[0] == "SOLUTION":
            solution.append((number, line))
        elif not line.strip():
            out.append(line)
        else:
            u = uncomment.match(line)
            if u is None:
                raise MarkerError(path, number,
                                  "line in a STUB region is not a %s comment" % leader)
            out.append(u.group(1) + u.group(2))
    if region is not None:
        raise MarkerError(path, region[1], "BEGIN %s is never closed (END %s missing)"
                          % (region[0], region[0]))
    return "\n".join(out), solution


def _path_matches(pattern, rel):
    parts, have = pattern.split("/"), rel.split("/")
    return len(parts) == len(have) and all(p == "*" or p == h for p, h in zip(parts, have))


def is_instructor_only(rel):
    """True when repo-relative path rel is in INSTRUCTOR_ONLY (or below one of its folders)."""
    for entry in INSTRUCTOR_ONLY:
        if entry.endswith("/"):
            depth = entry.count("/")
            if rel.count("/") >= depth and _path_matches(entry[:-1],
                                                         "/".join(rel.split("/")[:depth])):
                return True
        elif _path_matches(entry, rel):
            return True
    return False


def tracked_files(root):
    """The repo-relative paths `git ls-files` lists under root (working-tree contents are used)."""
    try:
        proc = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    except FileNotFoundError:
        raise RuntimeError("git is not installed; the handout is cut from `git ls-files`")
    if proc.returncode != 0:
        raise RuntimeError("%s is not a git checkout (git ls-files failed: %s)"
                           % (root, proc.stderr.decode(errors="replace").strip()))
    return sorted(p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p)


class Plan:
    """What goes into the handout: files[rel] = bytes or ('symlink', target); modes[rel]."""

    def __init__(self):
        self.files = {}
        self.modes = {}
        self.omitted = []  # (rel, reason)
        self.transformed = []  # rels whose content changed
        self.solution_lines = {}  # rel -> [(line number, text)] of the reference


def plan(root):
    """Reads the tracked files of root and computes the handout.

    Raises HandoutErrors (the first problem of each bad file) or RuntimeError (no git checkout).
    """
    result = Plan()
    errors = []
    for rel in tracked_files(root):
        src = os.path.join(root, rel)
        if is_instructor_only(rel):
            result.omitted.append((rel, "instructor-only path"))
            continue
        if os.path.islink(src):
            result.files[rel] = ("symlink", os.readlink(src))
            continue
        if not os.path.isfile(src):
            continue  # deleted in the working tree
        with open(src, "rb") as f:
            data = f.read()
        first = data.split(b"\n", 1)[0].decode("utf-8", "replace")
        if is_solution_file(first):
            result.omitted.append((rel, "SOLUTION FILE"))
            continue
        leader = comment_leader(rel)
        if leader is not None:
            text = data.decode("utf-8", "surrogateescape")
            try:
                new_text, solution = transform(text, rel, leader)
            except MarkerError as e:
                errors.append(e)
                continue
            if new_text != text:
                result.transformed.append(rel)
                data = new_text.encode("utf-8", "surrogateescape")
            if solution:
                result.solution_lines[rel] = solution
        result.files[rel] = data
        result.modes[rel] = 0o755 if os.stat(src).st_mode & 0o111 else 0o644
    if errors:
        raise HandoutErrors(errors)
    return result


def write_tree(handout, out):
    """Writes Plan handout into directory out (which must not exist yet)."""
    os.makedirs(out)
    for rel, content in handout.files.items():
        dst = os.path.join(out, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if isinstance(content, tuple):
            os.symlink(content[1], dst)
            continue
        with open(dst, "wb") as f:
            f.write(content)
        os.chmod(dst, handout.modes[rel])


# Solution lines shorter than this (whitespace collapsed) are not checked for leaks: `} else {`,
# `return true;` and the like appear everywhere.
MIN_LEAK_CHARS = 10


def _norm(line):
    return " ".join(line.split())


def leaked_lines(reference_text, leader, handout_text):
    """Lines of the reference's solution regions that appear in the handout text.

    Ignored: lines shorter than MIN_LEAK_CHARS or without a letter or digit, and lines that also
    appear in the reference outside solution regions (as code, or as a stub comment), since those
    are in the handout legitimately. Returns [(reference line number, line)].
    """
    _, solution = transform(reference_text, "<reference>", leader)
    in_solution = {number for number, _ in solution}
    outside = set()
    strip_leader = re.compile(r"^\s*%s ?" % re.escape(leader))
    for number, line in enumerate(reference_text.split("\n"), 1):
        if number not in in_solution:
            outside.add(_norm(line))
            outside.add(_norm(strip_leader.sub("", line, count=1)))
    present = {_norm(line) for line in handout_text.split("\n")}
    leaks = []
    for number, line in solution:
        key = _norm(line)
        if len(key) < MIN_LEAK_CHARS or not re.search(r"[A-Za-z0-9]", key):
            continue
        if key in present and key not in outside:
            leaks.append((number, line))
    return leaks


def marker_lines(text, leader):
    """[(line number, line)] of every line of text that contains a marker."""
    _, anywhere = _marker_res(leader)
    return [(n, line) for n, line in enumerate(text.split("\n"), 1) if anywhere.search(line)]
