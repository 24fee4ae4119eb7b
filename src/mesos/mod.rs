//! The Mesos logic: master and agent as sans-IO state machines. Nothing here knows about the
//! simulator, the network or wasm; inputs carry `now`, outputs are lists of things to do.

pub mod agent;
pub mod config;
pub mod event;
pub mod limiter;
pub mod master;
pub mod messages;
pub mod metrics;
pub mod types;
