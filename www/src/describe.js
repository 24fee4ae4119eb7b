// Words for trace events, verdicts and faults (log, fault script, summaries, the Tuning tab's
// trial notes). Plain text only; no DOM.
import { clock, humanDuration } from './util.js';
import { parseDuration } from './duration.js';

const CAUSE = {
  health_check: 'health check',
  reregister_timeout: 'agent_reregister_timeout',
  master_failover: 'not back after failover',
};
/** Words for a verdict's cause (the trace's `cause` field). */
export const causeText = (c) => CAUSE[c] ?? c ?? '';

/** A verdict in words: "agent-1 unreachable (health check) at 11:00". */
export function verdictWords(v) {
  const what = v.event === 'agent_removed' ? `removed (${v.reason ?? ''})` : `unreachable (${causeText(v.cause)})`;
  return `${v.agent} ${what} at ${clock(v.t)}`;
}

/** Badge class of a task state (TASK_RUNNING, TASK_UNREACHABLE, TASK_LOST, the rest). */
export function taskStateClass(state) {
  return state === 'TASK_RUNNING' ? 'k-good' : state === 'TASK_UNREACHABLE' ? 'k-bad' : state === 'TASK_LOST' ? 'k-lost' : 'k-gone';
}

/** Badge class and short label for an event kind. */
export function eventBadge(ev) {
  switch (ev.event) {
    case 'agent_marked_unreachable': return ['k-bad', 'unreachable'];
    case 'agent_removed': return ['k-gone', 'removed'];
    case 'unreachable_scheduled': return ['k-bad', 'scheduled'];
    case 'unreachable_canceled': return ['k-good', 'canceled'];
    case 'agent_disconnected': return ['k-warn', 'disconnected'];
    case 'agent_registered': return ['k-good', 'registered'];
    case 'agent_reregistered': return ['k-good', 're-registered'];
    case 'ping_timeout': return ['k-bad', 'ping timeout'];
    case 'agent_ping_timeout': return ['k-warn', 'agent ping timeout'];
    case 'fault': return ['k-fault', 'fault'];
    case 'agent_state': return [ev.to === 'recovering' ? 's-recovering' : ev.to === 'running' ? 's-running' : 's-down', 'process'];
    case 'task_status': return [taskStateClass(ev.state), 'task'];
    case 'slave_lost': return ['k-bad', 'slaveLost'];
    case 'framework_shutdown': return ['k-gone', 'shutdown fw'];
    case 'master_failover': return ['k-warn', 'failover'];
    case 'master_recovered': return ['k-info', 'master up'];
    case 'master_aborted': return ['k-bad', 'master abort'];
    case 'message': return [ev.dropped ? 'k-bad' : 'k-quiet', ev.dropped ? 'dropped' : 'message'];
    default: return ['k-quiet', ev.event];
  }
}

/** One line describing an event (without time and agent). */
export function describeEvent(ev) {
  switch (ev.event) {
    case 'fault': return describeFault(ev.fault, { withTime: false });
    case 'agent_disconnected':
      return ev.reregister_deadline == null
        ? 'master saw the socket break (no re-registration timer)'
        : `master saw the socket break; must re-register by ${clock(ev.reregister_deadline, { millis: true })}`;
    case 'unreachable_scheduled': return `scheduled to be marked unreachable (${causeText(ev.cause)})`;
    case 'unreachable_canceled': return `marking unreachable canceled (${causeText(ev.cause)})`;
    case 'agent_marked_unreachable': return `MARKED UNREACHABLE: ${ev.message ?? causeText(ev.cause)}`;
    case 'agent_registered': return `registered${ev.agent_id ? ` as ${ev.agent_id}` : ''}${ev.previous_view ? ` (was ${ev.previous_view})` : ''}`;
    case 'agent_reregistered': return `re-registered${ev.previous_view ? ` (was ${ev.previous_view})` : ''}`;
    case 'agent_removed': return `REMOVED (${ev.reason ?? '?'})`;
    case 'ping_timeout': return `ping timeout: ${ev.consecutive ?? '?'} in a row`;
    case 'agent_ping_timeout': return 'stopped hearing pings; re-detects the master';
    case 'agent_state': return `process ${ev.from} → ${ev.to}`;
    case 'task_status': return `${ev.task}: ${ev.state}${ev.reason ? ` (${ev.reason})` : ''}`;
    case 'slave_lost': return `slaveLost → ${ev.framework}`;
    case 'framework_shutdown': return `ShutdownFrameworkMessage for ${ev.framework}`;
    case 'master_failover': return `master failed over${ev.reason ? ` (${ev.reason})` : ''}`;
    case 'master_recovered': return `new master elected${ev.reason ? ` (${ev.reason})` : ''}`;
    case 'master_aborted': return `master aborted${ev.reason ? `: ${ev.reason}` : ''}`;
    case 'message': {
      const dir = ev.from === 'master' ? 'master → agent' : 'agent → master';
      const flag = ev.message === 'PingSlaveMessage' && ev.connected === false ? ' connected=false' : '';
      return `${ev.message} ${dir}${flag}${ev.dropped ? ' — DROPPED' : ''}`;
    }
    default: {
      const rest = { ...ev };
      delete rest.t; delete rest.event; delete rest.agent; delete rest.seq;
      return `${ev.event} ${JSON.stringify(rest)}`;
    }
  }
}

const KIND_WORDS = {
  restart_agent: 'restart', crash_agent: 'crash', start_agent: 'start', finish_recovery: 'finish recovery',
  partition: 'partition', heal: 'heal', break_socket: 'break socket', drop_messages: 'drop messages',
  shutdown_agent: 'shutdown', fail_over_master: 'master failover', disconnect_framework: 'disconnect framework',
  reconnect_framework: 'reconnect framework',
};

/** A fault in words: "restart agent-1 (recovery: hang)". */
export function describeFault(f, { withTime = true } = {}) {
  if (!f || typeof f !== 'object') return String(f);
  const parts = [];
  if (withTime) parts.push(clock(parseDuration(f.at)));
  parts.push(KIND_WORDS[f.kind] ?? String(f.kind));
  if (f.agents !== undefined) {
    const a = f.agents === 'all' ? 'all agents' : Array.isArray(f.agents) ? (f.agents.length > 3 ? `${f.agents.slice(0, 3).join(', ')} +${f.agents.length - 3}` : f.agents.join(', ')) : String(f.agents);
    parts.push(a);
  }
  const extra = [];
  if (f.recovery !== undefined) extra.push(`recovery: ${f.recovery === 'hang' ? 'hangs' : humanDuration(parseDuration(f.recovery))}`);
  if (f.work_dir_lost) extra.push('work dir lost');
  if (f.direction && f.direction !== 'both') extra.push(f.direction.replace('_to_', '→'));
  if (f.breaks_socket) extra.push('breaks socket');
  if (f.downtime !== undefined) extra.push(`down ${humanDuration(parseDuration(f.downtime))}`);
  if (f.framework) extra.push(String(f.framework));
  if (f.messages) extra.push([].concat(f.messages).join(', '));
  if (f.until !== undefined) extra.push(`until ${clock(parseDuration(f.until))}`);
  return parts.join(' ') + (extra.length ? ` (${extra.join('; ')})` : '');
}
