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

/// The "Tuning your cluster" section and its spec directory, copied to a scratch folder with the
/// example's trials cut to `trials` (and, unoptimised, its agents to 200).
fn tuning_example(name: &str, trials: u64) -> (String, std::path::PathBuf) {
    let text = readme();
    let start = text
        .find("## Tuning your cluster")
        .expect("a Tuning your cluster section");
    let end = start + 3 + text[start + 3..].find("\n## ").unwrap();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("readme-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sweeps")).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("sweeps/recoveries.txt"),
        dir.join("sweeps/recoveries.txt"),
    )
    .unwrap();
    let mut spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("sweeps/cluster-5000.json")).unwrap(),
    )
    .unwrap();
    spec["trials"] = serde_json::json!(trials);
    if cfg!(debug_assertions) {
        spec["base"]["agents"][0]["count"] = serde_json::json!(200);
    }
    std::fs::write(dir.join("sweeps/cluster-5000.json"), spec.to_string()).unwrap();
    (text[start..end].to_string(), dir)
}

/// The lines of the section's fenced blocks of a language.
fn blocks(section: &str, lang: &str) -> Vec<String> {
    let fence = format!("```{lang}\n");
    let mut out = Vec::new();
    let mut rest = section;
    while let Some(i) = rest.find(&fence) {
        let body = &rest[i + fence.len()..];
        let end = body.find("```").unwrap();
        out.extend(body[..end].lines().map(str::to_string));
        rest = &body[end..];
    }
    out
}

/// Runs a shell command line in `dir` with the built `liveness` first on the PATH.
fn sh(dir: &std::path::Path, line: &str, env: &[(&str, &str)]) -> String {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_liveness"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("PATH", path)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{line}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn has(program: &str) -> bool {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Every command of "Tuning your cluster" runs as written on the example (with one trial per
/// setting): the sweep, the sharded runs (xargs, GNU parallel when installed, the Kubernetes
/// Job's command for each index) and the merges, which print what the unsharded run prints.
#[test]
fn readme_tuning_commands_run_as_written() {
    let (section, dir) = tuning_example("commands", 1);
    let body = |t: &str| t[..t.trim_end().rfind('\n').unwrap()].to_string();
    let mut unsharded: Option<(String, Vec<u8>)> = None;
    let lines = blocks(&section, "sh");
    assert!(lines.len() >= 5, "{lines:?}");
    for line in &lines {
        if line.starts_with("cargo ") || (line.starts_with("parallel ") && !has("parallel")) {
            continue;
        }
        let out = sh(&dir, line, &[]);
        let csv = std::fs::read(dir.join("grid.csv")).unwrap();
        if line.starts_with("liveness sweep sweeps/") {
            assert!(out.contains("\nobjective: minimize crash detection p99 subject to false unreachable / agent-day at most 0.001\n"), "{out}");
            unsharded = Some((body(&out), csv));
        } else if line.starts_with("liveness sweep merge") {
            let (table, grid) = unsharded.as_ref().expect("the sweep runs first");
            assert_eq!(&body(&out), table, "{line}");
            assert_eq!(&csv, grid, "{line}");
            std::fs::remove_file(dir.join("grid.csv")).unwrap();
        }
    }
    // The Job's command, once per index, writing where the merge reads.
    let yaml = blocks(&section, "yaml");
    let args = yaml
        .iter()
        .find_map(|l| l.trim().strip_prefix("- liveness sweep"))
        .map(|rest| format!("liveness sweep{rest}"))
        .expect("the Job runs liveness sweep");
    let parts = dir.join("parts");
    std::fs::create_dir_all(&parts).unwrap();
    let args = args.replace("/parts/", &format!("{}/", parts.display()));
    for index in 0..8 {
        sh(&dir, &args, &[("JOB_COMPLETION_INDEX", &index.to_string())]);
    }
    let merge = format!(
        "liveness sweep merge {}/part-*.json --out grid.csv",
        parts.display()
    );
    assert!(section.contains("`liveness sweep merge /parts/part-*.json\n--out grid.csv`"));
    let out = sh(&dir, &merge, &[]);
    let (table, grid) = unsharded.unwrap();
    assert_eq!(body(&out), table);
    assert_eq!(std::fs::read(dir.join("grid.csv")).unwrap(), grid);
}

/// The section's printed output is what the example prints: every line shown (the table is
/// abbreviated) is a line of the real output. About 3 minutes on 2 cores, so run on request:
/// `cargo test --release --test readme -- --ignored`.
#[test]
#[ignore = "runs the full example sweep (about 3 minutes on 2 cores)"]
fn readme_tuning_output_is_what_the_example_prints() {
    let (section, dir) = tuning_example("output", 20);
    if cfg!(debug_assertions) {
        panic!("run optimised: --release");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_liveness"))
        .args(["sweep", "sweeps/cluster-5000.json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let printed = format!(
        "{}{}",
        String::from_utf8(out.stderr).unwrap(),
        String::from_utf8(out.stdout).unwrap()
    );
    let real: Vec<&str> = printed.lines().collect();
    for line in blocks(&section, "text") {
        if line.trim() != "…" {
            assert!(
                real.contains(&line.as_str()),
                "not printed: {line}\n{printed}"
            );
        }
    }
}
