"""The labs manifest, labs/labs.json: the one list of the course's labs.

labs/CMakeLists.txt builds the labs it lists; scripts/grade, scripts/stress and scripts/handout
read it through this module; test/scripts/test_manifest.py checks it against the built drivers'
`--list` and against deptran/kinds.h. Fields:

  course_labs[]   the course's numbering, in teaching order
      id          "lab1": what `scripts/grade lab1` and the CTest label (`ctest -L lab1`) use
      name        "Lab 1": how the course calls it (`scripts/grade "Lab 1"` works too)
      title       one line
      planned     true when none of its parts exists yet
  labs[]          one per graded test driver, in teaching order
      id          "raft": the lab name of the driver's GRADED_TESTs and of `scripts/grade raft`
      folder      "labs/raft": the lab's folder (its CMakeLists.txt calls lab_add_driver(<id>))
      fixture     "labs/harness/raft": its test fixture, added after the lab when it exists
      driver      "raft_test": the driver, built to <build>/<folder>/<driver>
      kinds       [first, last]: its Marshallable kind range (deptran/kinds.h must agree)
      builds_on   ids of the labs whose student code this lab's library links (kv: ["raft"]);
                  grading it needs the student's files of those labs too
      student_files  the files of folder a student edits and hands in ("server.cc"): with those
                  of builds_on, the only files the Gradescope autograder (scripts/autograder)
                  takes from a submission
      planned     true when the lab is not in the tree yet (CMake and the scripts skip it)
      parts[]     part (the GRADED_TEST part, "A"), course_lab (an id of course_labs), points
                  (the sum of the part's test points, as `--list` prints them), title, and
                  planned (not written yet: no points)

A course lab may span parts of several drivers ("Lab 3" = raft C and D, kv B, shardmaster and
shardkv). A CTest entry that runs a whole driver is labelled with the latest course lab among
the driver's written parts.
"""

import json
import os
import re

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MANIFEST = os.path.join(REPO, "labs", "labs.json")


class ManifestError(Exception):
    """The manifest is missing, not JSON, or inconsistent (the message says where)."""


class Part:
    """One part of a driver's tests, e.g. raft/A."""

    def __init__(self, lab, doc):
        self.lab = lab
        self.part = doc["part"]
        self.course_lab = doc["course_lab"]
        self.points = doc.get("points")
        self.title = doc.get("title", "")
        self.planned = bool(doc.get("planned", False))

    @property
    def key(self):
        """'raft/A'."""
        return "%s/%s" % (self.lab, self.part)


class Lab:
    """One graded test driver and its parts."""

    def __init__(self, doc):
        self.id = doc["id"]
        self.folder = doc["folder"]
        self.fixture = doc.get("fixture")
        self.driver = doc["driver"]
        self.kinds = tuple(doc["kinds"])
        self.planned = bool(doc.get("planned", False))
        self.builds_on = list(doc.get("builds_on", []))
        self.student_files = list(doc.get("student_files", []))
        self.parts = [Part(self.id, p) for p in doc["parts"]]

    def student_paths(self):
        """The student files as repo-relative paths ("labs/raft/server.cc")."""
        return ["%s/%s" % (self.folder, name) for name in self.student_files]

    def driver_path(self, build):
        """Where the driver is in build dir build."""
        return os.path.join(build, *self.folder.split("/"), self.driver)


class CourseLab:
    """One lab of the course's numbering ("Lab 1") and the driver parts it consists of."""

    def __init__(self, doc, parts):
        self.id = doc["id"]
        self.name = doc["name"]
        self.title = doc.get("title", "")
        self.planned = bool(doc.get("planned", False))
        self.parts = parts  # [Part], in manifest order


class Selection:
    """What a command-line name selects: a driver and the parts of it (None = every part)."""

    def __init__(self, lab, parts=None):
        self.lab = lab
        self.parts = parts

    def wants(self, part):
        """True when the driver's tests of part are selected."""
        return self.parts is None or part in self.parts


def _normalize_course_lab(text):
    return re.sub(r"[\s_-]+", "", text).lower()


class Manifest:
    """labs/labs.json, parsed and checked for internal consistency."""

    def __init__(self, doc, path=MANIFEST):
        self.path = path
        try:
            self.labs = [Lab(d) for d in doc["labs"]]
            by_id = {}
            for d in doc["course_labs"]:
                by_id[d["id"]] = CourseLab(d, [])
            self.course_labs = list(by_id.values())
        except (KeyError, TypeError, ValueError) as e:
            raise ManifestError("%s: missing or bad field %s" % (path, e))
        for lab in self.labs:
            if any("/" in f or f.startswith(".") for f in lab.student_files):
                raise ManifestError("%s: lab %s: student_files are plain names of files in %s"
                                    % (path, lab.id, lab.folder))
            unknown = [d for d in lab.builds_on if d not in [x.id for x in self.labs]]
            if unknown:
                raise ManifestError("%s: lab %s builds on unknown labs %s" % (path, lab.id,
                                                                               unknown))
            if len(lab.kinds) != 2 or lab.kinds[0] > lab.kinds[1]:
                raise ManifestError("%s: lab %s: kinds must be [first, last]" % (path, lab.id))
            for part in lab.parts:
                if part.course_lab not in by_id:
                    raise ManifestError("%s: %s names course lab %r, which course_labs lacks"
                                        % (path, part.key, part.course_lab))
                if not part.planned and not isinstance(part.points, (int, float)):
                    raise ManifestError("%s: %s has no points" % (path, part.key))
                by_id[part.course_lab].parts.append(part)

    def lab(self, lab_id):
        """The Lab named lab_id, or None."""
        return next((lab for lab in self.labs if lab.id == lab_id), None)

    def with_foundations(self, lab_ids):
        """lab_ids and every lab they build on (builds_on, transitively), in manifest order."""
        wanted, todo = set(), list(lab_ids)
        while todo:
            lab_id = todo.pop()
            if lab_id not in wanted:
                wanted.add(lab_id)
                todo += self.lab(lab_id).builds_on
        return [lab.id for lab in self.labs if lab.id in wanted]

    def lab_ids(self):
        """Ids of the labs in the tree (not planned), in teaching order."""
        return [lab.id for lab in self.labs if not lab.planned]

    def course_lab(self, text):
        """The CourseLab that text names ("Lab 1", "lab1", "lab 1"), or None."""
        key = _normalize_course_lab(text)
        return next((c for c in self.course_labs
                     if key in (c.id, _normalize_course_lab(c.name))), None)

    def names(self):
        """Every name resolve() accepts (for --help and error messages)."""
        return self.lab_ids() + [c.id for c in self.course_labs if not c.planned] + [
            p.key for lab in self.labs if not lab.planned for p in lab.parts if not p.planned]

    def resolve(self, text):
        """[Selection] for a name: a lab ('raft'), a part ('raft/A') or a course lab ('Lab 1').

        Raises ManifestError naming what exists when text names nothing, or only planned parts.
        """
        lab = self.lab(text)
        if lab is not None:
            if lab.planned:
                raise ManifestError("lab %s is planned, not written yet" % text)
            return [Selection(lab.id)]
        if "/" in text:
            lab_id, _, part_name = text.partition("/")
            lab = self.lab(lab_id)
            part = None if lab is None else next(
                (p for p in lab.parts if p.part.lower() == part_name.lower()), None)
            if part is not None:
                if part.planned or lab.planned:
                    raise ManifestError("part %s is planned, not written yet" % part.key)
                return [Selection(lab.id, [part.part])]
        course = self.course_lab(text)
        if course is not None:
            selections = []
            for part in course.parts:
                if part.planned or self.lab(part.lab).planned:
                    continue
                sel = next((s for s in selections if s.lab == part.lab), None)
                if sel is None:
                    selections.append(Selection(part.lab, [part.part]))
                else:
                    sel.parts.append(part.part)
            if not selections:
                raise ManifestError("%s (%s) is planned, not written yet" % (course.name,
                                                                            course.title))
            return selections
        raise ManifestError("%r is not a lab, part or course lab of %s; try one of: %s" % (
            text, os.path.relpath(self.path, REPO), " ".join(self.names())))

    def ctest_label(self, lab_id):
        """The CTest label of a whole driver run: the latest course lab of its written parts."""
        order = [c.id for c in self.course_labs]
        written = [p.course_lab for p in self.lab(lab_id).parts if not p.planned]
        return max(written, key=order.index)


def load(path=MANIFEST):
    """Reads and checks the manifest; raises ManifestError."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise ManifestError("cannot read the labs manifest %s: %s" % (path, e))
    return Manifest(doc, path)
