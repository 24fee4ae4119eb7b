//! The task table: every task's framework and what its framework last heard of it, numbered
//! agent by agent, with the counts per state kept up to date (the page reads them every frame).

use std::ops::Range;
use std::rc::Rc;

use crate::mesos::types::{AgentIx, FwIx, TaskState};

/// Tasks per state as their frameworks last heard, then the tasks not launched yet.
pub type TaskStateCounts = [u32; TaskState::ALL.len() + 1];

/// Every task of the run.
pub(super) struct TaskTable {
    /// The framework of each task (shared with every master process).
    pub(super) framework: Rc<[FwIx]>,
    /// What each task's framework last heard (`None`: not launched yet).
    states: Vec<Option<TaskState>>,
    /// Agent `a` has tasks `start[a]..start[a + 1]`.
    start: Vec<u32>,
    counts: TaskStateCounts,
}

impl TaskTable {
    /// A table of tasks not launched yet; `start` has one entry per agent, then the task count.
    pub(super) fn new(framework: Vec<FwIx>, start: Vec<u32>) -> TaskTable {
        let n = framework.len();
        let mut counts = [0; TaskState::ALL.len() + 1];
        counts[TaskState::ALL.len()] = n as u32;
        TaskTable {
            framework: framework.into(),
            states: vec![None; n],
            start,
            counts,
        }
    }

    /// A framework heard `state` for `task`.
    pub(super) fn set_state(&mut self, task: u32, state: TaskState) {
        let slot = &mut self.states[task as usize];
        let old = slot.map_or(TaskState::ALL.len(), |s| s as usize);
        self.counts[old] -= 1;
        self.counts[state as usize] += 1;
        *slot = Some(state);
    }

    /// What each task's framework last heard.
    pub(super) fn states(&self) -> &[Option<TaskState>] {
        &self.states
    }

    /// Tasks per state (`TaskState::ALL` order), then the tasks not launched yet.
    pub(super) fn counts(&self) -> TaskStateCounts {
        self.counts
    }

    /// The tasks placed on an agent.
    pub(super) fn of_agent(&self, agent: AgentIx) -> Range<u32> {
        self.start[agent as usize]..self.start[agent as usize + 1]
    }
}
