// Reading progress for courses: chapters marked as read are kept in this
// browser's localStorage (no server) and shown in the course's chapter lists.
(() => {
  "use strict";
  const load = (key) => {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch { return []; }
  };
  const save = (key, urls) => {
    try { localStorage.setItem(key, JSON.stringify([...new Set(urls)].sort())); } catch { /* private mode */ }
  };
  const showMarks = () => {
    document.querySelectorAll(".course-toc[data-progress-key]").forEach((list) => {
      const read = new Set(load(list.dataset.progressKey));
      list.querySelectorAll("[data-chapter-url]").forEach((item) => {
        const done = read.has(item.dataset.chapterUrl);
        item.classList.toggle("is-read", done);
        const badge = item.querySelector(".course-toc__read");
        if (badge) badge.hidden = !done;
      });
    });
  };
  const chapter = document.querySelector("article.chapter[data-progress-key]");
  if (chapter) {
    const key = chapter.dataset.progressKey;
    const url = chapter.dataset.chapterUrl;
    const button = chapter.querySelector("[data-mark-read]");
    const done = chapter.querySelector("[data-read-done]");
    const refresh = () => {
      const read = load(key).includes(url);
      if (button) button.hidden = read;
      if (done) done.hidden = !read;
      showMarks();
    };
    if (button) {
      button.addEventListener("click", () => {
        save(key, [...load(key), url]);
        refresh();
        if (done) done.focus?.();
      });
    }
    refresh();
  } else {
    showMarks();
  }
})();
