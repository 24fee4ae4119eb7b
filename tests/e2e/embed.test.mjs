// End-to-end tests of the embeddable lab in headless Chromium: the <liveness-lab> element on a
// course page (a temporary folder holding course.html and a copy of the built site, as a teacher
// would host it), two elements on one page that do not interfere, keyboard only, attribute
// changes, readable errors, page styles kept out and in, and embed.html#… for iframes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, serveDir, chromiumSkipReason, collectPageErrors, REPO_ROOT } from './helpers.mjs';

const skip = chromiumSkipReason();

/** The README's two snippets (section "Embed it in a course page"), served from lab/. */
async function readmeSnippets() {
  const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Embed it in a course page'));
  const [element, iframe] = [...section.matchAll(/```html\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.match(element, /src="\/liveness\/liveness-lab\.js"/);
  assert.match(iframe, /src="\/liveness\/embed\.html#/);
  return {
    element: element.replace('/liveness/liveness-lab.js', 'lab/liveness-lab.js').replace('<liveness-lab ', '<liveness-lab id="a" '),
    iframe: iframe.replace('/liveness/embed.html', 'lab/embed.html'),
  };
}

// A course page with hostile styles (big inherited fonts and colours, rules that would hide or
// restyle the element's insides if they reached them) around the README's snippet and a second
// element with another preset and other controls.
const coursePage = (snippet) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Distributed systems, week 3: failure detection</title>
  <link rel="icon" href="data:,">
  <style>
    body { font: 30px/3 Georgia, serif; color: rgb(200, 0, 0); letter-spacing: 3px; }
    button, canvas, ol, li, input { display: none !important; color: rgb(0, 0, 255) !important; }
    .note { color: rgb(1, 2, 3); }
    #b { height: 300px; }
  </style>
</head>
<body>
  <h1>Week 3</h1>
  <p class="note">The master gives up on an agent when…</p>
  ${snippet}
  <p>Now the same cluster, split in two: <button id="page-btn" type="button">a page button</button></p>
  <liveness-lab id="b" preset="partition" controls="full" speed="120"></liveness-lab>
</body>
</html>
`;

let site;
let browser;
let folder;

/** Inside element `id`: the simulated time, its agents' hooks, its verdicts and its error box. */
function probe(page, id) {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel).shadowRoot;
    const error = root.querySelector('.error');
    return {
      t: Number(root.querySelector('[data-sim-time]').dataset.simTime),
      agents: Object.fromEntries([...root.querySelectorAll('[data-agent]')].map((li) => [li.dataset.agent, `${li.dataset.masterView}/${li.dataset.agentState}`])),
      verdicts: root.querySelector('.verdicts').dataset.verdicts ?? '',
      error: error.hidden ? '' : error.textContent,
    };
  }, `#${id}`);
}

/** Waits until element `id` satisfies `check(probe)`; the last probe in the failure. */
async function waitFor(page, id, check, what) {
  let last;
  for (let k = 0; k < 150; k++) {
    last = await probe(page, id);
    if (check(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`#${id} never ${what}: ${JSON.stringify(last)}`);
}

const shown = (p) => p.verdicts !== '' && !p.error;

async function openCourse() {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1000, height: 1400 });
  const errors = collectPageErrors(page);
  const wasmLoads = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasmLoads.push(r.url()); });
  await page.goto(`${site.url}course.html`);
  await waitFor(page, 'a', shown, 'showed its verdicts');
  await waitFor(page, 'b', shown, 'showed its verdicts');
  return { page, errors, wasmLoads };
}

describe('<liveness-lab> and embed.html in Chromium', { skip }, () => {
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'liveness-course-'));
    await cp(join(REPO_ROOT, 'www/dist'), join(folder, 'lab'), { recursive: true });
    const snippets = await readmeSnippets();
    await writeFile(join(folder, 'course.html'), coursePage(snippets.element));
    await writeFile(join(folder, 'iframe.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Week 3</title><link rel="icon" href="data:,"></head><body>${snippets.iframe}</body></html>`);
    site = await serveDir(folder);
    browser = await launchChromium({ viewport: { width: 1000, height: 1400 } });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  test('two elements on a course page render their own runs and verdicts, with no console error', { timeout: 90_000 }, async () => {
    const { page, errors, wasmLoads } = await openCourse();
    assert.equal(wasmLoads.length, 1, 'the engine is fetched and initialised once for both');
    const a = await probe(page, 'a');
    assert.equal(a.t, 600000);
    assert.equal(a.agents['agent-1'], 'disconnected/recovering');
    // restart at 1:00 + agent_reregister_timeout 10mins (+ one 1 ms hop)
    assert.equal(a.verdicts, 'agent-1@660001');
    const b = await probe(page, 'b');
    assert.equal(b.t, 0);
    assert.notEqual(b.verdicts, a.verdicts);
    assert.ok(Object.keys(b.agents).length > Object.keys(a.agents).length - 1, 'b lists its own agents');
    // Each has its own title and controls: minimal (play and time) against full (step, speed, policy).
    const controls = await page.evaluate(() => Object.fromEntries(['a', 'b'].map((id) => {
      const root = document.getElementById(id).shadowRoot;
      return [id, [...root.querySelectorAll('.transport button, .transport input, .head select')].filter((e) => !e.hidden && e.offsetParent !== null).map((e) => e.getAttribute('aria-label'))];
    })));
    assert.deepEqual(controls.a, ['Play', 'Simulated time']);
    assert.deepEqual(controls.b, ['Policy', 'Restart from 00:00', 'Play', 'Step to the next event', 'Jump to the next verdict', 'Speed', 'Simulated time']);
    // Full controls link to the full lab at this run's state (made when used: hover, focus, click).
    await page.hover('#b >> a.open');
    const link = await page.evaluate(() => document.getElementById('b').shadowRoot.querySelector('a.open').href);
    assert.equal(link, `${site.url}lab/index.html#preset=partition&speed=120&policy=mesos-1.2`);
    const titles = await page.evaluate(() => ['a', 'b'].map((id) => document.getElementById(id).shadowRoot.querySelector('.title').textContent));
    assert.deepEqual(titles, ['Agent hangs in recovery (MESOS-6286)', 'Symmetric partition, then heal']);
    // Each is a named region, focusable from the keyboard.
    const a11y = await page.evaluate(() => ['a', 'b'].map((id) => { const el = document.getElementById(id); return [el.tabIndex, el.getAttribute('aria-keyshortcuts')]; }));
    assert.deepEqual(a11y, [[0, 'Space ArrowRight ArrowLeft Home N'], [0, 'Space ArrowRight ArrowLeft Home N']]);
    // (ElementInternals gives the role and name: read the browser's own accessibility tree.)
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const regions = nodes.filter((n) => n.role?.value === 'region').map((n) => n.name?.value);
    assert.deepEqual(regions, ['Liveness Lab: Agent hangs in recovery (MESOS-6286)', 'Liveness Lab: Symmetric partition, then heal']);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('keyboard only: Tab reaches each element, and Space and the arrows move only the focused one', { timeout: 90_000 }, async () => {
    const { page, errors } = await openCourse();
    const focused = () => page.evaluate(() => document.activeElement?.id ?? '');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'a');
    // Space plays a (its time moves), b stays at 0; Space again pauses.
    await page.keyboard.press('Space');
    await waitFor(page, 'a', (p) => p.t > 600000, 'played');
    await page.keyboard.press('Space');
    const paused = (await probe(page, 'a')).t;
    await page.waitForTimeout(300);
    assert.equal((await probe(page, 'a')).t, paused, 'a is paused');
    assert.equal((await probe(page, 'b')).t, 0, 'b did not move');
    // Home takes a back to 00:00.
    await page.keyboard.press('Home');
    await waitFor(page, 'a', (p) => p.t === 0, 'went back to 0');
    // Tab on, past a's own controls and the page's button, to b.
    for (let k = 0; k < 14 && (await focused()) !== 'b'; k++) await page.keyboard.press('Tab');
    assert.equal(await focused(), 'b');
    await page.keyboard.press('ArrowRight');
    const stepped = await waitFor(page, 'b', (p) => p.t > 0, 'stepped to its next event');
    await page.keyboard.press('n');
    const first = Number(/@([\d.]+)/.exec(stepped.verdicts)[1]);
    await waitFor(page, 'b', (p) => p.t === first, `jumped to its first verdict (${first})`);
    await page.keyboard.press('ArrowLeft');
    await waitFor(page, 'b', (p) => p.t < first, 'went back');
    assert.equal((await probe(page, 'a')).t, 0, 'a did not move while b had the focus');
    // Keys on the page itself (focus on the body) move neither element.
    await page.evaluate(() => document.activeElement.blur());
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await page.waitForTimeout(300);
    assert.equal((await probe(page, 'a')).t, 0);
    assert.ok((await probe(page, 'b')).t < first);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('attribute changes update the element: t seeks, policy re-simulates, controls change', { timeout: 90_000 }, async () => {
    const { page, errors } = await openCourse();
    await page.evaluate(() => document.getElementById('a').setAttribute('t', '661000'));
    const later = await waitFor(page, 'a', (p) => p.t === 661000, 'moved to t=661000');
    assert.equal(later.agents['agent-1'], 'unreachable/recovering');
    await page.evaluate(() => document.getElementById('a').setAttribute('policy', 'mesos-1.1'));
    // mesos-1.1 never marks agent-1: no verdict, still disconnected, at the same time
    const p11 = await waitFor(page, 'a', (p) => p.agents['agent-1'] === 'disconnected/recovering', 'ran under mesos-1.1');
    assert.equal(p11.t, 661000);
    assert.equal(await page.evaluate(() => document.getElementById('a').shadowRoot.querySelector('.verdicts').textContent), 'No agent is marked unreachable or removed before 15:00.');
    await page.evaluate(() => document.getElementById('a').setAttribute('controls', 'none'));
    const none = await page.evaluate(() => [...document.getElementById('a').shadowRoot.querySelectorAll('.transport button, .transport input')].filter((e) => !e.hidden).length);
    assert.equal(none, 0);
    assert.equal((await probe(page, 'b')).t, 0, 'b is untouched');
    // Taken off the page and put back, an element carries on (its clock stops and starts again).
    await page.evaluate(() => { const b = document.getElementById('b'); const parent = b.parentNode; b.remove(); parent.append(b); b.setAttribute('t', '30000'); });
    await waitFor(page, 'b', (p) => p.t === 30000, 'came back and moved to t=30000');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('bad attributes show a readable error in the element, and fixing them shows the lab again', { timeout: 90_000 }, async () => {
    const { page, errors } = await openCourse();
    await page.evaluate(() => document.getElementById('a').setAttribute('t', 'soon'));
    let a = await waitFor(page, 'a', (p) => p.error !== '', 'showed an error');
    assert.equal(a.error, 'This lab cannot be shown:t=soon is not a time in milliseconds');
    // The box shrinks to the message, which is visible (not an empty frame).
    const sizes = await page.evaluate(() => {
      const el = document.getElementById('a');
      return { host: el.getBoundingClientRect().height, error: el.shadowRoot.querySelector('.error').getBoundingClientRect().height };
    });
    assert.ok(sizes.error > 30 && sizes.host < 200 && sizes.host > sizes.error, JSON.stringify(sizes));
    await page.evaluate(() => { const el = document.getElementById('a'); el.setAttribute('t', '0'); el.setAttribute('preset', 'no-such-lesson'); });
    a = await waitFor(page, 'a', (p) => /no-such-lesson/.test(p.error), 'named the preset');
    assert.match(a.error, /preset="no-such-lesson": there is no such preset \(one of .*stuck-recovery/);
    await page.evaluate(() => { const el = document.getElementById('a'); el.removeAttribute('preset'); el.setAttribute('scenario', '{"duration": "5mins", "agents": [{"name": "x", "count": 0}]}'); });
    a = await waitFor(page, 'a', (p) => /^This lab cannot be shown:scenario: /.test(p.error), 'named the scenario problem');
    assert.match(a.error, /agents\[0\]\.count/);
    await page.evaluate(() => { const el = document.getElementById('a'); el.setAttribute('scenario', '{"name": "two", "duration": "5mins", "agents": [{"name": "x", "count": 2}]}'); });
    a = await waitFor(page, 'a', (p) => !p.error && p.agents['x-0'] !== undefined, 'showed the JSON scenario');
    assert.deepEqual(Object.keys(a.agents), ['x-0', 'x-1']);
    const box = await page.evaluate(() => { const r = document.getElementById('a').getBoundingClientRect(); return r.height; });
    assert.ok(box > 200, 'never a collapsed box');
    assert.deepEqual(errors, [], 'errors are shown in the element, not thrown');
    await page.close();
  });

  test('page styles stay out of the element, its styles stay in, and it sizes to its box', { timeout: 90_000 }, async () => {
    const { page, errors } = await openCourse();
    const got = await page.evaluate(() => {
      const a = document.getElementById('a');
      const root = a.shadowRoot;
      const play = root.querySelector('.transport button:not([hidden])');
      const canvas = root.querySelector('canvas');
      const b = document.getElementById('b');
      const pageBtn = getComputedStyle(document.getElementById('page-btn'));
      return {
        playDisplay: getComputedStyle(play).display,
        hostFont: getComputedStyle(root.querySelector('.ll')).fontSize,
        hostColour: getComputedStyle(root.querySelector('.ll')).color,
        canvasWide: canvas.clientWidth > 0.9 * a.clientWidth && canvas.clientHeight > 100,
        bHeight: Math.round(b.getBoundingClientRect().height),
        note: getComputedStyle(document.querySelector('.note')).color,
        pageBtnRadius: pageBtn.borderTopLeftRadius,
        pageVars: getComputedStyle(document.documentElement).getPropertyValue('--c-connected'),
      };
    });
    assert.deepEqual(got, {
      playDisplay: 'block', hostFont: '14px', hostColour: 'rgb(28, 36, 51)', canvasWide: true,
      bHeight: 300, note: 'rgb(1, 2, 3)', pageBtnRadius: '0px', pageVars: '',
    });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('embed.html#… takes the lab link state, full controls by default, and follows the hash', { timeout: 90_000 }, async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 800, height: 500 });
    const errors = collectPageErrors(page);
    await page.goto(`${site.url}lab/embed.html#preset=stuck-recovery&policy=mesos-1.2&t=661000`);
    const got = await waitFor(page, 'lab', (p) => p.t === 661000 && shown(p), 'opened the link').catch(async () => {
      throw new Error(`embed.html did not open: ${JSON.stringify(await probe(page, 'lab'))}`);
    });
    assert.equal(got.agents['agent-1'], 'unreachable/recovering');
    const step = await page.evaluate(() => !document.querySelector('liveness-lab').shadowRoot.querySelector('button[aria-label="Step to the next event"]').hidden);
    assert.equal(step, true, 'full controls');
    const fills = await page.evaluate(() => Math.round(document.querySelector('liveness-lab').getBoundingClientRect().height));
    assert.equal(fills, 500, 'the element fills the frame');
    await page.evaluate(() => { location.hash = '#preset=stuck-recovery&policy=mesos-1.1&t=900000&controls=none'; });
    const p11 = await waitFor(page, 'lab', (p) => p.t === 900000, 'followed the new hash');
    assert.equal(p11.agents['agent-1'], 'disconnected/recovering');
    await page.evaluate(() => { location.hash = '#preset=nope'; });
    await waitFor(page, 'lab', (p) => /preset="nope"/.test(p.error), 'showed the error of a bad link');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the README\'s iframe snippet shows the lesson in a frame', { timeout: 90_000 }, async () => {
    const page = await browser.context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${site.url}iframe.html`);
    const frame = page.frames().find((f) => f.url().includes('embed.html'));
    const got = await waitFor(frame, 'lab', (p) => p.t === 600000 && shown(p), 'opened in the frame');
    assert.equal(got.agents['agent-1'], 'disconnected/recovering');
    assert.equal(got.verdicts, 'agent-1@660001');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
