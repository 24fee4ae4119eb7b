//! # liveness
//!
//! A deterministic, WebAssembly-embeddable simulator of how an Apache Mesos master decides that
//! an agent is alive, disconnected or unreachable — the health check, the re-registration timer
//! added for MESOS-6286, the removal rate limiter, master failover and what happens to tasks.
//!
//! Layers, innermost first:
//! - [`mesos`]: the master and agent as sans-IO state machines (no clock, no simulator);
//! - [`sim`]: a discrete-event simulator with an injected clock that drives them over a
//!   simulated network;
//! - [`scenario`], [`trace`], [`expect`], [`describe`]: the scenario file format, the trace,
//!   expectations and the words for events and faults;
//! - `wasm` (wasm32 only): the JavaScript binding.
//!
//! ```
//! use liveness::{scenario::Scenario, sim::Simulation};
//! let scenario = Scenario::from_json_text(liveness::presets::find("stuck-recovery").unwrap().json).unwrap();
//! let mut sim = Simulation::new(&scenario).unwrap();
//! sim.run_to_end();
//! assert!(sim.check_expectations().iter().all(|r| r.passed));
//! ```

pub mod bench;
pub mod compare;
pub mod describe;
pub mod detectors;
pub mod expect;
pub mod mesos;
pub mod presets;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod sweep;
pub mod time;
pub mod trace;
pub mod trace_hash;

#[cfg(target_arch = "wasm32")]
mod wasm;
