// Reading progress and self-checks for courses, kept in this browser's
// localStorage (no server, works offline). One record per course:
//   {"read": [chapter URLs], "quizzes": {chapter URL: {quiz id: {answers, correct, total}}}}
// (a plain array of URLs, the first format, still reads as `read`).
(() => {
  "use strict";
  const load = (key) => {
    let raw = null;
    try { raw = JSON.parse(localStorage.getItem(key) || "null"); } catch { /* unreadable: start afresh */ }
    if (Array.isArray(raw)) return { read: raw.filter((u) => typeof u === "string"), quizzes: {} };
    const record = raw && typeof raw === "object" ? raw : {};
    return {
      read: Array.isArray(record.read) ? record.read.filter((u) => typeof u === "string") : [],
      quizzes: record.quizzes && typeof record.quizzes === "object" ? record.quizzes : {},
    };
  };
  const save = (key, record) => {
    record.read = [...new Set(record.read)].sort();
    try { localStorage.setItem(key, JSON.stringify(record)); } catch { /* private mode */ }
  };
  // `{correct} of {total}`: names not given stay as written.
  const fill = (template, values) =>
    (template || "").replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
  const chapterScore = (record, url) => {
    const quizzes = record.quizzes[url];
    if (!quizzes || typeof quizzes !== "object") return null;
    let correct = 0;
    let total = 0;
    Object.values(quizzes).forEach((q) => {
      correct += Number(q && q.correct) || 0;
      total += Number(q && q.total) || 0;
    });
    return total > 0 ? { correct, total } : null;
  };

  // Chapter lists (course page and chapter aside): read marks and self-check scores.
  const showMarks = () => {
    document.querySelectorAll(".course-toc[data-progress-key]").forEach((list) => {
      const record = load(list.dataset.progressKey);
      const read = new Set(record.read);
      list.querySelectorAll("[data-chapter-url]").forEach((item) => {
        const url = item.dataset.chapterUrl;
        const done = read.has(url);
        item.classList.toggle("is-read", done);
        const badge = item.querySelector(".course-toc__read");
        if (badge) badge.hidden = !done;
        // Without a saved score the server's text stays: how many questions.
        const score = item.querySelector("[data-quiz-score]");
        const result = chapterScore(record, url);
        if (score && result) {
          score.textContent = fill(list.dataset.score, result);
          score.classList.add("is-taken");
        }
      });
    });
  };

  // One self-check: the answers picked, checked against the marked ones,
  // each question's verdict in words, the score announced and saved.
  const setUpQuiz = (section, key, url) => {
    const id = section.dataset.quiz;
    const questions = [...section.querySelectorAll(".quiz__question")];
    const button = section.querySelector("[data-quiz-check]");
    const result = section.querySelector("[data-quiz-result]");
    if (!id || !button || !result) return;
    const inputsOf = (q) => [...q.querySelectorAll("input")];
    const picked = (q) => inputsOf(q).flatMap((input, i) => (input.checked ? [i] : []));
    const clear = (q) => {
      q.classList.remove("is-right", "is-wrong");
      q.querySelectorAll(".quiz__answer").forEach((li) => li.classList.remove("is-correct", "is-mistake"));
      const verdict = q.querySelector("[data-verdict]");
      if (verdict) verdict.hidden = true;
    };
    const show = (answers) => {
      let correct = 0;
      questions.forEach((q, n) => {
        const chosen = answers[n] || [];
        const items = [...q.querySelectorAll(".quiz__answer")];
        const right = items.flatMap((li, i) => (li.hasAttribute("data-correct") ? [i] : []));
        const ok = chosen.length === right.length && chosen.every((i) => right.includes(i));
        if (ok) correct += 1;
        items.forEach((li, i) => {
          li.classList.toggle("is-correct", right.includes(i));
          li.classList.toggle("is-mistake", chosen.includes(i) && !right.includes(i));
        });
        q.classList.toggle("is-right", ok);
        q.classList.toggle("is-wrong", !ok);
        const verdict = q.querySelector("[data-verdict]");
        if (verdict) {
          verdict.textContent = ok ? section.dataset.right : chosen.length ? section.dataset.wrong : section.dataset.unanswered;
          verdict.hidden = false;
        }
        const explain = q.querySelector(".quiz__key");
        if (explain) explain.open = true;
      });
      result.textContent = fill(section.dataset.result, { correct, total: questions.length });
      return correct;
    };
    questions.forEach((q) => q.addEventListener("change", () => clear(q)));
    button.hidden = false;
    button.addEventListener("click", () => {
      const answers = questions.map(picked);
      const correct = show(answers);
      const record = load(key);
      const chapter = record.quizzes[url] && typeof record.quizzes[url] === "object" ? record.quizzes[url] : {};
      chapter[id] = { answers, correct, total: questions.length };
      record.quizzes[url] = chapter;
      save(key, record);
      showMarks();
    });
    const saved = (load(key).quizzes[url] || {})[id];
    if (saved && Array.isArray(saved.answers)) {
      const answers = questions.map((q, n) => {
        const inputs = inputsOf(q);
        const chosen = (Array.isArray(saved.answers[n]) ? saved.answers[n] : [])
          .filter((i) => Number.isInteger(i) && inputs[i]);
        chosen.forEach((i) => { inputs[i].checked = true; });
        return chosen;
      });
      show(answers);
    }
  };

  const chapter = document.querySelector("article.chapter[data-progress-key]");
  if (!chapter) {
    showMarks();
    return;
  }
  const key = chapter.dataset.progressKey;
  const url = chapter.dataset.chapterUrl;
  const mark = chapter.querySelector("[data-mark-read]");
  const done = chapter.querySelector("[data-read-done]");
  const unmark = chapter.querySelector("[data-unmark-read]");
  const earlier = chapter.querySelector("[data-earlier]");
  // "Already covered" names the chapters marked as read, and only them.
  const refresh = () => {
    const read = new Set(load(key).read);
    if (mark) mark.hidden = read.has(url);
    if (done) done.hidden = !read.has(url);
    if (earlier) {
      let any = false;
      earlier.querySelectorAll("li[data-chapter-url]").forEach((li) => {
        li.hidden = !read.has(li.dataset.chapterUrl);
        any = any || !li.hidden;
      });
      earlier.hidden = !any;
    }
    showMarks();
  };
  const update = (change) => {
    const record = load(key);
    change(record);
    save(key, record);
    refresh();
  };
  if (mark) {
    mark.addEventListener("click", () => {
      update((record) => record.read.push(url));
      if (unmark) unmark.focus();
    });
  }
  if (unmark) {
    unmark.addEventListener("click", () => {
      update((record) => { record.read = record.read.filter((u) => u !== url); });
      if (mark) mark.focus();
    });
  }
  chapter.querySelectorAll("[data-quiz]").forEach((section) => setUpQuiz(section, key, url));
  refresh();
})();
