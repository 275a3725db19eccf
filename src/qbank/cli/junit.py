"""JUnit XML for CI systems: one test case per question, a failure per problem."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from qbank.fileio import write_atomic
from qbank.report import Report


def junit_xml(report: Report) -> bytes:
    """The report as JUnit XML (one suite per bank)."""
    suites = ET.Element("testsuites", name="qbank", time=f"{report.duration:.3f}")
    for loaded in report.collection:
        results = [r for r in report.results.values() if r.bank == loaded.id]
        suite = ET.SubElement(suites, "testsuite", name=loaded.id, tests=str(len(results)))
        failures = 0
        bank_problems = [p for p in report.problems if p.path == loaded.path and p.question is None]
        for result in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=loaded.id,
                name=result.question,
                file=result.path,
                line=str(result.line),
                time=f"{result.duration:.3f}",
            )
            problems = [
                p for p in report.problems_of(loaded.id, result.question) if p.severity == "error"
            ]
            problems += [p for p in bank_problems if p.severity == "error"]
            if problems:
                failures += 1
                failure = ET.SubElement(
                    case, "failure", message=problems[0].message, type=problems[0].code
                )
                failure.text = "\n".join(p.format() for p in problems)
            elif result.state == "skipped":
                ET.SubElement(case, "skipped", message=result.reason or "skipped")
            elif result.state == "not executed":
                ET.SubElement(case, "properties").append(
                    ET.Element("property", name="state", value=result.state)
                )
        suite.set("failures", str(failures))
        suite.set("skipped", str(sum(r.state == "skipped" for r in results)))
    data: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return data


def write_junit(report: Report, path: str) -> None:
    """Write the JUnit XML of `report` to `path` atomically."""
    write_atomic(path, junit_xml(report))
