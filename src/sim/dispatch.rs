//! Running events: each goes to the master or the agent it is for, and what they ask in return
//! (messages over the links, timers, trace events, a process exiting) is carried out here. Also
//! the master's failovers and aborts.

use super::{Ev, Interregnum, Simulation};
use crate::mesos::agent::{Agent, AgentOut};
use crate::mesos::master::{Master, MasterOut, MasterSetup, Registry};
use crate::mesos::messages::{ToAgent, ToMaster};
use crate::mesos::types::{AgentIx, AgentState, MessageKind};
use crate::scenario::Recovery;
use crate::time::Time;
use crate::trace::Event;

impl Simulation {
    /// Runs one event.
    pub(super) fn process(&mut self, ev: Ev) {
        match ev {
            Ev::ToAgent { agent, .. } | Ev::ToMaster { agent, .. } | Ev::Exited { agent, .. } => {
                self.in_flight_count[agent as usize] -= 1;
            }
            _ => {}
        }
        if self.fast_forward && self.skips(&ev) {
            return;
        }
        match ev {
            Ev::Fault(i) => self.apply_fault(i),
            Ev::ToAgent {
                agent,
                incarnation,
                msg,
                ..
            } => {
                if incarnation == self.incarnations[agent as usize] {
                    self.with_agent(agent, |a, now, out| a.on_message(now, msg, out));
                }
            }
            Ev::ToMaster {
                agent, epoch, msg, ..
            } => {
                if epoch == self.epoch {
                    let pong = matches!(msg, ToMaster::Pong { .. });
                    self.with_master(|m, now, out| m.on_message(now, agent, msg, out));
                    if pong && self.fast_forward {
                        self.maybe_park(agent);
                    }
                }
            }
            Ev::Exited { agent, epoch } => {
                if epoch == self.epoch {
                    self.with_master(|m, now, out| m.on_exited(now, agent, out));
                }
            }
            Ev::Master { epoch, timer, .. } => {
                if epoch == self.epoch {
                    self.with_master(|m, now, out| m.on_timer(now, timer, out));
                }
            }
            Ev::Agent { agent, timer } => {
                self.with_agent(agent, |a, now, out| a.on_timer(now, timer, out))
            }
            Ev::SupervisorRestart { agent, incarnation } => {
                if incarnation == self.incarnations[agent as usize] {
                    self.with_agent(agent, |a, now, out| {
                        a.start(now, Recovery::Computed, false, out)
                    });
                }
            }
            Ev::MasterUp { epoch } => {
                if epoch == self.epoch && self.master.is_none() {
                    if let Some(i) = self.interregnum.take() {
                        self.start_master(i.registry);
                    }
                }
            }
            Ev::Wake { agent } => self.wake(agent),
            Ev::SkippedMiss { agent, .. } => self.skipped_miss(agent),
            Ev::DetMsg {
                env,
                incarnation,
                epoch,
                ..
            } => self.det_deliver(env, incarnation, epoch),
            Ev::DetTimer(timer) => self.det_timer(timer),
            Ev::DetRecovered { agent, generation } => self.det_main_loop(agent, Some(generation)),
            Ev::DetPlaneUp { epoch } => self.det_plane_up(epoch),
        }
    }

    pub(super) fn start_master(&mut self, registry: Registry) {
        let first =
            registry.admitted_count() == 0 && registry.unreachable_count() == 0 && self.now == 0;
        let recovered = registry.admitted_count() as u32;
        let mut out = std::mem::take(&mut self.mout);
        let setup = MasterSetup {
            cfg: self.scenario.master.clone(),
            frameworks: self.frameworks.clone(),
            task_framework: self.tasks.framework.clone(),
            agents: self.agents.len(),
        };
        let master = Master::start(setup, registry, self.now, &mut out);
        self.masters_started += 1;
        self.master = Some(master);
        if !first {
            self.record(Event::MasterRecovered {
                recovered_agents: recovered,
            });
        }
        self.flush_master(out);
        if !first {
            for ix in 0..self.agents.len() as AgentIx {
                self.with_agent(ix, |a, now, out| a.master_changed(now, true, out));
            }
        }
    }

    /// The master process dies; a new one is elected after `downtime`.
    pub(super) fn master_down(&mut self, downtime: Time) {
        if self.master.is_none() {
            return;
        }
        self.materialize_all();
        let Some(master) = self.master.take() else {
            return;
        };
        let last_metrics = master.metric_values();
        let registry = master.into_registry();
        self.epoch += 1;
        self.interregnum = Some(Interregnum {
            registry,
            last_metrics,
        });
        for link in &mut self.links {
            link.linked = false;
        }
        for ix in 0..self.agents.len() as AgentIx {
            self.with_agent(ix, |a, now, out| a.master_changed(now, false, out));
        }
        let epoch = self.epoch;
        self.queue.push(self.now + downtime, Ev::MasterUp { epoch });
    }

    pub(super) fn with_master(&mut self, f: impl FnOnce(&mut Master, Time, &mut MasterOut)) {
        let Some(master) = self.master.as_mut() else {
            return;
        };
        let mut out = std::mem::take(&mut self.mout);
        f(master, self.now, &mut out);
        self.flush_master(out);
    }

    pub(super) fn flush_master(&mut self, mut out: MasterOut) {
        self.record_all(&mut out.events);
        for &addr in &out.links {
            self.links[addr as usize].linked = true;
        }
        for (addr, msg) in out.sends.drain(..) {
            self.send_to_agent(addr, msg);
        }
        let epoch = self.epoch;
        for (t, timer) in out.timers.drain(..) {
            let set = self.now;
            self.queue.push(t, Ev::Master { epoch, timer, set });
        }
        let aborted = out.aborted;
        out.clear();
        self.mout = out;
        if aborted {
            // The aborted master's ZooKeeper session must expire before another is elected.
            let downtime = crate::mesos::master::ZOOKEEPER_SESSION_TIMEOUT;
            self.master_down(downtime);
        }
    }

    pub(super) fn with_agent(
        &mut self,
        ix: AgentIx,
        f: impl FnOnce(&mut Agent, Time, &mut AgentOut),
    ) {
        let mut out = std::mem::take(&mut self.aout);
        f(&mut self.agents[ix as usize], self.now, &mut out);
        self.record_all(&mut out.events);
        for msg in out.sends.drain(..) {
            self.send_to_master(ix, msg);
        }
        for (t, timer) in out.timers.drain(..) {
            self.queue.push(t, Ev::Agent { agent: ix, timer });
        }
        let exited = out.exited.take();
        self.aout = out;
        if exited.is_some() {
            self.process_exited(ix);
        }
    }

    /// The agent process exited on its own: what is on the wire to it is lost, its socket
    /// breaks, and its supervisor (if any) starts it again after the configured delay.
    pub(super) fn process_exited(&mut self, agent: AgentIx) {
        let a = agent as usize;
        self.incarnations[a] += 1;
        self.break_socket(agent, false);
        if let Some(delay) = self.scenario.agents[a].settings.supervisor_restart_delay {
            let incarnation = self.incarnations[a];
            self.queue.push(
                self.now + delay,
                Ev::SupervisorRestart { agent, incarnation },
            );
        }
    }

    pub(super) fn send_to_agent(&mut self, agent: AgentIx, msg: ToAgent) {
        if self.fast_forward {
            self.before_send_to_agent(agent, &msg);
        }
        let kind = msg.kind();
        let link = &self.links[agent as usize];
        if link.linked && link.dead_socket {
            self.refused(agent, &msg);
            return;
        }
        let up = self.agents[agent as usize].state() != AgentState::Down;
        let arrival =
            self.links[agent as usize].send(self.now, kind, true, up, &self.scenario.network);
        let connected = match msg {
            ToAgent::Ping { connected, .. } => Some(connected),
            _ => None,
        };
        self.record_message(agent, kind, arrival.is_none(), connected, None);
        if let Some(at) = arrival {
            if kind == MessageKind::Ping {
                self.last_ping_sent[agent as usize] = self.now;
            }
            self.in_flight_count[agent as usize] += 1;
            let incarnation = self.incarnations[agent as usize];
            self.queue.push(
                at,
                Ev::ToAgent {
                    agent,
                    incarnation,
                    sent: self.now,
                    msg,
                },
            );
        }
    }

    pub(super) fn send_to_master(&mut self, agent: AgentIx, msg: ToMaster) {
        if self.fast_forward {
            self.materialize(agent); // A parked link numbers no message outside its cycle.
        }
        let kind = msg.kind();
        let up = self.master.is_some();
        let arrival =
            self.links[agent as usize].send(self.now, kind, false, up, &self.scenario.network);
        self.record_message(agent, kind, arrival.is_none(), None, None);
        if let Some(at) = arrival {
            self.in_flight_count[agent as usize] += 1;
            let epoch = self.epoch;
            self.queue.push(
                at,
                Ev::ToMaster {
                    agent,
                    epoch,
                    sent: self.now,
                    msg,
                },
            );
        }
    }

    /// A message over a dead socket: never delivered; the reset may make the master see
    /// `exited()`.
    pub(super) fn refused(&mut self, agent: AgentIx, msg: &ToAgent) {
        let connected = match msg {
            ToAgent::Ping { connected, .. } => Some(*connected),
            _ => None,
        };
        self.record_message(agent, msg.kind(), true, connected, None);
        if let Some(at) = self.links[agent as usize].refuse(self.now, &self.scenario.network) {
            self.in_flight_count[agent as usize] += 1;
            let epoch = self.epoch;
            self.queue.push(at, Ev::Exited { agent, epoch });
        }
    }

    /// Breaks the agent's socket; the master sees `exited()` one latency later.
    pub(super) fn break_socket(&mut self, agent: AgentIx, forced: bool) {
        if let Some(at) =
            self.links[agent as usize].break_socket(self.now, forced, &self.scenario.network)
        {
            self.in_flight_count[agent as usize] += 1;
            let epoch = self.epoch;
            self.queue.push(at, Ev::Exited { agent, epoch });
        }
    }

    /// Records a `message` event, built only if the trace keeps it.
    pub(super) fn record_message(
        &mut self,
        agent: AgentIx,
        kind: MessageKind,
        dropped: bool,
        connected: Option<bool>,
        peer: Option<AgentIx>,
    ) {
        if self.log.keeps_messages() {
            let event = Event::Message {
                agent,
                kind,
                dropped,
                connected,
                peer,
            };
            self.log.record(self.now, event);
        }
    }

    /// Records a handler's events in order, leaving `events` empty. Most handlers report none;
    /// skipping their empty drain skips its drop, a call for events that own boxes.
    pub(super) fn record_all(&mut self, events: &mut Vec<Event>) {
        if events.is_empty() {
            return;
        }
        for ev in events.drain(..) {
            self.record(ev);
        }
    }

    /// Records an event: the task table and the newest ids follow it, the trace keeps it.
    pub(super) fn record(&mut self, ev: Event) {
        match &ev {
            Event::TaskStatus(s) => self.tasks.set_state(s.task, s.state),
            &Event::AgentRegistered { agent, id, .. } => self.latest_id[agent as usize] = Some(id),
            _ => {}
        }
        self.log.record(self.now, ev);
    }
}
