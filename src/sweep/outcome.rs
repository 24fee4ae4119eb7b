//! Judging one trial: the master's verdicts (its trace) against the ground truth (the episodes
//! drawn for it). What it measures is kept per trial, exactly (integers and microsecond times),
//! so trials can be merged in any grouping — across threads or machines — with the same result.

use serde::{Deserialize, Serialize};

use super::draw::{Episode, EpisodeKind};
use crate::mesos::types::{MasterView, TaskReason, TaskState};
use crate::time::Time;
use crate::trace::{Event, Stamped};

/// What one trial measured.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialOutcome {
    /// Crash (for good) → mark, for crashed agents that were marked.
    pub crash_detections: Vec<Time>,
    /// Restart → mark, for agents that hung in recovery and were marked.
    pub hang_detections: Vec<Time>,
    /// Crashed agents not marked by the horizon.
    pub crash_undetected: u64,
    /// Hung agents not marked by the horizon.
    pub hang_undetected: u64,
    /// Episodes the agent came back from by itself before the horizon, by kind
    /// ([`super::draw::TRANSIENT_KINDS`] order).
    pub transient: [u64; 4],
    /// Of those, the ones during which the agent was marked unreachable anyway.
    pub false_unreachable: [u64; 4],
    /// Distinct tasks lost, made unreachable or killed on re-registration in falsely marked
    /// episodes (each task once per episode).
    pub tasks_killed_needlessly: u64,
    /// Time disconnected (no offers) before re-registering or being marked (censored at the end
    /// of the episode's window).
    pub limbo: Vec<Time>,
    /// Per ghost task: how long its executor was really dead while its framework still believed
    /// it running (censored at the horizon).
    pub ghost: Vec<Time>,
    /// Messages the master sent and received (see [`master_messages`]).
    pub master_messages: u64,
}

impl TrialOutcome {
    /// Every detection (crashes, then hangs).
    pub fn detections(&self) -> Vec<Time> {
        let mut d = self.crash_detections.clone();
        d.extend_from_slice(&self.hang_detections);
        d
    }

    /// Truly failed agents never marked.
    pub fn undetected(&self) -> u64 {
        self.crash_undetected + self.hang_undetected
    }

    /// Transient episodes of every kind.
    pub fn transient_total(&self) -> u64 {
        self.transient.iter().sum()
    }

    /// False unreachable marks of every kind.
    pub fn false_unreachable_total(&self) -> u64 {
        self.false_unreachable.iter().sum()
    }
}

/// What the judge needs besides the trace and the episodes.
pub struct TrialFacts {
    /// Agents in the scenario.
    pub agents: usize,
    /// End of the trial.
    pub horizon: Time,
    /// The master's `agent_ping_timeout` (its ping period).
    pub ping_period: Time,
}

/// Whether a status update is one the judging counts as needless harm in a false episode: the
/// framework was told the task is lost or unreachable, or the agent killed it on re-registration
/// — or another detector's consequence of its verdict: a pod deleted by taint eviction, an
/// allocation lost or unknown because its node is down or disconnected, an actor on a downed
/// node (`docs/detectors.md`).
fn harms(state: TaskState, reason: Option<TaskReason>) -> bool {
    state == TaskState::Killed
        || matches!(
            reason,
            Some(
                TaskReason::SlaveRemoved
                    | TaskReason::TaintEviction
                    | TaskReason::NodeDown
                    | TaskReason::NodeDisconnected
                    | TaskReason::NodeDowned
            )
        )
}

/// Judges a trial's trace (without `message` events) against its episodes (in time order).
pub fn judge(trace: &[Stamped], episodes: &[Episode], facts: &TrialFacts) -> TrialOutcome {
    let agents = facts.agents;
    let horizon = facts.horizon;
    // Per agent, the times of what matters, in order.
    let mut marks = vec![Vec::new(); agents];
    let mut disconnects = vec![Vec::new(); agents];
    let mut returns = vec![Vec::new(); agents];
    let mut harmed: Vec<Vec<(Time, u32)>> = vec![Vec::new(); agents];
    for e in trace {
        match &e.event {
            &Event::AgentMarkedUnreachable { agent, .. } => marks[agent as usize].push(e.t),
            Event::AgentDisconnected(d) => disconnects[d.agent as usize].push(e.t),
            &Event::AgentReregistered { agent, .. } | &Event::AgentRegistered { agent, .. } => {
                returns[agent as usize].push(e.t)
            }
            // Another detector sees the node healthy again (Ready, ready, alive, Reachable).
            Event::NodeStatus(s) if s.view == MasterView::Connected => {
                returns[s.agent as usize].push(e.t)
            }
            Event::TaskStatus(s) if harms(s.state, s.reason) => {
                harmed[s.agent as usize].push((e.t, s.task))
            }
            _ => {}
        }
    }
    // Each episode's window: until the agent's next episode, or just past the horizon.
    let mut window_end = vec![horizon + 1; episodes.len()];
    let mut next_start = vec![horizon + 1; agents];
    for (k, ep) in episodes.iter().enumerate().rev() {
        window_end[k] = next_start[ep.agent as usize];
        next_start[ep.agent as usize] = ep.start;
    }
    let first_in =
        |xs: &[Time], from: Time, to: Time| xs.iter().copied().find(|&t| t >= from && t < to);
    let mut out = TrialOutcome::default();
    for (k, ep) in episodes.iter().enumerate() {
        let a = ep.agent as usize;
        let end_of_window = window_end[k];
        let mark = first_in(&marks[a], ep.start, end_of_window);
        match (ep.end, ep.kind.transient_index()) {
            (None, _) | (_, None) => {
                // A failure for good is detected by the first verdict that sticks: a mark the
                // node is seen healthy after (memberlist members declared dead when a
                // partition's pending suspicions fire, then refuting) is not a detection of it.
                let stuck = |m: &Time| first_in(&returns[a], *m, end_of_window).is_none();
                let mark = marks[a]
                    .iter()
                    .filter(|&&m| m >= ep.start && m < end_of_window)
                    .find(|m| stuck(m))
                    .copied();
                let (detections, undetected) = if ep.kind == EpisodeKind::Hang {
                    (&mut out.hang_detections, &mut out.hang_undetected)
                } else {
                    (&mut out.crash_detections, &mut out.crash_undetected)
                };
                match mark {
                    Some(m) => detections.push(m - ep.start),
                    None => *undetected += 1,
                }
            }
            (Some(end), Some(kind)) if end <= horizon => {
                out.transient[kind] += 1;
                if mark.is_some() {
                    out.false_unreachable[kind] += 1;
                    let mut tasks: Vec<u32> = harmed[a]
                        .iter()
                        .filter(|&&(t, _)| t >= ep.start && t < end_of_window)
                        .map(|&(_, task)| task)
                        .collect();
                    tasks.sort_unstable();
                    tasks.dedup();
                    out.tasks_killed_needlessly += tasks.len() as u64;
                }
            }
            _ => {} // Still in progress at the horizon: neither verdict is fair.
        }
        if let Some(d) = first_in(&disconnects[a], ep.start, end_of_window) {
            let back = first_in(&returns[a], d, end_of_window);
            let marked = first_in(&marks[a], d, end_of_window);
            let until = [back, marked]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(end_of_window.min(horizon));
            out.limbo.push(until - d);
        }
    }
    out.ghost = ghost_tasks(trace, facts.horizon);
    out.master_messages = master_messages(trace, facts);
    out
}

/// Ghost tasks: a task whose executor really died (`executor_terminated`, every reason: the
/// executor gave up after `recovery_timeout`, was killed after
/// `executor_reregistration_timeout`, or exited with its agent) while its framework still
/// believed it running — no status other than `TASK_RUNNING` had reached the framework since —
/// is a ghost until such a status reaches it (or the horizon). See docs/model.md, "Executors".
fn ghost_tasks(trace: &[Stamped], horizon: Time) -> Vec<Time> {
    // The tasks whose executors died, with when: (task, time of death).
    let mut deaths: Vec<(u32, Time)> = trace
        .iter()
        .filter_map(|e| match e.event {
            Event::ExecutorTerminated { task, .. } => Some((task, e.t)),
            _ => None,
        })
        .collect();
    if deaths.is_empty() {
        return Vec::new();
    }
    deaths.sort_unstable();
    let mut affected: Vec<u32> = deaths.iter().map(|&(task, _)| task).collect();
    affected.dedup();
    // What their frameworks heard, in order: (task, time, told it is running).
    let mut heard: Vec<(u32, Time, bool)> = Vec::new();
    for e in trace {
        if let Event::TaskStatus(s) = &e.event {
            if s.forwarded && affected.binary_search(&s.task).is_ok() {
                heard.push((s.task, e.t, s.state == TaskState::Running));
            }
        }
    }
    heard.sort_by_key(|&(task, t, _)| (task, t));
    let mut ghosts = Vec::new();
    let mut ghost_until: Option<(u32, Time)> = None;
    for &(task, died) in &deaths {
        if ghost_until.is_some_and(|(k, until)| k == task && died < until) {
            continue; // Already a ghost since an earlier death.
        }
        let from = heard.partition_point(|&(k, _, _)| k < task);
        let to = heard.partition_point(|&(k, _, _)| k <= task);
        let of_task = &heard[from..to];
        let believed_running = of_task
            .iter()
            .rev()
            .find(|&&(_, t, _)| t <= died)
            .is_none_or(|&(_, _, running)| running);
        if !believed_running {
            continue;
        }
        let told = of_task
            .iter()
            .find(|&&(_, t, running)| t > died && !running)
            .map_or(horizon, |&(_, t, _)| t.min(horizon));
        if told > died {
            ghosts.push(told - died);
        }
        ghost_until = Some((task, told));
    }
    ghosts
}

/// Messages the master sent and received, from the verdict trace: a ping every
/// `agent_ping_timeout` to each agent from its (re-)registration until it is marked unreachable,
/// removed, or the master fails over; a pong for each ping not reported unanswered
/// (`ping_timeout`); two per (re-)registration (the request and the reply); one per
/// `ShutdownFrameworkMessage`. Registration retries and messages lost on the way are not
/// counted (fast-forwarded runs do not record messages).
pub fn master_messages(trace: &[Stamped], facts: &TrialFacts) -> u64 {
    let period = facts.ping_period.max(1);
    let pings_in = |from: Time, to: Time| to.saturating_sub(from).div_ceil(period);
    let mut observed_since: Vec<Option<Time>> = vec![None; facts.agents];
    let mut pings = 0u64;
    let mut unanswered = 0u64;
    let mut other = 0u64;
    for e in trace {
        match e.event {
            Event::AgentRegistered { agent, .. } | Event::AgentReregistered { agent, .. } => {
                let since = &mut observed_since[agent as usize];
                if let Some(s) = since.replace(e.t) {
                    pings += pings_in(s, e.t);
                }
                other += 2;
            }
            Event::AgentMarkedUnreachable { agent, .. } | Event::AgentRemoved { agent, .. } => {
                if let Some(s) = observed_since[agent as usize].take() {
                    pings += pings_in(s, e.t);
                }
            }
            Event::MasterFailover { .. } => {
                for since in &mut observed_since {
                    if let Some(s) = since.take() {
                        pings += pings_in(s, e.t);
                    }
                }
            }
            Event::PingTimeout { .. } => unanswered += 1,
            Event::FrameworkShutdown { .. } => other += 1,
            _ => {}
        }
    }
    for s in observed_since.into_iter().flatten() {
        pings += pings_in(s, facts.horizon);
    }
    2 * pings - unanswered.min(pings) + other
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mesos::event::NodeStatus;
    use crate::mesos::types::{AgentId, Cause};
    use crate::time::{MINS, SECS};

    fn at(t: Time, event: Event) -> Stamped {
        Stamped { t, event }
    }

    fn marked(agent: u32) -> Event {
        Event::AgentMarkedUnreachable {
            agent,
            id: AgentId(agent),
            cause: Cause::SuspicionTimeout,
        }
    }

    fn alive(agent: u32) -> Event {
        Event::NodeStatus(Box::new(NodeStatus {
            agent,
            status: "alive",
            view: MasterView::Connected,
        }))
    }

    /// A hung memberlist member declared dead hours later, when a partition's pending
    /// suspicions fire, and refuting at once, was not detected: the verdict did not stick.
    #[test]
    fn a_refuted_mark_is_no_detection_of_a_failure_for_good() {
        let facts = TrialFacts {
            agents: 2,
            horizon: 24 * 60 * MINS,
            ping_period: 15 * SECS,
        };
        let hang = Episode {
            agent: 0,
            start: MINS,
            end: None,
            kind: EpisodeKind::Hang,
        };
        let crash = Episode {
            agent: 1,
            start: 2 * MINS,
            end: None,
            kind: EpisodeKind::Crash,
        };
        let trace = [
            at(2 * MINS + 9 * SECS, marked(1)),
            at(266 * MINS, marked(0)),
            at(266 * MINS + SECS, alive(0)),
        ];
        let o = judge(&trace, &[hang, crash], &facts);
        assert_eq!(o.hang_detections, Vec::<Time>::new());
        assert_eq!(o.hang_undetected, 1);
        assert_eq!(o.crash_detections, [9 * SECS]);
    }

    /// Other detectors' consequences count as needless harm in a false episode.
    #[test]
    fn detector_consequences_are_harm() {
        for (state, reason) in [
            (TaskState::Killed, TaskReason::TaintEviction),
            (TaskState::Lost, TaskReason::NodeDown),
            (TaskState::Unreachable, TaskReason::NodeDisconnected),
            (TaskState::Lost, TaskReason::NodeDowned),
        ] {
            assert!(harms(state, Some(reason)), "{reason:?}");
        }
        assert!(!harms(TaskState::Running, None));
    }
}
