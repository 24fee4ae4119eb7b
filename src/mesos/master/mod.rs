//! The Mesos master, sans IO: it takes `now` and an input (a message, `exited()`, a timer) and
//! pushes what it wants done (messages, timers, trace events) into a [`MasterOut`]. It never reads
//! a clock and knows nothing of the simulator.
//!
//! Split by concern: `observer` (the health check), `unreachable` (marking unreachable, the
//! re-registration timer, failover recovery), `registration` (register, re-register, remove,
//! status updates from agents), `registry` (what survives failover), `registrar` (batched
//! registry writes), `unreachable_tasks` (the `master/tasks_unreachable` gauge).

mod observer;
mod registrar;
mod registration;
pub mod registry;
#[cfg(test)]
mod tests;
mod unreachable;
mod unreachable_tasks;

use std::collections::BTreeMap;
use std::rc::Rc;

use super::config::MasterConfig;
use super::event::{Event, TaskStatus};
use super::limiter::{Acquired, RateLimiter, Ticket};
use super::messages::{ObserverId, ToAgent, ToMaster};
use super::metrics::{Gauges, Metrics, METRIC_NAMES};
use super::types::{
    AgentId, AgentIx, Cause, FwIx, MasterView, RemovalReason, TaskIx, TaskReason, TaskState,
};
use crate::time::Time;
use registrar::Registrar;
pub use registry::{Registry, RegistryOp};
use unreachable_tasks::UnreachableTasks;

/// `ZOOKEEPER_SESSION_TIMEOUT` (`master/constants.hpp`): how long after a master dies before
/// another is elected when nobody says when (an aborted master).
pub const ZOOKEEPER_SESSION_TIMEOUT: Time = 10 * crate::time::SECS;

/// A framework as the master sees it.
#[derive(Clone, Copy, Debug)]
pub struct FrameworkInfo {
    /// Gets TASK_UNREACHABLE instead of TASK_LOST.
    pub partition_aware: bool,
    /// Its tasks survive an agent restart (no TASK_LOST on disconnect).
    pub checkpoint: bool,
    /// Connected: updates and `slaveLost` reach it.
    pub connected: bool,
}

/// Timers the master arms. Cancellation is by token: a timer whose token no longer matches is
/// ignored when it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MasterTimer {
    /// A `SlaveObserver`'s ping period ended.
    ObserverTimeout(ObserverId),
    /// A disconnected agent's `agent_reregister_timeout` ended.
    ReregisterTimeout {
        /// The agent.
        id: AgentId,
        /// Matches the armed timer.
        token: u32,
    },
    /// The rate limiter's `_acquire`.
    LimiterWake,
    /// The deferred continuation of a granted permit.
    Permit(Ticket),
    /// The registry write in flight is stored.
    RegistryCommit,
    /// The registry write in flight took longer than `registry_store_timeout`.
    RegistryStoreTimeout,
    /// `recoveredSlavesTimeout` after a failover.
    RecoveredTimeout,
    /// `doRegistryGc`.
    RegistryGc,
}

/// What the master asks its host to do.
#[derive(Debug, Default)]
pub struct MasterOut {
    /// Messages to agents.
    pub sends: Vec<(AgentIx, ToAgent)>,
    /// Timers to arm.
    pub timers: Vec<(Time, MasterTimer)>,
    /// Trace events.
    pub events: Vec<Event>,
    /// Addresses the master links to (a later socket break makes it see `exited()`).
    pub links: Vec<AgentIx>,
    /// The master exits (see `MasterAborted` in the events for why).
    pub aborted: bool,
}

impl MasterOut {
    /// Empties every list for reuse.
    pub fn clear(&mut self) {
        self.sends.clear();
        self.timers.clear();
        self.events.clear();
        self.links.clear();
        self.aborted = false;
    }
}

/// The health check of one registered agent (`SlaveObserver`).
#[derive(Clone, Debug)]
pub(crate) struct Observer {
    id: ObserverId,
    timeouts: u32,
    pinged: bool,
    connected: bool,
    /// The pending permit request of `markUnreachable`, if any.
    marking: Option<Ticket>,
}

/// A registered agent (`struct Slave`).
#[derive(Clone, Debug)]
pub(crate) struct Slave {
    connected: bool,
    tasks: Vec<TaskIx>,
    /// The armed re-registration timer: (token, deadline).
    reregistration_timer: Option<(u32, Time)>,
    observer: Observer,
}

/// Everything this master process knows of one agent id.
#[derive(Clone, Debug, Default)]
pub(crate) struct Slot {
    /// Whether this master has seen the id at all (slots are indexed by id).
    known: bool,
    addr: AgentIx,
    registered: Option<Slave>,
    recovered: bool,
    reregistering: bool,
    marking_unreachable: bool,
    removing: bool,
    /// In the (non-persisted) `slaves.removed` cache.
    removed: bool,
    /// Pruned from the unreachable list by registry GC (the view is then `unknown`).
    pruned: bool,
}

/// What a granted permit continues with.
#[derive(Clone, Copy, Debug)]
enum PermitFor {
    Observer(ObserverId),
    ReregisterTimeout(AgentId),
    Recovered(AgentId),
}

/// What runs when a registry operation commits.
#[derive(Clone, Debug)]
pub(crate) enum Then {
    Registered {
        tasks: Vec<TaskIx>,
        previous_view: MasterView,
    },
    Reregistered {
        tasks: Vec<TaskIx>,
        previous_view: MasterView,
    },
    MarkedUnreachable {
        cause: Cause,
        t: Time,
    },
    MarkedUnreachableAfterFailover {
        t: Time,
    },
    Removed {
        reason: RemovalReason,
    },
    Pruned,
}

/// A live per-agent summary for views (the lab's inspector and frame data).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ObserverView {
    /// Consecutive unanswered pings.
    pub timeouts: u32,
    /// A ping is outstanding.
    pub pinged: bool,
    /// The `connected` flag carried in pings.
    pub connected: bool,
    /// A mark-unreachable request waits for a rate-limit permit.
    pub waiting_for_permit: bool,
    /// When the re-registration timer fires, if armed.
    pub reregister_deadline: Option<Time>,
    /// Tasks the master knows on the agent.
    pub tasks: usize,
}

/// What a master process starts from besides the registry: its flags and the static cluster.
#[derive(Clone)]
pub struct MasterSetup {
    /// Master flags.
    pub cfg: MasterConfig,
    /// Frameworks (with their current connection).
    pub frameworks: Vec<FrameworkInfo>,
    /// The framework of every task.
    pub task_framework: Rc<[FwIx]>,
    /// Number of agent addresses.
    pub agents: usize,
}

/// The master process.
pub struct Master {
    cfg: MasterConfig,
    frameworks: Vec<FrameworkInfo>,
    task_framework: Rc<[FwIx]>,
    registry: Registry,
    metrics: Metrics,
    slots: Vec<Slot>,
    /// The registered agent at each address (`slaves.registered` by pid).
    by_addr: Vec<Option<AgentId>>,
    /// The newest id known at each address (for views).
    latest_id: Vec<Option<AgentId>>,
    /// `slaves.registering` by pid.
    registering: Vec<bool>,
    limiter: RateLimiter,
    permits: BTreeMap<Ticket, PermitFor>,
    registrar: Registrar,
    unreachable_tasks: UnreachableTasks,
    next_token: u32,
    next_observer_generation: u32,
    /// Registry size at recovery (denominator of `recovery_agent_removal_limit`).
    recovered_from: usize,
}

impl Master {
    /// The first master at `now` (an empty registry), or a failed-over master recovering
    /// `registry`. Its counters start from zero, as every new Mesos master's do.
    pub fn start(setup: MasterSetup, registry: Registry, now: Time, out: &mut MasterOut) -> Master {
        let MasterSetup {
            cfg,
            frameworks,
            task_framework,
            agents,
        } = setup;
        let interval = cfg.agent_removal_rate_limit.map_or(0, |r| r.interval());
        let mut m = Master {
            limiter: RateLimiter::new(interval),
            unreachable_tasks: UnreachableTasks::new(
                frameworks.len(),
                cfg.max_unreachable_tasks_per_framework,
            ),
            frameworks,
            task_framework,
            registry,
            metrics: Metrics::default(),
            slots: Vec::new(),
            by_addr: vec![None; agents],
            latest_id: vec![None; agents],
            registering: vec![false; agents],
            permits: BTreeMap::new(),
            registrar: Registrar::default(),
            next_token: 0,
            next_observer_generation: 0,
            recovered_from: 0,
            cfg,
        };
        m.recover(now, out);
        m
    }

    /// `Master::_recover`: every admitted agent becomes `recovered`; GC and (if anything was
    /// recovered) the recovered-agents timer start.
    fn recover(&mut self, now: Time, out: &mut MasterOut) {
        let admitted: Vec<(AgentId, AgentIx)> = self.registry.admitted().collect();
        let unreachable: Vec<(AgentId, AgentIx)> = self
            .registry
            .unreachable()
            .map(|(id, addr, _)| (id, addr))
            .collect();
        for &(id, addr) in admitted.iter().chain(unreachable.iter()) {
            self.slot_mut(id, addr);
            let latest = &mut self.latest_id[addr as usize];
            if latest.is_none_or(|l| l < id) {
                *latest = Some(id);
            }
        }
        for &(id, _) in &admitted {
            self.slots[id.0 as usize].recovered = true;
        }
        self.recovered_from = admitted.len();
        out.timers
            .push((now + self.cfg.registry_gc_interval, MasterTimer::RegistryGc));
        if !admitted.is_empty() {
            out.timers.push((
                now + self.cfg.agent_reregister_timeout,
                MasterTimer::RecoveredTimeout,
            ));
        }
    }

    /// Hands back what survives this master: the registry.
    pub fn into_registry(self) -> Registry {
        self.registry
    }

    /// The metric counters.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Every metric, counters and gauges, as (name, value) in `METRIC_NAMES` order.
    pub fn metric_values(&self) -> [(&'static str, u64); METRIC_NAMES.len()] {
        let (connected, disconnected) = self.gauges();
        self.metrics.with_gauges(Gauges {
            slaves_connected: connected,
            slaves_disconnected: disconnected,
            slaves_unreachable: self.registry.unreachable_count() as u64,
            tasks_unreachable: self.unreachable_tasks.len() as u64,
        })
    }

    /// Registry operations waiting or being written.
    pub fn registry_operations_pending(&self) -> usize {
        self.registrar.len()
    }

    /// The registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The configuration.
    pub fn config(&self) -> &MasterConfig {
        &self.cfg
    }

    /// A framework (dis)connected.
    pub fn set_framework_connected(&mut self, fw: FwIx, connected: bool) {
        self.frameworks[fw as usize].connected = connected;
    }

    /// Handles a message from the agent at `from`.
    pub fn on_message(&mut self, now: Time, from: AgentIx, msg: ToMaster, out: &mut MasterOut) {
        match msg {
            ToMaster::Pong { observer } => self.pong(observer, out),
            ToMaster::RegisterSlave { tasks } => self.register_slave(now, from, tasks, out),
            ToMaster::ReregisterSlave { id, tasks } => {
                self.reregister_slave(now, from, id, tasks, out)
            }
            ToMaster::UnregisterSlave { id } => self.unregister_slave(now, from, id, out),
            ToMaster::StatusUpdate {
                id,
                task,
                state,
                reason,
            } => self.status_update(from, id, task, state, reason, out),
        }
    }

    /// Handles a timer.
    pub fn on_timer(&mut self, now: Time, timer: MasterTimer, out: &mut MasterOut) {
        match timer {
            MasterTimer::ObserverTimeout(observer) => self.observer_timeout(now, observer, out),
            MasterTimer::ReregisterTimeout { id, token } => {
                self.agent_reregister_timeout(now, id, token, out)
            }
            MasterTimer::LimiterWake => {
                let (granted, next) = self.limiter.on_wake(now);
                if let Some(ticket) = granted {
                    out.timers.push((now, MasterTimer::Permit(ticket)));
                }
                if let Some(next) = next {
                    out.timers.push((next, MasterTimer::LimiterWake));
                }
            }
            MasterTimer::Permit(ticket) => self.permit_granted(now, ticket, out),
            MasterTimer::RegistryCommit => self.commit(now, out),
            MasterTimer::RegistryStoreTimeout => self.store_timed_out(out),
            MasterTimer::RecoveredTimeout => self.recovered_slaves_timeout(now, out),
            MasterTimer::RegistryGc => self.registry_gc(now, out),
        }
    }

    /// The master's view of the newest agent id at an address.
    pub fn view(&self, addr: AgentIx) -> MasterView {
        match self.latest_id[addr as usize] {
            Some(id) => self.view_of(id),
            None => MasterView::Unknown,
        }
    }

    /// The newest agent id at an address.
    pub fn latest_id(&self, addr: AgentIx) -> Option<AgentId> {
        self.latest_id[addr as usize]
    }

    fn view_of(&self, id: AgentId) -> MasterView {
        let Some(slot) = self.slots.get(id.0 as usize) else {
            return MasterView::Unknown;
        };
        if let Some(slave) = &slot.registered {
            return if slave.connected {
                MasterView::Connected
            } else {
                MasterView::Disconnected
            };
        }
        if slot.recovered {
            MasterView::Recovered
        } else if self.registry.unreachable_time(id).is_some() {
            MasterView::Unreachable
        } else if slot.removed && !slot.pruned {
            MasterView::Removed
        } else {
            MasterView::Unknown
        }
    }

    /// Live health-check details of the newest agent at an address, if registered.
    pub fn observer_view(&self, addr: AgentIx) -> Option<ObserverView> {
        let id = self.by_addr[addr as usize]?;
        let slave = self.slots[id.0 as usize].registered.as_ref()?;
        let o = &slave.observer;
        Some(ObserverView {
            timeouts: o.timeouts,
            pinged: o.pinged,
            connected: o.connected,
            waiting_for_permit: o.marking.is_some_and(|t| self.limiter.is_waiting(t))
                || self.slots[id.0 as usize].marking_unreachable
                || self
                    .permits
                    .values()
                    .any(|p| matches!(p, PermitFor::ReregisterTimeout(i) if *i == id)),
            reregister_deadline: slave.reregistration_timer.map(|(_, t)| t),
            tasks: slave.tasks.len(),
        })
    }

    /// The observer of the agent at `addr` if the health check is in its steady state: registered,
    /// connected, nothing missed, no ping outstanding, no transition or timer pending. A host may
    /// then fast-forward its ping cycles (see `sim::fastforward`).
    pub fn steady_observer(&self, addr: AgentIx) -> Option<ObserverId> {
        let id = self.by_addr[addr as usize]?;
        let slot = &self.slots[id.0 as usize];
        let slave = slot.registered.as_ref()?;
        let o = &slave.observer;
        let steady = slave.connected
            && slave.reregistration_timer.is_none()
            && !slot.marking_unreachable
            && !slot.removing
            && o.connected
            && o.timeouts == 0
            && !o.pinged
            && o.marking.is_none();
        steady.then_some(o.id)
    }

    /// Sets the `pinged` flag and the miss count of a live observer (fast-forward resumes a
    /// skipped cycle, which may have counted one miss not yet cleared by a pong).
    pub fn resume_observer(&mut self, oid: ObserverId, pinged: bool, timeouts: u32) {
        if let Some(slave) = self
            .slots
            .get_mut(oid.agent.0 as usize)
            .and_then(|s| s.registered.as_mut())
        {
            if slave.observer.id == oid {
                slave.observer.pinged = pinged;
                slave.observer.timeouts = timeouts;
            }
        }
    }

    /// The address of an agent id this master knows.
    pub fn addr_of(&self, id: AgentId) -> Option<AgentIx> {
        self.slots
            .get(id.0 as usize)
            .filter(|s| s.known)
            .map(|s| s.addr)
    }

    /// Registered agents (connected, disconnected), for the Mesos gauges.
    pub fn gauges(&self) -> (u64, u64) {
        let mut connected = 0;
        let mut disconnected = 0;
        for slave in self
            .by_addr
            .iter()
            .flatten()
            .filter_map(|id| self.slots[id.0 as usize].registered.as_ref())
        {
            if slave.connected {
                connected += 1;
            } else {
                disconnected += 1;
            }
        }
        (connected, disconnected)
    }

    // ---- shared helpers -------------------------------------------------------------------

    fn slot_mut(&mut self, id: AgentId, addr: AgentIx) -> &mut Slot {
        let i = id.0 as usize;
        if self.slots.len() <= i {
            self.slots.resize_with(i + 1, Slot::default);
        }
        let slot = &mut self.slots[i];
        if !slot.known {
            slot.known = true;
            slot.addr = addr;
        }
        slot
    }

    fn slot(&self, id: AgentId) -> Option<&Slot> {
        self.slots.get(id.0 as usize)
    }

    fn token(&mut self) -> u32 {
        self.next_token = self.next_token.wrapping_add(1);
        self.next_token
    }

    /// Asks the shared rate limiter for a permit; its continuation runs asynchronously.
    fn acquire(&mut self, now: Time, purpose: PermitFor, out: &mut MasterOut) -> Ticket {
        let ticket = match self.limiter.acquire(now) {
            Acquired::Now(ticket) => {
                out.timers.push((now, MasterTimer::Permit(ticket)));
                ticket
            }
            Acquired::Queued { ticket, wake_at } => {
                if let Some(at) = wake_at {
                    out.timers.push((at, MasterTimer::LimiterWake));
                }
                ticket
            }
        };
        self.permits.insert(ticket, purpose);
        ticket
    }

    fn permit_granted(&mut self, now: Time, ticket: Ticket, out: &mut MasterOut) {
        match self.permits.remove(&ticket) {
            Some(PermitFor::Observer(oid)) => self.observer_permit(now, oid, ticket, out),
            Some(PermitFor::ReregisterTimeout(id)) => self.reregister_timeout_permit(now, id, out),
            Some(PermitFor::Recovered(id)) => self.recovered_permit(now, id, out),
            None => {}
        }
    }

    /// Runs the continuation of a stored registry operation.
    fn then(
        &mut self,
        now: Time,
        id: AgentId,
        then: Then,
        pruned: Vec<AgentId>,
        out: &mut MasterOut,
    ) {
        match then {
            Then::Registered {
                tasks,
                previous_view,
            } => self.registered(now, id, tasks, previous_view, out),
            Then::Reregistered {
                tasks,
                previous_view,
            } => self.reregistered(now, id, tasks, previous_view, out),
            Then::MarkedUnreachable { cause, t } => self.marked_unreachable(id, cause, t, out),
            Then::MarkedUnreachableAfterFailover { t } => {
                self.marked_unreachable_after_failover(id, t, out)
            }
            Then::Removed { reason } => self.removed(id, reason, out),
            Then::Pruned => self.pruned(pruned, out),
        }
    }

    /// Starts a new observer for a (re)admitted agent; it pings at once.
    fn new_observer(&mut self, now: Time, id: AgentId, out: &mut MasterOut) -> Observer {
        self.next_observer_generation += 1;
        let mut observer = Observer {
            id: ObserverId {
                agent: id,
                generation: self.next_observer_generation,
            },
            timeouts: 0,
            pinged: false,
            connected: true,
            marking: None,
        };
        let addr = self.slots[id.0 as usize].addr;
        self.ping(now, addr, &mut observer, out);
        observer
    }

    /// A master-generated status update for one task.
    fn task_update(
        &mut self,
        addr: AgentIx,
        task: TaskIx,
        state: TaskState,
        reason: TaskReason,
        unreachable_time: Option<Time>,
        out: &mut MasterOut,
    ) {
        let framework = self.task_framework[task as usize];
        self.count_terminal(state);
        out.events.push(Event::TaskStatus(Box::new(TaskStatus {
            agent: addr,
            framework,
            task,
            state,
            reason: Some(reason),
            unreachable_time,
            forwarded: self.frameworks[framework as usize].connected,
        })));
    }

    /// `sendSlaveLost`: `LostSlaveMessage` to every connected framework.
    fn send_slave_lost(&self, addr: AgentIx, out: &mut MasterOut) {
        for (fw, info) in self.frameworks.iter().enumerate() {
            if info.connected {
                out.events.push(Event::SlaveLost {
                    agent: addr,
                    framework: fw as FwIx,
                });
            }
        }
    }

    /// `Master::updateTask`: terminal states count in their `master/tasks_*` counter.
    fn count_terminal(&mut self, state: TaskState) {
        match state {
            TaskState::Lost => self.metrics.tasks_lost += 1,
            TaskState::Failed => self.metrics.tasks_failed += 1,
            TaskState::Killed => self.metrics.tasks_killed += 1,
            TaskState::Gone => self.metrics.tasks_gone += 1,
            TaskState::Running | TaskState::Unreachable => {}
        }
    }

    fn framework_of(&self, task: TaskIx) -> FrameworkInfo {
        self.frameworks[self.task_framework[task as usize] as usize]
    }
}
