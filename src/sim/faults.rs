//! Applying faults (`docs/scenarios.md`, "faults") to the simulated cluster.

use super::Simulation;
use crate::mesos::types::{AgentIx, AgentState};
use crate::scenario::FaultKind;
use crate::trace::Event;

impl Simulation {
    pub(super) fn apply_fault(&mut self, index: u32) {
        self.record(Event::Fault { index });
        let fault = self.faults[index as usize].clone();
        if self.fast_forward {
            if matches!(fault.kind, FaultKind::FailOverMaster { .. }) {
                self.materialize_all();
            }
            for &agent in &fault.agents {
                self.materialize(agent);
            }
        }
        if self.detector.is_some() {
            for &agent in &fault.agents {
                self.apply_to_link(agent, &fault.kind);
                self.det_apply_to_agent(agent, &fault.kind);
            }
            if let FaultKind::FailOverMaster { downtime } = fault.kind {
                if self.master_up() {
                    self.det_fail_over(downtime);
                }
            }
            return;
        }
        for &agent in &fault.agents {
            self.apply_to_agent(agent, &fault.kind);
        }
        match fault.kind {
            FaultKind::FailOverMaster { downtime } if self.master.is_some() => {
                self.record(Event::MasterFailover { downtime });
                self.master_down(downtime);
            }
            FaultKind::DisconnectFramework { framework }
            | FaultKind::ReconnectFramework { framework } => {
                let connected = matches!(fault.kind, FaultKind::ReconnectFramework { .. });
                self.frameworks[framework as usize].connected = connected;
                if let Some(m) = self.master.as_mut() {
                    m.set_framework_connected(framework, connected);
                }
            }
            _ => {}
        }
    }

    /// Kills the agent process: in-flight messages to it are lost, its socket breaks.
    fn kill_process(&mut self, agent: AgentIx) {
        if self.agents[agent as usize].state() == AgentState::Down {
            return;
        }
        self.incarnations[agent as usize] += 1;
        self.with_agent(agent, |a, now, out| a.crash(now, out));
        self.break_socket(agent, false);
    }

    /// The link side of a fault for another detector (it has no separate socket to break).
    fn apply_to_link(&mut self, agent: AgentIx, kind: &FaultKind) {
        let ix = agent as usize;
        match *kind {
            FaultKind::Partition { direction, .. } => self.links[ix].partition(direction),
            FaultKind::Heal => self.links[ix].heal(),
            FaultKind::DropMessages {
                ref messages,
                until,
            } => {
                for &m in messages {
                    self.links[ix].drop_messages(m, until);
                }
            }
            _ => {}
        }
    }

    fn apply_to_agent(&mut self, agent: AgentIx, kind: &FaultKind) {
        let ix = agent as usize;
        match *kind {
            FaultKind::RestartAgent {
                recovery,
                work_dir_lost,
            }
            | FaultKind::StartAgent {
                recovery,
                work_dir_lost,
            } => {
                if matches!(kind, FaultKind::RestartAgent { .. }) {
                    self.kill_process(agent);
                }
                self.with_agent(agent, |a, now, out| {
                    a.start(now, recovery, work_dir_lost, out)
                });
            }
            FaultKind::CrashAgent => self.kill_process(agent),
            FaultKind::FinishRecovery => {
                self.with_agent(agent, |a, now, out| a.finish_recovery(now, out))
            }
            FaultKind::Partition {
                direction,
                breaks_socket,
            } => {
                self.links[ix].partition(direction);
                if breaks_socket {
                    self.break_socket(agent, true);
                }
            }
            FaultKind::Heal => self.links[ix].heal(),
            FaultKind::BreakSocket => self.break_socket(agent, true),
            FaultKind::DropMessages {
                ref messages,
                until,
            } => {
                for &m in messages {
                    self.links[ix].drop_messages(m, until);
                }
            }
            FaultKind::ShutdownAgent => {
                if self.agents[ix].state() != AgentState::Down {
                    self.incarnations[ix] += 1;
                    self.with_agent(agent, |a, now, out| a.shutdown(now, out));
                    self.break_socket(agent, false);
                }
            }
            FaultKind::FailOverMaster { .. }
            | FaultKind::DisconnectFramework { .. }
            | FaultKind::ReconnectFramework { .. } => {}
        }
    }
}
