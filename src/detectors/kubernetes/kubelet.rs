//! The kubelet's two loops: the lease controller (component-helpers
//! `apimachinery/lease/controller.go :: Run`, `retryUpdateLease`, `backoffEnsureLease`) and the
//! status sync (`kubelet_node_status.go :: syncNodeStatus`).

use super::{
    Kubelet, Model, Msg, Timer, FIRST_BACKOFF, JITTER_PERMILLE, MAX_BACKOFF, MAX_UPDATE_RETRIES,
};
use crate::detectors::{Endpoint, Envelope, Out, Process, Timer as AnyTimer};
use crate::mesos::types::AgentIx;
use crate::time::Time;

impl Model {
    /// The node's processes changed (faults).
    pub fn process(&mut self, now: Time, node: AgentIx, change: Process, out: &mut Out) {
        let k = &mut self.kubelets[node as usize];
        match change {
            Process::Down => {
                k.up = false;
                k.main_loop = false;
                k.generation += 1;
                k.pending = None;
            }
            Process::Up { main_loop } => {
                if k.up {
                    return;
                }
                k.up = true;
                k.main_loop = main_loop;
                k.generation += 1;
                k.tries = 0;
                k.backoff = FIRST_BACKOFF;
                let generation = k.generation;
                // `wait.JitterUntil` runs its function at once, then every period.
                out.timers.push((
                    now,
                    AnyTimer::Kubernetes(Timer::LeaseSync { node, generation }),
                ));
                out.timers.push((
                    now,
                    AnyTimer::Kubernetes(Timer::StatusSync { node, generation }),
                ));
            }
            Process::MainLoop => {
                if k.up {
                    k.main_loop = true;
                }
            }
        }
    }

    /// A jittered period: `period × (1 + U[0, 0.04])`.
    pub(super) fn jittered(k: &mut Kubelet, period: Time) -> Time {
        period + k.rng.uniform(period * JITTER_PERMILLE / 1_000)
    }

    pub(super) fn lease_sync(&mut self, now: Time, node: AgentIx, out: &mut Out) {
        let k = &mut self.kubelets[node as usize];
        let request = k.next_request;
        k.next_request = k.next_request.wrapping_add(1);
        k.pending = Some(request);
        let generation = k.generation;
        // A request over a connection that died before `reconnect_delay` passed goes nowhere.
        let usable = k
            .dead_since
            .is_none_or(|t| now >= t + self.cfg.reconnect_delay);
        if usable {
            out.sends.push(Envelope {
                from: Endpoint::Node(node),
                to: Endpoint::Plane,
                msg: crate::detectors::Msg::Kubernetes(Msg::LeaseUpdate(request)),
                round_trip: true,
            });
        }
        out.timers.push((
            now + self.cfg.request_timeout,
            AnyTimer::Kubernetes(Timer::LeaseTimeout {
                node,
                generation,
                request,
            }),
        ));
    }

    /// `retryUpdateLease` / `backoffEnsureLease`: a failed try is repeated at once up to five
    /// times, then after a sleep doubling from 200 ms to 7 s, until one succeeds.
    pub(super) fn lease_failed(&mut self, now: Time, node: AgentIx, out: &mut Out) {
        let k = &mut self.kubelets[node as usize];
        k.pending = None;
        k.dead_since.get_or_insert(now);
        k.tries += 1;
        let generation = k.generation;
        let at = if k.tries < MAX_UPDATE_RETRIES {
            now
        } else {
            let sleep = k.backoff;
            k.backoff = (k.backoff * 2).min(MAX_BACKOFF);
            now + sleep
        };
        out.timers.push((
            at,
            AnyTimer::Kubernetes(Timer::LeaseSync { node, generation }),
        ));
    }

    pub(super) fn lease_answered(&mut self, now: Time, node: AgentIx, request: u32, out: &mut Out) {
        let renew = self.cfg.renew_interval();
        let k = &mut self.kubelets[node as usize];
        if !k.up || k.pending != Some(request) {
            return;
        }
        k.pending = None;
        k.tries = 0;
        k.backoff = FIRST_BACKOFF;
        k.dead_since = None;
        let generation = k.generation;
        // Sliding: the next sync is a period after this one finished.
        let at = now + Self::jittered(k, renew);
        out.timers.push((
            at,
            AnyTimer::Kubernetes(Timer::LeaseSync { node, generation }),
        ));
    }

    pub(super) fn status_sync(&mut self, now: Time, node: AgentIx, out: &mut Out) {
        let freq = self.cfg.node_status_update_frequency;
        let k = &mut self.kubelets[node as usize];
        let generation = k.generation;
        if k.main_loop
            && k.dead_since
                .is_none_or(|t| now >= t + self.cfg.reconnect_delay)
        {
            out.sends.push(Envelope {
                from: Endpoint::Node(node),
                to: Endpoint::Plane,
                msg: crate::detectors::Msg::Kubernetes(Msg::NodeStatusUpdate),
                round_trip: true,
            });
        }
        let at = now + Self::jittered(k, freq);
        out.timers.push((
            at,
            AnyTimer::Kubernetes(Timer::StatusSync { node, generation }),
        ));
    }
}
