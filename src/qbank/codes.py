"""Every problem code qbank reports, in one table.

A problem's code is the stable slug at the end of its report line
(``path:line: error: question-id: message [code]``) that users filter on. :data:`CODES` is
the one list of them: ``docs/problem-codes.md`` shows it, and ``tests/core/test_problem_codes.py``
keeps the two equal, checks that every code the source reports is listed here (and every one
listed is reported), and that each call site's severity is the one given here.

Codes are stable: add new ones, never rename one. Stdlib only and no qbank imports, so that
any module can import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Code:
    """One problem code: its slug, how severe it is, and what it means."""

    code: str
    """The slug shown in brackets at the end of a report line."""
    severity: Literal["error", "warning"]
    """`error` fails validation; `warning` does not, unless `--strict`."""
    meaning: str
    """One line for the user: what the problem says and what to do about it."""


def _table(*codes: Code) -> dict[str, Code]:
    table = {c.code: c for c in codes}
    assert len(table) == len(codes), "a code is listed twice"
    return table


# fmt: off
CODES: dict[str, Code] = _table(
    # Loading: finding bank files, reading them as YAML, checking them against the format.
    Code("not-found", "error", "A path given does not exist (or is a symbolic link that leads nowhere): check the path."),
    Code("no-banks", "warning", "A folder given holds no `*.yaml` or `*.yml` bank: name the right folder."),
    Code("unreadable", "error", "The bank file cannot be read (permissions, ...): make it readable."),
    Code("not-utf8", "error", "The file is not valid UTF-8: save it as UTF-8."),
    Code("bom", "warning", "The file starts with a byte-order mark (BOM): save it as UTF-8 without one."),
    Code("yaml-syntax", "error", "The file is not valid YAML (tabs for indentation, an unquoted `: `, ...): fix it at the line given, as the hint says."),
    Code("yaml-unsupported", "error", "The YAML uses what banks refuse (a merge key `<<`, an alias cycle or explosion, nesting too deep, a key that is not a plain value, an unreadable tagged value): write plain values."),
    Code("duplicate-key", "error", "A mapping gives the same key twice (YAML would silently keep the last): remove or rename one."),
    Code("empty", "error", "The file holds nothing: a bank needs at least `questions`."),
    Code("not-a-mapping", "error", "The top level of the file is not a mapping: a bank starts with keys such as `questions:`."),
    Code("unknown-key", "error", "A key the bank format does not know, often a typo (the message suggests the closest): rename or remove it."),
    Code("unknown-type", "error", "A question's `type` is not one qbank knows: use one of the types the message lists."),
    Code("missing-type", "error", "A question has no `type`: add one."),
    Code("missing-key", "error", "A required key is missing (e.g. `fix` in a `bug` question): add it. Exporters also warn with it when an `output` question has no `answer` and none was computed: validate with execution first, or write `answer`."),
    Code("wrong-type", "error", "A value is of the wrong kind (a list where a mapping belongs, text where a number does, ...): write the kind the message names."),
    Code("invalid-value", "error", "A value breaks a rule of the format (an id's characters, a tag, a finite number, a newer `schema_version`, ...): fix it as the message says."),
    Code("language-unavailable", "error", "A bank has questions in a language whose toolchain (node, bash, the C compiler) is not installed: they cannot be checked or run; the message says what to install."),
    Code("duplicate-bank-id", "error", "Two banks of the collection have the same id: give one an explicit, different `id`."),
    # Static checks: what is known about a bank without running anything.
    Code("duplicate-id", "error", "Two questions of a bank have the same `id`: ids must be unique in a bank; rename one."),
    Code("empty-prompt", "error", "The question's `prompt` is empty: write the question."),
    Code("correct-count", "error", "Wrong number of `correct: true` choices (exactly one, or at least one for `multiple_answers`): fix the key."),
    Code("correct-in-output", "error", "An `output` question marks a choice correct: its key is `answer`, and its `choices` are wrong outputs only."),
    Code("empty-option", "error", "A choice, a side of a pair or a distractor would show as blank (Moodle drops it): write it."),
    Code("blank-value", "warning", "A choice is a blank string `value` with no `text`: learners see `''`; a `text` could say what it means."),
    Code("choice-without-code", "error", "A `code_choice` choice has no `code`: give each choice the code that replaces `____`."),
    Code("weight-ignored", "warning", "A choice has a `weight` but the question is not `multiple_answers`, so it is ignored: remove it."),
    Code("bad-weight", "error", "A `multiple_answers` weight is not a grade Moodle accepts, has the wrong sign for its choice, or the correct choices' weights do not add up to 100: fix the weights."),
    Code("duplicate-option", "error", "Two choices read the same, so learners cannot tell them apart: give one a `text`."),
    Code("output-choice-not-text", "error", "A choice of an `output` question is not text: write each wrong output as a string."),
    Code("value-missing", "error", "Choices are checked by `value`, but this one has none: give every choice a `value`."),
    Code("value-without-check", "error", "Choices have a `value` but the question has no `check` using `answer`: add one."),
    Code("bad-tolerance", "error", "A `numerical` question's `tolerance` is negative: make it zero or more."),
    Code("bad-file-name", "error", "A name in `files`, `expect.files` or `figure` is not a relative path inside the run folder (empty, absolute, a `..`, `.` or empty part, a NUL), or a fixture would be both a file and another fixture's folder: write names such as `data/in.txt`."),
    Code("no-placeholder", "error", "A `code_choice` question's `code` has no `____` line for the choices to fill: add it."),
    Code("no-answer", "error", "An `output` question has no `answer` and no Python code to compute it: write `answer`."),
    Code("answer-unbound", "error", "`check` uses `answer`, but the `output` question has no `answer` to bind: write the expected output in `answer`."),
    Code("syntax-error", "error", "A snippet (or a correct code choice put in place of `____`) does not compile for the target Python: fix it at the line given."),
    Code("compile-warning", "warning", "A snippet compiles with a warning (`SyntaxWarning`, `DeprecationWarning`: `is` with a literal, an invalid escape sequence, ...): fix it at the line given (the code may not mean what it says)."),
    Code("key-unproven", "warning", "A question with `code` has a key (`answer`, `answers`, a correct choice) that no run decides: add a `check` that uses `answer` (or `value` choices), so that running proves it."),
    Code("media-missing", "error", "An image a text field references (`![alt](figures/tree.png)`, relative to the bank file's folder) does not exist, or is a folder: fix the path or add the file."),
    Code("media-type", "error", "An image (or a `figure`) is not a png, jpeg, gif, svg or webp file by its suffix, or its bytes are not the type its suffix says (a `.png` that is not a PNG): convert or rename it."),
    Code("media-too-large", "error", "An image (or the `figure` a run wrote) is larger than the bank's `media_limit` (default 1 MiB): make it smaller, or raise `media_limit`."),
    Code("media-outside-project", "error", "An image path is absolute, or leads outside the project root (through `..` or a symbolic link): keep images inside the project, relative to the bank file."),
    Code("figure-without-run", "error", "A question names a `figure` but runs no code, so nothing can write it: add `run`/`check` (or the code that draws it), or remove `figure`."),
    Code("figure-is-fixture", "error", "The `figure` names one of the question's `files:` fixtures, which is in the run's folder before the program starts: the run would prove nothing. Name the file the program writes."),
    Code("template-error", "error", "A `{{ name }}` in a question with `variants` cannot be filled: `params` does not define the name, or the braces hold more than a name (write `\\{{` for a literal `{{`)."),
    Code("variant-duplicate", "error", "Two variants of a question show learners the same thing (prompt, code, shown files, options, title): make `params` draw values that change them, or ask for fewer `variants`."),
    Code("variant-key-position", "warning", "Every variant of a question with `shuffle: false` has its key at the same option: learners can learn the place; let `params` vary the order."),
    Code("variant-same-key", "warning", "Every variant of a question has the same key (the same output, number, answers or right options): learners can share the answer; let `params` change it."),
    # Proving: running the code, then judging each question from its runs.
    Code("cache-unusable", "warning", "The cache (`.qbank_cache/`) could not be used (damaged, locked by another process, read-only, a full disk): validation went on without it; a damaged one was moved aside as `.qbank_cache.damaged-<time>` and the next run rebuilds it. Nothing to fix in the banks."),
    Code("missing-requirement", "error", "A `requires` entry is not installed in the target Python, or not at that version: install it there (none of the bank's questions run until then)."),
    Code("warmup-fails", "error", "The bank's `warmup` code failed: fix it (the runs go ahead without it)."),
    Code("run-timeout", "error", "Inconclusive: a run did not finish within `timeout`: make it faster or raise the limit (nothing is proven, nothing cached)."),
    Code("run-memory", "error", "Inconclusive: a run ran out of memory: use less, or raise `memory`."),
    Code("run-output-limit", "error", "Inconclusive: a run wrote more output than `output_limit`: print less, or raise it."),
    Code("run-file-limit", "error", "Inconclusive: a run wrote a file larger than `file_limit`: write less, or raise it."),
    Code("run-worker-died", "error", "Inconclusive: the worker running the code died: run again, and report it if it happens again."),
    Code("run-fails", "error", "The program does not hold (it raised, ended abnormally, or an `expect` entry or `check` failed): fix the code or what it is expected to do."),
    Code("answer-mismatch", "error", "The `answer` is not what the code prints (a diff follows): fix the answer or the code."),
    Code("distractor-holds", "error", "A wrong output offered as a choice is what the code really prints: change that choice."),
    Code("key-refuted", "error", "The key fails: a correct choice, or the key's value, does not pass the run or `check`: fix the key or the code."),
    Code("choice-holds", "error", "A wrong choice (or the opposite answer) also passes, so the question has two right answers: change the choice or make `check` stricter."),
    Code("tolerance-too-wide", "error", "A `numerical` key holds but the `check` fails at an end of `answer` ± `tolerance`, which Moodle would accept: make `tolerance` smaller, or the check accept the whole range."),
    Code("symptom-missing", "error", "The buggy program of a `bug` question does not show the symptom its `expect` claims: fix the claim or the bug."),
    Code("bug-holds", "error", "The buggy program of a `bug` question works (ends normally and passes `check`): make the bug really break it."),
    Code("fix-fails", "error", "The `fix` of a `bug` question does not work (it fails, or `check` does): correct it."),
    Code("transcript-mismatch", "error", "A statement of an interactive session (`>>> `) prints something else than the lines written under it: fix the transcript or the statement."),
    Code("figure-missing", "error", "The run of the program shown did not write the file `figure` names: make the program save it (e.g. `plt.savefig(\"plot.png\")`), or fix the name."),
    Code("params-error", "error", "The `params` of a question with `variants` raised (the variant `id#k` and the line are given), drew a value that is not a literal, or its run failed: fix `params`; the variants it could not draw are not checked."),
    Code("params-not-run", "warning", "The `params` of a question with `variants` was not run (`--no-execute`): none of its variants is checked; validate with execution."),
    # Export: what a format cannot carry (`missing-key`, listed under loading, is reused here
    # as a warning for an `output` question with no key).
    Code("lossy-type", "warning", "GIFT has no form for this question, or none of its answers fits: it is left out."),
    Code("lossy-hint", "warning", "GIFT cannot carry hints: the hint is not exported."),
    Code("lossy-shuffle", "warning", "GIFT cannot say `shuffle: false`: Moodle shuffles the options if the quiz does."),
    Code("lossy-points", "warning", "GIFT cannot carry `points`: Moodle gives the question 1."),
    Code("lossy-case", "warning", "GIFT cannot make a short answer case-sensitive: Moodle accepts any case."),
    Code("lossy-weight", "warning", "Moodle's allowed grades cannot share 100 % among the correct options: give them explicit `weight`s."),
    Code("lossy-answer", "warning", "A short answer GIFT cannot hold (blank, or with `->`, a format tag or a weight) is left out: rephrase it."),
    Code("lossy-placeholder", "warning", "Text holds one of Moodle's escape placeholders (`&&058;`, ...), which Moodle turns into another character: rephrase it."),
    Code("lossy-option", "warning", "Two options that differ as written would read the same once Moodle imported them (GIFT has no carriage return; Moodle trims each option and reads `&&058;`-style placeholders as characters): the question is left out; make them differ in what Moodle keeps."),
    Code("lossy-whitespace", "warning", "An `output` key becomes a one-line short answer that Moodle trims: exact whitespace and line breaks cannot be asked for (add `choices`)."),
    Code("lossy-character", "warning", "A plain-text part of a Moodle XML export (a short answer, a matching right side, a name) holds characters XML 1.0 cannot carry (control characters, a carriage return): they are left out; HTML text keeps them as character references. In a QTI 2.1 package, where XML 1.0 cannot hold them even as references, they are left out of every text."),
    Code("lossy-media", "warning", "A format cannot carry the question's images (GIFT: each is shown as its alt text, a `figure` is left out; Anki text: the files must already be in Anki's media, from an `.apkg` import): export Moodle XML, `.apkg`, Markdown or JSON to keep them."),
    Code("lossy-markup", "warning", "QTI 2.1's XHTML has no place for a piece of Markdown's markup (the `start` of a numbered list, the title of a link): it is left out; an image's title becomes its alt text when it has none."),
    Code("lossy-size", "warning", "A question text is longer than Canvas keeps (16 KB of HTML, even with its code written without colours): Canvas shows a notice instead; shorten the prompt, the code or the files shown."),
    Code("anki-no-answer", "warning", "An `output` question has no `answer` and none was computed: the card says so; validate with execution first, or write `answer`."),
    Code("export-invalid", "warning", "`--allow-invalid` exported a question that fails validation: it is tagged `qbank-invalid` and has no generated feedback; fix its errors before learners see it."),
    # Import: what a legacy bank holds that the bank format cannot, or holds in part
    # (`qbank import`; always a warning, and the source is kept as a comment).
    Code("import-invalid", "warning", "A question read from a legacy bank breaks a rule of the bank format: it is written commented out, with the reason; fix it and uncomment it."),
    Code("import-inferred", "warning", "`--infer` made a multiple-choice question an `output` (or `code_choice`) question: validate to check its key and distractors."),
    Code("import-unknown-type", "warning", "A source question of a type qbank has no form for: it is kept as a comment (raw text) above its neighbours; rewrite it by hand."),
    Code("import-html", "warning", "HTML that Markdown cannot hold (a table, inline styles, a script, ...): the Markdown keeps what it can and the original HTML is kept as a comment."),
    Code("import-cloze", "warning", "A cloze (embedded answers) question has no form in the bank format: it is kept as a comment; split it into questions by hand."),
    Code("import-calculated", "warning", "A calculated question (random values in formulas) has no form in the bank format: it is kept as a comment; write it as code whose output is asked."),
    Code("import-id", "warning", "A question's id from the source was not valid or not unique in its bank: it was changed (slugged, or suffixed `-2`, `-3`)."),
    Code("import-lost", "warning", "Something the source holds has no place in the bank (a setting, a file, a feedback): it is kept as a comment, or named in the message."),
    Code("import-description", "warning", "A Moodle description (text shown between questions, not a question) has no form in the bank format: its text is kept as a comment above the next question."),
    Code("import-weight", "warning", "Partial credit the question type cannot hold (a single-answer option below 100 %, a short or numerical answer below 100 %): the best answer is the key, the others are kept as comments."),
    Code("import-syntax", "warning", "A block of the source that its format's own importer would refuse or read unexpectedly (GIFT: an unclosed `{`, a stray `}`, text before the first answer, no blank line after `$CATEGORY:`): what can be read is imported, the block's text is kept as a comment; fix the source."),
    Code("import-indentation", "warning", "A GIFT file indents code lines inside a ``` fence: Moodle's importer trims every physical line, so learners saw the code flattened. The import keeps the author's indentation; check the code, and export it again (qbank's GIFT keeps indentation)."),
    Code("import-encoding", "warning", "The source file is not UTF-8: it was read as Windows-1252 (or Latin-1); check its accented letters, and save it as UTF-8."),
    Code("import-empty", "warning", "The source file holds no question: check that it is the file you meant."),
    Code("import-math", "warning", "LaTeX math (text2qti's `$...$`, Canvas equation images) is kept as `$...$` text: qbank renders no math; check the text reads well, or show it as code or an image."),
    Code("import-skipped", "warning", "Files of a source folder that are no bank of a known format (images, media records, notes) are not imported; name one with `--from FORMAT` to import it."),
    Code("import-unsafe", "warning", "A member of an archive that could escape its folder (a path with `..`, an absolute path) or that inflates past the size cap (a zip bomb) is not read."),
)
# fmt: on


def severity_of(code: str) -> Literal["error", "warning"] | None:
    """The severity `code` is reported with (None for a code not in :data:`CODES`)."""
    found = CODES.get(code)
    return found.severity if found else None


def meaning(code: str) -> str:
    """What `code` means, in one line ("" for a code not in :data:`CODES`)."""
    found = CODES.get(code)
    return found.meaning if found else ""


__all__ = ["CODES", "Code", "meaning", "severity_of"]
