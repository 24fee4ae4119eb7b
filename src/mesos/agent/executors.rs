//! The executors beside the agent process (`exec/exec.cpp :: ExecutorProcess`): they wait for
//! an exited agent process for `recovery_timeout`, are reconnected by a recovering one
//! (`Slave::_recover`), and are killed if they do not re-register in time
//! (`Slave::reregisterExecutorTimeout`).

use super::{Agent, AgentOut, AgentTask, AgentTimer, PendingUpdate};
use crate::mesos::event::Event;
use crate::mesos::types::{ExecutorEnd, TaskReason, TaskState};
use crate::time::Time;

impl Agent {
    /// `ExecutorProcess::exited`: a non-checkpointing framework's executor exits with the agent;
    /// a checkpointing one that was connected starts waiting `recovery_timeout` (one already
    /// waiting keeps its deadline).
    pub(super) fn executors_see_agent_exit(&mut self, now: Time, out: &mut AgentOut) {
        if !self.launched {
            return;
        }
        let addr = self.params.addr;
        let deadline = now + self.params.recovery_timeout;
        let mut armed = false;
        self.tasks.retain_mut(|t| {
            if !t.checkpoint {
                out.events.push(Event::ExecutorTerminated {
                    agent: addr,
                    framework: t.framework,
                    task: t.task,
                    reason: ExecutorEnd::AgentExited,
                });
                return false;
            }
            if t.executor_deadline.is_none() {
                t.executor_deadline = Some(deadline);
                armed = true;
            }
            true
        });
        if armed {
            out.timers
                .push((deadline, AgentTimer::ExecutorRecoveryTimeout));
        }
    }

    /// `Slave::_recover`: the executors still alive are asked to reconnect; all but the hung
    /// ones re-register at once.
    pub(super) fn reconnect_executors(&mut self) {
        if self.reconnected {
            return;
        }
        self.reconnected = true;
        let mut hung = self.params.hung_executors;
        for t in &mut self.tasks {
            if t.executor_deadline.is_some() {
                if t.checkpoint && hung > 0 {
                    hung -= 1;
                } else {
                    t.executor_deadline = None;
                }
            }
        }
    }

    /// `Slave::reregisterExecutorTimeout`: executors that did not re-register are killed (the
    /// agent reports TASK_GONE to partition-aware frameworks, TASK_LOST to others).
    pub(super) fn kill_unregistered_executors(&mut self, out: &mut AgentOut) {
        let addr = self.params.addr;
        let (killed, kept): (Vec<AgentTask>, Vec<AgentTask>) = self
            .tasks
            .drain(..)
            .partition(|t| t.executor_deadline.is_some());
        self.tasks = kept;
        for t in killed {
            out.events.push(Event::ExecutorTerminated {
                agent: addr,
                framework: t.framework,
                task: t.task,
                reason: ExecutorEnd::ReregistrationTimeout,
            });
            self.pending_updates.push(PendingUpdate {
                task: t.task,
                state: if t.partition_aware {
                    TaskState::Gone
                } else {
                    TaskState::Lost
                },
                reason: TaskReason::ExecutorReregistrationTimeout,
            });
        }
    }

    /// `ExecutorProcess::_recoveryTimeout`: executors still waiting at their deadline shut
    /// down; their tasks are dead from now on, and the agent will report them TASK_FAILED
    /// (`Slave::sendExecutorTerminatedStatusUpdate`). Orphans of a lost work dir die unseen.
    pub(super) fn executors_give_up(&mut self, now: Time, out: &mut AgentOut) {
        let addr = self.params.addr;
        let due = |t: &AgentTask| t.executor_deadline.is_some_and(|d| d <= now);
        for t in self.tasks.iter().chain(&self.orphans).filter(|t| due(t)) {
            out.events.push(Event::ExecutorTerminated {
                agent: addr,
                framework: t.framework,
                task: t.task,
                reason: ExecutorEnd::RecoveryTimeout,
            });
        }
        for t in self.tasks.iter().filter(|t| due(t)) {
            self.pending_updates.push(PendingUpdate {
                task: t.task,
                state: TaskState::Failed,
                reason: TaskReason::ExecutorTerminated,
            });
        }
        self.tasks.retain(|t| !due(t));
        self.orphans.retain(|t| !due(t));
    }
}
