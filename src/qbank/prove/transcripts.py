"""Reading a session's transcripts: a run of a session's driver (:mod:`qbank.prove.session`)
that raised `TranscriptMismatch` gives one `transcript-mismatch` problem per statement whose
transcript does not hold, at the statement's line in the YAML file."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qbank.prove.reading import Finding, RunView
from qbank.prove.session import MARK, MISMATCH

_ENTRY = re.compile(r"^line (\d+): (.+)$", re.MULTILINE)


def transcript_findings(views: Sequence[RunView]) -> list[Finding]:
    """One `transcript-mismatch` per statement whose transcript a session's run refuted.

    A transcript is a claim about what the code prints, whatever the run is for (a bug's
    buggy program too); only code choices spliced into a template are left to their reading.
    """
    found: list[Finding] = []
    for view in views:
        failure = view.result.failure
        if failure is None or failure.type != MISMATCH or view.run.role == "choice":
            continue
        if not view.run.spec.program.startswith(MARK):
            continue
        field = "fix" if view.run.role == "fix" else "code"
        for match in _ENTRY.finditer(failure.message):
            line = view.locate(field, int(match[1]), ())
            found.append(
                Finding(
                    f"the session's transcript does not hold (line {match[1]} of `{field}`): "
                    f"{match[2]}",
                    "transcript-mismatch",
                    line,
                )
            )
    return found


__all__ = ["transcript_findings"]
