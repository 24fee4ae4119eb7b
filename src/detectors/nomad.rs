//! Nomad: the client's heartbeat loop and the leader's per-node TTL timers, node `down` (or
//! `disconnected` with a `disconnect.lost_after` window), allocations lost (or unknown, then
//! lost), and the leader failover TTL (see `docs/detectors.md`, "Nomad").
//!
//! Sources: `nomad/heartbeat.go` (`initializeHeartbeatTimers`, `resetHeartbeatTimer`,
//! `invalidateHeartbeat`, `disconnectState`), `helper/cluster.go` (`RateScaledInterval`,
//! `RandomStagger`), `nomad/node_endpoint.go` (`UpdateStatus`), `client/client.go`
//! (`registerAndHeartbeat`, `getHeartbeatRetryIntv`), `nomad/config.go :: DefaultConfig`.

use super::{Endpoint, Envelope, NodeGauge, NodeSetup, Out, Process, Timer as AnyTimer};
use crate::detectors::{status_event, task_status, task_statuses};
use crate::mesos::event::Event;
use crate::mesos::types::{
    AgentId, AgentIx, Cause, FwIx, MasterView, MessageKind, TaskIx, TaskReason, TaskState,
};
use crate::rng::Rng;
use crate::time::{Time, SECS};

/// The server settings, with Nomad's names and defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `min_heartbeat_ttl` (10s).
    pub min_heartbeat_ttl: Time,
    /// `max_heartbeats_per_second` (50.0).
    pub max_heartbeats_per_second: f64,
    /// `heartbeat_grace` (10s).
    pub heartbeat_grace: Time,
    /// `failover_heartbeat_ttl` (5m): every node's TTL right after a new leader takes over.
    pub failover_heartbeat_ttl: Time,
    /// The job groups' `disconnect.lost_after` (off unless set): a missed heartbeat makes the
    /// node `disconnected` and its allocations `unknown` for this long before they are lost.
    pub lost_after: Option<Time>,
    /// How long a client's RPC waits for its answer.
    pub rpc_timeout: Time,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            min_heartbeat_ttl: 10 * SECS,
            max_heartbeats_per_second: 50.0,
            heartbeat_grace: 10 * SECS,
            failover_heartbeat_ttl: 300 * SECS,
            lost_after: None,
            rpc_timeout: 5 * SECS,
        }
    }
}

/// `registerRetryIntv`: before the first success, or with no leader, retry after this plus up to
/// as much again.
const REGISTER_RETRY: Time = 15 * SECS;

/// Messages between a client and the servers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    /// `Node.UpdateStatus` (a heartbeat), numbered.
    UpdateStatus(u32),
    /// The leader's answer: the TTL until the next heartbeat.
    UpdateStatusResponse {
        /// The request answered.
        request: u32,
        /// The client's next period.
        ttl: Time,
    },
}

impl Msg {
    /// The message's name.
    pub fn kind(&self) -> MessageKind {
        match self {
            Msg::UpdateStatus(_) => MessageKind::NodeUpdateStatus,
            Msg::UpdateStatusResponse { .. } => MessageKind::NodeUpdateStatusResponse,
        }
    }
}

/// Timers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// The client sends its next heartbeat.
    Heartbeat {
        /// Node.
        node: AgentIx,
        /// Client process generation.
        generation: u32,
    },
    /// A heartbeat got no answer in time.
    RpcTimeout {
        /// Node.
        node: AgentIx,
        /// Client process generation.
        generation: u32,
        /// The request.
        request: u32,
    },
    /// The leader's TTL timer for a node (`invalidateHeartbeat`).
    Ttl {
        /// Node.
        node: AgentIx,
        /// Matches the armed timer.
        token: u32,
    },
    /// A disconnected node's `lost_after` window ends.
    LostAfter {
        /// Node.
        node: AgentIx,
        /// Matches the disconnection.
        token: u32,
    },
}

/// A node's status at the servers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// Not registered yet.
    None,
    Ready,
    Disconnected,
    Down,
}

#[derive(Clone, Debug)]
struct Client {
    up: bool,
    generation: u32,
    pending: Option<u32>,
    next_request: u32,
    /// The last successful heartbeat and the TTL it was given.
    last_ok: Option<(Time, Time)>,
    rng: Rng,
}

#[derive(Clone, Debug)]
struct NodeRecord {
    status: Status,
    allocs: Vec<(TaskIx, FwIx)>,
    /// The armed TTL timer: (token, expiry).
    timer: Option<(u32, Time)>,
    /// How long the armed timer runs (TTL + grace, or the failover TTL), for the gauge.
    timer_length: Time,
    /// Allocations are lost (desired stop) and will not come back.
    allocs_lost: bool,
    /// Matches the current disconnection's `lost_after` evaluation.
    lost_after_token: u32,
}

impl NodeRecord {
    /// The node's allocations are lost (once): TASK_LOST with `node_down` for each.
    fn lose_allocs(&mut self, node: AgentIx, out: &mut Out) {
        if self.allocs_lost {
            return;
        }
        self.allocs_lost = true;
        task_statuses(
            &mut out.events,
            node,
            &self.allocs,
            TaskState::Lost,
            Some(TaskReason::NodeDown),
        );
    }
}

/// The Nomad model: every client and the leader's heartbeat timers.
#[derive(Clone, Debug)]
pub struct Model {
    cfg: Config,
    clients: Vec<Client>,
    nodes: Vec<NodeRecord>,
    leader: bool,
    next_token: u32,
    /// Nodes that are ready or disconnected: the leader's active timers (`n` of the TTL).
    live: usize,
    rng: Rng,
}

impl Model {
    /// Every client starts at `now`, with a leader elected.
    pub fn new(cfg: Config, nodes: &[NodeSetup], seed: u64, _now: Time, _out: &mut Out) -> Model {
        Model {
            clients: (0..nodes.len())
                .map(|i| Client {
                    up: false,
                    generation: 0,
                    pending: None,
                    next_request: 0,
                    last_ok: None,
                    rng: Rng::new(seed, 0x4e4d_0000 + i as u64),
                })
                .collect(),
            nodes: nodes
                .iter()
                .map(|n| NodeRecord {
                    status: Status::None,
                    allocs: n.tasks.clone(),
                    timer: None,
                    timer_length: 0,
                    allocs_lost: false,
                    lost_after_token: 0,
                })
                .collect(),
            leader: true,
            next_token: 0,
            live: 0,
            rng: Rng::new(seed, 0x4e4d_ffff),
            cfg,
        }
    }

    /// The node's processes changed (faults). Allocations run in their own executor processes
    /// and survive a client restart.
    pub fn process(&mut self, now: Time, node: AgentIx, change: Process, out: &mut Out) {
        let c = &mut self.clients[node as usize];
        match change {
            Process::Down => {
                c.up = false;
                c.generation += 1;
                c.pending = None;
            }
            Process::Up { .. } => {
                if c.up {
                    return;
                }
                c.up = true;
                c.generation += 1;
                let generation = c.generation;
                // `registerAndHeartbeat`: register (a known node keeps its status), then
                // heartbeat; the model folds registration into the first heartbeat.
                out.timers
                    .push((now, AnyTimer::Nomad(Timer::Heartbeat { node, generation })));
            }
            // The heartbeat goroutine does not depend on the alloc runners.
            Process::MainLoop => {}
        }
    }

    fn heartbeat(&mut self, now: Time, node: AgentIx, out: &mut Out) {
        let c = &mut self.clients[node as usize];
        let request = c.next_request;
        c.next_request = c.next_request.wrapping_add(1);
        c.pending = Some(request);
        let generation = c.generation;
        out.sends.push(Envelope {
            from: Endpoint::Node(node),
            to: Endpoint::Plane,
            msg: super::Msg::Nomad(Msg::UpdateStatus(request)),
            round_trip: true,
        });
        out.timers.push((
            now + self.cfg.rpc_timeout,
            AnyTimer::Nomad(Timer::RpcTimeout {
                node,
                generation,
                request,
            }),
        ));
    }

    /// `getHeartbeatRetryIntv`: with no success yet (or no leader), 15–30 s; overdue by up to
    /// 30 s, 1–2 s; otherwise a random part of the time left (or overdue), kept within 1–2 s at
    /// the low end and 25–30 s at the high end.
    fn retry_after(&mut self, now: Time, node: AgentIx) -> Time {
        let c = &mut self.clients[node as usize];
        let Some((ok, ttl)) = c.last_ok.filter(|_| self.leader) else {
            return REGISTER_RETRY + c.rng.uniform(REGISTER_RETRY - 1);
        };
        let due = ok + ttl;
        if now >= due && now < due + 30 * SECS {
            return SECS + c.rng.uniform(SECS - 1);
        }
        let r = c.rng.uniform(due.abs_diff(now).saturating_sub(1));
        if r < SECS {
            SECS + c.rng.uniform(SECS - 1)
        } else if r > 30 * SECS {
            25 * SECS + c.rng.uniform(5 * SECS - 1)
        } else {
            r
        }
    }

    /// `resetHeartbeatTimer`: TTL = max(`min_heartbeat_ttl`, n / `max_heartbeats_per_second`)
    /// plus a random stagger of up to as much again; the timer fires after TTL + grace.
    fn reset_timer(&mut self, now: Time, node: AgentIx, out: &mut Out) -> Time {
        let active = self.live as f64;
        let scaled = (active / self.cfg.max_heartbeats_per_second * SECS as f64) as Time;
        let base = self.cfg.min_heartbeat_ttl.max(scaled);
        let ttl = base + self.rng.uniform(base.saturating_sub(1));
        self.arm(now, now + ttl + self.cfg.heartbeat_grace, node, out);
        ttl
    }

    fn arm(&mut self, now: Time, at: Time, node: AgentIx, out: &mut Out) {
        self.next_token = self.next_token.wrapping_add(1);
        let token = self.next_token;
        self.nodes[node as usize].timer = Some((token, at));
        self.nodes[node as usize].timer_length = at.saturating_sub(now);
        out.timers
            .push((at, AnyTimer::Nomad(Timer::Ttl { node, token })));
    }

    /// A message arrived.
    pub fn on_message(&mut self, now: Time, env: &Envelope, msg: Msg, out: &mut Out) {
        match (env.from, env.to, msg) {
            (Endpoint::Node(node), _, Msg::UpdateStatus(request)) => {
                if !self.leader {
                    return; // ErrNoLeader: the client's RPC times out.
                }
                self.update_status(now, node, out);
                let ttl = self.reset_timer(now, node, out);
                out.sends.push(Envelope {
                    from: Endpoint::Plane,
                    to: Endpoint::Node(node),
                    msg: super::Msg::Nomad(Msg::UpdateStatusResponse { request, ttl }),
                    round_trip: true,
                });
            }
            (Endpoint::Plane, Endpoint::Node(node), Msg::UpdateStatusResponse { request, ttl }) => {
                let c = &mut self.clients[node as usize];
                if !c.up || c.pending != Some(request) {
                    return;
                }
                c.pending = None;
                c.last_ok = Some((now, ttl));
                let generation = c.generation;
                out.timers.push((
                    now + ttl,
                    AnyTimer::Nomad(Timer::Heartbeat { node, generation }),
                ));
            }
            _ => {}
        }
    }

    /// `Node.UpdateStatus(ready)`: a new node registers; a down or disconnected one is ready
    /// again (down: its allocations stay lost and the client stops them; disconnected within
    /// `lost_after`: the unknown allocations are running again).
    fn update_status(&mut self, _now: Time, node: AgentIx, out: &mut Out) {
        let rec = &mut self.nodes[node as usize];
        let before = rec.status;
        rec.status = Status::Ready;
        if matches!(before, Status::None | Status::Down) {
            self.live += 1;
        }
        match before {
            Status::None => {
                out.events.push(Event::AgentRegistered {
                    agent: node,
                    id: AgentId(node),
                    previous_view: MasterView::Unknown,
                });
                out.events
                    .push(status_event(node, "ready", MasterView::Connected));
                for &(task, framework) in &rec.allocs {
                    out.events
                        .push(task_status(node, task, framework, TaskState::Running, None));
                }
            }
            Status::Down | Status::Disconnected => {
                out.events
                    .push(status_event(node, "ready", MasterView::Connected));
                if !rec.allocs_lost {
                    task_statuses(&mut out.events, node, &rec.allocs, TaskState::Running, None);
                }
            }
            Status::Ready => {}
        }
    }

    /// `invalidateHeartbeat`: the TTL ran out: the node is `down` (its allocations lost), or
    /// `disconnected` (unknown) when `lost_after` gives them a window. A disconnected node keeps
    /// a heartbeat timer (the leader's own status write re-arms it) and goes down at its first
    /// firing after the window's evaluation has lost the allocations.
    fn invalidate(&mut self, now: Time, node: AgentIx, out: &mut Out) {
        let lost_after = self.cfg.lost_after;
        let rec = &mut self.nodes[node as usize];
        rec.timer = None;
        if !self.leader {
            return;
        }
        match rec.status {
            Status::Disconnected if rec.allocs_lost => self.down(node, out),
            Status::Disconnected => {
                self.reset_timer(now, node, out);
            }
            Status::Ready => {
                out.events.push(Event::AgentMarkedUnreachable {
                    agent: node,
                    id: AgentId(node),
                    cause: Cause::HeartbeatTtl,
                });
                match lost_after {
                    Some(window) if !rec.allocs_lost => {
                        rec.status = Status::Disconnected;
                        out.events.push(status_event(
                            node,
                            "disconnected",
                            MasterView::Disconnected,
                        ));
                        task_statuses(
                            &mut out.events,
                            node,
                            &rec.allocs,
                            TaskState::Unreachable,
                            Some(TaskReason::NodeDisconnected),
                        );
                        self.next_token = self.next_token.wrapping_add(1);
                        let token = self.next_token;
                        self.nodes[node as usize].lost_after_token = token;
                        out.timers.push((
                            now + window,
                            AnyTimer::Nomad(Timer::LostAfter { node, token }),
                        ));
                        self.reset_timer(now, node, out);
                    }
                    _ => self.down(node, out),
                }
            }
            Status::None | Status::Down => {}
        }
    }

    fn down(&mut self, node: AgentIx, out: &mut Out) {
        let rec = &mut self.nodes[node as usize];
        if matches!(rec.status, Status::Ready | Status::Disconnected) {
            self.live -= 1;
        }
        rec.status = Status::Down;
        rec.timer = None;
        out.events
            .push(status_event(node, "down", MasterView::Unreachable));
        rec.lose_allocs(node, out);
    }

    /// The leader is lost (a `fail_over_master` fault): no timers run, heartbeats fail.
    pub fn control_plane_down(&mut self) {
        self.leader = false;
        for rec in &mut self.nodes {
            rec.timer = None;
        }
    }

    /// `initializeHeartbeatTimers`: a new leader gives every node that is not down
    /// `failover_heartbeat_ttl` (no grace, no stagger).
    pub fn control_plane_up(&mut self, now: Time, out: &mut Out) {
        if self.leader {
            return;
        }
        self.leader = true;
        for ix in 0..self.nodes.len() {
            if matches!(self.nodes[ix].status, Status::Ready | Status::Disconnected) {
                self.arm(
                    now,
                    now + self.cfg.failover_heartbeat_ttl,
                    ix as AgentIx,
                    out,
                );
            }
        }
    }

    /// A timer fired.
    pub fn on_timer(&mut self, now: Time, timer: Timer, out: &mut Out) {
        match timer {
            Timer::Heartbeat { node, generation } => {
                let c = &self.clients[node as usize];
                if c.up && c.generation == generation && c.pending.is_none() {
                    self.heartbeat(now, node, out);
                }
            }
            Timer::RpcTimeout {
                node,
                generation,
                request,
            } => {
                let c = &self.clients[node as usize];
                if c.up && c.generation == generation && c.pending == Some(request) {
                    self.clients[node as usize].pending = None;
                    let wait = self.retry_after(now, node);
                    out.timers.push((
                        now + wait,
                        AnyTimer::Nomad(Timer::Heartbeat { node, generation }),
                    ));
                }
            }
            Timer::Ttl { node, token } => {
                if self.nodes[node as usize].timer.map(|(t, _)| t) == Some(token) {
                    self.invalidate(now, node, out);
                }
            }
            Timer::LostAfter { node, token } => {
                // The follow-up evaluation: the unknown allocations are lost now.
                let rec = &mut self.nodes[node as usize];
                if rec.status == Status::Disconnected && rec.lost_after_token == token {
                    rec.lose_allocs(node, out);
                }
            }
        }
    }

    /// The shared view and the lab's gauge (time left on the TTL timer).
    pub fn gauge(&self, now: Time, node: AgentIx) -> NodeGauge {
        let rec = &self.nodes[node as usize];
        let (view, status) = match rec.status {
            Status::None => (MasterView::Unknown, "not registered"),
            Status::Ready => (MasterView::Connected, "ready"),
            Status::Disconnected => (MasterView::Disconnected, "disconnected"),
            Status::Down => (MasterView::Unreachable, "down"),
        };
        NodeGauge {
            view,
            status,
            measure: "TTL left",
            value: rec.timer.map_or(0, |(_, at)| at.saturating_sub(now) as i64),
            limit: rec.timer.map(|_| rec.timer_length as i64),
        }
    }

    /// Whether the client's heartbeat path runs.
    pub fn heartbeat_running(&self, node: AgentIx) -> bool {
        self.clients[node as usize].up
    }
}
