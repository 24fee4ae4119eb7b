// The Tuning tab's model: the default spec, what setting a grid point is, the metrics it shows,
// the Pareto front, the recommendation, and the checks and encodings for exported files and
// links. No DOM here; everything read from a file or a link is
// treated as hostile input and only ever shown as text.
import DEFAULT_FILE from '../../../sweeps/reregister-vs-ping.json' with { type: 'json' };
import { humanDuration, stableJson, deepClone, toBase64Url, fromBase64Url } from '../util.js';
import { parseDuration, formatDuration } from '../duration.js';

/** Trials per point by default in the browser: a run of the default grid takes a few seconds. */
export const DEFAULT_TRIALS = 20;

/** sweeps/reregister-vs-ping.json (embedded at build time) with browser-sized trials. */
export function defaultSpec() {
  const s = deepClone(DEFAULT_FILE);
  s.trials = DEFAULT_TRIALS;
  return s;
}
/** Trials per point in sweeps/reregister-vs-ping.json itself (the CLI's default run). */
export const FILE_TRIALS = DEFAULT_FILE.trials;

/** The dotted keys of the heatmap's axes and the policy. */
export const KEY = {
  rr: 'master.agent_reregister_timeout',
  ping: 'master.agent_ping_timeout',
  max: 'master.max_agent_ping_timeouts',
  policy: 'policy',
};
/** The keys the heatmap shows on its axes. */
export const AXIS_KEYS = new Set([KEY.rr, KEY.ping, KEY.max]);
/** Mesos' defaults: agent_reregister_timeout, agent_ping_timeout, max_agent_ping_timeouts (ms), policy. */
export const MESOS_DEFAULT = { rr: 600000, ping: 15000, max: 5, policy: 'mesos-1.2' };
/** The marker shape of each policy in the plots. */
export const POLICY_SHAPES = { 'mesos-1.1': 'square', 'mesos-1.2': 'circle', 'mesos-1.5': 'triangle', 'running-only-pongs': 'diamond' };
/** The CSS custom property of each policy's colour in the plots. */
export const POLICY_COLOR_VARS = { 'mesos-1.1': '--c-removed', 'mesos-1.2': '--accent', 'mesos-1.5': '--c-recovered', 'running-only-pongs': '--c-recovering' };

// ---------------------------------------------------------------- prose durations

/** Short human text for a duration in ms ("18 s", "5 min", "1 h 5 min"). */
export function human(ms) {
  if (ms === Infinity) return 'never';
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 10000 && ms >= 1000) return `${(Math.round(ms / 100) / 10).toString()} s`;
  return humanDuration(ms);
}

// ---------------------------------------------------------------- grid points

/** The value at a dotted path of `base` ("master.agent_ping_timeout", "agents.0.count"). */
export function baseValue(spec, path) {
  if (path === 'policy') return spec?.base?.policy;
  let v = spec?.base;
  for (const part of String(path).split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[Array.isArray(v) ? Number(part) : part];
  }
  return v;
}

function valueText(v) {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * What a grid point sets: agent_reregister_timeout, ping timeout × max misses (and their
 * total), policy, and any other varied key — from the point's params, else the base, else the
 * Mesos default.
 */
export function settingOf(spec, params = {}) {
  const get = (k) => (Object.prototype.hasOwnProperty.call(params, k) ? params[k] : baseValue(spec, k));
  const rrRaw = get(KEY.rr) ?? '10mins';
  const pingRaw = get(KEY.ping) ?? '15secs';
  const maxRaw = get(KEY.max) ?? 5;
  const rr = parseDuration(rrRaw);
  const ping = parseDuration(pingRaw);
  const max = Number(maxRaw);
  const policy = String(get(KEY.policy) ?? 'mesos-1.2');
  const others = Object.keys(params).filter((k) => !AXIS_KEYS.has(k) && k !== KEY.policy).sort().map((k) => [k, params[k]]);
  return {
    rr, ping, max, total: ping * max, policy, others,
    rrText: typeof rrRaw === 'string' ? rrRaw : formatDuration(rr),
    pingText: typeof pingRaw === 'string' ? pingRaw : formatDuration(ping),
  };
}

/** "10mins · 15secs × 5 (1 min 15 s) · mesos-1.2". */
export function describeSetting(s, { policy = true } = {}) {
  const parts = [s.rrText, `${s.pingText} × ${s.max} (${human(s.total)})`];
  if (policy) parts.push(s.policy);
  for (const [k, v] of s.others) parts.push(`${k}=${valueText(v)}`);
  return parts.join(' · ');
}

/** True for the setting Mesos ships with. */
export function isMesosDefault(s) {
  return s.rr === MESOS_DEFAULT.rr && s.ping === MESOS_DEFAULT.ping && s.max === MESOS_DEFAULT.max && s.policy === MESOS_DEFAULT.policy;
}

/** True when two settings are the same point (timeouts and policy). */
export function sameSetting(a, b) {
  return a && b && a.rr === b.rr && a.ping === b.ping && a.max === b.max && a.policy === b.policy;
}

/** The facet of a point: everything but the heatmap's axes (policy and any other varied key). */
export function facetOf(s) {
  const label = [s.policy, ...s.others.map(([k, v]) => `${k}=${valueText(v)}`)].join(' · ');
  return { key: stableJson([s.policy, s.others]), label };
}

// ---------------------------------------------------------------- metrics

/**
 * Detection p99 counting truly failed agents never marked by the horizon as never detected:
 * if more than 1% of them were missed, the 99th percentile is "never" (Infinity).
 */
export function effectiveP99(m) {
  const p99 = m?.detection_ms?.p99;
  const failed = m?.truly_failed ?? 0;
  const missed = m?.undetected ?? 0;
  if (failed > 0 && missed / failed > 0.01) return Infinity;
  return p99 ?? null;
}

/** The metrics the heatmap can show: id, labels, kind (duration | rate | count), getter. */
export const METRICS = [
  { id: 'detection_p99', label: 'detection p99', long: 'detection time p99 (fault → marked unreachable, truly failed agents)', kind: 'duration', get: effectiveP99 },
  { id: 'false_per_1000_restarts', label: 'false unreachable / 1,000 restarts', long: 'agents marked unreachable that came back by themselves, per 1,000 restarts', kind: 'rate', get: (m) => m?.false_unreachable_per_1000_restarts ?? null },
  { id: 'tasks_lost_needlessly', label: 'tasks lost needlessly', long: 'tasks lost, unreachable or killed on agents that came back by themselves', kind: 'count', get: (m) => m?.tasks_lost_needlessly ?? null },
  { id: 'limbo_p99', label: 'limbo p99', long: 'time faulty agents sat disconnected (no offers) before re-registering or being marked, p99', kind: 'duration', get: (m) => m?.limbo_ms?.p99 ?? null },
  { id: 'undetected', label: 'undetected', long: 'truly failed agents never marked unreachable by the horizon', kind: 'count', get: (m) => m?.undetected ?? null },
];
/** METRICS by id. */
export const METRIC_BY_ID = new Map(METRICS.map((m) => [m.id, m]));

/** A metric's value as short text for its kind. */
export function fmtMetric(kind, v) {
  if (v === Infinity) return 'never';
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  switch (kind) {
    case 'duration': return human(v);
    case 'rate': return v === 0 ? '0' : v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US');
    default: return Math.round(v).toLocaleString('en-US');
  }
}

// ---------------------------------------------------------------- Pareto front and recommendation

/**
 * Indices of the points not dominated in (x, y), both minimised; items: { i, x, y } with finite
 * x and y.
 */
export function paretoFront(items) {
  const sorted = items.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).sort((a, b) => a.x - b.x || a.y - b.y || a.i - b.i);
  const front = new Set();
  let minY = Infinity, lastX = NaN;
  for (const p of sorted) {
    if (p.y < minY || (p.y === minY && p.x === lastX)) { front.add(p.i); minY = p.y; lastX = p.x; }
  }
  return front;
}

/**
 * The fastest-detecting point with at most `target` false unreachable per 1,000 restarts:
 * lowest detection p99 (undetected failures count as never), then fewer false unreachable,
 * then fewer tasks lost. Returns { best, met, ties, closest }: indices (or -1), how many meet
 * it, and the others with the same detection p99 and false unreachable.
 */
export function recommend(points, target) {
  const rows = points.map((p, i) => ({ i, x: effectiveP99(p.metrics), y: p.metrics?.false_unreachable_per_1000_restarts, t: p.metrics?.tasks_lost_needlessly ?? 0, trials: p.trials }))
    .filter((r) => r.trials > 0);
  const ok = rows.filter((r) => r.y !== null && r.y !== undefined && r.y <= target + 1e-9 && r.x !== null && Number.isFinite(r.x));
  ok.sort((a, b) => a.x - b.x || a.y - b.y || a.t - b.t || a.i - b.i);
  const withY = rows.filter((r) => r.y !== null && r.y !== undefined).sort((a, b) => a.y - b.y || (a.x ?? Infinity) - (b.x ?? Infinity) || a.i - b.i);
  const ties = ok.length ? ok.filter((r) => r.i !== ok[0].i && r.x === ok[0].x && r.y === ok[0].y).map((r) => r.i) : [];
  return { best: ok.length ? ok[0].i : -1, met: ok.length, ties, closest: withY.length ? withY[0].i : -1 };
}

// ---------------------------------------------------------------- results: checks, files, links

const PCT = (v) => v === null || (typeof v === 'number' && Number.isFinite(v));
const NUM = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
/** Metric fields, in the order of the compact link encoding. */
export const METRIC_FIELDS = [
  ['detection_ms', 'n', NUM], ['detection_ms', 'p50', PCT], ['detection_ms', 'p95', PCT], ['detection_ms', 'p99', PCT], ['detection_ms', 'max', PCT],
  ['undetected', null, NUM], ['truly_failed', null, NUM], ['false_unreachable', null, NUM], ['transient_faults', null, NUM],
  ['transient_restarts', null, NUM], ['false_unreachable_per_1000_faults', null, NUM], ['false_unreachable_restarts', null, NUM],
  ['false_unreachable_per_1000_restarts', null, NUM], ['tasks_lost_needlessly', null, NUM], ['limbo_ms', 'p50', PCT], ['limbo_ms', 'p99', PCT],
];

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks imported results against the grid of their spec (`grid`: the params of each point, in
 * order, from the engine). Returns problem lines with JSON paths (empty when fine) and, when
 * fine, a clean copy with only the known fields.
 */
export function checkResults(results, grid, trialsPerPoint, representative, path = 'results') {
  const problems = [];
  if (!isObj(results)) return { problems: [`${path}: expected an object { "name", "points": [...] }`] };
  if (!Array.isArray(results.points)) return { problems: [`${path}.points: expected a list`] };
  if (results.points.length !== grid.length) {
    return { problems: [`${path}.points: ${results.points.length} points, but the spec's grid has ${grid.length}`] };
  }
  const clean = { name: typeof results.name === 'string' ? results.name : '', points: [] };
  results.points.forEach((p, i) => {
    const pp = `${path}.points[${i}]`;
    if (!isObj(p)) { problems.push(`${pp}: expected an object`); return; }
    if (stableJson(p.params) !== stableJson(grid[i])) problems.push(`${pp}.params: ${JSON.stringify(p.params)?.slice(0, 200)} is not the spec's grid point ${JSON.stringify(grid[i])}`);
    if (!Number.isInteger(p.trials) || p.trials < 0 || p.trials > trialsPerPoint) problems.push(`${pp}.trials: expected a whole number from 0 to ${trialsPerPoint}`);
    if (!isObj(p.metrics)) { problems.push(`${pp}.metrics: expected an object`); return; }
    const m = {};
    for (const [a, b, ok] of METRIC_FIELDS) {
      const v = b ? p.metrics[a]?.[b] : p.metrics[a];
      const where = `${pp}.metrics.${a}${b ? `.${b}` : ''}`;
      if (b && !isObj(p.metrics[a])) { problems.push(`${pp}.metrics.${a}: expected an object`); continue; }
      if (!ok(v)) problems.push(`${where}: expected ${ok === PCT ? 'a number or null' : 'a number ≥ 0'}`);
      if (b) (m[a] ??= {})[b] = v; else m[a] = v;
    }
    clean.points.push({ params: grid[i], trials: p.trials, metrics: m });
  });
  if (representative !== undefined && representative !== null) {
    if (!Array.isArray(representative) || representative.length !== grid.length) problems.push(`representative_trials: expected a list of ${grid.length} trial numbers`);
    else representative.forEach((t, i) => { if (!Number.isInteger(t) || t < 0 || t >= trialsPerPoint) problems.push(`representative_trials[${i}]: expected a whole number from 0 to ${trialsPerPoint - 1}`); });
  }
  return problems.length ? { problems } : { problems, results: clean, representative: representative ?? null };
}

/**
 * Results as the tab keeps them: the spec they are for (and its stable key, to tell when the
 * spec changed since), the grid, the engine's result, the representative trial per point, the
 * timings and each point's setting.
 */
export function makeResults(spec, check, result, representative, timing) {
  return {
    spec: deepClone(spec), specKey: stableJson(spec), keys: check.keys, grid: check.grid, result, representative: representative ?? null,
    elapsed: timing?.elapsed ?? null, computeSeconds: timing?.computeSeconds ?? null,
    settings: result.points.map((p) => settingOf(spec, p.params)),
  };
}

/** Splits an imported file: { spec, results?, representative_trials? } or a bare spec. */
export function splitImport(obj) {
  if (!isObj(obj)) return { problems: ['the file must be a JSON object: a sweep spec, or { "spec": …, "results": … }'] };
  if (isObj(obj.spec)) return { spec: obj.spec, results: obj.results ?? null, representative: obj.representative_trials ?? null, problems: [] };
  if ('spec' in obj) return { problems: ['spec: expected a sweep spec object'] };
  return { spec: obj, results: null, representative: null, problems: [] };
}

/** The exported file. */
export function exportFile(spec, run) {
  const out = { spec };
  if (run) {
    out.results = run.result;
    if (run.representative) out.representative_trials = run.representative;
    if (run.elapsed) out.browser_seconds = Math.round(run.elapsed * 1000) / 1000;
  }
  return out;
}

/** Compact results for a link: trials and metric values per point, representative trials. */
export function encodeResults(run) {
  const c = {
    v: 1,
    t: run.result.points.map((p) => p.trials),
    m: run.result.points.map((p) => METRIC_FIELDS.map(([a, b]) => (b ? p.metrics[a]?.[b] : p.metrics[a]) ?? null)),
  };
  if (run.representative) c.r = run.representative;
  return toBase64Url(JSON.stringify(c));
}

/** The inverse of encodeResults, for a grid and its name; returns { results, representative } or { problems }. */
export function decodeResults(text, grid, name, trialsPerPoint) {
  let c;
  try { c = JSON.parse(fromBase64Url(text)); } catch (e) { return { problems: [`results in the link could not be read (${e.message})`] }; }
  if (!isObj(c) || c.v !== 1 || !Array.isArray(c.t) || !Array.isArray(c.m) || c.t.length !== grid.length || c.m.length !== grid.length) {
    return { problems: ['results in the link do not match the spec\'s grid'] };
  }
  const points = grid.map((params, i) => {
    const metrics = {};
    const row = Array.isArray(c.m[i]) ? c.m[i] : [];
    METRIC_FIELDS.forEach(([a, b], k) => { if (b) (metrics[a] ??= {})[b] = row[k] ?? null; else metrics[a] = row[k] ?? null; });
    return { params, trials: c.t[i], metrics };
  });
  return checkResults({ name, points }, grid, trialsPerPoint, c.r ?? null, 'results (link)');
}

/** CSV of results: params then metrics, as the CLI's --out (numbers as JavaScript prints them). */
export function resultsCsv(keys, results) {
  const cols = [['detection_n', 'detection_ms', 'n'], ['detection_p50_ms', 'detection_ms', 'p50'], ['detection_p95_ms', 'detection_ms', 'p95'],
    ['detection_p99_ms', 'detection_ms', 'p99'], ['detection_max_ms', 'detection_ms', 'max'], ['undetected', 'undetected'], ['truly_failed', 'truly_failed'],
    ['false_unreachable', 'false_unreachable'], ['transient_faults', 'transient_faults'], ['false_unreachable_per_1000_faults', 'false_unreachable_per_1000_faults'],
    ['transient_restarts', 'transient_restarts'], ['false_unreachable_per_1000_restarts', 'false_unreachable_per_1000_restarts'],
    ['tasks_lost_needlessly', 'tasks_lost_needlessly'], ['limbo_p50_ms', 'limbo_ms', 'p50'], ['limbo_p99_ms', 'limbo_ms', 'p99']];
  const cell = (v) => (typeof v === 'string' ? `"${v.replace(/"/g, '""')}"` : v === null || v === undefined ? '' : String(v));
  const lines = [[...keys.map(cell), 'trials', ...cols.map((c) => c[0])].join(',')];
  for (const p of results.points) {
    lines.push([...keys.map((k) => cell(p.params[k])), String(p.trials), ...cols.map(([, a, b]) => cell(b ? p.metrics[a]?.[b] : p.metrics[a]))].join(','));
  }
  return lines.join('\n') + '\n';
}

/** A one-point spec with the same trials (trial k draws the same faults at every point). */
export function singlePointSpec(spec, params) {
  const s = deepClone(spec);
  s.vary = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, [v]]));
  return s;
}
