// Settings of a scenario addressed by their dotted path (`master.agent_reregister_timeout`,
// `agent_defaults.recovery_timeout`, `agents[1].executors`, `network.latency`): read, write,
// and the agents[] entry behind an agent index. The timeouts panel, compare-by-setting and the
// link all name settings this way. No DOM.

/** The agents[] entry (with its index as __index) that defines agent index i, or null. */
export function agentEntry(scenario, i) {
  const list = scenario?.agents ?? [];
  let k = 0;
  for (let e = 0; e < list.length; e++) {
    const c = Number.isInteger(list[e].count) ? list[e].count : 1;
    if (i < k + c) return { ...list[e], __index: e };
    k += c;
  }
  return null;
}

/** The steps of a dotted path: "agents[1].executors" → ["agents", 1, "executors"]. */
export function pathSteps(path) {
  const out = [];
  for (const part of String(path).split('.')) {
    const m = /^([A-Za-z_]\w*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return null;
    out.push(m[1]);
    for (const ix of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(ix[1]));
  }
  return out.length ? out : null;
}

/** The value at `path` in a scenario (undefined when unset). */
export function getSetting(scenario, path) {
  let v = scenario;
  for (const k of pathSteps(path) ?? []) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[k];
  }
  return v;
}

/** Sets (or, for undefined/null, removes) the value at `path`, creating objects on the way. */
export function setSetting(scenario, path, value) {
  const steps = pathSteps(path);
  if (!steps) throw new Error(`"${path}" is not a setting path`);
  let o = scenario;
  for (const k of steps.slice(0, -1)) {
    if (o[k] === null || typeof o[k] !== 'object') o[k] = {};
    o = o[k];
  }
  const last = steps.at(-1);
  if (value === undefined || value === null) delete o[last]; else o[last] = value;
}

/** The settings compare-by-setting offers (path, short label, example values). */
export const COMPARABLE = [
  { path: 'master.agent_reregister_timeout', label: 'R (agent_reregister_timeout)', example: '5mins, 10mins, 15mins' },
  { path: 'master.agent_ping_timeout', label: 'P (agent_ping_timeout)', example: '5secs, 15secs, 30secs' },
  { path: 'master.max_agent_ping_timeouts', label: 'N (max_agent_ping_timeouts)', example: '3, 5, 10' },
  { path: 'master.agent_removal_rate_limit', label: 'agent_removal_rate_limit', example: 'none, 1/1mins, 1/10mins' },
  { path: 'agent_defaults.recovery_timeout', label: 'recovery_timeout (executors)', example: '10mins, 15mins, 20mins' },
  { path: 'agent_defaults.completed_executors', label: 'completed_executors', example: '0, 50000, 150000' },
  { path: 'agent_defaults.registration_backoff_factor', label: 'registration_backoff_factor', example: '1secs, 10secs, 1mins' },
  { path: 'network.latency', label: 'network latency', example: '1ms, 100ms, 1secs' },
];

/** A setting's short name for pane labels: the last step of its path. */
export const settingName = (path) => String(path).split('.').at(-1);

/** A value as the scenario JSON holds it, from text: "none" is null, whole numbers are numbers. */
export function settingValue(text) {
  const t = String(text).trim();
  if (t === '' || t === 'none') return null;
  if (/^\d+$/.test(t)) return Number(t);
  return t.replace(/\s+/g, '');
}
