// End-to-end tests of the Tuning tab (www/dist) in headless Chromium: a small sweep run in the
// worker, its heatmap, table, recommendation, a cell opening its trial in the Lab, export/import
// and URL round trips, a bad import, cancel, a screenshot, and (printed, not asserted) the
// worker's single-thread time for the full sweeps/reregister-vs-ping.json.
// Run by scripts/test.sh after the site is built; skipped without Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { launchChromium, serveDir, chromiumSkipReason, collectPageErrors, REPO_ROOT, SCREENSHOTS_DIR } from './helpers.mjs';

const SHOTS = SCREENSHOTS_DIR;
const FULL_SPEC_PATH = join(REPO_ROOT, 'sweeps', 'reregister-vs-ping.json');
const skip = chromiumSkipReason();
let site;
let browser;

const b64url = (obj) => Buffer.from(JSON.stringify(obj), 'utf8').toString('base64url');

/** The small sweep of the acceptance test: 2 × 2 grid × 5 trials × 10 agents × 6 hours. */
function smallSpec() {
  const spec = JSON.parse(readFileSync(FULL_SPEC_PATH, 'utf8'));
  spec.name = 'small e2e sweep';
  spec.vary = {
    'master.agent_reregister_timeout': ['5mins', '10mins'],
    'master.agent_ping_timeout': ['10secs', '15secs'],
    'master.max_agent_ping_timeouts': [5],
    policy: ['mesos-1.2'],
  };
  spec.base.agents[0].count = 10;
  spec.workload.horizon = '6hrs';
  spec.trials = 5;
  return spec;
}

async function openPage(hash = '', { width = 1280, height = 800 } = {}) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  const errors = collectPageErrors(page);
  await page.goto(site.url + hash);
  await page.waitForFunction(() => window.__ready === true, null, { timeout: 30_000 });
  return { page, errors };
}

async function waitDone(page, timeout = 60_000) {
  await page.waitForFunction(() => {
    const b = document.querySelector('#sw-progress');
    return b?.dataset.state === 'done' && b.getAttribute('aria-valuenow') === '100' && !document.querySelector('#tune-view').dataset.running;
  }, null, { timeout });
}

/** Runs whatever spec the tab holds and waits for the progress bar to finish. */
async function runSweep(page, timeout) {
  await page.evaluate(() => { const b = document.querySelector('#sw-progress'); if (b) delete b.dataset.state; });
  await page.click('#sw-run');
  await waitDone(page, timeout);
}

/** Loads a sweep through the Import dialog; returns the error lines shown (empty on success). */
async function importText(page, text) {
  if (!(await page.evaluate(() => document.querySelector('#sw-import-dialog').open))) await page.click('#sw-import');
  await page.fill('#sw-import-text', text);
  await page.click('#sw-import-go');
  await page.waitForFunction(() => !document.querySelector('#sw-import-dialog').open || !document.querySelector('#sw-import-errors').hidden);
  const open = await page.evaluate(() => document.querySelector('#sw-import-dialog').open);
  if (!open) return [];
  return page.$$eval('#sw-import-errors li', (els) => els.map((e) => e.textContent));
}

async function exported(page) {
  await page.click('#sw-export');
  const text = await page.inputValue('#sw-export-text');
  await page.click('#sw-export-dialog [data-close]');
  return JSON.parse(text);
}

const tableRows = (page) => page.$$eval('#sw-table tbody tr', (rows) => rows.map((r) => [...r.cells].slice(0, -1).map((c) => c.textContent)));
const simTime = (page) => page.$eval('[data-sim-time]', (e) => Number(e.dataset.simTime));

/** Pixels of the heatmap canvas that are painted (not transparent background). */
function paintedPixels(page) {
  return page.$eval('#sw-heatmap', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return { painted: n, of: d.length / 4 };
  });
}

/** Page coordinates of a heatmap cell (by grid point index). */
function cellPoint(page, point) {
  return page.evaluate((i) => {
    const hm = window.__lab.sweep.heatmap;
    const c = hm.cells.find((x) => x.i === i);
    const r = hm.canvas.getBoundingClientRect();
    return { x: r.left + c.x + c.w / 2, y: r.top + c.y + c.h / 2 };
  }, point);
}

describe('Tuning tab in Chromium', { skip }, () => {
  before(async () => {
    site = await serveDir('www/dist');
    browser = await launchChromium({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    await mkdir(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test('a small sweep runs in the worker: progress to 100%, heatmap, table, recommendation, and a cell opens its trial in the Lab', { timeout: 120_000 }, async () => {
    const { page, errors } = await openPage('#preset=stuck-recovery&t=30000');
    // the Tuning tab from the Lab's top bar
    await page.click('#tab-tune');
    await page.waitForSelector('#tune-view:not([hidden])');
    assert.equal(await page.isVisible('#app'), false);
    await page.waitForFunction(() => location.hash.startsWith('#sweep='));
    // edit the grid and the cluster through the editor: 2 × 2 × 1 × 1, 10 agents, 6 hours, 5 trials
    await page.fill('#sw-vary-master-agent-reregister-timeout', '5mins, 10mins');
    await page.fill('#sw-vary-master-agent-ping-timeout', '10secs, 15secs');
    await page.fill('#sw-vary-master-max-agent-ping-timeouts', '5');
    await page.uncheck('[data-sw-policy="running-only-pongs"]');
    await page.fill('#sw-agents', '10');
    await page.fill('#sw-trials', '5');
    await page.fill('#sw-horizon', '6hrs');
    assert.equal(await page.$eval('[data-sw="count"]', (e) => e.dataset.points), '4');
    // distribution previews are drawn from the engine's samples
    assert.ok(await page.$$eval('canvas.sw-preview', (cs) => cs.length >= 3 && cs.every((c) => Number(c.dataset.samples) === 2000)));
    await runSweep(page, 60_000);
    assert.match(await page.textContent('#sw-status'), /^20 \/ 20 trials · [\d.]+ s · done/);
    // the heatmap drew its 4 cells with colour, and the table has one row per point
    assert.equal(await page.$eval('#sw-heatmap', (c) => c.dataset.cells), '4');
    const px = await paintedPixels(page);
    assert.ok(px.painted > px.of * 0.15, `heatmap painted ${px.painted} of ${px.of} pixels`);
    assert.equal((await tableRows(page)).length, 4);
    assert.ok(Number(await page.$eval('#sw-pareto', (c) => c.dataset.points)) >= 1);
    // a target gives a recommendation (the fastest-detecting setting meeting it), marked in the table
    await page.fill('#sw-target', '1000');
    await page.waitForFunction(() => Number(document.querySelector('#sw-rec').dataset.point) >= 0);
    const rec = Number(await page.$eval('#sw-rec', (e) => e.dataset.point));
    assert.match(await page.textContent('#sw-rec'), /Detection p99 .* false unreachable per 1,000 restarts/);
    assert.equal(await page.$eval(`#sw-table tr[data-point="${rec}"]`, (tr) => tr.classList.contains('rec')), true);
    // a 5mins setting detects hangs faster than a 10mins one: the recommendation is a 5mins point
    assert.match(await page.textContent('.sw-rec-setting'), /^5mins/);
    // keyboard: the heatmap is focusable and announces cells
    await page.focus('#sw-heatmap');
    await page.keyboard.press('ArrowRight');
    // click a cell: the Lab opens its representative trial, animated
    // grid order: keys sorted, the last varying fastest — point 2 is 15secs × 5, 5mins
    const p = await cellPoint(page, 2);
    await page.mouse.click(p.x, p.y);
    await page.waitForSelector('#app:not([hidden])');
    await page.waitForSelector('#sw-trial-note:not([hidden])');
    assert.match(await page.textContent('#scenario-title'), /^Sweep trial \d+: 5mins · 15secs × 5/);
    assert.match(await page.textContent('#sw-trial-note'), /Trial \d+ at 5mins · 15secs × 5/);
    const agents = await page.$$eval('#agent-list [data-agent]', (els) => els.map((e) => e.dataset.agent));
    assert.deepEqual(agents, Array.from({ length: 10 }, (_, i) => `a-${i}`));
    const t1 = await simTime(page);
    await page.waitForFunction((t) => Number(document.querySelector('[data-sim-time]').dataset.simTime) > t, t1, { timeout: 10_000 });
    assert.equal(await page.getAttribute('#play-btn', 'aria-label'), 'Pause');
    assert.match(page.url(), /#scenario=/);
    // back to Tuning keeps the results; back to the Lab keeps the trial
    await page.click('#tab-tune');
    await page.waitForSelector('#tune-view:not([hidden])');
    assert.equal((await tableRows(page)).length, 4);
    assert.equal(await page.$eval('#sw-heatmap', (c) => c.dataset.cells), '4');
    await page.click('#tab-lab');
    assert.match(await page.textContent('#scenario-title'), /^Sweep trial/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('spec and results round-trip through export/import and the URL; a bad import keeps the spec and shows the JSON paths', { timeout: 120_000 }, async () => {
    const spec = smallSpec();
    const { page, errors } = await openPage(`#sweep=${b64url(spec)}`);
    await page.waitForSelector('#tune-view:not([hidden])');
    // the spec from the link is in the editor
    assert.equal(await page.inputValue('#sw-trials'), '5');
    assert.equal(await page.inputValue('#sw-agents'), '10');
    assert.equal(await page.inputValue('#sw-vary-master-agent-reregister-timeout'), '5mins, 10mins');
    assert.equal(await page.inputValue('#sw-horizon'), '6hrs');
    assert.equal(await page.isChecked('[data-sw-policy="running-only-pongs"]'), false);
    await runSweep(page, 60_000);
    const rows = await tableRows(page);
    const file = await exported(page);
    assert.deepEqual(file.spec, spec);
    assert.equal(file.results.points.length, 4);
    assert.equal(file.representative_trials.length, 4);
    // the URL now carries the results too: a new tab shows them without running
    await page.waitForFunction(() => location.hash.includes('results='));
    const url = page.url();
    const second = await browser.context.newPage();
    const errors2 = collectPageErrors(second);
    await second.goto(url);
    await second.waitForFunction(() => window.__ready === true);
    await second.waitForSelector('#sw-table tbody tr');
    assert.deepEqual(await tableRows(second), rows);
    assert.deepEqual((await exported(second)).results, file.results);
    await second.close();
    // change the spec, then import the export: spec and results are back
    await page.fill('#sw-trials', '7');
    await page.waitForSelector('#sw-stale:not([hidden])');
    assert.deepEqual(await importText(page, JSON.stringify(file)), []);
    assert.equal(await page.inputValue('#sw-trials'), '5');
    assert.deepEqual(await tableRows(page), rows);
    assert.deepEqual(await exported(page), file);
    // results without representative trials (e.g. the CLI's --json): the tab finds one per point
    // with a one-point run in a worker — the same trial as the full run's
    const { representative_trials: reps, ...bare } = file;
    assert.deepEqual(await importText(page, JSON.stringify(bare)), []);
    assert.deepEqual(await tableRows(page), rows);
    await page.click('#sw-table tr[data-point="3"] .sw-open');
    await page.waitForSelector('#sw-trial-note:not([hidden])');
    assert.equal(Number(await page.$eval('#sw-trial-note', (e) => e.dataset.trial)), reps[3]);
    assert.match(await page.textContent('#scenario-title'), /^Sweep trial \d+: 10mins · 15secs × 5/);
    await page.click('#sw-trial-note .btn');
    await page.waitForSelector('#tune-view:not([hidden])');
    assert.deepEqual(await importText(page, JSON.stringify(file)), []);
    // a bad import: the JSON paths are listed, the dialog stays, the spec and results are kept
    const bad = { ...file, spec: { ...spec, trials: 0, workload: { horizon: '6hrs', faults: [{ kind: 'crash_agent' }] } } };
    const lines = await importText(page, JSON.stringify(bad));
    assert.ok(lines.some((l) => /^spec\.trials: must be at least 1/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^spec\.workload\.faults\[0\]: needs exactly one of "rate"/.test(l)), lines.join('\n'));
    assert.equal(await page.evaluate(() => document.querySelector('#sw-import-dialog').open), true);
    const badResults = await importText(page, JSON.stringify({ ...file, results: { ...file.results, points: file.results.points.slice(1) } }));
    assert.match(badResults[0], /^results\.points: 3 points, but the spec's grid has 4/);
    assert.match((await importText(page, '{ "spec": ')).join(''), /not valid JSON/);
    await page.click('#sw-import-dialog [data-close]');
    assert.equal(await page.inputValue('#sw-trials'), '5');
    assert.deepEqual(await tableRows(page), rows);
    // a broken link: a clear message, and a working tab with the default spec
    const { page: p3, errors: e3 } = await openPage(`#sweep=${b64url({ ...spec, trials: -1 })}`);
    await p3.waitForSelector('.sw-linkerr:not([hidden])');
    assert.match(await p3.textContent('.sw-linkerr'), /could not be fully restored[\s\S]*trials/);
    assert.equal(await p3.inputValue('#sw-trials'), '20');
    assert.deepEqual(e3, []);
    await p3.close();
    // markup in the spec's name stays text
    const evil = { ...spec, name: '<img src=x onerror="window.__pwned=1">' };
    assert.deepEqual(await importText(page, JSON.stringify(evil)), []);
    assert.equal(await page.inputValue('#sw-name'), evil.name);
    assert.equal(await page.$$eval('body img, [onerror]', (e) => e.length), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(errors, []);
    assert.deepEqual(errors2, []);
    await page.close();
  });

  test('cancel stops a running sweep and keeps the previous results', { timeout: 60_000 }, async () => {
    const spec = smallSpec();
    const { page, errors } = await openPage(`#sweep=${b64url(spec)}`);
    await page.waitForSelector('#tune-view:not([hidden])');
    await runSweep(page, 60_000);
    const rows = await tableRows(page);
    await page.fill('#sw-trials', '5000');
    await page.click('#sw-run');
    await page.waitForFunction(() => Number(document.querySelector('#sw-progress').dataset.done) > 0);
    await page.click('#sw-cancel');
    await page.waitForFunction(() => document.querySelector('#sw-progress').dataset.state === 'cancelled');
    assert.match(await page.textContent('#sw-status'), /cancelled/);
    assert.equal(await page.isDisabled('#sw-run'), false);
    assert.deepEqual(await tableRows(page), rows);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('screenshot of the Tuning tab with results (default spec, 20 trials)', { timeout: 120_000 }, async () => {
    const { page, errors } = await openPage('#tune');
    await runSweep(page, 90_000);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'tuning.png') });
    await page.evaluate(() => window.__lab.setTheme('dark'));
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'tuning-dark.png') });
    await page.evaluate(() => window.__lab.setTheme('light'));
    // phone width: no horizontal scrolling
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal scrolling at phone width (overflow ${overflow}px)`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('performance: the full sweeps/reregister-vs-ping.json in the worker, single thread (printed, not asserted)', { timeout: 400_000 }, async () => {
    const full = readFileSync(FULL_SPEC_PATH, 'utf8');
    const spec = JSON.parse(full);
    const { page, errors } = await openPage('#tune');
    // Estimate from a tenth of the trials first; run the whole sweep if it fits in ~3 minutes.
    const probe = { ...spec, trials: Math.max(1, Math.round(spec.trials / 10)) };
    assert.deepEqual(await importText(page, JSON.stringify(probe)), []);
    await runSweep(page, 300_000);
    const probePerf = await page.evaluate(() => window.__sweepPerf);
    const estimate = probePerf.computeSeconds * (spec.trials / probe.trials);
    let perf = probePerf, measured = probe.trials, scale = spec.trials / probe.trials;
    if (estimate < 180) {
      assert.deepEqual(await importText(page, full), []);
      await runSweep(page, 360_000);
      perf = await page.evaluate(() => window.__sweepPerf);
      measured = spec.trials; scale = 1;
    }
    const out = {
      spec: 'sweeps/reregister-vs-ping.json',
      agent_days: 36 * spec.trials * 100,
      trials_measured_per_point: measured,
      scaled_from_fraction: scale === 1 ? null : 1 / scale,
      browser_worker_seconds: Math.round(perf.computeSeconds * scale * 1000) / 1000,
      browser_worker_wall_seconds: Math.round(perf.elapsed * scale * 1000) / 1000,
    };
    // the native single-thread figure on the same machine, when the release binary exists
    const bin = join(process.env.CARGO_TARGET_DIR ? join(REPO_ROOT, process.env.CARGO_TARGET_DIR) : join(REPO_ROOT, 'target'), 'release', 'liveness');
    if (existsSync(bin)) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(bin, ['sweep', FULL_SPEC_PATH, '--json', '--threads', '1'], { encoding: 'utf8', maxBuffer: 1 << 26 });
      const native = Number(process.hrtime.bigint() - t0) / 1e9;
      if (r.status === 0) {
        out.native_single_thread_seconds = Math.round(native * 1000) / 1000;
        out.ratio = Math.round((out.browser_worker_seconds / native) * 100) / 100;
        if (scale === 1) {
          // the browser's results are the CLI's
          const browserResult = (await exported(page)).results;
          out.identical_to_cli = JSON.stringify(browserResult) === JSON.stringify(JSON.parse(r.stdout));
        }
      }
    }
    console.log(`SWEEP-PERF ${JSON.stringify(out)}`);
    assert.ok(perf.total > 0);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
