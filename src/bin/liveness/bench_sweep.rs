//! `liveness bench --sweep`: what network jitter and random loss cost a sweep (fast-forward
//! must keep it within ~2x of the same sweep on clean links; `docs/fast-forward.md`).
#![allow(clippy::disallowed_methods)]

use std::fmt::Write;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use liveness::bench::sweep_spec;
use serde_json::json;

use crate::bench::median;
use crate::output::{self, Failure};

/// CPU time (user + system) of this process so far in seconds (Linux `/proc/self/stat`), if known.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: f64 = fields.next()?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some((utime + stime) / 100.0) // USER_HZ is 100 on every Linux target we run on.
}

/// One sweep of every trial on `threads` threads: (wall seconds, CPU seconds if known).
fn time_sweep(
    plan: &liveness::sweep::SweepPlan,
    threads: usize,
) -> Result<(f64, Option<f64>), Failure> {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Failure::new(format!("cannot start worker threads: {e}")))?;
    let runs: Vec<(usize, u64)> = (0..plan.points.len())
        .flat_map(|p| (0..plan.trials).map(move |t| (p, t)))
        .collect();
    let cpu_before = cpu_seconds();
    let start = Instant::now();
    let outcomes: Vec<_> = pool.install(|| {
        runs.par_iter()
            .map(|&(p, t)| plan.run_trial(p, t))
            .collect()
    });
    let wall = start.elapsed().as_secs_f64();
    black_box(outcomes);
    let cpu = cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    Ok((wall, cpu))
}

/// `bench --sweep`: the cost of jitter and random loss to a sweep (fast-forward must keep it
/// within ~2x of the same sweep on clean links), on each of `thread_counts`.
pub fn main(
    as_json: bool,
    runs: usize,
    agents: u64,
    thread_counts: &[usize],
) -> Result<ExitCode, Failure> {
    let mut rows = Vec::new();
    for &threads in thread_counts {
        let mut medians = [0.0; 2];
        for (i, noisy) in [false, true].into_iter().enumerate() {
            let plan = liveness::sweep::SweepPlan::from_json(&sweep_spec(agents, noisy))
                .map_err(|e| Failure(e.problems))?;
            let mut wall = Vec::new();
            let mut cpu = Vec::new();
            for _ in 0..runs {
                let (w, c) = time_sweep(&plan, threads)?;
                wall.push(w);
                cpu.extend(c);
            }
            medians[i] = median(&wall);
            rows.push(json!({
                "threads": threads,
                "links": if noisy { "jitter 5ms, drop_rate 0.001" } else { "clean" },
                "agents": agents,
                "trials": plan.total_runs(),
                "runs": runs,
                "wall_seconds": { "median": median(&wall), "min": wall.iter().cloned().fold(f64::INFINITY, f64::min), "max": wall.iter().cloned().fold(0.0, f64::max) },
                "cpu_seconds": (!cpu.is_empty()).then(|| median(&cpu)),
                "ratio_to_clean": (i == 1).then(|| medians[1] / medians[0]),
            }));
        }
    }
    let mut out = String::new();
    if as_json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json!({ "sweep": rows })).unwrap_or_default()
        );
    } else {
        let _ = writeln!(
            out,
            "sweeps/reregister-vs-ping.json, {agents} agents per trial (median of {runs} runs)"
        );
        let _ = writeln!(
            out,
            "{:>7} {:<28} {:>9} {:>9} {:>10}",
            "threads", "links", "wall s", "cpu s", "x clean"
        );
        for r in &rows {
            let _ = writeln!(
                out,
                "{:>7} {:<28} {:>9.2} {:>9} {:>10}",
                r["threads"].as_u64().unwrap_or_default(),
                r["links"].as_str().unwrap_or_default(),
                r["wall_seconds"]["median"].as_f64().unwrap_or_default(),
                r["cpu_seconds"]
                    .as_f64()
                    .map_or("-".to_string(), |c| format!("{c:.2}")),
                r["ratio_to_clean"]
                    .as_f64()
                    .map_or("-".to_string(), |x| format!("{x:.2}")),
            );
        }
    }
    output::stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}
