// Words for trace events, verdicts and faults (log, fault script, summaries, the Tuning tab's
// trial notes): the engine's own words (src/describe.rs, through the wasm package), so the page
// and `liveness run` say the same thing. What stays here is the look: the badge classes. No DOM.
// The wasm module must be initialised (engine.js :: loadEngine) before these are called.
import * as engine from '../pkg/liveness.js';

/** Words for a verdict's cause (the trace's `cause` field); '' for none. */
export const causeText = (c) => engine.causeWords(c ?? undefined);

/** A verdict in words: "agent-1 unreachable (health check) at 11:00.001". */
export const verdictWords = (v) => engine.verdictWords(v);

/** Badge class of a task state (TASK_RUNNING, TASK_UNREACHABLE, TASK_LOST, the rest). */
export function taskStateClass(state) {
  return state === 'TASK_RUNNING' ? 'k-good' : state === 'TASK_UNREACHABLE' ? 'k-bad' : state === 'TASK_LOST' ? 'k-lost' : 'k-gone';
}

/** Badge class of an event (its colour). */
function badgeClass(ev) {
  switch (ev.event) {
    case 'agent_marked_unreachable': case 'unreachable_scheduled': case 'ping_timeout':
    case 'slave_lost': case 'master_aborted': case 'agent_aborted':
      return 'k-bad';
    case 'agent_removed': case 'framework_shutdown': case 'executor_terminated': case 'registry_pruned':
      return 'k-gone';
    case 'unreachable_canceled': case 'agent_registered': case 'agent_reregistered':
      return 'k-good';
    case 'agent_disconnected': case 'agent_ping_timeout': case 'master_failover':
      return 'k-warn';
    case 'fault': return 'k-fault';
    case 'master_recovered': return 'k-info';
    case 'agent_state': return ev.to === 'recovering' ? 's-recovering' : ev.to === 'running' ? 's-running' : 's-down';
    case 'task_status': return taskStateClass(ev.state);
    case 'message': return ev.dropped ? 'k-bad' : 'k-quiet';
    default: return 'k-quiet';
  }
}

/** Badge class and short label (the engine's) for an event. */
export function eventBadge(ev) {
  return [badgeClass(ev), engine.eventLabel(ev)];
}

/** One line describing an event (without time and agent), in the engine's words. */
export const describeEvent = (ev) => engine.describeEvent(ev);

/** A fault in words: "01:00 restart agent-1 (recovery: hangs)"; `withTime: false` drops the time. */
export function describeFault(f, { withTime = true } = {}) {
  return engine.describeFault(f, withTime);
}
