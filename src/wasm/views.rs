//! The plain objects the binding hands to JavaScript, as `#[derive(Serialize)]` views of core
//! values: conversions only (times become milliseconds), no decisions. Their TypeScript shapes
//! are in `types.rs`.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::mesos::agent::RecoveryEstimate;
use crate::mesos::config::{MasterConfig, Refused, MESOS_REFUSES};
use crate::mesos::types::{AgentIx, Policy};
use crate::scenario::{AgentSettings, AgentSpec, NetworkConfig, Scenario, Warning};
use crate::sim::Simulation;
use crate::time::{self, Time};

fn ms(t: Time) -> f64 {
    time::to_millis_f64(t)
}

fn opt_ms(t: Option<Time>) -> Option<f64> {
    t.map(ms)
}

/// Everything the lab's inspector shows about one agent (`AgentInspection`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentInspection<'a> {
    index: AgentIx,
    name: &'a str,
    agent_id: Option<String>,
    master_view: &'static str,
    agent_state: &'static str,
    observer: Option<ObserverInspection>,
    reregister_deadline: Option<f64>,
    ping_deadline: Option<f64>,
    recovery: Option<RecoveryInspection>,
    tasks: Vec<TaskInspection<'a>>,
    link: LinkInspection,
    detector: Option<GaugeInspection>,
}

/// Another detector's own state and clock for one node (`DetectorGauge`).
#[derive(Serialize)]
pub struct GaugeInspection {
    status: &'static str,
    measure: &'static str,
    unit: &'static str,
    value: f64,
    limit: Option<f64>,
}

impl GaugeInspection {
    /// The value (ms or φ).
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The limit or timer length (ms or φ).
    pub fn limit(&self) -> Option<f64> {
        self.limit
    }

    /// Times in ms, φ as a number.
    pub fn of(g: &crate::detectors::NodeGauge) -> GaugeInspection {
        let convert = |v: i64| {
            if g.is_time() {
                ms(v.max(0) as Time)
            } else {
                v as f64 / 1000.0
            }
        };
        GaugeInspection {
            status: g.status,
            measure: g.measure,
            unit: if g.is_time() { "ms" } else { "phi" },
            value: convert(g.value),
            limit: g.limit.map(convert),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ObserverInspection {
    pinged: bool,
    consecutive_misses: u32,
    connected: bool,
    waiting_for_permit: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RecoveryInspection {
    started_ms: f64,
    ends_ms: Option<f64>,
}

#[derive(Serialize)]
struct TaskInspection<'a> {
    task: &'a str,
    framework: &'a str,
    state: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LinkInspection {
    master_to_agent: bool,
    agent_to_master: bool,
    linked: bool,
}

impl<'a> AgentInspection<'a> {
    /// Agent `a` of `sim` (a valid index).
    pub fn of(sim: &'a Simulation, a: AgentIx) -> AgentInspection<'a> {
        let process = sim.agent(a);
        let observer = sim.observer(a);
        let link = sim.link(a);
        let names = sim.framework_names();
        let states = sim.task_states();
        let frameworks = sim.task_frameworks();
        let tasks = sim
            .agent_tasks(a)
            .filter_map(|t| {
                let state = states.get(t as usize)?;
                Some(TaskInspection {
                    task: sim.task_name(t),
                    framework: &names[frameworks[t as usize] as usize],
                    state: state.map(|s| s.name()),
                })
            })
            .collect();
        AgentInspection {
            index: a,
            name: &sim.agent_names()[a as usize],
            agent_id: sim.agent_id(a).map(|id| id.to_string()),
            master_view: sim.master_view(a).name(),
            agent_state: sim.agent_state(a).name(),
            observer: observer.map(|o| ObserverInspection {
                pinged: o.pinged,
                consecutive_misses: o.timeouts,
                connected: o.connected,
                waiting_for_permit: o.waiting_for_permit,
            }),
            reregister_deadline: opt_ms(observer.and_then(|o| o.reregister_deadline)),
            ping_deadline: opt_ms(process.ping_deadline()),
            recovery: process
                .recovery()
                .map(|(started, ends)| RecoveryInspection {
                    started_ms: ms(started),
                    ends_ms: opt_ms(ends),
                }),
            tasks,
            link: LinkInspection {
                master_to_agent: link.master_to_agent,
                agent_to_master: link.agent_to_master,
                linked: link.linked,
            },
            detector: sim.detector_gauge(a).as_ref().map(GaugeInspection::of),
        }
    }
}

/// Metrics by name, in the engine's order (`Record<MetricName, number>`).
pub struct Metrics(pub Vec<(&'static str, f64)>);

impl Serialize for Metrics {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (*k, *v)))
    }
}

/// A detector in words (`DetectorInfo`).
#[derive(Serialize)]
pub struct DetectorInfo {
    name: &'static str,
    signal: &'static str,
    decision: &'static str,
    defaults: String,
}

impl DetectorInfo {
    /// The view of a detector.
    pub fn of(k: crate::detectors::DetectorKind) -> DetectorInfo {
        DetectorInfo {
            name: k.name(),
            signal: k.signal(),
            decision: k.decision(),
            defaults: k.defaults_summary(),
        }
    }
}

/// A built-in scenario (`Preset`).
#[derive(Serialize)]
pub struct Preset {
    name: &'static str,
    title: String,
    summary: String,
    scenario: Value,
}

impl Preset {
    /// The view of a preset.
    pub fn of(p: &crate::presets::Preset) -> Preset {
        let (title, summary) = p.summary();
        Preset {
            name: p.name,
            title,
            summary,
            scenario: serde_json::from_str(p.json).unwrap_or_default(),
        }
    }
}

/// `agent_removal_rate_limit`, resolved.
#[derive(Serialize)]
struct RateLimitView {
    permits: u64,
    per: f64,
    interval: f64,
}

/// The master's flags with the policy's defaults applied (`ResolvedMasterFlags`); durations in
/// ms, keys as in scenario files.
#[derive(Serialize)]
pub struct MasterFlags {
    agent_ping_timeout: f64,
    max_agent_ping_timeouts: u32,
    agent_reregister_timeout: f64,
    agent_removal_rate_limit: Option<RateLimitView>,
    recovery_agent_removal_limit: f64,
    registry_write_latency: f64,
    registry_gc_interval: f64,
    registry_max_agent_age: f64,
    registry_max_agent_count: u64,
    registry_store_timeout: Option<f64>,
    max_unreachable_tasks_per_framework: u64,
    reregister_timer: bool,
    reregistration_policy: &'static str,
    total_ping_timeout: f64,
}

impl MasterFlags {
    /// The view of the master's resolved flags.
    pub(super) fn of(m: &MasterConfig) -> MasterFlags {
        MasterFlags {
            agent_ping_timeout: ms(m.agent_ping_timeout),
            max_agent_ping_timeouts: m.max_agent_ping_timeouts,
            agent_reregister_timeout: ms(m.agent_reregister_timeout),
            agent_removal_rate_limit: m.agent_removal_rate_limit.map(|r| RateLimitView {
                permits: r.permits,
                per: ms(r.per),
                interval: ms(r.interval()),
            }),
            recovery_agent_removal_limit: m.recovery_agent_removal_limit as f64 / 1e6,
            registry_write_latency: ms(m.registry_write_latency),
            registry_gc_interval: ms(m.registry_gc_interval),
            registry_max_agent_age: ms(m.registry_max_agent_age),
            registry_max_agent_count: m.registry_max_agent_count,
            registry_store_timeout: opt_ms(m.registry_store_timeout),
            max_unreachable_tasks_per_framework: m.max_unreachable_tasks_per_framework,
            reregister_timer: m.reregister_timer,
            reregistration_policy: m.reregistration_policy.name(),
            total_ping_timeout: ms(m.total_ping_timeout()),
        }
    }
}

/// An agent's settings (`AgentSettingsResolved`); durations in ms, keys as in scenario files.
/// `executors` is null in the defaults (one per task).
#[derive(Serialize)]
pub struct AgentFlags {
    executors: Option<u64>,
    completed_executors: u64,
    recovery_per_executor: f64,
    registration_backoff_factor: f64,
    executor_reregistration_timeout: f64,
    recovery_timeout: f64,
    hung_executors: u32,
    authentication_delay: f64,
    supervisor_restart_delay: Option<f64>,
    pong_when: &'static str,
}

impl AgentFlags {
    fn of(s: &AgentSettings) -> AgentFlags {
        AgentFlags {
            executors: s.executors,
            completed_executors: s.completed_executors,
            recovery_per_executor: ms(s.recovery_per_executor),
            registration_backoff_factor: ms(s.registration_backoff_factor),
            executor_reregistration_timeout: ms(s.executor_reregistration_timeout),
            recovery_timeout: ms(s.recovery_timeout),
            hung_executors: s.hung_executors,
            authentication_delay: ms(s.authentication_delay),
            supervisor_restart_delay: opt_ms(s.supervisor_restart_delay),
            pong_when: s.pong_when.name(),
        }
    }
}

/// One agent of a scenario, resolved (`AgentConfig`): its name, tasks per framework and
/// settings.
#[derive(Serialize)]
pub struct AgentConfig {
    index: usize,
    name: String,
    tasks: BTreeMap<String, u32>,
    #[serde(flatten)]
    settings: AgentFlags,
}

impl AgentConfig {
    /// Agent `index` of `scenario` (a valid index).
    pub fn of(scenario: &Scenario, index: usize) -> AgentConfig {
        let a: &AgentSpec = &scenario.agents[index];
        AgentConfig {
            index,
            name: a.name.clone(),
            tasks: a
                .tasks
                .iter()
                .map(|&(fw, n)| (scenario.frameworks[fw as usize].name.clone(), n))
                .collect(),
            settings: AgentFlags::of(&a.settings),
        }
    }
}

/// Link settings (`NetworkSettingsResolved`), in ms.
#[derive(Serialize)]
pub(super) struct NetworkView {
    latency: f64,
    jitter: f64,
    drop_rate: f64,
}

impl NetworkView {
    /// The view of the link settings.
    pub(super) fn of(n: &NetworkConfig) -> NetworkView {
        NetworkView {
            latency: ms(n.latency),
            jitter: ms(n.jitter),
            drop_rate: n.drop_rate,
        }
    }
}

/// A range Mesos refuses (`RefusedRange`).
#[derive(Serialize)]
struct RefusedView {
    scope: &'static str,
    flag: &'static str,
    min: Option<f64>,
    max: Option<f64>,
    range: String,
    source: &'static str,
}

fn refused() -> Vec<RefusedView> {
    MESOS_REFUSES
        .iter()
        .map(|r: &Refused| RefusedView {
            scope: r.scope.name(),
            flag: r.flag,
            min: opt_ms(r.min),
            max: opt_ms(r.max),
            range: r.range(),
            source: r.source,
        })
        .collect()
}

/// A scenario's resolved settings (`ScenarioConfig`).
#[derive(Serialize)]
pub struct ScenarioConfig<'a> {
    policy: &'static str,
    detector: &'static str,
    mesos_version: &'static str,
    master: MasterFlags,
    network: NetworkView,
    agents: Vec<AgentConfig>,
    refused: Vec<RefusedView>,
    warnings: &'a [Warning],
}

impl<'a> ScenarioConfig<'a> {
    /// The view of a validated scenario.
    pub fn of(s: &'a Scenario) -> ScenarioConfig<'a> {
        ScenarioConfig {
            policy: s.policy.name(),
            detector: s.detector.kind().name(),
            mesos_version: s.master.version.name(),
            master: MasterFlags::of(&s.master),
            network: NetworkView::of(&s.network),
            agents: (0..s.agents.len()).map(|i| AgentConfig::of(s, i)).collect(),
            refused: refused(),
            warnings: &s.warnings,
        }
    }
}

/// What a policy runs with when a scenario says nothing (`MesosDefaults`).
#[derive(Serialize)]
pub struct Defaults {
    policy: &'static str,
    mesos_version: &'static str,
    master: MasterFlags,
    agent: AgentFlags,
    network: NetworkView,
    refused: Vec<RefusedView>,
}

impl Defaults {
    /// The defaults of `policy`.
    pub fn of(policy: Policy) -> Defaults {
        Defaults {
            policy: policy.name(),
            mesos_version: policy.version().name(),
            master: MasterFlags::of(&MasterConfig::defaults(policy)),
            agent: AgentFlags::of(&AgentSettings::defaults(policy)),
            network: NetworkView::of(&NetworkConfig::default()),
            refused: refused(),
        }
    }
}

/// How long a restart would recover (`RecoveryEstimate`), in ms.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recovery {
    read_ms: f64,
    wait_ms: f64,
    total_ms: f64,
    executors: u64,
}

impl Recovery {
    /// The view of an estimate.
    pub fn of(e: RecoveryEstimate) -> Recovery {
        Recovery {
            read_ms: ms(e.read),
            wait_ms: ms(e.wait),
            total_ms: ms(e.total()),
            executors: e.executors,
        }
    }
}
