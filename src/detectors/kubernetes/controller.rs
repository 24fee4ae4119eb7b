//! The node lifecycle controller (`node_lifecycle_controller.go :: monitorNodeHealth`,
//! `processTaintBaseEviction`, `doNoExecuteTaintingPass`, `handleDisruption`,
//! `ComputeZoneState`, `setLimiterInZone`) and the taint eviction controller
//! (`taint_eviction.go :: processPodOnNode`).

use super::{Model, Ready, Timer, ZoneState, PASS_DURATION, TAINT_PASS};
use crate::detectors::{status_event, task_statuses};
use crate::detectors::{Out, Timer as AnyTimer};
use crate::mesos::event::Event;
use crate::mesos::types::{AgentId, AgentIx, Cause, MasterView, TaskReason, TaskState};
use crate::time::{Time, SECS};

impl Model {
    pub(super) fn controller_started(&mut self, now: Time, out: &mut Out) {
        self.controller_up = true;
        self.controller_generation += 1;
        self.taint_pass_at = None;
        // A new leader's `nodeHealthMap` is empty: "Assuming now as a timestamp".
        for rec in &mut self.nodes {
            rec.probe = None;
            rec.saved_renew = None;
            rec.saved_heartbeat = None;
            rec.queued = false;
        }
        for z in &mut self.zones {
            z.queue.clear();
        }
        // A new taint eviction controller schedules each tainted node's pods a toleration from
        // when it processes them (`processPodOnNode`), not from the taint's `TimeAdded`.
        let toleration = self.cfg.default_toleration_seconds as Time * SECS;
        for (ix, rec) in self.nodes.iter().enumerate() {
            if let (Some((taint, _)), false) = (rec.taint, rec.pods_deleted) {
                out.timers.push((
                    now + toleration,
                    AnyTimer::Kubernetes(Timer::EvictPods {
                        node: ix as AgentIx,
                        taint,
                    }),
                ));
            }
        }
        let generation = self.controller_generation;
        out.timers.push((
            now + self.cfg.node_monitor_period,
            AnyTimer::Kubernetes(Timer::MonitorPass { generation }),
        ));
    }

    /// The controller manager loses its leader (a `fail_over_master` fault).
    pub fn control_plane_down(&mut self) {
        self.controller_up = false;
        self.controller_generation += 1;
    }

    /// A new controller manager leader starts.
    pub fn control_plane_up(&mut self, now: Time, out: &mut Out) {
        if !self.controller_up {
            self.controller_started(now, out);
        }
    }

    /// `monitorNodeHealth`: per node, note progress (a newer lease or status heartbeat), flip
    /// Ready to Unknown once `probe + grace` has passed, then act on the condition observed
    /// *before* that update (so a node is queued for tainting one pass after it flips).
    pub(super) fn monitor_pass(&mut self, now: Time, out: &mut Out) {
        for ix in 0..self.nodes.len() {
            let node = ix as AgentIx;
            let rec = &mut self.nodes[ix];
            if rec.ready == Ready::Unset {
                continue; // No Node object yet.
            }
            let observed = rec.ready;
            if rec.probe.is_none()
                || rec.renew_time > rec.saved_renew
                || rec.status_heartbeat > rec.saved_heartbeat
            {
                rec.probe = Some(now);
                rec.saved_renew = rec.renew_time;
                rec.saved_heartbeat = rec.status_heartbeat;
            }
            let grace = self.cfg.node_monitor_grace_period;
            if rec.ready == Ready::True && rec.probe.is_some_and(|p| now > p + grace) {
                rec.ready = Ready::Unknown;
                out.events
                    .push(status_event(node, "Unknown", MasterView::Unreachable));
                out.events.push(Event::AgentMarkedUnreachable {
                    agent: node,
                    id: AgentId(node),
                    cause: Cause::LeaseExpired,
                });
            }
            match observed {
                Ready::Unknown if rec.taint.is_none() && !rec.queued => {
                    rec.queued = true;
                    self.zones[rec.zone].queue.push_back(node);
                }
                Ready::True if rec.taint.is_some() || rec.queued => {
                    self.mark_reachable(node, out);
                }
                _ => {}
            }
        }
        self.handle_disruption(now, out);
        let generation = self.controller_generation;
        // `wait.UntilWithContext` is sliding: the next pass starts a period after this one
        // *finishes*, so passes drift later and the strict `now > probe + grace` holds at the
        // tenth pass after the probe, not the eleventh.
        out.timers.push((
            now + PASS_DURATION + self.cfg.node_monitor_period,
            AnyTimer::Kubernetes(Timer::MonitorPass { generation }),
        ));
        self.schedule_taint_pass(now, out);
    }

    /// `markNodeAsReachable`: the taint goes, queued tainting and scheduled deletions are off.
    pub(super) fn mark_reachable(&mut self, node: AgentIx, out: &mut Out) {
        let rec = &mut self.nodes[node as usize];
        if rec.queued {
            rec.queued = false;
            self.zones[rec.zone].queue.retain(|&n| n != node);
        }
        if rec.taint.take().is_some() {
            out.events
                .push(status_event(node, "Ready", MasterView::Connected));
        }
    }

    /// `handleDisruption`: zone states set each zone's tainting rate; when every zone is fully
    /// disrupted nothing is evicted and every taint is lifted, and on the way out every probe
    /// restarts from now.
    pub(super) fn handle_disruption(&mut self, now: Time, out: &mut Out) {
        let states: Vec<(ZoneState, u64)> =
            (0..self.zones.len()).map(|z| self.zone_state(z)).collect();
        let all_full =
            !states.is_empty() && states.iter().all(|&(s, _)| s == ZoneState::FullDisruption);
        if all_full && !self.master_disruption {
            self.master_disruption = true;
            for ix in 0..self.nodes.len() {
                self.mark_reachable(ix as AgentIx, out);
            }
        } else if !all_full && self.master_disruption {
            self.master_disruption = false;
            for rec in &mut self.nodes {
                rec.probe = Some(now);
            }
        }
        for (z, (state, size)) in states.into_iter().enumerate() {
            self.set_limiter(z, state, size, now);
        }
    }

    /// (`ComputeZoneState`, zone size).
    pub(super) fn zone_state(&self, zone: usize) -> (ZoneState, u64) {
        let (mut ready, mut not_ready) = (0u64, 0u64);
        for rec in self.nodes.iter().filter(|r| r.zone == zone) {
            match rec.ready {
                Ready::True => ready += 1,
                Ready::Unknown => not_ready += 1,
                Ready::Unset => {}
            }
        }
        let state = if ready == 0 && not_ready > 0 {
            ZoneState::FullDisruption
        } else if not_ready > 2
            && not_ready as f64 / (not_ready + ready) as f64 >= self.cfg.unhealthy_zone_threshold
        {
            ZoneState::PartialDisruption
        } else {
            ZoneState::Normal
        };
        (state, ready + not_ready)
    }

    /// `setLimiterInZone` with `SwapLimiter`: a drained bucket stays drained.
    pub(super) fn set_limiter(&mut self, zone: usize, state: ZoneState, size: u64, now: Time) {
        let rate = if self.master_disruption {
            0.0
        } else {
            match state {
                ZoneState::Normal | ZoneState::FullDisruption => self.cfg.node_eviction_rate,
                ZoneState::PartialDisruption if size > self.cfg.large_cluster_size_threshold => {
                    self.cfg.secondary_node_eviction_rate
                }
                ZoneState::PartialDisruption => 0.0,
            }
        };
        let interval = (rate > 0.0).then(|| ((SECS as f64) / rate).round() as Time);
        let z = &mut self.zones[zone];
        let had_token = z.interval.is_some() && now >= z.token_at;
        z.state = state;
        if z.interval == interval {
            return;
        }
        z.interval = interval;
        z.token_at = match interval {
            Some(i) if !had_token => now + i,
            _ => now,
        };
    }

    pub(super) fn schedule_taint_pass(&mut self, now: Time, out: &mut Out) {
        if self.taint_pass_at.is_some() || self.zones.iter().all(|z| z.queue.is_empty()) {
            return;
        }
        // Passes run on a 100 ms grid; only those that can find work are simulated.
        let at = (now / TAINT_PASS + 1) * TAINT_PASS;
        self.taint_pass_at = Some(at);
        let generation = self.controller_generation;
        out.timers
            .push((at, AnyTimer::Kubernetes(Timer::TaintPass { generation })));
    }

    /// `doNoExecuteTaintingPass` → `RateLimitedTimedQueue::Try`: per zone, while the token
    /// bucket accepts, the head of the queue is tainted (or dropped if Ready again).
    pub(super) fn taint_pass(&mut self, now: Time, out: &mut Out) {
        self.taint_pass_at = None;
        let toleration = self.cfg.default_toleration_seconds as Time * SECS;
        for z in 0..self.zones.len() {
            loop {
                let zone = &mut self.zones[z];
                let Some(&node) = zone.queue.front() else {
                    break;
                };
                match zone.interval {
                    Some(i) if now >= zone.token_at => zone.token_at = now + i,
                    _ => break,
                }
                zone.queue.pop_front();
                let rec = &mut self.nodes[node as usize];
                rec.queued = false;
                if rec.ready != Ready::Unknown {
                    continue;
                }
                let taint = self.next_taint;
                self.next_taint += 1;
                rec.taint = Some((taint, now));
                out.events.push(status_event(
                    node,
                    "Unknown, tainted unreachable:NoExecute",
                    MasterView::Unreachable,
                ));
                if !rec.pods_deleted {
                    out.timers.push((
                        now + toleration,
                        AnyTimer::Kubernetes(Timer::EvictPods { node, taint }),
                    ));
                }
            }
        }
        if self.zones.iter().any(|z| !z.queue.is_empty()) {
            self.schedule_taint_pass(now, out);
        }
    }

    /// The taint eviction controller: the pods' toleration ran out while the taint stayed on.
    pub(super) fn evict_pods(&mut self, node: AgentIx, taint: u32, out: &mut Out) {
        let rec = &mut self.nodes[node as usize];
        if rec.taint.map(|(t, _)| t) != Some(taint) || rec.pods_deleted {
            return;
        }
        rec.pods_deleted = true;
        task_statuses(
            &mut out.events,
            node,
            &rec.pods,
            TaskState::Killed,
            Some(TaskReason::TaintEviction),
        );
    }
}
