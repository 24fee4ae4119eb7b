// End-to-end tests of the detector lessons (issue 14, "a lesson per system"): each of the
// Kubernetes, Nomad, memberlist and phi accrual presets' lessons and the hung agent under all
// five detectors is opened, stepped through beat by beat with Continue, and its captions are
// checked against the run's own times — judged here, in Node, from the same scenario by the
// same engine — and its question hides the verdicts until it is answered.
// Run by scripts/test.sh after the site is built; skipped without Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumSkipReason, labSession, openLabPage, simTime, waitBeat } from './helpers.mjs';
import { lib as pkg } from '../js/helpers.mjs';
import { libFrom } from '../../www/src/engine.js';
import { Judge } from '../../www/src/lab/judge.js';
import { when } from '../../www/src/lab/facts.js';

const skip = chromiumSkipReason();
let session;

/** The preset `name` judged in Node (optionally under another detector), watching `agent`. */
function judged(name, agent, detector) {
  const p = pkg.presets().find((x) => x.name === name);
  const scenario = detector ? { ...p.scenario, detector } : p.scenario;
  const j = new Judge(libFrom(pkg), scenario, [agent]);
  j.step();
  const d = j.result();
  j.free();
  const events = d.lanes[agent].events;
  return {
    verdict: d.verdicts.find((v) => v.agent === agent) ?? null,
    status: (prefix) => events.find((e) => e.event === 'node_status' && String(e.status).startsWith(prefix)) ?? null,
    tasks: (reason) => events.filter((e) => e.event === 'task_status' && e.reason === reason),
  };
}

const caption = (page) => page.textContent('#caption .cap-text');

/** Continue to beat n (the previous one answered), waiting for it to be shown paused. */
async function continueTo(page, n) {
  await page.click('#caption [data-continue]');
  await waitBeat(page, n, 60_000);
}

/**
 * At a question beat: the verdicts are hidden and Continue is disabled until an answer; then
 * the reveal says right or wrong and shows `expect` (a pattern of the run's times).
 */
async function answerQuestion(page, option, expect) {
  await page.waitForSelector('#caption [data-option]');
  assert.match(await page.textContent('#story-verdict'), /hidden until you answer/);
  assert.equal(await page.$eval('#caption [data-continue]', (b) => b.disabled), true);
  await page.click(`#caption [data-option="${option}"]`);
  await page.waitForSelector('#caption [data-reveal="right"]');
  assert.match(await page.textContent('#caption .cap-reveal'), expect);
  assert.doesNotMatch(await page.textContent('#story-verdict'), /hidden until you answer/);
  assert.equal(await page.$eval('#caption [data-continue]', (b) => b.disabled), false);
}

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const at = (t) => new RegExp(esc(when(t)));

describe('The detector lessons in Chromium', { skip }, () => {
  before(async () => { session = await labSession(); });
  after(async () => { await session?.close(); });

  const open = (preset) => openLabPage(session.browser, `${session.site.url}#preset=${preset}&step=1`);

  test('Kubernetes: last renewal, Ready → Unknown, taint, pods deleted at taint + toleration', { timeout: 180_000 }, async () => {
    const run = judged('kubernetes', 'node-1');
    const taint = run.status('Unknown, tainted');
    const evicted = run.tasks('taint_eviction');
    assert.ok(run.verdict && taint && evicted.length, 'the preset marks, taints and evicts node-1');
    const { page, errors } = await open('kubernetes');
    await waitBeat(page, 1);
    assert.match(await caption(page), /Signal: the kubelet renews its Lease/);
    assert.match(await caption(page), /Its last renewal went out at \d\d:\d\d\.\d+; at 01:00 the kubelet crashes/);
    await continueTo(page, 2);
    await answerQuestion(page, 'grace', at(run.verdict.t));
    await continueTo(page, 3);
    assert.match(await caption(page), at(run.verdict.t));
    assert.match(await caption(page), /lease_expired/);
    await continueTo(page, 4);
    assert.match(await caption(page), at(taint.t));
    await continueTo(page, 5);
    assert.equal(await simTime(page), Math.round(evicted[0].t) + 2000);
    assert.match(await caption(page), at(evicted[0].t));
    assert.match(await caption(page), new RegExp(`deletes ${evicted.length} pods`));
    await continueTo(page, 6);
    assert.match(await caption(page), /node-3 is never marked/);
    assert.match(await caption(page), /node-2 is never marked/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('Nomad: the last heartbeat, down when TTL + grace runs out, allocations lost', { timeout: 120_000 }, async () => {
    const run = judged('nomad', 'client-1');
    const lost = run.tasks('node_down');
    assert.ok(run.verdict && lost.length);
    const { page, errors } = await open('nomad');
    await waitBeat(page, 1);
    assert.match(await caption(page), /Signal: the client's heartbeat RPC/);
    await continueTo(page, 2);
    await answerQuestion(page, 'ttl', at(run.verdict.t));
    await continueTo(page, 3);
    assert.match(await caption(page), at(run.verdict.t));
    assert.match(await caption(page), new RegExp(`TASK_LOST ×${lost.length}`));
    await continueTo(page, 4);
    assert.match(await caption(page), /client-3 is never marked/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('memberlist: suspected, confirmations shorten the timer, dead', { timeout: 120_000 }, async () => {
    const run = judged('memberlist', 'member-3');
    const suspect = run.status('suspect');
    assert.ok(run.verdict && suspect);
    const { page, errors } = await open('memberlist');
    await waitBeat(page, 1);
    assert.match(await caption(page), /Signal: members probe each other/);
    await continueTo(page, 2);
    assert.match(await caption(page), at(suspect.t));
    await continueTo(page, 3);
    await answerQuestion(page, 'shorter', at(run.verdict.t));
    await continueTo(page, 4);
    assert.match(await caption(page), at(run.verdict.t));
    assert.match(await caption(page), /suspicion_timeout/);
    await continueTo(page, 5);
    assert.match(await caption(page), /member-7 is never marked/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('phi accrual: φ crosses the threshold, unreachable, then downed', { timeout: 120_000 }, async () => {
    const run = judged('phi-accrual', 'node-1');
    const downed = run.tasks('node_downed');
    assert.ok(run.verdict && downed.length);
    const { page, errors } = await open('phi-accrual');
    await waitBeat(page, 1);
    assert.match(await caption(page), /Signal: heartbeat responses/);
    await continueTo(page, 2);
    await answerQuestion(page, 'pause', at(run.verdict.t));
    await continueTo(page, 3);
    assert.match(await caption(page), at(run.verdict.t));
    assert.match(await caption(page), /phi_threshold/);
    await continueTo(page, 4);
    assert.match(await caption(page), at(downed[0].t));
    await continueTo(page, 5);
    assert.match(await caption(page), /node-3 is never marked/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the hung agent under five detectors: only Mesos 1.2 marks it, compared by detector', { timeout: 180_000 }, async () => {
    const mesos = judged('hung-agent-everywhere', 'agent-1');
    const others = ['kubernetes', 'nomad', 'memberlist', 'phi-accrual'].map((d) => judged('hung-agent-everywhere', 'agent-1', d));
    assert.ok(mesos.verdict);
    assert.ok(others.every((r) => !r.verdict), 'no other detector marks the hung agent');
    const crashed = ['mesos', 'kubernetes', 'nomad', 'memberlist', 'phi-accrual'].map((d) => judged('hung-agent-everywhere', 'agent-2', d === 'mesos' ? undefined : d).verdict);
    const { page, errors } = await open('hung-agent-everywhere');
    await waitBeat(page, 1);
    assert.match(await caption(page), /At 01:00 agent-1 restarts/);
    await continueTo(page, 2);
    // compared by detector: five panes, each crash verdict on its own clock
    assert.equal(await page.$$eval('.pane', (ps) => ps.length), 5);
    for (const v of crashed) assert.match(await caption(page), at(v.t));
    await continueTo(page, 3);
    await answerQuestion(page, 'mesos', new RegExp(`mesos: ${esc(when(mesos.verdict.t))} \\(reregister_timeout\\); kubernetes: never; nomad: never; memberlist: never; phi-accrual: never`));
    await continueTo(page, 4);
    assert.match(await caption(page), at(mesos.verdict.t));
    assert.match(await caption(page), /kubernetes, nomad, memberlist, phi-accrual: still healthy/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
