//! JavaScript values in, JSON values out: a [`DeserializeSeed`] that reads any JS value through
//! serde-wasm-bindgen into a [`serde_json::Value`], so the core validates exactly what the CLI
//! would read from a file.
//!
//! JSON cannot carry everything JavaScript can, so this is stricter than serde-wasm-bindgen's own
//! `Value` conversion, and reports each problem with its JSON path (as the core does):
//! - `NaN` and `±Infinity` are problems (serde_json would silently turn them into `null`);
//! - values that have no JSON form (functions, symbols, typed arrays, `Map`s with non-string keys,
//!   BigInts outside 64 bits) are problems;
//! - nesting deeper than [`MAX_DEPTH`] (which also catches cyclic objects) is a problem.
//!
//! `undefined` reads as `null`, which the core treats as an absent field. `-0` reads as `0`, and
//! whole numbers beyond 2^53 as integers while they fit 64 bits, as `JSON.stringify` text would.

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use wasm_bindgen::JsValue;

/// The deepest nesting accepted (serde_json's own recursion limit for JSON text).
pub const MAX_DEPTH: u32 = 128;

/// A JSON path, built lazily: segments point at their parent and are only formatted when a
/// problem is reported.
#[derive(Clone, Copy)]
enum Path<'a> {
    /// The root, with its name (`""` for a scenario, `"fault"` for an injected fault).
    Root(&'a str),
    /// `parent.key`
    Key(&'a Path<'a>, &'a str),
    /// `parent[i]`
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root(name) => f.write_str(name),
            Path::Key(parent, key) => {
                if matches!(parent, Path::Root("")) {
                    f.write_str(key)
                } else {
                    write!(f, "{parent}.{key}")
                }
            }
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

impl Path<'_> {
    /// The path as the core prints it (`(scenario)` for the root of a scenario), shortened to its
    /// end when it is very long (a cyclic object).
    fn text(&self) -> String {
        let text = match self {
            Path::Root("") => "(scenario)".to_string(),
            other => other.to_string(),
        };
        let chars = text.chars().count();
        if chars > 120 {
            let tail: String = text.chars().skip(chars - 100).collect();
            format!("…{tail}")
        } else {
            text
        }
    }
}

/// What the seeds share: the problems found, and whether reading was abandoned.
struct Shared {
    problems: RefCell<Vec<String>>,
    /// Set when nesting is too deep: everything unwinds without reporting more.
    aborted: std::cell::Cell<bool>,
}

/// Names the JS value in serde-wasm-bindgen's "invalid type" messages in plain words.
fn describe_error(e: &str) -> String {
    let e = e.trim_start_matches("Error: ");
    if e.contains("JsValue(Function") {
        "a function is not a JSON value".to_string()
    } else if e.contains("JsValue(Symbol") {
        "a symbol is not a JSON value".to_string()
    } else {
        format!("not a JSON value ({})", e.replace("Error: ", ""))
    }
}

/// Reads one value at a path; problems go to the shared list and the value becomes `null`.
struct Seed<'p, 'a> {
    path: &'a Path<'a>,
    depth: u32,
    shared: &'p Shared,
}

impl Seed<'_, '_> {
    fn problem(&self, msg: impl fmt::Display) {
        self.shared
            .problems
            .borrow_mut()
            .push(format!("{}: {msg}", self.path.text()));
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        if self.depth > MAX_DEPTH {
            self.problem(format!(
                "nested more than {MAX_DEPTH} levels deep (is the object cyclic?)"
            ));
            self.shared.aborted.set(true);
            return Err(D::Error::custom("too deep"));
        }
        let shared = self.shared;
        let path = self.path;
        match deserializer.deserialize_any(JsonVisitor(self)) {
            Ok(v) => Ok(v),
            Err(e) if shared.aborted.get() => Err(e),
            Err(e) => {
                // This value has no JSON form (or is a `Map` with a non-string key); report it
                // and go on with the rest.
                shared.problems.borrow_mut().push(format!(
                    "{}: {}",
                    path.text(),
                    describe_error(&e.to_string())
                ));
                Ok(Value::Null)
            }
        }
    }
}

struct JsonVisitor<'p, 'a>(Seed<'p, 'a>);

impl<'de> Visitor<'de> for JsonVisitor<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.0.deserialize(d)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // serde-wasm-bindgen hands whole numbers beyond 2^53 over as floats; JSON text (and so
        // the CLI reading `JSON.stringify` output) reads them as integers while they fit 64 bits.
        if v.fract() == 0.0 {
            if (0.0..18_446_744_073_709_551_616.0).contains(&v) {
                return Ok(Value::from(v as u64));
            }
            if (-9_223_372_036_854_775_808.0..0.0).contains(&v) {
                return Ok(Value::from(v as i64));
            }
        }
        match Number::from_f64(v) {
            Some(n) => Ok(Value::Number(n)),
            None => {
                let shown = if v.is_nan() {
                    "NaN"
                } else if v > 0.0 {
                    "Infinity"
                } else {
                    "-Infinity"
                };
                self.0.problem(format!(
                    "{shown} is not a valid number (JSON numbers are finite)"
                ));
                Ok(Value::Null)
            }
        }
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<Value, E> {
        self.0
            .problem("a typed array or ArrayBuffer is not JSON; use a plain array");
        Ok(Value::Null)
    }

    fn visit_byte_buf<E>(self, _: Vec<u8>) -> Result<Value, E> {
        self.0
            .problem("a typed array or ArrayBuffer is not JSON; use a plain array");
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let path = Path::Index(self.0.path, out.len());
            let child = Seed {
                path: &path,
                depth: self.0.depth + 1,
                shared: self.0.shared,
            };
            match seq.next_element_seed(child)? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<KeyString>()? {
            let path = Path::Key(self.0.path, &key.0);
            let child = Seed {
                path: &path,
                depth: self.0.depth + 1,
                shared: self.0.shared,
            };
            let value = map.next_value_seed(child)?;
            out.insert(key.0, value);
        }
        Ok(Value::Object(out))
    }
}

/// An object key: only strings (a `Map` with other keys has no JSON form).
struct KeyString(String);

impl<'de> serde::Deserialize<'de> for KeyString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyString;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyString, E> {
                Ok(KeyString(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<KeyString, E> {
                Ok(KeyString(v))
            }
        }
        d.deserialize_string(V)
            .map_err(|e: D::Error| D::Error::custom(format!("object keys must be strings: {e}")))
    }
}

/// Converts a JS value to JSON. `root` names the value in problem lines (`""` for a scenario,
/// whose root the core calls `(scenario)`; `"fault"` for an injected fault). Returns every problem
/// found, one line each.
pub fn to_json(value: JsValue, root: &str) -> Result<Value, Vec<String>> {
    let shared = Shared {
        problems: RefCell::new(Vec::new()),
        aborted: std::cell::Cell::new(false),
    };
    let path = Path::Root(root);
    let seed = Seed {
        path: &path,
        depth: 0,
        shared: &shared,
    };
    let de = serde_wasm_bindgen::Deserializer::from(value);
    // The seed reports every failure as a problem; it only returns an error once abandoned.
    let out = seed.deserialize(de).unwrap_or(Value::Null);
    let problems = shared.problems.into_inner();
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
