/*
 * "Did this answer your question?" under every question of a page.
 *
 * The widget appears only after the help centre's API has said which questions on this
 * page take feedback. Where the site is hosted without the API, the probe fails and
 * nothing is shown; every step is guarded so that nothing here can break the page.
 * No cookie, no storage, no request to any other site.
 */
(() => {
  "use strict";

  const PROBE_TIMEOUT_MS = 4000; // a slow or missing API must not leave a half-drawn widget
  const SEND_TIMEOUT_MS = 10000;

  async function requestJson(url, options, timeoutMs) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(url, { ...options, signal: controller.signal, credentials: "omit" });
      const isJson = (response.headers.get("content-type") || "").startsWith("application/json");
      return { ok: response.ok, status: response.status, body: isJson ? await response.json() : null };
    } finally {
      clearTimeout(timer);
    }
  }

  function headingText(heading) {
    const copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink, button").forEach((element) => element.remove());
    return copy.textContent.trim();
  }

  // A question's section runs to the next h1/h2, or to what follows the article text.
  function sectionEnd(heading) {
    let node = heading.nextElementSibling;
    while (node && !/^H[12]$/.test(node.tagName) && !node.matches("template, .last-reviewed, .md-source-file")) {
      node = node.nextElementSibling;
    }
    return node;
  }

  function part(root, name) {
    return root.querySelector(`[data-qf="${name}"]`);
  }

  function label(root, id) {
    const parts = {};
    for (const name of ["ask", "more", "comment", "note", "count", "status"]) {
      parts[name] = part(root, name);
      if (parts[name]) parts[name].id = `${id}-${name}`;
    }
    root.setAttribute("aria-labelledby", parts.ask.id);
    part(root, "no").setAttribute("aria-controls", parts.more.id);
    part(root, "comment-label").htmlFor = parts.comment.id;
    parts.comment.setAttribute("aria-describedby", `${parts.note.id} ${parts.count.id}`);
    root.querySelectorAll('input[type="radio"]').forEach((radio) => { radio.name = `${id}-reason`; });
  }

  function build(template, anchor, heading) {
    const root = template.content.firstElementChild.cloneNode(true);
    root.dataset.anchor = anchor;
    label(root, `qf-${anchor}`);
    part(root, "question").textContent = ` (${headingText(heading)})`;
    return root;
  }

  function finish(root, message) {
    for (const name of ["choices", "more"]) part(root, name).hidden = true;
    const status = part(root, "status");
    status.textContent = message;
    status.focus(); // the button that had focus is gone: keep keyboard users in place
  }

  function failure(status) {
    if (status === 429) return "You have sent a lot of feedback just now. Please try again in a minute.";
    return "Sorry, your feedback did not reach us. Please try again later.";
  }

  function wire(root, api, page, anchor) {
    const more = part(root, "more");
    const no = part(root, "no");
    const comment = part(root, "comment");
    const count = part(root, "count");
    const status = part(root, "status");
    const contact = part(root, "contact");
    const max = comment.maxLength;
    let sending = false;

    async function send(answer, done) {
      if (sending) return;
      sending = true;
      root.querySelectorAll("button").forEach((button) => { button.disabled = true; });
      status.textContent = "Sending…";
      try {
        const result = await requestJson(`${api}feedback`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ page, anchor, ...answer }),
        }, SEND_TIMEOUT_MS);
        if (result.ok) return finish(root, done);
        status.textContent = failure(result.status);
      } catch (error) {
        status.textContent = failure(0);
      } finally {
        sending = false;
        root.querySelectorAll("button").forEach((button) => { button.disabled = false; });
      }
    }

    part(root, "yes").addEventListener("click", () => {
      send({ helpful: true }, "Thank you for telling us.");
    });
    no.addEventListener("click", () => {
      more.hidden = false;
      if (contact) contact.hidden = false;
      no.setAttribute("aria-expanded", "true");
      more.querySelector('input[type="radio"]').focus();
    });
    comment.addEventListener("input", () => {
      count.textContent = `${comment.value.length} of ${max} characters`;
    });
    more.addEventListener("submit", (event) => {
      event.preventDefault();
      const reason = more.querySelector('input[type="radio"]:checked');
      if (!reason) {
        status.textContent = "Choose what was wrong with the answer, then press Send.";
        more.querySelector('input[type="radio"]').focus();
        return;
      }
      const text = comment.value.trim();
      send({ helpful: false, reason: reason.value, comment: text || null },
        "Thank you. An editor reads every answer like this one.");
    });
  }

  async function start() {
    const template = document.getElementById("question-feedback");
    if (!template || !("content" in template) || !window.fetch || !window.AbortController) return;
    if (document.querySelector(".question-feedback[data-anchor]")) return; // already drawn
    if (!template.parentNode.querySelector("h2[id]")) return; // no questions: no need to ask the API
    const api = template.dataset.api;
    const page = template.dataset.page;
    let probe = null;
    try {
      probe = await requestJson(`${api}feedback?page=${encodeURIComponent(page)}`, {}, PROBE_TIMEOUT_MS);
    } catch (error) {
      // no API beside this site: stay hidden
    }
    const usable = probe && probe.ok && probe.body && Array.isArray(probe.body.anchors);
    template.dataset.feedback = usable ? "on" : "off"; // says what happened, for people and tests
    if (!usable) return;
    keepInPlace(() => draw(template, probe.body.anchors, api, page));
  }

  // The widgets arrive after the API answers, when the browser has already scrolled a
  // deep link's question to just below the header: drawn above it, they would push it
  // down the screen (or, where the browser re-anchors, up under the sticky header).
  // Whatever the reader is looking at stays where it is.
  function keepInPlace(change) {
    let target = null;
    try { target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (error) { /* bad hash */ }
    const headings = Array.from(document.querySelectorAll(".md-content article h2[id]"));
    const seen = target || (window.scrollY > 0 ? headings.find((h) => h.getBoundingClientRect().top >= 0) : null);
    const before = seen ? seen.getBoundingClientRect().top : 0;
    const header = document.querySelector(".md-header");
    const hidden = target && header && before < header.getBoundingClientRect().bottom;
    change();
    if (hidden) target.scrollIntoView({ block: "start" }); // below the header (scroll-margin-top)
    else if (seen) window.scrollBy(0, seen.getBoundingClientRect().top - before);
  }

  function draw(template, anchors, api, page) {
    for (const anchor of anchors) {
      const heading = document.getElementById(anchor);
      if (!heading || heading.tagName !== "H2") continue;
      try {
        const root = build(template, anchor, heading);
        heading.parentNode.insertBefore(root, sectionEnd(heading));
        wire(root, api, page, anchor);
      } catch (error) {
        // One odd section must not stop the widgets of the others.
      }
    }
  }

  const run = () => { start().catch(() => {}); };
  // Material announces each page on document$ (also after instant navigation).
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
