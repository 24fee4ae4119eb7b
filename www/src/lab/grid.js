// The grid a big cluster's agents sit on (more than RING_MAX of them): the largest square cell
// that holds them all around a hole for the master, and which cell holds which agent: the
// agent under the pointer is found from the cell table (not by a scan of 100,000 agents), and
// an agent's cell by its index. Cells are a whole number of device pixels and start on one, so
// a cell can be drawn (and redrawn) on its own, pixel for pixel (cells.js).

/** Agents on a grid of square cells around the master (see the top of this file). */
export class GridLayout {
  /**
   * The largest cell size that fits n agents in a w × h canvas (CSS px) with `pad` around and a
   * hole for the master at (mx, my); the hole's radius grows with the cell (`masterRadius`).
   * `dpr`: device pixels per CSS px.
   */
  constructor(n, w, h, mx, my, dpr = 1, pad = 10) {
    const W = w - 2 * pad, H = h - 2 * pad;
    this.n = n;
    this.mx = mx; this.my = my;
    this.dpr = dpr;
    // Largest s such that the grid minus the centre hole holds n (bisection on a count).
    let lo = 1 / dpr, hi = Math.max(3, Math.min(W, H));
    let best = null;
    for (let it = 0; it < 30; it++) {
      const s = (lo + hi) / 2;
      const g = this._fit(s, W, H, pad);
      if (g && g.holds >= n) { best = s; lo = s; } else hi = s;
    }
    /** The cell's side in device pixels. */
    this.sd = Math.max(1, Math.floor((best ?? lo) * dpr));
    this._place(this.sd / dpr, W, H, pad);
  }

  /** The master's radius next to cells of size s. */
  static masterRadius(s) { return Math.max(16, Math.min(36, s * 1.6)); }

  /** The grid of cell size s: columns, rows, first cell centre, hole and how many it holds. */
  _fit(s, W, H, pad) {
    const cols = Math.floor(W / s), rows = Math.floor(H / s);
    if (cols < 1 || rows < 1) return null;
    // the first cell's corner on a device pixel
    const ox = Math.round((pad + (W - cols * s) / 2) * this.dpr) / this.dpr + s / 2;
    const oy = Math.round((pad + (H - rows * s) / 2) * this.dpr) / this.dpr + s / 2;
    const hole = GridLayout.masterRadius(s) + s * 0.6;
    let hc = 0, hr = 0;
    for (let c = 0; c < cols; c++) if (Math.abs(ox + c * s - this.mx) < hole) hc++;
    for (let r = 0; r < rows; r++) if (Math.abs(oy + r * s - this.my) < hole) hr++;
    return { cols, rows, ox, oy, hole, holds: cols * rows - hc * hr };
  }

  /** Places the agents row by row on cells of size s, skipping the hole (and any that do not fit). */
  _place(s, W, H, pad) {
    const g = this._fit(s, W, H, pad) ?? { cols: 1, rows: 1, ox: pad + s / 2, oy: pad + s / 2, hole: 0 };
    Object.assign(this, { s, cols: g.cols, rows: g.rows, ox: g.ox, oy: g.oy, mr: GridLayout.masterRadius(s) });
    /** The agent index in each cell (row-major), -1 for the hole and empty cells. */
    this.cells = new Int32Array(g.cols * g.rows).fill(-1);
    /** Each agent's cell, -1 for an agent that did not fit. */
    this.cellOf = new Int32Array(this.n).fill(-1);
    this.xs = new Float32Array(this.n); this.ys = new Float32Array(this.n);
    let k = 0;
    for (let r = 0; r < g.rows && k < this.n; r++) {
      for (let c = 0; c < g.cols && k < this.n; c++) {
        const x = g.ox + c * s, y = g.oy + r * s;
        if (Math.abs(x - this.mx) < g.hole && Math.abs(y - this.my) < g.hole) continue;
        this.xs[k] = x; this.ys[k] = y;
        this.cells[r * g.cols + c] = k; this.cellOf[k] = r * g.cols + c;
        k++;
      }
    }
  }

  /** Agent i's cell: its top left corner in device pixels ([x, y]), or null if it has none. */
  corner(i) {
    const cell = this.cellOf[i];
    if (cell < 0) return null;
    const r = Math.floor(cell / this.cols), c = cell - r * this.cols;
    return [Math.round((this.ox - this.s / 2) * this.dpr) + c * this.sd, Math.round((this.oy - this.s / 2) * this.dpr) + r * this.sd];
  }

  /**
   * The agent nearest to (x, y) within `radius` (CSS px), or -1 — as a scan of every agent
   * would find it (ties to the higher index), but looking only at the cells within reach.
   */
  nearest(x, y, radius) {
    const { s, cols, rows, ox, oy } = this;
    const c0 = Math.round((x - ox) / s), r0 = Math.round((y - oy) / s);
    const k = Math.ceil(radius / s) + 1;
    let best = -1, bd = radius * radius;
    for (let r = Math.max(0, r0 - k); r <= Math.min(rows - 1, r0 + k); r++) {
      for (let c = Math.max(0, c0 - k); c <= Math.min(cols - 1, c0 + k); c++) {
        const i = this.cells[r * cols + c];
        if (i < 0) continue;
        const dx = x - this.xs[i], dy = y - this.ys[i];
        const d = dx * dx + dy * dy;
        if (d < bd || (d === bd && i > best)) { bd = d; best = i; }
      }
    }
    return best;
  }
}
