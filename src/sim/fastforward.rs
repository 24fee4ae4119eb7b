//! Fast-forward: skipping the ping cycles of agents whose outcome is already determined, on
//! clean links and on links with jitter and random loss. The full argument, with its limits, is
//! in `docs/fast-forward.md`.
//!
//! A healthy agent repeats one cycle every P = `agent_ping_timeout`: the observer pings
//! (`master.cpp :: SlaveObserver::timeout`), the agent re-arms its ping timer and pongs
//! (`slave.cpp :: Slave::ping`), the observer resets (`SlaveObserver::pong`). Such a cycle leaves
//! nothing in the trace but `message` events, so once one completes the agent is *parked*: its
//! cycle events are no longer simulated. Anything that could disturb it first *materializes* it
//! (computes in closed form the state the skipped cycles would have left, puts back what is on
//! the wire, re-arms the observer's tick) and simulation resumes: a fault naming it, a master
//! failover, any message outside the cycle, another observer joining its phase, and a random
//! loss on its link that is not isolated. An isolated loss (one lost message, the next cycle
//! clean) is crossed in closed form: only the tick that counts its miss runs (`SkippedMiss`).
//!
//! **Design: exact, not statistical.** The link's randomness is skippable (`network`): message
//! n's jitter is a pure function of (link seed, n), and losses are drawn as geometric gaps (the
//! number of the next lost message), the same Bernoulli process as one draw per message. So a
//! fast-forwarded run consumes exactly the randomness of the full run and gives the same events,
//! not merely the same distribution, which the tests check on every run rather than by sampling.
//!
//! **Closed form.** Cycle 0 is the last simulated one (ping sent at t0); cycle j ≥ 1 pings at
//! t_j = t0 + jP with link number c + 2(j − 1) (c: the link's count at parking), the agent hears
//! it at a_j = t_j + δ(c + 2j − 2) and pongs with number c + 2j − 1, which reaches the master at
//! b_j = a_j + δ(c + 2j − 1); δ(n) is latency plus message n's jitter
//! ([`Link::delay`](super::network::Link::delay)). Materializing needs only cycles k − 1 and k,
//! where k is the last cycle whose tick ran: O(1) whatever was skipped.
//!
//! **Why every cycle is the same.** An agent parks only if: round trip ≤ 2(latency + jitter) < P
//! (each pong is back before the next tick, and FIFO never holds a cycle message back);
//! N = `max_agent_ping_timeouts` ≥ 2 (pings are heard at most P + jitter < N·P apart, so the
//! agent's own timer never fires; N = 1 is a tie at every tick); both directions up, socket
//! linked, no drop rule; observer and agent steady, nothing in flight; cycle 1 has no loss
//! (later losses are planned at parking: `Simulation::park`).
//!
//! **Same-instant order.** Events at one microsecond run in the order they were armed. A
//! re-armed tick joins the queue late, so it is recorded with the time the full run armed it
//! (one period before) and runs ahead of any event at its instant armed later (`Rearmed`);
//! a tick due at the very instant of the event that materializes runs before it iff armed
//! earlier (`State::cut`). Two observers ticking at the same instants (a registry commit can
//! admit an agent exactly at another's tick) keep an order fast-forward could not rebuild, so
//! such agents never park.
//! What remains is in `docs/fast-forward.md` ("Limits").

use std::collections::{BTreeMap, BTreeSet};

use super::{Ev, Simulation, TraceMode};
use crate::mesos::master::MasterTimer;
use crate::mesos::messages::{ObserverId, ToAgent, ToMaster};
use crate::mesos::types::AgentIx;
use crate::time::Time;

/// A parked agent: where its last simulated cycle left it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Parked {
    /// When cycle 0's ping was sent.
    cycle_start: Time,
    /// Its observer.
    observer: ObserverId,
    /// The link's message count at parking: cycle 1's ping gets this number.
    first_number: u64,
    /// When the agent's ping timer was last re-armed (its deadline minus N·P).
    heard: Time,
    /// When the park is next acted on: the tick of the cycle holding the link's next random
    /// loss (`Ev::Wake`: that cycle runs in full), or, for an isolated loss, the tick after it
    /// (`Ev::SkippedMiss`: only the miss is counted), if any.
    wake: Option<Time>,
    /// The number of the lost message whose miss `Ev::SkippedMiss` counts at `wake`.
    loss: Option<u64>,
    /// Cycle 0 lost a message and cycle 1's tick counted the miss: the observer holds one
    /// timeout until cycle 1's pong arrives.
    miss_counted: bool,
}

/// Fast-forward's bookkeeping, per agent and per ping phase.
pub(super) struct State {
    parked: Vec<Option<Parked>>,
    /// When the parked agent's observer tick was dropped (it must be re-armed).
    skipped_observer: Vec<Option<Time>>,
    /// The parked agent's lazily re-armed ping check was dropped.
    skipped_check: Vec<bool>,
    /// Per phase: how many agents last pinged at it, and the sum of their indices (so the agent
    /// itself when it is alone).
    phases: BTreeMap<Time, (u32, u64)>,
    /// When the event being processed was armed: skipped events at the same instant that were
    /// armed earlier ran before it in the full run.
    cut: Time,
    /// Per agent: when its last ping was sent, and by which observer.
    last_ping: Vec<Option<(Time, ObserverId)>>,
    /// Per agent: no other observer pinged it in the period before its last ping.
    single_observer: Vec<bool>,
    /// Per agent: the observer tick a materialization re-armed, until it runs.
    rearmed: Vec<Option<Rearmed>>,
    /// The re-armed ticks not yet run, by (time, virtual arming time, agent): the order the full
    /// run gives them among events at the same instant.
    rearmed_order: BTreeSet<(Time, Time, AgentIx)>,
}

/// An observer tick put back in the queue by a materialization. The queue places it after
/// everything already scheduled at its instant, but in the full run it was armed earlier (one
/// period before), so it runs ahead of any event at that instant armed later than that; its
/// queue entry is then dropped.
#[derive(Clone, Copy, Debug)]
struct Rearmed {
    at: Time,
    armed: Time,
    epoch: u32,
    observer: ObserverId,
    ran: bool,
}

impl State {
    /// Nothing parked among `agents` agents.
    pub(super) fn new(agents: usize) -> State {
        State {
            parked: vec![None; agents],
            skipped_observer: vec![None; agents],
            skipped_check: vec![false; agents],
            phases: BTreeMap::new(),
            cut: 0,
            last_ping: vec![None; agents],
            single_observer: vec![false; agents],
            rearmed: vec![None; agents],
            rearmed_order: BTreeSet::new(),
        }
    }
}

impl Simulation {
    /// Before a message to an agent: a parked link numbers no message outside its cycle, so the
    /// agent resumes first. A ping also records its observer's phase and whether it is the only
    /// observer pinging this agent.
    pub(super) fn before_send_to_agent(&mut self, agent: AgentIx, msg: &ToAgent) {
        self.materialize(agent);
        if let ToAgent::Ping { observer, .. } = *msg {
            let a = agent as usize;
            let p = self.scenario.master.agent_ping_timeout;
            let last = self.ff.last_ping[a].replace((self.now, observer));
            // Every live observer pings once per period, so it is the only one (an address can
            // briefly have two ids) if the previous ping was its own one period ago, or was
            // more than a period ago.
            let now = self.now;
            self.ff.single_observer[a] =
                last.is_none_or(|(t, o)| t + p < now || (t + p == now && o == observer));
            let (old, new) = (last.map(|(t, _)| t % p), self.now % p);
            if old != Some(new) {
                self.move_phase(agent, old, new);
            }
        }
    }

    /// Moves an agent's pings from phase `old` to `new` in `State::phases`. Observers ticking at
    /// the same instant run in an order fast-forward cannot rebuild once one of them is
    /// re-armed, so an agent parks only while alone in its phase, and a parked agent resumes as
    /// soon as another observer joins it.
    fn move_phase(&mut self, agent: AgentIx, old: Option<Time>, new: Time) {
        let phases = &mut self.ff.phases;
        if let Some(entry) = old.and_then(|old| phases.get_mut(&old)) {
            entry.0 -= 1;
            entry.1 -= agent as u64;
        }
        if let Some(old) = old.filter(|old| phases.get(old).is_some_and(|e| e.0 == 0)) {
            phases.remove(&old);
        }
        let entry = phases.entry(new).or_insert((0, 0));
        let alone = (entry.0 == 1).then_some(entry.1 as AgentIx);
        entry.0 += 1;
        entry.1 += agent as u64;
        if let Some(other) = alone {
            self.materialize(other);
        }
    }

    /// After a pong reached the master: park the agent if its cycle is steady.
    pub(super) fn maybe_park(&mut self, agent: AgentIx) {
        let a = agent as usize;
        if !self.fast_forward || self.ff.parked[a].is_some() || self.in_flight_count[a] != 0 {
            return;
        }
        let master_cfg = &self.scenario.master;
        let p = master_cfg.agent_ping_timeout;
        let net = &self.scenario.network;
        if master_cfg.max_agent_ping_timeouts < 2 || 2 * (net.latency + net.jitter) >= p {
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
        if !self.ff.single_observer[a] || self.ff.last_ping[a].map(|(_, o)| o) != Some(observer) {
            return;
        }
        let agent_state = &self.agents[a];
        let Some(deadline) = agent_state.ping_deadline() else {
            return;
        };
        // The agent's own ping timeout (Mesos' master branch truncates the master's to whole
        // seconds) must outlast the longest gap between two pings it hears.
        let timeout = agent_state.master_ping_timeout();
        if !agent_state.is_steady() || timeout <= p + net.latency + net.jitter {
            return;
        }
        let first_number = self.links[a].numbered();
        let next_loss = self.links[a].next_loss(&self.scenario.network);
        if next_loss < first_number + 2 {
            return; // Cycle 1 loses a message: simulate it; its pong comes back here.
        }
        let t0 = self.last_ping_sent[a];
        if self.ff.phases.get(&(t0 % p)).is_none_or(|&(n, _)| n != 1) {
            return; // Another observer ticks at the same instants.
        }
        self.ff.skipped_observer[a] = None;
        self.ff.skipped_check[a] = false;
        self.park(
            agent,
            Parked {
                cycle_start: t0,
                observer,
                first_number,
                heard: deadline - timeout,
                wake: None,
                loss: None,
                miss_counted: false,
            },
        );
    }

    /// Parks an agent (cycle 1 has no loss) and plans what ends or crosses the park: the next
    /// random loss on its link, in cycle w = (loss − first) / 2 + 1 ≥ 2. An isolated loss (the
    /// cycle after it is clean, and the agent's own timer outlasts a lost ping) is crossed in
    /// closed form: only the miss the next tick counts is run (`Ev::SkippedMiss` at t_(w+1)).
    /// Any other loss ends the park at cycle w's tick (`Ev::Wake`), so it runs in full. Either
    /// event joins the queue as armed where the full run arms that tick, one period before.
    fn park(&mut self, agent: AgentIx, mut park: Parked) {
        let a = agent as usize;
        let p = self.scenario.master.agent_ping_timeout;
        let timeout = self.agents[a].master_ping_timeout();
        let net = &self.scenario.network;
        let link = &mut self.links[a];
        let loss = link.next_loss(net);
        let first = park.first_number;
        debug_assert!(loss >= first + 2, "cycle 1 of a park has no loss");
        let w = (loss - first) / 2 + 1;
        let tick = |j: u64| {
            j.checked_mul(p)
                .and_then(|d| park.cycle_start.checked_add(d))
        };
        park.wake = None;
        park.loss = None;
        if let (Some(tw), Some(next)) = (tick(w), tick(w + 1)) {
            let isolated = link.loss_after(net) >= loss.saturating_add(3);
            // A lost ping: the agent next hears cycle w + 1's ping (number loss + 1), its timer
            // re-armed when it heard cycle w − 1's (number loss − 2), a cycle of this park.
            let lost_ping = (loss - first) % 2 == 0;
            let agent_holds = !lost_ping
                || tw - p + link.delay(loss - 2, net) + timeout > next + link.delay(loss + 1, net);
            if isolated && agent_holds {
                park.wake = Some(next);
                park.loss = Some(loss);
                let armed = tw;
                self.queue
                    .push_armed(next, armed, Ev::SkippedMiss { agent, armed });
            } else {
                park.wake = Some(tw);
                self.queue.push(tw, Ev::Wake { agent });
            }
        }
        self.ff.parked[a] = Some(park);
    }

    /// The tick after an isolated loss (`Parked::loss`), run where the full run runs it: the
    /// observer counts the miss (`Master::count_skipped_miss`), and the park goes on from the
    /// lossy cycle, now its cycle 0, whose ping or pong is gone and whose miss the tick just
    /// counted (cycle 1's pong clears it).
    pub(super) fn skipped_miss(&mut self, agent: AgentIx) {
        let a = agent as usize;
        let Some(park) = self.ff.parked[a] else {
            return;
        };
        let Some(loss) = park.loss.filter(|_| park.wake == Some(self.now)) else {
            return;
        };
        let p = self.scenario.master.agent_ping_timeout;
        let net = &self.scenario.network;
        let first = park.first_number;
        let tw = self.now - p;
        let link = &mut self.links[a];
        // The agent last heard cycle w's ping (only the pong was lost) or cycle w − 1's.
        let heard = if (loss - first) % 2 == 0 {
            tw - p + link.delay(loss - 2, net)
        } else {
            tw + link.delay(loss - 1, net)
        };
        link.skip_loss(net);
        let observer = park.observer;
        self.with_master(|m, _, out| m.count_skipped_miss(observer, out));
        self.ff.skipped_observer[a] = Some(self.now);
        self.park(
            agent,
            Parked {
                cycle_start: tw,
                observer,
                first_number: loss + 1,
                heard,
                wake: None,
                loss: None,
                miss_counted: true,
            },
        );
    }

    /// Whether a popped event is to be dropped: it belongs to a parked agent's skipped cycle, or
    /// it is the queue entry of a re-armed tick that already ran. Runs first the re-armed ticks
    /// the full run would have run before it, and notes when it was armed.
    pub(super) fn skips(&mut self, ev: &Ev) -> bool {
        self.ff.cut = match *ev {
            // Scenario faults are all armed at the start; an injected one after every event
            // at its instant has run.
            Ev::Fault(i) if (i as usize) < self.scenario.faults.len() => 0,
            Ev::Fault(_) => self.now + 1,
            Ev::ToAgent { sent, .. } | Ev::ToMaster { sent, .. } => sent,
            Ev::Master { set, .. } => set,
            // Armed at parking, before any skipped event at its instant.
            Ev::Wake { .. } => 0,
            Ev::SkippedMiss { armed, .. } => armed,
            // These never resume a parked agent at one of its cycle instants.
            Ev::Exited { .. }
            | Ev::Agent { .. }
            | Ev::MasterUp { .. }
            | Ev::SupervisorRestart { .. }
            | Ev::DetMsg { .. }
            | Ev::DetTimer(_)
            | Ev::DetRecovered { .. }
            | Ev::DetPlaneUp { .. } => self.now,
        };
        let tick = match *ev {
            Ev::Master {
                epoch,
                timer: MasterTimer::ObserverTimeout(oid),
                set: armed,
            } => self
                .master
                .as_ref()
                .and_then(|m| m.addr_of(oid.agent))
                .map(|addr| (addr, epoch, oid, armed)),
            _ => None,
        };
        if let Some((addr, epoch, oid, armed)) = tick {
            let a = addr as usize;
            if let Some(r) = self.ff.rearmed[a] {
                if (r.at, r.armed, r.epoch, r.observer) == (self.now, armed, epoch, oid) {
                    self.ff.rearmed[a] = None;
                    self.ff.rearmed_order.remove(&(r.at, r.armed, addr));
                    if r.ran {
                        return true;
                    }
                }
            }
        }
        if !self.ff.rearmed_order.is_empty() {
            self.run_rearmed_ticks_before(self.ff.cut);
        }
        match (tick, ev) {
            // A timer of a master that failed over is void (observer ids restart with a master).
            (Some((addr, epoch, oid, _)), _) if epoch == self.epoch => {
                let a = addr as usize;
                if self.ff.parked[a].is_some_and(|p| p.observer == oid) {
                    self.ff.skipped_observer[a] = Some(self.now);
                    return true;
                }
                false
            }
            (
                _,
                &Ev::Agent {
                    agent,
                    timer: crate::mesos::agent::AgentTimer::PingCheck { .. },
                },
            ) if self.ff.parked[agent as usize].is_some() => {
                self.ff.skipped_check[agent as usize] = true;
                true
            }
            _ => false,
        }
    }

    /// Runs, in their full-run order, the re-armed ticks at this instant armed before `cut`.
    fn run_rearmed_ticks_before(&mut self, cut: Time) {
        while let Some(&(at, armed, agent)) = self.ff.rearmed_order.first() {
            if at > self.now || (at == self.now && armed >= cut) {
                return;
            }
            self.ff.rearmed_order.pop_first();
            let Some(r) = self.ff.rearmed[agent as usize].as_mut() else {
                continue;
            };
            r.ran = true;
            let (epoch, observer) = (r.epoch, r.observer);
            if epoch == self.epoch && at == self.now {
                let timer = MasterTimer::ObserverTimeout(observer);
                self.with_master(|m, now, out| m.on_timer(now, timer, out));
            }
        }
    }

    /// A park's end, scheduled at the tick of the cycle holding the next random loss: resume the
    /// agent (that tick is re-armed) so that the lossy cycle runs in full. A wake left over from
    /// an earlier park does nothing.
    pub(super) fn wake(&mut self, agent: AgentIx) {
        if self.ff.parked[agent as usize].is_some_and(|p| p.wake == Some(self.now)) {
            self.materialize(agent);
        }
    }

    /// Ends fast-forward at the current time and keeps `trace` from here on: every parked agent
    /// resumes in the state the full simulation has after every event due by now (what is on the
    /// wire is put back, the observers' ticks re-armed), and every later cycle is simulated. A
    /// host catches up by fast-forward, ends it, and watches the rest message by message (the
    /// lab's catch-up after an edit). The trace hash then covers the verdict events before now
    /// and every event after: a host wanting the full run's hash re-simulates.
    ///
    /// Returns whether it was fast-forwarding; an error, changing nothing, if agents are parked
    /// and events due by now are pending (a bounded step stopped inside an instant: finish it).
    pub fn end_fast_forward(&mut self, trace: TraceMode) -> Result<bool, String> {
        if !self.fast_forward {
            return Ok(false);
        }
        // With agents parked, their skipped events at this instant interleave with the pending
        // ones; with none parked (a run just made, events at 00:00 still due), there is nothing
        // to resume.
        let parked = self.ff.parked.iter().any(Option::is_some);
        if parked && self.queue.peek_time().is_some_and(|t| t <= self.now) {
            return Err(format!(
                "events due at {} are pending: advance to that time first",
                crate::time::format_clock(self.now)
            ));
        }
        // Every event at or before `now` has run.
        self.ff.cut = Time::MAX;
        self.materialize_all();
        self.fast_forward = false;
        self.log.set_mode(trace);
        Ok(true)
    }

    /// Every parked agent resumes (before a master failover).
    pub(super) fn materialize_all(&mut self) {
        for a in 0..self.ff.parked.len() {
            self.materialize(a as AgentIx);
        }
    }

    /// Resumes a parked agent at `now`: applies the skipped cycle events that ran before the
    /// event being processed (those before `now`, and those at `now` armed before it: see
    /// `State::cut`), puts back on the wire what is in flight, and re-arms what the skipped
    /// events would have re-armed.
    #[inline]
    pub(super) fn materialize(&mut self, agent: AgentIx) {
        if self.ff.parked[agent as usize].is_some() {
            self.materialize_parked(agent);
        }
    }

    fn materialize_parked(&mut self, agent: AgentIx) {
        let a = agent as usize;
        let Some(Parked {
            cycle_start: t0,
            observer,
            first_number,
            mut heard,
            loss,
            miss_counted,
            ..
        }) = self.ff.parked[a].take()
        else {
            return;
        };
        let (now, cut) = (self.now, self.ff.cut);
        let p = self.scenario.master.agent_ping_timeout;
        let ran = |at: Time, armed: Time| at < now || (at == now && armed < cut);
        // The last cycle whose tick ran (cycle 0 completed before parking). Cycle 1's tick is
        // the real timer, dropped when it ran; each later one is armed by the one before.
        let skipped_tick = self.ff.skipped_observer[a];
        let k = match skipped_tick {
            None => 0,
            Some(dropped) => {
                let j = (now - t0) / p;
                if t0 + j * p == now && dropped != now && !ran(now, now - p) {
                    j - 1
                } else {
                    j
                }
            }
        };
        let tk = t0 + k * p;
        let mut pinged = false;
        if k > 0 {
            let net = &self.scenario.network;
            let link = &self.links[a];
            let ping = first_number + 2 * (k - 1);
            // Cycle k − 1 completed (round trip < P); cycle 0's times are already on the link.
            let mut last_to_master = 0;
            if k > 1 {
                heard = tk - p + link.delay(ping - 2, net);
                last_to_master = heard + link.delay(ping - 1, net);
            }
            let ping_arrives = tk + link.delay(ping, net);
            // Cycle k may hold the isolated loss the park was crossing (`Parked::loss`).
            let lost = loss.filter(|&l| l == ping || l == ping + 1);
            let numbered;
            let mut last_to_agent = heard;
            if lost == Some(ping) {
                // The ping was lost: nothing on the wire, the tick's ping unanswered.
                numbered = ping + 1;
                pinged = true;
                self.links[a].skip_loss(net);
            } else if lost.is_some() && ran(ping_arrives, tk) {
                // The ping was heard and the pong lost.
                heard = ping_arrives;
                last_to_agent = ping_arrives;
                numbered = ping + 2;
                pinged = true;
                self.links[a].skip_loss(net);
            } else if ran(ping_arrives, tk) {
                let pong_arrives = ping_arrives + link.delay(ping + 1, net);
                heard = ping_arrives;
                last_to_master = pong_arrives;
                numbered = ping + 2;
                last_to_agent = ping_arrives;
                pinged = !ran(pong_arrives, ping_arrives);
                if pinged {
                    self.deliver_later(
                        pong_arrives,
                        ping_arrives,
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
                // (A pong to be lost is lost when the agent sends it.)
                numbered = ping + 1;
                pinged = true;
                last_to_agent = ping_arrives;
                let incarnation = self.incarnations[a];
                self.deliver_later(
                    ping_arrives,
                    tk,
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
            self.links[a].skip_to(numbered, last_to_agent, last_to_master);
            self.last_ping_sent[a] = tk;
            self.ff.last_ping[a] = Some((tk, observer));
        }
        // Cycle 1's tick counted the miss of a lost message; its pong clears it.
        let timeouts = u32::from(miss_counted && k == 1 && pinged);
        if let Some(master) = self.master.as_mut() {
            master.resume_observer(observer, pinged, timeouts);
        }
        if skipped_tick.is_some() {
            let epoch = self.epoch;
            let timer = MasterTimer::ObserverTimeout(observer);
            let (at, armed) = (tk + p, tk);
            self.queue.push_armed(
                at,
                armed,
                Ev::Master {
                    epoch,
                    timer,
                    set: armed,
                },
            );
            self.ff.rearmed[a] = Some(Rearmed {
                at,
                armed,
                epoch,
                observer,
                ran: false,
            });
            self.ff.rearmed_order.insert((at, armed, agent));
        }
        let check_lost = self.ff.skipped_check[a];
        self.with_agent(agent, |ag, _, out| {
            ag.resync_ping_timer(heard, check_lost, out)
        });
    }

    /// Puts a skipped cycle's message back on the wire, armed when it was sent (the queue then
    /// runs it among the events at its arrival where the full run does).
    fn deliver_later(&mut self, at: Time, sent: Time, agent: AgentIx, ev: Ev) {
        self.in_flight_count[agent as usize] += 1;
        self.queue.push_armed(at, sent, ev);
    }
}
