//! Random *valid* scenarios for the property and fuzz tests.
//!
//! A [`Gen`] is a plain description (indices instead of names, times as fractions of the run)
//! that proptest can shrink freely: [`Gen::to_json`] turns any value into a scenario that
//! `Scenario::from_json` accepts, resolving indices modulo what exists after shrinking.
#![allow(dead_code)]

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// The policies, by index.
pub const POLICIES: [&str; 5] = [
    "mesos-1.1",
    "mesos-1.2",
    "mesos-1.5",
    "running-only-pongs",
    "mesos-latest",
];
/// Mesos message names accepted by `drop_messages`.
pub const MESSAGES: [&str; 9] = [
    "PingSlaveMessage",
    "PongSlaveMessage",
    "RegisterSlaveMessage",
    "SlaveRegisteredMessage",
    "ReregisterSlaveMessage",
    "SlaveReregisteredMessage",
    "UnregisterSlaveMessage",
    "ShutdownFrameworkMessage",
    "StatusUpdateMessage",
];
/// At most this many agents after `count` expansion.
pub const MAX_AGENTS: usize = 12;

/// Master flags (milliseconds; `None` leaves Mesos' default).
#[derive(Clone, Debug)]
pub struct MasterGen {
    /// `agent_ping_timeout` (P).
    pub ping_timeout_ms: u64,
    /// `max_agent_ping_timeouts` (N).
    pub max_ping_timeouts: u32,
    /// `agent_reregister_timeout` (R).
    pub reregister_timeout_ms: Option<u64>,
    /// `agent_removal_rate_limit` as (permits, per).
    pub rate_limit: Option<(u64, u64)>,
    /// `recovery_agent_removal_limit` in percent.
    pub recovery_limit_pct: Option<u32>,
    /// `registry_write_latency`.
    pub registry_write_latency_ms: Option<u64>,
    /// `registry_gc_interval`.
    pub gc_interval_ms: Option<u64>,
    /// `registry_max_agent_age`.
    pub max_agent_age_ms: Option<u64>,
    /// `registry_max_agent_count`.
    pub max_agent_count: Option<u64>,
    /// `reregister_timer` override.
    pub reregister_timer: Option<bool>,
    /// `reregistration_policy` override (true = keep_all).
    pub keep_all: Option<bool>,
    /// `registry_store_timeout`.
    pub store_timeout_ms: Option<u64>,
}

/// Link defaults.
#[derive(Clone, Debug)]
pub struct NetGen {
    /// Fixed latency.
    pub latency_ms: u64,
    /// Jitter.
    pub jitter_ms: u64,
    /// Drop rate in thousandths.
    pub drop_permille: u32,
}

/// A framework (named `fw<i>`).
#[derive(Clone, Debug)]
pub struct FwGen {
    /// Gets TASK_UNREACHABLE.
    pub partition_aware: bool,
    /// Survives agent restarts.
    pub checkpoint: bool,
    /// Connected at the start.
    pub connected: bool,
}

/// Per-agent settings (all optional).
#[derive(Clone, Debug, Default)]
pub struct SettingsGen {
    /// `executors`.
    pub executors: Option<u64>,
    /// `completed_executors`.
    pub completed_executors: Option<u64>,
    /// `recovery_per_executor`.
    pub recovery_per_executor_ms: Option<u64>,
    /// `registration_backoff_factor`.
    pub backoff_ms: Option<u64>,
    /// `executor_reregistration_timeout`.
    pub executor_reregistration_ms: Option<u64>,
    /// `pong_when` (true = always).
    pub pong_always: Option<bool>,
    /// `recovery_timeout`.
    pub recovery_timeout_ms: Option<u64>,
    /// `hung_executors`.
    pub hung_executors: Option<u32>,
    /// `authentication_delay`.
    pub authentication_ms: Option<u64>,
    /// `supervisor_restart_delay` (`Some(None)` is `"never"`).
    pub supervisor_ms: Option<Option<u64>>,
}

/// An agent entry (named `a<i>`, expanded to `a<i>-<k>` when `count` > 1).
#[derive(Clone, Debug)]
pub struct AgentGen {
    /// `count`.
    pub count: usize,
    /// Tasks per framework index (extra entries are ignored).
    pub tasks: Vec<u32>,
    /// Its settings.
    pub settings: SettingsGen,
}

/// How a (re)started agent recovers.
#[derive(Clone, Debug)]
pub enum RecoveryGen {
    /// Absent: the computed length.
    Computed,
    /// `"hang"`.
    Hang,
    /// A fixed length.
    Fixed(u64),
}

/// What a fault does.
#[derive(Clone, Debug)]
pub enum KindGen {
    /// `restart_agent`.
    Restart(RecoveryGen, bool),
    /// `crash_agent`.
    Crash,
    /// `start_agent`.
    Start(RecoveryGen, bool),
    /// `finish_recovery`.
    FinishRecovery,
    /// `partition` (direction index, breaks_socket).
    Partition(Option<usize>, Option<bool>),
    /// `heal`.
    Heal,
    /// `break_socket`.
    BreakSocket,
    /// `drop_messages` (message indices, until = at + this).
    DropMessages(Vec<usize>, u64),
    /// `shutdown_agent`.
    Shutdown,
    /// `fail_over_master` with an optional downtime.
    FailOver(Option<u64>),
    /// `disconnect_framework` (framework index).
    DisconnectFw(usize),
    /// `reconnect_framework` (framework index).
    ReconnectFw(usize),
}

impl KindGen {
    /// The scenario name of the kind.
    pub fn name(&self) -> &'static str {
        match self {
            KindGen::Restart(..) => "restart_agent",
            KindGen::Crash => "crash_agent",
            KindGen::Start(..) => "start_agent",
            KindGen::FinishRecovery => "finish_recovery",
            KindGen::Partition(..) => "partition",
            KindGen::Heal => "heal",
            KindGen::BreakSocket => "break_socket",
            KindGen::DropMessages(..) => "drop_messages",
            KindGen::Shutdown => "shutdown_agent",
            KindGen::FailOver(..) => "fail_over_master",
            KindGen::DisconnectFw(..) => "disconnect_framework",
            KindGen::ReconnectFw(..) => "reconnect_framework",
        }
    }
}

/// A fault.
#[derive(Clone, Debug)]
pub struct FaultGen {
    /// When, in thousandths of the duration.
    pub at_permille: u64,
    /// Exact time in ms (overrides `at_permille`; set by scenario families).
    pub at_ms: Option<u64>,
    /// Which agents: `None` is `"all"`, else indices (modulo the agent count).
    pub agents: Option<Vec<usize>>,
    /// What happens.
    pub kind: KindGen,
}

/// A whole scenario.
#[derive(Clone, Debug)]
pub struct Gen {
    /// `seed`.
    pub seed: u64,
    /// `duration` in ms.
    pub duration_ms: u64,
    /// Index into [`POLICIES`].
    pub policy: usize,
    /// Master flags.
    pub master: MasterGen,
    /// Network.
    pub net: NetGen,
    /// Frameworks.
    pub frameworks: Vec<FwGen>,
    /// `agent_defaults`.
    pub defaults: Option<SettingsGen>,
    /// Agents.
    pub agents: Vec<AgentGen>,
    /// Faults.
    pub faults: Vec<FaultGen>,
}

/// A duration as a Mesos string in the largest unit that divides it.
pub fn dur(ms: u64) -> Value {
    if ms > 0 && ms % 60_000 == 0 {
        json!(format!("{}mins", ms / 60_000))
    } else if ms > 0 && ms % 1_000 == 0 {
        json!(format!("{}secs", ms / 1_000))
    } else {
        json!(format!("{ms}ms"))
    }
}

fn master_gen() -> impl Strategy<Value = MasterGen> {
    (
        prop_oneof![3 => 500u64..=20_000, 1 => 100u64..=60_000],
        1u32..=6,
        option::of(prop_oneof![10_000u64..=120_000, 120_000u64..=900_000]),
        option::weighted(0.25, (1u64..=5, 1_000u64..=300_000)),
        option::weighted(0.3, 0u32..=100),
        option::weighted(0.3, prop_oneof![Just(0u64), 1u64..=3_000]),
        option::weighted(0.3, 10_000u64..=900_000),
        option::weighted(0.3, 10_000u64..=1_800_000),
        option::weighted(0.3, 0u64..=6),
        option::weighted(0.3, any::<bool>()),
        (
            option::weighted(0.3, any::<bool>()),
            option::weighted(0.05, 1u64..=3_000),
        ),
    )
        .prop_map(
            |(p, n, r, rl, rec, w, gc, age, cnt, timer, (keep, store))| MasterGen {
                ping_timeout_ms: p,
                max_ping_timeouts: n,
                reregister_timeout_ms: r,
                rate_limit: rl,
                recovery_limit_pct: rec,
                registry_write_latency_ms: w,
                gc_interval_ms: gc,
                max_agent_age_ms: age,
                max_agent_count: cnt,
                reregister_timer: timer,
                keep_all: keep,
                store_timeout_ms: store,
            },
        )
}

fn net_gen() -> impl Strategy<Value = NetGen> {
    (
        prop_oneof![Just(0u64), 0u64..=50, 0u64..=2_000],
        prop_oneof![2 => Just(0u64), 1 => 0u64..=500],
        prop_oneof![3 => Just(0u32), 1 => 0u32..=300],
    )
        .prop_map(|(latency_ms, jitter_ms, drop_permille)| NetGen {
            latency_ms,
            jitter_ms,
            drop_permille,
        })
}

fn settings_gen() -> impl Strategy<Value = SettingsGen> {
    (
        option::weighted(0.2, 0u64..=20),
        option::weighted(0.2, 0u64..=5_000),
        option::weighted(0.2, 0u64..=50),
        // Not 0: the validator rejects a zero registration backoff (it used to retry at one
        // instant for ever; found by these tests).
        option::weighted(0.3, 1u64..=5_000),
        option::weighted(0.3, 0u64..=20_000),
        option::weighted(0.2, any::<bool>()),
        option::weighted(0.3, 1_000u64..=1_200_000),
        option::weighted(0.2, 0u32..=2),
        option::weighted(0.1, 0u64..=3_000),
        option::weighted(0.2, option::weighted(0.8, 0u64..=60_000)),
    )
        .prop_map(|(e, c, r, b, x, p, rt, hung, auth, sup)| SettingsGen {
            executors: e,
            completed_executors: c,
            recovery_per_executor_ms: r,
            backoff_ms: b,
            executor_reregistration_ms: x,
            pong_always: p,
            recovery_timeout_ms: rt,
            hung_executors: hung,
            authentication_ms: auth,
            supervisor_ms: sup,
        })
}

fn recovery_gen() -> impl Strategy<Value = RecoveryGen> {
    prop_oneof![
        Just(RecoveryGen::Computed),
        Just(RecoveryGen::Hang),
        (0u64..=300_000).prop_map(RecoveryGen::Fixed),
    ]
}

fn kind_gen() -> impl Strategy<Value = KindGen> {
    prop_oneof![
        (recovery_gen(), prop::bool::weighted(0.2)).prop_map(|(r, w)| KindGen::Restart(r, w)),
        Just(KindGen::Crash),
        (recovery_gen(), prop::bool::weighted(0.2)).prop_map(|(r, w)| KindGen::Start(r, w)),
        Just(KindGen::FinishRecovery),
        (option::of(0usize..3), option::of(any::<bool>()))
            .prop_map(|(d, b)| KindGen::Partition(d, b)),
        Just(KindGen::Heal),
        Just(KindGen::BreakSocket),
        (vec(0usize..MESSAGES.len(), 1..=3), 0u64..=600_000)
            .prop_map(|(m, u)| KindGen::DropMessages(m, u)),
        Just(KindGen::Shutdown),
        option::of(0u64..=120_000).prop_map(KindGen::FailOver),
        (0usize..3).prop_map(KindGen::DisconnectFw),
        (0usize..3).prop_map(KindGen::ReconnectFw),
    ]
}

/// Faults of the given kinds at random times.
pub fn fault_gen(kind: impl Strategy<Value = KindGen>) -> impl Strategy<Value = FaultGen> {
    (
        0u64..=1_000,
        option::weighted(0.8, vec(0usize..MAX_AGENTS, 1..=3)),
        kind,
    )
        .prop_map(|(at_permille, agents, kind)| FaultGen {
            at_permille,
            at_ms: None,
            agents,
            kind,
        })
}

/// Any valid scenario within the sizes above, with faults from `kinds`.
pub fn gen_with(
    kinds: impl Strategy<Value = KindGen>,
    max_faults: usize,
) -> impl Strategy<Value = Gen> {
    (
        any::<u64>().prop_map(|s| s & ((1 << 53) - 1)),
        prop_oneof![60_000u64..=600_000, 600_000u64..=1_800_000],
        0usize..POLICIES.len(),
        master_gen(),
        net_gen(),
        vec(
            (any::<bool>(), any::<bool>(), prop::bool::weighted(0.85)).prop_map(
                |(partition_aware, checkpoint, connected)| FwGen {
                    partition_aware,
                    checkpoint,
                    connected,
                },
            ),
            0..=3,
        ),
        option::weighted(0.3, settings_gen()),
        vec(
            (
                prop_oneof![3 => Just(1usize), 1 => 1usize..=3],
                vec(0u32..=3, 3),
                settings_gen(),
            )
                .prop_map(|(count, tasks, settings)| AgentGen {
                    count,
                    tasks,
                    settings,
                }),
            1..=4,
        ),
        vec(fault_gen(kinds), 0..=max_faults),
    )
        .prop_map(
            |(seed, duration_ms, policy, master, net, frameworks, defaults, agents, faults)| Gen {
                seed,
                duration_ms,
                policy,
                master,
                net,
                frameworks,
                defaults,
                agents,
                faults,
            },
        )
}

/// Any valid scenario: every fault kind, up to 8 faults.
pub fn any_gen() -> impl Strategy<Value = Gen> {
    gen_with(kind_gen(), 8)
}

/// The restart-only family: `restart_agent` (with hanging or fixed recoveries) and
/// `finish_recovery`.
pub fn restart_gen() -> impl Strategy<Value = Gen> {
    let kinds = prop_oneof![
        3 => (
            prop_oneof![
                Just(RecoveryGen::Hang),
                (0u64..=120_000).prop_map(RecoveryGen::Fixed),
                Just(RecoveryGen::Computed)
            ],
            prop::bool::weighted(0.15)
        )
            .prop_map(|(r, w)| KindGen::Restart(r, w)),
        1 => Just(KindGen::FinishRecovery),
    ];
    gen_with(kinds, 8)
}

fn settings_json(s: &SettingsGen, o: &mut Map<String, Value>) {
    if let Some(e) = s.executors {
        o.insert("executors".into(), json!(e));
    }
    if let Some(c) = s.completed_executors {
        o.insert("completed_executors".into(), json!(c));
    }
    if let Some(r) = s.recovery_per_executor_ms {
        o.insert("recovery_per_executor".into(), dur(r));
    }
    if let Some(b) = s.backoff_ms {
        o.insert("registration_backoff_factor".into(), dur(b));
    }
    if let Some(x) = s.executor_reregistration_ms {
        o.insert("executor_reregistration_timeout".into(), dur(x));
    }
    if let Some(p) = s.pong_always {
        o.insert(
            "pong_when".into(),
            json!(if p { "always" } else { "running" }),
        );
    }
    if let Some(t) = s.recovery_timeout_ms {
        o.insert("recovery_timeout".into(), dur(t));
    }
    if let Some(n) = s.hung_executors {
        o.insert("hung_executors".into(), json!(n));
    }
    if let Some(t) = s.authentication_ms {
        o.insert("authentication_delay".into(), dur(t));
    }
    if let Some(d) = s.supervisor_ms {
        o.insert(
            "supervisor_restart_delay".into(),
            d.map_or(json!("never"), dur),
        );
    }
}

impl Gen {
    /// Each entry's `count` (at most 4 entries of at most 3: never more than [`MAX_AGENTS`]).
    pub fn agent_counts(&self) -> Vec<usize> {
        self.agents.iter().map(|a| a.count.clamp(1, 3)).collect()
    }

    /// Expanded agent names, in scenario order.
    pub fn agent_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for (i, c) in self.agent_counts().into_iter().enumerate() {
            if c == 1 {
                names.push(format!("a{i}"));
            } else {
                names.extend((0..c).map(|k| format!("a{i}-{k}")));
            }
        }
        names
    }

    /// A fault's time in ms.
    pub fn fault_at_ms(&self, f: &FaultGen) -> u64 {
        f.at_ms
            .unwrap_or(self.duration_ms * f.at_permille / 1_000)
            .min(self.duration_ms)
    }

    /// The scenario JSON (always valid).
    pub fn to_json(&self) -> Value {
        let m = &self.master;
        let mut master = Map::new();
        master.insert("agent_ping_timeout".into(), dur(m.ping_timeout_ms));
        master.insert("max_agent_ping_timeouts".into(), json!(m.max_ping_timeouts));
        if let Some(r) = m.reregister_timeout_ms {
            master.insert("agent_reregister_timeout".into(), dur(r));
        }
        if let Some((permits, per)) = m.rate_limit {
            master.insert(
                "agent_removal_rate_limit".into(),
                json!(format!("{permits}/{}", dur(per).as_str().unwrap())),
            );
        }
        if let Some(p) = m.recovery_limit_pct {
            master.insert(
                "recovery_agent_removal_limit".into(),
                json!(format!("{p}%")),
            );
        }
        if let Some(w) = m.registry_write_latency_ms {
            master.insert("registry_write_latency".into(), dur(w));
        }
        if let Some(g) = m.gc_interval_ms {
            master.insert("registry_gc_interval".into(), dur(g));
        }
        if let Some(a) = m.max_agent_age_ms {
            master.insert("registry_max_agent_age".into(), dur(a));
        }
        if let Some(c) = m.max_agent_count {
            master.insert("registry_max_agent_count".into(), json!(c));
        }
        if let Some(t) = m.reregister_timer {
            master.insert("reregister_timer".into(), json!(t));
        }
        if let Some(k) = m.keep_all {
            master.insert(
                "reregistration_policy".into(),
                json!(if k {
                    "keep_all"
                } else {
                    "kill_non_partition_aware"
                }),
            );
        }
        if let Some(t) = m.store_timeout_ms {
            master.insert("registry_store_timeout".into(), dur(t));
        }

        let frameworks: Vec<Value> = self
            .frameworks
            .iter()
            .enumerate()
            .map(|(i, f)| {
                json!({
                    "name": format!("fw{i}"),
                    "partition_aware": f.partition_aware,
                    "checkpoint": f.checkpoint,
                    "connected": f.connected,
                })
            })
            .collect();

        let counts = self.agent_counts();
        let agents: Vec<Value> = self
            .agents
            .iter()
            .zip(&counts)
            .enumerate()
            .map(|(i, (a, &count))| {
                let mut o = Map::new();
                o.insert("name".into(), json!(format!("a{i}")));
                if count > 1 {
                    o.insert("count".into(), json!(count));
                }
                let mut tasks = Map::new();
                for (fw, &n) in a.tasks.iter().enumerate().take(self.frameworks.len()) {
                    if n > 0 {
                        tasks.insert(format!("fw{fw}"), json!(n));
                    }
                }
                if !tasks.is_empty() {
                    o.insert("tasks".into(), Value::Object(tasks));
                }
                settings_json(&a.settings, &mut o);
                Value::Object(o)
            })
            .collect();

        let names = self.agent_names();
        let mut faults = Vec::new();
        for f in &self.faults {
            if let Some(v) = self.fault_json(f, &names) {
                faults.push(v);
            }
        }

        let mut v = json!({
            "name": "generated",
            "seed": self.seed,
            "duration": dur(self.duration_ms),
            "policy": POLICIES[self.policy % POLICIES.len()],
            "master": Value::Object(master),
            "network": {
                "latency": dur(self.net.latency_ms),
                "jitter": dur(self.net.jitter_ms),
                "drop_rate": self.net.drop_permille as f64 / 1_000.0,
            },
            "frameworks": frameworks,
            "agents": agents,
            "faults": faults,
        });
        if let Some(d) = &self.defaults {
            let mut o = Map::new();
            settings_json(d, &mut o);
            v["agent_defaults"] = Value::Object(o);
        }
        v
    }

    fn fault_json(&self, f: &FaultGen, names: &[String]) -> Option<Value> {
        let at = self.fault_at_ms(f);
        let mut o = Map::new();
        o.insert("at".into(), dur(at));
        o.insert("kind".into(), json!(f.kind.name()));
        let nfw = self.frameworks.len();
        let recovery = |o: &mut Map<String, Value>, r: &RecoveryGen, lost: bool| {
            match r {
                RecoveryGen::Computed => {}
                RecoveryGen::Hang => {
                    o.insert("recovery".into(), json!("hang"));
                }
                RecoveryGen::Fixed(ms) => {
                    o.insert("recovery".into(), dur(*ms));
                }
            }
            if lost {
                o.insert("work_dir_lost".into(), json!(true));
            }
        };
        match &f.kind {
            KindGen::Restart(r, lost) | KindGen::Start(r, lost) => recovery(&mut o, r, *lost),
            KindGen::Partition(d, b) => {
                if let Some(d) = d {
                    let d = ["both", "master_to_agent", "agent_to_master"][d % 3];
                    o.insert("direction".into(), json!(d));
                }
                if let Some(b) = b {
                    o.insert("breaks_socket".into(), json!(b));
                }
            }
            KindGen::DropMessages(m, until) => {
                let msgs: Vec<&str> = m.iter().map(|&i| MESSAGES[i % MESSAGES.len()]).collect();
                o.insert("messages".into(), json!(msgs));
                o.insert("until".into(), dur(at + until));
            }
            KindGen::FailOver(d) => {
                if let Some(d) = d {
                    o.insert("downtime".into(), dur(*d));
                }
            }
            KindGen::DisconnectFw(i) | KindGen::ReconnectFw(i) => {
                if nfw == 0 {
                    return None;
                }
                o.insert("framework".into(), json!(format!("fw{}", i % nfw)));
            }
            KindGen::Crash
            | KindGen::FinishRecovery
            | KindGen::Heal
            | KindGen::BreakSocket
            | KindGen::Shutdown => {}
        }
        let takes_agents = !matches!(
            f.kind,
            KindGen::FailOver(_) | KindGen::DisconnectFw(_) | KindGen::ReconnectFw(_)
        );
        if takes_agents {
            let agents = match &f.agents {
                None => json!("all"),
                Some(ix) => {
                    let mut list: Vec<&str> = Vec::new();
                    for &i in ix {
                        let n = names[i % names.len()].as_str();
                        if !list.contains(&n) {
                            list.push(n);
                        }
                    }
                    json!(list)
                }
            };
            o.insert("agents".into(), agents);
        }
        Some(Value::Object(o))
    }
}
