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
  var pending = null;
  var lastQuery = "";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function render(body) {
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

  function search(query) {
    if (pending) pending.abort();
    lastQuery = query;
    if (!query.trim()) {
      list.replaceChildren();
      meta.textContent = "Type to start searching";
      return;
    }
    pending = new AbortController();
    var url = new URL("api/search", base);
    url.searchParams.set("q", query.slice(0, 8000));
    url.searchParams.set("limit", "8");
    fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body && query === lastQuery) render(body); })
      .catch(function () { /* aborted or offline: keep what is shown */ });
  }

  function onType(event) {
    if (!active || event.target !== input) return;
    // Keep Material's own search from answering this keystroke.
    event.stopImmediatePropagation();
    if (event.type === "keyup" && event.key === "Enter") {
      clearTimeout(timer);
      search(input.value);
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 150);
  }

  // Material re-renders its list when its own index finishes loading; put ours back.
  new MutationObserver(function () {
    if (active && lastQuery && !list.querySelector("[data-api]")) search(lastQuery);
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
      if (input.value) search(input.value);
    })
    .catch(function () { useMaterialSearch(true); /* no API here: Material's search stays */ });
})();
