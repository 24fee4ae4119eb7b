//! The readable result of `liveness sweep`: what was run and what it optimises, one row per grid
//! point (its settings, then the objective's metrics and the main others, each headed by the
//! engine's label and shown with its unit), and the recommendation's one-sentence reason.

use liveness::sweep::metrics::{metric, MetricInfo};
use liveness::sweep::objective::show_metric;
use liveness::sweep::{SweepPlan, SweepResult};
use liveness::time::format_duration;
use serde_json::Value;

/// The metrics shown after the objective's own, when they are not among them.
const SHOWN: &[&str] = &[
    "detection_by_kind.crash.p99",
    "detection_by_kind.hang.p99",
    "false_unreachable_per_agent_day",
    "false_unreachable_per_1000_restarts",
    "tasks_killed_needlessly",
    "ghost_task_ms.p99",
    "master_messages_per_second",
];

/// Header lines are wrapped at this many characters (a longer word keeps its length).
const HEAD_WIDTH: usize = 12;

/// The table's metrics: the objective's, then [`SHOWN`], each once.
fn columns(plan: &SweepPlan) -> Vec<&'static MetricInfo> {
    let mut out: Vec<&'static MetricInfo> = vec![plan.objective.minimize];
    out.extend(plan.objective.subject_to.iter().map(|c| c.metric));
    out.extend(SHOWN.iter().filter_map(|p| metric(p)));
    let mut seen = Vec::new();
    out.retain(|m| {
        let new = !seen.contains(&m.path);
        seen.push(m.path);
        new
    });
    out
}

/// Splits a header into lines of about [`HEAD_WIDTH`] characters, after spaces or underscores.
fn wrap(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        word.push(c);
        if c == ' ' || c == '_' {
            words.push(std::mem::take(&mut word));
        }
    }
    words.push(word);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for w in words.into_iter().filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.chars().count() + w.trim_end().chars().count() > HEAD_WIDTH {
            lines.push(line.trim_end().to_string());
            line.clear();
        }
        line.push_str(&w);
    }
    lines.push(line.trim_end().to_string());
    lines
}

fn param_text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// The readable result.
pub fn human(plan: &SweepPlan, result: &SweepResult) -> String {
    let json = result.to_json(plan);
    let metrics = columns(plan);
    let mut out = format!(
        "{}\n{} points × {} trials, {} agents × {} each\nobjective: {}\n\n",
        plan.name,
        plan.points.len(),
        plan.trials,
        plan.agent_names.len(),
        format_duration(plan.workload.horizon),
        plan.objective.describe()
    );
    let recommended = json["recommendation"]["point"].as_u64();
    // Header cells and body cells, column by column (the first column marks the recommendation).
    let mut heads: Vec<Vec<String>> = vec![vec![String::new()]];
    heads.extend(
        plan.keys
            .iter()
            .map(|k| wrap(k.rsplit('.').next().unwrap_or(k))),
    );
    heads.extend(metrics.iter().map(|m| wrap(m.label)));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, (point, p)) in plan
        .points
        .iter()
        .zip(json["points"].as_array().into_iter().flatten())
        .enumerate()
    {
        let mut row = vec![if recommended == Some(i as u64) {
            "*"
        } else {
            ""
        }
        .to_string()];
        row.extend(point.params.iter().map(|(_, v)| param_text(v)));
        row.extend(metrics.iter().map(|m| show_metric(&p["metrics"], m)));
        rows.push(row);
    }
    let widths: Vec<usize> = (0..heads.len())
        .map(|c| {
            let head = heads[c]
                .iter()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0);
            let body = rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0);
            head.max(body)
        })
        .collect();
    let params = plan.keys.len() + 1;
    let cell = |c: usize, text: &str| {
        // Settings align left, numbers right.
        let pad = widths[c] - text.chars().count().min(widths[c]);
        if c < params {
            format!("{text}{}", " ".repeat(pad))
        } else {
            format!("{}{text}", " ".repeat(pad))
        }
    };
    let head_lines = heads.iter().map(Vec::len).max().unwrap_or(1);
    for line in 0..head_lines {
        let cells: Vec<String> = heads
            .iter()
            .enumerate()
            .map(|(c, h)| {
                // Headers sit on the bottom lines, aligned like their column.
                let k = (line + h.len()).checked_sub(head_lines);
                cell(c, k.map_or("", |k| h[k].as_str()))
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    for row in &rows {
        let cells: Vec<String> = row.iter().enumerate().map(|(c, t)| cell(c, t)).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push_str("\nDurations in Mesos units; - = nothing of the kind happened; never = some agents of the kind were not marked by the horizon.\n");
    match json["recommendation"]["why"].as_str() {
        Some(why) => out.push_str(&format!("* Recommended: {why}\n")),
        None => out.push_str(&format!(
            "No recommendation: {}\n",
            json["no_recommendation"]
                .as_str()
                .unwrap_or("no point meets the constraints.")
        )),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn headers_wrap_after_spaces_and_underscores() {
        assert_eq!(
            wrap("false unreachable / agent-day"),
            ["false", "unreachable", "/ agent-day"]
        );
        assert_eq!(
            wrap("agent_reregister_timeout"),
            ["agent_", "reregister_", "timeout"]
        );
        assert_eq!(wrap("policy"), ["policy"]);
    }
}
