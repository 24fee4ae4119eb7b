// The sweep-under-jitter part of BENCHMARKS.md (scripts/bench.mjs uses it): the wall time of
// sweeps/reregister-vs-ping.json (36 points × 100 trials × 1 simulated day) at 100, 1,000 and
// 5,000 agents per trial, on clean links and with 5 ms jitter and drop_rate 0.001, as a ratio
// to the clean run — measured by `liveness bench --sweep --agents N --json`.
//
// The rows are slow at 5,000 agents, so they can be measured one at a time: the measurements
// are kept, as JSON, in a comment inside BENCHMARKS.md, and a run that measures some rows keeps
// the others as they were (each row says when it was measured, on what and under what load).
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

/** The rows: agents per trial, and how each is measured by default. */
export const JITTER_ROWS = [
  { agents: 100 },
  { agents: 1000 },
  // About 20 minutes even once on this project's 2-core machine: one run, 2 threads, and only
  // when asked for (`--agents 5000`); otherwise the kept measurement stays.
  { agents: 5000, quick: true, threads: 2, onRequest: true },
];

const MARK = 'sweep-jitter-data';

/** Measures one row with the release binary; returns its record. */
export function measureRow(bin, row, { quick = false } = {}) {
  const args = ['bench', '--sweep', '--json', '--agents', String(row.agents)];
  if (quick || row.quick) args.push('--quick');
  if (row.threads) args.push('--threads', String(row.threads));
  const before = loadavg()[0];
  const started = Date.now();
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return {
    agents: row.agents,
    sweep: JSON.parse(r.stdout).sweep,
    measured: new Date(started).toISOString().slice(0, 16).replace('T', ' '),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
    load: [Math.round(before * 100) / 100, Math.round(loadavg()[0] * 100) / 100],
    command: `liveness ${args.join(' ')}`,
  };
}

/** The records kept in an existing BENCHMARKS.md, by agents. */
export function keptRows(markdown) {
  const m = new RegExp(`<!-- ${MARK}: (.*?) -->`).exec(markdown ?? '');
  if (!m) return new Map();
  try {
    return new Map(JSON.parse(m[1]).map((r) => [r.agents, r]));
  } catch {
    return new Map();
  }
}

/** The section's lines for the records (in JITTER_ROWS order). */
export function renderJitter(records) {
  const lines = [];
  const p = (s = '') => lines.push(s);
  p('## Sweeps with network jitter and loss');
  p();
  p('sweeps/reregister-vs-ping.json (36 points × 100 trials × 1 simulated day) at each cluster size, on');
  p('clean links and with `"network": {"jitter": "5ms", "drop_rate": 0.001}`; fast-forward keeps');
  p('skipping healthy ping cycles under both (docs/fast-forward.md). Wall seconds, median of the runs;');
  p('the ratio is to the clean sweep on the same threads. Load: the 1-minute load average before and');
  p('after the row. The machine is shared: when the load changes between the two sweeps of a row the');
  p('wall-time ratio moves with it, so the ratio of CPU time (user + system, the whole sweep) is given');
  p('too; it is the one to judge by.');
  p();
  p('| agents per trial | threads | runs | clean, wall s | jitter + loss, wall s | ratio to clean (wall) | ratio to clean (CPU) | measured | load |');
  p('|---|---|---|---|---|---|---|---|---|');
  const byAgents = new Map(records.map((r) => [r.agents, r]));
  for (const { agents } of JITTER_ROWS) {
    const r = byAgents.get(agents);
    if (!r) {
      p(`| ${agents.toLocaleString('en')} | | | not measured yet: \`node scripts/bench.mjs --only jitter --agents ${agents}\` | | | | | |`);
      continue;
    }
    for (const threads of [...new Set(r.sweep.map((x) => x.threads))]) {
      const clean = r.sweep.find((x) => x.threads === threads && x.links === 'clean');
      const noisy = r.sweep.find((x) => x.threads === threads && x.links !== 'clean');
      const cpu = clean.cpu_seconds && noisy.cpu_seconds ? (noisy.cpu_seconds / clean.cpu_seconds).toFixed(2) : 'n/a';
      p(`| ${agents.toLocaleString('en')} | ${threads} | ${clean.runs} | ${clean.wall_seconds.median.toFixed(1)} | ${noisy.wall_seconds.median.toFixed(1)} | ${noisy.ratio_to_clean.toFixed(2)} | ${cpu} | ${r.measured} UTC | ${r.load[0]} → ${r.load[1]} |`);
    }
  }
  const machines = [...new Set(records.map((r) => r.machine))];
  p();
  p(`Machine: ${machines.join('; ') || 'none yet'}. Command per row: \`liveness bench --sweep --agents N --json\` (\`--quick\`: one run; \`--threads 2\`: the 2-thread figures only).`);
  p();
  p(`<!-- ${MARK}: ${JSON.stringify(records)} -->`);
  return lines;
}

/** Replaces the section in a BENCHMARKS.md text (or appends it). */
export function spliceJitter(markdown, lines) {
  const start = markdown.indexOf('## Sweeps with network jitter and loss');
  const section = `${lines.join('\n')}\n`;
  if (start < 0) return `${markdown.trimEnd()}\n\n${section}`;
  const next = markdown.indexOf('\n## ', start + 3);
  return markdown.slice(0, start) + section + (next < 0 ? '' : `\n${markdown.slice(next + 1)}`);
}

/**
 * Measures the rows asked for (`agents`: a list, or null for every row not `onRequest`) and
 * returns every record: the new ones and, for the rest, those kept in `markdown`.
 */
export function measureJitter(bin, markdown, { agents = null, quick = false, log = () => {} } = {}) {
  const kept = keptRows(markdown);
  for (const row of JITTER_ROWS) {
    if (agents ? !agents.includes(row.agents) : row.onRequest) continue;
    log(`sweep with jitter and loss, ${row.agents} agents per trial`);
    kept.set(row.agents, measureRow(bin, row, { quick }));
  }
  return [...kept.values()];
}
