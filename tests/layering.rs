//! Layering, proved by the compiler: the Mesos model (`src/mesos/`) builds as its own module tree
//! beside only `time` and `rng`, the layers it may use. This file is that tree's crate root, so
//! inside the model `crate::` means this file: a `use crate::scenario::…` or `crate::trace::…`
//! (or `crate::sim`, `crate::expect` …) anywhere in `src/mesos/` fails to compile here, and with
//! it `cargo test`.
//!
//! Why a second build rather than a grep: it catches every path form (`crate::x`, `super::super`,
//! a fully qualified call inside a macro), and what it proves is exactly the claim — the model
//! compiles without the layers above it. It also runs the model's own unit tests a second time
//! in that setting.

// The model's items are public for the simulator, which this crate does not have; and lints for
// exported APIs (clippy's `avoid-breaking-exported-api`) apply here as to private code.
#[allow(dead_code, unused_imports)]
#[path = "../src/time.rs"]
mod time;

#[allow(dead_code, unused_imports)]
#[path = "../src/rng.rs"]
mod rng;

#[allow(dead_code, unused_imports, clippy::wrong_self_convention)]
#[path = "../src/mesos/mod.rs"]
mod mesos;

/// The model runs here on its own: one agent registers with one master, handler by handler.
#[test]
fn the_model_alone_registers_an_agent() {
    use mesos::agent::{Agent, AgentOut, AgentParams};
    use mesos::config::{MasterConfig, Recovery};
    use mesos::master::{Master, MasterOut, MasterSetup, Registry};
    use mesos::messages::ToMaster;
    use mesos::types::{AgentState, MasterView, Policy};

    let policy = Policy::Mesos12;
    let mut mout = MasterOut::default();
    let setup = MasterSetup {
        cfg: MasterConfig::defaults(policy),
        frameworks: Vec::new(),
        task_framework: Vec::new().into(),
        agents: 1,
    };
    let mut master = Master::start(setup, Registry::default(), 0, &mut mout);
    let params = AgentParams {
        addr: 0,
        registration_backoff_factor: time::SECS,
        executor_reregistration_timeout: 2 * time::SECS,
        recovery_timeout: 15 * time::MINS,
        recovery_per_executor: 10 * time::MILLIS,
        executors: 0,
        completed_executors: 0,
        hung_executors: 0,
        authentication_delay: 0,
        pong_when: policy.defaults().2,
        version: policy.version(),
    };
    let mut agent = Agent::new(params, Vec::new(), rng::Rng::new(1, 0));
    let mut aout = AgentOut::default();
    agent.start(0, Recovery::Computed, false, &mut aout);
    assert_eq!(agent.state(), AgentState::Disconnected);
    // The first registration attempt is a timer after U[0, b]; fire it.
    let (t, timer) = aout.timers[0];
    aout.clear();
    agent.on_timer(t, timer, &mut aout);
    assert!(matches!(aout.sends[..], [ToMaster::RegisterSlave { .. }]));
    let msg = aout.sends.remove(0);
    master.on_message(t, 0, msg, &mut mout);
    // The registry write commits at once (no write latency): fire the commit timer.
    let commits: Vec<_> = mout.timers.drain(..).filter(|&(at, _)| at == t).collect();
    for (at, timer) in commits {
        master.on_timer(at, timer, &mut mout);
    }
    assert_eq!(master.view(0), MasterView::Connected);
}
