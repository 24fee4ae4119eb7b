//! memberlist's probe round (`state.go :: probe`, `probeNode`): a direct ping, then ping-req
//! through helpers and a TCP ping, and Lifeguard's awareness score.

use super::{Model, Msg, Probe, State, Timer};
use crate::detectors::{Out, Timer as AnyTimer};
use crate::mesos::types::AgentIx;
use crate::time::Time;

impl Model {
    /// The next member to probe: round-robin over a shuffled list, skipping dead ones and
    /// itself (`probe`).
    pub(super) fn next_target(&mut self, me: AgentIx) -> Option<AgentIx> {
        let n = self.n();
        let m = &mut self.members[me as usize];
        for _ in 0..=n {
            if m.next >= m.order.len() {
                m.order = (0..n as AgentIx).filter(|&j| j != me).collect();
                for i in (1..m.order.len()).rev() {
                    let j = m.rng.uniform(i as Time) as usize;
                    m.order.swap(i, j);
                }
                m.next = 0;
                if m.order.is_empty() {
                    return None;
                }
            }
            let t = m.order[m.next];
            m.next += 1;
            if m.view[t as usize].state != State::Dead {
                return Some(t);
            }
        }
        None
    }

    pub(super) fn probe_tick(&mut self, now: Time, me: AgentIx, out: &mut Out) {
        let generation = self.members[me as usize].generation;
        // The ticker keeps its period; a probe still running swallows the tick.
        out.timers.push((
            now + self.cfg.probe_interval,
            AnyTimer::Memberlist(Timer::ProbeTick {
                member: me,
                generation,
            }),
        ));
        if self.members[me as usize].probe.is_some() {
            return;
        }
        let Some(target) = self.next_target(me) else {
            return;
        };
        let scaled = self.cfg.probe_interval * (self.members[me as usize].awareness as Time + 1);
        let m = &mut self.members[me as usize];
        m.seq = m.seq.wrapping_add(1);
        let seq = m.seq;
        m.probe = Some(Probe {
            seq,
            target,
            expected_nacks: 0,
            nacks: 0,
        });
        Self::send(out, me, target, Msg::Ping { seq, reply_to: me }, false);
        out.timers.push((
            now + self.cfg.probe_timeout,
            AnyTimer::Memberlist(Timer::ProbeTimeout {
                member: me,
                generation,
                seq,
            }),
        ));
        out.timers.push((
            now + scaled,
            AnyTimer::Memberlist(Timer::ProbeDeadline {
                member: me,
                generation,
                seq,
            }),
        ));
    }

    /// No ack within `ProbeTimeout`: ping-req through up to `IndirectChecks` alive members,
    /// and a TCP ping in parallel.
    pub(super) fn go_indirect(&mut self, me: AgentIx, seq: u32, out: &mut Out) {
        let n = self.n();
        let k = self.cfg.indirect_checks as usize;
        let tcp = !self.cfg.disable_tcp_pings;
        let m = &mut self.members[me as usize];
        let Some(p) = m.probe.as_mut().filter(|p| p.seq == seq) else {
            return;
        };
        let target = p.target;
        let mut helpers: Vec<AgentIx> = (0..n as AgentIx)
            .filter(|&j| j != me && j != target && m.view[j as usize].state == State::Alive)
            .collect();
        for i in (1..helpers.len()).rev() {
            let j = m.rng.uniform(i as Time) as usize;
            helpers.swap(i, j);
        }
        helpers.truncate(k);
        p.expected_nacks = helpers.len() as u32;
        for h in helpers {
            Self::send(out, me, h, Msg::PingReq { seq, target }, false);
        }
        if tcp {
            Self::send(out, me, target, Msg::Ping { seq, reply_to: me }, true);
        }
    }

    /// The probe's deadline: no ack at all means the target is suspected; awareness rises by
    /// the nacks that did not come (Lifeguard).
    pub(super) fn probe_deadline(&mut self, now: Time, me: AgentIx, seq: u32, out: &mut Out) {
        let max_score = self.cfg.awareness_max_multiplier.saturating_sub(1);
        let m = &mut self.members[me as usize];
        let Some(p) = m.probe.take_if(|p| p.seq == seq) else {
            return;
        };
        let delta = if p.expected_nacks > 0 {
            p.expected_nacks - p.nacks.min(p.expected_nacks)
        } else {
            1
        };
        m.awareness = (m.awareness + delta).min(max_score);
        let inc = m.view[p.target as usize].incarnation;
        self.suspect(now, me, p.target, inc, me, out);
    }

    /// An ack for the probe in progress ends it at once (`probeNode` returns), and the
    /// member's awareness improves.
    pub(super) fn acked(&mut self, me: AgentIx, seq: u32) {
        let m = &mut self.members[me as usize];
        if m.probe.take_if(|p| p.seq == seq).is_some() {
            m.awareness = m.awareness.saturating_sub(1);
        }
    }
}
