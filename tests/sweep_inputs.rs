//! Bad sweep specs get one-line errors that name their JSON path, never a panic: the committed
//! cases in `tests/fuzz-corpus/sweep/` (each a spec with the exact problems it must give), then
//! seeded mutants of valid specs (`LIVENESS_FUZZ_ITERS` scales the count, as in `fuzz.rs`).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use liveness::rng::Rng;
use liveness::sweep::SweepPlan;
use serde_json::{json, Value};

/// Every problem is one line starting with a JSON path whose first part is a top-level key of
/// the spec (or a field the spec lacks) and then ": ".
fn check_lines(problems: &[String], spec: &Value) -> Result<(), String> {
    if problems.is_empty() {
        return Err("an error with no problem in it".to_string());
    }
    const FIELDS: &[&str] = &[
        "name",
        "base",
        "vary",
        "workload",
        "trials",
        "seed",
        "objective",
    ];
    for p in problems {
        if p.chars().any(char::is_control) {
            return Err(format!("{p:?} is not one line"));
        }
        let Some((path, _)) = p.split_once(": ") else {
            return Err(format!("{p:?} has no path"));
        };
        let first = path.split(['.', '[']).next().unwrap_or("");
        let known = spec.as_object().is_some_and(|m| m.contains_key(first))
            || FIELDS.contains(&first)
            || path == "(scenario)";
        if !known {
            return Err(format!("{p:?} does not start with a path into the spec"));
        }
    }
    Ok(())
}

/// Parses a spec (and draws a trial when it is valid) without panicking.
fn parse(spec: &Value) -> Result<Option<Vec<String>>, String> {
    catch_unwind(AssertUnwindSafe(|| match SweepPlan::from_json(spec) {
        Ok(plan) => {
            let _ = plan.trial(plan.points.len() - 1, plan.trials - 1);
            None
        }
        Err(e) => Some(e.problems),
    }))
    .map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn committed_bad_specs_give_exactly_their_problems() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus/sweep");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 8, "{} cases", files.len());
    for f in files {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let spec = &case["spec"];
        let expected: Vec<&str> = case["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap())
            .collect();
        let got = parse(spec)
            .unwrap_or_else(|p| panic!("{}: panicked: {p}", f.display()))
            .unwrap_or_default();
        if !got.is_empty() {
            check_lines(&got, spec).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        }
        let matches = |line: &str, want: &str| match want.strip_suffix('…') {
            Some(prefix) => line.starts_with(prefix),
            None => line == want,
        };
        for want in &expected {
            assert!(
                got.iter().any(|g| matches(g, want)),
                "{}: missing {want:?} in\n{}",
                f.display(),
                got.join("\n")
            );
        }
        for g in &got {
            assert!(
                expected.iter().any(|w| matches(g, w)),
                "{}: unexpected {g:?}",
                f.display()
            );
        }
    }
}

/// Values that break parsers: edge numbers, odd strings and shapes, and the new fields' values.
fn edge_value(rng: &mut Rng) -> Value {
    let choices = [
        json!(-1),
        json!(0),
        json!(0.5),
        json!(1.5),
        json!(1e300),
        json!(u64::MAX),
        json!(""),
        json!("hang"),
        json!("0secs"),
        json!("-5secs"),
        json!("1/0secs"),
        json!("0.5/1days"),
        json!("1000000/1secs"),
        json!("rack"),
        json!("cluster"),
        json!("10%"),
        json!("150%"),
        json!("0%"),
        json!([]),
        json!({}),
        Value::Null,
        json!(true),
        json!(["30secs", 5]),
        json!({ "empirical": [] }),
        json!({ "empirical": { "file": "x.txt" } }),
        json!({ "lognormal": { "median": "30secs", "p99": "20mins" }, "min": "1mins", "max": "1secs" }),
        json!({ "uniform": ["1secs", "1weeks"], "max": "30days" }),
        json!({ "empirical": ["0secs"] }),
        json!("detection_by_kind.crash.p99"),
        json!({ "metric": "undetected", "at_most": 0 }),
    ];
    choices[rng.uniform(choices.len() as u64 - 1) as usize].clone()
}

/// Every path into `v` (object keys and list indices).
fn paths(v: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                at.push(json!(k));
                paths(x, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                at.push(json!(i));
                paths(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn mutate(rng: &mut Rng, doc: &mut Value) {
    let mut all = Vec::new();
    paths(&doc["workload"], &mut vec![json!("workload")], &mut all);
    paths(&doc["objective"], &mut vec![json!("objective")], &mut all);
    let path = all[rng.uniform(all.len() as u64 - 1) as usize].clone();
    let mut node = &mut *doc;
    for seg in &path {
        node = match seg {
            Value::String(k) => &mut node[k.as_str()],
            Value::Number(i) => &mut node[i.as_u64().unwrap() as usize],
            _ => unreachable!(),
        };
    }
    match rng.uniform(3) {
        0 => *node = edge_value(rng),
        1 => {
            if let Value::Object(m) = node {
                let keys: Vec<String> = m.keys().cloned().collect();
                if !keys.is_empty() {
                    m.remove(&keys[rng.uniform(keys.len() as u64 - 1) as usize]);
                }
            }
        }
        2 => {
            if let Value::Object(m) = node {
                let key = [
                    "scope",
                    "racks",
                    "batch",
                    "pause",
                    "min",
                    "max",
                    "hang_probability",
                    "breaks_socket",
                    "downtime",
                    "rate",
                    "at",
                ][rng.uniform(10) as usize];
                m.insert(key.to_string(), edge_value(rng));
            }
        }
        _ => {
            if let Value::Array(items) = node {
                items.push(edge_value(rng));
            }
        }
    }
}

#[test]
fn mutated_specs_never_panic_and_name_their_paths() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let valid: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("tests/fuzz-corpus/sweep/valid-every-new-field.json"))
            .unwrap(),
    )
    .unwrap();
    let mut example: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("sweeps/reregister-vs-ping.json")).unwrap(),
    )
    .unwrap();
    example["trials"] = json!(1);
    example["vary"] = json!({});
    example["objective"] =
        json!({ "subject_to": [{ "metric": "false_unreachable", "at_most": 1 }] });
    let bases = [valid["spec"].clone(), example];
    let iters: u64 = std::env::var("LIVENESS_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(3_000, |n: u64| n / 40);
    let mut rng = Rng::new(0x5eed_5eed, 7);
    let (mut ok, mut bad) = (0, 0);
    for i in 0..iters {
        let mut doc = bases[(i % 2) as usize].clone();
        for _ in 0..1 + rng.uniform(2) {
            mutate(&mut rng, &mut doc);
        }
        match parse(&doc) {
            Err(p) => panic!("iteration {i}: panicked: {p}\n{doc:#}"),
            Ok(None) => ok += 1,
            Ok(Some(problems)) => {
                bad += 1;
                check_lines(&problems, &doc)
                    .unwrap_or_else(|e| panic!("iteration {i}: {e}\n{doc:#}"));
            }
        }
    }
    eprintln!("{iters} mutants: {ok} valid, {bad} rejected");
    assert!(ok > 0 && bad > 0);
}
