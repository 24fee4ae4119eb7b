//! Fast-forward: skipping the ping cycles of agents whose outcome is already determined.
//!
//! A healthy agent on a clean link (no loss, no jitter, no drop rules, both directions up) with
//! nothing else in flight repeats the same cycle every `agent_ping_timeout`: the observer pings,
//! the agent resets its ping timer and pongs, the observer resets. Nothing observable changes, so
//! once such a cycle completes the agent is *parked*: its cycle events are no longer simulated.
//! Anything that could disturb it — a fault naming it, a master failover — first *materializes*
//! it: the state those skipped cycles would have produced at this instant is computed in closed
//! form (including a ping or pong still on the wire), and simulation resumes. Verdicts, times and
//! metrics are identical to the full simulation; only the `message` events of the skipped cycles
//! are missing from the trace, so fast-forward is for runs that do not record messages.

use super::{Ev, Simulation};
use crate::mesos::master::MasterTimer;
use crate::mesos::messages::{ObserverId, ToAgent, ToMaster};
use crate::mesos::types::AgentIx;
use crate::time::Time;

/// A parked agent: the time its last simulated cycle started, and its observer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Parked {
    pub(super) cycle_start: Time,
    pub(super) observer: ObserverId,
}

impl Simulation {
    /// After a pong reached the master: park the agent if its cycle is steady.
    pub(super) fn maybe_park(&mut self, agent: AgentIx) {
        let a = agent as usize;
        if !self.fast_forward || self.parked[a].is_some() || self.in_flight_count[a] != 0 {
            return;
        }
        let net = &self.scenario.network;
        // With one allowed miss the agent's ping timer (N × P) expires exactly as the next ping
        // arrives, a tie the full simulation resolves against the ping: not a steady cycle.
        if net.drop_rate > 0.0 || net.jitter > 0 || self.scenario.master.max_agent_ping_timeouts < 2
        {
            return;
        }
        let link = &self.links[a];
        if !(link.master_to_agent && link.agent_to_master && link.linked)
            || link.active_drops(self.now).next().is_some()
        {
            return;
        }
        let Some(master) = &self.master else { return };
        let Some(observer) = master.steady_observer(agent) else {
            return;
        };
        if !self.agents[a].is_steady() {
            return;
        }
        self.parked[a] = Some(Parked {
            cycle_start: self.last_ping_sent[a],
            observer,
        });
        self.skipped_observer[a] = false;
        self.skipped_check[a] = false;
    }

    /// Whether a popped event belongs to a parked agent's skipped cycle (it is then dropped).
    pub(super) fn skips(&mut self, ev: &Ev) -> bool {
        match *ev {
            Ev::Master {
                timer: MasterTimer::ObserverTimeout(oid),
                ..
            } => {
                let Some(addr) = self.master.as_ref().and_then(|m| m.addr_of(oid.agent)) else {
                    return false;
                };
                let a = addr as usize;
                if self.parked[a].is_some_and(|p| p.observer == oid) {
                    self.skipped_observer[a] = true;
                    return true;
                }
                false
            }
            Ev::Agent {
                agent,
                timer: crate::mesos::agent::AgentTimer::PingCheck { .. },
            } if self.parked[agent as usize].is_some() => {
                self.skipped_check[agent as usize] = true;
                true
            }
            _ => false,
        }
    }

    /// Every parked agent resumes (before a master failover).
    pub(super) fn materialize_all(&mut self) {
        for a in 0..self.parked.len() {
            self.materialize(a as AgentIx);
        }
    }

    /// Resumes a parked agent at `now`: applies the skipped cycles before `now`, puts back on the
    /// wire what is in flight, and re-arms what the skipped events would have re-armed. Cycle
    /// events at exactly `now` stay pending, as they would run after whatever triggered this.
    pub(super) fn materialize(&mut self, agent: AgentIx) {
        let a = agent as usize;
        let Some(Parked {
            cycle_start: t0,
            observer,
        }) = self.parked[a].take()
        else {
            return;
        };
        let now = self.now;
        let p = self.scenario.master.agent_ping_timeout;
        let latency = self.scenario.network.latency;
        // The last cycle that started strictly before now (cycle 0 completed before parking).
        let k = if now > t0 { (now - 1 - t0) / p } else { 0 };
        let tk = t0 + k * p;
        let mut pinged = false;
        // The agent heard the previous cycle's ping, unless this cycle's ping is already in.
        let mut last_ping_heard = if k > 0 {
            tk - p + latency
        } else {
            t0 + latency
        };
        let mut last_pong = last_ping_heard + latency;
        if k > 0 {
            pinged = tk + 2 * latency >= now;
            let ping_arrives = tk + latency;
            if ping_arrives < now {
                last_ping_heard = ping_arrives;
                last_pong = ping_arrives + latency;
                if pinged {
                    self.deliver_later(
                        last_pong,
                        agent,
                        Ev::ToMaster {
                            agent,
                            epoch: self.epoch,
                            sent: ping_arrives,
                            msg: ToMaster::Pong { observer },
                        },
                    );
                }
            } else {
                let incarnation = self.incarnations[a];
                self.deliver_later(
                    ping_arrives,
                    agent,
                    Ev::ToAgent {
                        agent,
                        incarnation,
                        sent: tk,
                        msg: ToAgent::Ping {
                            connected: true,
                            observer,
                        },
                    },
                );
            }
            self.last_ping_sent[a] = tk;
        }
        self.links[a].resync(tk + latency, last_pong);
        if let Some(master) = self.master.as_mut() {
            master.resume_observer(observer, pinged);
        }
        if self.skipped_observer[a] {
            let epoch = self.epoch;
            self.queue.push(
                tk + p,
                Ev::Master {
                    epoch,
                    timer: MasterTimer::ObserverTimeout(observer),
                },
            );
        }
        let check_lost = self.skipped_check[a];
        self.with_agent(agent, |ag, _, out| {
            ag.resync_ping_timer(last_ping_heard, check_lost, out)
        });
    }

    fn deliver_later(&mut self, at: Time, agent: AgentIx, ev: Ev) {
        self.in_flight_count[agent as usize] += 1;
        self.queue.push(at, ev);
    }
}
