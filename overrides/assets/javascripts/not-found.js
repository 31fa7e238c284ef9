/*
 * The 404 page's search box: it starts with the words of the address that was not
 * found ("/royalty-scams/" -> "royalty scams") and searches with the site's own search
 * (the dialog in the header, which asks the API or runs Material's search). Without
 * this script the box stays hidden: a box that does nothing would only mislead.
 */
(() => {
  "use strict";
  const form = document.querySelector("form[data-not-found]");
  const toggle = document.getElementById("__search");
  const dialogInput = document.querySelector(".md-search__input");
  if (!form || !toggle || !dialogInput) return;
  const box = form.querySelector("input");

  function wordsOf(path) {
    let decoded = path;
    try { decoded = decodeURIComponent(path); } catch (error) { /* keep it as it is */ }
    return decoded.replace(/\.html?$/i, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!toggle.checked) toggle.click(); // opens Material's search dialog
    dialogInput.value = box.value;
    dialogInput.focus();
    // Both searches read what was typed from these events.
    dialogInput.dispatchEvent(new Event("input", { bubbles: true }));
    dialogInput.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: "Enter" }));
  });
  box.value = wordsOf(window.location.pathname);
  form.hidden = false;
})();
