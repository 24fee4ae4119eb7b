// Messages to the reader shared by both tabs: the banner (a problem that stays until dismissed,
// e.g. a link that could not be restored) and the toast (a short confirmation).
import { $ } from './dom.js';

/** Shows a problem until the reader dismisses it. */
export function showBanner(msg) { $('#banner-msg').textContent = msg; $('#banner').hidden = false; }
/** Hides the banner. */
export function hideBanner() { $('#banner').hidden = true; }

let toastTimer = 0;
/** Shows `msg` for about three seconds. */
export function toast(msg) {
  const t = $('#toast');
  t.textContent = msg; t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 3200);
}

/** Hides the toast at once (a new scenario: an old message would mislead). */
export function hideToast() {
  clearTimeout(toastTimer);
  $('#toast').hidden = true;
}

/** Copies text to the clipboard and says so (or says how to do it by hand). */
export async function copyText(text, msg) {
  try { await navigator.clipboard.writeText(text); toast(msg); }
  catch { toast('Copy failed: select the text and copy it by hand.'); }
}
