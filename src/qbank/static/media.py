"""Static checks of a question's images (DESIGN section 8), and their part of the cache key.

Every `![alt](path)` in a Markdown field names a file relative to the bank file's folder
that must stay inside the project root once symbolic links are resolved
(`media-outside-project`; an absolute path too), exist (`media-missing`), be a png, jpeg,
gif, svg or webp by its suffix and by its bytes (`media-type`) and be no larger than the
bank's `media_limit` (`media-too-large`). Each problem is at the line of the field that
holds the reference. External images (`https://...`, `data:...`) are not checked.

`figure:` names a file the program writes: a fixture-style name (`bad-file-name`) of an
image type (`media-type`), on a question that runs code (`figure-without-run`); what the run
writes is judged when proving (:mod:`qbank.prove.figures`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from qbank.loading.files import project_root
from qbank.model import CodeChoice, LoadedBank, Matching, Output, QuestionBase
from qbank.model.media import (
    MEDIA_TYPES,
    content_flaw,
    image_refs,
    media_limit_of,
    media_type,
)
from qbank.model.rules import FILE_NAME_RULE, file_name_flaw
from qbank.model.session import has_transcripts
from qbank.model.snippets import runs_snippets
from qbank.static.context import Context

Loc = tuple[str | int, ...]

_SNIFF = 64 << 10
"""Bytes read of a file too large to read whole: enough for its type's magic bytes."""

#: What is wrong with an image file -> its problem code.
FLAW_CODES = {
    "outside": "media-outside-project",
    "missing": "media-missing",
    "type": "media-type",
    "large": "media-too-large",
}

_TYPES = ", ".join(sorted({suffix.lstrip(".") for suffix in MEDIA_TYPES}))


def located_texts(question: QuestionBase) -> Iterator[tuple[Loc, str, str]]:
    """(YAML location, field name, Markdown text) of every field that may hold an image:
    the fields of :func:`qbank.model.media.text_fields`, each with where it is written."""
    yield ("prompt",), "prompt", question.prompt
    if question.explanation:
        yield ("explanation",), "explanation", question.explanation
    for i, hint in enumerate(question.hint):
        yield ("hint", i), "hint", hint
    for i, choice in enumerate(question.choices_list):
        if choice.text:
            yield ("choices", i, "text"), "choices", choice.text
        if choice.feedback:
            yield ("choices", i, "feedback"), "choices", choice.feedback
    if isinstance(question, Matching):
        for i, pair in enumerate(question.pairs):
            yield ("pairs", i, "left"), "pairs", pair.left


def file_images(question: QuestionBase) -> Iterator[tuple[Loc, str, str]]:
    """(location, field, target) of each file image `question` references, each target once
    (at its first field), external URLs left out."""
    seen: set[str] = set()
    for loc, field, text in located_texts(question):
        for ref in image_refs(text, field):
            if not ref.external and ref.target not in seen:
                seen.add(ref.target)
                yield loc, field, ref.target


def resolve(bank_path: str, target: str, root: Path) -> tuple[Path, str | None]:
    """Where `target` (as written in the bank at `bank_path`) is, symbolic links resolved,
    and why it is outside the project at `root` (None: it is inside)."""
    if Path(target).is_absolute():
        return Path(target), "is an absolute path: write it relative to the bank file's folder"
    written = Path(bank_path).absolute().parent / target
    try:
        found = written.resolve()
    except (OSError, RuntimeError):  # a symlink loop: what is written
        found = written.absolute()
    if not found.is_relative_to(root):
        linked = found != Path(os.path.normpath(written.absolute()))
        how = "leads, through a symbolic link," if linked else "leads"
        return found, f"{how} outside the project root {root} (to {found})"
    return found, None


def check_media(ctx: Context) -> None:
    """Every problem of the question's images and of its `figure`, at their lines."""
    limit = media_limit_of(ctx.loaded.bank)
    root: Path | None = None
    for loc, _, target in file_images(ctx.question):
        root = root or project_root(Path(ctx.loaded.path))
        for text, flaw in _image_flaws(ctx.loaded.path, target, limit, root):
            ctx.add(loc, f"the image {target!r} in {_where(loc)} {text}", FLAW_CODES[flaw])
    if ctx.question.figure is not None:
        _check_figure(ctx, ctx.question.figure)


def _where(loc: Loc) -> str:
    """The field at `loc` in words: `prompt`, `hint`, choice 2, the feedback of choice 2."""
    if loc[0] == "choices":
        return f"choice {int(loc[1]) + 1}" + ("'s feedback" if loc[2] == "feedback" else "")
    if loc[0] == "pairs":
        return f"pair {int(loc[1]) + 1}"
    return f"`{loc[0]}`"


def _image_flaws(bank_path: str, target: str, limit: int, root: Path) -> list[tuple[str, str]]:
    """(message, kind in :data:`FLAW_CODES`) of each flaw of the image file `target`."""
    path, outside = resolve(bank_path, target, root)
    if outside is not None:
        return [(outside, "outside")]
    if media_type(target) is None:
        return [(f"is not an image every export shows: use {_TYPES}", "type")]
    try:
        size = path.stat().st_size
        if path.is_dir():
            return [("is a folder, not an image file", "missing")]
        with path.open("rb") as handle:
            data = handle.read(size if size <= limit else _SNIFF)
    except OSError as exc:
        why = "does not exist" if isinstance(exc, FileNotFoundError) else exc.strerror
        return [(f"{why}: {path} (paths are relative to the bank file's folder)", "missing")]
    flaws: list[tuple[str, str]] = []
    flaw = content_flaw(target, data)
    if flaw is not None:
        flaws.append((flaw, "type"))
    if size > limit:
        flaws.append((too_large(size, limit), "large"))
    return flaws


def too_large(size: int, limit: int) -> str:
    """The message of an image of `size` bytes over `limit`."""
    return (
        f"is {_bytes(size)}, over the bank's `media_limit` of {_bytes(limit)}: "
        "make it smaller, or raise `media_limit`"
    )


def _bytes(size: int) -> str:
    if size < 1 << 10:
        return f"{size} bytes"
    unit, scale = ("KiB", 1 << 10) if size < 1 << 20 else ("MiB", 1 << 20)
    return f"{size / scale:.1f} {unit}".replace(".0 ", " ")


def _check_figure(ctx: Context, name: str) -> None:
    flaw = file_name_flaw(name)
    if flaw is not None:
        ctx.add(("figure",), f"figure name {name!r} {flaw}: {FILE_NAME_RULE}", "bad-file-name")
    elif media_type(name) is None:
        ctx.add(
            ("figure",),
            f"figure {name!r} is not an image every export shows: use {_TYPES}",
            "media-type",
        )
    if name in ctx.question.files:
        ctx.add(
            ("figure",),
            f"figure {name!r} is also a fixture in `files:`: it exists before the program "
            "runs, so writing it proves nothing; name the file the program writes",
            "figure-is-fixture",
        )
    if not runs_code(ctx.loaded, ctx.question):
        ctx.add(
            ("figure",),
            f"figure {name!r} names a file the program writes, but this question runs no "
            "code: add `run`/`check` (or remove `figure`)",
            "figure-without-run",
        )


def runs_code(loaded: LoadedBank, q: QuestionBase) -> bool:
    """Whether validation runs code for `q` (what :func:`qbank.prove.plan.plan_question`
    plans runs for: a test keeps the two equal)."""
    if not runs_snippets(loaded.bank, q):
        return False
    if isinstance(q, CodeChoice):
        return any(c.code is not None for c in q.choices)
    return q.executes or bool(q.code and isinstance(q, Output)) or has_transcripts(q.code)


def media_key(loaded: LoadedBank) -> str:
    """What the bank's static problems depend on beyond its file: every referenced image's
    resolved path and content (sha256, or why there is none); empty without images."""
    entries = []
    root: Path | None = None
    for question in loaded.bank.questions:
        for _, _, target in file_images(question):
            root = root or project_root(Path(loaded.path))
            path, outside = resolve(loaded.path, target, root)
            entries.append((target, str(path), "outside" if outside else _content(path)))
    if not entries:
        return ""
    return hashlib.sha256(repr(sorted(set(entries))).encode()).hexdigest()


def _content(path: Path) -> str:
    """A file's sha256, or why it has none (absent, a folder, unreadable)."""
    try:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except IsADirectoryError:
        return "folder"
    except OSError as exc:
        return f"unreadable: {type(exc).__name__}"


__all__ = [
    "FLAW_CODES",
    "check_media",
    "file_images",
    "located_texts",
    "media_key",
    "resolve",
    "runs_code",
    "too_large",
]
