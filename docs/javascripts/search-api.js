/* The site's search box asks the help centre's API when it is reachable: one answer
 * costs a phone a few kilobytes instead of the whole site index, and the API knows
 * creators' words, typos and pasted messages. Hosted without the API (a plain static
 * copy), the page keeps Material's built-in search. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL("..", script.src); // this file lives at <site>/javascripts/
  var input = document.querySelector(".md-search__input");
  var list = document.querySelector(".md-search-result__list");
  var meta = document.querySelector(".md-search-result__meta");
  function useMaterialSearch(yes) {
    if (window.searchIndexGate) window.searchIndexGate(yes);
  }
  if (!input || !list || !meta || !window.fetch) { useMaterialSearch(true); return; }

  var active = false;
  var timer = 0;
  var pending = null; // the one request in flight; a newer one aborts it
  var lastQuery = "";
  var lastSent = "";
  // Wait for a pause in typing before asking: a phone types a key every 150-300 ms.
  var PAUSE_MS = 300;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function render(body, typing) {
    if (!body.results.length && typing) {
      // A half-typed word is no reason to say "No answer found": keep what is shown.
      if (!list.querySelector("[data-api]")) meta.textContent = "Keep typing\u2026";
      return;
    }
    list.replaceChildren();
    if (!body.results.length) {
      meta.textContent = "No answer found. Try other words, or contact us.";
      return;
    }
    var note = body.suggestion ? "Showing results for \u201c" + body.suggestion + "\u201d. " : "";
    if (!body.confident) note += "No exact answer; these are the nearest questions. ";
    meta.textContent = note + body.results.length + " matching question" + (body.results.length > 1 ? "s" : "");
    body.results.forEach(function (r) {
      var item = el("li", "md-search-result__item");
      item.dataset.api = "1";
      var link = el("a", "md-search-result__link");
      link.href = new URL(r.page + "#" + r.anchor, base).href;
      link.tabIndex = -1;
      var article = el("article", "md-search-result__article md-typeset");
      article.appendChild(el("h1", null, r.question));
      article.appendChild(el("p", null, r.answer));
      article.appendChild(el("p", "md-search-result__terms", r.title));
      link.appendChild(article);
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  // `typing`: the last word may be unfinished, so the API matches it as a prefix.
  function search(query, typing) {
    var key = (typing ? "p:" : "w:") + query;
    if (key === lastSent && query === lastQuery) return; // an arrow or shift key: nothing new
    if (pending) pending.abort();
    pending = null;
    lastQuery = query;
    lastSent = key;
    if (!query.trim()) {
      list.replaceChildren();
      meta.textContent = "Type to start searching";
      return;
    }
    var controller = new AbortController();
    pending = controller;
    var url = new URL("api/search", base);
    url.searchParams.set("q", query.slice(0, 8000));
    url.searchParams.set("limit", "8");
    if (typing) url.searchParams.set("prefix", "true");
    fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body && query === lastQuery) render(body, typing); })
      .catch(function () { /* aborted or offline: keep what is shown */ })
      .then(function () { if (pending === controller) pending = null; });
  }

  function stillTyping(value) {
    return /\w$/.test(value); // ends inside a word
  }

  function onType(event) {
    if (!active || event.target !== input) return;
    // Keep Material's own search from answering this keystroke.
    event.stopImmediatePropagation();
    if (event.type === "keyup") {
      if (event.key !== "Enter") return; // `input` already says when the text changed
      clearTimeout(timer);
      search(input.value, false);
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value, stillTyping(input.value)); }, PAUSE_MS);
  }

  // Material re-renders its list when its own index finishes loading; put ours back.
  new MutationObserver(function () {
    if (active && lastQuery && !list.querySelector("[data-api]")) { lastSent = ""; search(lastQuery, false); }
  }).observe(list, { childList: true });

  var health = new URL("api/health", base);
  fetch(health, { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (body) {
      if (!body || body.status !== "ok") { useMaterialSearch(true); return; }
      useMaterialSearch(false);
      active = true;
      document.documentElement.dataset.searchApi = "on";
      window.addEventListener("keyup", onType, true);
      window.addEventListener("input", onType, true);
      if (input.value) search(input.value, false);
    })
    .catch(function () { useMaterialSearch(true); /* no API here: Material's search stays */ });
})();
