"""The self-grading page: one self-contained HTML file per bank, for learners on their own.

Open it from disk (``file://``) or any web server: every question is answered and marked in
the page, with its feedback and explanation after answering, a running score and a reset.
See ``docs/html.md``; ``qbank preview`` builds it into a temporary folder.

* :mod:`.answers`: each question kind's form (radios, checkboxes, text fields, selects) and
  the key that marks it; :mod:`.views`: one question for the template, its key sealed;
* :mod:`.item` and :mod:`.text`: Markdown and code as HTML (Pygments classes), images as
  ``data:`` URIs; :mod:`.style`: light and dark token colours;
* :mod:`.page`: the template (``templates/html/``), the inlined stylesheet and script, and
  the Content-Security-Policy that lets the page load nothing.

Nothing in the page names a question's id (which may give the answer away): questions are
numbered. A question that fails validation (``allow_invalid``) says so, without generated
feedback.

A question with variants (``variants: N``) is one numbered question whose N variants are
all in the page, each proven; the page shows one, drawn at random when it loads, and its
"New variant" button draws another (see ``docs/html.md``). The exporter therefore draws
variants (:attr:`~qbank.exporters.base.Exporter.draws_variants`): it receives them all.
"""

from __future__ import annotations

from typing import Literal

from qbank.exporters.base import ExportContext, Exporter, ExporterOptions
from qbank.exporters.html import page, text
from qbank.exporters.html.item import Item
from qbank.exporters.html.views import Slot, view
from qbank.exporters.variants import Group, groups
from qbank.model import LoadedBank


class HtmlOptions(ExporterOptions):
    """Options of the HTML page exporter."""

    refutation_feedback: bool = True
    """Give a wrong option without `feedback` the feedback validation generated for learners
    (what the code prints, or the exception it raises; never hidden code)."""
    theme: Literal["auto", "light", "dark"] = "auto"
    """The colours the page opens with: `auto` follows the system's light or dark setting.
    The learner may switch; the page remembers the choice."""


class HtmlExporter(Exporter):
    """One self-contained, self-grading HTML page per bank."""

    name = "html"
    file_extension = ".html"
    description = "A self-grading HTML page per bank (offline, accessible, light and dark)"
    highlights_code = True
    draws_variants = True  # the page shows one variant per visit, drawn by its script
    options_model = HtmlOptions
    options: HtmlOptions

    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        """The page of `loaded`: its title, description and every question."""
        slots = [
            self._slot(loaded, group, number, context)
            for number, group in enumerate(groups(loaded.bank.questions), 1)
        ]
        return page.render(
            loaded.bank.title or loaded.id,
            _description(loaded, context),
            slots,
            theme=self.options.theme,
            template_dirs=context.template_dirs,
        )

    def _slot(self, loaded: LoadedBank, group: Group, number: int, context: ExportContext) -> Slot:
        """Question `number`: its view, or one view per variant (all numbered `number`)."""
        total = len(group.questions) if group.varied else 0
        views = tuple(
            view(
                Item(loaded, question, context, self.options.refutation_feedback),
                number,
                (k, total) if total else None,
            )
            for k, question in enumerate(group.questions, 1)
        )
        return Slot(number, views)


def _description(loaded: LoadedBank, context: ExportContext) -> str:
    """The bank's description as HTML (images there are not the bank's media: alt text)."""
    rendered = text.markdown(loaded.bank.description, loaded.bank.language)
    rendered, dropped = text.inline_images(rendered, {})
    for source in dropped:
        context.warn(
            loaded,
            None,
            f"the page shows no image in a bank's description: {source!r} is shown as its "
            "alt text (put it in a question's prompt)",
            "lossy-media",
        )
    return rendered


__all__ = ["HtmlExporter", "HtmlOptions"]
