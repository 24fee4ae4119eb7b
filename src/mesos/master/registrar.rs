//! The registrar (`registrar.cpp :: RegistrarProcess::_apply`, `update`, `_update`): registry
//! operations that arrive while a write is in flight wait, and the next single write applies
//! all of them, so k concurrent operations take about two write latencies, not k.
//!
//! A write that takes longer than `registry_store_timeout` fails every operation in it; the
//! master then `LOG(FATAL)`s (`Master::_markUnreachable` and friends), which the model shows as
//! the master aborting.

use super::{Master, MasterOut, MasterTimer, Then};
use crate::mesos::event::{Event, MasterAbort};
use crate::mesos::master::RegistryOp;
use crate::mesos::types::AgentId;
use crate::time::Time;

/// One operation with what the master does once it is stored.
#[derive(Clone, Debug)]
pub(super) struct Pending {
    op: RegistryOp,
    id: AgentId,
    then: Then,
}

/// The operations in flight and those waiting for the next write.
#[derive(Clone, Debug, Default)]
pub(super) struct Registrar {
    /// The write in flight, if any (`updating`).
    writing: Option<Vec<Pending>>,
    /// Operations that arrived during it (`operations`).
    queued: Vec<Pending>,
}

impl Registrar {
    /// Operations waiting or being written.
    pub(super) fn len(&self) -> usize {
        self.queued.len() + self.writing.as_ref().map_or(0, Vec::len)
    }
}

impl Master {
    /// `Registrar::apply`: queue the operation; start a write unless one is in flight.
    pub(super) fn apply(
        &mut self,
        now: Time,
        op: RegistryOp,
        id: AgentId,
        then: Then,
        out: &mut MasterOut,
    ) {
        self.registrar.queued.push(Pending { op, id, then });
        if self.registrar.writing.is_none() {
            self.start_write(now, out);
        }
    }

    /// `RegistrarProcess::update`: every queued operation goes into one write.
    fn start_write(&mut self, now: Time, out: &mut MasterOut) {
        let batch = std::mem::take(&mut self.registrar.queued);
        self.registrar.writing = Some(batch);
        let latency = self.cfg.registry_write_latency;
        match self.cfg.registry_store_timeout {
            Some(timeout) if latency > timeout => {
                out.timers
                    .push((now + timeout, MasterTimer::RegistryStoreTimeout));
            }
            _ => out
                .timers
                .push((now + latency, MasterTimer::RegistryCommit)),
        }
    }

    /// `RegistrarProcess::_update`: the write is stored. The registry changes, the next write
    /// starts with whatever queued meanwhile, then each operation's continuation runs in order
    /// (continuations are deferred to the master, so anything they apply waits for the write
    /// after that).
    pub(super) fn commit(&mut self, now: Time, out: &mut MasterOut) {
        let Some(batch) = self.registrar.writing.take() else {
            return;
        };
        let pruned: Vec<Vec<AgentId>> = batch.iter().map(|p| self.registry.apply(&p.op)).collect();
        if !self.registrar.queued.is_empty() {
            self.start_write(now, out);
        }
        for (p, pruned) in batch.into_iter().zip(pruned) {
            self.then(now, p.id, p.then, pruned, out);
        }
    }

    /// The store did not finish within `registry_store_timeout`: the master aborts.
    pub(super) fn store_timed_out(&mut self, out: &mut MasterOut) {
        let Some(timeout) = self.cfg.registry_store_timeout else {
            return;
        };
        out.events.push(Event::MasterAborted {
            reason: Box::new(MasterAbort::RegistryStoreTimeout(timeout)),
        });
        out.aborted = true;
    }
}
