/*
 * Copy text to the clipboard: one function for the site's copy-link buttons and the
 * agent desk (which loads this file from the site, at /assets/javascripts/clipboard.js).
 * Resolves to true when the text was copied.
 */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (error) {
    // The clipboard API needs a secure context (https or localhost); on a plain-http
    // address copy through a selection instead.
    const scratch = document.createElement("textarea");
    scratch.value = text;
    scratch.setAttribute("readonly", "");
    scratch.setAttribute("aria-hidden", "true");
    scratch.style.position = "fixed";
    scratch.style.left = "-9999px";
    document.body.append(scratch);
    scratch.select();
    const copied = document.execCommand("copy");
    scratch.remove();
    return copied;
  }
}
