"""The labs manifest (labs/labs.json) agrees with the tree, the built drivers and deptran/kinds.h.

- every lab that is not planned has its folder (and fixture, when named) with a CMakeLists.txt;
- each built driver's `--list` (in $DSLABS_BUILD, default build/) names only its lab, and the
  points of each part sum to the manifest's points; no written part is missing, no planned part
  has tests;
- deptran/kinds.h and deptran/kinds.cc give every lab the manifest's kind range (this test is
  how the C++ list of kind ranges is kept in step: kinds.h is written by hand, not generated);
- every lab's student_files exist and are neither tests nor build files, and its builds_on
  names the lab libraries its own library links;
- every CTest entry of the build is labelled `base` or with a course lab of the manifest.
"""

import collections
import os
import re
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts", "lib"))
import dslabs_labs as L  # noqa: E402
import dslabs_protocol as P  # noqa: E402

BUILD = os.environ.get("DSLABS_BUILD", os.path.join(REPO, "build"))
MANIFEST = L.load()


class ManifestTreeTest(unittest.TestCase):
    def test_ids_are_unique(self):
        ids = [lab.id for lab in MANIFEST.labs]
        self.assertEqual(len(ids), len(set(ids)), ids)
        courses = [c.id for c in MANIFEST.course_labs]
        self.assertEqual(len(courses), len(set(courses)), courses)
        for lab in MANIFEST.labs:
            parts = [p.part for p in lab.parts]
            self.assertEqual(len(parts), len(set(parts)), lab.id)

    def test_written_labs_are_in_the_tree(self):
        for lab in MANIFEST.labs:
            if lab.planned:
                continue
            self.assertTrue(os.path.isfile(os.path.join(REPO, lab.folder, "CMakeLists.txt")),
                            "%s: %s/CMakeLists.txt is missing" % (lab.id, lab.folder))
            if lab.fixture:
                self.assertTrue(os.path.isdir(os.path.join(REPO, lab.fixture)),
                                "%s: fixture %s is missing" % (lab.id, lab.fixture))
            self.assertTrue(any(not p.planned for p in lab.parts), lab.id)

    def test_student_files_exist_and_are_not_tests_or_build_files(self):
        for lab in MANIFEST.labs:
            if lab.planned:
                continue
            self.assertTrue(lab.student_files, "%s lists no student_files" % lab.id)
            for rel in lab.student_paths():
                self.assertTrue(os.path.isfile(os.path.join(REPO, rel)), rel + " is missing")
                name = os.path.basename(rel)
                self.assertFalse(name == "CMakeLists.txt" or "_test" in name
                                 or "_tester" in name, rel + " is the course's, not a student's")

    def test_builds_on_matches_the_lab_libraries_links(self):
        for lab in MANIFEST.labs:
            if lab.planned:
                continue
            with open(os.path.join(REPO, lab.folder, "CMakeLists.txt")) as f:
                text = f.read()
            m = re.search(r"target_link_libraries\(lab_%s\s+PUBLIC([^)]*)\)" % lab.id, text)
            self.assertIsNotNone(m, "%s/CMakeLists.txt: no target_link_libraries(lab_%s"
                                 % (lab.folder, lab.id))
            linked = sorted(x[len("lab_"):] for x in m.group(1).split() if x.startswith("lab_"))
            self.assertEqual(sorted(lab.builds_on), linked, lab.id)

    def test_planned_flags_agree(self):
        for course in MANIFEST.course_labs:
            written = [p.key for p in course.parts
                       if not p.planned and not MANIFEST.lab(p.lab).planned]
            if course.planned:
                self.assertEqual(written, [], "%s is planned but has written parts" % course.id)
            else:
                self.assertNotEqual(written, [], "%s has no written part" % course.id)
        for lab in MANIFEST.labs:
            if lab.planned:
                self.assertTrue(all(p.planned for p in lab.parts), lab.id)

    def test_course_lab_names(self):
        self.assertEqual([(s.lab, s.parts) for s in MANIFEST.resolve("Lab 1")],
                         [("raft", ["A", "B"])])
        self.assertIs(MANIFEST.course_lab("lab 2"), MANIFEST.course_lab("Lab 2"))


class ManifestDriversTest(unittest.TestCase):
    def test_points_agree_with_the_drivers_list(self):
        checked = 0
        for lab in MANIFEST.labs:
            driver = P.driver_path(BUILD, lab.id)
            if lab.planned or not os.access(driver, os.X_OK):
                continue
            proc = subprocess.run([driver, "--list"], cwd=os.path.dirname(driver),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
            self.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace"))
            tests = P.parse_list(proc.stdout.decode(errors="replace"))
            self.assertEqual({t.lab for t in tests}, {lab.id}, driver)
            listed = collections.OrderedDict()
            for t in tests:
                listed[t.part] = listed.get(t.part, 0) + t.points
            manifest = collections.OrderedDict(
                (p.part, p.points) for p in lab.parts if not p.planned)
            self.assertEqual(dict(listed), dict(manifest),
                             "%s: points per part from `%s --list` differ from labs/labs.json"
                             % (lab.id, driver))
            checked += 1
        if checked == 0:
            self.skipTest("no lab driver is built in %s (set DSLABS_BUILD)" % BUILD)

    @unittest.skipIf(shutil.which("ctest") is None, "ctest is not installed")
    def test_every_ctest_entry_has_a_course_lab_label(self):
        if not os.path.isfile(os.path.join(BUILD, "CTestTestfile.cmake")):
            self.skipTest("no CTest build dir %s (set DSLABS_BUILD)" % BUILD)

        def names(*extra):
            proc = subprocess.run(["ctest", "-N"] + list(extra), cwd=BUILD,
                                  stdout=subprocess.PIPE, universal_newlines=True, timeout=120)
            return re.findall(r"Test +#\d+: (\S+)", proc.stdout)

        labels = ["base"] + [c.id for c in MANIFEST.course_labs]
        everything = names()
        labelled = names("-L", "^(%s)$" % "|".join(labels))
        self.assertGreater(len(everything), 0)
        self.assertEqual(sorted(set(everything) - set(labelled)), [],
                         "CTest entries without a label among %s" % labels)


class KindsTest(unittest.TestCase):
    def test_kind_ranges_agree_with_deptran_kinds(self):
        with open(os.path.join(REPO, "deptran", "kinds.h")) as f:
            header = f.read()
        with open(os.path.join(REPO, "deptran", "kinds.cc")) as f:
            source = f.read()
        values = {name: int(value) for name, value in
                  re.findall(r"constexpr int32_t (kKind\w+) = (\d+);", header)}
        ranges = {}  # range name in KindRangeName -> (first, last)
        for first, last, name in re.findall(
                r"kind >= (kKind\w+First) && kind <= (kKind\w+Last)\) return \"(\w+)\"", source):
            ranges[name] = (values[first], values[last])
        table = {owner: (int(a), int(b)) for a, b, owner in
                 re.findall(r"^//\s+(\d+)-(\d+)\s+(\w+)", header, re.M)}
        for lab in MANIFEST.labs:
            self.assertEqual(ranges.get(lab.id), lab.kinds,
                             "deptran/kinds.cc KindRangeName and kinds.h disagree with "
                             "labs/labs.json on the kinds of %s" % lab.id)
            self.assertEqual(table.get(lab.id), lab.kinds,
                             "the range table in deptran/kinds.h disagrees on %s" % lab.id)
        others = set(ranges) - {lab.id for lab in MANIFEST.labs}
        self.assertEqual(others, {"runtime"}, "kind ranges of labs not in labs/labs.json")


if __name__ == "__main__":
    unittest.main()
