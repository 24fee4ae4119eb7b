//! What hosts read of a running simulation: the master's and agents' states, links, tasks,
//! metrics, messages on the wire and the expectations' verdicts. Read-only, except that judging
//! expectations first counts every event recorded so far.

use super::tasks::TaskStateCounts;
use super::{Ev, InFlight, Simulation, TraceMode};
use crate::expect::{self, ExpectationResult};
use crate::mesos::agent::Agent;
use crate::mesos::master::ObserverView;
use crate::mesos::messages::ToAgent;
use crate::mesos::metrics::Metrics;
use crate::mesos::types::{AgentId, AgentIx, AgentState, FwIx, MasterView, TaskState};
use crate::sim::network::Link;

impl Simulation {
    /// Agent names by index.
    pub fn agent_names(&self) -> &[String] {
        &self.log.names.agents
    }

    /// Framework names by index.
    pub fn framework_names(&self) -> &[String] {
        &self.log.names.frameworks
    }

    /// The master's view of an agent address (another detector's, mapped onto the same views).
    pub fn master_view(&self, agent: AgentIx) -> MasterView {
        if let Some(h) = &self.detector {
            return h.gauge(self.now, agent).view;
        }
        if let Some(m) = &self.master {
            return m.view(agent);
        }
        let (Some(i), Some(id)) = (&self.interregnum, self.latest_id[agent as usize]) else {
            return MasterView::Unknown;
        };
        if i.registry.is_admitted(id) {
            MasterView::Recovered
        } else if i.registry.unreachable_time(id).is_some() {
            MasterView::Unreachable
        } else {
            MasterView::Unknown
        }
    }

    /// The agent process state.
    pub fn agent_state(&self, agent: AgentIx) -> AgentState {
        match &self.detector {
            Some(h) => h.nodes[agent as usize].state,
            None => self.agents[agent as usize].state(),
        }
    }

    /// Which detector judges the agents.
    pub fn detector_kind(&self) -> crate::detectors::DetectorKind {
        self.scenario.detector.kind()
    }

    /// Another detector's own state name for an agent and its gauge (`None` under Mesos).
    pub fn detector_gauge(&self, agent: AgentIx) -> Option<crate::detectors::NodeGauge> {
        self.detector.as_ref().map(|h| h.gauge(self.now, agent))
    }

    /// The agent state machine (read-only), for inspectors.
    pub fn agent(&self, agent: AgentIx) -> &Agent {
        &self.agents[agent as usize]
    }

    /// The link of an agent (read-only).
    pub fn link(&self, agent: AgentIx) -> &Link {
        &self.links[agent as usize]
    }

    /// The health check's live state for an agent, if it is registered.
    pub fn observer(&self, agent: AgentIx) -> Option<ObserverView> {
        self.master.as_ref()?.observer_view(agent)
    }

    /// Whether a master (another detector's control plane) is elected.
    pub fn master_up(&self) -> bool {
        match &self.detector {
            Some(_) => self.det_plane_up_now(),
            None => self.master.is_some(),
        }
    }

    /// Which master process runs (or ran last): 0 for the first, one more for each that
    /// started after a failover or abort. Counters restart from zero with each.
    pub fn master_incarnation(&self) -> u32 {
        self.masters_started.saturating_sub(1)
    }

    /// The newest agent id at an address.
    pub fn agent_id(&self, agent: AgentIx) -> Option<AgentId> {
        self.latest_id[agent as usize]
    }

    /// How many tasks are in each state as their frameworks last heard: one count per
    /// `TaskState::ALL` entry, then the tasks not launched yet.
    pub fn task_state_counts(&self) -> TaskStateCounts {
        self.tasks.counts()
    }

    /// What each task's framework last heard (`None`: not launched yet).
    pub fn task_states(&self) -> &[Option<TaskState>] {
        self.tasks.states()
    }

    /// The framework of each task.
    pub fn task_frameworks(&self) -> &[FwIx] {
        &self.tasks.framework
    }

    /// The tasks placed on an agent (by index).
    pub fn agent_tasks(&self, agent: AgentIx) -> std::ops::Range<u32> {
        self.tasks.of_agent(agent)
    }

    /// Name of a task.
    pub fn task_name(&self, task: u32) -> &str {
        &self.log.names.tasks[task as usize]
    }

    /// The metrics of the current master (counters and gauges); while no master is elected,
    /// the failed master's last values.
    pub fn metrics(&self) -> Vec<(&'static str, f64)> {
        if self.detector.is_some() {
            return self.det_metrics();
        }
        let values = match (&self.master, &self.interregnum) {
            (Some(m), _) => m.metric_values(),
            (None, Some(i)) => i.last_metrics,
            (None, None) => Metrics::default().with_gauges(Default::default()),
        };
        values.iter().map(|&(n, v)| (n, v as f64)).collect()
    }

    /// One metric by name.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// Messages on the wire now.
    pub fn in_flight(&self) -> impl Iterator<Item = InFlight> + '_ {
        self.queue.iter().filter_map(|(arrives, ev)| match ev {
            Ev::ToAgent {
                agent, sent, msg, ..
            } => Some(InFlight {
                agent: *agent,
                kind: msg.kind(),
                from_master: true,
                peer: None,
                connected: !matches!(
                    msg,
                    ToAgent::Ping {
                        connected: false,
                        ..
                    }
                ),
                sent: *sent,
                arrives,
            }),
            Ev::ToMaster {
                agent, sent, msg, ..
            } => Some(InFlight {
                agent: *agent,
                kind: msg.kind(),
                from_master: false,
                peer: None,
                connected: true,
                sent: *sent,
                arrives,
            }),
            Ev::DetMsg { env, sent, .. } => super::detector_host::in_flight(env, *sent, arrives),
            _ => None,
        })
    }

    /// Judges every expectation on what has run so far.
    ///
    /// ```
    /// use liveness::{presets, scenario::Scenario, sim::Simulation};
    /// let scenario = Scenario::from_json_text(presets::find("stuck-recovery").unwrap().json).unwrap();
    /// let mut sim = Simulation::new(&scenario).unwrap();
    /// sim.run_to_end();
    /// let results = sim.check_expectations();
    /// assert_eq!(results.len(), scenario.expect.len());
    /// for r in &results {
    ///     assert!(r.passed, "{}: {}", r.expectation, r.detail);
    /// }
    /// ```
    pub fn check_expectations(&mut self) -> Vec<ExpectationResult> {
        self.log
            .consume_all(&self.scenario.master, &self.scenario.expect);
        let metrics = self.metrics();
        expect::judge(
            &self.scenario.expect,
            &self.log.checker,
            self.log.mode() != TraceMode::Off,
            &self.log.names(&self.scenario.master),
            &metrics,
            self.now,
        )
    }
}
