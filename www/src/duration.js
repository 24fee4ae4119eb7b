// Mesos duration syntax ("15secs", "10mins", "0.5days"), read exactly as the engine reads it
// (src/time.rs :: parse_duration, and a bare JSON number means milliseconds: millis_to_time),
// and written back in Mesos units. No DOM; tests/js/units.test.mjs checks it against the engine.
import { trimNum } from './util.js';

/** Units the engine accepts, with their length in nanoseconds (src/time.rs :: UNITS_NS). */
const UNITS_NS = {
  ns: 1n, us: 1_000n, ms: 1_000_000n,
  secs: 1_000_000_000n, mins: 60_000_000_000n, hrs: 3_600_000_000_000n, days: 86_400_000_000_000n, weeks: 604_800_000_000_000n,
  sec: 1_000_000_000n, min: 60_000_000_000n, hr: 3_600_000_000_000n, day: 86_400_000_000_000n, week: 604_800_000_000_000n,
  s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n,
};

/** The longest time a scenario may use, in µs (src/time.rs :: MAX_TIME: 2,000 weeks). */
const MAX_TIME_US = 2_000n * 604_800_000_000n;

/**
 * A duration in ms (to the microsecond, as the engine rounds it), or NaN when the engine would
 * refuse it. Strings need a number and a unit ("15secs", ".5mins", "1.5h"; no sign, no space
 * inside); numbers are milliseconds. Zero is returned as 0: callers decide whether it is allowed.
 */
export function parseDuration(v) {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) return NaN;
    const us = Math.round(v * 1000);
    return us > Number(MAX_TIME_US) ? NaN : us / 1000;
  }
  if (typeof v !== 'string') return NaN;
  const s = v.trim();
  const split = s.search(/[^0-9.]/);
  if (split <= 0) return NaN; // no number, or no unit
  const number = s.slice(0, split);
  const scale = UNITS_NS[s.slice(split)];
  if (scale === undefined) return NaN;
  const dot = number.indexOf('.');
  const int = dot < 0 ? number : number.slice(0, dot);
  const frac = dot < 0 ? '' : number.slice(dot + 1);
  if ((!int && !frac) || frac.includes('.') || int.length > 20 || frac.length > 18) return NaN;
  const nanos = BigInt(int || '0') * scale + (frac ? (BigInt(frac) * scale) / 10n ** BigInt(frac.length) : 0n);
  const us = (nanos + 500n) / 1000n;
  return us > MAX_TIME_US ? NaN : Number(us) / 1000;
}

/**
 * A rate "<permits>/<duration>" ("1/20mins", "2/1days") as the engine reads it
 * (src/scenario/parse.rs :: rate_limit): { permits, perMs, periodMs } with periodMs the mean
 * time between permits, or null when the engine would refuse it.
 */
export function parseRate(v) {
  if (typeof v !== 'string') return null;
  const i = v.indexOf('/');
  if (i < 0) return null;
  const p = v.slice(0, i).trim();
  const permits = /^\+?\d+$/.test(p) ? Number(p) : NaN;
  const perMs = parseDuration(v.slice(i + 1));
  if (!(permits >= 1 && permits <= 1_000_000) || !(perMs > 0) || Math.floor(Math.round(perMs * 1000) / permits) < 1) return null;
  return { permits, perMs, periodMs: perMs / permits };
}

/**
 * ms in Mesos syntax with the largest unit that keeps it short and exact: 15000 -> "15secs",
 * 75000 -> "75secs", 0 -> "0secs". (Unlike the engine's format_duration it prefers a whole
 * number of a smaller unit to a fraction of a larger one: fields read better that way.)
 */
export function formatDuration(ms) {
  if (!Number.isFinite(ms)) return '';
  if (ms === 0) return '0secs';
  const units = [['weeks', 604800000], ['days', 86400000], ['hrs', 3600000], ['mins', 60000], ['secs', 1000], ['ms', 1]];
  for (const [u, f] of units) {
    const q = ms / f;
    if (q >= 1 && Math.abs(q * 1000 - Math.round(q * 1000)) < 1e-6 && (Number.isInteger(q) || u === 'ms' || u === 'secs')) return trimNum(q) + u;
  }
  for (const [u, f] of units) if (ms >= f) return trimNum(ms / f) + u;
  return trimNum(ms * 1000) + 'us';
}

/** Rounds ms to two significant digits of its largest unit (slider snapping): 123456 -> 120000. */
export function niceMs(ms) {
  if (!(ms > 0)) return 0;
  const units = [864e5, 36e5, 6e4, 1e3, 1];
  for (const f of units) {
    if (ms >= f) {
      const q = ms / f;
      const r = q >= 10 ? Math.round(q) : Math.round(q * 10) / 10;
      return r * f;
    }
  }
  return Math.round(ms * 1000) / 1000;
}
