// A seeded generator of random valid scenarios that exercises every part of the format (agents
// and counts, frameworks, every fault kind, policies, latencies, jitter, drop rates, rate
// limits, expectations). Used by the parity tests.
import { rng } from './helpers.mjs';

const MASTER_VIEWS = ['connected', 'disconnected', 'unreachable', 'recovered', 'removed', 'unknown'];
const AGENT_STATES = ['down', 'recovering', 'disconnected', 'running', 'terminating'];
const MESSAGE_KINDS = [
  'PingSlaveMessage', 'PongSlaveMessage', 'RegisterSlaveMessage', 'SlaveRegisteredMessage',
  'ReregisterSlaveMessage', 'SlaveReregisteredMessage', 'UnregisterSlaveMessage',
  'ShutdownFrameworkMessage',
];

const dur = (r, loMs, hiMs) => {
  const ms = r.int(loMs, hiMs);
  switch (r.int(0, 3)) {
    case 0: return ms; // a bare number of ms
    case 1: return `${ms}ms`;
    case 2: return `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}secs`;
    default: return `${ms / 1000}s`;
  }
};

/** A random valid scenario exercising every part of the format. */
export function randomScenario(seed) {
  const r = rng(seed);
  const durationMs = r.int(3, 25) * 60_000;
  const s = { name: `random ${seed}`, seed: r.int(0, 2 ** 31), duration: r.chance(0.5) ? `${durationMs / 60_000}mins` : durationMs };
  if (r.chance(0.8)) s.policy = r.pick(['mesos-1.1', 'mesos-1.2', 'mesos-1.5', 'running-only-pongs']);
  if (r.chance(0.8)) {
    const m = {};
    if (r.chance(0.5)) m.agent_ping_timeout = dur(r, 2_000, 20_000);
    if (r.chance(0.5)) m.max_agent_ping_timeouts = r.int(1, 6);
    if (r.chance(0.5)) m.agent_reregister_timeout = dur(r, 30_000, 600_000);
    if (r.chance(0.4)) m.agent_removal_rate_limit = `${r.int(1, 3)}/${r.pick(['30secs', '1mins', '2mins', '10s'])}`;
    if (r.chance(0.3)) m.recovery_agent_removal_limit = r.pick(['100%', '50%', '0%', '12.5%', '80%']);
    if (r.chance(0.3)) m.registry_write_latency = dur(r, 0, 3_000);
    if (r.chance(0.3)) m.registry_gc_interval = dur(r, 30_000, 300_000);
    if (r.chance(0.3)) m.registry_max_agent_age = dur(r, 60_000, 600_000);
    if (r.chance(0.3)) m.registry_max_agent_count = r.int(0, 5);
    if (r.chance(0.3)) m.reregister_timer = r.chance(0.5);
    if (r.chance(0.3)) m.reregistration_policy = r.pick(['kill_non_partition_aware', 'keep_all']);
    s.master = m;
  }
  if (r.chance(0.7)) {
    s.network = {};
    if (r.chance(0.7)) s.network.latency = dur(r, 0, 300);
    if (r.chance(0.5)) s.network.jitter = dur(r, 0, 500);
    if (r.chance(0.5)) s.network.drop_rate = r.pick([0, 0.01, 0.05, 0.1, 0.25, 0.5]);
  }
  const frameworks = [];
  for (let i = 0, n = r.int(0, 3); i < n; i++) {
    const f = { name: `fw${i}` };
    if (r.chance(0.7)) f.partition_aware = r.chance(0.5);
    if (r.chance(0.7)) f.checkpoint = r.chance(0.5);
    if (r.chance(0.2)) f.connected = r.chance(0.5);
    frameworks.push(f);
  }
  if (frameworks.length || r.chance(0.5)) s.frameworks = frameworks;
  const settings = (o) => {
    if (r.chance(0.3)) o.executors = r.int(0, 5);
    if (r.chance(0.3)) o.completed_executors = r.int(0, 20_000);
    if (r.chance(0.3)) o.recovery_per_executor = dur(r, 0, 20);
    if (r.chance(0.3)) o.registration_backoff_factor = dur(r, 0, 5_000);
    if (r.chance(0.3)) o.executor_reregistration_timeout = dur(r, 0, 10_000);
    if (r.chance(0.2)) o.pong_when = r.pick(['always', 'running']);
    return o;
  };
  if (r.chance(0.4)) s.agent_defaults = settings({});
  const agentNames = [];
  s.agents = [];
  for (let g = 0, groups = r.int(1, 4); g < groups; g++) {
    const a = { name: `g${g}` };
    const count = r.chance(0.5) ? r.int(1, 6) : 1;
    if (count > 1 || r.chance(0.3)) a.count = count;
    if (frameworks.length && r.chance(0.8)) {
      a.tasks = {};
      for (const f of frameworks) if (r.chance(0.7)) a.tasks[f.name] = r.int(0, 3);
    }
    settings(a);
    s.agents.push(a);
    for (let k = 0; k < count; k++) agentNames.push(count > 1 ? `${a.name}-${k}` : a.name);
  }
  const someAgents = () => {
    if (r.chance(0.15)) return 'all';
    const picked = agentNames.filter(() => r.chance(0.4));
    return picked.length ? picked : [r.pick(agentNames)];
  };
  const kinds = [
    'restart_agent', 'crash_agent', 'start_agent', 'finish_recovery', 'partition', 'heal',
    'break_socket', 'drop_messages', 'shutdown_agent', 'fail_over_master',
    ...(frameworks.length ? ['disconnect_framework', 'reconnect_framework'] : []),
  ];
  s.faults = [];
  for (let i = 0, n = r.int(0, 9); i < n; i++) {
    const atMs = r.int(0, durationMs);
    const f = { at: r.chance(0.5) ? atMs : `${atMs}ms`, kind: r.pick(kinds) };
    switch (f.kind) {
      case 'restart_agent':
      case 'start_agent':
        f.agents = someAgents();
        if (r.chance(0.7)) f.recovery = r.chance(0.3) ? 'hang' : dur(r, 0, 200_000);
        if (r.chance(0.3)) f.work_dir_lost = r.chance(0.5);
        break;
      case 'partition':
        f.agents = someAgents();
        if (r.chance(0.7)) f.direction = r.pick(['both', 'master_to_agent', 'agent_to_master']);
        if (r.chance(0.5)) f.breaks_socket = r.chance(0.5);
        break;
      case 'drop_messages':
        f.agents = someAgents();
        f.messages = MESSAGE_KINDS.filter(() => r.chance(0.3));
        if (!f.messages.length) f.messages = [r.pick(MESSAGE_KINDS)];
        f.until = atMs + r.int(0, 300_000);
        break;
      case 'fail_over_master':
        if (r.chance(0.7)) f.downtime = dur(r, 0, 60_000);
        break;
      case 'disconnect_framework':
      case 'reconnect_framework':
        f.framework = r.pick(frameworks).name;
        break;
      default:
        f.agents = someAgents();
    }
    s.faults.push(f);
  }
  s.expect = [];
  for (let i = 0, n = r.int(0, 4); i < n; i++) {
    const at = `${r.int(0, durationMs)}ms`;
    switch (r.int(0, 3)) {
      case 0:
        s.expect.push({ at, agent: r.pick(agentNames), master_view: r.pick(MASTER_VIEWS) });
        break;
      case 1:
        s.expect.push({ at, agent: r.pick(agentNames), agent_state: r.pick(AGENT_STATES) });
        break;
      case 2:
        s.expect.push({ event: r.pick(['ping_timeout', 'agent_marked_unreachable', 'message', 'task_status']), agent: r.pick(agentNames), at_least: r.int(0, 3) });
        break;
      default:
        s.expect.push({ metric: 'master/slaves_connected', equals: r.int(0, agentNames.length), ...(r.chance(0.5) ? { at } : {}) });
    }
  }
  return s;
}
