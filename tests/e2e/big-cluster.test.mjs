// End-to-end tests of the Lab's cluster view at scale (www/dist, headless Chromium): 100,000
// agents load and draw on a grid whose cells show each agent's view and can be clicked; the grid
// redrawn cell by cell equals a whole redraw; and the level of detail drops only what is not
// legible (a small cluster still animates its messages). Behaviour only: timings are benchmarks
// (scripts/bench-lab.mjs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumSkipReason, labSession, openLabPage, waitSimTime } from './helpers.mjs';

const skip = chromiumSkipReason();
const b64url = (obj) => Buffer.from(JSON.stringify(obj), 'utf8').toString('base64url');

/** A cluster of n agents "node-0"… with node-5…node-9 cut off at 1 s (unreachable after ~75 s). */
function cluster(n, duration = '10mins') {
  const cut = Array.from({ length: 5 }, (_, i) => `node-${5 + i}`);
  return {
    name: `${n} agents`, seed: 1, duration,
    frameworks: [{ name: 'web' }],
    agents: [{ name: 'node', count: n, tasks: { web: 1 } }],
    faults: [{ at: '1secs', kind: 'partition', agents: cut, direction: 'both' }],
  };
}

/** The colours (r, g, b) found in agent `name`'s grid cell on the visible canvas, and the
 *  unreachable and connected colours of the theme. */
async function cellColours(page, name) {
  return page.evaluate((n) => {
    const { canvas, view, run } = window.__lab.panes[0];
    const rgb = (css) => {
      const c = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
      c.fillStyle = css; c.fillRect(0, 0, 1, 1);
      return [...c.getImageData(0, 0, 1, 1).data.slice(0, 3)].join(',');
    };
    const cs = getComputedStyle(document.documentElement);
    const [x, y] = view.grid.corner(run.index.get(n));
    const d = canvas.getContext('2d').getImageData(x, y, view.grid.sd, view.grid.sd).data;
    const seen = new Set();
    for (let k = 0; k < d.length; k += 4) if (d[k + 3] === 255) seen.add(`${d[k]},${d[k + 1]},${d[k + 2]}`);
    return { seen: [...seen], unreachable: rgb(cs.getPropertyValue('--c-unreachable').trim()), connected: rgb(cs.getPropertyValue('--c-connected').trim()) };
  }, name);
}

describe('the Lab at scale', { skip }, () => {
  let s;
  before(async () => { s = await labSession(); });
  after(async () => { await s?.close(); });

  test('100,000 agents load on a grid: an unreachable agent\'s cell is drawn in the unreachable colour and a click on it selects it', { timeout: 300_000 }, async () => {
    const { page, errors } = await openLabPage(s.browser, `${s.site.url}#scenario=${b64url(cluster(100_000))}&t=120000`);
    await waitSimTime(page, 120000, 240_000);
    const facts = await page.evaluate(() => {
      const { view, run, canvas } = window.__lab.panes[0];
      return { mode: view.mode, n: run.n, placed: [...view.grid.cellOf].filter((c) => c >= 0).length, rows: document.querySelectorAll('#agent-list [data-agent]').length, setsize: document.querySelector('#agent-list [aria-setsize]')?.getAttribute('aria-setsize'), view5: run.lib.MASTER_VIEWS[run.snap.views[5]], box: canvas.getBoundingClientRect().toJSON() };
    });
    assert.equal(facts.mode, 'grid');
    assert.equal(facts.n, 100_000);
    assert.equal(facts.placed, 100_000, 'every agent has a cell');
    assert.equal(facts.view5, 'unreachable');
    assert.ok(facts.rows > 0 && facts.rows < 300, `the list draws only the rows in view (${facts.rows})`);
    assert.equal(facts.setsize, '100000', 'each row says its place among all 100,000');
    const cut = await cellColours(page, 'node-5');
    assert.ok(cut.seen.includes(cut.unreachable), `node-5's cell shows the unreachable colour (${cut.seen.join(' ')})`);
    const healthy = await cellColours(page, 'node-99999');
    assert.ok(!healthy.seen.includes(healthy.unreachable), 'a healthy agent\'s cell has no unreachable colour');
    assert.ok(healthy.seen.includes(healthy.connected), `a healthy agent's cell shows the connected colour (${healthy.seen.join(' ')})`);
    // a click on node-5's cell selects it and opens its fault menu
    const at = await page.evaluate(() => {
      const { view, run, canvas } = window.__lab.panes[0];
      const i = run.index.get('node-5');
      const r = canvas.getBoundingClientRect();
      return { x: r.left + view.xs[i], y: r.top + view.ys[i] };
    });
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('#menu:not([hidden])');
    assert.deepEqual(await page.evaluate(() => [...window.__lab.state.selected].map((i) => window.__lab.state.primary.names[i])), ['node-5']);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the grid redrawn cell by cell while playing equals a whole redraw', { timeout: 180_000 }, async () => {
    const { page, errors } = await openLabPage(s.browser, `${s.site.url}#scenario=${b64url(cluster(5000))}&t=60000&speed=30`);
    await waitSimTime(page, 60000, 120_000);
    // play through the cut agents becoming unreachable (their cells change one by one)
    await page.evaluate(() => window.__lab.setPlaying(true));
    await page.waitForFunction(() => window.__lab.state.t > 100000, null, { timeout: 120_000 });
    await page.evaluate(() => window.__lab.setPlaying(false));
    const same = await page.evaluate(() => {
      const { view, run } = window.__lab.panes[0];
      const pixels = () => view.sctx.getImageData(0, 0, view.scanvas.width, view.scanvas.height).data;
      const partial = pixels();
      const draws = view.staticDraws;
      view.skey = null; // the next frame redraws every cell
      view.draw(run, { selected: window.__lab.state.selected, hover: -1, particles: null, wallNow: performance.now() });
      const whole = pixels();
      let diff = 0;
      for (let k = 0; k < whole.length; k++) if (whole[k] !== partial[k]) diff++;
      return { diff, draws, unreachable: run.lib.MASTER_VIEWS[run.snap.views[5]] };
    });
    assert.equal(same.unreachable, 'unreachable', 'the played stretch changed cells');
    assert.ok(same.draws > 1, 'the layer was redrawn while playing');
    assert.equal(same.diff, 0, 'cell-by-cell equals whole');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('level of detail: a small cluster animates its messages; a dense grid still draws messages but no per-agent ticks', { timeout: 180_000 }, async () => {
    const seen = async (page) => page.evaluate(() => new Promise((done) => {
      const p = window.__lab.panes[0].particles;
      let drawn = 0, ticks = 0, k = 0;
      const look = () => {
        drawn = Math.max(drawn, p.drawn); ticks = Math.max(ticks, p.ticks);
        if (++k < 60) requestAnimationFrame(look); else done({ drawn, ticks, cell: window.__lab.panes[0].view.cell ?? null, mode: window.__lab.panes[0].view.mode });
      };
      requestAnimationFrame(look);
    }));
    const small = await openLabPage(s.browser, `${s.site.url}#scenario=${b64url(cluster(12))}&speed=5`);
    await small.page.click('#play-btn');
    const a = await seen(small.page);
    assert.equal(a.mode, 'ring');
    assert.ok(a.drawn > 0, 'the ring draws messages in flight');
    await small.page.close();
    const big = await openLabPage(s.browser, `${s.site.url}#scenario=${b64url(cluster(20000))}&speed=100`);
    await big.page.click('#play-btn');
    const b = await seen(big.page);
    await big.page.evaluate(() => window.__lab.setPlaying(false));
    assert.equal(b.mode, 'grid');
    assert.ok(b.cell < 8, `cells of ${b.cell} px`);
    assert.ok(b.drawn > 0, 'messages in flight are still drawn');
    assert.equal(b.ticks, 0, 'no per-agent activity ticks on cells too small to show them');
    assert.deepEqual([...small.errors, ...big.errors], []);
    await big.page.close();
  });
});
