// The Tuning tab's model: the default spec, what setting a grid point is, the page's view of the
// engine's metric catalogue and how values read, the Pareto front, and the checks and encodings
// for exported files and links. The recommendation, the CSV and every metric's meaning are the
// engine's (sweep-engine.js asks for them). No DOM here; everything read from a file or a link
// is treated as hostile input and only ever shown as text.
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

/** The kind of value of an engine unit: how the page formats it. */
const KIND_OF_UNIT = { ms: 'duration', count: 'count', rate: 'rate' };

/**
 * The page's view of the engine's metric catalogue (`sweepMetrics()`): each metric's dotted
 * path, label and description as the engine gives them, its unit, how to format it, and a title
 * that names the unit where the label does not already ("crash detection p99 (time)").
 */
export function metricCatalogue(list) {
  return list.map((m) => ({
    ...m,
    kind: KIND_OF_UNIT[m.unit] ?? 'count',
    title: m.unit === 'ms' ? `${m.label} (time)` : m.unit === 'count' ? `${m.label} (count)` : m.label,
  }));
}

/** The raw value at a dotted path of a point's metrics (undefined when absent). */
export function metricAt(metrics, path) {
  let v = metrics;
  for (const part of String(path).split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[part];
  }
  return v;
}

/** A metric's value as short text for its kind: Infinity is "never", NaN or null "—". */
export function fmtMetric(kind, v) {
  if (v === Infinity) return 'never';
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  switch (kind) {
    case 'duration': return human(v);
    case 'rate': {
      if (v === 0) return '0';
      const a = Math.abs(v);
      if (a >= 100) return Math.round(v).toLocaleString('en-US');
      return String(Number(v.toPrecision(3)));
    }
    default: return Math.round(v).toLocaleString('en-US');
  }
}

/** A constraint's bound in words: "false unreachable / agent-day ≤ 0.001". */
export function boundText(metric, atMost) {
  return `${metric.label} ≤ ${fmtMetric(metric.kind, atMost)}`;
}

// ---------------------------------------------------------------- Pareto front

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

// ---------------------------------------------------------------- results: checks, files, links

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStrings = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Rebuilds a metrics object from dotted paths and values. */
function metricsFrom(paths, values) {
  const m = {};
  paths.forEach((path, k) => {
    const parts = path.split('.');
    let o = m;
    for (const part of parts.slice(0, -1)) o = (o[part] ??= {});
    o[parts[parts.length - 1]] = values[k] ?? null;
  });
  return m;
}

/**
 * Checks imported results against the grid of their spec (`grid`: the params of each point, in
 * order, from the engine) and the engine's metric catalogue. Returns problem lines with JSON
 * paths (empty when fine) and, when fine, a clean copy with only the known fields: name, points
 * (params, trials, every catalogue metric), objective, recommendation, no_recommendation and
 * warnings.
 */
export function checkResults(results, grid, trialsPerPoint, representative, catalogue, path = 'results') {
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
    const values = catalogue.map((m) => {
      const v = metricAt(p.metrics, m.path);
      const number = typeof v === 'number' && Number.isFinite(v) && v >= 0;
      // Quantiles of times are null when nothing of the kind happened (or it fell on "never").
      if (!(number || (v === null && m.unit === 'ms'))) problems.push(`${pp}.metrics.${m.path}: expected ${m.unit === 'ms' ? 'a number ≥ 0 or null' : 'a number ≥ 0'}`);
      return v;
    });
    clean.points.push({ params: grid[i], trials: p.trials, metrics: metricsFrom(catalogue.map((m) => m.path), values) });
  });
  if (results.objective !== undefined && !isObj(results.objective)) problems.push(`${path}.objective: expected an object`);
  if (results.recommendation !== undefined && results.recommendation !== null && !(isObj(results.recommendation) && typeof results.recommendation.why === 'string')) {
    problems.push(`${path}.recommendation: expected null or { "point", "settings", "why" }`);
  }
  if (results.no_recommendation !== undefined && results.no_recommendation !== null && typeof results.no_recommendation !== 'string') problems.push(`${path}.no_recommendation: expected null or a sentence`);
  if (results.warnings !== undefined && !isStrings(results.warnings)) problems.push(`${path}.warnings: expected a list of sentences`);
  for (const k of ['objective', 'recommendation', 'no_recommendation', 'warnings']) if (results[k] !== undefined) clean[k] = results[k];
  if (representative !== undefined && representative !== null) {
    if (!Array.isArray(representative) || representative.length !== grid.length) problems.push(`representative_trials: expected a list of ${grid.length} trial numbers`);
    else representative.forEach((t, i) => { if (!Number.isInteger(t) || t < 0 || t >= trialsPerPoint) problems.push(`representative_trials[${i}]: expected a whole number from 0 to ${trialsPerPoint - 1}`); });
  }
  return problems.length ? { problems } : { problems, results: clean, representative: representative ?? null };
}

/**
 * The spec without its objective, as a key: results stay valid when only the objective changes
 * (it picks among the points; it does not change them).
 */
export function trialsKey(spec) {
  const { objective, ...rest } = spec ?? {};
  return stableJson(rest);
}

/**
 * Results as the tab keeps them: the spec they are for (and its key, to tell when the spec
 * changed since), the files it read, the grid, the engine's result, the representative trial
 * per point, the timings, whether the run was cancelled part way, and each point's setting.
 */
export function makeResults(spec, check, result, representative, timing, { files = {}, partial = false } = {}) {
  return {
    spec: deepClone(spec), specKey: trialsKey(spec), files: { ...files }, keys: check.keys, grid: check.grid, result, representative: representative ?? null,
    elapsed: timing?.elapsed ?? null, computeSeconds: timing?.computeSeconds ?? null, partial,
    settings: result.points.map((p) => settingOf(spec, p.params)),
  };
}

/** Splits an imported file: { spec, files?, results?, representative_trials? } or a bare spec. */
export function splitImport(obj) {
  if (!isObj(obj)) return { problems: ['the file must be a JSON object: a sweep spec, or { "spec": …, "results": … }'] };
  if (isObj(obj.spec)) {
    if (obj.files !== undefined && !(isObj(obj.files) && Object.values(obj.files).every((t) => typeof t === 'string'))) {
      return { problems: ['files: expected an object of file name → the file\'s text'] };
    }
    return { spec: obj.spec, files: obj.files ?? {}, results: obj.results ?? null, representative: obj.representative_trials ?? null, problems: [] };
  }
  if ('spec' in obj) return { problems: ['spec: expected a sweep spec object'] };
  return { spec: obj, files: {}, results: null, representative: null, problems: [] };
}

/** The exported file: the spec, the files it names (uploads), and its results when given. */
export function exportFile(spec, run, files = {}) {
  const out = { spec };
  if (Object.keys(files).length) out.files = files;
  if (run) {
    out.results = run.result;
    if (run.representative) out.representative_trials = run.representative;
    if (run.elapsed) out.browser_seconds = Math.round(run.elapsed * 1000) / 1000;
  }
  return out;
}

/**
 * Compact results for a link: the name, trials and catalogue metric values per point, the
 * objective, recommendation (or why none), warnings and representative trials.
 */
export function encodeResults(run, catalogue) {
  const r = run.result;
  const c = {
    v: 2, n: r.name,
    t: r.points.map((p) => p.trials),
    m: r.points.map((p) => catalogue.map((m) => metricAt(p.metrics, m.path) ?? null)),
    o: r.objective ?? null, rec: r.recommendation ?? null, nr: r.no_recommendation ?? null, w: r.warnings ?? [],
  };
  if (run.representative) c.r = run.representative;
  return toBase64Url(JSON.stringify(c));
}

/** The inverse of encodeResults for a grid; returns { results, representative } or { problems }. */
export function decodeResults(text, grid, trialsPerPoint, catalogue) {
  let c;
  try { c = JSON.parse(fromBase64Url(text)); } catch (e) { return { problems: [`results in the link could not be read (${e.message})`] }; }
  if (!isObj(c) || c.v !== 2 || !Array.isArray(c.t) || !Array.isArray(c.m) || c.t.length !== grid.length || c.m.length !== grid.length) {
    return { problems: ['results in the link do not match the spec\'s grid'] };
  }
  const paths = catalogue.map((m) => m.path);
  const points = grid.map((params, i) => ({ params, trials: c.t[i], metrics: metricsFrom(paths, Array.isArray(c.m[i]) ? c.m[i] : []) }));
  const results = { name: typeof c.n === 'string' ? c.n : '', points };
  if (c.o !== undefined && c.o !== null) results.objective = c.o;
  results.recommendation = c.rec ?? null;
  results.no_recommendation = c.nr ?? null;
  results.warnings = c.w ?? [];
  return checkResults(results, grid, trialsPerPoint, c.r ?? null, catalogue, 'results (link)');
}

/** A one-point spec with the same trials (trial k draws the same faults at every point). */
export function singlePointSpec(spec, params) {
  const s = deepClone(spec);
  s.vary = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, [v]]));
  return s;
}

/** Agent-days a spec simulates: points × trials × agents × horizon (days). */
export function agentDays(points, trials, agents, horizonMs) {
  return (points * trials * agents * horizonMs) / 86_400_000;
}
