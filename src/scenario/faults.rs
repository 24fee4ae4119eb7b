//! Reading faults: a scenario's `faults` and faults injected through the API. The list of kinds
//! comes from [`FaultKindName`].

use serde_json::Value;

use super::parse::Names;
use super::read::{boolean, describe, duration, index, named, string, Errors, Obj, Zero};
use super::*;
use crate::time::SECS;

/// A restart's `recovery`: absent (computed), `"hang"` or a duration.
fn recovery(errs: &mut Errors, o: &mut Obj) -> Recovery {
    match o.get("recovery") {
        None => Recovery::Computed,
        Some(Value::String(s)) if s == "hang" => Recovery::Hang,
        Some(v) => match duration(errs, &o.path("recovery"), v, Zero::Allowed) {
            Some(t) => Recovery::Fixed(t),
            None => Recovery::Computed,
        },
    }
}

/// Parses one fault. With `require_at` false (faults injected through the API) `at` may be absent
/// and is then 0 (the caller sets the real time).
pub(super) fn fault(
    errs: &mut Errors,
    path: &str,
    v: &Value,
    names: &Names,
    require_at: bool,
) -> Option<Fault> {
    let mut o = Obj::new(errs, path, v)?;
    let at = match o.get("at") {
        Some(v) => duration(errs, &o.path("at"), v, Zero::Allowed),
        None if require_at => {
            errs.at(
                &o.path("at"),
                "required: when the fault happens, e.g. \"1min\"",
            );
            None
        }
        None => Some(0),
    };
    let kind_name = match o.get("kind") {
        Some(v) => string(errs, &o.path("kind"), v),
        None => {
            errs.at(
                &o.path("kind"),
                format!("required; one of {}", FaultKindName::choices()),
            );
            None
        }
    };
    let Some(kind_name) = kind_name else {
        o.used.extend_from_slice(&[
            "agents",
            "recovery",
            "work_dir_lost",
            "direction",
            "breaks_socket",
            "messages",
            "until",
            "downtime",
            "framework",
        ]);
        o.finish(errs);
        return None;
    };
    let name = FaultKindName::parse(kind_name);
    // An unknown kind still has its agents checked.
    let takes_agents = name.is_none_or(FaultKindName::takes_agents);
    let mut agents = Vec::new();
    if takes_agents {
        let apath = o.path("agents");
        match o.get("agents") {
            Some(Value::String(s)) if s == "all" => {
                agents = (0..names.agents.len() as AgentIx).collect()
            }
            Some(Value::Array(items)) => {
                if items.is_empty() {
                    errs.at(&apath, "must name at least one agent (or be \"all\")");
                }
                for (i, item) in items.iter().enumerate() {
                    if let Some(a) = names.agent(errs, &index(&apath, i), item) {
                        if !agents.contains(&a) {
                            agents.push(a);
                        }
                    }
                }
            }
            Some(other) => errs.at(
                &apath,
                format!(
                    "expected a list of agent names or \"all\", got {}",
                    describe(other)
                ),
            ),
            None => errs.at(&apath, "required: a list of agent names or \"all\""),
        }
    }
    let kind = match name {
        Some(k @ (FaultKindName::RestartAgent | FaultKindName::StartAgent)) => {
            let recovery = recovery(errs, &mut o);
            let work_dir_lost = match o.get("work_dir_lost") {
                Some(v) => boolean(errs, &o.path("work_dir_lost"), v).unwrap_or(false),
                None => false,
            };
            if k == FaultKindName::RestartAgent {
                Some(FaultKind::RestartAgent {
                    recovery,
                    work_dir_lost,
                })
            } else {
                Some(FaultKind::StartAgent {
                    recovery,
                    work_dir_lost,
                })
            }
        }
        Some(FaultKindName::CrashAgent) => Some(FaultKind::CrashAgent),
        Some(FaultKindName::FinishRecovery) => Some(FaultKind::FinishRecovery),
        Some(FaultKindName::Partition) => {
            let direction = match o.get("direction") {
                None => Some(Direction::Both),
                Some(v) => named(
                    errs,
                    &o.path("direction"),
                    v,
                    "direction",
                    Direction::parse,
                    Direction::choices(),
                ),
            };
            let breaks_socket = match o.get("breaks_socket") {
                Some(v) => boolean(errs, &o.path("breaks_socket"), v).unwrap_or(false),
                None => false,
            };
            direction.map(|direction| FaultKind::Partition {
                direction,
                breaks_socket,
            })
        }
        Some(FaultKindName::Heal) => Some(FaultKind::Heal),
        Some(FaultKindName::BreakSocket) => Some(FaultKind::BreakSocket),
        Some(FaultKindName::DropMessages) => {
            let mpath = o.path("messages");
            let mut messages = Vec::new();
            match o.get("messages") {
                Some(Value::Array(items)) if !items.is_empty() => {
                    for (i, item) in items.iter().enumerate() {
                        if let Some(m) = named(
                            errs,
                            &index(&mpath, i),
                            item,
                            "message",
                            MessageKind::parse,
                            MessageKind::choices(),
                        ) {
                            messages.push(m);
                        }
                    }
                }
                Some(other) => errs.at(
                    &mpath,
                    format!(
                        "expected a non-empty list of Mesos message names, got {}",
                        describe(other)
                    ),
                ),
                None => errs.at(
                    &mpath,
                    format!("required; names from {}", MessageKind::choices()),
                ),
            }
            let until = match o.get("until") {
                Some(v) => duration(errs, &o.path("until"), v, Zero::Allowed),
                None => {
                    errs.at(&o.path("until"), "required: the time the drops stop");
                    None
                }
            };
            if let (Some(until), Some(at)) = (until, at) {
                if until < at && require_at {
                    errs.at(&o.path("until"), "must not be before \"at\"");
                }
            }
            until.map(|until| FaultKind::DropMessages { messages, until })
        }
        Some(FaultKindName::ShutdownAgent) => Some(FaultKind::ShutdownAgent),
        Some(FaultKindName::FailOverMaster) => {
            let downtime = match o.get("downtime") {
                Some(v) => duration(errs, &o.path("downtime"), v, Zero::Allowed),
                None => Some(10 * SECS),
            };
            downtime.map(|downtime| FaultKind::FailOverMaster { downtime })
        }
        Some(k @ (FaultKindName::DisconnectFramework | FaultKindName::ReconnectFramework)) => {
            let fw = match o.get("framework") {
                Some(v) => names.framework(errs, &o.path("framework"), v),
                None => {
                    errs.at(&o.path("framework"), "required: the framework's name");
                    None
                }
            };
            fw.map(|framework| {
                if k == FaultKindName::DisconnectFramework {
                    FaultKind::DisconnectFramework { framework }
                } else {
                    FaultKind::ReconnectFramework { framework }
                }
            })
        }
        None => {
            errs.at(
                &o.path("kind"),
                format!(
                    "unknown fault kind \"{kind_name}\"; expected one of {}",
                    FaultKindName::choices()
                ),
            );
            None
        }
    };
    o.finish(errs);
    Some(Fault {
        at: at?,
        agents,
        kind: kind?,
        raw: v.clone(),
    })
}

/// Parses a fault given through the API (JSON path prefix `fault`), for a scenario's names.
pub fn parse_fault(v: &Value, scenario: &Scenario) -> Result<Fault, InvalidInput> {
    let mut errs = Errors::default();
    let names = Names::new(&scenario.agents, &scenario.frameworks);
    match fault(&mut errs, "fault", v, &names, false) {
        Some(f) if errs.0.is_empty() => Ok(f),
        _ => Err(InvalidInput { problems: errs.0 }),
    }
}
