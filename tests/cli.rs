//! The `liveness` command line: presets, summaries, the trace file and its hash, determinism,
//! exit codes, one test per class of invalid input, help on every command, and output that cannot
//! be written.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

fn liveness(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_liveness"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run liveness");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// Runs the binary with standard output going to `stdout` (a file or a pipe); returns the exit code
/// and standard error.
fn liveness_to(args: &[&str], stdin: Option<&str>, stdout: Stdio) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_liveness"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("run liveness");
    let mut input = child.stdin.take().unwrap();
    // The command may fail before reading its input.
    let _ = input.write_all(stdin.unwrap_or("").as_bytes());
    drop(input);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The write end of a pipe whose reader has already gone, as with `| head -c1` once head exits.
fn pipe_without_reader() -> Stdio {
    let mut reader = Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .expect("run true");
    let writer = reader.stdin.take().unwrap();
    reader.wait().unwrap();
    Stdio::from(writer)
}

fn run_json(scenario: &Value) -> (i32, Value) {
    let out = liveness(&["run", "--json", "-"], Some(&scenario.to_string()));
    let code = out.status.code().unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code, v)
}

fn small() -> Value {
    json!({
        "name": "small",
        "seed": 9,
        "duration": "5mins",
        "frameworks": [{ "name": "web", "partition_aware": true, "checkpoint": true }],
        "agents": [{ "name": "a", "count": 3, "tasks": { "web": 1 } }],
        "faults": [{ "at": "1mins", "kind": "partition", "agents": ["a-1"] }],
        "expect": [{ "event": "agent_marked_unreachable", "agent": "a-1", "count": 1 }]
    })
}

#[test]
fn every_preset_is_listed_and_passes() {
    let out = liveness(&["presets"], None);
    assert!(out.status.success());
    let list = String::from_utf8(out.stdout).unwrap();
    for p in liveness::presets::PRESETS {
        assert!(list.contains(p.name), "{} missing from {list}", p.name);
        let out = liveness(&["run", "--preset", p.name], None);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}:\n{text}", p.name);
        assert!(text.contains("Timeline") && text.contains("trace hash"));
    }
}

#[test]
fn json_summary_has_the_contracted_fields() {
    let (code, v) = run_json(&small());
    assert_eq!(code, 0);
    let hash = v["trace_hash"].as_str().unwrap();
    assert_eq!(hash.len(), 16);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(v["expectations"][0]["passed"], json!(true));
    assert!(v["expectations"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("agent_marked_unreachable"));
    assert_eq!(v["metrics"]["master/slave_removals"], json!(1.0));
    assert_eq!(v["final"]["a-1"]["master_view"], json!("unreachable"));
    assert_eq!(v["final"]["a-0"]["agent_state"], json!("running"));
}

/// The --trace file holds one canonical line per event, and the hash is FNV-1a 64 over the
/// events' binary encoding (docs/trace.md), the same as an in-process run's.
#[test]
fn trace_file_lines_are_the_events_the_hash_covers() {
    let path = std::env::temp_dir().join(format!("liveness-trace-{}.jsonl", std::process::id()));
    let out = liveness(
        &[
            "run",
            "--preset",
            "partition",
            "--json",
            "--trace",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).ok();
    let preset = liveness::presets::find("partition").unwrap();
    let scenario = liveness::scenario::Scenario::from_json_text(preset.json).unwrap();
    let mut sim = liveness::sim::Simulation::new(&scenario).unwrap();
    sim.run_to_end();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for e in sim.trace() {
        for b in liveness::trace_hash::encode(e) {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    assert_eq!(format!("{h:016x}"), v["trace_hash"].as_str().unwrap());
    assert_eq!(text.lines().count() as u64, v["events"].as_u64().unwrap());
    for (line, e) in text.lines().zip(sim.trace()) {
        assert_eq!(line, sim.event_json(e));
    }
}

/// Same scenario and seed, same hash; another seed changes the random backoffs and the hash.
#[test]
fn runs_are_deterministic() {
    let (_, a) = run_json(&small());
    let (_, b) = run_json(&small());
    assert_eq!(a["trace_hash"], b["trace_hash"]);
    let mut other = small();
    other["seed"] = json!(10);
    let (_, c) = run_json(&other);
    assert_ne!(a["trace_hash"], c["trace_hash"]);
    // In-process runs agree with the CLI.
    let scenario = liveness::scenario::Scenario::from_json(&small()).unwrap();
    let mut sim = liveness::sim::Simulation::new(&scenario).unwrap();
    sim.run_to_end();
    assert_eq!(sim.trace_hash().unwrap(), a["trace_hash"].as_str().unwrap());
}

#[test]
fn a_failed_expectation_exits_1_with_the_reason() {
    let mut s = small();
    s["expect"] = json!([{ "at": "4mins", "agent": "a-1", "master_view": "connected" }]);
    let (code, v) = run_json(&s);
    assert_eq!(code, 1);
    assert_eq!(v["expectations"][0]["passed"], json!(false));
    assert!(v["expectations"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("was unreachable (wanted connected)"));
}

/// Runs invalid input and returns stderr, checking exit code 2 and no panic.
fn rejected(input: &str) -> String {
    let out = liveness(&["run", "-"], Some(input));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "input {input}\nstderr {err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    err
}

fn with(path: &str, value: Value) -> String {
    let mut s = small();
    let mut cur = &mut s;
    let parts: Vec<&str> = path.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        cur = match p.parse::<usize>() {
            Ok(i) => &mut cur[i],
            Err(_) => &mut cur[*p],
        };
    }
    let last = parts[parts.len() - 1];
    match last.parse::<usize>() {
        Ok(i) => cur[i] = value,
        Err(_) => cur[last] = value,
    }
    s.to_string()
}

#[test]
fn invalid_json_and_wrong_top_level_type() {
    assert!(rejected("{ not json").contains("not valid JSON"));
    assert!(rejected("[1, 2]").contains("expected an object"));
}

#[test]
fn wrong_types_name_the_field() {
    assert!(rejected(&with("agents.0.count", json!("3")))
        .contains("agents[0].count: expected a whole number"));
    assert!(rejected(&with("frameworks.0.checkpoint", json!("yes")))
        .contains("frameworks[0].checkpoint: expected true or false"));
    assert!(rejected(&with("seed", json!(-1))).contains("seed:"));
    assert!(rejected(&with("agents", json!({}))).contains("agents: expected a list"));
}

#[test]
fn unknown_fields_are_rejected_with_a_suggestion() {
    let err = rejected(&with("master", json!({ "agent_ping_timout": "15secs" })));
    assert!(
        err.contains(
            "master.agent_ping_timout: unknown field (did you mean \"agent_ping_timeout\"?)"
        ),
        "{err}"
    );
    assert!(rejected(&with("faults.0.directon", json!("both")))
        .contains("faults[0].directon: unknown field"));
}

#[test]
fn unknown_agent_and_framework_names() {
    assert!(rejected(&with("faults.0.agents", json!(["a-9"])))
        .contains("faults[0].agents[0]: unknown agent \"a-9\""));
    assert!(rejected(&with("agents.0.tasks", json!({ "batch": 1 })))
        .contains("agents[0].tasks.batch: unknown framework \"batch\""));
    assert!(rejected(&with("expect.0.agent", json!("b")))
        .contains("expect[0].agent: unknown agent \"b\""));
    let err = rejected(&with(
        "faults.0",
        json!({ "at": "1mins", "kind": "disconnect_framework", "framework": "nope" }),
    ));
    assert!(
        err.contains("faults[0].framework: unknown framework \"nope\""),
        "{err}"
    );
}

#[test]
fn bad_durations() {
    assert!(rejected(&with("duration", json!("5 minutes")))
        .contains("duration: \"5 minutes\" has an unknown unit"));
    assert!(rejected(&with("duration", json!("5"))).contains("expected a number and a unit"));
    assert!(
        rejected(&with("faults.0.at", json!(true))).contains("faults[0].at: expected a duration")
    );
    assert!(rejected(&with(
        "master",
        json!({ "agent_reregister_timeout": "-10mins" })
    ))
    .contains("master.agent_reregister_timeout: \"-10mins\" is negative"));
}

#[test]
fn zero_or_out_of_range_values() {
    assert!(
        rejected(&with("agents.0.count", json!(0))).contains("agents[0].count: must be at least 1")
    );
    assert!(
        rejected(&with("master", json!({ "agent_ping_timeout": "0secs" })))
            .contains("master.agent_ping_timeout: must be positive")
    );
    assert!(
        rejected(&with("master", json!({ "max_agent_ping_timeouts": 0 })))
            .contains("master.max_agent_ping_timeouts: must be at least 1")
    );
    assert!(rejected(&with("network", json!({ "drop_rate": 1.5 })))
        .contains("network.drop_rate: must be between 0 and 1"));
    assert!(rejected(&with("agents.0.count", json!(10_000_000))).contains("must be at most 100000"));
    // A run too long to finish is refused up front, naming the limit.
    let mut long = small();
    long["master"] = json!({ "agent_ping_timeout": "1ms" });
    long["duration"] = json!("2weeks");
    let err = rejected(&long.to_string());
    assert!(
        err.contains("duration: this run would simulate about")
            && err.contains("more than the limit of 1000000000"),
        "{err}"
    );
    // A zero backoff would retry registration at the same instant for ever.
    assert!(
        rejected(&with("agents.0.registration_backoff_factor", json!("0ms")))
            .contains("agents[0].registration_backoff_factor: must be positive")
    );
    assert!(rejected(&with(
        "agents.0.executor_reregistration_timeout",
        json!("2days")
    ))
    .contains("agents[0].executor_reregistration_timeout: must be at most 1days"));
    // Control characters from the input never split a problem over several lines.
    let err = rejected(&with("duration", json!("1\nmins")));
    assert!(err.contains("duration: \"1\\nmins\""), "{err}");
}

/// The settings the fidelity work added: executors' `recovery_timeout`, `hung_executors`,
/// `authentication_delay`, `supervisor_restart_delay`, `registry_store_timeout`, the
/// `mesos-latest` policy and the new event filters.
#[test]
fn fidelity_settings_are_validated() {
    let cases: &[(&str, Value, &str)] = &[
        (
            "agents.0.recovery_timeout",
            json!("0secs"),
            "agents[0].recovery_timeout: must be positive",
        ),
        (
            "agents.0.recovery_timeout",
            json!("-5mins"),
            "agents[0].recovery_timeout: \"-5mins\" is negative",
        ),
        (
            "agents.0.recovery_timeout",
            json!("2weeks"),
            "agents[0].recovery_timeout: must be at most 1weeks",
        ),
        (
            "agents.0.hung_executors",
            json!(-1),
            "agents[0].hung_executors: expected a whole number",
        ),
        (
            "agents.0.supervisor_restart_delay",
            json!("sometimes"),
            "agents[0].supervisor_restart_delay: \"sometimes\"",
        ),
        (
            "agents.0.authentication_delay",
            json!(true),
            "agents[0].authentication_delay: expected a duration",
        ),
        (
            "master",
            json!({ "registry_store_timeout": "0ms" }),
            "master.registry_store_timeout: must be positive",
        ),
        (
            "policy",
            json!("mesos-2.0"),
            "policy: unknown policy \"mesos-2.0\"; expected one of mesos-1.1, mesos-1.2, mesos-1.5, mesos-latest, running-only-pongs",
        ),
        (
            "expect.0",
            json!({ "event": "executor_terminated", "reason": "boredom", "count": 1 }),
            "expect[0].reason: unknown reason \"boredom\"; expected one of recovery_timeout, reregistration_timeout, agent_exited, agent_shutdown, framework_shutdown",
        ),
    ];
    for (path, value, want) in cases {
        let err = rejected(&with(path, value.clone()));
        assert!(err.contains(want), "{path} = {value}: {err}");
        assert_eq!(
            err.lines()
                .filter(|l| l.contains(path.split('.').next_back().unwrap()))
                .count(),
            1,
            "{err}"
        );
    }
    // "never" is a valid supervisor delay, and mesos-latest a valid policy.
    let mut ok = small();
    ok["policy"] = json!("mesos-latest");
    ok["agent_defaults"] =
        json!({ "supervisor_restart_delay": "never", "recovery_timeout": "20mins" });
    assert_eq!(run_json(&ok).0, 0);
}

#[test]
fn rate_limit_syntax() {
    for bad in ["1/", "x/20mins", "0/20mins", "1/20", "120mins"] {
        let err = rejected(&with("master", json!({ "agent_removal_rate_limit": bad })));
        assert!(
            err.contains("master.agent_removal_rate_limit:"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn percentages() {
    for bad in ["50", "150%", "abc%"] {
        let err = rejected(&with(
            "master",
            json!({ "recovery_agent_removal_limit": bad }),
        ));
        assert!(
            err.contains("master.recovery_agent_removal_limit:"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn every_problem_is_reported_on_its_own_line() {
    let mut s = small();
    s["agents"][0]["count"] = json!(0);
    s["policy"] = json!("mesos-9");
    s["expect"] = json!([{ "event": "no_such_event", "count": 1 }]);
    let err = rejected(&s.to_string());
    assert!(err.contains("agents[0].count: must be at least 1"));
    assert!(err.contains("policy: unknown policy \"mesos-9\""));
    assert!(err.contains("expect[0].event: unknown event \"no_such_event\""));
    assert!(err.lines().count() >= 4);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["run"][..],
        &["run", "--preset", "nope"],
        &["frobnicate"],
        &["run", "a.json", "--bogus"],
    ] {
        let out = liveness(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "));
    }
    let out = liveness(&["run", "/no/such/file.json"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /no/such/file.json"));
}

/// Every command, as (arguments, standard input): each prints something on success.
fn every_command() -> Vec<(Vec<&'static str>, Option<String>)> {
    let spec = json!({
        "name": "tiny sweep",
        "base": { "duration": "1hrs", "agents": [{ "name": "a", "count": 2 }] },
        "vary": { "master.agent_reregister_timeout": ["10mins"] },
        "workload": { "horizon": "1hrs", "faults": [{ "kind": "crash_agent", "at": "10mins" }] },
        "trials": 1,
        "seed": 1
    });
    let mut commands = vec![
        (vec!["run", "--preset", "stuck-recovery", "--json"], None),
        (vec!["run", "--preset", "stuck-recovery"], None),
        (vec!["presets"], None),
        (vec!["sweep", "-"], Some(spec.to_string())),
        (vec!["sweep", "--json", "-"], Some(spec.to_string())),
        (vec!["completions", "bash"], None),
        (vec!["--help"], None),
        (vec!["run", "--help"], None),
        (vec!["help"], None),
        (vec!["--version"], None),
        (vec![], None),
    ];
    // The benchmark takes about 2 s optimised, far longer unoptimised.
    if !cfg!(debug_assertions) {
        commands.push((vec!["bench", "--quick"], None));
    }
    commands
}

#[test]
fn every_command_succeeds_with_output() {
    for (args, stdin) in every_command() {
        let out = liveness(&args, stdin.as_deref());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
    }
}

/// A full disk or a reader that has gone ends every command with one line and exit code 2, never
/// a panic or a silent success.
#[test]
fn output_that_cannot_be_written_exits_2_with_one_line() {
    for (args, stdin) in every_command() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        for (what, stdout) in [
            ("/dev/full", Stdio::from(full)),
            ("closed pipe", pipe_without_reader()),
        ] {
            let (code, err) = liveness_to(&args, stdin.as_deref(), stdout);
            assert_eq!(code, 2, "{args:?} > {what}: {err}");
            assert_eq!(err.lines().count(), 1, "{args:?} > {what}: {err}");
            assert!(
                err.starts_with("error: cannot write to standard output: "),
                "{args:?} > {what}: {err}"
            );
        }
    }
}

#[test]
fn every_command_has_help_starting_with_its_usage() {
    for command in ["run", "presets", "sweep", "bench", "completions"] {
        for help in [
            &[command, "--help"][..],
            &[command, "-h"],
            &["help", command],
        ] {
            let out = liveness(help, None);
            let text = String::from_utf8(out.stdout).unwrap();
            assert_eq!(out.status.code(), Some(0), "{help:?}");
            assert!(
                text.starts_with(&format!("Usage: liveness {command}")),
                "{help:?}:\n{text}"
            );
        }
    }
    let out = liveness(&["--help"], None);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Usage: liveness"), "{text}");
    for command in ["run", "presets", "sweep", "bench", "completions"] {
        assert!(
            text.contains(&format!("\n  {command} ")),
            "{command} missing:\n{text}"
        );
    }
    assert!(text.contains("Exit codes: 0"));
}

#[test]
fn unknown_options_are_usage_errors_naming_the_option() {
    for command in ["run", "presets", "sweep", "bench", "completions"] {
        let out = liveness(&[command, "--frobnicate"], None);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{command}: {err}");
        assert!(
            err.starts_with("error: unexpected argument '--frobnicate' found"),
            "{command}: {err}"
        );
        assert!(err.contains(&format!("Usage: liveness {command}")), "{err}");
        assert!(out.stdout.is_empty());
    }
    // A near miss gets a suggestion.
    let err = String::from_utf8(liveness(&["run", "--jsn"], None).stderr).unwrap();
    assert!(err.contains("a similar argument exists: '--json'"), "{err}");
    let err =
        String::from_utf8(liveness(&["sweep", "x.json", "--threads", "0"], None).stderr).unwrap();
    assert!(
        err.starts_with(
            "error: invalid value '0' for '--threads <N>': expected a whole number of at least 1"
        ),
        "{err}"
    );
}

#[test]
fn completions_know_the_commands_and_presets() {
    let out = liveness(&["completions", "bash"], None);
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(script.contains("_liveness()"), "{script}");
    assert!(script.contains("sweep"));
    assert!(script.contains("stuck-recovery"));
    let out = liveness(&["completions", "tcsh"], None);
    assert_eq!(out.status.code(), Some(2));
}

/// Mesos' flag parser wants `15secs`; `15s` runs, with a warning naming Mesos' spelling.
#[test]
fn durations_mesos_refuses_run_with_a_warning() {
    let mut s = small();
    s["duration"] = json!("5m");
    s["master"] = json!({ "agent_ping_timeout": "15s", "agent_removal_rate_limit": "1/2h" });
    let (code, v) = run_json(&s);
    assert_eq!(code, 0);
    assert_eq!(
        v["warnings"],
        json!([
            "duration: \"5m\" is not Mesos syntax; Mesos writes \"5mins\"",
            "master.agent_ping_timeout: \"15s\" is not Mesos syntax; Mesos writes \"15secs\"",
            "master.agent_removal_rate_limit: \"1/2h\" is not Mesos syntax; Mesos writes \"1/2hrs\""
        ])
    );
    // The readable summary shows them too; Mesos spellings give none.
    let out = liveness(&["run", "-"], Some(&s.to_string()));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("warning: master.agent_ping_timeout: \"15s\" is not Mesos syntax; Mesos writes \"15secs\""), "{text}");
    let (_, v) = run_json(&small());
    assert_eq!(v["warnings"], json!([]));
}
