//! `liveness sweep SPEC.json [--json] [--out FILE.csv] [--threads N]`: runs every trial of every
//! grid point on all cores (rayon) with a progress bar on a terminal.
#![allow(clippy::disallowed_methods)] // Wall-clock time is shown to the operator only.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use liveness::sweep::{SweepPlan, SweepResult};
use rayon::prelude::*;

pub fn main(args: &[String]) -> Result<ExitCode, Vec<String>> {
    let mut spec_path = None;
    let mut as_json = false;
    let mut out_csv = None;
    let mut threads = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => as_json = true,
            "--out" => {
                out_csv = Some(
                    it.next()
                        .cloned()
                        .ok_or_else(|| vec!["--out needs a file path".to_string()])?,
                )
            }
            "--threads" => {
                let n = it
                    .next()
                    .and_then(|n| n.parse::<usize>().ok())
                    .filter(|&n| n >= 1);
                threads = Some(n.ok_or_else(|| {
                    vec!["--threads needs a whole number of at least 1".to_string()]
                })?);
            }
            flag if flag.starts_with("--") => {
                return Err(vec![format!("unknown option {flag}; try `liveness help`")])
            }
            file => {
                if spec_path.replace(file.to_string()).is_some() {
                    return Err(vec!["give one sweep spec file".to_string()]);
                }
            }
        }
    }
    let path = spec_path
        .ok_or_else(|| vec!["sweep needs a spec file (or - for standard input)".to_string()])?;
    let text = if path == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map(|_| s)
    } else {
        std::fs::read_to_string(&path)
    }
    .map_err(|e| vec![format!("cannot read {path}: {e}")])?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| vec![format!("{path}: not valid JSON: {e}")])?;
    let plan = SweepPlan::from_json(&value).map_err(|e| {
        let mut lines = vec![format!("{path} is not a valid sweep spec:")];
        lines.extend(e.problems);
        lines
    })?;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| vec![format!("cannot start worker threads: {e}")])?;
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
        eprintln!();
    }
    // Aggregated in grid order, so the result is the same for any number of threads.
    let mut result = SweepResult::new(&plan);
    for (&(p, _), o) in runs.iter().zip(&outcomes) {
        result.add(p, o);
    }
    let wall = started.elapsed().as_secs_f64();
    if let Some(csv) = &out_csv {
        std::fs::write(csv, result.to_csv(&plan))
            .map_err(|e| vec![format!("cannot write {csv}: {e}")])?;
    }
    let mut stdout = std::io::stdout().lock();
    if as_json {
        let _ = writeln!(
            stdout,
            "{}",
            serde_json::to_string_pretty(&result.to_json(&plan)).unwrap_or_default()
        );
    } else {
        let _ = write!(stdout, "{}", human(&plan, &result));
        let _ = writeln!(
            stdout,
            "\n{} points × {} trials in {wall:.1} s on {} threads",
            plan.points.len(),
            plan.trials,
            pool.current_num_threads()
        );
    }
    Ok(ExitCode::SUCCESS)
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
