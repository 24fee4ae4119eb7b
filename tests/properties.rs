//! Property-based tests: random valid scenarios (`generate::Gen`) run through the simulator, and
//! the model's invariants checked on the trace, the metrics and the views.
//!
//! Budget: `LIVENESS_PROPTEST_CASES` cases per property (default [`DEFAULT_CASES`], which keeps
//! the file well under a minute in `cargo test --release` on two cores). Proptest draws new cases
//! every run; `PROPTEST_RNG_SEED` fixes its seed. A failure prints the shrunk scenario as pretty
//! JSON, ready for `liveness run -`.

mod generate;

use std::cell::Cell;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use generate::*;
use liveness::mesos::event::TaskStatus;
use liveness::mesos::metrics::is_gauge;
use liveness::mesos::types::{
    AgentId, AgentIx, AgentState, Cause, ExecutorEnd, MasterView, TaskReason, TaskState,
};
use liveness::rng::Rng;
use liveness::scenario::Scenario;
use liveness::sim::{Simulation, TraceMode};
use liveness::time::{Time, MILLIS};
use liveness::trace::{Event, Stamped};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use serde_json::Value;

/// Cases per property unless `LIVENESS_PROPTEST_CASES` says otherwise: about 10 s for the whole
/// file in `cargo test --release` on two cores; an unoptimised build does an eighth.
const DEFAULT_CASES: u32 = 4_096;

fn cases() -> u32 {
    std::env::var("LIVENESS_PROPTEST_CASES")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            DEFAULT_CASES / 8
        } else {
            DEFAULT_CASES
        })
}

/// What a property's check says about one case: whether its precondition held (so the case
/// really tested something), or the violation.
type Verdict = Result<bool, String>;

/// Runs `check` on `cases()` scenarios drawn from `strategy` and shaped by `adapt`. On a failure
/// (a violated invariant or a panic anywhere) it panics with the shrunk scenario as JSON. It also
/// insists that at least `min_applicable` cases met the property's precondition, so a property
/// never passes vacuously.
fn property(
    strategy: impl Strategy<Value = Gen>,
    adapt: fn(Gen) -> Gen,
    min_applicable: u32,
    check: impl Fn(&Scenario, &mut Simulation) -> Verdict,
) {
    let cases = cases();
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let applicable = Cell::new(0u32);
    let result = runner.run(&strategy, |g| {
        let json = adapt(g).to_json();
        match run_and_check(&json, &check) {
            Ok(applied) => {
                applicable.set(applicable.get() + u32::from(applied));
                Ok(())
            }
            Err(msg) => Err(TestCaseError::fail(msg)),
        }
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, minimal)) => {
            let json = serde_json::to_string_pretty(&adapt(minimal).to_json()).unwrap();
            panic!(
                "property violated: {reason}\n\
                 shrunk scenario (save as s.json and run `liveness run s.json`, or pipe to \
                 `liveness run -`):\n{json}"
            );
        }
        Err(e) => panic!("{e}"),
    }
    eprintln!("{} of {cases} cases met the precondition", applicable.get());
    let need = min_applicable.min(cases / 4);
    assert!(
        applicable.get() >= need,
        "only {} of {cases} cases met the property's precondition (want {need})",
        applicable.get()
    );
}

/// Parses, runs to the end and checks, turning panics into violations.
fn run_and_check(json: &Value, check: &impl Fn(&Scenario, &mut Simulation) -> Verdict) -> Verdict {
    let outcome = catch_unwind(AssertUnwindSafe(|| -> Verdict {
        let scenario = Scenario::from_json(json)
            .map_err(|e| format!("the generator made an invalid scenario:\n{e}"))?;
        let mut sim =
            Simulation::new(&scenario).map_err(|e| format!("Simulation::new failed: {e}"))?;
        sim.run_to_end();
        check(&scenario, &mut sim)
    }));
    outcome.unwrap_or_else(|panic| {
        let msg = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "(non-string panic)".to_string());
        Err(format!("panicked: {msg}"))
    })
}

/// One event as its canonical JSON line (for messages).
fn line(sim: &Simulation, e: &Stamped) -> String {
    sim.event_json(e)
}

fn ms(t: Time) -> String {
    format!("{}ms", t as f64 / MILLIS as f64)
}

// ---- families -------------------------------------------------------------------------------

fn as_is(g: Gen) -> Gen {
    g
}

/// Only restarts and `finish_recovery`, every agent answering every ping, no random drops, a
/// round trip shorter than the ping period, N ≥ 2, and restarts spaced by at least 1.5 P, so
/// that a restart (which loses at most the one ping in flight) never costs two pings in a row.
fn pongs_keep_arriving(mut g: Gen) -> Gen {
    let p = g.master.ping_timeout_ms;
    g.master.max_ping_timeouts = g.master.max_ping_timeouts.max(2);
    g.net.drop_permille = 0;
    let each = (p - 1) / 4;
    g.net.latency_ms = g.net.latency_ms.min(each);
    g.net.jitter_ms = g.net.jitter_ms.min(each);
    let mut d = g.defaults.take().unwrap_or_default();
    d.pong_always = Some(true);
    g.defaults = Some(d);
    for a in &mut g.agents {
        a.settings.pong_always = None;
    }
    let mut slot = 0u64;
    let duration = g.duration_ms;
    g.faults.retain_mut(|f| {
        if !matches!(f.kind, KindGen::Restart(..)) {
            return true;
        }
        let at = slot * 2 * p + f.at_permille * (p / 2) / 1_000;
        slot += 1;
        f.at_ms = Some(at);
        at <= duration
    });
    g
}

/// No rate limit, no registry latency, no failover, and at least one `crash_agent`.
fn crash_without_delays(mut g: Gen) -> Gen {
    g.master.rate_limit = None;
    g.master.registry_write_latency_ms = None;
    g.faults.retain(|f| !matches!(f.kind, KindGen::FailOver(_)));
    if !g.faults.iter().any(|f| matches!(f.kind, KindGen::Crash)) {
        g.faults.push(FaultGen {
            at_permille: 300,
            at_ms: None,
            agents: Some(vec![0]),
            kind: KindGen::Crash,
        });
    }
    g
}

/// Registry operations commit at once, so a mark happens at the instant it was decided; the
/// re-registration timeout is short (5s–2mins) so that the timer fires within the run.
fn short_reregister_timer(mut g: Gen) -> Gen {
    g.master.registry_write_latency_ms = None;
    let r = g.master.reregister_timeout_ms.unwrap_or(30_000);
    g.master.reregister_timeout_ms = Some(5_000 + r % 115_000);
    g
}

// ---- properties ------------------------------------------------------------------------------

/// Any valid scenario runs to its end without panicking; simulated time never goes backwards
/// (trace `t` is non-decreasing), no event is after the duration, and the run ends exactly at
/// the duration. Each agent's `agent_state` events chain (`from` is the previous `to`, starting
/// from `down`).
#[test]
fn time_never_goes_backwards() {
    property(any_gen(), as_is, 1, |scenario, sim| {
        let end = scenario.duration;
        if sim.now() != end {
            return Err(format!(
                "the run ended at {} instead of {}",
                ms(sim.now()),
                ms(end)
            ));
        }
        let mut last = 0;
        let mut state = vec![AgentState::Down; scenario.agents.len()];
        for e in sim.trace() {
            if e.t < last {
                return Err(format!("time went back to {}: {}", ms(e.t), line(sim, e)));
            }
            if e.t > end {
                return Err(format!(
                    "event after the end ({}): {}",
                    ms(end),
                    line(sim, e)
                ));
            }
            last = e.t;
            if let Event::AgentStateChanged { agent, from, to } = e.event {
                let s = &mut state[agent as usize];
                if *s != from || from == to {
                    return Err(format!(
                        "agent_state does not chain (was {s}): {}",
                        line(sim, e)
                    ));
                }
                *s = to;
            }
        }
        for (a, s) in state.iter().enumerate() {
            if *s != sim.agent_state(a as AgentIx) {
                return Err(format!(
                    "agent {} ends {} but its agent_state events say {s}",
                    scenario.agents[a].name,
                    sim.agent_state(a as AgentIx)
                ));
            }
        }
        Ok(true)
    });
}

/// An agent whose pongs keep arriving is never marked by the health check: with only restarts
/// (hanging, fixed or computed recoveries) and `finish_recovery`, `pong_when = always`, no
/// random drops and a round trip under P, no `unreachable_scheduled` or
/// `agent_marked_unreachable` has cause `health_check` (the re-registration timer may still
/// mark an agent stuck in recovery; that is its job).
#[test]
fn answering_agents_are_never_marked_by_the_health_check() {
    property(restart_gen(), pongs_keep_arriving, 1, |_, sim| {
        // An agent that exits on its own (Mesos' `EXIT` on a wrong id) stops answering.
        let mut aborted = std::collections::BTreeSet::new();
        for e in sim.trace() {
            match e.event {
                Event::AgentAborted { agent, .. } => {
                    aborted.insert(agent);
                }
                Event::UnreachableScheduled {
                    cause: Cause::HealthCheck,
                    agent,
                }
                | Event::AgentMarkedUnreachable {
                    cause: Cause::HealthCheck,
                    agent,
                    ..
                } if !aborted.contains(&agent) => {
                    return Err(format!(
                        "the health check fired for an agent that answers pings: {}",
                        line(sim, e)
                    ))
                }
                _ => {}
            }
        }
        Ok(true)
    });
}

/// A registered agent that stops answering is marked in bounded time: after a `crash_agent`
/// with no later start (no rate limit, no registry latency, no failover), the agent is marked
/// unreachable (or removed) within (N+1)·P + latency + jitter of the crash: its last pong
/// arrives by crash + latency + jitter, the next ping tick finds no ping outstanding, and N
/// unanswered periods follow.
#[test]
fn a_crashed_agent_is_marked_within_n_plus_one_ping_periods() {
    property(any_gen(), crash_without_delays, 4, |scenario, sim| {
        let m = &scenario.master;
        let bound = (m.max_agent_ping_timeouts as Time + 1) * m.agent_ping_timeout
            + scenario.network.latency
            + scenario.network.jitter;
        let trace = sim.trace();
        let mut applied = false;
        for a in 0..scenario.agents.len() as AgentIx {
            // The crash that left the agent down for good.
            let Some(i) = trace.iter().rposition(
                |e| matches!(e.event, Event::AgentStateChanged { agent, .. } if agent == a),
            ) else {
                continue;
            };
            let Event::AgentStateChanged { from, to, .. } = trace[i].event else {
                unreachable!()
            };
            if to != AgentState::Down || from == AgentState::Terminating {
                continue;
            }
            let crash = trace[i].t;
            if crash + bound > scenario.duration {
                continue;
            }
            // Registered with the master when it crashed?
            let registered = trace[..i].iter().rev().find_map(|e| match e.event {
                Event::AgentRegistered { agent, .. } | Event::AgentReregistered { agent, .. }
                    if agent == a =>
                {
                    Some(true)
                }
                Event::AgentMarkedUnreachable { agent, .. } | Event::AgentRemoved { agent, .. }
                    if agent == a =>
                {
                    Some(false)
                }
                _ => None,
            });
            if registered != Some(true) {
                continue;
            }
            applied = true;
            let marked = trace[i..].iter().any(|e| {
                e.t <= crash + bound
                    && matches!(e.event,
                        Event::AgentMarkedUnreachable { agent, .. }
                        | Event::AgentRemoved { agent, .. } if agent == a)
            });
            if !marked {
                return Err(format!(
                    "agent {} crashed at {} while registered and was not marked by {} \
                     ((N+1)·P + latency + jitter = {})",
                    scenario.agents[a as usize].name,
                    ms(crash),
                    ms(crash + bound),
                    ms(bound)
                ));
            }
        }
        Ok(applied)
    });
}

/// The re-registration timer never marks a connected agent: every `agent_marked_unreachable` with
/// cause `reregister_timeout` is for an agent id that was disconnected at the mark, i.e. whose last
/// `agent_disconnected` came after its last `agent_registered` / `agent_reregistered`. The
/// connection state is rebuilt from the trace per agent id (an `agent_disconnected` is about the id
/// registered at that address; a failover forgets everything), because a slow link can leave two
/// ids registered at one address. With zero registry latency a mark commits at the instant it is
/// decided; a re-registration handled at that very instant, before the commit, is the race of
/// `MasterTest.AgentReregistrationDuringMarkingUnreachable` (before MESOS-10209 a re-registration
/// during the registry write reconnects the agent) and is allowed.
#[test]
fn the_reregistration_timer_only_marks_disconnected_agents() {
    property(
        prop_oneof![any_gen(), restart_gen()],
        short_reregister_timer,
        2,
        |scenario, sim| {
            let mut at_addr: HashMap<AgentIx, AgentId> = HashMap::new();
            // id -> (connected, when it last (re)connected)
            let mut connected: HashMap<AgentId, (bool, Time)> = HashMap::new();
            let mut applied = false;
            let forget = |at_addr: &mut HashMap<AgentIx, AgentId>,
                          connected: &mut HashMap<AgentId, (bool, Time)>,
                          agent: AgentIx,
                          id: AgentId| {
                connected.remove(&id);
                if at_addr.get(&agent) == Some(&id) {
                    at_addr.remove(&agent);
                }
            };
            for e in sim.trace() {
                match e.event {
                    Event::AgentRegistered { agent, id, .. } => {
                        at_addr.insert(agent, id);
                        connected.insert(id, (true, e.t));
                    }
                    Event::AgentReregistered {
                        agent,
                        id,
                        previous_view,
                    } => {
                        if !matches!(
                            previous_view,
                            MasterView::Connected | MasterView::Disconnected
                        ) {
                            at_addr.insert(agent, id); // re-admitted (MarkSlaveReachable)
                        }
                        connected.insert(id, (true, e.t));
                    }
                    Event::AgentDisconnected(ref d) => {
                        if let Some(c) = at_addr.get(&d.agent).and_then(|id| connected.get_mut(id))
                        {
                            c.0 = false;
                        }
                    }
                    Event::AgentMarkedUnreachable {
                        agent, id, cause, ..
                    } => {
                        if cause == Cause::ReregisterTimeout {
                            applied = true;
                            match connected.get(&id) {
                                Some((false, _)) => {}
                                Some((true, since)) if *since == e.t => {}
                                other => {
                                    return Err(format!(
                                        "the re-registration timer marked {} ({id}) while it was \
                                         {}: {}",
                                        scenario.agents[agent as usize].name,
                                        if other.is_some() {
                                            "connected"
                                        } else {
                                            "not registered"
                                        },
                                        line(sim, e)
                                    ));
                                }
                            }
                        }
                        forget(&mut at_addr, &mut connected, agent, id);
                    }
                    Event::AgentRemoved { agent, id, .. } => {
                        forget(&mut at_addr, &mut connected, agent, id)
                    }
                    Event::MasterFailover { .. } | Event::MasterAborted { .. } => {
                        at_addr.clear();
                        connected.clear();
                    }
                    _ => {}
                }
            }
            Ok(applied)
        },
    );
}

/// Every task ends the run in exactly one framework-visible state, and the trace agrees with
/// `Simulation::task_states()`: the last `task_status` of each task is its state (no event: not
/// launched), the first is `TASK_RUNNING`, and every update names the task's own agent and
/// framework.
#[test]
fn task_states_agree_with_the_trace() {
    property(any_gen(), as_is, 1, |scenario, sim| {
        let states = sim.task_states();
        if states.len() != scenario.task_count() {
            return Err(format!(
                "{} task states for {} tasks",
                states.len(),
                scenario.task_count()
            ));
        }
        let mut owner = Vec::new();
        for (ix, a) in scenario.agents.iter().enumerate() {
            for &(_, n) in &a.tasks {
                owner.extend(std::iter::repeat_n(ix as AgentIx, n as usize));
            }
        }
        let mut first: Vec<Option<TaskState>> = vec![None; states.len()];
        let mut last: Vec<Option<TaskState>> = vec![None; states.len()];
        for e in sim.trace() {
            if let Event::TaskStatus(s) = &e.event {
                let TaskStatus {
                    agent,
                    framework,
                    task,
                    state,
                    ..
                } = **s;
                let t = task as usize;
                if t >= states.len() || owner[t] != agent || sim.task_frameworks()[t] != framework {
                    return Err(format!(
                        "update for the wrong agent or framework: {}",
                        line(sim, e)
                    ));
                }
                first[t].get_or_insert(state);
                last[t] = Some(state);
            }
        }
        for t in 0..states.len() {
            if last[t] != states[t] {
                return Err(format!(
                    "task {}: task_states() says {:?} but its last task_status is {:?}",
                    sim.task_name(t as u32),
                    states[t],
                    last[t]
                ));
            }
            if first[t].is_some_and(|s| s != TaskState::Running) {
                return Err(format!(
                    "task {}: first update is {:?}, not TASK_RUNNING",
                    sim.task_name(t as u32),
                    first[t]
                ));
            }
        }
        Ok(true)
    });
}

/// Metrics match the trace of the current master (counters start from zero on each new
/// master; while none is elected the failed one's last values stay): removals, recovery
/// removals, registrations, scheduled and canceled transitions count their events; TASK_LOST
/// updates the master made count in `master/tasks_lost` (agent-made ones only when the master
/// knew the task); the reason counters add up; the `master/tasks_unreachable` gauge never
/// exceeds the tasks this master reported TASK_UNREACHABLE.
#[test]
fn metrics_agree_with_the_trace() {
    property(any_gen(), as_is, 1, |scenario, sim| {
        let (from, to) = current_master_span(sim);
        let segment = &sim.trace()[from..to];
        let count = |f: &dyn Fn(&Event) -> bool| segment.iter().filter(|e| f(&e.event)).count();
        let marked = count(&|e| matches!(e, Event::AgentMarkedUnreachable { .. }));
        let removed = count(&|e| matches!(e, Event::AgentRemoved { .. }));
        let failover_marks = count(&|e| {
            matches!(
                e,
                Event::AgentMarkedUnreachable {
                    cause: Cause::MasterFailover,
                    ..
                }
            )
        });
        let master_lost = count(&|e| {
            matches!(
                e,
                Event::TaskStatus(s) if matches!(**s, TaskStatus {
                    state: TaskState::Lost,
                    reason: Some(TaskReason::SlaveDisconnected | TaskReason::SlaveRemoved),
                    ..
                })
            )
        });
        let agent_lost = count(&|e| {
            matches!(
                e,
                Event::TaskStatus(s) if matches!(**s, TaskStatus {
                    state: TaskState::Lost,
                    reason: Some(TaskReason::ExecutorReregistrationTimeout),
                    ..
                })
            )
        });
        let scheduled = count(&|e| matches!(e, Event::UnreachableScheduled { .. }));
        let canceled = count(&|e| matches!(e, Event::UnreachableCanceled { .. }));
        let registered = count(&|e| matches!(e, Event::AgentRegistered { .. }));
        let reregistered = count(&|e| matches!(e, Event::AgentReregistered { .. }));
        let metric = |name: &str| sim.metric(name).unwrap_or(f64::NAN) as usize;
        let mut problems = Vec::new();
        let mut eq = |name: &str, got: usize, want: usize| {
            if got != want {
                problems.push(format!("{name} = {got}, but the trace says {want}"));
            }
        };
        eq(
            "master/slave_removals",
            metric("master/slave_removals"),
            marked + removed,
        );
        eq(
            "master/recovery_slave_removals",
            metric("master/recovery_slave_removals"),
            failover_marks,
        );
        eq(
            "master/slave_unreachable_scheduled",
            metric("master/slave_unreachable_scheduled"),
            scheduled,
        );
        eq(
            "master/slave_unreachable_canceled",
            metric("master/slave_unreachable_canceled"),
            canceled,
        );
        eq(
            "master/slave_registrations",
            metric("master/slave_registrations"),
            registered,
        );
        let lost = metric("master/tasks_lost");
        if lost < master_lost || lost > master_lost + agent_lost {
            problems.push(format!(
                "master/tasks_lost = {lost}, outside the {master_lost} master-made + \
                 {agent_lost} agent-made TASK_LOST updates"
            ));
        }
        let reasons = metric("master/slave_removals/reason_unhealthy")
            + metric("master/slave_removals/reason_unregistered")
            + metric("master/slave_removals/reason_registered");
        if reasons != metric("master/slave_removals") {
            problems.push(format!(
                "the master/slave_removals/reason_* counters add up to {reasons}, not to \
                 master/slave_removals = {}",
                metric("master/slave_removals")
            ));
        }
        let done = metric("master/slave_unreachable_completed")
            + metric("master/slave_unreachable_canceled");
        if done > scheduled {
            problems.push(format!(
                "completed + canceled = {done} > scheduled = {scheduled}"
            ));
        }
        if metric("master/slave_reregistrations") > reregistered {
            problems.push(format!(
                "master/slave_reregistrations = {} > {reregistered} agent_reregistered events",
                metric("master/slave_reregistrations")
            ));
        }
        let unreachable: std::collections::BTreeSet<u32> = segment
            .iter()
            .filter_map(|e| match &e.event {
                Event::TaskStatus(s) if s.state == TaskState::Unreachable => Some(s.task),
                _ => None,
            })
            .collect();
        if metric("master/tasks_unreachable") > unreachable.len() {
            problems.push(format!(
                "master/tasks_unreachable = {} but this master reported only {} tasks \
                 TASK_UNREACHABLE",
                metric("master/tasks_unreachable"),
                unreachable.len()
            ));
        }
        let gauges = metric("master/slaves_connected") + metric("master/slaves_disconnected");
        if gauges > scenario.agents.len() {
            problems.push(format!(
                "{gauges} registered agents but only {} addresses",
                scenario.agents.len()
            ));
        }
        if problems.is_empty() {
            Ok(true)
        } else {
            Err(problems.join("; "))
        }
    });
}

/// The trace indices of the master whose metrics the simulation reports: from just after the
/// last `master_recovered` (or the start) to the end, or, with no master elected, to the failover
/// or abort that ended it.
fn current_master_span(sim: &Simulation) -> (usize, usize) {
    let trace = sim.trace();
    let ended = |e: &Stamped| {
        matches!(
            e.event,
            Event::MasterFailover { .. } | Event::MasterAborted { .. }
        )
    };
    let to = if sim.master_up() {
        trace.len()
    } else {
        trace.iter().rposition(ended).map_or(trace.len(), |i| i + 1)
    };
    let from = trace[..to]
        .iter()
        .rposition(|e| matches!(e.event, Event::MasterRecovered { .. }))
        .map_or(0, |i| i + 1);
    (from, to)
}

/// Runs the scenario again one instant at a time and calls `f` after each, for invariants of
/// the live state that a finished run no longer shows.
fn stepwise(
    scenario: &Scenario,
    mut f: impl FnMut(&Simulation) -> Result<(), String>,
) -> Result<(), String> {
    let mut sim = Simulation::new(scenario).map_err(|e| e.to_string())?;
    while let Some(t) = sim.next_event_time() {
        if t > scenario.duration {
            break;
        }
        sim.advance_to(t)?;
        f(&sim)?;
    }
    Ok(())
}

/// No executor outlives its `recovery_timeout`: at every instant, no executor still waits past
/// its deadline; and each `executor_terminated` with reason `recovery_timeout` comes exactly
/// `recovery_timeout` after an exit of its agent's process.
#[test]
fn no_executor_outlives_its_recovery_timeout() {
    property(any_gen(), as_is, 1, |scenario, sim| {
        let mut applied = false;
        for e in sim.trace() {
            let Event::ExecutorTerminated {
                agent,
                reason: ExecutorEnd::RecoveryTimeout,
                ..
            } = e.event
            else {
                continue;
            };
            applied = true;
            let exit = e.t - scenario.agents[agent as usize].settings.recovery_timeout;
            let exited_then = sim.trace().iter().any(|x| {
                x.t == exit
                    && matches!(x.event, Event::AgentStateChanged { agent: a, to: AgentState::Down, .. } if a == agent)
            });
            if !exited_then {
                return Err(format!(
                    "no process exit at {} (recovery_timeout before): {}",
                    ms(exit),
                    line(sim, e)
                ));
            }
        }
        stepwise(scenario, |s| {
            for a in 0..scenario.agents.len() as AgentIx {
                if let Some(d) = s.agent(a).executor_deadline() {
                    if d <= s.now() {
                        return Err(format!(
                            "{}: an executor due to shut down at {} still waits at {}",
                            scenario.agents[a as usize].name,
                            ms(d),
                            ms(s.now())
                        ));
                    }
                }
            }
            Ok(())
        })?;
        Ok(applied)
    });
}

/// Gauges are never negative or beyond what exists (registered agents at most one per address,
/// unreachable tasks at most the scenario's tasks), and counters never fall while the same
/// master runs (they restart from zero only on a new master).
#[test]
fn gauges_stay_in_range_and_counters_only_grow_within_one_master() {
    property(any_gen(), as_is, 1, |scenario, _| {
        let tasks = scenario.task_count() as f64;
        let mut prev: Option<(u32, Vec<(&'static str, f64)>)> = None;
        let mut grew = false;
        stepwise(scenario, |s| {
            let now = s.metrics();
            for &(name, v) in &now {
                // One address can leave several ids in the unreachable list (a lost work dir
                // registers anew), so only registered agents are bounded by the addresses.
                let bound = match name {
                    "master/tasks_unreachable" => tasks,
                    "master/slaves_connected" | "master/slaves_disconnected" => {
                        scenario.agents.len() as f64
                    }
                    _ => f64::INFINITY,
                };
                if !(0.0..=bound).contains(&v) {
                    return Err(format!("{name} = {v} at {}", ms(s.now())));
                }
            }
            let epoch = s.master_incarnation();
            if let Some((e, before)) = &prev {
                if *e == epoch {
                    for (&(name, old), &(_, new)) in before.iter().zip(&now) {
                        if !is_gauge(name) && new < old {
                            return Err(format!(
                                "{name} fell from {old} to {new} at {} with the same master",
                                ms(s.now())
                            ));
                        }
                        grew |= new > old;
                    }
                }
            }
            prev = Some((epoch, now));
            Ok(())
        })?;
        Ok(grew)
    });
}

/// Determinism: the same scenario run twice gives the same `trace_hash()`; advancing in random
/// steps (several `advance_to` calls, draining events between them) gives the same hash and the
/// same trace as one `run_to_end()`; and a run with the trace off ends in the same metrics, task
/// states and views.
#[test]
fn runs_are_deterministic_however_time_is_advanced() {
    property(any_gen(), as_is, 1, |scenario, sim| {
        let hash = sim.trace_hash().expect("full trace");
        let mut again = Simulation::new(scenario).expect("valid");
        again.run_to_end();
        if again.trace_hash().as_deref() != Some(hash.as_str()) {
            return Err(format!(
                "the same scenario gave {hash} and then {:?}",
                again.trace_hash()
            ));
        }

        // Random steps, drawn from the scenario's seed.
        let mut rng = Rng::new(scenario.seed, 0xdead_beef);
        let mut stepped = Simulation::new(scenario).expect("valid");
        let mut drained: Vec<Stamped> = stepped.drain_events().to_vec();
        let mut steps = Vec::new();
        while stepped.now() < scenario.duration {
            let left = scenario.duration - stepped.now();
            let step = match rng.uniform(3) {
                0 => 0,
                1 => 1 + rng.uniform(left.min(10 * MILLIS)),
                _ => 1 + rng.uniform(left / 3),
            }
            .min(left);
            let to = stepped.now() + step;
            steps.push(to);
            stepped
                .advance_to(to)
                .map_err(|e| format!("advance_to({}) failed: {e}", ms(to)))?;
            drained.extend_from_slice(stepped.drain_events());
            if steps.len() > 200 {
                stepped.run_to_end();
                drained.extend_from_slice(stepped.drain_events());
                break;
            }
        }
        let stepped_hash = stepped.trace_hash().expect("full trace");
        if stepped_hash != hash {
            return Err(format!(
                "stepping through {steps:?} gave hash {stepped_hash}, one run_to_end gave {hash}"
            ));
        }
        if drained.as_slice() != sim.trace() {
            return Err("the drained events differ from the trace".to_string());
        }

        let mut quiet = Simulation::with_trace(scenario, TraceMode::Off).expect("valid");
        quiet.run_to_end();
        if quiet.trace_hash().is_some() || !quiet.trace().is_empty() {
            return Err("TraceMode::Off kept a trace".to_string());
        }
        if quiet.metrics() != sim.metrics() || quiet.task_states() != sim.task_states() {
            return Err(format!(
                "TraceMode::Off changed the outcome: metrics {:?} vs {:?}",
                quiet.metrics(),
                sim.metrics()
            ));
        }
        for a in 0..scenario.agents.len() as AgentIx {
            if quiet.master_view(a) != sim.master_view(a)
                || quiet.agent_state(a) != sim.agent_state(a)
            {
                return Err(format!(
                    "TraceMode::Off changed agent {}'s final view",
                    scenario.agents[a as usize].name
                ));
            }
        }
        Ok(true)
    });
}

/// The generator only makes valid scenarios, and every kind of fault appears in them (a guard
/// against the other properties silently testing less than they claim).
#[test]
fn the_generator_covers_every_fault_kind() {
    let mut runner = TestRunner::new(Config {
        cases: 1,
        ..Config::default()
    });
    let strategy = any_gen();
    let mut kinds = std::collections::BTreeSet::new();
    for _ in 0..300 {
        let g = strategy.new_tree(&mut runner).unwrap().current();
        let json = g.to_json();
        let scenario = Scenario::from_json(&json).unwrap_or_else(|e| {
            panic!(
                "invalid generated scenario: {e}\n{}",
                serde_json::to_string_pretty(&json).unwrap()
            )
        });
        for f in &scenario.faults {
            kinds.insert(f.raw["kind"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(kinds.len(), 12, "every fault kind is generated: {kinds:?}");
}
