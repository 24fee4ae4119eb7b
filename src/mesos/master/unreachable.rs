//! Disconnection and the paths to unreachable: `Master::exited` and the re-registration timer
//! (the MESOS-6286 change: `Master::agentReregisterTimeout`), `Master::markUnreachable` with its
//! guards and task consequences, the post-failover `Master::recoveredSlavesTimeout` and registry
//! GC (`Master::doRegistryGc`).

use super::{Master, MasterOut, MasterTimer, PermitFor, RegistryOp, Then};
use crate::mesos::event::{AgentDisconnected, Event, MasterAbort};
use crate::mesos::types::{AgentId, AgentIx, Cause, MesosVersion, TaskReason, TaskState};
use crate::time::Time;

impl Master {
    /// `Master::exited`: the socket to a registered agent broke. A connected agent is
    /// disconnected (non-checkpointing frameworks' tasks are lost) and, under MESOS-6286, its
    /// re-registration timer is armed. A duplicate notification is ignored.
    pub fn on_exited(&mut self, now: Time, addr: AgentIx, out: &mut MasterOut) {
        let Some(id) = self.by_addr[addr as usize] else {
            return; // Not registered (recovered, unreachable, unknown): ignored.
        };
        let deadline = now + self.cfg.agent_reregister_timeout;
        let timer = self.cfg.reregister_timer;
        let token = self.token();
        let Some(slave) = self.slots[id.0 as usize].registered.as_mut() else {
            return;
        };
        if !slave.connected {
            return; // MESOS-675: duplicate exited(); no second timer.
        }
        slave.connected = false;
        slave.observer.connected = false;
        if timer {
            slave.reregistration_timer = Some((token, deadline));
        }
        let tasks = std::mem::take(&mut slave.tasks);
        out.events
            .push(Event::AgentDisconnected(Box::new(AgentDisconnected {
                agent: addr,
                reregister_deadline: timer.then_some(deadline),
            })));
        let mut kept = Vec::with_capacity(tasks.len());
        for task in tasks {
            if self.framework_of(task).checkpoint {
                kept.push(task);
            } else {
                self.task_update(
                    addr,
                    task,
                    TaskState::Lost,
                    TaskReason::SlaveDisconnected,
                    None,
                    out,
                );
            }
        }
        if let Some(slave) = self.slots[id.0 as usize].registered.as_mut() {
            slave.tasks = kept;
        }
        if timer {
            out.timers
                .push((deadline, MasterTimer::ReregisterTimeout { id, token }));
        }
    }

    /// `Master::agentReregisterTimeout`: still disconnected, so ask for a permit (never
    /// discarded; the state is checked again when it arrives).
    pub(super) fn agent_reregister_timeout(
        &mut self,
        now: Time,
        id: AgentId,
        token: u32,
        out: &mut MasterOut,
    ) {
        let Some(slave) = self
            .slots
            .get_mut(id.0 as usize)
            .and_then(|s| s.registered.as_mut())
        else {
            return;
        };
        if slave.connected || slave.reregistration_timer.map(|(t, _)| t) != Some(token) {
            return; // Cancelled: it re-registered, or this is an older timer.
        }
        slave.reregistration_timer = None;
        let addr = self.slots[id.0 as usize].addr;
        self.acquire(now, PermitFor::ReregisterTimeout(id), out);
        self.metrics.slave_unreachable_scheduled += 1;
        out.events.push(Event::UnreachableScheduled {
            agent: addr,
            cause: Cause::ReregisterTimeout,
        });
    }

    /// `Master::_agentReregisterTimeout`: the permit arrived.
    pub(super) fn reregister_timeout_permit(
        &mut self,
        now: Time,
        id: AgentId,
        out: &mut MasterOut,
    ) {
        let Some(slot) = self.slot(id) else { return };
        let addr = slot.addr;
        match &slot.registered {
            Some(slave) if !slave.connected => {
                self.metrics.slave_unreachable_completed += 1;
                self.mark_unreachable(now, id, Cause::ReregisterTimeout, out);
            }
            _ => {
                // It came back (or is gone) while the permit was pending; the permit is wasted
                // (MESOS-8386).
                self.metrics.slave_unreachable_canceled += 1;
                out.events.push(Event::UnreachableCanceled {
                    agent: addr,
                    cause: Cause::ReregisterTimeout,
                });
            }
        }
    }

    /// `Master::markUnreachable`, with its guards: not registered, already being marked, or
    /// being removed all make it a no-op; from 1.6 on (74b2a0b71) so does re-registering.
    pub(super) fn mark_unreachable(
        &mut self,
        now: Time,
        id: AgentId,
        cause: Cause,
        out: &mut MasterOut,
    ) {
        let latest = self.cfg.version >= MesosVersion::Latest;
        let Some(slot) = self.slots.get_mut(id.0 as usize) else {
            return;
        };
        if slot.registered.is_none()
            || slot.marking_unreachable
            || slot.removing
            || (latest && slot.reregistering)
        {
            return;
        }
        slot.marking_unreachable = true;
        let addr = slot.addr;
        self.apply(
            now,
            RegistryOp::MarkUnreachable(id, addr, now),
            id,
            Then::MarkedUnreachable { cause, t: now },
            out,
        );
    }

    /// `Master::_markUnreachable`: the registry recorded it. Every task gets TASK_UNREACHABLE
    /// (partition-aware) or TASK_LOST, the observer stops, frameworks get `slaveLost`.
    pub(super) fn marked_unreachable(
        &mut self,
        id: AgentId,
        cause: Cause,
        t: Time,
        out: &mut MasterOut,
    ) {
        let slot = &mut self.slots[id.0 as usize];
        slot.marking_unreachable = false;
        let Some(slave) = slot.registered.take() else {
            return;
        };
        slot.removed = true;
        slot.pruned = false;
        let addr = slot.addr;
        if self.by_addr[addr as usize] == Some(id) {
            self.by_addr[addr as usize] = None;
        }
        self.metrics.slave_removals += 1;
        self.metrics.slave_removals_reason_unhealthy += 1;
        out.events.push(Event::AgentMarkedUnreachable {
            agent: addr,
            id,
            cause,
        });
        for task in slave.tasks {
            let state = if self.framework_of(task).partition_aware {
                let fw = self.task_framework[task as usize];
                self.unreachable_tasks.add(fw, task, id);
                TaskState::Unreachable
            } else {
                TaskState::Lost
            };
            self.task_update(addr, task, state, TaskReason::SlaveRemoved, Some(t), out);
        }
        self.send_slave_lost(addr, out);
    }

    /// `Master::recoveredSlavesTimeout`: agents recovered from the registry that have not
    /// re-registered are marked unreachable, unless too many are missing, in which case the
    /// master exits ("Post-recovery agent removal limit exceeded!").
    pub(super) fn recovered_slaves_timeout(&mut self, now: Time, out: &mut MasterOut) {
        let missing: Vec<AgentId> = (0..self.slots.len() as u32)
            .map(AgentId)
            .filter(|id| self.slots[id.0 as usize].recovered)
            .collect();
        // pct > limit, in integers: missing / total > limit / 100%.
        let total = self.recovered_from as u128;
        if total > 0
            && missing.len() as u128 * 100_000_000
                > self.cfg.recovery_agent_removal_limit as u128 * total
        {
            out.events.push(Event::MasterAborted {
                reason: Box::new(MasterAbort::RecoveryRemovalLimit),
            });
            out.aborted = true;
            return;
        }
        for id in missing {
            let slot = &self.slots[id.0 as usize];
            if slot.reregistering {
                continue;
            }
            let addr = slot.addr;
            self.acquire(now, PermitFor::Recovered(id), out);
            self.metrics.slave_unreachable_scheduled += 1;
            out.events.push(Event::UnreachableScheduled {
                agent: addr,
                cause: Cause::MasterFailover,
            });
        }
    }

    /// `markUnreachableAfterFailover` (to 1.5; `markUnreachable(info, true, …)` after 74b2a0b71):
    /// the permit arrived. To 1.5 the permit counts as completed now; later masters count it
    /// once the registry has the mark (or as canceled when `markUnreachable` skips it).
    pub(super) fn recovered_permit(&mut self, now: Time, id: AgentId, out: &mut MasterOut) {
        let latest = self.cfg.version >= MesosVersion::Latest;
        let slot = &mut self.slots[id.0 as usize];
        let addr = slot.addr;
        if !slot.recovered || slot.reregistering || (latest && slot.marking_unreachable) {
            self.metrics.slave_unreachable_canceled += 1;
            out.events.push(Event::UnreachableCanceled {
                agent: addr,
                cause: Cause::MasterFailover,
            });
            return;
        }
        if !latest {
            self.metrics.slave_unreachable_completed += 1;
        }
        slot.marking_unreachable = true;
        self.apply(
            now,
            RegistryOp::MarkUnreachable(id, addr, now),
            id,
            Then::MarkedUnreachableAfterFailover { t: now },
            out,
        );
    }

    /// `_markUnreachableAfterFailover`: only `slaveLost`; the new master knows no tasks there.
    pub(super) fn marked_unreachable_after_failover(
        &mut self,
        id: AgentId,
        _t: Time,
        out: &mut MasterOut,
    ) {
        let slot = &mut self.slots[id.0 as usize];
        slot.marking_unreachable = false;
        slot.recovered = false;
        slot.pruned = false;
        let addr = slot.addr;
        if self.cfg.version >= MesosVersion::Latest {
            self.metrics.slave_unreachable_completed += 1;
        }
        self.metrics.slave_removals += 1;
        self.metrics.slave_removals_reason_unhealthy += 1;
        self.metrics.recovery_slave_removals += 1;
        out.events.push(Event::AgentMarkedUnreachable {
            agent: addr,
            id,
            cause: Cause::MasterFailover,
        });
        self.send_slave_lost(addr, out);
    }

    /// `doRegistryGc`: prune the unreachable list by count (oldest first) and by age.
    pub(super) fn registry_gc(&mut self, now: Time, out: &mut MasterOut) {
        out.timers
            .push((now + self.cfg.registry_gc_interval, MasterTimer::RegistryGc));
        let n = self.registry.unreachable_count() as u64;
        let mut prune = Vec::new();
        for (id, _, t) in self.registry.unreachable() {
            if n - prune.len() as u64 > self.cfg.registry_max_agent_count
                || now.saturating_sub(t) > self.cfg.registry_max_agent_age
            {
                prune.push(id);
            }
        }
        if let Some(&first) = prune.first() {
            self.apply(now, RegistryOp::Prune(prune), first, Then::Pruned, out);
        }
    }
}

impl Master {
    /// `Master::_doRegistryGc`: the pruned agents are unknown from now on; from 1.5 on their
    /// unreachable tasks are dropped too (f04998147 on 1.5.x, d794ab792 on master).
    pub(super) fn pruned(&mut self, pruned: Vec<AgentId>, out: &mut MasterOut) {
        for id in pruned {
            let slot = &mut self.slots[id.0 as usize];
            slot.pruned = true;
            out.events.push(Event::RegistryPruned {
                agent: slot.addr,
                id,
            });
            if self.cfg.version >= MesosVersion::V1_5 {
                self.unreachable_tasks.erase_agent(id);
            }
        }
    }
}
