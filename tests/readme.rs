//! The README's scenario example is a real, valid scenario whose expectations hold, and every
//! preset the README lists exists.

use liveness::scenario::Scenario;
use liveness::sim::Simulation;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn readme_scenario_example_runs_and_its_expectations_hold() {
    let text = readme();
    let section = text.find("## Scenario files").expect("a scenario section");
    let start =
        section + text[section..].find("```json\n").expect("a json block") + "```json\n".len();
    let end = start + text[start..].find("```").unwrap();
    let scenario = Scenario::from_json_text(&text[start..end]).unwrap_or_else(|e| panic!("{e}"));
    let mut sim = Simulation::new(&scenario).unwrap();
    sim.run_to_end();
    for r in sim.check_expectations() {
        assert!(r.passed, "{}: {}", r.expectation, r.detail);
    }
}

#[test]
fn readme_lists_every_preset() {
    let text = readme();
    for p in liveness::presets::PRESETS {
        assert!(
            text.contains(&format!("| `{}` |", p.name)),
            "README misses preset {}",
            p.name
        );
    }
}
