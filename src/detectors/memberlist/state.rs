//! memberlist's state changes (`state.go :: suspectNode`, `refute`, `deadNode`, `aliveNode`,
//! `mergeState`), push/pull and Serf's reconnect, and the master's passive observer view.

use crate::detectors::status_event;
use std::collections::BTreeSet;

use super::{remaining, Model, Msg, State, Suspicion, Timer};
use crate::detectors::{Out, Timer as AnyTimer};
use crate::mesos::event::Event;
use crate::mesos::types::{AgentId, AgentIx, Cause, MasterView};
use crate::time::Time;

impl Model {
    /// `suspectNode` at member `me`.
    pub(super) fn suspect(
        &mut self,
        now: Time,
        me: AgentIx,
        node: AgentIx,
        inc: u32,
        from: AgentIx,
        out: &mut Out,
    ) {
        let n = self.n();
        let min = self.suspicion_min();
        let max_mult = self.cfg.suspicion_max_timeout_mult as Time;
        let mult = self.cfg.suspicion_mult;
        if node == me {
            self.refute(now, me, inc, out);
            return;
        }
        let generation = self.members[me as usize].generation;
        let m = &mut self.members[me as usize];
        let known = &mut m.view[node as usize];
        if inc < known.incarnation {
            return;
        }
        if let Some(s) = known.suspicion.as_mut() {
            // `Confirm`: a new accuser shortens the timer.
            if from != s.accuser
                && s.confirmations.len() < s.k as usize
                && s.confirmations.insert(from)
            {
                let timeout = remaining(s.confirmations.len() as u32, s.k, s.min, s.max);
                let token = s.token;
                out.timers.push((
                    (s.start + timeout).max(now),
                    AnyTimer::Memberlist(Timer::Suspicion {
                        member: me,
                        generation,
                        node,
                        token,
                    }),
                ));
            }
            return;
        }
        if known.state != State::Alive {
            return;
        }
        known.state = State::Suspect;
        known.incarnation = inc;
        let mut k = mult.saturating_sub(2);
        if (n as u32).saturating_sub(2) < k {
            k = 0;
        }
        let max = max_mult * min;
        m.next_token = m.next_token.wrapping_add(1);
        let token = m.next_token;
        known.suspicion = Some(Suspicion {
            token,
            start: now,
            k,
            min,
            max,
            accuser: from,
            confirmations: BTreeSet::new(),
        });
        let first = if k < 1 { min } else { max };
        out.timers.push((
            now + first,
            AnyTimer::Memberlist(Timer::Suspicion {
                member: me,
                generation,
                node,
                token,
            }),
        ));
        if from == me {
            self.broadcast(now, me, node, State::Suspect, inc, out);
        }
    }

    /// `refute`: a member accused at `accused` answers with a higher incarnation.
    pub(super) fn refute(&mut self, now: Time, me: AgentIx, accused: u32, out: &mut Out) {
        let max_score = self.cfg.awareness_max_multiplier.saturating_sub(1);
        let m = &mut self.members[me as usize];
        let mut inc = m.incarnation + 1;
        if accused >= inc {
            inc = accused + 1;
        }
        m.incarnation = inc;
        m.view[me as usize].incarnation = inc;
        m.awareness = (m.awareness + 1).min(max_score);
        self.broadcast(now, me, me, State::Alive, inc, out);
    }

    /// `deadNode` at member `me`.
    pub(super) fn dead(&mut self, now: Time, me: AgentIx, node: AgentIx, inc: u32, out: &mut Out) {
        if node == me {
            self.refute(now, me, inc, out);
            return;
        }
        let known = &mut self.members[me as usize].view[node as usize];
        if inc < known.incarnation || known.state == State::Dead {
            return;
        }
        known.state = State::Dead;
        known.incarnation = inc;
        known.suspicion = None;
    }

    /// `aliveNode` at member `me`.
    pub(super) fn alive(&mut self, me: AgentIx, node: AgentIx, inc: u32) {
        if node == me {
            return;
        }
        let known = &mut self.members[me as usize].view[node as usize];
        if inc <= known.incarnation {
            return;
        }
        known.state = State::Alive;
        known.incarnation = inc;
        known.suspicion = None;
    }

    /// The suspicion timer of `me` about `node` fired.
    pub(super) fn suspicion_fired(
        &mut self,
        now: Time,
        me: AgentIx,
        node: AgentIx,
        token: u32,
        out: &mut Out,
    ) {
        let known = &self.members[me as usize].view[node as usize];
        let due = match &known.suspicion {
            Some(s) if s.token == token && known.state == State::Suspect => {
                let timeout = remaining(s.confirmations.len() as u32, s.k, s.min, s.max);
                now >= s.start + timeout
            }
            _ => false,
        };
        if !due {
            return;
        }
        let inc = known.incarnation;
        self.dead(now, me, node, inc, out);
        self.broadcast(now, me, node, State::Dead, inc, out);
    }

    /// The master's passive view: every broadcast applied as sent, by the same rules.
    pub(super) fn observe(
        &mut self,
        _now: Time,
        node: AgentIx,
        state: State,
        inc: u32,
        out: &mut Out,
    ) {
        let known = &mut self.observer[node as usize];
        let before = known.state;
        let apply = match state {
            State::Alive => {
                inc > known.incarnation || (inc == known.incarnation && before == State::Alive)
            }
            State::Suspect => inc >= known.incarnation && before == State::Alive,
            State::Dead => inc >= known.incarnation && before != State::Dead,
        };
        if !apply {
            return;
        }
        known.state = state;
        known.incarnation = inc;
        if before == state {
            return;
        }
        let (status, view) = match state {
            State::Alive => ("alive", MasterView::Connected),
            State::Suspect => ("suspect", MasterView::Disconnected),
            State::Dead => ("dead", MasterView::Unreachable),
        };
        out.events.push(status_event(node, status, view));
        if state == State::Dead && !self.declared_dead[node as usize] {
            self.declared_dead[node as usize] = true;
            out.events.push(Event::AgentMarkedUnreachable {
                agent: node,
                id: AgentId(node),
                cause: Cause::SuspicionTimeout,
            });
        }
        if state == State::Alive {
            self.declared_dead[node as usize] = false;
        }
    }

    /// `pushPull`: a full state exchange with a random member it believes alive.
    pub(super) fn push_pull(&mut self, me: AgentIx, out: &mut Out) {
        self.push_pull_with(me, State::Alive, out);
    }

    /// A push/pull with a random member in `state` (Serf's reconnect picks a failed one).
    pub(super) fn push_pull_with(&mut self, me: AgentIx, state: State, out: &mut Out) {
        let n = self.n();
        let m = &mut self.members[me as usize];
        let peers: Vec<AgentIx> = (0..n as AgentIx)
            .filter(|&j| j != me && m.view[j as usize].state == state)
            .collect();
        if peers.is_empty() {
            return;
        }
        let peer = peers[m.rng.uniform(peers.len() as Time - 1) as usize];
        let states = m.view.iter().map(|k| (k.state, k.incarnation)).collect();
        Self::send(
            out,
            me,
            peer,
            Msg::PushPull {
                states,
                reply: false,
            },
            true,
        );
    }

    /// Serf's `reconnect`: with probability failed / alive, rejoin a random failed member.
    pub(super) fn reconnect(&mut self, me: AgentIx, out: &mut Out) {
        let m = &mut self.members[me as usize];
        let count = |s: State| m.view.iter().filter(|k| k.state == s).count() as f64;
        let (failed, alive) = (count(State::Dead), count(State::Alive));
        if failed > 0.0 && m.rng.unit_f64() < failed / alive.max(1.0) {
            self.push_pull_with(me, State::Dead, out);
        }
    }

    /// `mergeState`: alive → `aliveNode`; suspect and *dead* → `suspectNode` ("we prefer to
    /// suspect that node instead of declaring it dead instantly").
    pub(super) fn merge(
        &mut self,
        now: Time,
        me: AgentIx,
        from: AgentIx,
        states: &[(State, u32)],
        out: &mut Out,
    ) {
        for (j, &(state, inc)) in states.iter().enumerate() {
            let node = j as AgentIx;
            match state {
                State::Alive => self.alive(me, node, inc),
                State::Suspect | State::Dead => self.suspect(now, me, node, inc, from, out),
            }
        }
    }
}
