"""The proof of a `figure`: the run of the program shown must write the image it names.

The plan asks one run to read the file back (:func:`qbank.prove.plan.plan_question`): the
question's `main` run, the first correct choice's for `code_choice`, the buggy program's for
`bug` (the code the learner sees). The run must have written it (`figure-missing`), as an
image of the type its name says (`media-type`), no larger than the bank's `media_limit`
(`media-too-large`); then its bytes are the question's figure, shown with it in exports.
"""

from __future__ import annotations

from collections.abc import Sequence

from qbank.model import QuestionBase
from qbank.model.media import content_flaw
from qbank.prove.reading import RunView, Verdict


def figure_view(views: Sequence[RunView]) -> RunView | None:
    """The view of the run that reads the figure back (None: no run does)."""
    return next((v for v in views if v.run.spec.collect_bytes), None)


def judge_figure(verdict: Verdict, question: QuestionBase, views: Sequence[RunView]) -> None:
    """Record the figure the run wrote in `verdict`, or why it is not one."""
    view = figure_view(views)
    if question.figure is None or view is None:
        return
    ((name, most),) = view.run.spec.collect_bytes
    data = view.result.file_bytes(name)
    if data is None:
        ended = view.end_reason()
        how = f" (the run ended abnormally: {ended})" if ended else ""
        verdict.fail(f"the program did not write {name}{how}", "figure-missing", field="figure")
        return
    limit, failed = most - 1, False
    flaw = content_flaw(name, data)
    if flaw is not None:
        verdict.fail(f"the figure {name!r} the program wrote {flaw}", "media-type", field="figure")
        failed = True
    if len(data) > limit:
        verdict.fail(
            f"the figure {name!r} the program wrote is larger than the bank's `media_limit` "
            f"({limit} bytes): draw it smaller, or raise `media_limit`",
            "media-too-large",
            field="figure",
        )
        failed = True
    if not failed:
        verdict.figure = data


__all__ = ["figure_view", "judge_figure"]
