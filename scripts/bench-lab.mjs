#!/usr/bin/env node
// The lab in headless Chromium (a benchmark, never a pass/fail test): frame work and frame
// intervals while playing at 100x with 1,000, 10,000 and 100,000 agents, with the long tasks
// (> 50 ms, PerformanceObserver "longtask") seen meanwhile; the re-simulation time after a
// timeout change (1,000 agents, 1 simulated hour); the .wasm bytes the page fetched; and the JS
// heap after an 8-simulated-hour run with 10,000 agents (the event log must stay bounded).
// Needs the built site (npm run build). Prints one JSON object.
//   node scripts/bench-lab.mjs [--quick]
// With --profile=<agents> it instead plays that cluster at 100x for a few seconds under the CDP
// CPU profiler and prints where the main thread spent its time (self time per function, as
// shares: judge a loaded machine by them, not by milliseconds) with the frame work meanwhile.
//   node scripts/bench-lab.mjs --profile=10000 [--seconds=6] [--top=30] [--load] [--timeline]
// (--load profiles opening the page instead; --timeline adds the renderer's own work by trace
// event: style, layout, paint, canvas.) --sizes=10000,100000 measures only those clusters'
// frames; --site=<dir> serves another build (e.g. an unminified one, for readable names).
import { launchChromium, serveDir, chromiumSkipReason, REPO_ROOT } from '../tests/e2e/helpers.mjs';
import { join, resolve } from 'node:path';

const quick = process.argv.includes('--quick');
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const profileAgents = arg('profile') ? Number(arg('profile')) : null;
const skip = chromiumSkipReason();
if (skip) {
  console.log(JSON.stringify({ missing: skip }));
  process.exit(0);
}
const b64url = (obj) => Buffer.from(JSON.stringify(obj), 'utf8').toString('base64url');
const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
};
const round = (x) => Math.round(x * 100) / 100;

function cluster(agents, duration) {
  const some = (n, from) => Array.from({ length: n }, (_, i) => `node-${from + i}`);
  return {
    name: `${agents} agents`,
    seed: 3,
    duration,
    frameworks: [{ name: 'marathon', partition_aware: true, checkpoint: true }, { name: 'batch' }],
    agents: [{ name: 'node', count: agents, tasks: { marathon: 2, batch: 1 } }],
    faults: [
      { at: '30secs', kind: 'partition', agents: some(Math.ceil(agents / 25), 0), direction: 'both' },
      { at: '1mins', kind: 'restart_agent', agents: some(Math.ceil(agents / 50), Math.ceil(agents / 10)), recovery: 'hang' },
      { at: '3mins', kind: 'heal', agents: some(Math.ceil(agents / 25), 0) },
    ],
  };
}

/** Frame work and intervals (ms) of recorded frames ({ work, wall }). */
function frameFigures(frames) {
  const work = frames.map((f) => f.work);
  const intervals = frames.slice(1).map((f, i) => f.wall - frames[i].wall);
  return {
    frames: frames.length,
    work_ms: { median: round(pct(work, 0.5)), p99: round(pct(work, 0.99)) },
    interval_ms: { median: round(pct(intervals, 0.5)), p99: round(pct(intervals, 0.99)) },
  };
}

/** Self and inclusive time per function of a CDP CPU profile, as shares of the sampled time. */
function summarise(profile, top) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => {
    const f = n.callFrame;
    const file = f.url ? f.url.split('/').pop() : '';
    return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
  };
  const self = new Map(), incl = new Map();
  let total = 0;
  profile.samples.forEach((id, k) => {
    const dt = profile.timeDeltas[k + 1] ?? 0;
    total += dt;
    const n = byId.get(id);
    self.set(name(n), (self.get(name(n)) ?? 0) + dt);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const nm = name(byId.get(cur));
      if (seen.has(nm)) continue;
      seen.add(nm);
      incl.set(nm, (incl.get(nm) ?? 0) + dt);
    }
  });
  const idle = self.get('(idle)') ?? 0;
  const drawing = incl.get([...incl.keys()].find((k) => k.startsWith('render ')) ?? '') ?? 0;
  const rows = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`);
  return {
    sampled_ms: Math.round(total / 1000), busy_ms: Math.round((total - idle) / 1000),
    drawing_share: round(drawing / Math.max(1, total - idle)), self: rows(self), inclusive: rows(incl),
  };
}

/**
 * The renderer main thread's time by trace event (devtools.timeline: scripts, style, layout,
 * paint, canvas flushes…) over `ms` of playing: self time per event name, as shares.
 */
async function timeline(cdp, page, ms) {
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink,cc,skia', transferMode: 'ReportEvents' });
  await page.evaluate(() => window.__lab.setPlaying(true));
  await page.waitForTimeout(ms);
  await cdp.send('Tracing.end');
  await done;
  await page.evaluate(() => window.__lab.setPlaying(false));
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const mine = events.filter((e) => e.ph === 'X' && main && e.pid === main.pid && e.tid === main.tid).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const stack = [];
  let total = 0;
  for (const e of mine) {
    while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.self -= e.dur; else total += e.dur;
    const rec = { name: e.name, end: e.ts + e.dur, self: e.dur };
    stack.push(rec);
    rec.done = () => self.set(rec.name, (self.get(rec.name) ?? 0) + rec.self);
    e.rec = rec;
  }
  for (const e of mine) e.rec.done();
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`);
}

const site = await serveDir(arg('site') ? resolve(arg('site')) : join(REPO_ROOT, 'www', 'dist'));
const browser = await launchChromium();
const result = {};
try {
  async function open(scenario, hash = '', timeout = 60_000, before = async () => {}) {
    const page = await browser.context.newPage();
    await before(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    // Long tasks from the first moment, buffered until read.
    await page.addInitScript(() => {
      window.__longTasks = [];
      try {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__longTasks.push(e.duration);
        }).observe({ type: 'longtask', buffered: true });
      } catch { /* no longtask support: the figures say null */ window.__longTasks = null; }
    });
    await page.goto(`${site.url}#scenario=${b64url(scenario)}${hash}`);
    await page.waitForFunction(() => window.__ready === true, null, { timeout });
    return page;
  }
  const longTasks = async (page) => page.evaluate(() => {
    const xs = window.__longTasks;
    if (!xs) return null;
    window.__longTasks = [];
    return { count: xs.length, total_ms: Math.round(xs.reduce((a, b) => a + b, 0)), max_ms: Math.round(Math.max(0, ...xs)) };
  });

  if (profileAgents) {
    const t0 = Date.now();
    let loadCdp = null;
    // --load: the profile covers opening the page (until it is ready) instead of playing.
    const page = await open(cluster(profileAgents, '1hrs'), '&speed=100', 600_000, async (pg) => {
      if (!process.argv.includes('--load')) return;
      loadCdp = await pg.context().newCDPSession(pg);
      await loadCdp.send('Profiler.enable');
      await loadCdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      await loadCdp.send('Profiler.start');
    });
    result.load_s = (Date.now() - t0) / 1000;
    result.long_tasks_loading = await longTasks(page);
    if (loadCdp) result.load_profile = summarise((await loadCdp.send('Profiler.stop')).profile, Number(arg('top') ?? 30));
    await page.waitForTimeout(500);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await page.evaluate(() => { window.__lab.perf.frames = []; window.__lab.perf.record = true; });
    await cdp.send('Profiler.start');
    await page.click('#play-btn');
    await page.waitForTimeout(1000 * Number(arg('seconds') ?? 6));
    const { profile } = await cdp.send('Profiler.stop');
    const frames = await page.evaluate(() => {
      window.__lab.perf.record = false;
      window.__lab.setPlaying(false);
      return window.__lab.perf.frames;
    });
    Object.assign(result, { agents: profileAgents, ...frameFigures(frames), long_tasks_playing: await longTasks(page) });
    result.profile = summarise(profile, Number(arg('top') ?? 30));
    // main-thread time per frame drawn (a ratio that survives a loaded machine better than ms)
    result.busy_ms_per_frame = round(result.profile.busy_ms / Math.max(1, frames.length));
    result.static_layer_draws = await page.evaluate(() => window.__lab.panes.map((p) => p.view.staticDraws));
    if (process.argv.includes('--timeline')) result.timeline = await timeline(cdp, page, 3000);
    await page.close();
  }
  // --sizes=10000,100000: only those clusters' frames (no re-simulation or long run figures).
  const sizes = arg('sizes') ? arg('sizes').split(',').map(Number) : [1000, 10000, 100000];
  for (const agents of profileAgents ? [] : sizes) {
    let page;
    try {
      page = await open(cluster(agents, '1hrs'), '&speed=100', agents > 10000 ? 120_000 : 60_000);
    } catch (e) {
      // 100,000 agents may not load within the timeout: recorded as such, not fatal.
      result[`frames_${agents}_agents_100x`] = { missing: String(e.message).split('\n')[0] };
      continue;
    }
    await page.waitForTimeout(500);
    const load = await longTasks(page);
    if (agents === 1000) {
      result.wasm_fetched = await page.evaluate(() => performance.getEntriesByType('resource')
        .filter((e) => e.name.endsWith('.wasm'))
        .map((e) => ({ file: e.name.split('/').pop(), bytes: e.decodedBodySize })));
    }
    await page.evaluate(() => { window.__lab.perf.frames = []; window.__lab.perf.record = true; });
    await page.click('#play-btn');
    await page.waitForTimeout(quick ? 2000 : 5000);
    const frames = await page.evaluate(() => {
      window.__lab.perf.record = false;
      window.__lab.setPlaying(false);
      return window.__lab.perf.frames;
    });
    result[`frames_${agents}_agents_100x`] = {
      ...frameFigures(frames),
      long_tasks_loading: load,
      long_tasks_playing: await longTasks(page),
    };
    if (agents === 1000) {
      await page.evaluate(() => window.__lab.seekTo(3_600_000));
      await page.waitForFunction(() => Number(document.querySelector('[data-sim-time]')?.dataset.simTime) === 3_600_000, null, { timeout: 60_000 });
      const runs = [];
      for (const v of ['20secs', '15secs', '10secs', '12secs', '15secs']) {
        await page.fill('#tune-agent_ping_timeout', v);
        await page.press('#tune-agent_ping_timeout', 'Enter');
        await page.waitForFunction((want) => document.querySelector('#tune-agent_ping_timeout').value === want, v);
        runs.push(await page.evaluate(() => ({ ms: window.__lab.lastResimMs, total: window.__lab.lastResimTotalMs })));
      }
      result.resim_1000_agents_1h_ms = {
        median: round(pct(runs.map((r) => r.ms), 0.5)),
        min: round(Math.min(...runs.map((r) => r.ms))),
        max: round(Math.max(...runs.map((r) => r.ms))),
        median_with_panels: round(pct(runs.map((r) => r.total), 0.5)),
        n: runs.length,
      };
    }
    await page.close();
  }

  if (!profileAgents && !arg('sizes')) {
    // Bounded memory: 10,000 agents played through 8 simulated hours (jumps of 30 minutes, as a
    // user scrubbing forward would), then the JS heap and the log's size.
    const page = await open(cluster(10000, '8hrs'));
    for (let t = 30; t <= (quick ? 120 : 480); t += 30) {
      await page.evaluate((ms) => window.__lab.seekTo(ms), t * 60_000);
      await page.waitForFunction((want) => Number(document.querySelector('[data-sim-time]')?.dataset.simTime) === want, t * 60_000, { timeout: 120_000 });
    }
    const heap = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize : null));
    result.long_run_10000_agents = {
      simulated_hours: quick ? 2 : 8,
      js_heap_mib: heap === null ? null : round(heap / 1048576),
    };
    await page.close();
  }
} finally {
  await browser.close();
  await site.close();
}
console.log(profileAgents ? JSON.stringify(result, null, 2) : JSON.stringify(result));
