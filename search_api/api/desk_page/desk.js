/*
 * The agent desk: a creator's message -> answer cards with a reply to paste.
 *
 * Keyboard first: the cursor starts in the box; typing searches after a short pause
 * and Enter searches at once; Down goes to the cards, Up/Down choose one; on a card
 * `l` or Enter copies the link and `r` the reply. Esc in the box clears it, and Ctrl+Z
 * or "Undo" brings the message back; Esc on a card goes back to the box. Channel and
 * first name are remembered in this browser (localStorage), nowhere else.
 *
 * The time from the last key to the cards on screen is recorded as the User Timing
 * measure "desk:key-to-cards" (scripts/bench_desk.py reads it).
 */
// The site's own copy function: the app serves the built site beside the desk.
import { copyText } from "/assets/javascripts/clipboard.js";

const DEBOUNCE_MS = 180; // long enough to skip most keystrokes, short enough to feel live
const CARDS_PER_QUESTION = 3;
const STORAGE = { channel: "desk.channel", name: "desk.name" };
const CHANNELS = ["x", "facebook", "whatsapp", "sms", "email"];
const COUNT_FROM = 0.9; // show the character count from 90% of the limit
// A sign-off: "Thanks, Thandi", "Kind regards\nSipho", "- Lerato" at the end of the message.
const SIGN_OFF = /(?:thanks|thank you|thx|regards|cheers|best|sincerely|yours|love|from)[\s,!.:-]*\s([^\s,.!?]+)(?:\s+[A-Z][^\s,.!?]*)?[\s.!]*$|\n\s*[-\u2013\u2014]\s*([^\s,.!?]+)(?:\s+[A-Z][^\s,.!?]*)?[\s.!]*$/i;
const A_NAME = /^\p{Lu}[\p{L}'\u2019-]{1,39}$/u;

const box = document.getElementById("q");
const form = document.getElementById("ask");
const channel = document.getElementById("channel");
const name = document.getElementById("name");
const results = document.getElementById("results");
const status = document.getElementById("status");
const suggestion = document.getElementById("suggestion");
const groupTemplate = document.getElementById("group-template");
const cardTemplate = document.getElementById("card-template");
const count = document.getElementById("count");
const cleared = document.getElementById("cleared");
const nameOffer = document.getElementById("name-offer");
const nameFound = document.getElementById("name-found");

let timer = 0;
let latest = 0; // number of the newest request; older answers are dropped
let inFlight = null;
let statusTimer = 0;
let lastKeyAt = 0; // performance.now() of the last key that changed what to search
let maxChars = 8000; // the server's MAX_QUERY_CHARS, read from /api/health at start
let clearedText = ""; // the message Esc or Clear removed, until Undo or new typing

function remember(key, value) {
  try { localStorage.setItem(key, value); } catch (error) { /* storage off: still works */ }
}

function recall(key) {
  try { return localStorage.getItem(key) || ""; } catch (error) { return ""; }
}

function say(message) {
  clearTimeout(statusTimer);
  status.textContent = message;
  status.classList.add("status--shown");
  statusTimer = setTimeout(() => status.classList.remove("status--shown"), 2500);
}

// --- asking the API ------------------------------------------------------------------

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(search, DEBOUNCE_MS);
}

// `asked` is true for Enter and the Search button, false for the pause after typing.
async function search(asked = false) {
  clearTimeout(timer);
  const q = box.value;
  if (!q.trim()) {
    clear(false);
    if (asked) say("The box is empty: paste the creator's message or type a few words.");
    return;
  }
  if (q.length > maxChars) {
    clear(false);
    showProblem(`The message is ${q.length.toLocaleString("en")} characters; the limit is `
      + `${maxChars.toLocaleString("en")}. Paste the part with the question.`);
    return;
  }
  const number = ++latest;
  const keyAt = lastKeyAt;
  if (inFlight) inFlight.abort();
  inFlight = new AbortController();
  const params = new URLSearchParams({ q, channel: channel.value, limit: String(CARDS_PER_QUESTION) });
  if (name.value.trim()) params.set("name", name.value.trim());
  results.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(`/api/answer?${params}`, { signal: inFlight.signal, credentials: "omit" });
    const body = await response.json().catch(() => ({}));
    if (number !== latest) return;
    if (!response.ok) {
      showProblem(body.detail || `The desk's API answered ${response.status}.`);
      return;
    }
    render(body, keyAt);
  } catch (error) {
    if (error.name === "AbortError" || number !== latest) return;
    showProblem("The help centre's API is not answering. Try again in a moment.");
  } finally {
    if (number === latest) results.removeAttribute("aria-busy");
  }
}

function showProblem(message) {
  results.replaceChildren();
  const problem = document.createElement("p");
  problem.className = "problem";
  problem.textContent = message;
  results.append(problem);
}

// --- drawing the cards -----------------------------------------------------------------

function countText(reply) {
  return reply.limit == null ? `${reply.length} characters` : `${reply.length} / ${reply.limit}`;
}

function makeCard({ question, title, url, reply, page, anchor }, asked) {
  const card = cardTemplate.content.firstElementChild.cloneNode(true);
  if (page != null && anchor) {
    // What the creator asked and which question answered it: sent when the agent copies.
    card.dataset.page = page;
    card.dataset.anchor = anchor;
    card.dataset.asked = asked || "";
  }
  card.querySelector(".card__question").textContent = question;
  card.querySelector(".card__reply").textContent = reply.text;
  const count = card.querySelector(".card__count");
  count.textContent = countText(reply);
  count.classList.toggle("card__count--over", reply.limit != null && reply.length > reply.limit);
  card.dataset.reply = reply.text;
  const link = card.querySelector(".card__link");
  if (url) {
    card.dataset.url = url;
    link.href = url;
    link.textContent = title || url;
  } else {
    card.classList.add("card--fallback");
    card.querySelector(".card__source").remove();
    card.querySelector('[data-copy="link"]').remove();
  }
  card.setAttribute("aria-label", question);
  return card;
}

function makeGroup(found, many) {
  const group = groupTemplate.content.firstElementChild.cloneNode(true);
  const heading = group.querySelector(".group__text");
  if (many) heading.textContent = `“${found.text}”`;
  else {
    heading.textContent = "Answers"; // for screen readers: the headings stay in order
    heading.classList.add("visually-hidden");
  }
  const cards = group.querySelector(".cards");
  if (!found.confident) {
    group.classList.add("group--unsure");
    const notes = group.querySelectorAll(".group__note");
    notes[found.english === false ? 1 : 0].hidden = false;
    if (found.fallback_reply) {
      cards.append(makeCard({ question: "No page yet: reply with how to reach us", reply: found.fallback_reply }));
    }
  }
  for (const card of found.cards) cards.append(makeCard(card, found.text));
  return group;
}

function render(body, keyAt) {
  suggestion.hidden = !body.suggestion;
  suggestion.textContent = body.suggestion ? `Showing results for “${body.suggestion}”` : "";
  const many = body.questions.length > 1;
  results.replaceChildren(...body.questions.map((found) => makeGroup(found, many)));
  if (!body.questions.length) showProblem("No question found in the message.");
  // Measured at the next frame, when the cards are laid out and about to be painted.
  if (keyAt) requestAnimationFrame(() => performance.measure("desk:key-to-cards", { start: keyAt }));
}

function clear(emptyBox) {
  clearTimeout(timer);
  latest += 1;
  if (inFlight) inFlight.abort();
  if (emptyBox && box.value.trim()) {
    clearedText = box.value; // Esc is one key away from Enter: keep the message for Undo
    cleared.hidden = false;
  }
  if (emptyBox) box.value = "";
  results.replaceChildren();
  results.removeAttribute("aria-busy");
  suggestion.hidden = true;
  if (emptyBox) updateAside();
}

function undoClear() {
  if (!clearedText) return false;
  box.value = clearedText;
  clearedText = "";
  cleared.hidden = true;
  fetch("/api/health", { credentials: "omit" })
  .then((response) => response.json())
  .then((body) => { if (Number.isInteger(body.max_query_chars)) { maxChars = body.max_query_chars; updateCount(); } })
  .catch(() => { /* keep the default; the API still checks */ });
box.focus();
  updateAside();
  search();
  return true;
}

// --- beside the box: the count near the limit, the name in the sign-off -----------------

function updateCount() {
  const length = box.value.length;
  count.hidden = length < maxChars * COUNT_FROM;
  const over = length > maxChars;
  count.classList.toggle("count--over", over);
  count.textContent = `${length.toLocaleString("en")} of ${maxChars.toLocaleString("en")} characters`
    + (over ? ": too long, cut it to the part with the question" : "");
}

export function signOffName(text) {
  const match = SIGN_OFF.exec(text.trim().slice(-120));
  const found = match ? (match[1] || match[2] || "") : "";
  return A_NAME.test(found) ? found : "";
}

function offerName() {
  const found = signOffName(box.value);
  nameFound.textContent = found;
  nameOffer.hidden = !found || found === name.value.trim();
}

function updateAside() {
  updateCount();
  offerName();
}

// --- copying ---------------------------------------------------------------------------

async function copyFrom(card, what) {
  const text = what === "link" ? card.dataset.url : card.dataset.reply;
  if (!text) {
    say("There is no link: no page answers this yet. Press r to copy the reply.");
    return;
  }
  const copied = await copyText(text);
  say(copied ? (what === "link" ? "Copied the link" : "Copied the reply") : "Could not copy: select the text and copy it");
  if (copied) {
    tellCopied(card);
    card.classList.remove("card--copied");
    void card.offsetWidth; // restart the flash when the same card is copied twice
    card.classList.add("card--copied");
  }
}

// The editors' report offers what agents searched before copying a question as another
// way to phrase it; an editor decides. Best effort: a failure changes nothing for the agent.
function tellCopied(card) {
  if (!card.dataset.anchor || !card.dataset.asked) return;
  const body = JSON.stringify({ query: card.dataset.asked, page: card.dataset.page, anchor: card.dataset.anchor });
  fetch("/api/desk/copied", {
    method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" }, body, keepalive: true,
  }).catch(() => {});
}

// --- the keyboard ----------------------------------------------------------------------

function cards() {
  return Array.from(results.querySelectorAll(".card"));
}

function caretOnLastLine() {
  return !box.value.slice(box.selectionEnd).includes("\n");
}

function onBoxKey(event) {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    lastKeyAt = event.timeStamp;
    search(true);
  } else if (event.key === "Escape") {
    event.preventDefault();
    clear(true);
  } else if ((event.key === "z" || event.key === "Z") && (event.ctrlKey || event.metaKey) && !event.shiftKey
             && !box.value && clearedText) {
    event.preventDefault(); // the browser's own undo does not know the box was cleared
    undoClear();
  } else if (event.key === "ArrowDown" && caretOnLastLine() && cards().length) {
    event.preventDefault();
    cards()[0].focus();
  }
}

function onCardKey(event) {
  const card = event.target.closest(".card");
  if (!card || event.altKey || event.ctrlKey || event.metaKey) return;
  const all = cards();
  const at = all.indexOf(card);
  if (event.key === "Escape") {
    event.preventDefault();
    box.focus(); // back to the message, which stays
  } else if (event.key === "ArrowDown") {
    event.preventDefault();
    all[Math.min(at + 1, all.length - 1)].focus();
  } else if (event.key === "ArrowUp") {
    event.preventDefault();
    (at > 0 ? all[at - 1] : box).focus();
  } else if (event.key === "l" || event.key === "L" || (event.key === "Enter" && event.target === card)) {
    event.preventDefault();
    copyFrom(card, card.dataset.url ? "link" : "reply");
  } else if (event.key === "r" || event.key === "R") {
    event.preventDefault();
    copyFrom(card, "reply");
  }
}

// --- start -----------------------------------------------------------------------------

const savedChannel = recall(STORAGE.channel);
if (CHANNELS.includes(savedChannel)) channel.value = savedChannel;
name.value = recall(STORAGE.name);

box.addEventListener("input", (event) => {
  lastKeyAt = event.timeStamp;
  if (box.value) { clearedText = ""; cleared.hidden = true; } // a new message: nothing to undo
  updateAside();
  schedule();
});
box.addEventListener("paste", (event) => {
  const text = event.clipboardData ? event.clipboardData.getData("text") : "x";
  if (!text.trim()) say("Nothing to paste: the clipboard holds no text.");
});
document.getElementById("undo").addEventListener("click", undoClear);
document.getElementById("use-name").addEventListener("click", () => {
  name.value = nameFound.textContent;
  remember(STORAGE.name, name.value);
  nameOffer.hidden = true;
  if (box.value.trim()) search();
  fetch("/api/health", { credentials: "omit" })
  .then((response) => response.json())
  .then((body) => { if (Number.isInteger(body.max_query_chars)) { maxChars = body.max_query_chars; updateCount(); } })
  .catch(() => { /* keep the default; the API still checks */ });
box.focus();
});
box.addEventListener("keydown", onBoxKey);
results.addEventListener("keydown", onCardKey);
results.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (button) copyFrom(button.closest(".card"), button.dataset.copy);
});
form.addEventListener("submit", (event) => { event.preventDefault(); lastKeyAt = event.timeStamp; search(true); });
form.addEventListener("reset", (event) => { event.preventDefault(); clear(true); box.focus(); });
channel.addEventListener("change", (event) => {
  remember(STORAGE.channel, channel.value);
  lastKeyAt = event.timeStamp;
  if (box.value.trim()) search();
});
name.addEventListener("input", (event) => {
  remember(STORAGE.name, name.value.trim());
  offerName();
  lastKeyAt = event.timeStamp;
  if (box.value.trim()) schedule();
});
fetch("/api/health", { credentials: "omit" })
  .then((response) => response.json())
  .then((body) => { if (Number.isInteger(body.max_query_chars)) { maxChars = body.max_query_chars; updateCount(); } })
  .catch(() => { /* keep the default; the API still checks */ });
box.focus();
