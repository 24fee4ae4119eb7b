//! A small deterministic driver for the models' unit tests: fixed latency, per-node link
//! directions, no loss. (The simulator proper drives them in scenarios.)

use super::{Endpoint, Envelope, Model, Out, Process, Timer};
use crate::mesos::event::Event;
use crate::mesos::types::AgentIx;
use crate::sim::queue::Queue;
use crate::time::Time;

enum Input {
    Timer(Timer),
    Deliver(Envelope),
}

/// Drives a model over links with a fixed latency.
pub(crate) struct Driver {
    pub(crate) model: Model,
    queue: Queue<Input>,
    pub(crate) now: Time,
    latency: Time,
    /// Per node: (master→node up, node→master up).
    links: Vec<(bool, bool)>,
    /// Every event with its time.
    pub(crate) events: Vec<(Time, Event)>,
    out: Out,
}

impl Driver {
    /// Starts `model` (built with `out`) and every node's process at t=0.
    pub(crate) fn new(model: Model, out: Out, nodes: usize, latency: Time) -> Driver {
        let mut d = Driver {
            model,
            queue: Queue::default(),
            now: 0,
            latency,
            links: vec![(true, true); nodes],
            events: Vec::new(),
            out: Out::default(),
        };
        d.flush(out);
        for n in 0..nodes as AgentIx {
            d.process(n, Process::Up { main_loop: true });
        }
        d
    }

    fn flush(&mut self, mut out: Out) {
        for e in out.events.drain(..) {
            self.events.push((self.now, e));
        }
        for env in out.sends.drain(..) {
            if self.passes(&env) {
                self.queue
                    .push(self.now + self.latency, Input::Deliver(env));
            }
        }
        for (t, timer) in out.timers.drain(..) {
            self.queue.push(t, Input::Timer(timer));
        }
        self.out = out;
    }

    fn one_way(&self, from: Endpoint, to: Endpoint) -> bool {
        let up = |e: Endpoint, out: bool| match e {
            Endpoint::Plane => true,
            Endpoint::Node(n) => {
                let (m2a, a2m) = self.links[n as usize];
                if out {
                    a2m
                } else {
                    m2a
                }
            }
        };
        up(from, true) && up(to, false)
    }

    fn passes(&self, env: &Envelope) -> bool {
        self.one_way(env.from, env.to) && (!env.round_trip || self.one_way(env.to, env.from))
    }

    /// A node's processes change now.
    pub(crate) fn process(&mut self, node: AgentIx, change: Process) {
        let mut out = std::mem::take(&mut self.out);
        self.model.process(self.now, node, change, &mut out);
        self.flush(out);
    }

    /// Cuts or restores a node's link.
    pub(crate) fn link(&mut self, node: AgentIx, m2a: bool, a2m: bool) {
        self.links[node as usize] = (m2a, a2m);
    }

    /// The control plane goes down, or comes back.
    pub(crate) fn plane(&mut self, up: bool) {
        let mut out = std::mem::take(&mut self.out);
        if up {
            self.model.control_plane_up(self.now, &mut out);
        } else {
            self.model.control_plane_down();
        }
        self.flush(out);
    }

    /// Runs everything up to `t`.
    pub(crate) fn run_to(&mut self, t: Time) {
        while let Some((at, input)) = self.queue.pop_until(t) {
            self.now = at;
            let mut out = std::mem::take(&mut self.out);
            match input {
                Input::Timer(timer) => self.model.on_timer(at, timer, &mut out),
                Input::Deliver(env) => self.model.on_message(at, &env, &mut out),
            }
            self.flush(out);
        }
        self.now = t;
    }

    /// Times of events matching `f`.
    pub(crate) fn times(&self, f: impl Fn(&Event) -> bool) -> Vec<Time> {
        self.events
            .iter()
            .filter(|(_, e)| f(e))
            .map(|(t, _)| *t)
            .collect()
    }
}
