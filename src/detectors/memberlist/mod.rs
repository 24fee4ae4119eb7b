//! memberlist (SWIM + Lifeguard), every member simulated: probe rounds (a direct ping, then
//! ping-req through `indirect_checks` helpers and a TCP ping), suspicion with the log-scaled,
//! confirmation-decayed timeout, Lifeguard's awareness score, incarnation refutation, death, and
//! push/pull state exchanges by which a member learns it was declared dead. The master is only
//! an observer: it applies every broadcast as it is sent, by memberlist's own rules, and its view
//! is the shared one (see `docs/detectors.md`, "memberlist").
//!
//! Sources: hashicorp/memberlist `state.go` (`probeNode`, `suspectNode`, `deadNode`,
//! `aliveNode`, `refute`, `mergeState`), `suspicion.go` (`newSuspicion`, `Confirm`,
//! `remainingSuspicionTime`), `awareness.go`, `util.go` (`suspicionTimeout`, `pushPullScale`),
//! `net.go` (`handlePing`, `handleIndirectPing`), `config.go :: DefaultLANConfig`.

use crate::detectors::{status_event, task_statuses};
use std::collections::BTreeSet;

mod probe;
mod state;

use super::{Endpoint, Envelope, NodeGauge, NodeSetup, Out, Process, Timer as AnyTimer};
use crate::mesos::event::Event;
use crate::mesos::types::TaskState;
use crate::mesos::types::{AgentId, AgentIx, FwIx, MasterView, MessageKind, TaskIx};
use crate::rng::Rng;
use crate::time::{Time, MILLIS, SECS};

/// The settings, with memberlist's names and `DefaultLANConfig` values.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `ProbeInterval` (1s).
    pub probe_interval: Time,
    /// `ProbeTimeout` (500ms).
    pub probe_timeout: Time,
    /// `IndirectChecks` (3).
    pub indirect_checks: u32,
    /// `SuspicionMult` (4).
    pub suspicion_mult: u32,
    /// `SuspicionMaxTimeoutMult` (6).
    pub suspicion_max_timeout_mult: u32,
    /// `AwarenessMaxMultiplier` (8).
    pub awareness_max_multiplier: u32,
    /// `PushPullInterval` (30s), scaled up for clusters over 32 members.
    pub push_pull_interval: Time,
    /// `DisableTcpPings` (false).
    pub disable_tcp_pings: bool,
    /// Serf's `ReconnectInterval` (30s): how often a member tries to rejoin a failed one, the
    /// only way a member declared dead behind a partition hears of it once the partition heals.
    pub reconnect_interval: Time,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            probe_interval: SECS,
            probe_timeout: 500 * MILLIS,
            indirect_checks: 3,
            suspicion_mult: 4,
            suspicion_max_timeout_mult: 6,
            awareness_max_multiplier: 8,
            push_pull_interval: 30 * SECS,
            disable_tcp_pings: false,
            reconnect_interval: 30 * SECS,
        }
    }
}

impl Config {
    /// `DefaultWANConfig`.
    pub fn wan() -> Config {
        Config {
            probe_interval: 5 * SECS,
            probe_timeout: 3 * SECS,
            suspicion_mult: 6,
            push_pull_interval: 60 * SECS,
            ..Config::default()
        }
    }

    /// `DefaultLocalConfig`.
    pub fn local() -> Config {
        Config {
            probe_timeout: 200 * MILLIS,
            indirect_checks: 1,
            suspicion_mult: 3,
            push_pull_interval: 15 * SECS,
            ..Config::default()
        }
    }
}

/// A member's state as someone sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    /// `StateAlive`.
    Alive,
    /// `StateSuspect`.
    Suspect,
    /// `StateDead`.
    Dead,
}

/// Messages between members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    /// A probe (`seq` numbers the prober's probe); `to` is the target.
    Ping {
        /// Probe number.
        seq: u32,
        /// Who wants the ack (the prober, or the helper that forwards it).
        reply_to: AgentIx,
    },
    /// The answer to a ping.
    Ack {
        /// Probe number.
        seq: u32,
        /// The member that was probed.
        target: AgentIx,
    },
    /// Ask a helper to probe `target` for you.
    PingReq {
        /// Probe number.
        seq: u32,
        /// Whom to probe.
        target: AgentIx,
    },
    /// A helper got no ack in time.
    Nack {
        /// Probe number.
        seq: u32,
    },
    /// A broadcast: `node` is suspect / alive / dead at `incarnation`, said by `from`.
    Gossip {
        /// The member it is about.
        node: AgentIx,
        /// Its incarnation.
        incarnation: u32,
        /// What is said.
        state: State,
        /// Who says it.
        from: AgentIx,
    },
    /// A full state exchange (`reply`: the answer to one).
    PushPull {
        /// Every member's (state, incarnation) as the sender sees it.
        states: Vec<(State, u32)>,
        /// This is the answer.
        reply: bool,
    },
}

impl Msg {
    /// The message's name.
    pub fn kind(&self) -> MessageKind {
        match self {
            Msg::Ping { .. } => MessageKind::SwimPing,
            Msg::Ack { .. } => MessageKind::SwimAck,
            Msg::PingReq { .. } => MessageKind::SwimPingReq,
            Msg::Nack { .. } => MessageKind::SwimNack,
            Msg::Gossip {
                state: State::Suspect,
                ..
            } => MessageKind::SwimSuspect,
            Msg::Gossip {
                state: State::Alive,
                ..
            } => MessageKind::SwimAlive,
            Msg::Gossip {
                state: State::Dead, ..
            } => MessageKind::SwimDead,
            Msg::PushPull { .. } => MessageKind::SwimPushPull,
        }
    }
}

/// Timers (member timers carry the member's process generation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// The probe ticker.
    ProbeTick {
        /// Member.
        member: AgentIx,
        /// Process generation.
        generation: u32,
    },
    /// `ProbeTimeout` of a probe ran out without an ack: go indirect.
    ProbeTimeout {
        /// Member.
        member: AgentIx,
        /// Process generation.
        generation: u32,
        /// Probe number.
        seq: u32,
    },
    /// The probe's deadline (the scaled probe interval).
    ProbeDeadline {
        /// Member.
        member: AgentIx,
        /// Process generation.
        generation: u32,
        /// Probe number.
        seq: u32,
    },
    /// A helper's own `ProbeTimeout` for a ping-req ran out: it nacks.
    HelperTimeout {
        /// Helper.
        member: AgentIx,
        /// Process generation.
        generation: u32,
        /// Its relay number.
        relay: u32,
    },
    /// A member's suspicion timer about `node`.
    Suspicion {
        /// Member.
        member: AgentIx,
        /// Process generation.
        generation: u32,
        /// The suspect.
        node: AgentIx,
        /// Matches the current suspicion.
        token: u32,
    },
    /// The push/pull ticker.
    PushPull {
        /// Member.
        member: AgentIx,
        /// Process generation.
        generation: u32,
    },
    /// Serf's reconnect ticker.
    Reconnect {
        /// Member.
        member: AgentIx,
        /// Process generation.
        generation: u32,
    },
}

/// One member's view of another.
#[derive(Clone, Debug)]
struct Known {
    state: State,
    incarnation: u32,
    suspicion: Option<Suspicion>,
}

/// `suspicion`: when it started, its bounds, who confirmed it.
#[derive(Clone, Debug)]
struct Suspicion {
    token: u32,
    start: Time,
    k: u32,
    min: Time,
    max: Time,
    accuser: AgentIx,
    confirmations: BTreeSet<AgentIx>,
}

/// The probe in progress.
#[derive(Clone, Debug)]
struct Probe {
    seq: u32,
    target: AgentIx,
    expected_nacks: u32,
    nacks: u32,
}

/// A ping-req this member relays: (relay number, the prober, its probe number, the target).
#[derive(Clone, Copy, Debug)]
struct Relay {
    relay: u32,
    prober: AgentIx,
    seq: u32,
    target: AgentIx,
    acked: bool,
}

#[derive(Clone, Debug)]
struct Member {
    up: bool,
    generation: u32,
    incarnation: u32,
    view: Vec<Known>,
    order: Vec<AgentIx>,
    next: usize,
    awareness: u32,
    probe: Option<Probe>,
    seq: u32,
    relays: Vec<Relay>,
    next_relay: u32,
    next_token: u32,
    rng: Rng,
}

/// The memberlist model: every member, and the master's passive observer view.
#[derive(Clone, Debug)]
pub struct Model {
    cfg: Config,
    members: Vec<Member>,
    observer: Vec<Known>,
    tasks: Vec<Vec<(TaskIx, FwIx)>>,
    announced: Vec<bool>,
    declared_dead: Vec<bool>,
}

impl Model {
    /// Every member starts at `now`, knowing every other as alive (they joined before).
    pub fn new(cfg: Config, nodes: &[NodeSetup], seed: u64, _now: Time, _out: &mut Out) -> Model {
        let n = nodes.len();
        let fresh = || Known {
            state: State::Alive,
            incarnation: 1,
            suspicion: None,
        };
        Model {
            members: (0..n)
                .map(|i| Member {
                    up: false,
                    generation: 0,
                    incarnation: 0,
                    view: (0..n).map(|_| fresh()).collect(),
                    order: Vec::new(),
                    next: 0,
                    awareness: 0,
                    probe: None,
                    seq: 0,
                    relays: Vec::new(),
                    next_relay: 0,
                    next_token: 0,
                    rng: Rng::new(seed, 0x5357_0000 + i as u64),
                })
                .collect(),
            observer: (0..n).map(|_| fresh()).collect(),
            tasks: nodes.iter().map(|s| s.tasks.clone()).collect(),
            announced: vec![false; n],
            declared_dead: vec![false; n],
            cfg,
        }
    }

    fn n(&self) -> usize {
        self.members.len()
    }

    /// `suspicionTimeout`: mult × max(1, log10 n) × probe interval.
    fn suspicion_min(&self) -> Time {
        let n = self.n().max(1) as f64;
        let scale = libm::log10(n).max(1.0);
        let ms = (scale * 1000.0) as Time;
        self.cfg.suspicion_mult as Time * ms * self.cfg.probe_interval / 1000
    }

    /// `pushPullScale`: beyond 32 members the interval grows with log2 of the size.
    fn push_pull_interval(&self) -> Time {
        let n = self.n();
        if n <= 32 {
            return self.cfg.push_pull_interval;
        }
        let mult = libm::ceil(libm::log2(n as f64) - libm::log2(32.0)) as Time + 1;
        self.cfg.push_pull_interval * mult
    }

    // ---- processes --------------------------------------------------------------------------

    /// The node's processes changed (faults). memberlist's goroutines run while the process
    /// is up, whatever its main loop does.
    pub fn process(&mut self, now: Time, node: AgentIx, change: Process, out: &mut Out) {
        match change {
            Process::Down => {
                let m = &mut self.members[node as usize];
                m.up = false;
                m.generation += 1;
                m.probe = None;
                m.relays.clear();
            }
            Process::Up { .. } if !self.members[node as usize].up => {
                let first = !self.announced[node as usize];
                let n = self.n();
                let m = &mut self.members[node as usize];
                m.up = true;
                m.generation += 1;
                m.awareness = 0;
                // A new process starts at incarnation 1 and knows nobody until it joins.
                m.incarnation = 1;
                if !first {
                    for (j, k) in m.view.iter_mut().enumerate() {
                        k.state = State::Alive;
                        k.incarnation = if j == node as usize { 1 } else { 0 };
                        k.suspicion = None;
                    }
                }
                m.order.clear();
                m.next = 0;
                let generation = m.generation;
                let phase = m.rng.uniform(self.cfg.probe_interval);
                out.timers.push((
                    now + phase,
                    AnyTimer::Memberlist(Timer::ProbeTick {
                        member: node,
                        generation,
                    }),
                ));
                let pp = self.push_pull_interval();
                let reconnect = self.cfg.reconnect_interval;
                let m = &mut self.members[node as usize];
                let pp_phase = m.rng.uniform(pp);
                out.timers.push((
                    now + pp_phase,
                    AnyTimer::Memberlist(Timer::PushPull {
                        member: node,
                        generation,
                    }),
                ));
                let rc_phase = m.rng.uniform(reconnect);
                out.timers.push((
                    now + rc_phase,
                    AnyTimer::Memberlist(Timer::Reconnect {
                        member: node,
                        generation,
                    }),
                ));
                if first {
                    self.announced[node as usize] = true;
                    out.events.push(Event::AgentRegistered {
                        agent: node,
                        id: AgentId(node),
                        previous_view: MasterView::Unknown,
                    });
                    out.events
                        .push(status_event(node, "alive", MasterView::Connected));
                    task_statuses(
                        &mut out.events,
                        node,
                        &self.tasks[node as usize],
                        TaskState::Running,
                        None,
                    );
                } else if n > 1 {
                    // `Join`: a push/pull with a random member.
                    self.push_pull(node, out);
                }
            }
            _ => {}
        }
    }

    fn send(out: &mut Out, from: AgentIx, to: AgentIx, msg: Msg, round_trip: bool) {
        out.sends.push(Envelope {
            from: Endpoint::Node(from),
            to: Endpoint::Node(to),
            msg: super::Msg::Memberlist(msg),
            round_trip,
        });
    }

    /// Broadcasts a state about `node` to every other member (memberlist piggybacks it on its
    /// gossip; here each member gets it directly) and to the master's observer.
    fn broadcast(
        &mut self,
        now: Time,
        from: AgentIx,
        node: AgentIx,
        state: State,
        inc: u32,
        out: &mut Out,
    ) {
        for to in 0..self.n() as AgentIx {
            if to != from {
                Self::send(
                    out,
                    from,
                    to,
                    Msg::Gossip {
                        node,
                        incarnation: inc,
                        state,
                        from,
                    },
                    false,
                );
            }
        }
        // The master observes the cluster through the network like anyone: a broadcast that
        // cannot leave its sender never reaches it.
        let _ = now;
        out.sends.push(Envelope {
            from: Endpoint::Node(from),
            to: Endpoint::Plane,
            msg: super::Msg::Memberlist(Msg::Gossip {
                node,
                incarnation: inc,
                state,
                from,
            }),
            round_trip: false,
        });
    }

    // ---- probing ---------------------------------------------------------------------------

    // ---- state changes ---------------------------------------------------------------------

    // ---- dispatch ----------------------------------------------------------------------------

    /// A message arrived.
    pub fn on_message(&mut self, now: Time, env: &Envelope, msg: &Msg, out: &mut Out) {
        if let (
            Endpoint::Plane,
            Msg::Gossip {
                node,
                incarnation,
                state,
                ..
            },
        ) = (env.to, msg)
        {
            self.observe(now, *node, *state, *incarnation, out);
            return;
        }
        let (Endpoint::Node(from), Endpoint::Node(me)) = (env.from, env.to) else {
            return;
        };
        if !self.members[me as usize].up {
            return;
        }
        match *msg {
            // `handlePing`: memberlist answers whatever the application is doing.
            Msg::Ping { seq, reply_to } => Self::send(
                out,
                me,
                reply_to,
                Msg::Ack { seq, target: me },
                env.round_trip,
            ),
            Msg::Ack { seq, target } => {
                let relay = self.members[me as usize]
                    .relays
                    .iter_mut()
                    .find(|r| r.relay == seq && r.target == target);
                if let Some(r) = relay {
                    r.acked = true;
                    let (prober, pseq) = (r.prober, r.seq);
                    Self::send(out, me, prober, Msg::Ack { seq: pseq, target }, false);
                } else {
                    self.acked(me, seq);
                }
            }
            Msg::PingReq { seq, target } => {
                let generation = self.members[me as usize].generation;
                let m = &mut self.members[me as usize];
                m.next_relay = m.next_relay.wrapping_add(1);
                let relay = m.next_relay;
                m.relays.push(Relay {
                    relay,
                    prober: from,
                    seq,
                    target,
                    acked: false,
                });
                Self::send(
                    out,
                    me,
                    target,
                    Msg::Ping {
                        seq: relay,
                        reply_to: me,
                    },
                    false,
                );
                out.timers.push((
                    now + self.cfg.probe_timeout,
                    AnyTimer::Memberlist(Timer::HelperTimeout {
                        member: me,
                        generation,
                        relay,
                    }),
                ));
            }
            Msg::Nack { seq } => {
                let m = &mut self.members[me as usize];
                if let Some(p) = m.probe.as_mut().filter(|p| p.seq == seq) {
                    p.nacks += 1;
                }
            }
            Msg::Gossip {
                node,
                incarnation,
                state,
                from: said_by,
            } => match state {
                State::Alive => self.alive(me, node, incarnation),
                State::Suspect => self.suspect(now, me, node, incarnation, said_by, out),
                State::Dead => self.dead(now, me, node, incarnation, out),
            },
            Msg::PushPull { ref states, reply } => {
                if !reply {
                    let mine = self.members[me as usize]
                        .view
                        .iter()
                        .map(|k| (k.state, k.incarnation))
                        .collect();
                    Self::send(
                        out,
                        me,
                        from,
                        Msg::PushPull {
                            states: mine,
                            reply: true,
                        },
                        true,
                    );
                }
                let states = states.clone();
                self.merge(now, me, from, &states, out);
            }
        }
    }

    /// A timer fired.
    pub fn on_timer(&mut self, now: Time, timer: Timer, out: &mut Out) {
        let (member, generation) = match timer {
            Timer::ProbeTick { member, generation }
            | Timer::ProbeTimeout {
                member, generation, ..
            }
            | Timer::ProbeDeadline {
                member, generation, ..
            }
            | Timer::HelperTimeout {
                member, generation, ..
            }
            | Timer::Suspicion {
                member, generation, ..
            }
            | Timer::PushPull { member, generation }
            | Timer::Reconnect { member, generation } => (member, generation),
        };
        let m = &self.members[member as usize];
        if !m.up || m.generation != generation {
            return;
        }
        match timer {
            Timer::ProbeTick { .. } => self.probe_tick(now, member, out),
            Timer::ProbeTimeout { seq, .. } => self.go_indirect(member, seq, out),
            Timer::ProbeDeadline { seq, .. } => self.probe_deadline(now, member, seq, out),
            Timer::HelperTimeout { relay, .. } => {
                let m = &mut self.members[member as usize];
                if let Some(i) = m.relays.iter().position(|r| r.relay == relay) {
                    let r = m.relays.remove(i);
                    if !r.acked {
                        Self::send(out, member, r.prober, Msg::Nack { seq: r.seq }, false);
                    }
                }
            }
            Timer::Suspicion { node, token, .. } => {
                self.suspicion_fired(now, member, node, token, out)
            }
            Timer::PushPull { .. } => {
                self.push_pull(member, out);
                let pp = self.push_pull_interval();
                out.timers.push((
                    now + pp,
                    AnyTimer::Memberlist(Timer::PushPull { member, generation }),
                ));
            }
            Timer::Reconnect { .. } => {
                self.reconnect(member, out);
                out.timers.push((
                    now + self.cfg.reconnect_interval,
                    AnyTimer::Memberlist(Timer::Reconnect { member, generation }),
                ));
            }
        }
    }

    /// No control plane to fail over: `fail_over_master` changes nothing here.
    pub fn control_plane_down(&mut self) {}

    /// See [`Self::control_plane_down`].
    pub fn control_plane_up(&mut self, _now: Time, _out: &mut Out) {}

    /// The shared (observer) view, and the lab's gauge: the earliest suspicion timer any live
    /// member runs about the node, as time left.
    pub fn gauge(&self, now: Time, node: AgentIx) -> NodeGauge {
        let k = &self.observer[node as usize];
        let (view, status) = if !self.announced[node as usize] {
            (MasterView::Unknown, "not joined")
        } else {
            match k.state {
                State::Alive => (MasterView::Connected, "alive"),
                State::Suspect => (MasterView::Disconnected, "suspect"),
                State::Dead => (MasterView::Unreachable, "dead"),
            }
        };
        // (time left, the timer's whole length) of the suspicion closest to firing.
        let left = self
            .members
            .iter()
            .filter(|m| m.up)
            .filter_map(|m| m.view[node as usize].suspicion.as_ref())
            .map(|s| {
                let timeout = remaining(s.confirmations.len() as u32, s.k, s.min, s.max);
                (
                    (s.start + timeout).saturating_sub(now) as i64,
                    timeout as i64,
                )
            })
            .min();
        NodeGauge {
            view,
            status,
            measure: "suspicion left",
            value: left.map_or(0, |(l, _)| l),
            limit: left.map(|(_, t)| t),
        }
    }

    /// Whether the member's memberlist goroutines run.
    pub fn heartbeat_running(&self, node: AgentIx) -> bool {
        self.members[node as usize].up
    }
}

/// `remainingSuspicionTime` without the elapsed part: the timeout after `c` of `k` wanted
/// confirmations, `max − (ln(c+1) / ln(k+1)) × (max − min)`, never below `min`, in whole ms.
fn remaining(c: u32, k: u32, min: Time, max: Time) -> Time {
    if k == 0 {
        return min;
    }
    let frac = libm::log(c as f64 + 1.0) / libm::log(k as f64 + 1.0);
    let raw = max as f64 - frac * (max - min) as f64;
    let ms = libm::floor(raw / MILLIS as f64) as Time * MILLIS;
    ms.max(min)
}
