"""Finds the repository paths that docs and comments name, so a test can check they exist.

Scanned: every *.md file (all of its text), and the comments of C/C++ sources and headers,
.rpc files, CMake files (CMakeLists.txt, *.cmake) and Python files (*.py and extensionless
scripts starting with a python shebang: `#` comments and docstrings). A path is a token that
starts with a top-level folder of the repo (TOP_LEVEL) followed by '/', not preceded by a
letter, digit, '.', '/' or '-' (so `build/labs/...`, `handout/dslabs/...` and URLs are not
paths of the tree). Placeholders and globs (`labs/<lab>/`, `scripts/lib/*`, `{a,b}`, `...`)
are skipped. A path exists when it names a file or folder relative to the repo root or to the
folder of the file that names it. The relative links of *.md files (`[text](../raft/README.md)`,
not URLs or anchors) must exist relative to the file's folder.
"""

import io
import os
import re
import subprocess
import tokenize

TOP_LEVEL = ("rrr", "deptran", "labs", "test", "scripts", "config", "docs", "cmake")
_TOKEN_RE = re.compile(r"(?<![\w./-])((?:%s)/[\w./+-]*)" % "|".join(TOP_LEVEL))
# A token followed by one of these is a placeholder or a glob, not a path.
_PLACEHOLDER_NEXT = set("<*{$[")
_C_LIKE = {".c", ".cc", ".cpp", ".h", ".hh", ".hpp", ".rpc"}
_MD_LINK_RE = re.compile(r"\]\(([^()\s]+)\)")
_SKIP_DIRS = {".git", "handout", "results", "data", "node_modules"}


def kind_of(rel, first_line=""):
    """'md', 'c', 'cmake', 'py' or None (not scanned) for repo-relative path rel."""
    base = os.path.basename(rel)
    ext = os.path.splitext(base)[1]
    if ext == ".md":
        return "md"
    if ext in _C_LIKE:
        return "c"
    if base == "CMakeLists.txt" or ext == ".cmake":
        return "cmake"
    if ext == ".py" or (ext == "" and first_line.startswith("#!") and "python" in first_line):
        return "py"
    return None


def c_comments(text):
    """[(line, comment text)] of the // and /* */ comments of C/C++/.rpc text (string, char and
    raw string literals are skipped)."""
    out = []
    i, line, n = 0, 1, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append((line, text[i + 2:end]))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end
            out.append((line, text[i + 2:end]))
            line += text.count("\n", i, end)
            i = end + 2
        elif ch == "R" and text.startswith('R"', i) and (i == 0 or not text[i - 1].isalnum()):
            m = re.match(r'R"([^(\s]{0,16})\(', text[i:])
            if not m:
                i += 1
                continue
            close = ")" + m.group(1) + '"'
            end = text.find(close, i + m.end())
            end = n if end < 0 else end + len(close)
            line += text.count("\n", i, end)
            i = end
        elif ch in "\"'":
            if ch == "'" and i > 0 and text[i - 1].isalnum():  # digit separator 1'000
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != ch and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
        else:
            i += 1
    return out


def cmake_comments(text):
    """[(line, comment text)] of the # comments of CMake text (a # inside "..." is not one)."""
    out = []
    for number, row in enumerate(text.split("\n"), 1):
        quoted = False
        for k, ch in enumerate(row):
            if ch == '"' and (k == 0 or row[k - 1] != "\\"):
                quoted = not quoted
            elif ch == "#" and not quoted:
                out.append((number, row[k + 1:]))
                break
    return out


def python_comments(text):
    """[(line, text)] of the # comments and docstrings (a string that is a whole statement)."""
    out = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return [(1, text)]  # not parseable: scan it all rather than nothing
    starts = {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING}
    prev = tokenize.NEWLINE
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            out.append((tok.start[0], tok.string[1:]))
        elif tok.type == tokenize.STRING and prev in starts:
            out.append((tok.start[0], tok.string))
        if tok.type not in (tokenize.COMMENT, tokenize.NL):
            prev = tok.type
    return out


def chunks(kind, text):
    """[(line, text)] of the parts of a file of kind that are scanned."""
    if kind == "md":
        return [(1, text)]
    if kind == "c":
        return c_comments(text)
    if kind == "cmake":
        return cmake_comments(text)
    return python_comments(text)


def path_tokens(text):
    """[(line offset, path)] of the path tokens in text (offset: newlines before it)."""
    found = []
    for m in _TOKEN_RE.finditer(text):
        token = m.group(1)
        after = text[m.end():m.end() + 1]
        if after in _PLACEHOLDER_NEXT or "..." in token:
            continue
        token = token.rstrip(".,:;")
        if token.count("/") == 1 and token.endswith("/") and after in ("<", ""):
            continue
        found.append((text.count("\n", 0, m.start()), token))
    return found


def md_links(text):
    """[(line, target)] of the relative link targets of markdown text (no URLs, no anchors)."""
    found = []
    for m in _MD_LINK_RE.finditer(text):
        target = m.group(1).split("#", 1)[0]
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
            continue
        found.append((1 + text.count("\n", 0, m.start()), target))
    return found


def named_paths(rel, text):
    """[(line, path)] named by repo file rel with content text ([] when rel is not scanned)."""
    kind = kind_of(rel, text.split("\n", 1)[0])
    if kind is None:
        return []
    return [(line + offset, token) for line, chunk in chunks(kind, text)
            for offset, token in path_tokens(chunk)]


def tree_files(root):
    """Repo-relative paths of the files to scan: `git ls-files` in a git checkout, else every
    file under root except build dirs (build*/, any folder with a CMakeCache.txt), hidden and
    generated folders (a handout tree)."""
    if os.path.isdir(os.path.join(root, ".git")) or os.path.isfile(os.path.join(root, ".git")):
        proc = subprocess.run(["git", "-C", root, "ls-files", "-z"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, check=False)
        if proc.returncode == 0:
            names = proc.stdout.decode("utf-8", "replace").split("\0")
            return sorted(n for n in names if n and os.path.isfile(os.path.join(root, n)))
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        if dirpath != root and os.path.exists(os.path.join(dirpath, "CMakeCache.txt")):
            dirnames[:] = []  # a build dir, whatever its name
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and
                             not d.startswith("build") and d not in _SKIP_DIRS)
        for name in filenames:
            found.append(os.path.relpath(os.path.join(dirpath, name), root))
    return sorted(found)


def missing_paths(files, exists):
    """[(rel, line, path)] of the named paths that do not exist.

    files: {rel: text}; exists(path): True when repo-relative path (a file or a folder) exists.
    """
    missing = []
    for rel in sorted(files):
        folder = os.path.dirname(rel)
        for line, token in named_paths(rel, files[rel]):
            path = token.rstrip("/")
            if exists(path) or exists(os.path.normpath(os.path.join(folder, path))):
                continue
            missing.append((rel, line, token))
        if kind_of(rel) == "md":
            for line, target in md_links(files[rel]):
                if not exists(os.path.normpath(os.path.join(folder, target)).rstrip("/")):
                    missing.append((rel, line, target))
    return missing


def read_tree(root, rels):
    """{rel: text} of the files of rels that are scanned."""
    files = {}
    for rel in rels:
        try:
            with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        if kind_of(rel, text.split("\n", 1)[0]) is not None:
            files[rel] = text
    return files
