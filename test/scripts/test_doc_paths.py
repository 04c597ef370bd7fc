"""Every repository path named in a doc or a comment exists (CTest `docs_paths`).

See doc_paths.py for what is scanned and what counts as a path. In a git checkout (the
reference) the tracked files are checked, and so is the handout they cut into: a file that goes
to students must not name a file the handout leaves out, except the instructor-only paths
(dslabs_handout.INSTRUCTOR_ONLY), which the docs name as such. In a handout tree (no git) its
own files are checked, instructor-only paths again accepted.
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "scripts", "lib"))
import doc_paths as D  # noqa: E402
import dslabs_handout as H  # noqa: E402


def report(missing):
    lines = ["%s:%d: names %s, which does not exist" % m for m in missing]
    return "stale paths (fix the doc or comment, or the path):\n  " + "\n  ".join(lines)


def is_git_checkout(root):
    return os.path.exists(os.path.join(root, ".git"))


class RepoPathsTest(unittest.TestCase):
    def test_paths_named_in_docs_and_comments_exist(self):
        files = D.read_tree(REPO, D.tree_files(REPO))
        self.assertGreater(len(files), 20)

        def exists(path):
            return os.path.exists(os.path.join(REPO, path)) or H.is_instructor_only(path) or \
                H.is_instructor_only(path + "/")

        missing = D.missing_paths(files, exists)
        self.assertEqual(missing, [], report(missing))

    @unittest.skipUnless(is_git_checkout(REPO), "not a git checkout (a handout has no handout)")
    def test_handout_files_name_only_handout_paths(self):
        plan = H.plan(REPO)
        files = {}
        for rel, content in plan.files.items():
            if isinstance(content, bytes):
                text = content.decode("utf-8", "replace")
                if D.kind_of(rel, text.split("\n", 1)[0]) is not None:
                    files[rel] = text
        present = set(plan.files)
        for rel in plan.files:
            parts = rel.split("/")
            present.update("/".join(parts[:i]) for i in range(1, len(parts)))

        def exists(path):
            return path in present or path in ("", ".") or H.is_instructor_only(path) or \
                H.is_instructor_only(path + "/")

        missing = D.missing_paths(files, exists)
        self.assertEqual(missing, [], "in the handout: " + report(missing))


class ScannerTest(unittest.TestCase):
    def tokens(self, rel, text):
        return [token for _, token in D.named_paths(rel, text)]

    def test_c_comments_only(self):
        text = ('// see labs/raft/server.h\n'
                'const char* s = "labs/not/a/comment.h // labs/nor/this.h";\n'
                'auto r = R"x(labs/raw/string.h)x";  /* labs/kv/client.h\n'
                '   labs/kv/server.h */ int n = 1\'000;  // deptran/kinds.h\n')
        self.assertEqual(D.named_paths("a.cc", text),
                         [(1, "labs/raft/server.h"), (3, "labs/kv/client.h"),
                          (4, "labs/kv/server.h"), (4, "deptran/kinds.h")])

    def test_python_comments_and_docstrings_only(self):
        text = ('"""Module doc: scripts/grade."""\n'
                'import os  # scripts/stress\n'
                'X = "labs/fixture/not_a_doc.cc"\n'
                'def f():\n'
                '    """Function doc: test/scripts/fake_driver.py."""\n')
        self.assertEqual(self.tokens("x.py", text),
                         ["scripts/grade", "scripts/stress", "test/scripts/fake_driver.py"])
        self.assertEqual(self.tokens("scripts/tool", "#!/usr/bin/env python3\n# rrr/base/\n"),
                         ["rrr/base/"])
        self.assertEqual(self.tokens("scripts/tool.sh", "#!/bin/sh\n# rrr/base/\n"), [])

    def test_cmake_comments_only(self):
        text = 'add_test(NAME x COMMAND "labs/a#b")  # labs/raft/CMakeLists.txt\n'
        self.assertEqual(self.tokens("CMakeLists.txt", text), ["labs/raft/CMakeLists.txt"])

    def test_what_is_not_a_path(self):
        text = ("build/labs/raft/raft_test, handout/dslabs/labs/kv/, https://x.org/labs/a, "
                "labs/<lab>/<lab>_test.cc, scripts/lib/*.py, labs/{raft,kv}, labs/..., "
                "my-labs/x, and finally rrr/rpc/errors.h.")
        self.assertEqual(self.tokens("a.md", text), ["rrr/rpc/errors.h"])

    def test_markdown_links(self):
        text = "[guide](../raft/README.md#api), [web](https://x.org/a), [top](#top)\n"
        self.assertEqual(D.md_links(text), [(1, "../raft/README.md")])
        files = {"labs/kv/README.md": text + "\nlabs/kv/gone.cc\n"}
        existing = {"labs/raft/README.md"}
        self.assertEqual(D.missing_paths(files, existing.__contains__),
                         [("labs/kv/README.md", 3, "labs/kv/gone.cc")])

    def test_paths_relative_to_the_naming_file_count(self):
        files = {"labs/harness/README.md": "see test/x.cc"}
        self.assertEqual(D.missing_paths(files, {"labs/harness/test/x.cc"}.__contains__), [])


if __name__ == "__main__":
    unittest.main()
