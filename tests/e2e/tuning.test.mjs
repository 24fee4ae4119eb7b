// End-to-end tests of the Tuning tab (www/dist) in headless Chromium: a small sweep run in the
// worker, its heatmap, table, the engine's recommendation, a cell opening its trial in the Lab,
// export/import and URL round trips (objective, recommendation and warnings included), the CSV
// written by the engine, a bad import, the metric fields built from the engine's catalogue, the
// objective edited on the page, Run blocked by invalid fields, the estimate and the time left,
// partial results kept on Cancel, Mesos-refused values warned in the engine's words, the editors
// of the workload language, axis labels inside their canvases, a screenshot, and (printed, not
// asserted) the worker's single-thread time for the full sweeps/reregister-vs-ping.json.
// Run by scripts/test.sh after the site is built; skipped without Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { launchChromium, serveDir, chromiumSkipReason, collectPageErrors, REPO_ROOT, SCREENSHOTS_DIR } from './helpers.mjs';
import { lib } from '../js/helpers.mjs';

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
    // a loose bound gives a recommendation (the fastest hang detection meeting it), marked in
    // the table, with the engine's own sentence and the master's message rate beside detection
    await page.fill('[data-sw-bound="0"]', '1000');
    await page.waitForFunction(() => Number(document.querySelector('#sw-rec').dataset.point) >= 0);
    const rec = Number(await page.$eval('#sw-rec', (e) => e.dataset.point));
    const why = (await exported(page)).results.recommendation.why;
    assert.equal(await page.textContent('#sw-rec-why'), why);
    assert.match(why, /has the lowest hang detection p99 \(5mins\) of the 4 of 4 points run with false unreachable \/ agent-day at most 1000 \(it has 0\)\.$/);
    assert.match(await page.textContent('.sw-rec-nums'), /hang detection p99 5 min · master messages \/ s [\d.]+ · false unreachable \/ agent-day/);
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

  test('an estimate before running, the time left while running, and Cancel keeps the partial results', { timeout: 90_000 }, async () => {
    const spec = smallSpec();
    const { page, errors } = await openPage(`#sweep=${b64url(spec)}`);
    await page.waitForSelector('#tune-view:not([hidden])');
    // before any run: an estimate from the spec's size (4 settings × 5 trials × 10 agents × 6 h)
    assert.match(await page.textContent('#sw-estimate'), /^Estimate: about .* for 20 trials \(50 agent-days at about [\d,]+ agent-days\/s, a guess until a run here measures it\)\.$/);
    await runSweep(page, 60_000);
    // after one: the rate it measured, applied to the new size
    await page.fill('#sw-trials', '5000');
    const estimate = await page.$eval('#sw-estimate', (e) => ({ text: e.textContent, seconds: Number(e.dataset.seconds) }));
    assert.match(estimate.text, /for 20,000 trials \(50,000 agent-days at [\d,]+ agent-days\/s, measured by the last run here\)/);
    assert.ok(estimate.seconds > 0);
    await page.click('#sw-run');
    // The status is read in the same task that saw the time left (the next progress message
    // may rewrite it before a second read).
    const running = await page.waitForFunction(() => {
      const status = document.querySelector('#sw-status').textContent;
      return Number(document.querySelector('#sw-progress').dataset.done) > 0 && status.includes('left') && status;
    });
    assert.match(await running.jsonValue(), /^[\d,]+ \/ 20,000 trials · [\d.]+ s · about .+ left$/);
    assert.ok(Number(await page.$eval('#sw-progress', (e) => e.dataset.eta)) > 0);
    await page.click('#sw-cancel');
    await page.waitForFunction(() => document.querySelector('#sw-progress').dataset.state === 'cancelled');
    assert.match(await page.textContent('#sw-status'), /cancelled: partial results kept \([\d,]+ of 20,000 trials\)/);
    assert.equal(await page.isDisabled('#sw-run'), false);
    // the partial results are shown, said to be partial, and export as they are
    await page.waitForSelector('#sw-partial:not([hidden])');
    assert.match(await page.textContent('#sw-partial'), /^Partial results: [\d,]+ of 20,000 trials ran before the sweep was cancelled/);
    const file = await exported(page);
    const trials = file.results.points.map((p) => p.trials);
    assert.ok(trials[0] > 0 && trials.every((t) => t < 5000), JSON.stringify(trials));
    assert.equal((await tableRows(page)).length, 4);
    assert.equal(await page.$eval('#sw-table tbody tr', (tr) => tr.cells[3].textContent), String(trials[0]));
    // the engine's recommendation for what ran
    const { recommendation, no_recommendation } = lib.sweepRecommend(file.spec.objective, file.results);
    assert.deepEqual([file.results.recommendation, file.results.no_recommendation], [recommendation, no_recommendation]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('every metric comes from the engine: heatmap choices, table headers with units, the CSV', { timeout: 90_000 }, async () => {
    const spec = smallSpec();
    const { page, errors } = await openPage(`#sweep=${b64url(spec)}`);
    await page.waitForSelector('#tune-view:not([hidden])');
    await runSweep(page, 60_000);
    const catalogue = lib.sweepMetrics();
    // the heatmap offers every metric, under the engine's label and unit
    const options = await page.$$eval('#sw-metric option', (os) => os.map((o) => ({ path: o.value, text: o.textContent, title: o.title })));
    assert.deepEqual(options.map((o) => o.path), catalogue.map((m) => m.path));
    for (const [o, m] of options.map((o, k) => [o, catalogue[k]])) {
      assert.equal(o.text, m.unit === 'ms' ? `${m.label} (time)` : m.unit === 'count' ? `${m.label} (count)` : m.label);
      assert.equal(o.title, m.description);
    }
    // by default the objective's metric; another one redraws and goes into the link
    assert.equal(await page.$eval('#sw-heatmap', (c) => c.dataset.metric), 'detection_by_kind.hang.p99');
    await page.selectOption('#sw-metric', 'master_messages_per_second');
    assert.equal(await page.$eval('#sw-heatmap', (c) => c.dataset.metric), 'master_messages_per_second');
    await page.waitForFunction(() => location.hash.includes('metric=master_messages_per_second'));
    const file = await exported(page);
    const cells = await page.$$eval('#sw-heatmap', ([c]) => c.__labels.filter((l) => l.kind === 'cell').map((l) => l.text));
    const values = Array.from(lib.sweepMetricValues(file.results, 'master_messages_per_second')).map((v) => String(Number(v.toPrecision(3))));
    assert.deepEqual([...cells].sort(), [...values].sort());
    // the table's metric headers are the engine's labels with their units
    const heads = await page.$$eval('#sw-table th[data-metric]', (ths) => ths.map((t) => [t.dataset.metric, t.textContent]));
    assert.deepEqual(heads.slice(0, 3).map((x) => x[0]), ['detection_by_kind.hang.p99', 'master_messages_per_second', 'false_unreachable_per_agent_day']);
    for (const [path, text] of heads) {
      const m = catalogue.find((x) => x.path === path);
      assert.equal(text, m.unit === 'ms' ? `${m.label} (time)` : m.unit === 'count' ? `${m.label} (count)` : m.label);
    }
    // the CSV is the engine's, byte for byte — for a run, and for the same results imported
    const csv = async () => {
      await page.click('#sw-export');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#sw-export-csv')]);
      const text = readFileSync(await dl.path(), 'utf8');
      await page.click('#sw-export-dialog [data-close]');
      return text;
    };
    const sw = new lib.Sweep(spec);
    sw.step(sw.total);
    const engineCsv = sw.csv();
    sw.free();
    assert.equal(await csv(), engineCsv);
    assert.deepEqual(await importText(page, JSON.stringify(file)), []);
    assert.equal(await csv(), engineCsv);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the objective is edited on the page: the engine recommends again, the Pareto chart follows, results stay', { timeout: 90_000 }, async () => {
    const spec = smallSpec();
    const { page, errors } = await openPage(`#sweep=${b64url(spec)}`);
    await page.waitForSelector('#tune-view:not([hidden])');
    await runSweep(page, 60_000);
    assert.deepEqual(await page.$eval('#sw-pareto', (c) => [c.dataset.x, c.dataset.y]), ['detection_by_kind.hang.p99', 'false_unreachable_per_agent_day']);
    // minimize the master's messages, bounded by hang detection (in ms) instead
    await page.selectOption('#sw-minimize', 'master_messages_per_second');
    await page.selectOption('[data-sw-constraint="0"]', 'detection_by_kind.hang.p99');
    await page.fill('[data-sw-bound="0"]', '400000');
    assert.match(await page.textContent('.sw-constraint .sw-unit'), /^ms \(6 min 40 s\)$/);
    await page.waitForFunction(() => document.querySelector('#sw-pareto').dataset.x === 'master_messages_per_second');
    assert.equal(await page.$eval('#sw-pareto', (c) => c.dataset.y), 'detection_by_kind.hang.p99');
    assert.equal(await page.isHidden('#sw-stale'), true, 'a new objective keeps the results');
    const file = await exported(page);
    assert.deepEqual(file.spec.objective, { minimize: 'master_messages_per_second', subject_to: [{ metric: 'detection_by_kind.hang.p99', at_most: 400000 }] });
    assert.deepEqual(file.results.objective, file.spec.objective);
    const engine = lib.sweepRecommend(file.spec.objective, file.results);
    assert.deepEqual(file.results.recommendation, engine.recommendation);
    assert.equal(await page.textContent('#sw-rec-why'), engine.recommendation.why);
    assert.match(engine.recommendation.why, /has the lowest master messages \/ s \(.*\) of the 2 of 4 points run with hang detection p99 at most 6.667mins/);
    // a bound nothing meets: the engine's reason instead
    await page.fill('[data-sw-bound="0"]', '1000');
    await page.waitForFunction(() => document.querySelector('#sw-rec').dataset.point === '-1');
    assert.match(await page.textContent('#sw-rec-why'), /^No point of the 4 run has hang detection p99 at most 1secs; the closest is .* with hang detection p99 5mins\.$/);
    // no bound at all: every point qualifies, and the chart says what its y axis is
    await page.click('.sw-constraint .sw-x');
    await page.waitForFunction(() => Number(document.querySelector('#sw-rec').dataset.point) >= 0);
    assert.equal(await page.$eval('#sw-pareto', (c) => c.dataset.y), 'false_unreachable_per_agent_day');
    assert.match(await page.textContent('#sw-pareto-h'), /^Trade-off: master messages \/ s vs false unreachable \/ agent-day$/);
    assert.match(await page.textContent('#sw-pareto-legend'), /No bound in the objective/);
    // an invalid bound blocks Run and names its path; the last recommendation stays
    await page.click('#sw-add-constraint');
    await page.fill('[data-sw-bound="0"]', '-1');
    await page.waitForSelector('#sw-run:disabled');
    assert.match(await page.textContent('#sw-errors'), /objective\.subject_to\[0\]\.at_most: must be a number of at least 0, got -1/);
    assert.equal(await page.$eval('[data-sw-bound="0"]', (e) => e.classList.contains('invalid')), true);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('Run is blocked while any field is invalid, and the problems say which', { timeout: 60_000 }, async () => {
    const spec = smallSpec();
    const { page, errors } = await openPage(`#sweep=${b64url(spec)}`);
    await page.waitForSelector('#tune-view:not([hidden])');
    assert.equal(await page.isDisabled('#sw-run'), false);
    assert.equal(await page.isHidden('#sw-blocked'), true);
    await page.fill('#sw-trials', '0');
    await page.fill('[data-sw-fault="1"] [data-sw-path="workload.faults[1].rate"]', '1/fortnight');
    await page.fill('#sw-vary-master-agent-ping-timeout', '10secs, soon');
    await page.waitForSelector('#sw-run:disabled');
    const problems = await page.$$eval('#sw-errors li', (li) => li.map((e) => e.textContent));
    assert.ok(problems.includes('trials: must be at least 1'), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('workload.faults[1].rate: ')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('vary["master.agent_ping_timeout"][1]: ')), problems.join('\n'));
    assert.match(await page.textContent('#sw-blocked'), /^Run is blocked until these 3 problems are fixed \(3 fields marked in the editor\):$/);
    for (const sel of ['#sw-trials', '[data-sw-path="workload.faults[1].rate"]', '#sw-vary-master-agent-ping-timeout']) {
      assert.equal(await page.$eval(sel, (e) => e.classList.contains('invalid') && e.getAttribute('aria-invalid') === 'true'), true, sel);
    }
    assert.match(await page.getAttribute('#sw-run', 'title'), /^Fix the spec first: /);
    assert.equal(await page.textContent('#sw-estimate'), '');
    // fixing them unblocks Run, and the marks go
    await page.fill('#sw-trials', '5');
    await page.fill('[data-sw-path="workload.faults[1].rate"]', '0.5/7days');
    await page.fill('#sw-vary-master-agent-ping-timeout', '10secs, 15secs');
    await page.waitForSelector('#sw-run:enabled');
    assert.equal(await page.isHidden('#sw-blocked'), true);
    assert.equal(await page.$$eval('#sw-tune-view .invalid, #tune-view .invalid', (e) => e.length), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('values Mesos refuses warn on the page in the engine\'s words', { timeout: 30_000 }, async () => {
    const spec = smallSpec();
    const { page, errors } = await openPage(`#sweep=${b64url(spec)}`);
    await page.waitForSelector('#tune-view:not([hidden])');
    const sw = new lib.Sweep(spec);
    const engine = sw.result().warnings;
    sw.free();
    assert.deepEqual(engine, ['master.agent_reregister_timeout: 5mins is below 10mins, which Mesos refuses at start-up']);
    assert.deepEqual(await page.$$eval('#sw-warnings li', (li) => li.map((e) => e.textContent)), engine.map((w) => `warning: ${w}`));
    await page.fill('#sw-vary-master-agent-reregister-timeout', '10mins, 20mins');
    await page.waitForSelector('#sw-warnings', { state: 'hidden' });
    await page.fill('#sw-vary-master-agent-ping-timeout', '0.5secs');
    await page.waitForSelector('#sw-warnings:not([hidden])');
    const s2 = { ...spec, vary: { ...spec.vary, 'master.agent_reregister_timeout': ['10mins', '20mins'], 'master.agent_ping_timeout': ['0.5secs'] } };
    const sw2 = new lib.Sweep(s2);
    assert.deepEqual(await page.$$eval('#sw-warnings li', (li) => li.map((e) => e.textContent)), sw2.result().warnings.map((w) => `warning: ${w}`));
    sw2.free();
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the workload language in the editor: racks and scope, fractional rates, hangs, sockets, rolling restarts, failovers, clamps, an uploaded empirical file', { timeout: 120_000 }, async () => {
    const spec = smallSpec();
    spec.workload.faults = [{ kind: 'restart_agent', rate: '1/1days', recovery: { lognormal: { median: '30secs', p99: '20mins' } } }];
    const { page, errors } = await openPage(`#sweep=${b64url(spec)}`);
    await page.waitForSelector('#tune-view:not([hidden])');
    const card = (i) => `[data-sw-fault="${i}"]`;
    // restarts: a fractional rate, a share that hangs, clamps on the recovery
    await page.fill(`${card(0)} [data-sw-path="workload.faults[0].rate"]`, '0.2/30days');
    assert.match(await page.textContent(`${card(0)} .sw-derived`), /One per agent every 150 d on average/);
    await page.fill(`${card(0)} [data-sw-path="workload.faults[0].hang_probability"]`, '0.25');
    await page.fill(`${card(0)} [data-sw-path="workload.faults[0].recovery.min"]`, '30secs');
    await page.fill(`${card(0)} [data-sw-path="workload.faults[0].recovery.max"]`, '8mins');
    await page.waitForFunction(() => /clamps applied/.test(document.querySelector('[data-sw-fault="0"] .sw-psum').textContent));
    // an empirical recovery from an uploaded file, with its histogram
    await page.selectOption(`${card(0)} select[aria-label="recovery: distribution"]`, 'file');
    const text = '# agent logs: Finished recovery\n30\n45\n95secs\n2mins\n4mins\n8mins\n';
    await page.setInputFiles(`${card(0)} input[type="file"]`, { name: 'recoveries.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await page.waitForFunction(() => /6 durations/.test(document.querySelector('[data-sw-fault="0"] .sw-filerow .note').textContent));
    await page.waitForFunction(() => Number(document.querySelector('[data-sw-fault="0"] canvas.sw-preview').dataset.samples) === 2000);
    assert.match(await page.textContent(`${card(0)} .sw-psum`), /^Median .*, p99 8 min \(2,000 samples from the engine; log axis\)\.$/);
    // racks, and a partition that hits a whole rack and breaks the socket
    await page.fill('#sw-racks', '2');
    await page.click('[data-sw-add="partition"]');
    await page.selectOption(`${card(1)} [data-sw-scope="1"]`, 'rack');
    assert.match(await page.textContent(`${card(1)} .sw-srow .lbl`), /rate per rack/);
    await page.check(`${card(1)} [data-sw-breaks="1"]`);
    // a rolling restart and a master failover (always the whole cluster)
    await page.click('[data-sw-add="rolling_restart"]');
    await page.fill(`${card(2)} [data-sw-path="workload.faults[2].batch"]`, '20%');
    await page.click('[data-sw-add="fail_over_master"]');
    assert.equal(await page.$$eval(`${card(3)} [data-sw-scope]`, (e) => e.length), 0);
    await page.waitForSelector('#sw-run:enabled');
    const file = await exported(page);
    assert.deepEqual(file.files, { 'recoveries.txt': text });
    assert.deepEqual(file.spec.workload, {
      horizon: '6hrs',
      racks: 2,
      faults: [
        { kind: 'restart_agent', rate: '0.2/30days', recovery: { empirical: { file: 'recoveries.txt' } }, hang_probability: 0.25 },
        { kind: 'partition', rate: '1/30days', direction: 'both', duration: { uniform: ['10secs', '5mins'] }, scope: 'rack', breaks_socket: true },
        { kind: 'rolling_restart', at: '2hrs', batch: '20%', pause: '1mins', recovery: { uniform: ['20secs', '2mins'] } },
        { kind: 'fail_over_master', rate: '1/30days', downtime: { uniform: ['10secs', '1mins'] } },
      ],
    });
    // it runs in the worker with the uploaded file, as the engine runs it here
    await runSweep(page, 90_000);
    const ran = (await exported(page)).results;
    const sw = new lib.Sweep(file.spec, file.files);
    sw.step(sw.total);
    assert.deepEqual(ran.points, sw.result().points);
    assert.ok(ran.points[0].metrics.false_unreachable_by_kind.rolling_restart >= 0);
    sw.free();
    // the files travel with the link
    await page.waitForFunction(() => location.hash.includes('files='));
    const second = await browser.context.newPage();
    await second.goto(page.url());
    await second.waitForFunction(() => window.__ready === true);
    await second.waitForSelector('#sw-table tbody tr');
    assert.match(await second.textContent('[data-sw-fault="0"] .sw-filerow .note'), /“recoveries\.txt”: 6 durations/);
    assert.equal(await second.isDisabled('#sw-run'), false);
    await second.close();
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the operator\'s example (sweeps/cluster-5000.json) imports with the file it names', { timeout: 60_000 }, async () => {
    const { page, errors } = await openPage('#tune');
    const spec = readFileSync(join(REPO_ROOT, 'sweeps', 'cluster-5000.json'), 'utf8');
    const recoveries = readFileSync(join(REPO_ROOT, 'sweeps', 'recoveries.txt'), 'utf8');
    // without the file: the engine names what is missing, and nothing is replaced
    const lines = await importText(page, spec);
    assert.ok(lines.includes('workload.faults[1].recovery.empirical.file: cannot read "recoveries.txt": no file of that name was given'), lines.join('\n'));
    // with it
    await page.setInputFiles('#sw-import-files', { name: 'recoveries.txt', mimeType: 'text/plain', buffer: Buffer.from(recoveries) });
    await page.waitForFunction(() => document.querySelector('#sw-import-files-info').textContent === 'recoveries.txt');
    assert.deepEqual(await importText(page, spec), []);
    assert.equal(await page.isDisabled('#sw-run'), false);
    assert.equal(await page.inputValue('#sw-agents'), '5000');
    assert.equal(await page.inputValue('#sw-racks'), '125');
    assert.match(await page.textContent('[data-sw-fault="1"] .sw-filerow .note'), /“recoveries\.txt”: 100 durations/);
    const sw = new lib.Sweep(JSON.parse(spec), { 'recoveries.txt': recoveries });
    assert.deepEqual(await page.$$eval('#sw-warnings li', (li) => li.map((e) => e.textContent)), sw.result().warnings.map((w) => `warning: ${w}`));
    sw.free();
    assert.deepEqual((await exported(page)).files, { 'recoveries.txt': recoveries });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('axis labels stay inside their canvases, without overlapping, at any width and metric', { timeout: 90_000 }, async () => {
    const { page, errors } = await openPage('#tune');
    await page.fill('#sw-trials', '5');
    await runSweep(page, 90_000);
    const check = async (what) => {
      for (const id of ['sw-heatmap', 'sw-pareto']) {
        const { labels, size } = await page.$eval(`#${id}`, (c) => ({ labels: c.__labels, size: c.__size }));
        assert.ok(labels.length > 4, `${id} ${what}: ${labels.length} labels`);
        for (const l of labels) {
          assert.ok(l.x0 >= -0.5 && l.y0 >= -0.5 && l.x1 <= size.w + 0.5 && l.y1 <= size.h + 0.5, `${id} ${what}: "${l.text}" at ${JSON.stringify(l)} is outside ${size.w}×${size.h}`);
        }
        const ticks = labels.filter((l) => l.kind === 'tick');
        for (let a = 0; a < ticks.length; a++) {
          for (let b = a + 1; b < ticks.length; b++) {
            const [p, q] = [ticks[a], ticks[b]];
            const overlap = p.x0 < q.x1 - 0.5 && q.x0 < p.x1 - 0.5 && p.y0 < q.y1 - 0.5 && q.y0 < p.y1 - 0.5;
            assert.ok(!overlap, `${id} ${what}: "${p.text}" overlaps "${q.text}"`);
          }
        }
      }
    };
    for (const width of [1280, 900, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const metric of ['detection_by_kind.hang.p99', 'false_unreachable_per_1000_faults', 'ghost_task_ms.total']) {
        await page.selectOption('#sw-metric', metric);
        await page.waitForTimeout(100);
        await check(`${width}px, ${metric}`);
      }
    }
    // a bound far above every value and a time on the y axis
    await page.selectOption('#sw-minimize', 'master_messages_per_second');
    await page.selectOption('[data-sw-constraint="0"]', 'limbo_ms.p99');
    await page.fill('[data-sw-bound="0"]', '86400000');
    await page.waitForTimeout(200);
    await check('a time bound');
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
    const bin = join(process.env.CARGO_TARGET_DIR ? resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR) : join(REPO_ROOT, 'target'), 'release', 'liveness');
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
