// End-to-end tests of the Lab's teaching features (issue 12, and the lab parts of issue 9):
// the guided story with its beats and &step=N, the lane timeline, compare by a setting, one
// truth on screen after an edit, a 5,000-agent edit without long tasks, presenter mode, the
// phone layout, and dead executors with their recovery_timeout deadline.
// Run by scripts/test.sh after the site is built; skipped without Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromiumSkipReason, collectPageErrors, SCREENSHOTS_DIR, labSession, openLabPage, simTime, waitSimTime, waitBeat } from './helpers.mjs';

const skip = chromiumSkipReason();
let session;
let site;
let browser;

const b64url = (obj) => Buffer.from(JSON.stringify(obj), 'utf8').toString('base64url');

const openLab = (hash = '', size = {}) => openLabPage(browser, site.url + hash, size);

async function agentRow(page, name) {
  return page.$eval(`#agent-list [data-agent="${name}"]`, (e) => ({ view: e.dataset.masterView, state: e.dataset.agentState }));
}

describe('Teaching with the Lab in Chromium', { skip }, () => {
  before(async () => {
    session = await labSession();
    ({ site, browser } = session);
  });
  after(async () => { await session?.close(); });

  test('story beats: &step=N opens beat N paused with its caption; Continue goes on and the link follows', { timeout: 90_000 }, async () => {
    const { page, errors } = await openLab('#preset=stuck-recovery&step=2');
    await waitBeat(page, 2);
    // beat 2: a second after the master sees agent-1's socket break (restart at 01:00, one 1 ms hop)
    const t2 = await simTime(page);
    assert.equal(t2, 60_001 + 1000);
    assert.deepEqual(await agentRow(page, 'agent-1'), { view: 'disconnected', state: 'recovering' });
    const cap = await page.textContent('#caption');
    assert.match(cap, /At 01:00 agent-1 restarts/);
    assert.match(cap, /it must re-register by 11:00\.001/);
    assert.match(page.url(), /step=2/);
    // the first lesson opens with its three-line primer
    assert.equal((await page.$$('#lesson-body [data-primer] li')).length, 3);
    assert.match(await page.textContent('#lesson-body [data-primer]'), /socket/);
    // beat 3 asks before it shows: the verdicts are hidden until an answer
    await page.click('#caption [data-continue]');
    await page.waitForSelector('#caption [data-option]');
    await waitBeat(page, 3);
    assert.match(await page.textContent('#story-verdict'), /hidden until you answer/);
    assert.equal(await page.$eval('#caption [data-continue]', (b) => b.disabled), true);
    await page.click('#caption [data-option="timer"]');
    await page.waitForSelector('#caption [data-reveal="right"]');
    assert.match(await page.textContent('#caption .cap-reveal'), /11:00\.001/);
    // beat 4: the verdict, played into
    await page.click('#caption [data-continue]');
    await waitBeat(page, 4, 60_000);
    assert.ok(await simTime(page) > 660_001, 'beat 4 is after the verdict');
    assert.deepEqual(await agentRow(page, 'agent-1'), { view: 'unreachable', state: 'recovering' });
    await page.waitForFunction(() => /step=4/.test(location.hash));
    // the highlight follows the clock when it moves by other means (beat 1 is at 00:45)
    await page.evaluate(() => window.__lab.seekTo(50_000));
    await page.waitForFunction(() => document.querySelector('.story li[data-story-step="1"]')?.getAttribute('aria-current') === 'step');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('story texts are computed from the run: R = 15mins moves every time, and Back to the story restores it', { timeout: 90_000 }, async () => {
    const { page, errors } = await openLab('#preset=stuck-recovery&step=2');
    await waitBeat(page, 2);
    const input = '[data-setting="master.agent_reregister_timeout"]';
    await page.fill(input, '15mins');
    await page.press(input, 'Enter');
    await page.waitForSelector('[data-variation]');
    // the clock stays where it was; the caption and the lesson now say 16:00.001
    assert.equal(await simTime(page), 61_001);
    await page.waitForFunction(() => /re-register by 16:00\.001/.test(document.querySelector('#caption').textContent));
    assert.doesNotMatch(await page.textContent('#lesson-body'), /11:00/);
    assert.match(await page.textContent('#caption'), /your variation/);
    await page.click('[data-back-to-story]');
    await page.waitForFunction(() => !document.querySelector('[data-variation]'));
    await waitBeat(page, 2);
    assert.match(await page.textContent('#caption'), /re-register by 11:00\.001/);
    assert.equal(await page.inputValue(input), '10mins');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('lane timeline of the stuck agent: truth against the master, pings, the socket break, the timer bar and the verdict', { timeout: 60_000 }, async () => {
    const { page, errors } = await openLab('#preset=stuck-recovery&policy=mesos-1.2&agent=agent-1&t=720000');
    await waitSimTime(page, 720_000);
    const lane = '[data-lane-timeline] [data-lane-agent="agent-1"]';
    await page.waitForSelector(`${lane} [data-lane="timers"] [data-timer]`, { timeout: 30_000 });
    const box = await page.$eval('[data-lane-timeline]', (e) => { const r = e.getBoundingClientRect(); return { w: r.width, h: r.height, visible: !e.hidden }; });
    assert.ok(box.visible && box.w >= 300 && box.h >= 60, `readable lanes at 1280×800 (${box.w}×${box.h})`);
    const facts = await page.$eval(lane, (el) => ({
      truth: [...el.querySelectorAll('[data-lane="truth"] [data-state]')].map((r) => [r.dataset.state, Number(r.dataset.from)]),
      master: [...el.querySelectorAll('[data-lane="master"] [data-view]')].map((r) => [r.dataset.view, Number(r.dataset.from)]),
      patterns: Object.fromEntries([...el.querySelectorAll('[data-lane="master"] [data-view]')].map((r) => [r.dataset.view, (r.getAttribute('fill') ?? '').replace(/-\d+\)$/, ')')])),
      pings: Number(el.querySelector('[data-lane="pings"]').dataset.pings),
      pongs: Number(el.querySelector('[data-lane="pings"]').dataset.pongs),
      breaks: [...el.querySelectorAll('[data-socket-break]')].map((g) => Number(g.dataset.socketBreak)),
      timers: [...el.querySelectorAll('[data-timer]')].map((g) => ({ kind: g.dataset.timer, from: Number(g.dataset.from), deadline: Number(g.dataset.deadline) })),
      verdicts: [...el.querySelectorAll('[data-verdict]')].map((g) => Number(g.dataset.verdict)),
      maxMissed: Number(el.querySelector('[data-max-missed]').dataset.maxMissed),
    }));
    // the agent really recovers from 01:00 on while the master's view goes disconnected, then unreachable
    assert.ok(facts.truth.some(([s, from]) => s === 'recovering' && from === 60_000), JSON.stringify(facts.truth));
    assert.ok(facts.master.some(([v, from]) => v === 'disconnected' && from === 60_001), JSON.stringify(facts.master));
    assert.ok(facts.master.some(([v, from]) => v === 'unreachable' && from === 660_001), JSON.stringify(facts.master));
    // colour-blind safe: the views differ by pattern as well as colour
    assert.deepEqual(facts.patterns, { unknown: '', connected: '', disconnected: 'url(#lp-diag)', unreachable: 'url(#lp-cross)' });
    assert.deepEqual(facts.breaks, [60_001]);
    const rereg = facts.timers.find((x) => x.kind === 'reregister');
    assert.deepEqual(rereg && { from: rereg.from, deadline: rereg.deadline }, { from: 60_001, deadline: 660_001 });
    assert.deepEqual(facts.verdicts, [660_001]);
    assert.ok(facts.pings > 40 && facts.pongs > 40, `pings and pongs drawn (${facts.pings}/${facts.pongs})`);
    assert.equal(facts.maxMissed, 0, 'it answers every ping: the health check never counts a miss');
    // dragging on the lanes moves the clock (and so the scrubber)
    const svg = await page.$eval(`${lane} svg`, (s) => { const r = s.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; });
    await page.mouse.click(svg.x + svg.w * 0.3, svg.y + svg.h / 2);
    await page.waitForFunction(() => Number(document.querySelector('[data-sim-time]').dataset.simTime) < 600_000);
    const t = await simTime(page);
    assert.equal(await page.$eval('[data-lane-timeline]', (e) => Number(e.dataset.t)), t);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('compare by a setting: agent_reregister_timeout = 10, 15, 20 mins on slow recovery, readable at 1280×800', { timeout: 90_000 }, async () => {
    const { page, errors } = await openLab('#preset=slow-recovery&t=1200000');
    await waitSimTime(page, 1_200_000);
    await page.click('#compare-toggle');
    await page.selectOption('#compare-by', 'setting');
    await page.selectOption('#compare-path', 'master.agent_reregister_timeout');
    await page.fill('#compare-values', '10mins, 15mins, 20mins');
    await page.click('#compare-apply');
    await page.waitForFunction(() => document.querySelectorAll('.pane').length === 3 && [...document.querySelectorAll('.pane .summary')].every((s) => s.dataset.verdicts !== undefined), null, { timeout: 60_000 });
    const panes = await page.$$eval('.pane', (ps) => ps.map((p) => ({ label: p.querySelector('.pane-head, header, h3')?.textContent ?? p.textContent.slice(0, 60), verdicts: p.querySelector('.summary').dataset.verdicts ?? '' })));
    assert.equal(panes.length, 3);
    assert.match(panes[0].verdicts, /agent-1@/, 'R = 10mins marks the slow agent');
    assert.equal(panes[2].verdicts, '', 'R = 20mins waits for its recovery');
    assert.equal(await simTime(page), 1_200_000, 'one clock, where it was');
    // nothing clips: every label fits its box
    const clipped = await page.$$eval('.pane *', (els) => els.filter((e) => e.children.length === 0 && e.textContent.trim() && getComputedStyle(e).overflow !== 'visible' && e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent.trim()));
    assert.deepEqual(clipped, []);
    await page.waitForFunction(() => /vary=master\.agent_reregister_timeout/.test(decodeURIComponent(location.hash)));
    // a bad value is explained in words
    await page.fill('#compare-values', '10mins, banana');
    await page.click('#compare-apply');
    await page.waitForSelector('#compare-errors:not([hidden])');
    assert.match(await page.textContent('#compare-errors'), /banana/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('four panes at 1280×800 fit without clipping; tasks before registration read "not launched"', { timeout: 60_000 }, async () => {
    let { page, errors } = await openLab('#preset=stuck-recovery&t=720000&compare=mesos-1.1,mesos-1.2,mesos-1.5,running-only-pongs');
    await waitSimTime(page, 720_000);
    await page.waitForFunction(() => document.querySelectorAll('.pane').length === 4 && [...document.querySelectorAll('.pane .summary')].every((x) => x.dataset.verdicts !== undefined), null, { timeout: 60_000 });
    const clipped = await page.$$eval('.pane *', (els) => els.filter((e) => e.children.length === 0 && e.textContent.trim() && getComputedStyle(e).overflow !== 'visible' && e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent.trim()));
    assert.deepEqual(clipped, []);
    const overlap = await page.$$eval('.pane', (ps) => ps.map((p) => p.getBoundingClientRect()).some((a, i, all) => all.some((b, j) => j > i && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)));
    assert.equal(overlap, false, 'panes do not collide');
    assert.deepEqual(errors, []);
    await page.close();
    ({ page, errors } = await openLab('#preset=stuck-recovery&agent=agent-1&t=0'));
    await page.waitForSelector('#inspector-body tr[data-task]');
    const inspector = await page.textContent('#inspector-body');
    assert.doesNotMatch(inspector, /null/);
    assert.match(inspector, /not launched/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('one truth: an edit re-judges in place — inspector, chart, log and agent list agree at the same time', { timeout: 60_000 }, async () => {
    const { page, errors } = await openLab('#preset=stuck-recovery&policy=mesos-1.2&agent=agent-1&t=400000');
    await waitSimTime(page, 400_000);
    assert.equal(await page.isVisible('[data-lane-timeline]'), true, '&agent shows the lanes without a click');
    await page.waitForSelector('#inspector-body [data-next-verdict="660001"]');
    const input = '[data-setting="master.agent_reregister_timeout"]';
    // a bad value is explained in words, and nothing changes
    await page.fill(input, 'banana');
    await page.press(input, 'Enter');
    await page.waitForFunction(() => /banana/.test(document.querySelector('#tuning-body').textContent));
    assert.match(await page.textContent('#tuning-body'), /banana/);
    assert.equal(await simTime(page), 400_000);
    // R = 5mins: agent-1 is marked at 06:00.001, before 06:40 — every panel says so at once
    await page.fill(input, '5mins');
    await page.press(input, 'Enter');
    await page.waitForSelector('#inspector-body [data-verdict="360001"]', { timeout: 30_000 });
    assert.equal(await simTime(page), 400_000, 'the clock stays where it was');
    assert.deepEqual(await agentRow(page, 'agent-1'), { view: 'unreachable', state: 'recovering' });
    const inspector = await page.textContent('#inspector-body');
    assert.match(inspector, /06:00\.001/);
    assert.doesNotMatch(inspector, /11:00|10mins/);
    await page.waitForFunction(() => /MARKED UNREACHABLE.*5mins/.test(document.querySelector('#log').textContent));
    // the chart follows the same time: 1 agent unreachable at 06:40
    await page.waitForFunction(() => Number(document.querySelector('#chart-views').closest('.chart-panel').dataset.t) === 400000);
    await page.waitForFunction(() => document.querySelector('#chart-views + .chart-legend [data-series="unreachable"] b')?.textContent === '1');
    assert.match(await page.textContent('#story-verdict'), /06:00\.001/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a link with &t= opens paused there; Space plays even with a button focused; Step → gives a caption', { timeout: 60_000 }, async () => {
    const { page, errors } = await openLab('#preset=stuck-recovery&t=50000');
    await waitSimTime(page, 50_000);
    await page.waitForTimeout(500);
    assert.equal(await simTime(page), 50_000, 'paused');
    await page.focus('#step-btn');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.querySelector('[data-sim-time]').dataset.simTime) > 50_000);
    await page.keyboard.press('Space');
    await page.click('#step-btn');
    await page.waitForSelector('#caption[data-caption="step"]');
    assert.ok((await page.$$('#caption .cap-events li')).length >= 1);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('5,000 agents: an edit re-judges in place off the main thread, shows progress, and a newer edit supersedes an older one; scrub, export (hash and trace file from the worker) and compare (long tasks printed)', { timeout: 240_000 }, async () => {
    const n = 5000;
    const scenario = {
      name: '5,000 agents', seed: 3, duration: '1hrs', policy: 'mesos-1.2',
      frameworks: [{ name: 'marathon', partition_aware: true, checkpoint: true }, { name: 'batch' }],
      agents: [{ name: 'node', count: n, tasks: { marathon: 2, batch: 1 } }],
      faults: [
        { at: '30secs', kind: 'partition', agents: Array.from({ length: 40 }, (_, i) => `node-${i}`), direction: 'both' },
        { at: '1mins', kind: 'restart_agent', agents: Array.from({ length: 20 }, (_, i) => `node-${100 + i}`), recovery: 'hang' },
        { at: '3mins', kind: 'heal', agents: Array.from({ length: 40 }, (_, i) => `node-${i}`) },
      ],
    };
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const errors = collectPageErrors(page);
    await page.addInitScript(() => {
      window.__long = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${site.url}#scenario=${b64url(scenario)}&t=1200000&agent=node-100`);
    await page.waitForFunction(() => window.__ready === true, null, { timeout: 60_000 });
    await waitSimTime(page, 1_200_000, 120_000);
    const settled = () => page.waitForFunction(() => document.querySelector('#judging').hidden && document.querySelector('#busy').hidden
      && document.querySelector('#story-verdict')?.dataset.judging === '', null, { timeout: 180_000 });
    await settled();
    const longest = () => page.evaluate(() => { const l = window.__long; window.__long = []; return Math.round(Math.max(0, ...l)); });
    await longest(); // loading is not what is measured
    const input = '[data-setting="master.agent_ping_timeout"]';
    // two edits in a row: the second supersedes the first, and the clock stays where it was
    await page.fill(input, '20secs');
    await page.press(input, 'Enter');
    await page.fill(input, '10secs');
    await page.press(input, 'Enter');
    await page.waitForFunction(() => !document.querySelector('#judging').hidden || !document.querySelector('#busy').hidden, null, { timeout: 10_000 }).catch(() => {});
    await settled();
    const edit = await longest();
    assert.equal(await simTime(page), 1_200_000);
    assert.equal(await page.inputValue(input), '10secs');
    // the verdicts come from the 10secs run: node-100 (hung from 01:00) is marked at its own re-registration deadline
    await page.waitForSelector('#inspector-body [data-verdict="660001"]');
    // scrubbing back and forth
    for (const t of [300_000, 900_000, 2_400_000, 600_000]) await page.evaluate((x) => window.__lab.seekTo(x), t);
    await waitSimTime(page, 600_000, 120_000);
    await settled();
    const scrub = await longest();
    // the Export dialog opens at once; the full re-simulation for the trace hash and the trace
    // file (600,000+ events) runs in the judge worker
    await page.evaluate(() => document.querySelector('#export-btn').addEventListener('click', () => {
      window.__hashOnOpen = document.querySelector('#export-hash').textContent;
    }));
    await page.click('#export-btn');
    assert.match(await page.evaluate(() => window.__hashOnOpen), /^Trace hash at 10:00: working it out…/);
    await page.waitForFunction(() => document.querySelector('#export-hash').dataset.traceHash, null, { timeout: 120_000 });
    assert.match(await page.textContent('#export-hash'), /^Trace hash at 10:00: [0-9a-f]{16}$/);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.click('#export-trace')]);
    const trace = (await readFile(await download.path(), 'utf8')).trimEnd().split('\n');
    assert.ok(trace.length > 400_000, `${trace.length} lines`);
    assert.equal(typeof JSON.parse(trace[0]).event, 'string');
    assert.ok(JSON.parse(trace.at(-1)).t <= 600_000);
    assert.equal(await page.textContent('#export-trace'), 'Download trace (.jsonl)', 'the button is ready again');
    await page.click('#export-dialog [data-close]');
    const exported = await longest();
    // comparing policies: one run per pane, each made in a slice of its own
    await page.click('#compare-toggle');
    await page.waitForFunction(() => document.querySelectorAll('#panes .pane').length >= 2, null, { timeout: 60_000 });
    await settled();
    assert.equal(await simTime(page), 600_000, 'compare keeps the time');
    const compare = await longest();
    // the agent list has rows only for the agents in view (a few dozen of 5,000), each saying its place
    const rows = await page.$$eval('#agent-list li[data-agent]', (els) => els.map((e) => [e.dataset.agent, e.getAttribute('aria-setsize')]));
    assert.ok(rows.length > 0 && rows.length < 100, `${rows.length} rows`);
    assert.deepEqual(rows[0], ['node-0', '5000']);
    console.log(`LAB-LONGTASK ${JSON.stringify({ agents: n, longest_task_ms: { edit, scrub, export: exported, compare } })}`);
    if (process.env.LIVENESS_PERF_ASSERT === '1') {
      assert.ok(edit <= 200 && scrub <= 200 && compare <= 200, `no main-thread task over 200 ms (edit ${edit}, scrub ${scrub}, compare ${compare})`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('presenter mode: large type, side panels hidden, beats as chapters, keyboard driven; verdicts carry shapes', { timeout: 60_000 }, async () => {
    const { page, errors } = await openLab('#preset=stuck-recovery&step=1');
    await waitBeat(page, 1);
    await page.keyboard.press('p');
    await page.waitForSelector('body.presenting #chapters [data-chapter="1"][aria-current="step"]');
    assert.equal(await page.isVisible('#inspector-body'), false, 'side panels hidden');
    const size = await page.$eval('#caption', (e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(size >= 18, `large type (${size}px)`);
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#chapters [data-chapter="2"][aria-current="step"]', { timeout: 30_000 });
    await waitBeat(page, 2, 30_000);
    assert.match(page.url(), /present=1/);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.body.classList.contains('presenting'));
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('dead executors (ghost-tasks): the inspector shows the recovery_timeout deadline, then the moment they died', { timeout: 60_000 }, async () => {
    let { page, errors } = await openLab('#preset=ghost-tasks&agent=agent-1&t=300000');
    await waitSimTime(page, 300_000);
    // agent-1 restarts at 01:00; its executors wait recovery_timeout (15mins) from the exit
    await page.waitForSelector('#inspector-body [data-executor-deadline="960000"]');
    assert.match(await page.textContent('#inspector-body'), /16:00/);
    await page.close();
    ({ page, errors } = await openLab('#preset=ghost-tasks&agent=agent-1&t=970000'));
    await waitSimTime(page, 970_000);
    await page.waitForSelector('#inspector-body [data-dead="2"]');
    assert.match(await page.textContent('#inspector-body'), /dead 16:00/);
    assert.equal(await agentRow(page, 'agent-1').then((r) => r.view), 'disconnected', 'the master still waits');
    await page.waitForSelector('[data-lane-agent="agent-1"] [data-death="960000"]');
    // the lesson has a story
    assert.ok((await page.$$('.story li[data-story-step]')).length >= 3);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('phone width: no horizontal scroll, and a tapped story card brings the cluster into view', { timeout: 60_000 }, async () => {
    const { page, errors } = await openLab('#preset=stuck-recovery&t=10000', { width: 390, height: 844 });
    await waitSimTime(page, 10_000);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal scrolling (overflow ${overflow}px)`);
    await page.click('.story li[data-story-step="2"] button');
    await waitBeat(page, 2);
    const top = await page.$eval('.stage-wrap', (e) => e.getBoundingClientRect().top);
    assert.ok(top >= -1 && top < 844 / 2, `the cluster is in view after the tap (top ${top})`);
    assert.deepEqual(errors, []);
    await page.close();
  });
  test('screenshots of the teaching views: story mode, lane timeline, compare by setting, presenter', { timeout: 120_000 }, async () => {
    let { page, errors } = await openLab('#preset=stuck-recovery&step=4');
    await waitBeat(page, 4, 60_000);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'story-mode.png') });
    await page.locator('[data-lane-timeline]').screenshot({ path: join(SCREENSHOTS_DIR, 'lane-timeline.png') });
    assert.deepEqual(errors, []);
    await page.close();

    ({ page, errors } = await openLab('#preset=slow-recovery&t=1200000&agent=agent-1&vary=master.agent_reregister_timeout:10mins,15mins,20mins'));
    await waitSimTime(page, 1_200_000);
    await page.waitForFunction(() => document.querySelectorAll('.pane').length === 3 && [...document.querySelectorAll('.pane .summary')].every((s) => s.dataset.verdicts !== undefined), null, { timeout: 60_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'compare-setting.png') });
    assert.deepEqual(errors, []);
    await page.close();

    ({ page, errors } = await openLab('#preset=ghost-tasks&step=3&present=1'));
    await waitBeat(page, 3, 60_000);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'presenter.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
