"""Score table, Gradescope results.json and JUnit XML for scripts/grade."""

import collections
import json
import os
import re
import xml.etree.ElementTree as ET


class Outcome:
    """The grade of one test.

    kind: 'passed', 'failed', 'crashed', 'hung' or 'error' (no result line, no signal);
    status: the table's status text, e.g. 'crashed (SIGSEGV)'; message: one line for JUnit's
    failure message; output: the text shown to the student (results.json, JUnit body);
    reports: paths of the HTML reports the test wrote (linearizability reports), set by the caller.
    """

    def __init__(self, info, kind, status, earned, wall_s, message, output):
        self.info = info
        self.kind = kind
        self.status = status
        self.earned = earned
        self.wall_s = wall_s
        self.message = message
        self.output = output
        self.reports = []

    @property
    def passed(self):
        return self.kind == "passed"


def fmt_points(value):
    """5 -> '5', 2.5 -> '2.5'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def group_by_lab(outcomes):
    """OrderedDict lab -> [Outcome], labs in first-seen order."""
    groups = collections.OrderedDict()
    for outcome in outcomes:
        groups.setdefault(outcome.info.lab, []).append(outcome)
    return groups


def totals(outcomes):
    """(earned, max, passed count, failed count)."""
    earned = sum(o.earned for o in outcomes)
    maximum = sum(o.info.points for o in outcomes)
    passed = sum(1 for o in outcomes if o.passed)
    return earned, maximum, passed, len(outcomes) - passed


def format_table(outcomes, headers=None):
    """The score table: per lab a header, one row per test and a lab total; then the total.

    headers: optional dict lab -> text printed after the lab's name (driver, net, seed).
    """
    lines = []
    for lab, group in group_by_lab(outcomes).items():
        rows = [("Test", "Part", "Points", "Status", "Wall")]
        for o in group:
            rows.append((o.info.name, o.info.part,
                         "%s/%s" % (fmt_points(o.earned), fmt_points(o.info.points)),
                         o.status, "%.2fs" % o.wall_s))
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        title = lab if not headers or lab not in headers else "%s  (%s)" % (lab, headers[lab])
        lines.append(title)
        for row in rows:
            cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2]),
                     row[3].ljust(widths[3]), row[4].rjust(widths[4])]
            lines.append("  " + "  ".join(cells).rstrip())
        earned, maximum, passed, failed = totals(group)
        lines.append("  %s: %s/%s points, %d passed, %d failed" % (
            lab, fmt_points(earned), fmt_points(maximum), passed, failed))
        lines.append("")
    earned, maximum, passed, failed = totals(outcomes)
    lines.append("Total: %s/%s points, %d passed, %d failed" % (
        fmt_points(earned), fmt_points(maximum), passed, failed))
    return "\n".join(lines)


def format_reports(outcomes, show=lambda path: path):
    """The lines naming the HTML reports of outcomes ('' when there are none).

    show: how a path is printed (e.g. relative to the current directory).
    """
    paths = []
    for o in outcomes:
        paths += [p for p in o.reports if p not in paths]
    if not paths:
        return ""
    lines = ["Linearizability reports (HTML; open in a browser):"]
    lines += ["  %s" % show(path) for path in paths]
    return "\n".join(lines)


def write_results_json(path, outcomes, execution_time_s, summary):
    """Writes Gradescope's results.json: score, execution_time, output, tests[]."""
    earned, _, _, _ = totals(outcomes)
    doc = {
        "score": earned,
        "execution_time": round(execution_time_s, 3),
        "output": summary,
        "tests": [{
            "name": o.info.display,
            "score": o.earned,
            "max_score": o.info.points,
            "status": "passed" if o.passed else "failed",
            "output": o.output,
        } for o in outcomes],
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


# Characters XML 1.0 cannot carry (log lines may contain any byte).
_XML_BAD = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text):
    return _XML_BAD.sub("?", text)


def write_junit(path, outcomes, properties=None):
    """Writes JUnit XML: <testsuites> with one <testsuite> per lab, one <testcase> per test.

    A test that did not pass has a <failure type=kind message=message> with its output.
    properties: optional dict name -> value put in every suite's <properties> (seed, net).
    """
    earned, maximum, _, failed_all = totals(outcomes)
    root = ET.Element("testsuites", name="dslabs", tests=str(len(outcomes)),
                      failures=str(failed_all), errors="0",
                      time="%.3f" % sum(o.wall_s for o in outcomes))
    for lab, group in group_by_lab(outcomes).items():
        _, _, _, failed = totals(group)
        suite = ET.SubElement(root, "testsuite", name=lab, tests=str(len(group)),
                              failures=str(failed), errors="0", skipped="0",
                              time="%.3f" % sum(o.wall_s for o in group))
        if properties:
            props = ET.SubElement(suite, "properties")
            for key, value in properties.items():
                ET.SubElement(props, "property", name=key, value=_xml_text(str(value)))
        for o in group:
            case = ET.SubElement(suite, "testcase", classname="%s.%s" % (lab, o.info.part),
                                 name=o.info.name, time="%.3f" % o.wall_s)
            if not o.passed:
                failure = ET.SubElement(case, "failure", type=o.kind,
                                        message=_xml_text(o.message))
                failure.text = _xml_text(o.output)
            else:
                out = ET.SubElement(case, "system-out")
                out.text = _xml_text(o.output)
    root.set("score", "%s/%s" % (fmt_points(earned), fmt_points(maximum)))
    tree = ET.ElementTree(root)
    if hasattr(ET, "indent"):
        ET.indent(tree)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
