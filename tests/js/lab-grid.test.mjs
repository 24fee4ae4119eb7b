// The Lab's grid of a big cluster (www/src/lab/grid.js): every agent gets its own cell of whole
// device pixels outside the master's hole, and the agent under the pointer found from the cell
// table is the one a scan of every agent finds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GridLayout } from '../../www/src/lab/grid.js';

/** What ClusterView.hit found before the cell table: the nearest agent within radius, ties to the higher index. */
function scan(g, x, y, radius) {
  let best = -1, bd = radius * radius;
  for (let i = 0; i < g.n; i++) {
    const dx = x - g.xs[i], dy = y - g.ys[i];
    const d = dx * dx + dy * dy;
    if (d <= bd) { bd = d; best = i; }
  }
  return best;
}

for (const [n, w, h, dpr] of [[61, 589, 478, 1], [10_000, 589, 478, 1], [100_000, 589, 478, 1], [5_000, 400, 300, 2], [2_000, 333, 251, 1.5]]) {
  test(`${n.toLocaleString('en')} agents on a ${w}×${h} canvas at dpr ${dpr}: one cell each, whole device pixels, outside the hole`, () => {
    const g = new GridLayout(n, w, h, w / 2, h / 2, dpr);
    assert.ok(Number.isInteger(g.sd) && g.sd >= 1);
    const seen = new Set();
    for (let i = 0; i < n; i++) {
      const cell = g.cellOf[i];
      assert.ok(cell >= 0, `agent ${i} has a cell`);
      assert.equal(g.cells[cell], i);
      assert.ok(!seen.has(cell));
      seen.add(cell);
      const [x, y] = g.corner(i);
      assert.ok(Number.isInteger(x) && Number.isInteger(y));
      // the centre is the middle of the cell's device pixels
      assert.ok(Math.abs(g.xs[i] * dpr - (x + g.sd / 2)) < 1e-3 && Math.abs(g.ys[i] * dpr - (y + g.sd / 2)) < 1e-3);
      assert.ok(x >= 0 && y >= 0 && x + g.sd <= Math.ceil(w * dpr) && y + g.sd <= Math.ceil(h * dpr));
      const hole = g.mr + g.s * 0.6;
      assert.ok(!(Math.abs(g.xs[i] - g.mx) < hole && Math.abs(g.ys[i] - g.my) < hole), 'outside the master\'s hole');
    }
  });

  test(`${n.toLocaleString('en')} agents at dpr ${dpr}: the agent under the pointer is the scan's`, () => {
    const g = new GridLayout(n, w, h, w / 2, h / 2, dpr);
    const r = Math.max(1.5, g.s * 0.36);
    const radius = Math.max(r + 5, g.s * 0.55);
    let x = 0.37, y = 0.11;
    for (let k = 0; k < 400; k++) {
      x = (x * 9301 + 49297) % 233280 / 233280; y = (y * 7411 + 13) % 10007 / 10007;
      const px = x * w, py = y * h;
      assert.equal(g.nearest(px, py, radius), scan(g, px, py, radius), `at ${px}, ${py}`);
    }
    // exactly on a cell centre, and on the edge between two cells
    const i = Math.floor(n / 3);
    assert.equal(g.nearest(g.xs[i], g.ys[i], radius), i);
    assert.equal(g.nearest(g.xs[i] + g.s / 2, g.ys[i], radius), scan(g, g.xs[i] + g.s / 2, g.ys[i], radius));
  });
}
