/*
 * A "Copy link" button beside every question heading: it copies the question's
 * absolute deep link (the page's canonical address + #anchor, the same link the API
 * gives agents) and says "Link copied", on screen and to screen readers.
 *
 * It is the heading's one link control: it takes the place of Material's permalink
 * icon, and the heading's text is wrapped so that the button stays on the first line
 * beside it instead of wrapping onto a line of its own on a phone. A heading that is
 * not a question is labelled "Copy link to this section".
 *
 * Question headings are the article's `##` headings with an id, less "Sources" and
 * "See also" (search_api/site/sections.py's NON_ANSWER_SECTIONS; tests/test_desk_pages.py
 * checks that the buttons and the API's questions agree). Works without the API.
 * Loaded as a module (mkdocs.yml), so it runs once the page is parsed.
 */
import { copyText } from "./clipboard.js";

const NOT_QUESTIONS = new Set(["sources", "see also"]);
const SHOWN_MS = 2000;
const ICON = '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">'
  + '<path fill="currentColor" d="M10.6 13.4a1 1 0 0 1 0-1.4l3.5-3.5a1 1 0 1 1 1.4 1.4L12 13.4a1 1 0 0 1-1.4 0Z'
  + 'M8.5 20.5a4.5 4.5 0 0 1-3.2-7.7l2.5-2.5a1 1 0 1 1 1.4 1.4l-2.5 2.5a2.5 2.5 0 0 0 3.5 3.5l2.5-2.5a1 1 0 1 1 1.4 1.4'
  + 'l-2.5 2.5a4.5 4.5 0 0 1-3.1 1.4Zm8.3-7.4a1 1 0 0 1-.7-1.7l2.5-2.5a2.5 2.5 0 0 0-3.5-3.5l-2.5 2.5a1 1 0 1 1-1.4-1.4'
  + 'l2.5-2.5a4.5 4.5 0 0 1 6.4 6.4l-2.5 2.5a1 1 0 0 1-.8.2Z"/></svg>';

function headingText(heading) {
  const copy = heading.cloneNode(true);
  copy.querySelectorAll(".headerlink, button").forEach((element) => element.remove());
  return copy.textContent.trim();
}

function deepLink(anchor) {
  // With SITE_URL set (the page says so), the canonical address is the public one, even
  // when this page came through a preview or a proxy. Without it the site may be served
  // on another address than it was built for (PORT=8765), so the page's own origin wins.
  const canonical = document.querySelector('link[rel="canonical"]');
  const pinned = document.querySelector('meta[name="site-url"][content="pinned"]');
  const page = new URL(canonical ? canonical.href : window.location.href);
  const link = pinned ? page : new URL(page.pathname, window.location.origin);
  link.hash = anchor;
  return link.href;
}

function isQuestion(text) {
  return /\?\s*$/.test(text);
}

// Everything but the permalink goes into one span, so the heading can lay the text and
// the button side by side (CSS: .copy-link-heading).
function wrapText(heading) {
  const text = document.createElement("span");
  text.className = "copy-link-heading__text";
  Array.from(heading.childNodes).forEach((node) => {
    if (!(node.nodeType === Node.ELEMENT_NODE && node.matches(".headerlink"))) text.append(node);
  });
  heading.querySelectorAll(".headerlink").forEach((permalink) => permalink.remove());
  heading.append(text);
  heading.classList.add("copy-link-heading");
}

function announcer() {
  const region = document.createElement("p");
  region.className = "copy-link__announce";
  region.setAttribute("role", "status");
  document.body.append(region);
  return region;
}

function addButton(heading, announce) {
  const question = headingText(heading);
  const what = isQuestion(question) ? "question" : "section";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy-link";
  button.title = `Copy link to this ${what}`;
  button.setAttribute("aria-label", `Copy link to this ${what}: ${question}`);
  button.dataset.anchor = heading.id;
  button.innerHTML = ICON;
  const done = document.createElement("span");
  done.className = "copy-link__done";
  done.setAttribute("aria-hidden", "true"); // the status region says it once
  done.textContent = "Link copied";
  button.append(done);
  let timer = 0;
  button.addEventListener("click", async () => {
    const copied = await copyText(deepLink(heading.id));
    const message = copied ? "Link copied" : "Could not copy the link: copy it from the address bar";
    done.textContent = copied ? "Link copied" : "Could not copy";
    button.classList.add("copy-link--done");
    announce.textContent = "";
    // A fresh text node makes screen readers announce the same words again.
    requestAnimationFrame(() => { announce.textContent = message; });
    clearTimeout(timer);
    timer = setTimeout(() => button.classList.remove("copy-link--done"), SHOWN_MS);
  });
  wrapText(heading);
  heading.append(button);
}

function start() {
  const headings = Array.from(document.querySelectorAll(".md-content article h2[id]"))
    .filter((heading) => !NOT_QUESTIONS.has(headingText(heading).toLowerCase()));
  if (!headings.length) return;
  const announce = announcer();
  headings.forEach((heading) => addButton(heading, announce));
}

// A module runs after the page is parsed, like a deferred script.
start();
