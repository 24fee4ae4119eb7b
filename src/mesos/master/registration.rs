//! Admission: registration of new agents (`Master::registerSlave`), re-registration of known,
//! recovered, unreachable or unknown agents (`Master::reregisterSlave` and its continuations),
//! graceful unregister and removal (`Master::unregisterSlave`, `Master::removeSlave`), and status
//! updates from agents (`Master::statusUpdate`).

use super::{Master, MasterOut, Slave, Then};
use crate::mesos::event::{Event, TaskStatus};
use crate::mesos::master::RegistryOp;
use crate::mesos::messages::ToAgent;
use crate::mesos::types::{
    AgentId, AgentIx, FwIx, MasterView, MesosVersion, RemovalReason, ReregistrationPolicy, TaskIx,
    TaskReason, TaskState,
};
use crate::time::Time;

impl Master {
    /// `Master::registerSlave`: an agent with no id. A disconnected agent registered at the same
    /// address is removed first (it failed recovery); a connected one just gets its
    /// acknowledgement again.
    pub(super) fn register_slave(
        &mut self,
        now: Time,
        from: AgentIx,
        tasks: Vec<TaskIx>,
        out: &mut MasterOut,
    ) {
        if self.registering[from as usize] {
            return; // Admission already in progress (the agent retried).
        }
        let previous_view = self.view(from);
        if let Some(id) = self.by_addr[from as usize] {
            let connected = self.slots[id.0 as usize]
                .registered
                .as_ref()
                .is_some_and(|s| s.connected);
            if connected {
                out.sends.push((
                    from,
                    ToAgent::SlaveRegistered {
                        id,
                        total_ping_timeout: self.cfg.total_ping_timeout(),
                    },
                ));
                return;
            }
            self.remove_slave(now, id, RemovalReason::Registered, out);
        }
        self.registering[from as usize] = true;
        let id = self.registry.allocate_id();
        self.slot_mut(id, from);
        self.apply(
            now,
            RegistryOp::Admit(id, from),
            id,
            Then::Registered {
                tasks,
                previous_view,
            },
            out,
        );
    }

    /// `Master::_registerSlave`: admitted; a new observer pings at once.
    pub(super) fn registered(
        &mut self,
        now: Time,
        id: AgentId,
        tasks: Vec<TaskIx>,
        previous_view: MasterView,
        out: &mut MasterOut,
    ) {
        let addr = self.slots[id.0 as usize].addr;
        self.registering[addr as usize] = false;
        self.latest_id[addr as usize] = Some(id);
        self.by_addr[addr as usize] = Some(id);
        self.metrics.slave_registrations += 1;
        out.links.push(addr);
        out.sends.push((
            addr,
            ToAgent::SlaveRegistered {
                id,
                total_ping_timeout: self.cfg.total_ping_timeout(),
            },
        ));
        out.events.push(Event::AgentRegistered {
            agent: addr,
            id,
            previous_view,
        });
        for &task in &tasks {
            out.events.push(Event::TaskStatus(Box::new(TaskStatus {
                agent: addr,
                framework: self.task_framework[task as usize],
                task,
                state: TaskState::Running,
                reason: None,
                unreachable_time: None,
                forwarded: self.framework_of(task).connected,
            })));
        }
        self.admit(now, id, tasks, out);
    }

    /// Adds a connected `Slave` with a fresh observer (`Master::addSlave`).
    fn admit(&mut self, now: Time, id: AgentId, tasks: Vec<TaskIx>, out: &mut MasterOut) {
        let observer = self.new_observer(now, id, out);
        self.slots[id.0 as usize].registered = Some(Slave {
            connected: true,
            tasks,
            reregistration_timer: None,
            observer,
        });
    }

    /// `Master::reregisterSlave`. A registered agent is reconnected at once (its timer
    /// cancelled, nothing else changes); any other is re-admitted through `MarkSlaveReachable`,
    /// except that from 1.5 on a recovered agent is re-admitted without a registry write
    /// (`Master::_reregisterSlave`, MESOS-7711). On Mesos' master branch the message is ignored
    /// while the agent is being marked unreachable (MESOS-10209, 288b6a387).
    pub(super) fn reregister_slave(
        &mut self,
        now: Time,
        from: AgentIx,
        id: AgentId,
        tasks: Vec<TaskIx>,
        out: &mut MasterOut,
    ) {
        let total_ping_timeout = self.cfg.total_ping_timeout();
        let version = self.cfg.version;
        let slot = self.slot_mut(id, from);
        if version >= MesosVersion::Latest && slot.marking_unreachable {
            return;
        }
        if let Some(slave) = slot.registered.as_mut() {
            if slot.addr != from {
                return; // Another address claims this id: Mesos shuts it down; we ignore it.
            }
            let previous_view = if slave.connected {
                MasterView::Connected
            } else {
                MasterView::Disconnected
            };
            slave.connected = true;
            slave.observer.connected = true;
            slave.reregistration_timer = None;
            out.links.push(from);
            out.sends.push((
                from,
                ToAgent::SlaveReregistered {
                    id,
                    total_ping_timeout,
                },
            ));
            out.events.push(Event::AgentReregistered {
                agent: from,
                id,
                previous_view,
            });
            return;
        }
        if slot.reregistering {
            return;
        }
        slot.reregistering = true;
        let readmit_without_write = version >= MesosVersion::V1_5 && slot.recovered;
        let previous_view = self.view_of(id);
        if readmit_without_write {
            self.reregistered(now, id, tasks, previous_view, out);
            return;
        }
        self.apply(
            now,
            RegistryOp::MarkReachable(id, from),
            id,
            Then::Reregistered {
                tasks,
                previous_view,
            },
            out,
        );
    }

    /// `Master::_reregisterSlave`: re-admitted with a new observer; the tasks it reported are
    /// kept or killed per `reregistration_policy`.
    pub(super) fn reregistered(
        &mut self,
        now: Time,
        id: AgentId,
        tasks: Vec<TaskIx>,
        previous_view: MasterView,
        out: &mut MasterOut,
    ) {
        let addr = self.slots[id.0 as usize].addr;
        let slot = &mut self.slots[id.0 as usize];
        slot.reregistering = false;
        let was_recovered = std::mem::take(&mut slot.recovered);
        let was_removed = std::mem::take(&mut slot.removed);
        slot.pruned = false;
        self.latest_id[addr as usize] = Some(id);
        self.by_addr[addr as usize] = Some(id);
        self.metrics.slave_reregistrations += 1;
        if self.cfg.version >= MesosVersion::Latest {
            // 520b72985 (1.6): every unreachable task of the agent goes, reported or not.
            self.unreachable_tasks.erase_agent(id);
        }

        let mut kept = Vec::with_capacity(tasks.len());
        let mut shutdown: Vec<FwIx> = Vec::new();
        for task in tasks {
            let fw = self.task_framework[task as usize];
            let info = self.frameworks[fw as usize];
            self.unreachable_tasks.erase(task);
            match self.cfg.reregistration_policy {
                ReregistrationPolicy::KillNonPartitionAware
                    if was_removed && !info.partition_aware =>
                {
                    if !shutdown.contains(&fw) {
                        shutdown.push(fw);
                    }
                }
                _ => kept.push(task),
            }
        }
        out.links.push(addr);
        out.sends.push((
            addr,
            ToAgent::SlaveReregistered {
                id,
                total_ping_timeout: self.cfg.total_ping_timeout(),
            },
        ));
        out.events.push(Event::AgentReregistered {
            agent: addr,
            id,
            previous_view,
        });
        if self.cfg.reregistration_policy == ReregistrationPolicy::KeepAll && !was_recovered {
            for &task in &kept {
                out.events.push(Event::TaskStatus(Box::new(TaskStatus {
                    agent: addr,
                    framework: self.task_framework[task as usize],
                    task,
                    state: TaskState::Running,
                    reason: Some(TaskReason::SlaveReregistered),
                    unreachable_time: None,
                    forwarded: self.framework_of(task).connected,
                })));
            }
        }
        for framework in shutdown {
            out.sends
                .push((addr, ToAgent::ShutdownFramework { framework }));
        }
        self.admit(now, id, kept, out);
    }

    /// `Master::unregisterSlave`: graceful shutdown of a registered agent.
    pub(super) fn unregister_slave(
        &mut self,
        now: Time,
        from: AgentIx,
        id: AgentId,
        out: &mut MasterOut,
    ) {
        let Some(slot) = self.slot(id) else { return };
        if slot.registered.is_none() || slot.addr != from {
            return;
        }
        self.remove_slave(now, id, RemovalReason::Unregistered, out);
    }

    /// `Master::removeSlave`, ignored while the agent is being marked unreachable or removed.
    pub(super) fn remove_slave(
        &mut self,
        now: Time,
        id: AgentId,
        reason: RemovalReason,
        out: &mut MasterOut,
    ) {
        let slot = &mut self.slots[id.0 as usize];
        if slot.marking_unreachable || slot.removing || slot.registered.is_none() {
            return;
        }
        slot.removing = true;
        self.apply(
            now,
            RegistryOp::Remove(id),
            id,
            Then::Removed { reason },
            out,
        );
    }

    /// `Master::_removeSlave`: every task TASK_LOST, the observer stops, frameworks get
    /// `slaveLost`. Not added to the unreachable list.
    pub(super) fn removed(&mut self, id: AgentId, reason: RemovalReason, out: &mut MasterOut) {
        let slot = &mut self.slots[id.0 as usize];
        slot.removing = false;
        let Some(slave) = slot.registered.take() else {
            return;
        };
        slot.removed = true;
        let addr = slot.addr;
        if self.by_addr[addr as usize] == Some(id) {
            self.by_addr[addr as usize] = None;
        }
        self.metrics.slave_removals += 1;
        match reason {
            RemovalReason::Unregistered => self.metrics.slave_removals_reason_unregistered += 1,
            RemovalReason::Registered => self.metrics.slave_removals_reason_registered += 1,
        }
        out.events.push(Event::AgentRemoved {
            agent: addr,
            id,
            reason,
        });
        for task in slave.tasks {
            self.task_update(
                addr,
                task,
                TaskState::Lost,
                TaskReason::SlaveRemoved,
                None,
                out,
            );
        }
        self.send_slave_lost(addr, out);
    }
}

impl Master {
    /// `Master::statusUpdate` for an update the agent generated (its executor died while it was
    /// away). Updates from removed or unknown agents are dropped; otherwise the update is
    /// forwarded to a connected framework, and if the master knows the task it becomes terminal
    /// there (counted in `master/tasks_*`) and leaves the agent.
    pub(super) fn status_update(
        &mut self,
        from: AgentIx,
        id: AgentId,
        task: TaskIx,
        state: TaskState,
        reason: TaskReason,
        out: &mut MasterOut,
    ) {
        let known = match self.slots.get_mut(id.0 as usize) {
            Some(slot) if slot.addr == from && !slot.removed => slot.registered.as_mut(),
            _ => None,
        };
        let Some(slave) = known else {
            self.metrics.invalid_status_updates += 1;
            return;
        };
        let before = slave.tasks.len();
        slave.tasks.retain(|&t| t != task);
        let found = slave.tasks.len() != before;
        let framework = self.task_framework[task as usize];
        let forwarded = self.frameworks[framework as usize].connected;
        out.events.push(Event::TaskStatus(Box::new(TaskStatus {
            agent: from,
            framework,
            task,
            state,
            reason: Some(reason),
            unreachable_time: None,
            forwarded,
        })));
        if found {
            self.count_terminal(state);
        }
        if !found || !forwarded {
            self.metrics.invalid_status_updates += 1;
        }
    }
}
