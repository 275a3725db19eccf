/* How the qbank page marks an answer: pure functions, no page access (the tests run them
   in node against qbank's own rules). A key is the JSON a question carries; `mark` returns
   the share of the points earned, from 0 to 1, or null for an essay, which is not marked. */
"use strict";
const QbankMarking = (() => {
  /* What Python's str.isspace() calls whitespace: what qbank's output comparison strips. */
  function isSpace(code) {
    return (code >= 9 && code <= 13) || (code >= 28 && code <= 32) || code === 0x85 ||
      code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
      code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f ||
      code === 0x3000;
  }

  function rstrip(text) {
    let end = text.length;
    while (end > 0 && isSpace(text.charCodeAt(end - 1))) end -= 1;
    return text.slice(0, end);
  }

  /* qbank.model.rules.normalise_output: trailing whitespace of lines and of the text. */
  function normaliseOutput(text) {
    return rstrip(text.replace(/\r\n/g, "\n").split("\n").map(rstrip).join("\n"));
  }

  function sameOutput(expected, actual, exact) {
    return exact ? expected === actual : normaliseOutput(expected) === normaliseOutput(actual);
  }

  /* A typed answer: spaces around it ignored, Unicode compared in one form, case by rule. */
  function sameText(response, accepted, caseSensitive) {
    const fold = (text) => {
      const trimmed = text.normalize("NFC").trim();
      return caseSensitive ? trimmed : trimmed.toLowerCase();
    };
    return accepted.some((answer) => fold(answer) === fold(response));
  }

  /* A finite number as people type it (3.14, -2, 1.5e3, 1,000.5; a Unicode minus too),
     else null. Thousands groups start with a digit other than 0 ("0,300" is a decimal
     comma, refused, not 300); 1e999 is no number (Infinity would be within any slack). */
  function parseNumber(raw) {
    let text = raw.trim().replace(/\u2212/g, "-");
    const grouped = /^([+-]?)([1-9]\d{0,2}(?:,\d{3})+)(\.\d*)?((?:e[+-]?\d+)?)$/i.exec(text);
    if (grouped) text = grouped[1] + grouped[2].replace(/,/g, "") + (grouped[3] || "") + grouped[4];
    if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text)) return null;
    const value = Number(text);
    return Number.isFinite(value) ? value : null;
  }

  /* Within the tolerance, ends included, allowing for the rounding of binary floats (a
     slack from the key and the tolerance only, never from the learner's value). */
  function withinTolerance(value, answer, tolerance) {
    const slack = 4 * Number.EPSILON * Math.max(Math.abs(answer), tolerance);
    return Math.abs(value - answer) <= tolerance + slack;
  }

  function mark(key, response) {
    switch (key.kind) {
      case "one":
        return key.correct.includes(response) ? 1 : 0;
      case "many": {
        const total = response.reduce((sum, position) => sum + key.weights[position], 0);
        return Math.min(Math.max(total, 0), 100) / 100;
      }
      case "text":
        return sameText(response, key.answers, key.caseSensitive) ? 1 : 0;
      case "number":
        return withinTolerance(response, key.value, key.tolerance) ? 1 : 0;
      case "output":
        return sameOutput(key.expected, response, key.exact) ? 1 : 0;
      case "match":
        return key.correct.filter((right, row) => response[row] === right).length /
          key.correct.length;
      default:
        return null;
    }
  }

  return { mark, normaliseOutput, parseNumber, sameOutput, sameText, withinTolerance };
})();
