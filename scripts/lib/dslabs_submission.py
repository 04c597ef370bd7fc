"""Finding a lab's student files in a Gradescope submission (used by dslabs_gradescope.py).

A submission arrives in any of these shapes, and each student file labs/<lab>/<name> is looked
for in this order below the submission's root:
    labs/<lab>/<name>     the student's whole tree (or a zip of it)
    <lab>/<name>          the lab folders only
    <name>                the files alone (only when no other graded lab has a file so named)
The root is the submission directory, or the single folder a zip was packed with (down to two
levels: `dslabs/labs/raft/...` and `submission/dslabs/...` both work); a submission that is
one .zip file is unpacked first. Only the listed files are taken: every other file (tests,
CMakeLists.txt, the harness, new files) is ignored, so a submission cannot change the tests, the
build or the scores. A listed file that is missing keeps the handout's version (its stub).
"""

import os
import shutil
import tempfile
import zipfile

MAX_DEPTH = 2


def _entries(path):
    return sorted(e for e in os.listdir(path) if not e.startswith(".") and e != "__MACOSX")


def unpack_single_zip(submission):
    """The directory to search: submission, or a temp dir holding its lone .zip, unpacked."""
    entries = _entries(submission)
    if len(entries) == 1 and entries[0].lower().endswith(".zip") and os.path.isfile(
            os.path.join(submission, entries[0])):
        out = tempfile.mkdtemp(prefix="dslabs-submission-")
        with zipfile.ZipFile(os.path.join(submission, entries[0])) as z:
            for info in z.infolist():
                target = os.path.realpath(os.path.join(out, info.filename))
                if target.startswith(os.path.realpath(out) + os.sep):  # no ../ escapes
                    z.extract(info, out)
        return out
    return submission


def candidate_roots(submission):
    """The submission dir and the chain of single folders below it (at most MAX_DEPTH)."""
    roots = [submission]
    here = submission
    for _ in range(MAX_DEPTH):
        entries = _entries(here)
        if len(entries) != 1 or not os.path.isdir(os.path.join(here, entries[0])):
            break
        here = os.path.join(here, entries[0])
        roots.append(here)
    return roots


def locate(root, rel, flat_ok):
    """The path of student file rel (labs/<lab>/<name>) below root, or None."""
    _, lab, name = rel.split("/", 2)
    options = [os.path.join(root, *rel.split("/")), os.path.join(root, lab, name)]
    if flat_ok:
        options.append(os.path.join(root, name))
    for path in options:
        if os.path.isfile(path) and not os.path.islink(path):
            return path
    return None


def overlay(submission, tree, stubs, paths):
    """Puts each student file of paths (repo-relative) into tree: the submission's copy when it
    has one, else the stub from stubs. Returns the report lines shown to the student."""
    if not os.path.isdir(submission):
        return _restore_all(tree, stubs, paths) + ["No submission directory %s." % submission]
    search = unpack_single_zip(submission)
    names = [p.rsplit("/", 1)[1] for p in paths]
    flat = {p: names.count(p.rsplit("/", 1)[1]) == 1 for p in paths}
    roots = candidate_roots(search)
    found = {}
    for root in reversed(roots):  # the deepest root holding any student file wins
        found = {p: locate(root, p, flat[p]) for p in paths}
        if any(found.values()):
            break
    taken, missing = [], []
    for rel in paths:
        dst = os.path.join(tree, *rel.split("/"))
        if found.get(rel):
            _install(found[rel], dst)
            taken.append(rel)
        else:
            _install(os.path.join(stubs, *rel.split("/")), dst)
            missing.append(rel)
    if search != submission:
        shutil.rmtree(search, ignore_errors=True)
    lines = ["Taken from your submission (%d of %d files): %s" % (
        len(taken), len(paths), " ".join(taken) or "none")]
    if missing:
        lines.append("NOT in your submission, so the handout's version was used: %s"
                     % " ".join(missing))
    if not taken:
        lines.append("None of the lab's files was found. Upload them as files (server.cc, ...), "
                     "or a zip of your labs/<lab>/ folders or of your whole tree; your upload "
                     "holds: %s" % (" ".join(_entries(submission)[:20]) or "nothing"))
    lines.append("Only these files are graded; every other file of the submission is ignored "
                 "(the tests, the harness and the build files are the course's).")
    return lines


def _install(src, dst):
    """Copies src to dst unless dst holds the same bytes (so make rebuilds only what changed)."""
    with open(src, "rb") as f:
        data = f.read()
    if os.path.isfile(dst):
        with open(dst, "rb") as f:
            if f.read() == data:
                return
    with open(dst, "wb") as f:
        f.write(data)


def _restore_all(tree, stubs, paths):
    for rel in paths:
        _install(os.path.join(stubs, *rel.split("/")), os.path.join(tree, *rel.split("/")))
    return []
