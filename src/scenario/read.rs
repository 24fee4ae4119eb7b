//! The reading toolkit for JSON inputs (scenarios here, sweep specs in `crate::sweep`): problems
//! collected with their JSON paths ([`Errors`]), objects whose unknown keys are reported with a
//! suggestion ([`Obj`]), and readers for durations, numbers, names, rates and percentages. It
//! knows nothing of what a scenario contains.
//!
//! The readers are `#[inline(never)]`: each is called from dozens of places, once per field of a
//! scenario, so inlining them buys nothing and cost 14 KB of the lab's wasm module.

use serde_json::{Map, Value};

use super::{RateLimit, Warning};
use crate::time::{self, Time};

/// Collected problems, then warnings: input that runs but that Mesos would not accept as written.
#[derive(Default)]
pub(crate) struct Errors(pub(crate) Vec<String>, Vec<Warning>);

impl Errors {
    /// Records a problem at a JSON path.
    #[inline(never)]
    pub(crate) fn at(&mut self, path: &str, msg: impl std::fmt::Display) {
        let path = if path.is_empty() { "(scenario)" } else { path };
        // One problem, one line: control characters from the input (a newline in a key or a
        // name) are shown escaped.
        let line = format!("{path}: {msg}");
        if line.chars().any(char::is_control) {
            self.0.push(
                line.chars()
                    .map(|c| {
                        if c.is_control() {
                            c.escape_default().to_string()
                        } else {
                            c.to_string()
                        }
                    })
                    .collect(),
            );
        } else {
            self.0.push(line);
        }
    }

    /// Records a warning at a JSON path (of a field the reader knows, so free of control
    /// characters).
    #[inline(never)]
    pub(crate) fn warn(&mut self, path: &str, msg: impl std::fmt::Display) {
        self.1.push(Warning {
            path: path.to_string(),
            message: msg.to_string(),
        });
    }

    /// The warnings recorded so far.
    #[inline(never)]
    pub(crate) fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.1)
    }
}

/// Warns when a duration is written in a form Mesos' flag parser refuses (`15s`), naming Mesos'
/// spelling (`15secs`).
#[inline(never)]
pub(crate) fn warn_spelling(errs: &mut Errors, path: &str, text: &str, prefix: &str) {
    if let Some(mesos) = time::mesos_spelling(text) {
        errs.warn(
            path,
            format!(
                "\"{prefix}{}\" is not Mesos syntax; Mesos writes \"{prefix}{mesos}\"",
                text.trim()
            ),
        );
    }
}

#[inline(never)]
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[inline(never)]
pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

#[inline(never)]
pub(crate) fn describe(v: &Value) -> String {
    let text = match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("the string {:?}", s),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "an object".to_string(),
    };
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

/// An object being read: remembers which keys were used so the rest can be reported.
pub(crate) struct Obj<'a> {
    pub(crate) path: String,
    pub(crate) map: &'a Map<String, Value>,
    pub(crate) used: Vec<&'static str>,
}

impl<'a> Obj<'a> {
    #[inline(never)]
    pub(crate) fn new(errs: &mut Errors, path: &str, v: &'a Value) -> Option<Obj<'a>> {
        match v {
            Value::Object(map) => Some(Obj {
                path: path.to_string(),
                map,
                used: Vec::new(),
            }),
            other => {
                errs.at(path, format!("expected an object, got {}", describe(other)));
                None
            }
        }
    }

    /// The value of `key`, if present and not null.
    #[inline(never)]
    pub(crate) fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.used.push(key);
        self.map.get(key).filter(|v| !v.is_null())
    }

    #[inline(never)]
    pub(crate) fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    #[inline(never)]
    pub(crate) fn path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// Reports every key not read.
    #[inline(never)]
    pub(crate) fn finish(self, errs: &mut Errors) {
        for key in self.map.keys() {
            if !self.used.iter().any(|u| u == key) {
                let mut known: Vec<&str> = self.used.clone();
                known.sort_unstable();
                known.dedup();
                let hint = match suggest(key, &known) {
                    Some(s) => format!(" (did you mean \"{s}\"?)"),
                    None => format!("; known fields: {}", known.join(", ")),
                };
                errs.at(&join(&self.path, key), format!("unknown field{hint}"));
            }
        }
    }
}

/// The known name closest to a typo, if it is close.
fn suggest<'k>(typo: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(typo, k), *k))
        .filter(|&(d, k)| d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Whether zero is an acceptable duration for a field.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Zero {
    Allowed,
    Rejected,
}

#[inline(never)]
pub(crate) fn duration(errs: &mut Errors, path: &str, v: &Value, zero: Zero) -> Option<Time> {
    let parsed = match v {
        Value::String(s) => time::parse_duration(s),
        Value::Number(n) => match n.as_f64() {
            Some(ms) => time::millis_to_time(ms),
            None => Err("not a number".to_string()),
        },
        other => Err(format!(
            "expected a duration such as \"15secs\" (or a number of milliseconds), got {}",
            describe(other)
        )),
    };
    match parsed {
        Ok(0) if zero == Zero::Rejected => {
            errs.at(path, "must be positive");
            None
        }
        Ok(t) => {
            if let Value::String(text) = v {
                warn_spelling(errs, path, text, "");
            }
            Some(t)
        }
        Err(e) => {
            errs.at(path, e);
            None
        }
    }
}

#[inline(never)]
pub(crate) fn opt_duration(
    errs: &mut Errors,
    o: &mut Obj,
    key: &'static str,
    zero: Zero,
    default: Time,
) -> Time {
    match o.get(key) {
        Some(v) => duration(errs, &o.path(key), v, zero).unwrap_or(default),
        None => default,
    }
}

/// The field `key` of `o`, or None after reporting it missing (`required: {what}`).
#[inline(never)]
pub(crate) fn required<'v>(
    errs: &mut Errors,
    o: &mut Obj<'v>,
    key: &'static str,
    what: &str,
) -> Option<&'v Value> {
    let v = o.get(key);
    if v.is_none() {
        errs.at(&o.path(key), format!("required: {what}"));
    }
    v
}

/// The optional whole number `key` of `o` in `min..=max`, or `default` when it is absent or wrong
/// (then the problem is reported).
#[inline(never)]
pub(crate) fn opt_uint(
    errs: &mut Errors,
    o: &mut Obj,
    key: &'static str,
    (min, max): (u64, u64),
    default: u64,
) -> u64 {
    match o.get(key) {
        Some(v) => uint(errs, &o.path(key), v, min, max).unwrap_or(default),
        None => default,
    }
}

#[inline(never)]
pub(crate) fn uint(errs: &mut Errors, path: &str, v: &Value, min: u64, max: u64) -> Option<u64> {
    let n = match v {
        Value::Number(n) => match n.as_u64() {
            Some(n) => n,
            None => {
                errs.at(
                    path,
                    format!("expected a whole number from {min} to {max}, got {n}"),
                );
                return None;
            }
        },
        other => {
            errs.at(
                path,
                format!("expected a whole number, got {}", describe(other)),
            );
            return None;
        }
    };
    if n < min {
        errs.at(path, format!("must be at least {min}"));
        None
    } else if n > max {
        errs.at(path, format!("must be at most {max}"));
        None
    } else {
        Some(n)
    }
}

#[inline(never)]
pub(crate) fn boolean(errs: &mut Errors, path: &str, v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        other => {
            errs.at(
                path,
                format!("expected true or false, got {}", describe(other)),
            );
            None
        }
    }
}

#[inline(never)]
pub(crate) fn string<'v>(errs: &mut Errors, path: &str, v: &'v Value) -> Option<&'v str> {
    match v {
        Value::String(s) => Some(s),
        other => {
            errs.at(path, format!("expected a string, got {}", describe(other)));
            None
        }
    }
}

#[inline(never)]
pub(crate) fn named<T>(
    errs: &mut Errors,
    path: &str,
    v: &Value,
    what: &str,
    parse: fn(&str) -> Option<T>,
    choices: String,
) -> Option<T> {
    let s = string(errs, path, v)?;
    let parsed = parse(s);
    if parsed.is_none() {
        errs.at(
            path,
            format!("unknown {what} \"{s}\"; expected one of {choices}"),
        );
    }
    parsed
}

#[inline(never)]
pub(crate) fn rate_limit(errs: &mut Errors, path: &str, v: &Value) -> Option<RateLimit> {
    let s = string(errs, path, v)?;
    let Some((permits, per)) = s.split_once('/') else {
        errs.at(
            path,
            format!("\"{s}\" is not a rate: expected \"<permits>/<duration>\", e.g. \"1/20mins\""),
        );
        return None;
    };
    let permits = match permits.trim().parse::<u64>() {
        Ok(0) => {
            errs.at(path, format!("\"{s}\": permits must be at least 1"));
            return None;
        }
        Ok(p) if p <= 1_000_000 => p,
        _ => {
            errs.at(
                path,
                format!("\"{s}\": permits must be a whole number from 1 to 1000000"),
            );
            return None;
        }
    };
    let per = rate_period(errs, path, s, per)?;
    if per / permits == 0 {
        errs.at(path, format!("\"{s}\": permits are closer than 1us apart"));
        return None;
    }
    Some(RateLimit { permits, per })
}

/// The period `per` of the rate `s` (`"<count>/<per>"`): a positive duration.
#[inline(never)]
pub(crate) fn rate_period(errs: &mut Errors, path: &str, s: &str, per: &str) -> Option<Time> {
    match time::parse_duration(per) {
        Ok(0) => {
            errs.at(path, format!("\"{s}\": the period must be positive"));
            None
        }
        Ok(period) => {
            warn_spelling(errs, path, per, &s[..s.len() - per.len()]);
            Some(period)
        }
        Err(e) => {
            errs.at(path, format!("\"{s}\": the period {e}"));
            None
        }
    }
}

/// A percentage such as `"100%"` or `"12.5%"`, in millionths of a percent.
#[inline(never)]
pub(crate) fn percent(errs: &mut Errors, path: &str, v: &Value) -> Option<u64> {
    let s = string(errs, path, v)?;
    let Some(number) = s.trim().strip_suffix('%') else {
        errs.at(path, format!("\"{s}\" must end in %, e.g. \"100%\""));
        return None;
    };
    let millionths = parse_fixed(number.trim(), 6);
    match millionths {
        Some(m) if m <= 100_000_000 => Some(m),
        Some(_) => {
            errs.at(path, format!("\"{s}\" must be between 0% and 100%"));
            None
        }
        None => {
            errs.at(
                path,
                format!("\"{s}\" is not a percentage such as \"100%\""),
            );
            None
        }
    }
}

/// `digits[.digits]` as an integer scaled by `10^decimals`.
#[inline(never)]
pub(crate) fn parse_fixed(s: &str, decimals: u32) -> Option<u64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() || frac.len() > decimals as usize || int.len() > 6 {
        return None;
    }
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac_val: u64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    Some(int * 10u64.pow(decimals) + frac_val * 10u64.pow(decimals - frac.len() as u32))
}

#[inline(never)]
pub(crate) fn list_of<'v>(errs: &mut Errors, path: &str, v: &'v Value) -> Option<&'v Vec<Value>> {
    match v {
        Value::Array(items) => Some(items),
        other => {
            errs.at(path, format!("expected a list, got {}", describe(other)));
            None
        }
    }
}

/// `; known: a, b, c` (at most eight names), for "unknown name" problems.
#[inline(never)]
pub(crate) fn known_list<'n>(names: impl Iterator<Item = &'n str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.len() {
        0 => "; none are defined".to_string(),
        1..=8 => format!("; known: {}", names.join(", ")),
        n => format!("; known: {}, … ({n} in all)", names[..8].join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_field_names() {
        assert_eq!(
            suggest("agent_ping_timout", &["agent_ping_timeout", "seed"]),
            Some("agent_ping_timeout")
        );
        assert_eq!(suggest("zzz", &["agent_ping_timeout"]), None);
    }

    #[test]
    fn percentages_are_exact() {
        assert_eq!(parse_fixed("12.5", 6), Some(12_500_000));
        assert_eq!(parse_fixed("100", 6), Some(100_000_000));
        assert_eq!(parse_fixed("abc", 6), None);
    }
}
