//! `liveness sweep SPEC.json [--json] [--out FILE.csv] [--threads N]`: runs every trial of every
//! grid point on all cores (rayon) with a progress bar on a terminal.
#![allow(clippy::disallowed_methods)] // Wall-clock time is shown to the operator only.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use clap::{Args, ValueHint};
use liveness::sweep::{SweepPlan, SweepResult};
use rayon::prelude::*;

use crate::output::{self, Failure};

/// The options of `liveness sweep`.
///
/// Running a spec is the command's only action today. Further actions (e.g. merging the results of
/// several runs) fit as a `#[command(subcommand)] action: Option<…>` field beside these options,
/// with `#[command(args_conflicts_with_subcommands = true)]` on the struct.
#[derive(Args)]
pub struct SweepArgs {
    /// The sweep spec (JSON); - reads standard input
    #[arg(value_name = "SPEC.json|-", value_hint = ValueHint::FilePath)]
    spec: PathBuf,
    /// Print the results as JSON instead of a table
    #[arg(long)]
    json: bool,
    /// Also write one CSV row per grid point to FILE
    #[arg(long, value_name = "FILE.csv", value_hint = ValueHint::FilePath)]
    out: Option<PathBuf>,
    /// Worker threads (default: one per core); results are the same for any number
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    threads: Option<usize>,
}

fn at_least_one(text: &str) -> Result<usize, String> {
    text.parse::<usize>()
        .ok()
        .filter(|&n| n >= 1)
        .ok_or_else(|| "expected a whole number of at least 1".to_string())
}

/// Reads the spec, runs every trial, writes the CSV and prints the results.
pub fn main(args: &SweepArgs) -> Result<ExitCode, Failure> {
    let plan = read_plan(&args.spec)?;
    let started = Instant::now();
    let (result, threads) = run_trials(&plan, args.threads)?;
    let wall = started.elapsed().as_secs_f64();
    if let Some(csv) = &args.out {
        std::fs::write(csv, result.to_csv(&plan))
            .map_err(|e| Failure::new(format!("cannot write {}: {e}", csv.display())))?;
    }
    let text = if args.json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&result.to_json(&plan)).unwrap_or_default()
        )
    } else {
        format!(
            "{}\n{} points × {} trials in {wall:.1} s on {threads} threads\n",
            human(&plan, &result),
            plan.points.len(),
            plan.trials,
        )
    };
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The validated plan of a spec file (or of standard input for `-`).
fn read_plan(path: &Path) -> Result<SweepPlan, Failure> {
    let text = crate::run::read_input(path)?;
    let shown = path.display();
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Failure::new(format!("{shown}: not valid JSON: {e}")))?;
    SweepPlan::from_json(&value).map_err(|e| {
        let mut lines = vec![format!("{shown} is not a valid sweep spec:")];
        lines.extend(e.problems);
        Failure(lines)
    })
}

/// Runs every trial of every grid point on `threads` workers (default: one per core), with a
/// progress bar when standard error is a terminal. Returns the result and the thread count.
fn run_trials(plan: &SweepPlan, threads: Option<usize>) -> Result<(SweepResult, usize), Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| Failure::new(format!("cannot start worker threads: {e}")))?;
    let total = plan.total_runs();
    let done = AtomicU64::new(0);
    let show = std::io::stderr().is_terminal();
    let started = Instant::now();
    let runs: Vec<(usize, u64)> = (0..plan.points.len())
        .flat_map(|p| (0..plan.trials).map(move |t| (p, t)))
        .collect();
    let outcomes: Vec<_> = pool.install(|| {
        runs.par_iter()
            .map(|&(p, t)| {
                let o = plan.run_trial(p, t);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if show && (n % 16 == 0 || n == total) {
                    progress(n, total, started.elapsed().as_secs_f64());
                }
                o
            })
            .collect()
    });
    if show {
        let _ = writeln!(std::io::stderr());
    }
    // Aggregated in grid order, so the result is the same for any number of threads.
    let mut result = SweepResult::new(plan);
    for (&(p, _), o) in runs.iter().zip(&outcomes) {
        result.add(p, o);
    }
    Ok((result, pool.current_num_threads()))
}

fn progress(done: u64, total: u64, secs: f64) {
    let width = 30;
    let filled = (done * width / total.max(1)) as usize;
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "\r[{}{}] {done}/{total} trials  {secs:.0}s ",
        "=".repeat(filled),
        " ".repeat(width as usize - filled)
    );
    let _ = err.flush();
}

fn human(plan: &SweepPlan, result: &SweepResult) -> String {
    let json = result.to_json(plan);
    let mut out = format!("{}\n\n", plan.name);
    let fmt_ms = |v: &serde_json::Value| {
        v.as_f64().map_or("-".to_string(), |ms| {
            liveness::time::format_clock((ms * 1000.0) as u64)
        })
    };
    out.push_str(&format!(
        "{:<60} {:>9} {:>9} {:>10} {:>9} {:>10}\n",
        "point", "detect50", "detect99", "undetected", "false/1k", "lost tasks"
    ));
    for p in json["points"].as_array().into_iter().flatten() {
        let params: Vec<String> = p["params"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    k.rsplit('.').next().unwrap_or(k),
                    v.as_str().map_or(v.to_string(), str::to_string)
                )
            })
            .collect();
        let m = &p["metrics"];
        out.push_str(&format!(
            "{:<60} {:>9} {:>9} {:>10} {:>9.1} {:>10}\n",
            params.join(" "),
            fmt_ms(&m["detection_ms"]["p50"]),
            fmt_ms(&m["detection_ms"]["p99"]),
            m["undetected"],
            m["false_unreachable_per_1000_faults"]
                .as_f64()
                .unwrap_or(0.0),
            m["tasks_lost_needlessly"],
        ));
    }
    out
}
