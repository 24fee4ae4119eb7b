// Type-checks the package's declarations (npm/index.d.ts: both wasm modules' www/pkg/*.d.ts)
// against the way the lab uses them: `npx tsc --noEmit -p tsconfig.json` (run by scripts/test.sh). Never executed.
import init, {
  initSync,
  Simulation,
  presets,
  validateScenario,
  benchWorkloads,
  masterViewNames,
  agentStateNames,
  messageKindNames,
  eventFields,
  scenarioConfig,
  mesosDefaults,
  policyNames,
  detectorNames,
  detectorInfo,
  faultKindNames,
  describeEvent,
  describeEvents,
  describeFault,
  eventLabel,
  verdictWords,
  causeWords,
  Sweep,
  sampleLength,
  type SweepSpec,
  type SweepResult,
  type SweepMetrics,
  type Scenario,
  type Fault,
  type ScenarioFault,
  type Expectation,
  type TraceEvent,
  type TraceEventKind,
  type ExpectationResult,
  type AgentInspection,
  type DetectorName,
  type DetectorGauge,
  type DetectorInfo,
  type MasterViewName,
  type AgentStateName,
  type MessageKindName,
  type Preset,
  type BenchWorkload,
  type ScenarioConfig,
  type MesosDefaults,
  type RecoveryEstimate,
  type AgentConfig,
  type Warning,
  type RefusedRange,
  type PolicyName,
} from '../../npm/index.js';

declare const wasmBytes: Uint8Array;

async function boot(): Promise<void> {
  await init();
}
initSync({ module: wasmBytes });

// ---- scenarios, faults, expectations --------------------------------------------------------

const scenario: Scenario = {
  name: 'agent hangs in recovery',
  description: 'optional text',
  seed: 7,
  duration: '20mins',
  policy: 'mesos-1.2',
  master: {
    agent_ping_timeout: '15secs',
    max_agent_ping_timeouts: 5,
    agent_reregister_timeout: '10mins',
    agent_removal_rate_limit: '1/20mins',
    recovery_agent_removal_limit: '100%',
    registry_write_latency: 0,
    registry_gc_interval: '15mins',
    registry_max_agent_age: '2weeks',
    registry_max_agent_count: 102400,
    reregister_timer: true,
    reregistration_policy: 'keep_all',
  },
  network: { latency: '1ms', jitter: '0ms', drop_rate: 0.0 },
  frameworks: [
    { name: 'marathon', partition_aware: true, checkpoint: true },
    { name: 'batch', partition_aware: false, checkpoint: false, connected: false },
  ],
  agent_defaults: { recovery_per_executor: '5ms', pong_when: 'running' },
  agents: [
    { name: 'agent-1', tasks: { marathon: 2, batch: 1 }, executors: 3, completed_executors: 2000 },
    { name: 'web', count: 50, tasks: { marathon: 1 } },
  ],
  faults: [
    { at: '1min', kind: 'restart_agent', agents: ['agent-1'], recovery: 'hang' },
    { at: '2mins', kind: 'partition', agents: ['web-3'], direction: 'both', breaks_socket: false },
    { at: '4mins', kind: 'heal', agents: ['web-3'] },
    { at: 300000, kind: 'drop_messages', agents: 'all', messages: ['PongSlaveMessage'], until: '6mins' },
    { at: '7mins', kind: 'fail_over_master', downtime: '10secs' },
    { at: '8mins', kind: 'disconnect_framework', framework: 'batch' },
  ],
  expect: [
    { at: '11mins', agent: 'agent-1', master_view: 'unreachable' },
    { at: '11mins', agent: 'agent-1', agent_state: 'recovering' },
    { event: 'agent_marked_unreachable', agent: 'agent-1', cause: 'reregister_timeout', between: ['11mins', '11.01mins'], count: 1 },
    { metric: 'master/slaves_unreachable', equals: 1, at: '12mins' },
  ],
};

// @ts-expect-error: duration is required
const noDuration: Scenario = { agents: [{ name: 'a' }] };
// @ts-expect-error: unknown policy
const badPolicy: Scenario = { duration: '1mins', agents: [], policy: 'mesos-9' };
// @ts-expect-error: a partition has no `recovery`
const badFault: Fault = { kind: 'partition', agents: 'all', recovery: 'hang' };
// @ts-expect-error: drop_messages needs real message names
const badMessages: Fault = { kind: 'drop_messages', agents: 'all', messages: ['Ping'], until: 1 };
// @ts-expect-error: a scenario fault needs `at`
const noAt: ScenarioFault = { kind: 'heal', agents: 'all' };
// @ts-expect-error: unknown master view
const badExpect: Expectation = { at: '1mins', agent: 'a', master_view: 'dead' };

// ---- the simulation ------------------------------------------------------------------------

const sim = new Simulation(scenario);
const quiet = new Simulation(scenario, { trace: false });
quiet.free();
new Simulation(scenario, { trace: 'streaming' }).free();
// @ts-expect-error: not a trace mode
new Simulation(scenario, { trace: 'some' });

const now: number = sim.now;
const duration: number = sim.duration;
// @ts-expect-error: now is read-only
sim.now = 5;
const ran: number = sim.advanceTo(duration / 2);
const reached: boolean = sim.advanceBounded(duration * 0.75, 4000);
const next: number | undefined = sim.nextEventTime();
sim.inject({ kind: 'crash_agent', agents: ['agent-1'] });
sim.inject({ kind: 'restart_agent', agents: 'all', recovery: '30secs', work_dir_lost: true });

const MASTER_VIEWS: MasterViewName[] = masterViewNames();
const AGENT_STATES: AgentStateName[] = agentStateNames();
const MESSAGE_KINDS: MessageKindName[] = messageKindNames();

const names: string[] = sim.agentNames();
const frameworks: string[] = sim.frameworkNames();
const views: Uint8Array = sim.masterViews();
const states: Uint8Array = sim.agentStates();
const misses: Uint8Array = sim.missCounts();
const deadlines: Float64Array = sim.reregisterDeadlines();
const waiting: Uint8Array = sim.permitWaiting();
const links: Uint8Array = sim.links();
const wire: Float64Array = sim.inFlight();
const up: boolean = sim.masterUp();
names.forEach((name, i) => {
  const view: MasterViewName = MASTER_VIEWS[views[i]];
  const state: AgentStateName = AGENT_STATES[states[i]];
  const cut = (links[i] & 3) !== 0;
  const deadline = Number.isNaN(deadlines[i]) ? null : deadlines[i];
  console.log(name, view, state, misses[i], waiting[i] === 1, cut, deadline, up);
});
for (let i = 0; i < wire.length; i += 6) {
  const kind: MessageKindName = MESSAGE_KINDS[wire[i + 1]];
  console.log(names[wire[i]], kind, wire[i + 2] === 1, wire[i + 4], wire[i + 5]);
}

// Trace events narrow on `event`.
function describe(e: TraceEvent): string {
  switch (e.event) {
    case 'fault':
      return `${e.t}: fault ${e.fault.kind} at ${e.fault.at}`;
    case 'message':
      return `${e.message} ${e.from} ${e.agent} → ${e.peer ?? 'master'} dropped=${e.dropped} connected=${e.connected ?? '-'}`;
    case 'ping_timeout':
      return `${e.agent} missed ${e.consecutive}`;
    case 'agent_disconnected':
      return `${e.agent} must re-register by ${e.reregister_deadline ?? 'never'}`;
    case 'unreachable_scheduled':
    case 'unreachable_canceled':
      return `${e.agent} ${e.cause}`;
    case 'agent_marked_unreachable':
      return `${e.agent} (${e.agent_id}) ${e.cause}: ${e.message}`;
    case 'agent_registered':
    case 'agent_reregistered':
      return `${e.agent} ${e.agent_id} was ${e.previous_view}`;
    case 'agent_removed':
      return `${e.agent} ${e.reason}`;
    case 'task_status': {
      const lost: boolean = e.state === 'TASK_LOST';
      return `${e.task} of ${e.framework} on ${e.agent}: ${e.state} ${e.reason ?? ''} ${e.unreachable_time ?? ''} ${e.forwarded} ${lost}`;
    }
    case 'slave_lost':
    case 'framework_shutdown':
      return `${e.framework} ${e.agent}`;
    case 'agent_state':
      return `${e.agent} ${e.from} -> ${e.to}`;
    case 'agent_ping_timeout':
      return e.agent;
    case 'master_failover':
      return `down for ${e.downtime}`;
    case 'master_recovered':
      return `${e.recovered_agents} recovered`;
    case 'master_aborted':
      return e.reason;
    case 'executor_terminated':
      return `${e.executor} of ${e.framework} on ${e.agent}: ${e.reason}`;
    case 'agent_aborted':
      return `${e.agent} exited: ${e.reason}`;
    case 'node_status':
      return `${e.agent} ${e.status} (${e.view})`;
    case 'registry_pruned':
      return `${e.agent} ${e.agent_id}`;
    default: {
      const never: never = e;
      return never;
    }
  }
}
const events: TraceEvent[] = sim.drainEvents();
events.map(describe);
const message = events.find((e) => e.event === 'message');
if (message && message.event === 'message') {
  // @ts-expect-error: a message event has no `cause`
  console.log(message.cause);
}

const info: AgentInspection = sim.inspect(0);
const misses0: number | undefined = info.observer?.consecutiveMisses;
const hangs: boolean = info.recovery !== null && info.recovery.endsMs === null;
const taskStates = info.tasks.map((t) => `${t.task}@${t.framework}: ${t.state ?? 'not launched'}`);
const linked: boolean = info.link.linked && info.link.masterToAgent && info.link.agentToMaster;
const id: string | null = info.agentId;
console.log(misses0, hangs, taskStates, linked, id, info.pingDeadline, info.reregisterDeadline, info.index, info.name);
// Another detector's own clock for the node, and the detector in words.
const detector: DetectorName = sim.detector;
const gauge: DetectorGauge | null = info.detector;
const fraction: number | null = gauge && gauge.limit !== null ? gauge.value / gauge.limit : null;
const gauges: Float64Array = sim.detectorGauges();
const peers: Float64Array = sim.inFlightPeers();
const infos: DetectorInfo[] = detectorInfo();
const detectors: DetectorName[] = detectorNames();
console.log(detector, gauge?.measure, gauge?.unit, fraction, gauges.length, peers.length, infos[0].signal, detectors);

const metrics: Record<string, number> = sim.metrics();
const results: ExpectationResult[] = sim.checkExpectations();
results.forEach((r) => console.log(r.passed, r.detail, r.expectation));
const hash: string = sim.traceHash();
const injected: ScenarioFault[] = sim.injectedFaults();
const given: Scenario = sim.scenario();
const warnings: string[] = sim.warnings();
const jsonl: string = sim.traceJsonLines();
const processed: number = sim.eventsProcessed;
console.log(metrics['master/slaves_connected'], hash, injected[0]?.at, given.name, warnings, jsonl.length, processed);
sim.free();

// ---- module functions ----------------------------------------------------------------------

const all: Preset[] = presets();
const first: Scenario = all[0].scenario;
const problems: string[] = validateScenario({ anything: 'goes' });
const workloads: BenchWorkload[] = benchWorkloads();
const fields: Record<TraceEventKind, string[]> = eventFields();
console.log(first, problems, workloads[0].name, fields.task_status, now, ran, reached, next, frameworks, boot);
console.log(noDuration, badPolicy, badFault, badMessages, noAt, badExpect);

// ---- what the page asks the engine -------------------------------------------------------

{
  const sim = new Simulation({ duration: '1mins', agents: [{ name: 'a' }] });
  const config: ScenarioConfig = sim.config();
  const warnings: Warning[] = config.warnings;
  const refused: RefusedRange[] = config.refused;
  const agent: AgentConfig = sim.agentConfig(0);
  const estimate: RecoveryEstimate = sim.recoveryEstimate(0);
  const whatIf: number = sim.recoveryEstimate(0, 20000).totalMs;
  const defaults: MesosDefaults = mesosDefaults('mesos-1.2');
  const policies: PolicyName[] = policyNames();
  const same: ScenarioConfig = scenarioConfig({ duration: '1mins', agents: [{ name: 'a' }] });
  const events = sim.drainEvents();
  const words: string[] = describeEvents(events);
  const one: string = events.length ? describeEvent(events[0]) + eventLabel(events[0]) + verdictWords(events[0]) : '';
  const f: string = describeFault({ kind: 'crash_agent', agents: ['a'] }, false);
  const c: string = causeWords('health_check') + causeWords();
  console.log(warnings, refused, agent.recovery_timeout, estimate.totalMs, whatIf, defaults.master.agent_ping_timeout, policies, same, words, one, f, c, faultKindNames());
  sim.free();
}

// ---- sweeps ----------------------------------------------------------------------------------

const sweepSpec: SweepSpec = {
  base: { agents: [{ name: 'a', count: 10 }] },
  vary: { 'master.agent_reregister_timeout': ['5mins', '10mins'], policy: ['mesos-1.2'] },
  workload: {
    horizon: '1day',
    faults: [
      { kind: 'restart_agent', rate: '1/7days', recovery: { lognormal: { median: '30secs', p99: '20mins' } } },
      { kind: 'partition', at: '1hrs', jitter: '10mins', duration: { uniform: ['10secs', '5mins'] } },
    ],
  },
  trials: 10,
};
const sweep = new Sweep(sweepSpec);
const doneSoFar: number = sweep.step(5);
const result: SweepResult = sweep.result();
const m: SweepMetrics = result.points[0].metrics;
const p99: number | null = m.detection_ms.p99;
const trialScenario: Scenario = sweep.trialScenario(0, sweep.representativeTrial(0));
const preview: Float64Array = sampleLength({ lognormal: { median: '30secs', p99: '20mins' } }, 100, 1);
console.log(doneSoFar, sweep.total, sweep.done, p99, m.false_unreachable_per_1000_restarts, trialScenario, preview, sweep.csv(), sweep.keys());
sweep.free();
// @ts-expect-error: a sweep needs a workload
const noWorkload: SweepSpec = { base: { agents: [] }, trials: 1 };
console.log(noWorkload);
