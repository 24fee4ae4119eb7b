//! `liveness sweep` and `liveness sweep merge` through the binary: shards merge into exactly the
//! unsharded output, files named by the spec are read relative to it, `--out` is checked before
//! anything runs, output that cannot be written fails, Mesos-refused values warn in `liveness
//! run`'s words, and the table says what it recommends and why.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use liveness::sweep::metrics::metric;
use serde_json::{json, Value};

fn liveness(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liveness"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("run liveness")
}

fn ok(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sweep-cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A small sweep whose restarts take measured times from `recoveries.txt` next to the spec.
fn spec() -> Value {
    json!({
        "name": "cli sweep",
        "base": {
            "frameworks": [{ "name": "web", "partition_aware": false, "checkpoint": true }],
            "agents": [{ "name": "a", "count": 6, "tasks": { "web": 2 } }]
        },
        "vary": {
            "master.agent_reregister_timeout": ["10mins", "20mins"],
            "master.agent_ping_timeout": ["10secs", "15secs"]
        },
        "workload": {
            "horizon": "6hrs",
            "faults": [
                { "kind": "crash_agent", "rate": "1/2days" },
                { "kind": "restart_agent", "rate": "1/1days", "hang_probability": 0.2,
                  "recovery": { "empirical": { "file": "recoveries.txt" } } }
            ]
        },
        "trials": 7,
        "seed": 3
    })
}

/// Writes the spec into `dir/specs/` with its recoveries file beside it; returns its path.
fn write_spec(dir: &Path, spec: &Value) -> PathBuf {
    let specs = dir.join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    std::fs::write(
        specs.join("recoveries.txt"),
        "# seconds, or Mesos durations\n30\n95secs\n4mins\n12mins\n25mins\n",
    )
    .unwrap();
    let path = specs.join("spec.json");
    std::fs::write(&path, spec.to_string()).unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// For N = 1, 2, 3 and 7 shards (7 = one trial each), the merge of the parts — given in any
/// order — prints byte for byte what the unsharded run prints, JSON and CSV; the table is the
/// same too. The spec is run from another directory: its file is found beside it.
#[test]
fn shards_merge_into_exactly_the_unsharded_output() {
    let dir = scratch("merge");
    let path = write_spec(&dir, &spec());
    let full_csv = dir.join("full.csv");
    let full = ok(&liveness(
        &["sweep", s(&path), "--json", "--out", s(&full_csv)],
        &dir,
    ));
    let table = ok(&liveness(&["sweep", s(&path), "--threads", "1"], &dir));
    let body = |t: &str| t[..t.trim_end().rfind('\n').unwrap()].to_string();
    let v: Value = serde_json::from_str(&full).unwrap();
    assert_eq!(v["points"].as_array().unwrap().len(), 4);
    assert_eq!(v["points"][0]["trials"], json!(7));
    for n in [1u64, 2, 3, 7] {
        let mut parts = Vec::new();
        for k in (1..=n).rev() {
            let out = ok(&liveness(
                &["sweep", s(&path), "--shard", &format!("{k}/{n}"), "--json"],
                &dir,
            ));
            let part = dir.join(format!("part-{k}-of-{n}.json"));
            std::fs::write(&part, out).unwrap();
            parts.push(part);
        }
        let merged_csv = dir.join(format!("merged-{n}.csv"));
        let mut args = vec!["sweep", "merge", "--json", "--out", s(&merged_csv)];
        args.extend(parts.iter().map(|p| s(p)));
        assert_eq!(ok(&liveness(&args, &dir)), full, "{n} shards");
        assert_eq!(
            std::fs::read(&merged_csv).unwrap(),
            std::fs::read(&full_csv).unwrap(),
            "{n} shards"
        );
        let mut args = vec!["sweep", "merge"];
        args.extend(parts.iter().map(|p| s(p)));
        let merged_table = ok(&liveness(&args, &dir));
        assert_eq!(body(&merged_table), body(&table), "{n} shards");
        assert!(merged_table.ends_with(&format!("merged from {n} parts\n")));
    }
}

/// A missing or repeated shard is refused by name; `--shard` writes a part, so it needs `--json`.
#[test]
fn merge_refuses_incomplete_parts_and_shards_need_json() {
    let dir = scratch("incomplete");
    let path = write_spec(&dir, &spec());
    let part = dir.join("p1.json");
    std::fs::write(
        &part,
        ok(&liveness(
            &["sweep", s(&path), "--shard", "1/2", "--json"],
            &dir,
        )),
    )
    .unwrap();
    let out = liveness(&["sweep", "merge", s(&part)], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: missing shard 2/2\n"
    );
    let out = liveness(&["sweep", "merge", s(&part), s(&part)], &dir);
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "error: {}: shard 1/2 is also in {}\n",
            part.display(),
            part.display()
        )
    );
    let out = liveness(&["sweep", s(&path), "--shard", "1/2"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: the following required arguments were not provided:\n  --json"),
        "{err}"
    );
    let out = liveness(&["sweep", s(&path), "--shard", "3/2", "--json"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("\"3/2\" is not a shard: expected K/N with 1 ≤ K ≤ N, e.g. 1/4"));
}

/// `--out` that cannot be written fails before the first trial: this sweep would run for hours.
#[test]
fn a_bad_out_path_fails_before_running() {
    let dir = scratch("bad-out");
    let mut big = spec();
    big["trials"] = json!(100_000);
    big["base"]["agents"][0]["count"] = json!(50);
    big["workload"]["horizon"] = json!("30days");
    let path = write_spec(&dir, &big);
    let missing = dir.join("no-such-dir").join("out.csv");
    for (out_path, why) in [
        (s(&missing), "No such file or directory"),
        (s(&dir), "Is a directory"),
    ] {
        let out = liveness(&["sweep", s(&path), "--out", out_path], &dir);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with(&format!("error: cannot write {out_path}: {why}")),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(out.stdout.is_empty());
    }
    assert!(!missing.parent().unwrap().exists());
}

/// A full disk fails the run, the merge and the CSV with exit code 2.
#[test]
fn output_that_cannot_be_written_exits_2() {
    let dir = scratch("full");
    let path = write_spec(&dir, &spec());
    let part = dir.join("p.json");
    std::fs::write(
        &part,
        ok(&liveness(
            &["sweep", s(&path), "--shard", "1/1", "--json"],
            &dir,
        )),
    )
    .unwrap();
    let commands: [&[&str]; 5] = [
        &["sweep", s(&path)],
        &["sweep", s(&path), "--json"],
        &["sweep", s(&path), "--shard", "1/1", "--json"],
        &["sweep", "merge", s(&part)],
        &["sweep", "merge", s(&part), "--json"],
    ];
    for args in commands {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_liveness"))
            .args(args)
            .current_dir(&dir)
            .stdout(Stdio::from(full))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("error: cannot write to standard output: "),
            "{args:?}: {err}"
        );
    }
    let out = liveness(&["sweep", s(&path), "--out", "/dev/full"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .starts_with("error: cannot write /dev/full: "));
}

/// A value Mesos refuses warns on standard error in exactly `liveness run`'s words, once, and
/// the JSON carries it.
#[test]
fn mesos_refused_values_warn_as_liveness_run_does() {
    let dir = scratch("warn");
    let mut v = spec();
    v["vary"]["master.agent_reregister_timeout"] = json!(["5mins", "10mins"]);
    let path = write_spec(&dir, &v);
    let scenario = json!({
        "duration": "1hrs",
        "master": { "agent_reregister_timeout": "5mins" },
        "agents": [{ "name": "a" }]
    });
    let scenario_path = dir.join("scenario.json");
    std::fs::write(&scenario_path, scenario.to_string()).unwrap();
    let run = ok(&liveness(&["run", s(&scenario_path)], &dir));
    let warning = run
        .lines()
        .find(|l| l.starts_with("warning: "))
        .expect("liveness run warns")
        .to_string();
    assert!(warning.contains("agent_reregister_timeout"), "{warning}");
    for args in [vec!["sweep", s(&path)], vec!["sweep", s(&path), "--json"]] {
        let out = liveness(&args, &dir);
        ok(&out);
        assert_eq!(
            String::from_utf8(out.stderr).unwrap(),
            format!("{warning}\n")
        );
    }
    let out: Value =
        serde_json::from_str(&ok(&liveness(&["sweep", s(&path), "--json"], &dir))).unwrap();
    assert_eq!(
        out["warnings"],
        json!([warning.trim_start_matches("warning: ")])
    );
}

/// The table heads its columns with the engine's labels (no "false/1k"), states the objective,
/// and ends with the recommendation's own sentence, or the reason there is none.
#[test]
fn the_table_says_what_it_recommends_and_why() {
    let dir = scratch("table");
    let mut v = spec();
    v["objective"] = json!({
        "minimize": "detection_by_kind.crash.p99",
        "subject_to": [{ "metric": "false_unreachable_per_1000_restarts", "at_most": 1000 }]
    });
    let path = write_spec(&dir, &v);
    let table = ok(&liveness(&["sweep", s(&path)], &dir));
    let out: Value =
        serde_json::from_str(&ok(&liveness(&["sweep", s(&path), "--json"], &dir))).unwrap();
    let why = out["recommendation"]["why"]
        .as_str()
        .expect("a recommendation");
    assert!(
        table.contains(&format!("\n* Recommended: {why}\n")),
        "{table}"
    );
    assert!(table.contains("objective: minimize crash detection p99 subject to false unreachable / 1,000 restarts at most 1000\n"), "{table}");
    let flat: String = table.split_whitespace().collect::<Vec<_>>().join(" ");
    for path in [
        "detection_by_kind.crash.p99",
        "false_unreachable_per_agent_day",
        "master_messages_per_second",
    ] {
        let label = metric(path).unwrap().label;
        let first = label.split(' ').next().unwrap();
        assert!(flat.contains(first), "{label} missing:\n{table}");
    }
    assert!(!table.contains("false/1k"));
    // The recommended row is starred, and it is the recommended point's.
    let point = out["recommendation"]["point"].as_u64().unwrap() as usize;
    let starred: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("* ") && !l.starts_with("* Recommended"))
        .collect();
    assert_eq!(starred.len(), 1, "{table}");
    let params = &out["points"][point]["params"];
    for key in [
        "master.agent_reregister_timeout",
        "master.agent_ping_timeout",
    ] {
        assert!(
            starred[0].contains(params[key].as_str().unwrap()),
            "{table}"
        );
    }
    // An objective nothing meets (a 30-minute partition of every agent is marked at every
    // point): the reason instead.
    v["objective"]["subject_to"][0] = json!({ "metric": "false_unreachable", "at_most": 0 });
    v["workload"]["faults"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "kind": "partition", "at": "1hrs", "duration": "30mins" }));
    let path = write_spec(&dir, &v);
    let table = ok(&liveness(&["sweep", s(&path)], &dir));
    let out: Value =
        serde_json::from_str(&ok(&liveness(&["sweep", s(&path), "--json"], &dir))).unwrap();
    let reason = out["no_recommendation"]
        .as_str()
        .expect("no recommendation");
    assert!(
        table.contains(&format!("\nNo recommendation: {reason}\n")),
        "{table}"
    );
}
