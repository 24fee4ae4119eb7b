// Small pure helpers shared by both tabs: clock and prose formatting of times, base64url,
// cloning and stable JSON, file names, plurals and error text. No DOM here (dom.js has the DOM
// helpers, duration.js the Mesos duration syntax), so Node tests import it directly.

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

/** Up to 3 decimals, no trailing zeros. */
export function trimNum(n) {
  return String(Math.round(n * 1000) / 1000);
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

/** UTF-8 text as base64url (no padding). */
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

// ---------- values ----------

/** A deep copy of a JSON value. */
export function deepClone(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

/** Stable JSON (sorted keys) for equality checks. */
export function stableJson(v) {
  if (Array.isArray(v)) return '[' + v.map(stableJson).join(',') + ']';
  if (v && typeof v === 'object') return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + stableJson(v[k])).join(',') + '}';
  return JSON.stringify(v);
}

/** v limited to [lo, hi]. */
export function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }

/** A safe file name from untrusted text. */
export function safeFileName(s, fallback = 'scenario') {
  const out = String(s ?? '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return out || fallback;
}

/** "1 agent", "3 agents". */
export function plural(n, one, many = one + 's') { return `${n} ${n === 1 ? one : many}`; }

/** The error text of anything thrown (by the binding, a worker, JSON.parse…). */
export function errorText(e) {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try { return JSON.stringify(e) ?? String(e); } catch { return String(e); }
}
