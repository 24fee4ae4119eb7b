//! The hand-written TypeScript declarations of the values that cross the boundary as plain
//! objects (scenarios, faults, trace events, results). `tests/js/usage.ts` type-checks them with
//! `tsc`, and `tests/js/declarations.test.mjs` checks that every trace event kind and field of
//! the core is declared.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/**
 * A duration in Mesos flag syntax: a number and a unit from `ns us ms secs mins hrs days weeks`
 * (`"15secs"`, `"10mins"`, `"0.5secs"`; the short forms `s m h d` too), or a number of
 * milliseconds.
 */
export type Duration = string | number;

/** The policies: which Mesos release the model follows (docs/model.md, "Policies"). */
export type PolicyName =
  | "mesos-1.1" | "mesos-1.2" | "mesos-1.5" | "mesos-latest" | "running-only-pongs";
/** What the master thinks of an agent address (index = code in `masterViews()`). */
export type MasterViewName = "connected" | "disconnected" | "unreachable" | "recovered" | "removed" | "unknown";
/** The agent process state (index = code in `agentStates()`). */
export type AgentStateName = "down" | "recovering" | "disconnected" | "running" | "terminating";
/** Mesos message names (index = kind code in `inFlight()`). */
export type MessageKindName =
  | "PingSlaveMessage" | "PongSlaveMessage" | "RegisterSlaveMessage" | "SlaveRegisteredMessage"
  | "ReregisterSlaveMessage" | "SlaveReregisteredMessage" | "UnregisterSlaveMessage"
  | "ShutdownFrameworkMessage" | "StatusUpdateMessage"
  | "LeaseUpdate" | "LeaseUpdateResponse" | "NodeStatusUpdate" | "NodeStatusUpdateResponse"
  | "Node.UpdateStatus" | "Node.UpdateStatusResponse"
  | "ping" | "ack" | "ping-req" | "nack" | "suspect" | "alive" | "dead" | "push-pull"
  | "Heartbeat" | "HeartbeatRsp";
/** Why an agent is being marked unreachable (Mesos' three, then one per other detector). */
export type CauseName =
  | "health_check" | "reregister_timeout" | "master_failover"
  | "lease_expired" | "heartbeat_ttl" | "suspicion_timeout" | "phi_threshold";
/** Who judges the agents (docs/detectors.md). */
export type DetectorName = "mesos" | "kubernetes" | "nomad" | "memberlist" | "phi-accrual";
/** Why an agent was removed. */
export type RemovalReasonName = "unregistered" | "registered";
/** Task states reported to frameworks. */
export type TaskStateName =
  | "TASK_RUNNING" | "TASK_LOST" | "TASK_UNREACHABLE" | "TASK_KILLED" | "TASK_FAILED" | "TASK_GONE";
/** Task status reasons. */
export type TaskReasonName =
  | "REASON_SLAVE_DISCONNECTED" | "REASON_SLAVE_REMOVED" | "REASON_SLAVE_REREGISTERED"
  | "REASON_EXECUTOR_TERMINATED" | "REASON_EXECUTOR_REREGISTRATION_TIMEOUT"
  | "taint_eviction" | "node_down" | "node_disconnected" | "node_downed";
/** Why an executor died (`executor_terminated`). */
export type ExecutorEndName =
  | "recovery_timeout" | "reregistration_timeout" | "agent_exited" | "agent_shutdown"
  | "framework_shutdown";
/** Why an agent process exited on its own (`agent_aborted`). */
export type AgentAbortName = "reregistered_with_wrong_id" | "registered_with_wrong_id";
/** When an agent answers pings. */
export type PongWhenName = "always" | "running";
/** What re-registration does with the tasks of a removed agent. */
export type ReregistrationPolicyName = "kill_non_partition_aware" | "keep_all";
/** Metric names (Mesos' counters, then the gauges). */
export type MetricName =
  | "master/slave_unreachable_scheduled" | "master/slave_unreachable_completed"
  | "master/slave_unreachable_canceled" | "master/slave_removals"
  | "master/slave_removals/reason_unhealthy" | "master/slave_removals/reason_unregistered"
  | "master/slave_removals/reason_registered" | "master/recovery_slave_removals"
  | "master/tasks_lost" | "master/tasks_failed" | "master/tasks_killed" | "master/tasks_gone"
  | "master/slave_registrations" | "master/slave_reregistrations"
  | "master/invalid_status_updates" | "master/slaves_connected" | "master/slaves_disconnected"
  | "master/slaves_unreachable" | "master/tasks_unreachable";

/** Master flags (Mesos' names and defaults) and the policy switches. */
export interface MasterFlags {
  /** Default `"15secs"`. */
  agent_ping_timeout?: Duration;
  /** Default 5; at least 1. */
  max_agent_ping_timeouts?: number;
  /** Default `"10mins"`. */
  agent_reregister_timeout?: Duration;
  /** `"<permits>/<duration>"`, e.g. `"1/20mins"`; absent = no rate limit. */
  agent_removal_rate_limit?: string;
  /** A percentage such as `"100%"`. */
  recovery_agent_removal_limit?: string;
  /** Default `"0ms"`. */
  registry_write_latency?: Duration;
  /** Default `"15mins"`. */
  registry_gc_interval?: Duration;
  /** Default `"2weeks"`. */
  registry_max_agent_age?: Duration;
  /** Default 102400. */
  registry_max_agent_count?: number;
  /** A registry write slower than this aborts the master; absent = off. */
  registry_store_timeout?: Duration;
  /** Default 1000. */
  max_unreachable_tasks_per_framework?: number;
  /** Overrides the policy: whether `exited()` arms the re-registration timer. */
  reregister_timer?: boolean;
  /** Overrides the policy. */
  reregistration_policy?: ReregistrationPolicyName;
}

/** Link defaults for every agent. */
export interface NetworkSettings {
  /** Fixed one-way latency, default `"1ms"`. */
  latency?: Duration;
  /** Extra uniform delay in [0, jitter], default 0. */
  jitter?: Duration;
  /** Probability in [0, 1] that any one message is lost. */
  drop_rate?: number;
}

/** A framework. */
export interface FrameworkSpec {
  name: string;
  partition_aware?: boolean;
  checkpoint?: boolean;
  /** Connected at the start (default true). */
  connected?: boolean;
}

/** Per-agent settings (also the shape of `agent_defaults`). */
export interface AgentSettings {
  /** Default: one per task. */
  executors?: number;
  completed_executors?: number;
  /** Default `"10ms"`. */
  recovery_per_executor?: Duration;
  /** Default `"1secs"`. */
  registration_backoff_factor?: Duration;
  /** Default `"2secs"`. */
  executor_reregistration_timeout?: Duration;
  /** How long executors wait for an exited agent process; default `"15mins"`. */
  recovery_timeout?: Duration;
  /** Executors that fail to re-register at each recovery; default 0. */
  hung_executors?: number;
  /** Time to authenticate before each registration chain; default `"0ms"`. */
  authentication_delay?: Duration;
  /** Restart delay after the agent exits on its own; default `"5secs"`, or `"never"`. */
  supervisor_restart_delay?: Duration | "never";
  /** Default from the policy. */
  pong_when?: PongWhenName;
}

/** One agent, or `count` agents named `NAME-0` … `NAME-(count-1)`. */
export interface AgentSpec extends AgentSettings {
  name: string;
  count?: number;
  /** Tasks per framework name. */
  tasks?: Record<string, number>;
  /** Its zone (Kubernetes' per-zone eviction). */
  zone?: string;
}

/** Kubernetes' settings (kube-controller-manager and kubelet flags, docs/detectors.md). */
export interface KubernetesSettings {
  node_monitor_period?: Duration;
  node_monitor_grace_period?: Duration;
  node_startup_grace_period?: Duration;
  node_lease_duration?: Duration;
  node_status_update_frequency?: Duration;
  node_status_report_frequency?: Duration;
  node_eviction_rate?: number;
  secondary_node_eviction_rate?: number;
  large_cluster_size_threshold?: number;
  unhealthy_zone_threshold?: number;
  /** Seconds, as in a pod's `tolerationSeconds`. */
  default_toleration_seconds?: number;
  request_timeout?: Duration;
  /** A healed node's first renewal waits this long (HTTP/2 dead-connection detection). */
  reconnect_delay?: Duration;
}
/** Nomad's server settings and the job's `disconnect.lost_after`. */
export interface NomadSettings {
  min_heartbeat_ttl?: Duration;
  max_heartbeats_per_second?: number;
  heartbeat_grace?: Duration;
  failover_heartbeat_ttl?: Duration;
  lost_after?: Duration;
  rpc_timeout?: Duration;
}
/** memberlist's `Config` fields (snake_case), starting from a profile. */
export interface MemberlistSettings {
  profile?: "lan" | "wan" | "local";
  probe_interval?: Duration;
  probe_timeout?: Duration;
  indirect_checks?: number;
  suspicion_mult?: number;
  suspicion_max_timeout_mult?: number;
  awareness_max_multiplier?: number;
  push_pull_interval?: Duration;
  disable_tcp_pings?: boolean;
  reconnect_interval?: Duration;
}
/** Phi accrual: Akka's failure detector settings, or Cassandra's variant. */
export interface PhiAccrualSettings {
  variant?: "akka" | "cassandra";
  heartbeat_interval?: Duration;
  threshold?: number;
  max_sample_size?: number;
  min_std_deviation?: Duration;
  acceptable_heartbeat_pause?: Duration;
  expected_response_after?: Duration;
  /** Split brain resolver's `stable-after`, or `"off"` (never downed). */
  stable_after?: Duration | "off";
  max_interval?: Duration;
}

/** Agent names, or every agent. */
export type AgentSelector = string[] | "all";

/** Fields every fault may carry. In a scenario `at` is required; `inject` replaces it with `now`. */
export interface FaultBase {
  at?: Duration;
}
/** Restart the agent process, or start a crashed one. */
export interface RestartFault extends FaultBase {
  kind: "restart_agent" | "start_agent";
  agents: AgentSelector;
  /** A duration, `"hang"` (until `finish_recovery`), or absent for the computed length. */
  recovery?: Duration | "hang";
  /** Nothing to recover: it registers as a new agent. */
  work_dir_lost?: boolean;
}
/** Faults that only name agents. */
export interface AgentFault extends FaultBase {
  kind: "crash_agent" | "finish_recovery" | "heal" | "break_socket" | "shutdown_agent";
  agents: AgentSelector;
}
/** Cut one or both directions of the links. */
export interface PartitionFault extends FaultBase {
  kind: "partition";
  agents: AgentSelector;
  direction?: "both" | "master_to_agent" | "agent_to_master";
  /** Whether the master also sees the socket break (default false). */
  breaks_socket?: boolean;
}
/** Drop the named messages until a time. */
export interface DropMessagesFault extends FaultBase {
  kind: "drop_messages";
  agents: AgentSelector;
  messages: MessageKindName[];
  until: Duration;
}
/** The master fails over; a new one comes up after `downtime` (default 10 s). */
export interface FailOverMasterFault extends FaultBase {
  kind: "fail_over_master";
  downtime?: Duration;
}
/** A framework disconnects from or reconnects to the master. */
export interface FrameworkFault extends FaultBase {
  kind: "disconnect_framework" | "reconnect_framework";
  framework: string;
}
/** A fault (docs/scenarios.md; discriminated by `kind`). */
export type Fault =
  | RestartFault | AgentFault | PartitionFault | DropMessagesFault | FailOverMasterFault
  | FrameworkFault;
/** A fault of a scenario file: `at` is required. */
export type ScenarioFault = Fault & { at: Duration };
/** Every fault kind. */
export type FaultKind = Fault["kind"];

/** State check: the state after every event at or before `at`. */
export type StateExpectation =
  | { at: Duration; agent: string; master_view: MasterViewName }
  | { at: Duration; agent: string; agent_state: AgentStateName };
/** Event count: every key besides these must equal that field of the event. */
export interface EventExpectation {
  event: TraceEventKind;
  /** Inclusive window; default the whole run. */
  between?: [Duration, Duration];
  count?: number;
  at_least?: number;
  at_most?: number;
  [field: string]: unknown;
}
/** Metric value check (at the end of what has run, or at `at`). */
export interface MetricExpectation {
  metric: MetricName;
  equals: number;
  at?: Duration;
}
/** One expectation of a scenario. */
export type Expectation = StateExpectation | EventExpectation | MetricExpectation;

/** A scenario (docs/scenarios.md), the shared input of the CLI, the wasm API and the lab. */
export interface Scenario {
  name?: string;
  description?: string;
  /** An integer in [0, 2^53 - 1]. */
  seed?: number;
  duration: Duration;
  policy?: PolicyName;
  /** Who judges the agents (default `"mesos"`). */
  detector?: DetectorName;
  kubernetes?: KubernetesSettings;
  nomad?: NomadSettings;
  memberlist?: MemberlistSettings;
  "phi-accrual"?: PhiAccrualSettings;
  master?: MasterFlags;
  network?: NetworkSettings;
  frameworks?: FrameworkSpec[];
  agent_defaults?: AgentSettings;
  agents: AgentSpec[];
  faults?: ScenarioFault[];
  expect?: Expectation[];
}

/** Options of `drainEvents()`. */
export interface DrainOptions {
  /** Include `message` events (default true). */
  messages?: boolean;
}

/** Options of `new Simulation`. */
export interface SimulationOptions {
  /**
   * What is kept of the trace:
   * - `"full"` (or `true`, the default): every event, so `traceJsonLines()` can export it all;
   * - `"streaming"`: events are kept only until `drainEvents()` hands them out (long runs in
   *   bounded memory); `traceHash()` and event expectations still cover every event;
   * - `"verdicts"`: every event but `message` (what fast-forward can give); `traceHash()` covers
   *   only those events;
   * - `"off"` (or `false`): nothing; `drainEvents()` returns `[]`, `traceHash()` throws and event
   *   expectations fail. For benchmarks.
   */
  trace?: boolean | "full" | "streaming" | "verdicts" | "off";
  /**
   * Skip the ping cycles of steady agents in closed form, as sweeps do (`docs/fast-forward.md`):
   * the same verdicts, metrics and final states as the full run, many times faster. Needs
   * `trace: "verdicts"` or `"off"` (skipped cycles send no messages). `endFastForward()` ends
   * it part-way, from where every message is simulated again.
   */
  fastForward?: boolean;
}

/** Fields of every trace event. `t` is in milliseconds (fractional below 1 ms). */
export interface TraceEventBase {
  t: number;
}
/** A scenario or injected fault took effect (the fault as given; injected ones have `at` in ms). */
export interface FaultEvent extends TraceEventBase {
  event: "fault";
  fault: ScenarioFault;
}
/** A message was sent. */
export interface MessageEvent extends TraceEventBase {
  event: "message";
  message: MessageKindName;
  agent: string;
  from: "master" | "agent";
  /** It will never arrive. */
  dropped: boolean;
  /** The `connected` flag (pings only). */
  connected?: boolean;
  /** For a message between two nodes (memberlist), the receiving node (`agent` sends). */
  peer?: string;
}
/** A ping went unanswered for a whole `agent_ping_timeout`. */
export interface PingTimeoutEvent extends TraceEventBase {
  event: "ping_timeout";
  agent: string;
  consecutive: number;
}
/** The master handled `exited()` for a connected agent. */
export interface AgentDisconnectedEvent extends TraceEventBase {
  event: "agent_disconnected";
  agent: string;
  /** When the re-registration timer fires (ms), or null when it is off. */
  reregister_deadline: number | null;
}
/** A path asked for (or called off) marking the agent unreachable. */
export interface UnreachableScheduledEvent extends TraceEventBase {
  event: "unreachable_scheduled" | "unreachable_canceled";
  agent: string;
  cause: CauseName;
}
/** The registry recorded the agent as unreachable. */
export interface AgentMarkedUnreachableEvent extends TraceEventBase {
  event: "agent_marked_unreachable";
  agent: string;
  agent_id: string;
  cause: CauseName;
  /** Mesos' text, e.g. "health check timed out". */
  message: string;
}
/** An agent was admitted (a new id) or re-registered. */
export interface AgentRegisteredEvent extends TraceEventBase {
  event: "agent_registered" | "agent_reregistered";
  agent: string;
  agent_id: string;
  previous_view: MasterViewName;
}
/** An agent was removed. */
export interface AgentRemovedEvent extends TraceEventBase {
  event: "agent_removed";
  agent: string;
  agent_id: string;
  reason: RemovalReasonName;
}
/** A task status update. */
export interface TaskStatusEvent extends TraceEventBase {
  event: "task_status";
  agent: string;
  framework: string;
  task: string;
  state: TaskStateName;
  reason: TaskReasonName | null;
  /** When the agent was marked unreachable (ms), for updates caused by that. */
  unreachable_time: number | null;
  /** Whether it reached the framework (it must be connected). */
  forwarded: boolean;
}
/** `LostSlaveMessage` to a framework, or `ShutdownFrameworkMessage` on re-registration. */
export interface FrameworkAgentEvent extends TraceEventBase {
  event: "slave_lost" | "framework_shutdown";
  agent: string;
  framework: string;
}
/** The agent process changed state. */
export interface AgentStateEvent extends TraceEventBase {
  event: "agent_state";
  agent: string;
  from: AgentStateName;
  to: AgentStateName;
}
/** The agent heard no ping for its whole ping timeout and re-detects the master. */
export interface AgentPingTimeoutEvent extends TraceEventBase {
  event: "agent_ping_timeout";
  agent: string;
}
/** The master process failed; a new one comes up after `downtime` ms. */
export interface MasterFailoverEvent extends TraceEventBase {
  event: "master_failover";
  downtime: number;
}
/** A new master recovered the registry. */
export interface MasterRecoveredEvent extends TraceEventBase {
  event: "master_recovered";
  recovered_agents: number;
}
/** The master exited (removal limit, or a registry write over `registry_store_timeout`). */
export interface MasterAbortedEvent extends TraceEventBase {
  event: "master_aborted";
  reason: string;
}
/** An executor (and its task) died: the ground truth beside what frameworks hear. */
export interface ExecutorTerminatedEvent extends TraceEventBase {
  event: "executor_terminated";
  agent: string;
  framework: string;
  /** The executor's name (its task's). */
  executor: string;
  reason: ExecutorEndName;
}
/** The agent process exited on its own; its supervisor may restart it. */
export interface AgentAbortedEvent extends TraceEventBase {
  event: "agent_aborted";
  agent: string;
  reason: AgentAbortName;
}
/** Another detector's own state for a node changed (Ready/Unknown, ready/down, alive/suspect/dead, Reachable/Unreachable/Down). */
export interface NodeStatusEvent extends TraceEventBase {
  event: "node_status";
  agent: string;
  /** The system's own name for the state. */
  status: string;
  /** The shared view it maps to. */
  view: MasterViewName;
}
/** Registry GC dropped an unreachable agent. */
export interface RegistryPrunedEvent extends TraceEventBase {
  event: "registry_pruned";
  agent: string;
  agent_id: string;
}
/** One trace event (docs/trace.md), exactly as a line of the CLI's `--trace` output. */
export type TraceEvent =
  | FaultEvent | MessageEvent | PingTimeoutEvent | AgentDisconnectedEvent
  | UnreachableScheduledEvent | AgentMarkedUnreachableEvent | AgentRegisteredEvent
  | AgentRemovedEvent | TaskStatusEvent | FrameworkAgentEvent | AgentStateEvent
  | AgentPingTimeoutEvent | MasterFailoverEvent | MasterRecoveredEvent | MasterAbortedEvent
  | ExecutorTerminatedEvent | AgentAbortedEvent | NodeStatusEvent | RegistryPrunedEvent;
/** Every trace event kind. */
export type TraceEventKind = TraceEvent["event"];

/** One expectation's verdict, as in the CLI's `--json` summary. */
export interface ExpectationResult {
  /** The expectation as given. */
  expectation: Expectation;
  passed: boolean;
  /** Why, in words. */
  detail: string;
}

/** Everything the lab's inspector shows about one agent. Times are in ms. */
export interface AgentInspection {
  index: number;
  name: string;
  /** The newest agent id at this address (`"S3"`), or null before it first registers. */
  agentId: string | null;
  masterView: MasterViewName;
  agentState: AgentStateName;
  /** The master's health check of the agent, while it is registered. */
  observer: {
    pinged: boolean;
    consecutiveMisses: number;
    connected: boolean;
    waitingForPermit: boolean;
  } | null;
  /** When the master's re-registration timer fires. */
  reregisterDeadline: number | null;
  /** When the agent's own ping timer expires. */
  pingDeadline: number | null;
  /** While recovering; `endsMs` null = it hangs. */
  recovery: { startedMs: number; endsMs: number | null } | null;
  /** Each task placed on this agent, with its framework's last-heard state (null: not launched). */
  tasks: { task: string; framework: string; state: TaskStateName | null }[];
  link: { masterToAgent: boolean; agentToMaster: boolean; linked: boolean };
  /** Another detector's own state and clock for this node (null under Mesos). */
  detector: DetectorGauge | null;
}

/** A detector's gauge for one node: lease age, TTL left, suspicion left, or φ. */
export interface DetectorGauge {
  /** The system's own name for the state (`Ready`, `Unknown, tainted`, `down`, `suspect`, …). */
  status: string;
  /** What is measured: `"lease age"`, `"TTL left"`, `"suspicion left"`, `"phi"`. */
  measure: string;
  /** `"ms"` for times, `"phi"` for φ. */
  unit: "ms" | "phi";
  value: number;
  /** The value at which the detector acts (lease age, φ), or the whole length of the timer counting down (TTL, suspicion); null if none. */
  limit: number | null;
}

/** A detector in words (`detectorInfo()`): the README table's columns. */
export interface DetectorInfo {
  name: DetectorName;
  signal: string;
  decision: string;
  defaults: string;
}

/** A value the engine runs with but Mesos would not accept as written. */
export interface Warning {
  /** Its JSON path: `master.agent_reregister_timeout`, `agents[2].executor_reregistration_timeout`. */
  path: string;
  /** What, in words: `5mins is below 10mins, which Mesos refuses at start-up`. */
  message: string;
}

/** Values of a duration flag Mesos refuses at start-up (the engine runs them, with a warning). */
export interface RefusedRange {
  scope: "master" | "agent";
  /** The flag, as scenario files name it. */
  flag: string;
  /** Values below this (ms) are refused; null: no lower bound. */
  min: number | null;
  /** Values above this (ms) are refused; null: no upper bound. */
  max: number | null;
  /** The refused values in words: `outside 1secs..15mins`, `below 10mins`, `above 15secs`. */
  range: string;
  /** Where Mesos refuses them (file and function). */
  source: string;
}

/** The master flags as the engine runs them (policy defaults applied). Durations in ms. */
export interface ResolvedMasterFlags {
  agent_ping_timeout: number;
  max_agent_ping_timeouts: number;
  agent_reregister_timeout: number;
  /** `per` and `interval` (the spacing between permits) in ms; null: no limiter. */
  agent_removal_rate_limit: { permits: number; per: number; interval: number } | null;
  /** A percentage (100 = "100%"). */
  recovery_agent_removal_limit: number;
  registry_write_latency: number;
  registry_gc_interval: number;
  registry_max_agent_age: number;
  registry_max_agent_count: number;
  /** null: off. */
  registry_store_timeout: number | null;
  max_unreachable_tasks_per_framework: number;
  reregister_timer: boolean;
  reregistration_policy: ReregistrationPolicyName;
  /** `agent_ping_timeout × max_agent_ping_timeouts`, which the master also sends to agents. */
  total_ping_timeout: number;
}

/** An agent's settings as the engine runs them. Durations in ms. */
export interface ResolvedAgentSettings {
  /** In `mesosDefaults()`: null, one per task. */
  executors: number | null;
  completed_executors: number;
  recovery_per_executor: number;
  registration_backoff_factor: number;
  executor_reregistration_timeout: number;
  recovery_timeout: number;
  hung_executors: number;
  authentication_delay: number;
  /** null: never restarted. */
  supervisor_restart_delay: number | null;
  pong_when: PongWhenName;
}

/** One agent of a scenario, resolved (`config().agents[i]`, `agentConfig(i)`). */
export interface AgentConfig extends ResolvedAgentSettings {
  index: number;
  name: string;
  /** Tasks per framework name. */
  tasks: Record<string, number>;
  executors: number;
}

/** Link settings as the engine runs them, in ms. */
export interface ResolvedNetworkSettings {
  latency: number;
  jitter: number;
  drop_rate: number;
}

/** Which Mesos release's code a policy follows. */
export type MesosVersionName = "1.1" | "1.2" | "1.5" | "latest";

/** A scenario's resolved settings (`config()`, `scenarioConfig(scenario)`). */
export interface ScenarioConfig {
  policy: PolicyName;
  detector: DetectorName;
  mesos_version: MesosVersionName;
  master: ResolvedMasterFlags;
  network: ResolvedNetworkSettings;
  /** One per agent index (`agentNames()` order). */
  agents: AgentConfig[];
  refused: RefusedRange[];
  warnings: Warning[];
}

/** The run-wide settings the lab reads on every edit (`labSettings()`): `config()` without `agents`. */
export interface LabSettings {
  master: ResolvedMasterFlags;
  network: ResolvedNetworkSettings;
  warnings: Warning[];
}

/** What a policy runs with when a scenario says nothing (`mesosDefaults(policy)`). */
export interface MesosDefaults {
  policy: PolicyName;
  mesos_version: MesosVersionName;
  master: ResolvedMasterFlags;
  agent: ResolvedAgentSettings;
  network: ResolvedNetworkSettings;
  refused: RefusedRange[];
}

/** How long a restart would recover (`recoveryEstimate(agent)`), in ms. */
export interface RecoveryEstimate {
  /** Reading checkpoints: (live + completed executors) × recovery_per_executor. */
  readMs: number;
  /** executor_reregistration_timeout when a framework is recovered (MESOS-7539), else 0. */
  waitMs: number;
  totalMs: number;
  /** Executors whose checkpoints it reads (live and completed). */
  executors: number;
}

/** A built-in scenario. */
export interface Preset {
  name: string;
  /** The scenario's `name`. */
  title: string;
  /** The first sentence of its description. */
  summary: string;
  scenario: Scenario;
}

/** A workload length distribution, optionally clamped to `[min, max]`. */
export type SweepDistribution = (
  | { fixed: Duration }
  | { uniform: [Duration, Duration] }
  | { lognormal: { median: Duration; p99: Duration } }
  /** Measured values, resampled with replacement; or a file of them (one per line, a bare number is seconds). */
  | { empirical: Duration[] | { file: string } }
) & { min?: Duration; max?: Duration };

/** A workload length: a duration, `"hang"` (restart_agent recoveries only) or a distribution. */
export type SweepLength = Duration | "hang" | SweepDistribution;

/** One line of a sweep's workload. */
export interface SweepWorkloadFault {
  kind: "crash_agent" | "restart_agent" | "partition" | "rolling_restart" | "fail_over_master";
  /** A Poisson process per agent, rack or cluster (its scope), e.g. `"1/7days"` or `"0.2/30days"` (exclusive with `at`). */
  rate?: string;
  /** Once, at this time… */
  at?: Duration;
  /** …shifted uniformly by up to ± this. */
  jitter?: Duration;
  /** Whom one firing hits: one agent (default), every agent of a rack (needs `workload.racks`), or the cluster. rolling_restart and fail_over_master are always cluster-scoped. */
  scope?: "agent" | "rack" | "cluster";
  /** restart_agent, rolling_restart: how long recovery lasts. */
  recovery?: SweepLength;
  /** restart_agent: the share of restarts that hang (0 to 1). */
  hang_probability?: number;
  /** partition: how long it lasts. */
  duration?: SweepLength;
  /** partition: which directions it cuts. */
  direction?: "both" | "master_to_agent" | "agent_to_master";
  /** partition: the master's socket to the agent breaks at once. */
  breaks_socket?: boolean;
  /** rolling_restart: the share of agents restarted together, e.g. `"10%"`. */
  batch?: string;
  /** rolling_restart: the wait between a batch's last recovery and the next batch. */
  pause?: Duration;
  /** fail_over_master: time without a master. */
  downtime?: SweepLength;
}

/** A bound on a metric (a dotted path into a point's `metrics`; ms for times). */
export interface SweepConstraint { metric: string; at_most: number }

/** What the recommendation optimises. */
export interface SweepObjective { minimize: string; subject_to: SweepConstraint[] }

/** A sweep spec (the CLI's `liveness sweep SPEC.json`). */
export interface SweepSpec {
  name?: string;
  /** A scenario without faults or expectations; its duration is the horizon. */
  base: Omit<Scenario, "faults" | "expect" | "duration"> & { duration?: Duration };
  /** Dotted paths into `base` (or `policy`) → the values to try; the grid is their product. */
  vary?: Record<string, (string | number | boolean)[]>;
  /** `racks` splits the agents evenly into racks `rack-0…` for rack-scoped faults. */
  workload: { horizon: Duration; racks?: number; faults: SweepWorkloadFault[] };
  trials: number;
  seed?: number;
  /** Default: minimize `detection_by_kind.crash.p99` subject to `false_unreachable_per_agent_day` ≤ 0.001. */
  objective?: Partial<SweepObjective>;
}

/** Percentiles in ms (null when there are no samples). */
export interface SweepPercentiles { p50: number | null; p99: number | null }

/** Detection times in ms of one kind of true failure; a quantile is null when it falls on an agent never marked (or none failed). */
export interface SweepDetections { n: number; undetected: number; p50: number | null; p95: number | null; p99: number | null; max: number | null }

/** One grid point's metrics over all its trials (`sweepMetrics()` describes every leaf). */
export interface SweepMetrics {
  detection_ms: { n: number; p50: number | null; p95: number | null; p99: number | null; max: number | null };
  detection_by_kind: { crash: SweepDetections; hang: SweepDetections };
  undetected: number;
  truly_failed: number;
  false_unreachable: number;
  false_unreachable_by_kind: { restart: number; partition: number; rolling_restart: number; fail_over_master: number };
  false_unreachable_per_agent_day: number;
  transient_faults: number;
  false_unreachable_per_1000_faults: number;
  transient_restarts: number;
  false_unreachable_restarts: number;
  false_unreachable_per_1000_restarts: number;
  tasks_killed_needlessly: number;
  /** @deprecated the same as `tasks_killed_needlessly`. */
  tasks_lost_needlessly: number;
  ghost_task_ms: { n: number; p50: number; p99: number; total: number };
  master_messages_per_second: number;
  limbo_ms: SweepPercentiles;
}

/** The recommended point: its index, its `vary` values, and a sentence saying why. */
export interface SweepRecommendation { point: number; settings: Record<string, string | number | boolean>; why: string }

/** Sweep results (the CLI's `--json`). */
export interface SweepResult {
  name: string;
  points: { params: Record<string, string | number | boolean>; trials: number; metrics: SweepMetrics }[];
  objective: SweepObjective;
  recommendation: SweepRecommendation | null;
  /** Why there is no recommendation (null when there is one). */
  no_recommendation: string | null;
  /** Values Mesos would refuse at start-up, in `liveness run`'s words. */
  warnings: string[];
}

/** One sweep metric (`sweepMetrics()`). */
export interface SweepMetricInfo { path: string; label: string; unit: "ms" | "count" | "rate"; description: string }

/** A benchmark workload (the same runs as `liveness bench`). */
export interface BenchWorkload {
  name: string;
  scenario: Scenario;
}
"#;
