// The Lab's questions to the engine about a run's settings, in the shape the Lab's texts read
// them: the master's P, N and R, the network, one agent's executor settings, a restart's
// recovery estimate and the warnings Mesos' refusals give, with their JSON paths. Every value
// comes from the simulation (labSettings(), agentConfig(i), recoveryEstimate(i)), so a default
// or a rule lives once, in the engine. The words for events, verdicts and faults are the
// engine's too (../describe.js). No DOM.
import { formatDuration } from '../duration.js';
import { clock } from '../util.js';
import { describeEvent, eventBadge, verdictWords, causeText, taskStateClass, describeFault } from '../describe.js';

export { describeEvent, eventBadge, verdictWords, causeText, taskStateClass, describeFault };

/** `agent_removal_rate_limit` as a scenario writes it ("1/10mins"), or null. */
function rateText(r) {
  return r ? `${r.permits}/${formatDuration(r.per)}` : null;
}

/**
 * The settings a run resolves to, as the engine runs them (ms for durations): the master's ping
 * timeout P, the misses N, the re-registration timeout R, the removal rate limit, the link
 * latency, and the settings of agent index `agent` (its executors, recovery_timeout, …).
 */
export function settingsOf(sim, agent = 0) {
  const { master: m, network } = sim.labSettings();
  const n = sim.agentNames().length;
  const a = n ? sim.agentConfig(Math.min(Math.max(0, agent), n - 1)) : null;
  return {
    pingMs: m.agent_ping_timeout,
    maxPings: m.max_agent_ping_timeouts,
    reregMs: m.agent_reregister_timeout,
    totalPingMs: m.total_ping_timeout,
    rateLimit: rateText(m.agent_removal_rate_limit),
    reregisterTimer: m.reregister_timer,
    latencyMs: network.latency,
    durationMs: sim.duration,
    recoveryTimeoutMs: a?.recovery_timeout ?? null,
    backoffMs: a?.registration_backoff_factor ?? null,
    perExecutorMs: a?.recovery_per_executor ?? null,
    executorReregMs: a?.executor_reregistration_timeout ?? null,
  };
}

/** How long a normal restart of agent index `agent` recovers (Agent::recovery_estimate):
 *  { readMs, waitMs, totalMs, executors }. */
export function recoveryEstimate(sim, agent = 0) {
  const n = sim.agentNames().length;
  return sim.recoveryEstimate(Math.min(Math.max(0, agent), Math.max(0, n - 1)));
}

/** The engine's warnings for a run, each { path, message } (settings Mesos would refuse). */
export function structuredWarnings(sim) {
  try { return sim.labSettings().warnings; } catch { return []; }
}

/** The engine's warning for the setting at dotted `path` ("master.agent_reregister_timeout",
 *  "agent_defaults.recovery_timeout"), matching an agents[i] override of the same key, or null. */
export function warningFor(warnings, path) {
  const key = String(path).split('.').at(-1);
  const agentScoped = !String(path).startsWith('master.') && !String(path).startsWith('network.');
  const w = warnings.find((x) => x.path === path || (agentScoped && /^agents\[\d+\]\./.test(x.path) && x.path.endsWith(`.${key}`)));
  return w ? `${w.message}.` : null;
}

/** "11:00.001" for a verdict time. */
export const at = (ms) => clock(ms, { millis: true });
