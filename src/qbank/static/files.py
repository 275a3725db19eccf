"""Static checks of the names of a run's files: `files` (fixtures) and `expect.files`.

A name is a relative path inside the run folder (:data:`qbank.model.rules.FILE_NAME_RULE`);
any other is a `bad-file-name` error at its key's line, so the question is never run. Two
fixtures where one would be the folder of the other (`data` and `data/in.txt`) cannot both
be written: that is the same error.
"""

from __future__ import annotations

from qbank.model.rules import FILE_NAME_RULE, file_name_flaw
from qbank.static.context import Context


def check_file_names(ctx: Context) -> None:
    """Every bad name of the question's fixture files and `expect.files`, at its line."""
    q = ctx.question
    for name in q.files:
        _check_name(ctx, ("files", name), "fixture file", name)
    for name in (q.expect.files or {}) if q.expect else {}:
        _check_name(ctx, ("expect", "files", name), "`expect.files`", name)
    _check_nesting(ctx, [n for n in q.files if file_name_flaw(n) is None])


def _check_name(ctx: Context, loc: tuple[str, ...], what: str, name: str) -> None:
    flaw = file_name_flaw(name)
    if flaw is not None:
        ctx.add(loc, f"{what} name {name!r} {flaw}: {FILE_NAME_RULE}", "bad-file-name")


def _check_nesting(ctx: Context, names: list[str]) -> None:
    """A fixture cannot be a file and the folder of another fixture at once."""
    files = set(names)
    for name in names:
        parts = name.split("/")
        folder = next(
            (f for f in ("/".join(parts[:i]) for i in range(1, len(parts))) if f in files), None
        )
        if folder is not None:
            ctx.add(
                ("files", name),
                f"fixture file name {name!r} puts it inside {folder!r}, which is a fixture "
                "file too: a name cannot be both a file and a folder",
                "bad-file-name",
            )


__all__ = ["check_file_names"]
