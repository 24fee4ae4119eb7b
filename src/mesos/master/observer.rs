//! The health check (`master.cpp :: class SlaveObserver`): a ping every `agent_ping_timeout`; a
//! ping with no pong by the next tick is a timeout; `max_agent_ping_timeouts` in a row schedule the
//! agent's transition to unreachable through the rate limiter. Any pong resets the count and
//! discards a permit still waiting.

use super::{Master, MasterOut, MasterTimer, Observer, PermitFor};
use crate::mesos::event::Event;
use crate::mesos::limiter::Ticket;
use crate::mesos::messages::{ObserverId, ToAgent};
use crate::mesos::types::{AgentIx, Cause};
use crate::time::Time;

impl Master {
    /// `SlaveObserver::ping`: send, mark pinged, arm the one outstanding timer.
    pub(super) fn ping(&mut self, now: Time, addr: AgentIx, o: &mut Observer, out: &mut MasterOut) {
        out.sends.push((
            addr,
            ToAgent::Ping {
                connected: o.connected,
                observer: o.id,
            },
        ));
        o.pinged = true;
        out.timers.push((
            now + self.cfg.agent_ping_timeout,
            MasterTimer::ObserverTimeout(o.id),
        ));
    }

    /// Takes the live observer `oid` out of its slave (put it back with [`Self::put_observer`]).
    fn take_observer(&mut self, oid: ObserverId) -> Option<(AgentIx, Observer)> {
        let slot = self.slots.get_mut(oid.agent.0 as usize)?;
        let slave = slot.registered.as_mut()?;
        if slave.observer.id != oid {
            return None; // A terminated observer: its timers and pongs go nowhere.
        }
        let placeholder = Observer {
            id: oid,
            timeouts: 0,
            pinged: false,
            connected: false,
            marking: None,
        };
        Some((
            slot.addr,
            std::mem::replace(&mut slave.observer, placeholder),
        ))
    }

    fn put_observer(&mut self, o: Observer) {
        if let Some(slave) = self.slots[o.id.agent.0 as usize].registered.as_mut() {
            slave.observer = o;
        }
    }

    /// `SlaveObserver::timeout`: count a miss if the last ping is unanswered, then ping again.
    pub(super) fn observer_timeout(&mut self, now: Time, oid: ObserverId, out: &mut MasterOut) {
        let Some((addr, mut o)) = self.take_observer(oid) else {
            return;
        };
        if o.pinged {
            o.timeouts += 1;
            out.events.push(Event::PingTimeout {
                agent: addr,
                consecutive: o.timeouts,
            });
            if o.timeouts >= self.cfg.max_agent_ping_timeouts {
                self.observer_mark_unreachable(now, addr, &mut o, out);
            }
        }
        self.ping(now, addr, &mut o, out);
        self.put_observer(o);
    }

    /// The miss-counting half of `SlaveObserver::timeout`, for a tick fast-forward skips after
    /// an isolated loss: the last ping went unanswered while the one before was answered (its
    /// pong, also skipped, reset the count), so this is the first timeout in a row, and it is
    /// traced. The ping this tick sends and the timer it arms are fast-forward's to account
    /// for. A tick that could mark the agent (`max_agent_ping_timeouts` = 1) runs in full.
    pub fn count_skipped_miss(&mut self, oid: ObserverId, out: &mut MasterOut) {
        let Some((addr, mut o)) = self.take_observer(oid) else {
            return;
        };
        debug_assert!(self.cfg.max_agent_ping_timeouts > 1);
        o.timeouts = 1;
        out.events.push(Event::PingTimeout {
            agent: addr,
            consecutive: o.timeouts,
        });
        self.put_observer(o);
    }

    /// `SlaveObserver::markUnreachable`: at most one permit request outstanding.
    fn observer_mark_unreachable(
        &mut self,
        now: Time,
        addr: AgentIx,
        o: &mut Observer,
        out: &mut MasterOut,
    ) {
        if o.marking.is_some() {
            return;
        }
        o.marking = Some(self.acquire(now, PermitFor::Observer(o.id), out));
        self.metrics.slave_unreachable_scheduled += 1;
        out.events.push(Event::UnreachableScheduled {
            agent: addr,
            cause: Cause::HealthCheck,
        });
    }

    /// A pong reached the observer: reset, and call off a transition still waiting for its
    /// permit (a permit already granted is not called off).
    pub(super) fn pong(&mut self, oid: ObserverId, out: &mut MasterOut) {
        let Some((addr, mut o)) = self.take_observer(oid) else {
            return;
        };
        o.timeouts = 0;
        o.pinged = false;
        if let Some(ticket) = o.marking {
            if self.limiter.discard(ticket) {
                self.permits.remove(&ticket);
                o.marking = None;
                self.metrics.slave_unreachable_canceled += 1;
                out.events.push(Event::UnreachableCanceled {
                    agent: addr,
                    cause: Cause::HealthCheck,
                });
            }
        }
        self.put_observer(o);
    }

    /// `SlaveObserver::_markUnreachable` with the permit granted.
    pub(super) fn observer_permit(
        &mut self,
        now: Time,
        oid: ObserverId,
        ticket: Ticket,
        out: &mut MasterOut,
    ) {
        let Some((_, mut o)) = self.take_observer(oid) else {
            return;
        };
        if o.marking == Some(ticket) {
            o.marking = None;
            self.metrics.slave_unreachable_completed += 1;
            self.put_observer(o);
            self.mark_unreachable(now, oid.agent, Cause::HealthCheck, out);
        } else {
            self.put_observer(o);
        }
    }
}
