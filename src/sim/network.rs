//! One simulated link per agent: each direction up or down, latency plus jitter, random and
//! targeted drops, FIFO delivery (a TCP connection never reorders), and the socket whose break
//! makes the master see `exited()`.
//!
//! The link's randomness is *skippable*, so fast-forward can jump over messages without drawing
//! for them (`docs/fast-forward.md`): messages that reach the random stage are numbered, message
//! `n`'s jitter is a pure function of (link seed, `n`), and instead of one Bernoulli draw per
//! message the link draws the number of its next lost message (a geometric gap: the same
//! process). Skipping `k` messages is then advancing a counter.

use crate::mesos::types::MessageKind;
use crate::rng::{splitmix64_at, uniform_from_bits, Rng};
use crate::scenario::{Direction, NetworkConfig};
use crate::time::Time;

/// The link between the master and one agent.
#[derive(Clone, Debug)]
pub struct Link {
    /// Master → agent carries messages.
    pub master_to_agent: bool,
    /// Agent → master carries messages.
    pub agent_to_master: bool,
    /// Targeted drops: (message, until).
    drops: Vec<(MessageKind, Time)>,
    /// The master holds a linked socket (a break produces `exited()`).
    pub linked: bool,
    /// The master's socket leads to an agent process that died while nothing could travel from
    /// the agent to say so: the next message over it is refused (a TCP reset), and the master
    /// sees `exited()` when the reset gets back.
    pub dead_socket: bool,
    last_to_agent: Time,
    last_to_master: Time,
    /// Messages numbered so far (the number the next one at the random stage gets).
    numbered: u64,
    /// Seed of the counter-based jitter draws.
    jitter_seed: u64,
    /// The number of the next message lost at random (`u64::MAX`: none), drawn on first use.
    next_loss: Option<u64>,
    /// The loss after it, when fast-forward has looked ahead (the same draw, taken early).
    loss_after: Option<u64>,
    /// Draws the gaps between lost messages, and nothing else.
    loss_rng: Rng,
}

impl Link {
    /// A healthy link with its own random stream.
    pub fn new(mut rng: Rng) -> Link {
        Link {
            master_to_agent: true,
            agent_to_master: true,
            drops: Vec::new(),
            linked: false,
            dead_socket: false,
            last_to_agent: 0,
            last_to_master: 0,
            numbered: 0,
            jitter_seed: rng.next_u64(),
            next_loss: None,
            loss_after: None,
            loss_rng: rng,
        }
    }

    /// Cuts the given directions.
    pub fn partition(&mut self, direction: Direction) {
        match direction {
            Direction::Both => {
                self.master_to_agent = false;
                self.agent_to_master = false;
            }
            Direction::MasterToAgent => self.master_to_agent = false,
            Direction::AgentToMaster => self.agent_to_master = false,
        }
    }

    /// Restores both directions.
    pub fn heal(&mut self) {
        self.master_to_agent = true;
        self.agent_to_master = true;
    }

    /// Drops `kind` until `until`.
    pub fn drop_messages(&mut self, kind: MessageKind, until: Time) {
        self.drops.push((kind, until));
    }

    fn targeted(&mut self, kind: MessageKind, now: Time) -> bool {
        if self.drops.is_empty() {
            return false;
        }
        self.drops.retain(|&(_, until)| until > now);
        self.drops.iter().any(|&(k, _)| k == kind)
    }

    /// Decides a message's fate at send time: `None` if it will never arrive, else its arrival.
    pub fn send(
        &mut self,
        now: Time,
        kind: MessageKind,
        to_agent: bool,
        endpoint_up: bool,
        net: &NetworkConfig,
    ) -> Option<Time> {
        let up = if to_agent {
            self.master_to_agent
        } else {
            self.agent_to_master
        };
        if !up || !endpoint_up || self.targeted(kind, now) {
            return None;
        }
        let number = self.numbered;
        self.numbered += 1;
        if number == self.next_loss(net) {
            self.next_loss = Some(self.loss_after(net));
            self.loss_after = None;
            return None;
        }
        let delay = self.delay(number, net);
        let last = if to_agent {
            &mut self.last_to_agent
        } else {
            &mut self.last_to_master
        };
        let arrival = (now + delay).max(*last);
        *last = arrival;
        Some(arrival)
    }

    /// The socket breaks: when the master will see `exited()` (after anything the agent already
    /// sent, at least one latency later), or `None` if it had no socket or, unless `forced`,
    /// nothing can travel from the agent to tell it — then the socket is left dead.
    pub fn break_socket(&mut self, now: Time, forced: bool, net: &NetworkConfig) -> Option<Time> {
        if !self.linked {
            return None;
        }
        if !(forced || self.agent_to_master) {
            self.dead_socket = true;
            return None;
        }
        self.linked = false;
        self.dead_socket = false;
        let arrival = (now + net.latency).max(self.last_to_master);
        self.last_to_master = arrival;
        Some(arrival)
    }

    /// A message from the master meets a dead socket: it is refused, and if it reaches the
    /// agent's host and the reset can travel back, the master sees `exited()` at the returned
    /// time (a round trip later) and the socket is gone.
    pub fn refuse(&mut self, now: Time, net: &NetworkConfig) -> Option<Time> {
        if !(self.master_to_agent && self.agent_to_master) {
            return None;
        }
        self.linked = false;
        self.dead_socket = false;
        let arrival = (now + 2 * net.latency).max(self.last_to_master);
        self.last_to_master = arrival;
        Some(arrival)
    }

    /// How many messages have reached the random stage: the number the next one gets.
    pub fn numbered(&self) -> u64 {
        self.numbered
    }

    /// The number of the next message that will be lost at random (`u64::MAX`: none). The first
    /// call draws it; the draw is the same whoever asks first.
    pub fn next_loss(&mut self, net: &NetworkConfig) -> u64 {
        *self
            .next_loss
            .get_or_insert_with(|| self.loss_rng.geometric(net.drop_rate))
    }

    /// The number of the random loss after the next one. Drawing it early gives the same number
    /// as drawing it when the next loss happens: the gaps have a stream of their own.
    pub fn loss_after(&mut self, net: &NetworkConfig) -> u64 {
        let next = self.next_loss(net);
        *self.loss_after.get_or_insert_with(|| {
            next.saturating_add(1)
                .saturating_add(self.loss_rng.geometric(net.drop_rate))
        })
    }

    /// Fast-forward support: the next random loss happened in a skipped cycle.
    pub fn skip_loss(&mut self, net: &NetworkConfig) {
        self.next_loss = Some(self.loss_after(net));
        self.loss_after = None;
    }

    /// The delay of message `number` if it is not lost and FIFO does not hold it back: latency
    /// plus its own jitter draw, in O(1) for any number.
    pub fn delay(&self, number: u64, net: &NetworkConfig) -> Time {
        if net.jitter == 0 {
            return net.latency;
        }
        net.latency + uniform_from_bits(splitmix64_at(self.jitter_seed, number), net.jitter)
    }

    /// Fast-forward support: the skipped cycles numbered messages up to `numbered` and scheduled
    /// these last arrivals.
    pub fn skip_to(&mut self, numbered: u64, last_to_agent: Time, last_to_master: Time) {
        debug_assert!(numbered >= self.numbered && self.next_loss.is_none_or(|n| n >= numbered));
        self.numbered = numbered;
        self.last_to_agent = self.last_to_agent.max(last_to_agent);
        self.last_to_master = self.last_to_master.max(last_to_master);
    }

    /// Drop rules still in force at `now`.
    pub fn active_drops(&self, now: Time) -> impl Iterator<Item = MessageKind> + '_ {
        self.drops
            .iter()
            .filter(move |&&(_, until)| until > now)
            .map(|&(k, _)| k)
    }
}
