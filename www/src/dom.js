// DOM helpers shared by both tabs: building elements (text only, never markup), filling an
// error list, and saving text as a download.

/**
 * Creates an element. `props` may hold: class, text, title, attrs (object),
 * dataset (object), on (object of listeners), and any property (value, type...).
 * Children are nodes or strings (added as text nodes). Never uses innerHTML.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'attrs') for (const [a, av] of Object.entries(v)) { if (av !== undefined && av !== null && av !== false) el.setAttribute(a, av === true ? '' : String(av)); }
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else el[k] = v;
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** The first element matching a selector (in `root`), or null. */
export const $ = (sel, root = document) => root.querySelector(sel);

/** Removes every child of an element; returns it. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Shows problem lines in a list (hidden when there are none), the first `max` of them. */
export function fillErrorList(ul, list, max = 60) {
  clear(ul);
  for (const e of list.slice(0, max)) ul.append(h('li', { text: e }));
  if (list.length > max) ul.append(h('li', { text: `… and ${list.length - max} more` }));
  ul.hidden = list.length === 0;
}

/** Saves text as a file through a temporary object URL. */
export function download(name, text, type) {
  downloadBlob(name, new Blob([text], { type }));
}

/** Offers `blob` as a file called `name`. */
export function downloadBlob(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

/** Reads a picked file into a textarea, refusing files over 20 MB (reported through `refuse`). */
export async function readPickedFile(input, textarea, refuse) {
  const f = input.files?.[0];
  if (!f) return;
  if (f.size > 20 * 1024 * 1024) { refuse(['the file is larger than 20 MB']); return; }
  textarea.value = await f.text();
}
