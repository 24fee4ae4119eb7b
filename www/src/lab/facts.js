// Facts about one judged run, for texts computed from the run (lessons, story captions,
// questions): its settings, its faults, each agent's first socket break, verdict,
// re-registration and executor deaths, the task updates its frameworks heard at a moment, and
// the lane state at a time. Pure functions over a Run and its digest; no DOM.
import { LANE } from './judge.js';
import { clock, humanDuration } from '../util.js';
import { formatDuration } from '../duration.js';
import { getSetting } from './scenario-paths.js';

/** "11:00.001" (with milliseconds only when there are some). */
export const when = (t) => (Number.isFinite(t) ? clock(t, { millis: true }) : '—');
/** "10 min" */
export const span = (ms) => humanDuration(ms);
/** "10mins" */
export const units = (ms) => formatDuration(ms);

/** The facts of a run whose digest has arrived (null before). */
export function runFacts(run) {
  const d = run?.digest;
  if (!d) return null;
  const S = run.params;
  const first = (list, pred) => list.find(pred) ?? null;
  const f = {
    run, digest: d, policy: run.policy, end: run.duration, n: run.n, names: run.names,
    P: S.pingMs, N: S.maxPings, R: S.reregMs, settings: S, scenario: run.scenario,
    /** The first fault of `kind` (any if null) touching `agent` (any if null), at or after `after`. */
    fault(kind = null, agent = null, after = 0) {
      return first(d.faults, (x) => x.t >= after && (!kind || x.fault.kind === kind)
        && (!agent || x.fault.agents === 'all' || (Array.isArray(x.fault.agents) && x.fault.agents.includes(agent))));
    },
    verdict(agent, after = 0) { return first(d.verdicts, (v) => v.agent === agent && v.t >= after); },
    verdictsOf(agent) { return d.verdicts.filter((v) => v.agent === agent); },
    disconnect(agent, after = 0) { return first(d.disconnects, (x) => x.agent === agent && x.t >= after); },
    registration(agent, after = 0) { return first(d.registrations, (x) => x.agent === agent && x.t > after); },
    deaths(agent) { return d.deaths.filter((x) => x.agent === agent); },
    lane(agent) { return d.lanes?.[agent] ?? null; },
    /** Task updates heard for `agent`'s tasks within [t, t + 1 s] (needs the agent watched). */
    statusesAt(agent, t) {
      const lane = d.lanes?.[agent];
      return lane ? lane.events.filter((e) => e.event === 'task_status' && e.t >= t && e.t <= t + 1000) : [];
    },
    /** The lane record of a watched agent in force at t. */
    laneAt(agent, t) {
      const lane = d.lanes?.[agent];
      if (!lane) return null;
      let r = null;
      for (const x of lane.records) { if (x[LANE.t] <= t) r = x; else break; }
      return r;
    },
    setting(path) { return getSetting(run.scenario, path); },
  };
  return f;
}

/** "marathon TASK_UNREACHABLE ×2, batch TASK_LOST ×1" from task_status events. */
export function statusWords(events) {
  const counts = new Map();
  for (const e of events) {
    const k = `${e.framework} hears ${e.state}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, c]) => `${k}${c > 1 ? ` ×${c}` : ''}`).join(', ');
}

/** A verdict's cause in words ("the re-registration timer", "the health check", …). */
export function causeWords(v) {
  if (!v) return 'nothing';
  if (v.event === 'agent_removed') return `a removal (${v.reason})`;
  return { health_check: 'the health check', reregister_timeout: 'the re-registration timer', master_failover: 'the new master’s re-registration deadline' }[v.cause] ?? v.cause;
}
