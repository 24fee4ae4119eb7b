//! The master's registry: what survives a master failover (`master/registry.proto`: the admitted
//! and unreachable agents; `Master::doRegistryGc` prunes the latter; `docs/model.md`, "Master
//! failover").

use std::collections::BTreeMap;

use crate::mesos::types::{AgentId, AgentIx};
use crate::time::Time;

/// The replicated registry: admitted agents and the unreachable list in insertion order.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    admitted: BTreeMap<AgentId, AgentIx>,
    unreachable: BTreeMap<AgentId, (AgentIx, Time, u64)>,
    unreachable_order: BTreeMap<u64, AgentId>,
    next_seq: u64,
    next_id: u32,
}

/// A registry operation (applied when it commits).
#[derive(Clone, Debug, PartialEq)]
pub enum RegistryOp {
    /// `AdmitSlave`.
    Admit(AgentId, AgentIx),
    /// `MarkSlaveUnreachable`.
    MarkUnreachable(AgentId, AgentIx, Time),
    /// `MarkSlaveReachable`.
    MarkReachable(AgentId, AgentIx),
    /// `RemoveSlave`.
    Remove(AgentId),
    /// `PruneUnreachable`.
    Prune(Vec<AgentId>),
}

impl Registry {
    /// A fresh id for a new agent (ids are never reused, also across failovers).
    pub fn allocate_id(&mut self) -> AgentId {
        let id = AgentId(self.next_id);
        self.next_id += 1;
        id
    }

    /// Applies a committed operation; returns the ids a prune actually removed.
    pub fn apply(&mut self, op: &RegistryOp) -> Vec<AgentId> {
        match *op {
            RegistryOp::Admit(id, addr) => {
                self.admitted.insert(id, addr);
            }
            RegistryOp::MarkUnreachable(id, addr, t) => {
                self.admitted.remove(&id);
                self.insert_unreachable(id, addr, t);
            }
            RegistryOp::MarkReachable(id, addr) => {
                if !self.admitted.contains_key(&id) {
                    self.remove_unreachable(id);
                    self.admitted.insert(id, addr);
                }
            }
            RegistryOp::Remove(id) => {
                self.admitted.remove(&id);
            }
            RegistryOp::Prune(ref ids) => {
                // Only ids still present: an agent that re-registered meanwhile survives.
                return ids
                    .iter()
                    .copied()
                    .filter(|&id| self.remove_unreachable(id))
                    .collect();
            }
        }
        Vec::new()
    }

    fn insert_unreachable(&mut self, id: AgentId, addr: AgentIx, t: Time) {
        self.remove_unreachable(id);
        let seq = self.next_seq;
        self.next_seq += 1;
        self.unreachable.insert(id, (addr, t, seq));
        self.unreachable_order.insert(seq, id);
    }

    fn remove_unreachable(&mut self, id: AgentId) -> bool {
        match self.unreachable.remove(&id) {
            Some((_, _, seq)) => {
                self.unreachable_order.remove(&seq);
                true
            }
            None => false,
        }
    }

    /// Admitted agents in id order.
    pub fn admitted(&self) -> impl Iterator<Item = (AgentId, AgentIx)> + '_ {
        self.admitted.iter().map(|(&id, &addr)| (id, addr))
    }

    /// Number of admitted agents.
    pub fn admitted_count(&self) -> usize {
        self.admitted.len()
    }

    /// Whether the agent is admitted.
    pub fn is_admitted(&self, id: AgentId) -> bool {
        self.admitted.contains_key(&id)
    }

    /// When the agent was marked unreachable, if it is in the unreachable list.
    pub fn unreachable_time(&self, id: AgentId) -> Option<Time> {
        self.unreachable.get(&id).map(|&(_, t, _)| t)
    }

    /// The unreachable list in insertion order: (id, address, time).
    pub fn unreachable(&self) -> impl Iterator<Item = (AgentId, AgentIx, Time)> + '_ {
        self.unreachable_order.values().map(|id| {
            let (addr, t, _) = self.unreachable[id];
            (*id, addr, t)
        })
    }

    /// Length of the unreachable list.
    pub fn unreachable_count(&self) -> usize {
        self.unreachable.len()
    }
}
