//! Embedding the engine in a Rust program: load a preset, inject a fault of your own, step
//! simulated time and read what the master believes about each agent, then the trace hash (the
//! same the CLI and the WebAssembly package give for the same run).
//!
//! `cargo run --release --example embed`

use std::error::Error;
use std::fmt::Write;

use liveness::presets;
use liveness::scenario::Scenario;
use liveness::sim::Simulation;
use liveness::time::{format_clock, millis_to_time, MINS};
use serde_json::{json, Value};

fn main() -> Result<(), Box<dyn Error>> {
    let mut report = String::new();
    embed(&mut report)?;
    print!("{report}");
    Ok(())
}

/// The whole embedding; writes its report to `out` (tests/embed_example.rs checks it).
pub fn embed(out: &mut String) -> Result<(), Box<dyn Error>> {
    // MESOS-6286: agent-1 restarts at 1:00 and hangs in recovery, still answering pings.
    let preset = presets::find("stuck-recovery").ok_or("no preset stuck-recovery")?;
    let scenario = Scenario::from_json_text(preset.json)?;
    let mut sim = Simulation::new(&scenario)?;

    // A fault of our own on top of the preset's: at 3:00 agent-2 is cut off both ways.
    sim.advance_to(3 * MINS)?;
    sim.inject(&json!({ "kind": "partition", "agents": ["agent-2"], "direction": "both" }))?;

    // Step one simulated minute at a time, printing the master's view of every agent.
    let header: Vec<String> = sim
        .agent_names()
        .iter()
        .map(|n| format!("{n:<12}"))
        .collect();
    writeln!(out, "{:>8}  {}", "time", header.join("  ").trim_end())?;
    for minute in 4..=12 {
        sim.advance_to(minute * MINS)?;
        let views: Vec<String> = (0..sim.agent_names().len())
            .map(|a| format!("{:<12}", sim.master_view(a as u32).name()))
            .collect();
        let row = views.join("  ");
        writeln!(out, "{:>8}  {}", format_clock(sim.now()), row.trim_end())?;
    }

    // The verdicts, from the events recorded so far (as the CLI's `--trace` objects).
    let mut events = String::new();
    sim.drain_events_json(&mut events, false);
    let events: Vec<Value> = serde_json::from_str(&events)?;
    for e in events
        .iter()
        .filter(|e| e["event"] == "agent_marked_unreachable")
    {
        let t = millis_to_time(e["t"].as_f64().unwrap_or(0.0))?;
        let (agent, why) = (e["agent"].as_str(), e["message"].as_str());
        writeln!(
            out,
            "{:>9}  {} marked unreachable: {}",
            format_clock(t),
            agent.unwrap_or("?"),
            why.unwrap_or("?")
        )?;
    }
    writeln!(out, "trace hash {}", sim.trace_hash().unwrap_or_default())?;
    Ok(())
}
