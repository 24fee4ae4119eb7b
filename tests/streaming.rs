//! The streaming trace mode (long interactive runs) keeps only undrained events, yet its hash and
//! event expectations cover the whole run, exactly as with the full trace; the verdicts-only and
//! off modes keep less of the same run.

use liveness::scenario::Scenario;
use liveness::sim::{Simulation, TraceMode};

#[test]
fn streaming_matches_full_while_keeping_only_undrained_events() {
    for preset in liveness::presets::PRESETS {
        let scenario = Scenario::from_json_text(preset.json).unwrap();
        let mut full = Simulation::with_trace(&scenario, TraceMode::Full).unwrap();
        full.run_to_end();
        let mut streaming = Simulation::with_trace(&scenario, TraceMode::Streaming).unwrap();
        let mut seen = Vec::new();
        let step = scenario.duration / 37;
        let mut t = 0;
        while t < scenario.duration {
            t = (t + step).min(scenario.duration);
            streaming.advance_to(t).unwrap();
            let mut text = String::new();
            let n = streaming.drain_events_json(&mut text, true);
            let drained: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&text)
                .unwrap()
                .iter()
                .map(|v| v.to_string())
                .collect();
            assert_eq!(drained.len(), n);
            // Only what was just drained is retained.
            assert_eq!(streaming.trace().len(), drained.len());
            seen.extend(drained);
        }
        // Compare as parsed JSON (re-serialised), since key order is canonical in both.
        let all: Vec<String> = full
            .trace()
            .iter()
            .map(|e| {
                serde_json::from_str::<serde_json::Value>(&full.event_json(e))
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(seen, all, "{}", preset.name);
        assert_eq!(streaming.trace_len(), all.len());
        assert_eq!(streaming.trace_hash(), full.trace_hash(), "{}", preset.name);
        let a = streaming.check_expectations();
        assert!(a.iter().all(|r| r.passed), "{}: {a:?}", preset.name);
        assert_eq!(a, full.check_expectations());
    }
}

/// The other modes keep less of the same run: `Verdicts` exactly the full trace's events but
/// `message`, `Off` nothing; the run itself (events processed, metrics) is the same in all.
#[test]
fn verdicts_and_off_keep_less_of_the_same_run() {
    for preset in liveness::presets::PRESETS {
        let scenario = Scenario::from_json_text(preset.json).unwrap();
        let mut full = Simulation::with_trace(&scenario, TraceMode::Full).unwrap();
        let processed = full.run_to_end();
        let mut verdicts = Simulation::with_trace(&scenario, TraceMode::Verdicts).unwrap();
        assert_eq!(verdicts.run_to_end(), processed, "{}", preset.name);
        let mut off = Simulation::with_trace(&scenario, TraceMode::Off).unwrap();
        assert_eq!(off.run_to_end(), processed, "{}", preset.name);
        let without_messages: Vec<_> = full
            .trace()
            .iter()
            .filter(|e| e.event.kind() != "message")
            .cloned()
            .collect();
        assert!(
            without_messages.len() < full.trace().len(),
            "{}",
            preset.name
        );
        assert_eq!(verdicts.trace(), without_messages, "{}", preset.name);
        assert!(
            off.trace().is_empty() && off.trace_len() == 0,
            "{}",
            preset.name
        );
        assert_eq!(verdicts.metrics(), full.metrics(), "{}", preset.name);
        assert_eq!(off.metrics(), full.metrics(), "{}", preset.name);
    }
}
