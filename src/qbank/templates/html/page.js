/* The qbank page: check an answer, show its mark and feedback, keep the score, reset, and
   switch the colour theme. Each question carries its key sealed (base64 JSON in data-key),
   read only when the learner checks an answer. Native controls only: the keyboard and
   assistive technology work as with any form. A question with variants (div.variants)
   holds one article per variant, all but one `hidden`: one is drawn at random when the
   page loads and "New variant" draws another; the score counts the question once. */
"use strict";
(() => {
  const root = document.documentElement;
  const questions = Array.from(document.querySelectorAll("article.question"));
  const scoreBox = document.getElementById("score");
  const earned = new Map();
  root.classList.remove("no-js");

  /* What the score counts: a plain question's article, or a question's variants' box. */
  const unitOf = (article) => article.closest("div.variants") || article;
  const units = Array.from(new Set(questions.map(unitOf)));
  const variantsOf = (box) => Array.from(box.querySelectorAll(":scope > article.question"));

  /* A uniform random index below `count`, other than `avoid` (when `avoid` is one and there
     is another): crypto's randomness, by rejection so that no index is likelier than another. */
  function drawIndex(count, avoid) {
    const choices = count > 1 && avoid >= 0 ? count - 1 : count;
    const limit = Math.floor(0x100000000 / choices) * choices;
    const word = new Uint32Array(1);
    do crypto.getRandomValues(word); while (word[0] >= limit);
    const index = word[0] % choices;
    return count > 1 && avoid >= 0 && index >= avoid ? index + 1 : index;
  }

  function unseal(article) {
    const bytes = Uint8Array.from(atob(article.dataset.key), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  const number = (value) => String(Math.round(value * 100) / 100);
  const points = (value) => `${number(value)} point${value === 1 ? "" : "s"}`;
  const controls = (form) => Array.from(form.querySelectorAll("input, select, textarea"));

  /* The learner's answer, or the reason it cannot be checked yet. */
  function response(form, kind) {
    const typed = form.elements.response ? form.elements.response.value : "";
    const ticked = controls(form).filter((c) => c.checked).map((c) => Number(c.value));
    const chosen = Array.from(form.querySelectorAll("select"), (s) => s.value);
    switch (kind) {
      case "one": return ticked.length ? { value: ticked[0] } : { missing: "Choose an answer first." };
      case "many": return ticked.length ? { value: ticked } : { missing: "Tick at least one answer first." };
      case "text": return typed.trim() ? { value: typed } : { missing: "Type an answer first." };
      case "number": {
        if (!typed.trim()) return { missing: "Type a number first." };
        const value = QbankMarking.parseNumber(typed);
        return value === null ? { missing: `“${typed.trim()}” is not a number: write it like 3.14, -2 or 1.5e3.` } : { value };
      }
      case "match":
        return chosen.includes("") ? { missing: "Choose a match for every item first." } : { value: chosen.map(Number) };
      default: return { value: typed };
    }
  }

  function verdictOf(score) {
    if (score === null) return ["unmarked", "Not marked automatically: compare your answer with the model answer below."];
    if (score >= 1 - 1e-9) return ["right", "✓ Correct"];
    return score > 0 ? ["partial", `◐ Partly correct (${Math.round(score * 100)} %)`] : ["wrong", "✗ Incorrect"];
  }

  /* Each option and each matched item says whether it was right. */
  function markParts(form, key, value) {
    form.querySelectorAll("li.option").forEach((li) => {
      const position = Number(li.dataset.position);
      const isKey = key.correct.includes(position);
      const picked = li.querySelector("input").checked;
      li.classList.toggle("is-key", isKey);
      li.classList.toggle("picked", picked);
      li.querySelector(".verdict").textContent =
        isKey ? (picked ? "✓ your answer: right" : "✓ right answer") : (picked ? "✗ your answer: wrong" : "");
    });
    form.querySelectorAll("li.pair").forEach((li, row) => {
      const select = li.querySelector("select");
      const right = value[row] === key.correct[row];
      li.classList.toggle("is-wrong", !right);
      li.querySelector(".verdict").textContent =
        right ? "✓ right" : `✗ the match is ${select.options[key.correct[row] + 1].text}`;
    });
  }

  function feedbackHtml(form, key, value) {
    const kind = key.kind;
    const letter = (p) => {
      const found = form.querySelector(`li.option[data-position="${p}"] .letter`);
      return found ? ` ${found.textContent.replace(".", "")}` : "";
    };
    const picked = kind === "one" ? [value] : kind === "many" ? value : [];
    let html = picked.filter((p) => key.feedback && key.feedback[p]).map((p) =>
      `<div class="option-feedback"><p class="about">About your answer${letter(p)}:</p>${key.feedback[p]}</div>`).join("");
    html += key.answer;
    const title = kind === "essay" ? "Model answer" : "Explanation";
    const said = key.explanation || (kind === "essay" ? "<p>No model answer was written for this question.</p>" : "");
    return html + (said ? `<div class="explanation"><h3>${title}</h3>${said}</div>` : "");
  }

  function check(article, form) {
    const key = unseal(article);
    const got = response(form, key.kind);
    const mark = form.querySelector(".mark");
    if (got.missing) {
      mark.textContent = got.missing;
      return;
    }
    const score = QbankMarking.mark(key, got.value);
    const [verdict, said] = verdictOf(score);
    const worth = Number(article.dataset.points);
    article.classList.add("answered", verdict);
    mark.textContent = score === null ? said : `${said}: ${number(score * worth)} of ${points(worth)}.`;
    markParts(form, key, got.value);
    const box = form.querySelector(".feedback");
    box.innerHTML = feedbackHtml(form, key, got.value);
    box.hidden = false;
    controls(form).forEach((c) => { if (c.type === "text" || c.tagName === "TEXTAREA") c.readOnly = true; else c.disabled = true; });
    if (score !== null) earned.set(unitOf(article), score * worth);
    form.querySelector(".check").hidden = true;
    const retry = form.querySelector(".retry");
    retry.hidden = false;
    retry.focus();
    updateScore();
  }

  function reset(article) {
    const form = article.querySelector("form.answer");
    if (!form) return;
    article.classList.remove("answered", "right", "wrong", "partial", "unmarked");
    form.reset();
    controls(form).forEach((c) => { c.disabled = false; c.readOnly = false; });
    form.querySelectorAll("li").forEach((li) => li.classList.remove("is-key", "picked", "is-wrong"));
    form.querySelectorAll(".verdict").forEach((v) => { v.textContent = ""; });
    form.querySelector(".mark").textContent = "";
    const box = form.querySelector(".feedback");
    box.hidden = true;
    box.textContent = "";
    form.querySelector(".check").hidden = false;
    form.querySelector(".retry").hidden = true;
    earned.delete(unitOf(article));
  }

  /* Show variant `index` of `box` (the others hidden: no key, no reader reaches them),
     every variant reset, so the question starts afresh. */
  function showVariant(box, index) {
    variantsOf(box).forEach((article, i) => {
      reset(article);
      article.hidden = i !== index;
    });
  }

  function newVariant(box) {
    const shown = variantsOf(box).findIndex((article) => !article.hidden);
    const index = drawIndex(variantsOf(box).length, shown);
    showVariant(box, index);
    updateScore();
    const button = variantsOf(box)[index].querySelector(".new-variant");
    if (button) button.focus();
  }

  function updateScore() {
    const marked = units.map((unit) => unit.matches("article") ? unit : variantsOf(unit)[0])
      .filter((a) => a.dataset.marked === "true");
    const total = marked.reduce((sum, a) => sum + Number(a.dataset.points), 0);
    const got = Array.from(earned.values()).reduce((sum, value) => sum + value, 0);
    scoreBox.textContent = `Score: ${number(got)} of ${points(total)} · ${earned.size} of ${marked.length} questions answered`;
  }

  /* In a code box Tab types a tab (an output may hold one); Esc, then Tab, leaves the box
     as usual, so the keyboard is never trapped. */
  function typeTabs(box) {
    let leaving = false;
    box.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { leaving = true; return; }
      if (event.key !== "Tab" || event.shiftKey || leaving) { leaving = false; return; }
      event.preventDefault();
      const start = box.selectionStart;
      box.setRangeText("\t", start, box.selectionEnd, "end");
    });
  }
  document.querySelectorAll("textarea.code").forEach(typeTabs);

  questions.forEach((article) => {
    const form = article.querySelector("form.answer");
    if (!form) return;
    form.addEventListener("submit", (event) => { event.preventDefault(); check(article, form); });
    form.querySelector(".retry").addEventListener("click", () => {
      reset(article);
      updateScore();
      controls(form)[0].focus();
    });
  });

  document.querySelectorAll("div.variants").forEach((box) => {
    showVariant(box, drawIndex(variantsOf(box).length, -1));
    box.querySelectorAll(".new-variant").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => newVariant(box));
    });
  });

  document.getElementById("reset").addEventListener("click", () => {
    questions.forEach(reset);
    updateScore();
  });

  const themes = ["auto", "light", "dark"];
  const themeButton = document.getElementById("theme");
  function setTheme(theme) {
    root.dataset.theme = theme;
    themeButton.textContent = `Theme: ${theme}`;
  }
  themeButton.addEventListener("click", () => {
    const next = themes[(themes.indexOf(root.dataset.theme) + 1) % themes.length];
    setTheme(next);
    try { localStorage.setItem("qbank-theme", next); } catch (error) { /* storage off: fine */ }
  });
  let stored = null;
  try { stored = localStorage.getItem("qbank-theme"); } catch (error) { /* storage off */ }
  setTheme(themes.includes(stored) ? stored : root.dataset.theme);
})();
