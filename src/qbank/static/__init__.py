"""Static checks: everything that can be found without running a snippet.

- :mod:`~qbank.static.checks`: one bank's questions (ids, placeholders, answers that can be
  bound, snippets that must compile, for the target interpreter);
- :mod:`~qbank.static.choices`: keys, weights, options a learner can tell apart;
- :mod:`~qbank.static.media`: the images a question's text references, and its `figure`;
- :mod:`~qbank.static.context`: where a check's problems go (the question, its lines);
- :mod:`~qbank.static.compiler`: compiling for the current or another interpreter.
"""

from __future__ import annotations

from qbank.static.checks import check_bank

__all__ = ["check_bank"]
