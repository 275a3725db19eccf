"""Check an exporter against qbank's exporter contract, from your own test suite::

    def test_ids_keeps_the_exporter_contract() -> None:
        qbank.testing.check_exporter(IdsExporter)

It renders and exports a sample holding every question type, and raises :class:`ContractError`
(an :class:`AssertionError`) naming the first rule of :data:`RULES` broken. No test framework.
"""

from __future__ import annotations

import atexit
import copy
import html
import inspect
import os
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qbank.errors import QbankError
from qbank.exporters.base import ExportContext, Exporter, ExporterOptions
from qbank.exporters.registry import registered
from qbank.exporting import export
from qbank.model import Collection, QuestionBase
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

SAMPLE_BANKS = {
    "every-type.yaml": r"""
id: sample/every-type
title: "Sample: {braces} = #hash ~tilde <b>tag</b> & ünïcödé"
description: Every question type, for `qbank.testing.check_exporter`.
tags: [sample]
questions:
  - {id: output-key, type: output, prompt: "What does this print? (`{}`, `=`, `~`, `#`)",
     code: "def qbank_sample(d):\n    return {k: v * 2 for k, v in d.items()}  # {x}: =\n\nprint(qbank_sample({'a': 1}), 'ü', sep='\\n')\n",
     answer: "{'a': 2}\nü\n", hint: Read it twice.,
     choices: ["{'a': 1}\nü\n", {text: "{'a': 2}", feedback: The second line is missing.}]}
  - {id: output-computed, type: output, prompt: What does this print? Validation computes it.,
     code: "def qbank_sample(n):\n    return '#' * n\n\nfor i in range(1, 3):\n    print(qbank_sample(i))\n"}
  - {id: gap, type: code_choice, prompt: Which line makes the assertion hold?,
     code: "items = [3, 1, 2]\n____\nassert items == [1, 2, 3]\n",
     choices: [{code: items.sort(), correct: true}, {code: sorted(items), feedback: "`sorted` copies."}]}
  - {id: bug, type: bug, prompt: Why does this not print `3`?, check: "assert stdout == '3\\n'",
     code: "def total(xs):\n    for x in xs:\n        s = 0\n        s += x\n    return s\n\nprint(total([1, 2]))\n",
     fix: "def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n\nprint(total([1, 2]))\n",
     choices: [{text: "`s` is reset on every pass", correct: true}, "`print` needs `str()`"]}
  - {id: pick-one, type: multiple_choice, prompt: "Which value makes `answer * 2 == [None, None]`?",
     check: "assert answer * 2 == [None, None]", difficulty: easy, explanation: "**Lists** repeat.",
     choices: [{value: [null], correct: true, feedback: Right.}, {value: null}]}
  - {id: pick-many, type: multiple_answers, prompt: Which types are immutable?, shuffle: false,
     choices: [{text: "`tuple`", correct: true, weight: 50}, {text: "`str`", correct: true, weight: 50}, {text: "`list`", weight: -100}]}
  - {id: true-or-false, type: true_false, prompt: "Is `{} == dict()` true?", answer: true}
  - {id: short, type: short_answer, prompt: Which built-in gives a length?, answers: [len, "len()"]}
  - {id: number, type: numerical, prompt: What is `0.1 + 0.2`?, answer: 0.3, tolerance: 0.005}
  - {id: pairs, type: matching, prompt: Match each literal with its type., distractors: [set],
     pairs: [{left: "`{}`", right: dict}, {left: "`()`", right: tuple}]}
  - {id: essay, type: essay, prompt: Explain why `s += part` in a loop can be slow., points: 2}
""",
    "second.yaml": r"""
id: sample/second
questions:
  - {id: only, type: multiple_choice, prompt: Which keyword defines a function?, tags: [syntax],
     choices: [{text: "`def`", correct: true}, "`fun`"]}
""",
}
"""The sample collection: file name -> bank YAML (the second bank has no title or description)."""
RULES = {
    "subclass": "it is a concrete subclass of qbank.exporters.Exporter",
    "name": "`name` is a slug for `qbank export -f` (`gift`; not `all`)",
    "file-extension": "`file_extension` starts with a dot (`.gift`)",
    "description": "`description` is one line for `qbank formats`",
    "flags": "`binary`, `collection_file` and `highlights_code` are True or False",
    "options": "`options_model` is an ExporterOptions subclass; the exporter is built from options",
    "every-question-type": "it renders every bank of the sample, whatever question types it holds",
    "content-type": "each file's content is a str (bytes when `binary` is True)",
    "utf-8": "text content is valid UTF-8",
    "bank-files": "`render_bank_files` maps name suffixes ('', '.key') to contents",
    "collection-file": "with `collection_file`, `render_collection` renders the whole collection",
    "no-silent-drop": "text holds each question (id or prompt's first word) or a warning names it",
    "deterministic": "rendering the same collection twice gives the same bytes",
    "never-runs-code": "it never runs code: starts no process, executes no program of the bank",
    "export": "`qbank.export` writes exactly the files rendering gives",
}
"""Every rule :func:`check_exporter` checks: its name (:attr:`ContractError.rule`) -> the rule."""

_MARKER = "qbank_sample"  # a name the sample's programs define: exec()ing one breaks a rule
_COLLECTION = "<collection>"  # render_collection's output among the rendered files
_DECLARED = ("name", "file_extension", "description", "options_model")
_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_PROCESSES = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"}
_lock = threading.Lock()
_sample: list[tuple[Report, Options]] = []  # the validated sample and its options, once
_watched = threading.local()  # .events: what the rendering thread ran, while it is watched
OptionsArg = ExporterOptions | Mapping[str, object] | None


class ContractError(AssertionError):
    """An exporter breaks the rule called `rule` (a key of :data:`RULES`): `detail` says how."""

    def __init__(self, rule: str, detail: str) -> None:
        self.rule, self.detail = rule, detail
        super().__init__(f"[{rule}] {RULES[rule]}: {detail}")


def _ensure(ok: object, rule: str, detail: str) -> None:
    if not ok:
        raise ContractError(rule, detail)


def sample_report() -> Report:
    """The sample collection (:data:`SAMPLE_BANKS`, in `.collection`) validated by running it:
    the computed keys and refutations exporters get. A fresh copy on each call, yours to change
    (the banks are validated once per process)."""
    report = _validated_sample()[0]
    shared = {id(b.lines): b.lines for b in report.collection}  # line maps are read-only
    return copy.deepcopy(report, shared)


def _validated_sample() -> tuple[Report, Options]:
    with _lock:
        if not _sample:
            folder = Path(tempfile.mkdtemp(prefix="qbank-sample-"))
            atexit.register(shutil.rmtree, folder, True)
            for name, text in {"qbank.toml": "", **SAMPLE_BANKS}.items():  # a project of its own
                (folder / name).write_text(text, encoding="utf-8")
            options = Options(cache_dir=str(folder / ".qbank_cache"))
            report = validate([folder], options)
            if not report.ok:  # a qbank bug, not the exporter's
                raise RuntimeError(f"the sample fails: {[p.format() for p in report.problems]}")
            sys.addaudithook(_audit)  # once; it looks only while a check renders
            _sample.append((report, options))
        return _sample[0]


def check_exporter(exporter_class: type[Exporter], *, options: OptionsArg = None) -> None:
    """Check `exporter_class` against the exporter contract (:data:`RULES`): render the
    sample collection with it twice, then export it with `qbank.export`.

    Raises :class:`ContractError` (an :class:`AssertionError`) naming the first rule it
    breaks. `options` are the exporter's own, as `qbank export` would pass them.
    ``SOURCE_DATE_EPOCH`` is set while it runs, as in a reproducible build.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        _check(exporter_class, options)
    except ContractError as error:
        label = getattr(exporter_class, "__qualname__", repr(exporter_class))
        error.args = (f"{label} breaks the exporter contract {error.args[0]}",)
        raise
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH")
        os.environ.update({} if epoch is None else {"SOURCE_DATE_EPOCH": epoch})


def _check(cls: type[Exporter], options: OptionsArg) -> None:
    _check_declaration(cls)
    reports = sample_report(), sample_report()
    _watched.events = []
    try:
        first = _render_sample(_instance(cls, options), reports[0])
        second = _render_sample(_instance(cls, options), reports[1])
    finally:
        events, _watched.events = dict.fromkeys(_watched.events), None
    _ensure(not events, "never-runs-code", f"while rendering, it {', '.join(events)}")
    for key in sorted(first.keys() | second.keys()):
        a, b = first.get(key, b""), second.get(key, b"")
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), 0)
        _ensure(a == b, "deterministic", f"{key} at byte {at}: {a[at:][:30]!r} vs {b[at:][:30]!r}")
    _check_export(cls, options, first)


def _check_declaration(cls: Any) -> None:
    """What the class declares about itself."""
    abstract = ", ".join(sorted(getattr(cls, "__abstractmethods__", ())))
    ok = inspect.isclass(cls) and issubclass(cls, Exporter) and not abstract
    _ensure(ok, "subclass", f"{cls!r} leaves {abstract} abstract" if abstract else repr(cls))
    name, ext, text, model = (getattr(cls, a, None) for a in _DECLARED)
    _ensure(isinstance(name, str) and _SLUG.fullmatch(name) and name != "all", "name", repr(name))
    _ensure(isinstance(ext, str) and re.fullmatch(r"\.\w[\w.-]*", ext), "file-extension", repr(ext))
    _ensure(isinstance(text, str) and text.strip() and "\n" not in text, "description", repr(text))
    is_model = inspect.isclass(model) and issubclass(model, ExporterOptions)
    _ensure(is_model, "options", f"options_model is {model!r}")
    flags = {f: getattr(cls, f, None) for f in ("binary", "collection_file", "highlights_code")}
    _ensure(all(isinstance(v, bool) for v in flags.values()), "flags", repr(flags))


def _instance(cls: type[Exporter], options: OptionsArg) -> Exporter:
    try:
        exporter = cls(options)
    except Exception as exc:
        raise ContractError("options", f"{cls.__name__}({options!r}) raised {exc!r}") from exc
    _ensure(isinstance(exporter.options, cls.options_model), "options", repr(exporter.options))
    return exporter


def shows_question(text: str, question: QuestionBase) -> bool:
    """Whether an export's `text` carries `question`: its id, or (for formats that show
    learners no id) the first word of its prompt, as written or as HTML shows it (Markdown's
    backticks and emphasis gone, `<`, `&` escaped)."""
    word = question.prompt.split()[0]
    plain = word.strip("`*_") or word
    return question.id in text or any(w in text for w in (word, plain, html.escape(plain)))


def _render_sample(exporter: Exporter, report: Report) -> dict[str, bytes]:
    """Every file rendered for the sample, checked: path in the output folder -> bytes."""
    cls, files, context = type(exporter), {}, ExportContext(report)
    for loaded in report.collection:
        if cls.render_bank_files is not Exporter.render_bank_files:  # else it is render_bank's
            _content(cls, _call(exporter, "render_bank", loaded, context), loaded.id)
        rendered: Any = _call(exporter, "render_bank_files", loaded, context)
        _ensure(isinstance(rendered, dict) and rendered, "bank-files", f"{rendered!r:.60}")
        for suffix, content in rendered.items():
            is_suffix = isinstance(suffix, str) and re.fullmatch(r"(\.[\w-]+)*", suffix)
            _ensure(is_suffix, "bank-files", f"a key is {suffix!r}")
            files[loaded.id + suffix + cls.file_extension] = _content(cls, content, loaded.id)
        text = "\n".join(c for c in rendered.values() if isinstance(c, str))  # binary: unread
        warned = {w.question for w in context.warnings if w.path == loaded.path}
        for q in loaded.bank.questions:
            found = cls.binary or shows_question(text, q) or q.id in warned
            _ensure(found, "no-silent-drop", f"{loaded.id}: {q.id}")
    if cls.collection_file:
        whole = _call(exporter, "render_collection", report.collection, context)
        files[_COLLECTION] = _content(cls, whole, "the collection")
    return files


def _call(exporter: Exporter, method: str, target: Any, context: ExportContext) -> object:
    try:
        return getattr(exporter, method)(target, context)
    except Exception as exc:
        if isinstance(target, Collection):
            raise ContractError("collection-file", f"render_collection raised {exc!r}") from exc
        where = f"bank {target.id} (no question alone breaks it)"
        for question in target.bank.questions:  # the first that fails alone in its bank
            bank = target.bank.model_copy(update={"questions": (question,)})
            try:
                getattr(exporter, method)(target.model_copy(update={"bank": bank}), context)
            except Exception:
                where = f"a `{getattr(question, 'type', '')}` question, {target.id}: {question.id}"
                break
        raise ContractError("every-question-type", f"{method} raised {exc!r} on {where}") from exc


def _content(cls: type[Exporter], content: object, where: str) -> bytes:
    kind = bytes if cls.binary else str
    _ensure(isinstance(content, kind), "content-type", f"{where} gave {type(content).__name__}")
    if isinstance(content, bytes):
        return content
    text = str(content)
    _ensure(not re.search("[\ud800-\udfff]", text), "utf-8", f"{where} holds a lone surrogate")
    return text.encode("utf-8")


def _check_export(cls: type[Exporter], options: OptionsArg, rendered: dict[str, bytes]) -> None:
    """`qbank.export` writes the files rendering gave, into a folder and into one file."""
    with tempfile.TemporaryDirectory(prefix="qbank-check-") as tmp, registered(cls):
        targets = [(Path(tmp, "out"), {k: v for k, v in rendered.items() if k != _COLLECTION})]
        if cls.collection_file:
            targets.append((Path(tmp, "all" + cls.file_extension), {"": rendered[_COLLECTION]}))
        for out, want in targets:
            collection, validation = sample_report().collection, _validated_sample()[1]
            try:  # validated again from the sample's cache: nothing runs
                result = export(collection, cls.name, out, options=options, validation=validation)
            except QbankError as exc:
                raise ContractError("export", f"to {out.name}: {exc}") from exc
            got = {p.relative_to(out).as_posix() if p != out else "": p for p in result.files}
            _ensure(got.keys() == want.keys(), "export", f"wrote {sorted(got)}, not {sorted(want)}")
            written = {name: path.read_bytes() for name, path in got.items()}
            _ensure(written == want, "export", f"other bytes than rendering gave, to {out.name}")


def _audit(event: str, args: tuple[Any, ...]) -> None:
    events: list[str] | None = getattr(_watched, "events", None)
    if events is not None and event in _PROCESSES:
        events.append(f"started a process ({event})")
    elif events is not None and event == "exec" and _MARKER in getattr(args[0], "co_names", ()):
        events.append("executed a program of the bank (exec)")


__all__ = [
    "RULES",
    "SAMPLE_BANKS",
    "ContractError",
    "check_exporter",
    "sample_report",
    "shows_question",
]
