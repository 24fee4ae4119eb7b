// The one place where the Lab asks for facts that belong to the engine but that the wasm
// binding does not export yet: the settings a scenario resolves to (with Mesos' defaults), the
// ranges Mesos itself refuses, a restart's recovery estimate, the engine's warnings as
// { path, message }, and the words for events, verdicts and faults (today's www/src/describe.js).
// When the binding gains sim.config(), recoveryEstimate(agent), structured warnings and
// describeEvent, only this file changes. No DOM.
import { parseDuration, formatDuration } from '../duration.js';
import { agentEntry } from './scenario-paths.js';
import { clock } from '../util.js';
import {
  describeEvent as describeEventJs, eventBadge as eventBadgeJs, verdictWords, causeText,
  taskStateClass, describeFault,
} from '../describe.js';

export { verdictWords, causeText, taskStateClass, describeFault };

const MIN10 = 600_000;

/** Mesos' defaults for the settings the Lab reads (src/mesos/config.rs, agent/mod.rs). */
const DEFAULTS = {
  'master.agent_ping_timeout': '15secs',
  'master.max_agent_ping_timeouts': 5,
  'master.agent_reregister_timeout': '10mins',
  'agent.recovery_timeout': '15mins',
  'agent.registration_backoff_factor': '1secs',
  'agent.recovery_per_executor': '10ms',
  'agent.executor_reregistration_timeout': '2secs',
  'agent.completed_executors': 0,
  'network.latency': '1ms',
};

/**
 * The settings a scenario runs with, in ms where they are durations (what sim.config() will
 * return): the master's ping timeout P, the misses N, the re-registration timeout R, and the
 * agent settings of agent index `agent` (its agents[] entry over agent_defaults; -1: the
 * defaults alone, with the first entry's tasks).
 */
export function resolvedSettings(scenario, agent = 0) {
  const m = scenario?.master ?? {};
  const entry = agent >= 0 ? agentEntry(scenario, agent) ?? {} : {};
  const d = scenario?.agent_defaults ?? {};
  const ag = (k) => entry[k] ?? d[k] ?? DEFAULTS[`agent.${k}`];
  const taskMap = (agent >= 0 ? entry.tasks : scenario?.agents?.[0]?.tasks) ?? {};
  const tasks = Object.values(taskMap).reduce((a, b) => a + (Number(b) || 0), 0);
  const latency = parseDuration(scenario?.network?.latency ?? DEFAULTS['network.latency']);
  return {
    pingMs: parseDuration(m.agent_ping_timeout ?? DEFAULTS['master.agent_ping_timeout']),
    maxPings: Number.isInteger(m.max_agent_ping_timeouts) ? m.max_agent_ping_timeouts : DEFAULTS['master.max_agent_ping_timeouts'],
    reregMs: parseDuration(m.agent_reregister_timeout ?? DEFAULTS['master.agent_reregister_timeout']),
    rateLimit: m.agent_removal_rate_limit ?? null,
    recoveryTimeoutMs: parseDuration(ag('recovery_timeout')),
    backoffMs: parseDuration(ag('registration_backoff_factor')),
    executors: Number.isInteger(ag('executors')) ? ag('executors') : tasks,
    completedExecutors: Number(ag('completed_executors')) || 0,
    perExecutorMs: parseDuration(ag('recovery_per_executor')),
    executorReregMs: parseDuration(ag('executor_reregistration_timeout')),
    latencyMs: Number.isFinite(latency) ? latency : 1,
    durationMs: parseDuration(scenario?.duration),
  };
}

/** How long a normal restart of agent index `agent` recovers (Agent::recovery_length). */
export function recoveryEstimate(scenario, agent = 0) {
  const s = resolvedSettings(scenario, agent);
  return s.executorReregMs + (s.executors + s.completedExecutors) * s.perExecutorMs;
}

/** What Mesos itself refuses, per dotted setting path: (value in ms or a number) → words or null. */
const REFUSED = {
  'master.agent_ping_timeout': (ms) => (ms < 1000 || ms > 900_000 ? 'Mesos refuses agent_ping_timeout outside 1secs–15mins (flag validation).' : null),
  'master.agent_reregister_timeout': (ms) => (ms < MIN10 ? 'Mesos refuses to start with agent_reregister_timeout under 10mins (Master::initialize exits).' : null),
};

/** Why Mesos would refuse `value` for the setting at `path`, or null. */
export function refusedBy(path, value) {
  const f = REFUSED[path];
  if (!f) return null;
  const ms = typeof value === 'number' && !path.endsWith('max_agent_ping_timeouts') ? value : parseDuration(value);
  return Number.isFinite(ms) ? f(ms) : null;
}

/** The engine's warnings for a run, each as { path, message } ("path: message" today). */
export function structuredWarnings(sim) {
  let list = [];
  try { list = sim.warnings(); } catch { return []; }
  return list.map((w) => {
    const m = /^([\w.[\]]+): (.*)$/s.exec(w);
    return m ? { path: m[1], message: m[2] } : { path: '', message: w };
  });
}

const EXECUTOR_END = {
  recovery_timeout: 'gave up waiting for the agent (recovery_timeout ran out)',
  reregistration_timeout: 'killed: did not re-register with the recovering agent',
  agent_exited: 'exited with the agent process (framework does not checkpoint)',
  agent_shutdown: 'killed: the agent shut down',
  framework_shutdown: 'killed by ShutdownFrameworkMessage',
};

/** Words for an executor's death (`executor_terminated`'s reason). */
export const executorEndText = (reason) => EXECUTOR_END[reason] ?? reason ?? '';

/** One line describing an event (without time and agent). */
export function describeEvent(ev) {
  switch (ev.event) {
    case 'executor_terminated': return `executor ${ev.executor} (${ev.framework}) DIED — ${executorEndText(ev.reason)}`;
    case 'agent_aborted': return `agent process exited on its own (${String(ev.reason ?? '').replace(/_/g, ' ')})`;
    case 'registry_pruned': return `registry GC dropped it${ev.agent_id ? ` (${ev.agent_id})` : ''}`;
    default: return describeEventJs(ev);
  }
}

/** Badge class and short label for an event kind. */
export function eventBadge(ev) {
  switch (ev.event) {
    case 'executor_terminated': return ['k-dead', 'executor died'];
    case 'agent_aborted': return ['k-bad', 'agent abort'];
    case 'registry_pruned': return ['k-quiet', 'pruned'];
    default: return eventBadgeJs(ev);
  }
}

/** A duration for prose in Mesos units ("10mins"). */
export const mesosUnits = (ms) => formatDuration(ms);

/** "11:00.001" for a verdict time. */
export const at = (ms) => clock(ms, { millis: true });
