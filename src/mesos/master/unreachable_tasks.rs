//! The master's unreachable tasks (`Framework::unreachableTasks`, a bounded map of
//! `max_unreachable_tasks_per_framework` entries per framework, oldest evicted first). The
//! `master/tasks_unreachable` gauge is their number (`Master::_tasks_unreachable`); they leave
//! when their agent re-registers, and (1.5 on) when registry GC prunes their agent.

use std::collections::BTreeMap;

use crate::mesos::types::{AgentId, FwIx, TaskIx};

/// Unreachable tasks of every framework.
#[derive(Clone, Debug, Default)]
pub(super) struct UnreachableTasks {
    capacity: usize,
    /// Per framework: insertion number → (task, its agent).
    by_framework: Vec<BTreeMap<u64, (TaskIx, AgentId)>>,
    /// Task → (framework, insertion number).
    index: BTreeMap<TaskIx, (FwIx, u64)>,
    next: u64,
}

impl UnreachableTasks {
    /// An empty set for `frameworks` frameworks keeping at most `capacity` tasks each.
    pub(super) fn new(frameworks: usize, capacity: u64) -> UnreachableTasks {
        UnreachableTasks {
            capacity: capacity.min(usize::MAX as u64) as usize,
            by_framework: vec![BTreeMap::new(); frameworks],
            index: BTreeMap::new(),
            next: 0,
        }
    }

    /// `Framework::addUnreachableTask`.
    pub(super) fn add(&mut self, fw: FwIx, task: TaskIx, agent: AgentId) {
        self.erase(task);
        if self.capacity == 0 {
            return;
        }
        let map = &mut self.by_framework[fw as usize];
        if map.len() >= self.capacity {
            if let Some((_, (old, _))) = map.pop_first() {
                self.index.remove(&old);
            }
        }
        map.insert(self.next, (task, agent));
        self.index.insert(task, (fw, self.next));
        self.next += 1;
    }

    /// Forgets a task (its agent re-registered).
    pub(super) fn erase(&mut self, task: TaskIx) {
        if let Some((fw, seq)) = self.index.remove(&task) {
            self.by_framework[fw as usize].remove(&seq);
        }
    }

    /// Forgets every task of an agent (registry GC pruned it).
    pub(super) fn erase_agent(&mut self, agent: AgentId) {
        let tasks: Vec<TaskIx> = self
            .by_framework
            .iter()
            .flat_map(|m| m.values())
            .filter(|&&(_, a)| a == agent)
            .map(|&(t, _)| t)
            .collect();
        for t in tasks {
            self.erase(t);
        }
    }

    /// How many there are (the gauge).
    pub(super) fn len(&self) -> usize {
        self.index.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_per_framework_oldest_first() {
        let mut u = UnreachableTasks::new(2, 2);
        u.add(0, 1, AgentId(0));
        u.add(0, 2, AgentId(0));
        u.add(1, 3, AgentId(1));
        u.add(0, 4, AgentId(1));
        assert_eq!(u.len(), 3, "task 1 was evicted from framework 0");
        u.erase(4);
        u.erase_agent(AgentId(1));
        assert_eq!(u.len(), 1);
        u.erase(2);
        assert_eq!(u.len(), 0);
    }
}
