//! `liveness run FILE|-|--preset NAME [--trace PATH] [--json]`: one scenario to its end, its
//! summary on standard output, exit code 1 when an expectation fails.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::{ArgGroup, Args, ValueHint};
use liveness::scenario::Scenario;
use liveness::sim::Simulation;

use crate::output::{self, Failure};
use crate::summary;

/// The options of `liveness run`.
#[derive(Args)]
#[command(after_help = crate::EXIT_CODES)]
#[command(group(ArgGroup::new("scenario").required(true).args(["file", "preset"])))]
pub struct RunArgs {
    /// The scenario file to run; - reads standard input
    #[arg(value_name = "FILE|-", value_hint = ValueHint::FilePath)]
    file: Option<PathBuf>,
    /// Run a built-in scenario instead (`liveness presets` lists them)
    #[arg(long, value_name = "NAME", value_parser = preset_names())]
    preset: Option<String>,
    /// Also write every trace event to PATH as JSON Lines
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    trace: Option<PathBuf>,
    /// Print a machine-readable JSON summary instead of the readable one
    #[arg(long)]
    json: bool,
}

/// The presets' names, so a wrong one is a usage error and shells complete them.
fn preset_names() -> PossibleValuesParser {
    PossibleValuesParser::new(liveness::presets::PRESETS.iter().map(|p| p.name))
}

/// Runs the scenario; exit code 0 when every expectation holds, 1 otherwise.
pub fn main(args: &RunArgs) -> Result<ExitCode, Failure> {
    let scenario = load(args)?;
    let mut sim = Simulation::new(&scenario).map_err(|e| Failure(e.problems))?;
    sim.run_to_end();
    if let Some(path) = &args.trace {
        write_trace(&sim, path)
            .map_err(|e| Failure::new(format!("cannot write {}: {e}", path.display())))?;
    }
    let results = sim.check_expectations();
    let hash = sim.trace_hash().unwrap_or_default();
    let text = if args.json {
        summary::json(&sim, &results, &hash)
    } else {
        summary::human(&sim, &results, &hash)
    };
    output::stdout(&text)?;
    Ok(if results.iter().all(|r| r.passed) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Prints the presets, one a line with the first line of its summary.
pub fn list_presets() -> Result<ExitCode, Failure> {
    let width = liveness::presets::PRESETS
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for p in liveness::presets::PRESETS {
        let (_, first) = p.summary();
        text.push_str(&format!("{:width$}  {first}\n", p.name));
    }
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn load(args: &RunArgs) -> Result<Scenario, Failure> {
    let (text, origin) = if let Some(name) = &args.preset {
        // The argument parser has checked the name against the same list.
        let p = liveness::presets::find(name)
            .ok_or_else(|| Failure::new(format!("unknown preset \"{name}\"")))?;
        (p.json.to_string(), format!("preset {name}"))
    } else {
        let path = args.file.as_deref().unwrap_or(Path::new("-"));
        (read_input(path)?, path.display().to_string())
    };
    Scenario::from_json_text(&text).map_err(|e| {
        let mut lines = vec![format!("{origin} is not a valid scenario:")];
        lines.extend(e.problems);
        Failure(lines)
    })
}

/// The text of a file, or of standard input for `-`.
pub fn read_input(path: &Path) -> Result<String, Failure> {
    let read = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map(|_| text)
    } else {
        std::fs::read_to_string(path)
    };
    read.map_err(|e| Failure::new(format!("cannot read {}: {e}", path.display())))
}

fn write_trace(sim: &Simulation, path: &Path) -> std::io::Result<()> {
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
