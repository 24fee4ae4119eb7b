//! Running another system's failure detector (`detectors::Model`) instead of Mesos' master and
//! agents: the same links, faults, trace and expectations, with the detector's messages routed
//! over the agents' links and faults translated into what they mean for its processes
//! (`docs/detectors.md`, "The same faults for every detector").

use super::{Ev, Simulation};
use crate::detectors::{self, Endpoint, Envelope, NodeGauge, NodeSetup, Process};
use crate::mesos::event::Event;
use crate::mesos::types::{AgentIx, AgentState, MasterView};
use crate::scenario::{FaultKind, Recovery};
use crate::time::Time;

/// A node's agent process as the detector run sees it.
#[derive(Clone, Copy, Debug)]
pub(super) struct NodeProcess {
    /// `down`, `recovering` (main loop stuck, heartbeat path running) or `running`.
    pub(super) state: AgentState,
    /// Bumped whenever the process dies or starts (stale recovery timers are ignored).
    pub(super) generation: u32,
}

/// The detector, its nodes' processes, and a reusable output buffer.
pub(super) struct DetectorHost {
    pub(super) model: detectors::Model,
    pub(super) nodes: Vec<NodeProcess>,
    out: detectors::Out,
    /// The control plane's incarnation (messages to a dead one are lost).
    pub(super) plane_epoch: u32,
    /// Messages the control plane sent, and received, that got through the network.
    plane_messages: u64,
}

impl DetectorHost {
    /// The model of the scenario's detector, if it is not Mesos, with its start-up output.
    pub(super) fn new(
        scenario: &crate::scenario::Scenario,
        tasks: &super::tasks::TaskTable,
    ) -> Option<(DetectorHost, detectors::Out)> {
        let nodes: Vec<NodeSetup> = scenario
            .agents
            .iter()
            .enumerate()
            .map(|(ix, a)| NodeSetup {
                tasks: tasks
                    .of_agent(ix as AgentIx)
                    .map(|t| (t, tasks.framework[t as usize]))
                    .collect(),
                zone: a.zone.clone(),
            })
            .collect();
        let mut out = detectors::Out::default();
        let model = detectors::Model::new(&scenario.detector, &nodes, scenario.seed, 0, &mut out)?;
        let host = DetectorHost {
            model,
            nodes: vec![
                NodeProcess {
                    state: AgentState::Down,
                    generation: 0,
                };
                nodes.len()
            ],
            out: detectors::Out::default(),
            plane_epoch: 0,
            plane_messages: 0,
        };
        Some((host, out))
    }

    /// The shared view, the system's own state name and the gauge of a node.
    pub(super) fn gauge(&self, now: Time, node: AgentIx) -> NodeGauge {
        self.model.gauge(now, node)
    }
}

/// A detector's message on the wire, as hosts draw it (`None` between two control-plane ends).
pub(super) fn in_flight(env: &Envelope, sent: Time, arrives: Time) -> Option<super::InFlight> {
    let (agent, from_master, peer) = match (env.from, env.to) {
        (Endpoint::Plane, Endpoint::Node(n)) => (n, true, None),
        (Endpoint::Node(n), Endpoint::Plane) => (n, false, None),
        (Endpoint::Node(n), Endpoint::Node(p)) => (n, false, Some(p)),
        (Endpoint::Plane, Endpoint::Plane) => return None,
    };
    Some(super::InFlight {
        agent,
        kind: env.msg.kind(),
        from_master,
        peer,
        connected: true,
        sent,
        arrives,
    })
}

impl Simulation {
    /// Under another detector, the messages its control plane (memberlist: the observer) sent
    /// and received so far; the sweep's `master messages` for it. `None` under Mesos.
    pub fn plane_messages(&self) -> Option<u64> {
        self.detector.as_ref().map(|h| h.plane_messages)
    }

    /// Whether the control plane is up (no restart pending).
    pub(super) fn det_plane_up_now(&self) -> bool {
        !self
            .queue
            .iter()
            .any(|(_, e)| matches!(e, Ev::DetPlaneUp { .. }))
    }

    /// Another detector has no Mesos counters; the agent gauges follow its views.
    pub(super) fn det_metrics(&self) -> Vec<(&'static str, f64)> {
        let mut g = crate::mesos::metrics::Gauges::default();
        for a in 0..self.agents.len() as AgentIx {
            match self.master_view(a) {
                MasterView::Connected => g.slaves_connected += 1,
                MasterView::Disconnected => g.slaves_disconnected += 1,
                MasterView::Unreachable => g.slaves_unreachable += 1,
                _ => {}
            }
        }
        let values = crate::mesos::metrics::Metrics::default().with_gauges(g);
        values.iter().map(|&(n, v)| (n, v as f64)).collect()
    }

    /// Starts every node's processes (t = 0: running, nothing to recover).
    pub(super) fn start_detector_nodes(&mut self) {
        for ix in 0..self.agents.len() as AgentIx {
            self.det_start(ix, Recovery::Computed);
        }
    }

    /// Runs `f` on the model and acts on what it asks for.
    fn with_detector(&mut self, f: impl FnOnce(&mut detectors::Model, Time, &mut detectors::Out)) {
        let Some(host) = self.detector.as_mut() else {
            return;
        };
        let mut out = std::mem::take(&mut host.out);
        f(&mut host.model, self.now, &mut out);
        self.det_flush(out);
    }

    /// Records, routes and arms what a model asked for.
    pub(super) fn det_flush(&mut self, mut out: detectors::Out) {
        self.record_all(&mut out.events);
        for env in out.sends.drain(..) {
            self.det_send(env);
        }
        for (t, timer) in out.timers.drain(..) {
            self.queue.push(t, Ev::DetTimer(timer));
        }
        if let Some(host) = self.detector.as_mut() {
            host.out = out;
        }
    }

    /// Decides a message's fate now (links, loss, drop rules) and puts it on the wire.
    fn det_send(&mut self, env: Envelope) {
        let kind = env.msg.kind();
        let (agent, peer, to_node) = match (env.from, env.to) {
            (Endpoint::Plane, Endpoint::Node(n)) => (n, None, true),
            (Endpoint::Node(n), Endpoint::Plane) => (n, None, false),
            (Endpoint::Node(a), Endpoint::Node(b)) => (a, Some(b), false),
            (Endpoint::Plane, Endpoint::Plane) => return,
        };
        // Directions the exchange needs besides the sender's own link's stage.
        let reverse_ok = |sim: &Simulation| -> bool {
            let link = |n: AgentIx| &sim.links[n as usize];
            let mut ok = true;
            if let Some(b) = peer {
                ok &= link(b).master_to_agent;
                if env.round_trip {
                    ok &= link(b).agent_to_master && link(agent).master_to_agent;
                }
            } else if env.round_trip {
                ok &= if to_node {
                    link(agent).agent_to_master
                } else {
                    link(agent).master_to_agent
                };
            }
            ok
        };
        let receiver = peer.or(to_node.then_some(agent));
        let receiver_up = receiver.is_none_or(|r| {
            self.detector
                .as_ref()
                .is_some_and(|h| h.nodes[r as usize].state != AgentState::Down)
        });
        let arrival = if reverse_ok(self) {
            self.links[agent as usize].send(
                self.now,
                kind,
                to_node,
                receiver_up,
                &self.scenario.network,
            )
        } else {
            None
        };
        self.record_message(agent, kind, arrival.is_none(), None, peer);
        if arrival.is_some() && peer.is_none() {
            if let Some(h) = self.detector.as_mut() {
                h.plane_messages += 1;
            }
        }
        if let Some(at) = arrival {
            let incarnation = receiver.map_or(0, |r| self.incarnations[r as usize]);
            let epoch = self.detector.as_ref().map_or(0, |h| h.plane_epoch);
            self.queue.push(
                at,
                Ev::DetMsg {
                    env,
                    incarnation,
                    epoch,
                    sent: self.now,
                },
            );
        }
    }

    /// A message arrives (lost if its receiving process died, or the control plane changed).
    pub(super) fn det_deliver(&mut self, env: Envelope, incarnation: u32, epoch: u32) {
        let receiver = match env.to {
            Endpoint::Node(n) => Some(n),
            Endpoint::Plane => None,
        };
        if let Some(r) = receiver {
            if self.incarnations[r as usize] != incarnation {
                return;
            }
        } else if self
            .detector
            .as_ref()
            .is_some_and(|h| h.plane_epoch != epoch)
        {
            return;
        }
        self.with_detector(|m, now, out| m.on_message(now, &env, out));
    }

    /// A detector timer fired.
    pub(super) fn det_timer(&mut self, timer: detectors::Timer) {
        self.with_detector(|m, now, out| m.on_timer(now, timer, out));
    }

    fn det_state(&mut self, agent: AgentIx, to: AgentState) {
        let Some(host) = self.detector.as_mut() else {
            return;
        };
        let node = &mut host.nodes[agent as usize];
        let from = node.state;
        if from != to {
            node.state = to;
            self.record(Event::AgentStateChanged { agent, from, to });
        }
    }

    fn det_start(&mut self, agent: AgentIx, recovery: Recovery) {
        let Some(host) = self.detector.as_mut() else {
            return;
        };
        let node = &mut host.nodes[agent as usize];
        if node.state != AgentState::Down {
            return;
        }
        node.generation += 1;
        let generation = node.generation;
        // The executor-count recovery estimate is Mesos' own: elsewhere a computed recovery is
        // immediate.
        let main_loop = matches!(recovery, Recovery::Computed | Recovery::Fixed(0));
        self.det_state(
            agent,
            if main_loop {
                AgentState::Running
            } else {
                AgentState::Recovering
            },
        );
        self.with_detector(|m, now, out| m.process(now, agent, Process::Up { main_loop }, out));
        if let Recovery::Fixed(d) = recovery {
            if d > 0 {
                self.queue
                    .push(self.now + d, Ev::DetRecovered { agent, generation });
            }
        }
    }

    fn det_kill(&mut self, agent: AgentIx) {
        let Some(host) = self.detector.as_mut() else {
            return;
        };
        let node = &mut host.nodes[agent as usize];
        if node.state == AgentState::Down {
            return;
        }
        node.generation += 1;
        self.incarnations[agent as usize] += 1;
        self.det_state(agent, AgentState::Down);
        self.with_detector(|m, now, out| m.process(now, agent, Process::Down, out));
    }

    /// A node's recovery (its main loop's stall) is over.
    pub(super) fn det_main_loop(&mut self, agent: AgentIx, generation: Option<u32>) {
        let Some(host) = self.detector.as_ref() else {
            return;
        };
        let node = host.nodes[agent as usize];
        if node.state != AgentState::Recovering || generation.is_some_and(|g| g != node.generation)
        {
            return;
        }
        self.det_state(agent, AgentState::Running);
        self.with_detector(|m, now, out| m.process(now, agent, Process::MainLoop, out));
    }

    /// What a fault does to one node under another detector (links are handled by the caller).
    pub(super) fn det_apply_to_agent(&mut self, agent: AgentIx, kind: &FaultKind) {
        match *kind {
            FaultKind::RestartAgent { recovery, .. } => {
                self.det_kill(agent);
                self.det_start(agent, recovery);
            }
            FaultKind::StartAgent { recovery, .. } => self.det_start(agent, recovery),
            FaultKind::CrashAgent | FaultKind::ShutdownAgent => self.det_kill(agent),
            FaultKind::FinishRecovery => self.det_main_loop(agent, None),
            _ => {}
        }
    }

    /// The control plane fails over: down now, back after `downtime`.
    pub(super) fn det_fail_over(&mut self, downtime: Time) {
        let Some(host) = self.detector.as_mut() else {
            return;
        };
        host.plane_epoch += 1;
        let epoch = host.plane_epoch;
        host.model.control_plane_down();
        self.record(Event::MasterFailover { downtime });
        self.queue
            .push(self.now + downtime, Ev::DetPlaneUp { epoch });
    }

    /// The new control plane starts.
    pub(super) fn det_plane_up(&mut self, epoch: u32) {
        if self
            .detector
            .as_ref()
            .is_some_and(|h| h.plane_epoch == epoch)
        {
            self.record(Event::MasterRecovered {
                recovered_agents: 0,
            });
            self.with_detector(|m, now, out| m.control_plane_up(now, out));
        }
    }
}
