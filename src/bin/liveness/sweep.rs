//! `liveness sweep SPEC [--json] [--out FILE.csv] [--threads N] [--shard K/N]` runs every trial
//! of every grid point on all cores (rayon), with a progress bar on a terminal;
//! `liveness sweep merge PART.json… [--json] [--out FILE.csv]` joins the parts of a sharded run
//! into exactly what the unsharded run prints.
//!
//! Everything that can be checked is checked before the first trial runs: the spec, the files it
//! names, and that `--out` can be written. Values Mesos would refuse are warned about on standard
//! error in `liveness run`'s words.
#![allow(clippy::disallowed_methods)] // Wall-clock time is shown to the operator only.

use std::fs::File;
use std::io::{IsTerminal, Seek, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use clap::{Args, Subcommand, ValueHint};
use liveness::sweep::{Shard, SweepPart, SweepPlan, SweepResult};
use rayon::prelude::*;
use serde_json::Value;

use crate::output::{self, Failure};
use crate::sweep_table;

/// The exit codes of `liveness sweep` and `liveness sweep merge`.
macro_rules! exit_codes {
    () => {
        "Exit codes: 0 success, 2 invalid input, bad usage or output that cannot be written \
         (checked before the first trial runs)."
    };
}

const SWEEP_HELP: &str = concat!(
    exit_codes!(),
    "\n\nDistributed runs: `liveness sweep SPEC --shard K/N --json > part-K.json` on N machines \
     (K = 1…N), then `liveness sweep merge part-*.json` prints exactly what `liveness sweep SPEC` \
     prints."
);

/// The options of `liveness sweep`.
#[derive(Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    override_usage = "liveness sweep [OPTIONS] <SPEC.json|->\n       liveness sweep merge [OPTIONS] <PART.json>...",
    after_help = SWEEP_HELP
)]
pub struct SweepArgs {
    #[command(subcommand)]
    action: Option<SweepAction>,
    /// The sweep spec (JSON); - reads standard input. Files it names
    /// ({"empirical": {"file": …}}) are read relative to it
    #[arg(value_name = "SPEC.json|-", value_hint = ValueHint::FilePath, required = true)]
    spec: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Worker threads (default: one per core); results are the same for any number
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    threads: Option<usize>,
    /// Run only shard K of N (1 ≤ K ≤ N): the trials t with t mod N = K − 1 of every point;
    /// prints a part for `liveness sweep merge` (needs --json)
    #[arg(long, value_name = "K/N", value_parser = Shard::parse, requires = "json", conflicts_with = "out")]
    shard: Option<Shard>,
}

/// `--json` and `--out`, shared by a run and a merge.
#[derive(Args)]
struct OutputArgs {
    /// Print the results as JSON instead of a table
    #[arg(long)]
    json: bool,
    /// Also write one CSV row per grid point to FILE (checked before anything runs)
    #[arg(long, value_name = "FILE.csv", value_hint = ValueHint::FilePath)]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum SweepAction {
    /// Merge the parts of a sharded sweep (`--shard K/N --json`) into the unsharded result
    #[command(after_help = exit_codes!())]
    Merge(MergeArgs),
}

/// The options of `liveness sweep merge`.
#[derive(Args)]
struct MergeArgs {
    /// The parts, one per shard, in any order
    #[arg(value_name = "PART.json", value_hint = ValueHint::FilePath, required = true, num_args = 1..)]
    parts: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

fn at_least_one(text: &str) -> Result<usize, String> {
    text.parse::<usize>()
        .ok()
        .filter(|&n| n >= 1)
        .ok_or_else(|| "expected a whole number of at least 1".to_string())
}

/// Runs a sweep (or a shard of one), or merges parts.
pub fn main(args: &SweepArgs) -> Result<ExitCode, Failure> {
    if let Some(SweepAction::Merge(m)) = &args.action {
        return merge(m);
    }
    let path = args.spec.as_deref().unwrap_or(Path::new("-"));
    let plan = read_plan(path)?;
    let mut csv = args.output.out.as_deref().map(CsvOut::open).transpose()?;
    warn(&plan);
    let started = Instant::now();
    let shard = args.shard;
    let (outcomes, threads) = run_trials(&plan, shard, args.threads)?;
    let wall = started.elapsed().as_secs_f64();
    if let Some(shard) = shard {
        let mut part = SweepPart::new(shard);
        for ((p, t), o) in outcomes {
            part.add(p, t, o);
        }
        output::stdout(&format!("{}\n", part.to_json(&plan)))?;
        return Ok(ExitCode::SUCCESS);
    }
    // Aggregated in grid order, so the result is the same for any number of threads.
    let mut result = SweepResult::new(&plan);
    for ((p, _), o) in &outcomes {
        result.add(*p, o);
    }
    if let Some(csv) = &mut csv {
        csv.write(&result.to_csv(&plan))?;
    }
    let footer = format!(
        "{} points × {} trials in {wall:.1} s on {threads} threads\n",
        plan.points.len(),
        plan.trials
    );
    print(&plan, &result, args.output.json, &footer)
}

/// `liveness sweep merge`.
fn merge(args: &MergeArgs) -> Result<ExitCode, Failure> {
    let mut parts = Vec::with_capacity(args.parts.len());
    for path in &args.parts {
        let text = crate::run::read_input(path)?;
        let shown = path.display().to_string();
        let v: Value = serde_json::from_str(&text)
            .map_err(|e| Failure::new(format!("{shown}: not valid JSON: {e}")))?;
        parts.push((shown, v));
    }
    let (plan, result) = liveness::sweep::merge(&parts).map_err(Failure)?;
    let mut csv = args.output.out.as_deref().map(CsvOut::open).transpose()?;
    warn(&plan);
    if let Some(csv) = &mut csv {
        csv.write(&result.to_csv(&plan))?;
    }
    let footer = format!(
        "{} points × {} trials, merged from {} parts\n",
        plan.points.len(),
        plan.trials,
        parts.len()
    );
    print(&plan, &result, args.output.json, &footer)
}

/// Prints the result: the `--json` object, or the table with `footer` under it.
fn print(
    plan: &SweepPlan,
    result: &SweepResult,
    json: bool,
    footer: &str,
) -> Result<ExitCode, Failure> {
    let text = if json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&result.to_json(plan)).unwrap_or_default()
        )
    } else {
        format!("{}\n{footer}", sweep_table::human(plan, result))
    };
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Values Mesos would refuse, on standard error in `liveness run`'s words.
fn warn(plan: &SweepPlan) {
    let mut err = std::io::stderr().lock();
    for w in &plan.warnings {
        // A warning that cannot be shown must not stop the run.
        let _ = writeln!(err, "warning: {w}");
    }
}

/// The validated plan of a spec file (or of standard input for `-`); the files it names are read
/// relative to the spec's directory (the working directory for standard input).
fn read_plan(path: &Path) -> Result<SweepPlan, Failure> {
    let text = crate::run::read_input(path)?;
    let shown = path.display();
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Failure::new(format!("{shown}: not valid JSON: {e}")))?;
    let dir = match path.parent() {
        Some(d) if path != Path::new("-") && !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let files = |name: &str| std::fs::read_to_string(dir.join(name)).map_err(|e| e.to_string());
    SweepPlan::from_json_with_files(&value, &files).map_err(|e| {
        let mut lines = vec![format!("{shown} is not a valid sweep spec:")];
        lines.extend(e.problems);
        Failure(lines)
    })
}

/// The `--out` file, opened (created if missing, not yet truncated) before anything runs, so a
/// bad path fails at once rather than after the whole sweep.
struct CsvOut {
    path: PathBuf,
    file: File,
}

impl CsvOut {
    fn open(path: &Path) -> Result<CsvOut, Failure> {
        let fail =
            |e: std::io::Error| Failure::new(format!("cannot write {}: {e}", path.display()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(fail)?;
        Ok(CsvOut {
            path: path.to_path_buf(),
            file,
        })
    }

    fn write(&mut self, text: &str) -> Result<(), Failure> {
        let f = &mut self.file;
        f.set_len(0)
            .and_then(|()| f.rewind())
            .and_then(|()| f.write_all(text.as_bytes()))
            .and_then(|()| f.flush())
            .map_err(|e| Failure::new(format!("cannot write {}: {e}", self.path.display())))
    }
}

/// One trial's place and outcome.
type Run = ((usize, u64), liveness::sweep::outcome::TrialOutcome);

/// Runs the trials of a shard (all with `None`) on `threads` workers (default: one per core),
/// with a progress bar when standard error is a terminal. Returns the outcomes in grid order and
/// the thread count.
fn run_trials(
    plan: &SweepPlan,
    shard: Option<Shard>,
    threads: Option<usize>,
) -> Result<(Vec<Run>, usize), Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| Failure::new(format!("cannot start worker threads: {e}")))?;
    let runs = plan.runs(shard);
    let total = runs.len() as u64;
    let done = AtomicU64::new(0);
    let show = std::io::stderr().is_terminal();
    let started = Instant::now();
    let outcomes: Vec<Run> = pool.install(|| {
        runs.par_iter()
            .map(|&(p, t)| {
                let o = plan.run_trial(p, t);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if show && (n % 16 == 0 || n == total) {
                    progress(n, total, started.elapsed().as_secs_f64());
                }
                ((p, t), o)
            })
            .collect()
    });
    if show {
        let _ = writeln!(std::io::stderr());
    }
    Ok((outcomes, pool.current_num_threads()))
}

/// The progress bar, with an estimate of the time left.
fn progress(done: u64, total: u64, secs: f64) {
    let width = 30;
    let filled = (done * width / total.max(1)) as usize;
    let left = if done > 0 && done < total {
        format!(
            ", about {:.0} s left",
            secs * (total - done) as f64 / done as f64
        )
    } else {
        String::new()
    };
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "\r[{}{}] {done}/{total} trials  {secs:.0} s{left}   ",
        "=".repeat(filled),
        " ".repeat(width as usize - filled)
    );
    let _ = err.flush();
}
