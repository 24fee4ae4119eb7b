// Small helpers shared by the lab: DOM building (text only, never markup),
// Mesos duration syntax, clock formatting, base64url.

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

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// ---------- durations (Mesos flag syntax) ----------

const UNIT_MS = {
  ns: 1e-6, us: 1e-3, ms: 1, secs: 1000, mins: 60000, hrs: 3600000, days: 86400000, weeks: 604800000,
  s: 1000, m: 60000, h: 3600000, d: 86400000,
};

/** Parses "15secs", "0.5secs", "10mins", "250ms" or a bare number (ms). Returns ms or NaN. */
export function parseDuration(v) {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : NaN;
  if (typeof v !== 'string') return NaN;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ns|us|ms|secs|mins|hrs|days|weeks|s|m|h|d)?\s*$/.exec(v);
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] ? n * UNIT_MS[m[2]] : n;
}

function trimNum(n) {
  // Up to 3 decimals, no trailing zeros.
  return String(Math.round(n * 1000) / 1000);
}

/** Formats ms in Mesos syntax with the largest unit that keeps it short: 15000 -> "15secs". */
export function formatDuration(ms) {
  if (!Number.isFinite(ms)) return '';
  if (ms === 0) return '0ms';
  const units = [['weeks', 604800000], ['days', 86400000], ['hrs', 3600000], ['mins', 60000], ['secs', 1000], ['ms', 1]];
  for (const [u, f] of units) {
    const q = ms / f;
    if (q >= 1 && Math.abs(q * 1000 - Math.round(q * 1000)) < 1e-6 && (Number.isInteger(q) || u === 'ms' || u === 'secs')) return trimNum(q) + u;
  }
  for (const [u, f] of units) if (ms >= f) return trimNum(ms / f) + u;
  return trimNum(ms * 1000) + 'us';
}

/** Human duration for prose: 75000 -> "1 min 15 s", 600000 -> "10 min". */
export function humanDuration(ms) {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${ms >= 10 ? Math.round(ms) : trimNum(ms)} ms`;
  let s = Math.round(ms / 1000);
  if (s < 60) return ms % 1000 === 0 || ms >= 10000 ? `${s} s` : `${String(Math.round(ms / 100) / 10)} s`;
  const parts = [];
  const d = Math.floor(s / 86400); s -= d * 86400;
  const hh = Math.floor(s / 3600); s -= hh * 3600;
  const mm = Math.floor(s / 60); s -= mm * 60;
  if (d) parts.push(`${d} d`);
  if (hh) parts.push(`${hh} h`);
  if (mm) parts.push(`${mm} min`);
  if (s && !d) parts.push(`${s} s`);
  return parts.slice(0, 2).join(' ');
}

/** Simulated clock: mm:ss, h:mm:ss from one hour; `ms` adds .mmm. */
export function clock(ms, { millis = false } = {}) {
  if (!Number.isFinite(ms)) return '—';
  const neg = ms < 0;
  let t = Math.abs(ms);
  const totalS = Math.floor(t / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  const pad = (n) => String(n).padStart(2, '0');
  let out = h ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
  if (millis) {
    const frac = t - totalS * 1000;
    if (frac >= 0.0005) out += '.' + String(Math.floor(frac)).padStart(3, '0');
  }
  return (neg ? '-' : '') + out;
}

/** "1 s = 2 min" label for a speed (simulated ms per real ms). */
export function speedLabel(x) {
  return `1 s = ${humanDuration(x * 1000)}`;
}

// ---------- base64url (UTF-8) ----------

export function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes base64url to text; throws a clear Error on bad input. */
export function fromBase64Url(b64) {
  if (typeof b64 !== 'string' || !/^[A-Za-z0-9_-]*={0,2}$/.test(b64)) throw new Error('the scenario is not valid base64url (it contains other characters)');
  let s = b64.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (s.length % 4 === 1) throw new Error('the scenario is truncated (its base64url length is impossible)');
  s += '==='.slice((s.length + 3) % 4);
  let bin;
  try { bin = atob(s); } catch { throw new Error('the scenario is not valid base64url'); }
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error('the scenario does not decode to UTF-8 text (truncated link?)');
  }
}

export function deepClone(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

/** Stable JSON (sorted keys) for equality checks. */
export function stableJson(v) {
  if (Array.isArray(v)) return '[' + v.map(stableJson).join(',') + ']';
  if (v && typeof v === 'object') return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + stableJson(v[k])).join(',') + '}';
  return JSON.stringify(v);
}

export function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }

export function debounce(fn, ms) {
  let id = 0;
  return (...a) => { clearTimeout(id); id = setTimeout(() => fn(...a), ms); };
}

/** A safe file name from untrusted text. */
export function safeFileName(s, fallback = 'scenario') {
  const out = String(s ?? '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return out || fallback;
}

export function plural(n, one, many = one + 's') { return `${n} ${n === 1 ? one : many}`; }
