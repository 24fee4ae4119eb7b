//! The fuzz loop's mutations (tests/fuzz.rs): random structural edits of a JSON document drawn
//! from a vocabulary of every key the scenario format knows and values at the edges (numbers,
//! durations, rates, markup, control characters, huge strings), and damage to its text
//! (truncation, byte edits, duplicated keys, deep nesting).

use liveness::rng::Rng;
use serde_json::{json, Number, Value};

/// One of `items`, uniformly.
pub fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.uniform(items.len() as u64 - 1) as usize]
}

const KNOWN_KEYS: &[&str] = &[
    "name",
    "description",
    "seed",
    "duration",
    "policy",
    "master",
    "network",
    "frameworks",
    "agents",
    "agent_defaults",
    "faults",
    "expect",
    "agent_ping_timeout",
    "max_agent_ping_timeouts",
    "agent_reregister_timeout",
    "agent_removal_rate_limit",
    "recovery_agent_removal_limit",
    "registry_write_latency",
    "registry_gc_interval",
    "registry_max_agent_age",
    "registry_max_agent_count",
    "reregister_timer",
    "reregistration_policy",
    "latency",
    "jitter",
    "drop_rate",
    "partition_aware",
    "checkpoint",
    "connected",
    "count",
    "tasks",
    "executors",
    "completed_executors",
    "recovery_per_executor",
    "registration_backoff_factor",
    "executor_reregistration_timeout",
    "pong_when",
    "at",
    "kind",
    "agents",
    "recovery",
    "work_dir_lost",
    "direction",
    "breaks_socket",
    "messages",
    "until",
    "downtime",
    "framework",
    "event",
    "between",
    "at_least",
    "at_most",
    "metric",
    "equals",
    "agent",
    "master_view",
    "agent_state",
    "cause",
    "state",
    "reason",
];

/// Numbers at the edges.
fn extreme_number(rng: &mut Rng) -> Value {
    match rng.uniform(13) {
        0 => json!(0),
        1 => json!(-1),
        2 => json!(1e308),
        3 => json!(-0.0),
        4 => json!((1u64 << 53) + 1),
        5 => json!(u64::MAX),
        6 => json!(i64::MIN),
        7 => json!(0.5),
        8 => json!(1e-300),
        9 => json!(1_000),
        10 => json!(u32::MAX as u64 + 1),
        11 => json!(-1e308),
        12 => json!(f64::MIN_POSITIVE),
        _ => json!(1),
    }
}

/// Strings at the edges: odd durations, rates and percentages, markup, control characters,
/// huge ones, names that almost exist.
fn edge_string(rng: &mut Rng) -> Value {
    const S: &[&str] = &[
        "",
        " ",
        "0",
        "-0secs",
        "-1secs",
        "0ns",
        "1ns",
        "0.0000000001secs",
        ".5secs",
        "5.secs",
        ".secs",
        "1e3ms",
        "1_000ms",
        "18446744073709551615weeks",
        "99999999999999999999999weeks",
        "1.5.5secs",
        "15 secs",
        " 15secs ",
        "15SECS",
        "15sec",
        "NaNsecs",
        "infms",
        "2000weeks",
        "2001weeks",
        "1/0secs",
        "0/1mins",
        "1/1ns",
        "1000001/1mins",
        "1000000/1secs",
        "/",
        "1/",
        "1/1mins/2",
        "-1/1mins",
        "100%",
        "100.0000001%",
        "100.000001%",
        "0%",
        "-0%",
        "%",
        ".%",
        "1234567%",
        "12.5",
        "all",
        "ALL",
        "hang",
        "both",
        "master_to_agent",
        "PingSlaveMessage",
        "pingslavemessage",
        "TASK_LOST",
        "health_check",
        "connected",
        "recovering",
        "mesos-1.2",
        "mesos-1.3",
        "keep_all",
        "running",
        "a0",
        "a0-0",
        "a1-99",
        "fw0",
        "<script>alert(1)</script>",
        "\"},{\"kind\":\"heal\"",
        "a\nb",
        "\u{0}",
        "\u{202e}evil",
        "🦀",
        "\\",
        "${jndi:ldap://x}",
        "%s%s%s%n",
        "master/slave_removals",
        "master/nope",
    ];
    match rng.uniform(9) {
        0 => json!("x".repeat(100_000)),
        1 => json!("🦀".repeat(1 + rng.uniform(5_000) as usize)),
        2 => json!(format!("{}secs", "9".repeat(1 + rng.uniform(40) as usize))),
        _ => json!(*pick(rng, S)),
    }
}

fn random_value(rng: &mut Rng) -> Value {
    match rng.uniform(6) {
        0 => Value::Null,
        1 => json!(rng.uniform(1) == 1),
        2 => extreme_number(rng),
        3 => edge_string(rng),
        4 => json!([]),
        5 => json!({}),
        _ => json!([1, "a", null]),
    }
}

/// Every node of a JSON tree, as a path of object keys / array indices.
#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Ix(usize),
}

fn nodes(v: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(path.clone());
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                path.push(Seg::Key(k.clone()));
                nodes(x, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                path.push(Seg::Ix(i));
                nodes(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'v>(v: &'v mut Value, path: &[Seg]) -> &'v mut Value {
    let mut cur = v;
    for seg in path {
        cur = match seg {
            Seg::Key(k) => cur.get_mut(k.as_str()).expect("path"),
            Seg::Ix(i) => cur.get_mut(*i).expect("path"),
        };
    }
    cur
}

/// One random structural edit somewhere in `doc`.
pub fn mutate(rng: &mut Rng, doc: &mut Value) {
    let mut all = Vec::new();
    nodes(doc, &mut Vec::new(), &mut all);
    let path = pick(rng, &all).clone();
    let donor = {
        let other = pick(rng, &all).clone();
        let mut d = doc.clone();
        at_mut(&mut d, &other).clone()
    };
    let node = at_mut(doc, &path);
    match rng.uniform(14) {
        // Swap the type.
        0 | 1 => *node = random_value(rng),
        2 => *node = extreme_number(rng),
        3 => *node = edge_string(rng),
        // Delete a key / an element.
        4 => match node {
            Value::Object(map) if !map.is_empty() => {
                let k = pick(rng, &map.keys().cloned().collect::<Vec<_>>()).clone();
                map.remove(&k);
            }
            Value::Array(items) if !items.is_empty() => {
                let i = rng.uniform(items.len() as u64 - 1) as usize;
                items.remove(i);
            }
            other => *other = Value::Null,
        },
        // Duplicate: an element, or a key's value under another (known or unknown) key.
        5 => match node {
            Value::Object(map) if !map.is_empty() => {
                let k = pick(rng, &map.keys().cloned().collect::<Vec<_>>()).clone();
                let v = map[&k].clone();
                let to = if rng.uniform(1) == 0 {
                    pick(rng, KNOWN_KEYS).to_string()
                } else {
                    format!("{k}_copy")
                };
                map.insert(to, v);
            }
            Value::Array(items) if !items.is_empty() => {
                let i = rng.uniform(items.len() as u64 - 1) as usize;
                let v = items[i].clone();
                let n = 1 + rng.uniform(3) as usize;
                for _ in 0..n {
                    items.push(v.clone());
                }
            }
            other => *other = json!([other.clone(), other.clone()]),
        },
        // Unknown keys: typos of known ones, markup, empty.
        6 => {
            if let Value::Object(map) = node {
                let k = pick(rng, KNOWN_KEYS);
                let key = match rng.uniform(4) {
                    0 => k[1..].to_string(),
                    1 => format!("{k}s"),
                    2 => k.to_uppercase(),
                    3 => String::new(),
                    _ => edge_string(rng).as_str().unwrap_or("?").to_string(),
                };
                map.insert(key, random_value(rng));
            } else {
                *node = json!({ pick(rng, KNOWN_KEYS).to_string(): node.clone() });
            }
        }
        // Deep nesting.
        7 => {
            let depth = 1 + rng.uniform(60) as usize;
            let mut v = node.clone();
            for i in 0..depth {
                v = if i % 2 == 0 {
                    json!([v])
                } else {
                    json!({ "at": v })
                };
            }
            *node = v;
        }
        // Transplant another subtree here.
        8 => *node = donor,
        // Sign flips and off-by-ones of numbers.
        9 => {
            if let Some(n) = node.as_f64() {
                let m = match rng.uniform(3) {
                    0 => -n,
                    1 => n + 1.0,
                    2 => n - 1.0,
                    _ => n * 1e6,
                };
                *node = Number::from_f64(m).map_or(Value::Null, Value::Number);
            } else {
                *node = extreme_number(rng);
            }
        }
        // Edge values that stay valid more often: durations at their extremes, small counts,
        // flipped flags (so that more mutants get past the validator and run).
        11..=13 => match node {
            Value::String(t) if liveness::time::parse_duration(t).is_ok() => {
                *node = json!(*pick(
                    rng,
                    &[
                        "0ns",
                        "1ns",
                        "1us",
                        "999us",
                        "1ms",
                        "1.5secs",
                        "1hrs",
                        "1days",
                        "0.000001secs"
                    ]
                ));
            }
            Value::Number(_) => *node = json!(rng.uniform(3)),
            Value::Bool(b) => *b = !*b,
            _ => {}
        },
        // Empty the container.
        _ => match node {
            Value::Object(map) => map.clear(),
            Value::Array(items) => items.clear(),
            other => *other = json!({}),
        },
    }
}

/// Serialises, then sometimes damages the text: truncation, random byte edits, a duplicated
/// key, or nesting deeper than the JSON parser allows.
pub fn to_text(rng: &mut Rng, doc: &Value) -> String {
    let mut text = if rng.uniform(1) == 0 {
        doc.to_string()
    } else {
        serde_json::to_string_pretty(doc).unwrap()
    };
    match rng.uniform(9) {
        0 => {
            let cut = rng.uniform(text.len() as u64) as usize;
            let mut bytes = text.into_bytes();
            bytes.truncate(cut);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        1 => {
            let mut bytes = text.into_bytes();
            for _ in 0..1 + rng.uniform(4) {
                if bytes.is_empty() {
                    break;
                }
                let i = rng.uniform(bytes.len() as u64 - 1) as usize;
                match rng.uniform(2) {
                    0 => bytes[i] = *pick(rng, b"{}[]\",:0-.e\\ \n\x00\xff"),
                    1 => {
                        bytes.remove(i);
                    }
                    _ => bytes.insert(i, *pick(rng, b"{}[]\",:0-.e")),
                }
            }
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        2 => {
            // A duplicated key (serde_json keeps the last one).
            if let Some(i) = text.find('{') {
                text.insert_str(i + 1, "\"seed\": 1, \"seed\": \"x\",");
            }
        }
        3 => {
            let depth = 100 + rng.uniform(20_000) as usize;
            text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        }
        _ => {}
    }
    text
}
