//! The `liveness` command line: run scenario files and presets, list presets, benchmark.

mod bench;
mod summary;
mod sweep;

use std::io::{Read, Write};
use std::process::ExitCode;

use liveness::scenario::Scenario;
use liveness::sim::Simulation;

const USAGE: &str = "\
liveness — simulate how an Apache Mesos master decides an agent is dead

Usage:
  liveness run FILE|-            run a scenario file (- reads standard input)
  liveness run --preset NAME     run a built-in scenario
      --trace PATH               also write every trace event as JSON Lines
      --json                     print a machine-readable summary instead
  liveness presets               list the built-in scenarios
  liveness sweep SPEC.json [--json] [--out FILE.csv] [--threads N]
                                 Monte Carlo sweep of the timeouts over a fault workload
  liveness bench [--json] [--quick]
                                 measure engine speed (events/s, simulated s per wall s)
  liveness help                  this text

Exit codes: 0 every expectation holds, 1 an expectation failed, 2 invalid input.";

/// A usage or input problem: printed, exit code 2.
struct Invalid(Vec<String>);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(code) => code,
        Err(Invalid(lines)) => {
            let mut err = std::io::stderr().lock();
            for line in lines {
                let _ = writeln!(err, "error: {line}");
            }
            ExitCode::from(2)
        }
    }
}

fn dispatch(args: &[String]) -> Result<ExitCode, Invalid> {
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("presets") => {
            presets();
            Ok(ExitCode::SUCCESS)
        }
        Some("bench") => bench::main(&args[1..]).map_err(|e| Invalid(vec![e])),
        Some("sweep") => sweep::main(&args[1..]).map_err(Invalid),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(Invalid(vec![format!(
            "unknown command \"{other}\"; try `liveness help`"
        )])),
    }
}

fn presets() {
    let width = liveness::presets::PRESETS
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(0);
    for p in liveness::presets::PRESETS {
        let (_, first) = p.summary();
        println!("{:width$}  {first}", p.name);
    }
}

struct RunArgs {
    source: Option<String>,
    preset: Option<String>,
    trace: Option<String>,
    json: bool,
}

fn parse_run_args(args: &[String]) -> Result<RunArgs, Invalid> {
    let mut out = RunArgs {
        source: None,
        preset: None,
        trace: None,
        json: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => out.json = true,
            "--trace" => {
                out.trace = Some(
                    it.next()
                        .cloned()
                        .ok_or_else(|| Invalid(vec!["--trace needs a file path".into()]))?,
                )
            }
            "--preset" => {
                out.preset = Some(
                    it.next()
                        .cloned()
                        .ok_or_else(|| Invalid(vec!["--preset needs a name".into()]))?,
                )
            }
            flag if flag.starts_with("--") => {
                return Err(Invalid(vec![format!(
                    "unknown option {flag}; try `liveness help`"
                )]))
            }
            file => {
                if out.source.replace(file.to_string()).is_some() {
                    return Err(Invalid(vec!["give one scenario file".into()]));
                }
            }
        }
    }
    if out.source.is_some() == out.preset.is_some() {
        return Err(Invalid(vec![
            "run needs a scenario: a FILE, - for standard input, or --preset NAME".into(),
        ]));
    }
    Ok(out)
}

fn load(args: &RunArgs) -> Result<Scenario, Invalid> {
    let (text, origin) = if let Some(name) = &args.preset {
        let p = liveness::presets::find(name).ok_or_else(|| {
            let names: Vec<&str> = liveness::presets::PRESETS.iter().map(|p| p.name).collect();
            Invalid(vec![format!(
                "unknown preset \"{name}\"; presets: {}",
                names.join(", ")
            )])
        })?;
        (p.json.to_string(), format!("preset {name}"))
    } else {
        let path = args.source.as_deref().unwrap_or("-");
        let mut text = String::new();
        let read = if path == "-" {
            std::io::stdin().read_to_string(&mut text).map(|_| ())
        } else {
            std::fs::read_to_string(path).map(|t| text = t)
        };
        read.map_err(|e| Invalid(vec![format!("cannot read {path}: {e}")]))?;
        (text, path.to_string())
    };
    Scenario::from_json_text(&text).map_err(|e| {
        let mut lines = vec![format!("{origin} is not a valid scenario:")];
        lines.extend(e.problems);
        Invalid(lines)
    })
}

fn run(args: &[String]) -> Result<ExitCode, Invalid> {
    let args = parse_run_args(args)?;
    let scenario = load(&args)?;
    let mut sim = Simulation::new(&scenario).map_err(|e| Invalid(e.problems))?;
    sim.run_to_end();
    if let Some(path) = &args.trace {
        write_trace(&sim, path).map_err(|e| Invalid(vec![format!("cannot write {path}: {e}")]))?;
    }
    let results = sim.check_expectations();
    let hash = sim.trace_hash().unwrap_or_default();
    let text = if args.json {
        summary::json(&sim, &results, &hash)
    } else {
        summary::human(&sim, &results, &hash)
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    Ok(if results.iter().all(|r| r.passed) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn write_trace(sim: &Simulation, path: &str) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut line = String::new();
    for ev in sim.trace() {
        line.clear();
        sim.write_event_json(ev, &mut line);
        line.push('\n');
        w.write_all(line.as_bytes())?;
    }
    w.flush()
}
