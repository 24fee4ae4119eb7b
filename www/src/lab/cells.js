// The static layer of a big cluster's grid, as pixels: every agent's cell (its fill, view ring,
// ✕, ✝ dot, hourglass, cut badge — the cluster view's own drawing, clipped to the cell) is
// copied pixel for pixel from a sprite drawn once per look, into one ImageData put on the
// view's offscreen canvas. Cells are whole device pixels and never overlap (grid.js), so when a
// few agents change only their cells are copied again: at 100,000 agents a frame costs a diff
// of the arrays (changedAgents) and a few copies, not 100,000 circles.
import { VIEW_DASH } from './cluster.js';

/** Cells smaller than this (device px) cannot show a ring around a fill: they are a square of
 *  the master's view colour instead, solid for the views drawn as solid rings (connected,
 *  unreachable, removed), a checkerboard for the dashed and dotted ones (level of detail). */
export const TINY_CELL = 4;

/** Agents whose view, process state, link, permit wait or dead executors differ from the cache. */
export function changedAgents(c, snap, dead) {
  const { views, states, links, permits } = snap;
  const out = [];
  const n = views.length;
  if (c.views.length !== n || c.dead.length !== dead.length) return Int32Array.from({ length: n }, (_, i) => i);
  // The byte arrays are compared four agents at a time (100,000 agents, every frame).
  const words = (a) => (a.byteOffset % 4 === 0 ? new Uint32Array(a.buffer, a.byteOffset, n >> 2) : null);
  const w = [views, states, links, permits, c.views, c.states, c.links, c.permits].map(words);
  const one = (i) => views[i] !== c.views[i] || states[i] !== c.states[i] || links[i] !== c.links[i] || permits[i] !== c.permits[i] || dead[i] !== c.dead[i];
  let from = 0;
  if (!w.includes(null)) {
    const [v, s, l, p, cv, cs, cl, cp] = w;
    for (let k = 0; k < v.length; k++) {
      const i = 4 * k;
      if (v[k] !== cv[k] || s[k] !== cs[k] || l[k] !== cl[k] || p[k] !== cp[k] || dead[i] !== c.dead[i] || dead[i + 1] !== c.dead[i + 1] || dead[i + 2] !== c.dead[i + 2] || dead[i + 3] !== c.dead[i + 3]) {
        for (let j = i; j < i + 4; j++) if (one(j)) out.push(j);
      }
    }
    from = v.length * 4;
  }
  for (let i = from; i < n; i++) if (one(i)) out.push(i);
  return out;
}

/** The grid's cells of one ClusterView (see the top of this file). */
export class CellLayer {
  constructor(view) {
    this.view = view;
    this.img = null;
    this.sprites = new Map();
  }

  /**
   * The grid's static layer: each agent's cell (its fill, view ring, ✕, ✝ dot, hourglass, cut
   * badge — clipped to the cell) copied pixel for pixel from a sprite drawn once per look, all of
   * them or only the `changed` ones, into an ImageData put on the offscreen canvas.
   */
  draw(run, sel, pal, changed) {
    const v = this.view;
    const g = v.grid;
    const W = v.scanvas.width, H = v.scanvas.height;
    if (!changed || !this.img || this.img.width !== W || this.img.height !== H || this.sd !== g.sd) {
      this.img = v.sctx.createImageData(W, H);
      this.px = new Uint32Array(this.img.data.buffer);
      this.sprites = new Map();
      this.sd = g.sd;
      changed = null;
    }
    const { views, states, links, permits } = run.snap;
    const dead = run.dead;
    const S = run.lib.AGENT_STATES.length;
    const buf = this.px, sd = g.sd;
    let x0 = W, y0 = H, x1 = 0, y1 = 0;
    const stamp = (i) => {
      const at = g.corner(i);
      if (!at) return;
      const cut = (links[i] & 3) && !sel.has(i) ? 1 : 0;
      const key = (((views[i] * S + states[i]) * 2 + cut) * 2 + (dead[i] ? 1 : 0)) * 2 + (permits[i] ? 1 : 0);
      const sp = this.sprites.get(key) ?? this._sprite(key, run, pal, [views[i], states[i], cut, dead[i] ? 1 : 0, permits[i] ? 1 : 0]);
      const [x, y] = at;
      for (let r = 0; r < sd && y + r < H; r++) {
        const row = (y + r) * W + x;
        for (let c = 0; c < sd && x + c < W; c++) buf[row + c] = sp[r * sd + c];
      }
      if (x < x0) x0 = x; if (y < y0) y0 = y;
      if (x + sd > x1) x1 = x + sd; if (y + sd > y1) y1 = y + sd;
    };
    if (changed) for (const i of changed) stamp(i);
    else { buf.fill(0); for (let i = 0; i < run.n; i++) stamp(i); x0 = 0; y0 = 0; x1 = W; y1 = H; }
    if (x1 > x0 && y1 > y0) v.sctx.putImageData(this.img, 0, 0, x0, y0, Math.min(W, x1) - x0, Math.min(H, y1) - y0);
  }

  /** The pixels (sd × sd) of one agent's cell with look [view, state, cut, dead, permit]. */
  _sprite(key, run, pal, [view, state, cut, dead, permit]) {
    const v = this.view;
    const sd = v.grid.sd;
    const c = document.createElement('canvas');
    c.width = sd; c.height = sd;
    const g = c.getContext('2d', { willReadFrequently: true });
    if (sd < TINY_CELL) return this._keep(key, g, this._tiny(g, sd, run, pal, view));
    g.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);
    // the layers of a whole redraw, for one agent in the middle of the sprite
    const one = { n: 1, lib: run.lib, names: [''], dead: [dead], snap: { views: [view], states: [state], links: [cut], permits: [permit] } };
    const { xs, ys } = v;
    v.xs = [sd / v.dpr / 2]; v.ys = [sd / v.dpr / 2];
    const ids = [0];
    try {
      v._drawLinks(g, one, new Set(), pal, ids);
      v._drawProcessFills(g, one, pal, ids);
      v._drawViewRings(g, one, pal, ids);
      v._drawDead(g, one, pal, ids);
      v._drawPermitWaits(g, one, pal, ids);
    } finally {
      v.xs = xs; v.ys = ys;
    }
    return this._keep(key, g, sd);
  }

  /** A tiny cell (see TINY_CELL) of the master's view `view`, drawn on g; returns its side. */
  _tiny(g, sd, run, pal, view) {
    const name = run.lib.MASTER_VIEWS[view];
    const dashed = name in VIEW_DASH;
    g.fillStyle = pal.views[name] ?? pal.muted;
    for (let y = 0; y < sd; y++) for (let x = 0; x < sd; x++) if (!dashed || (x + y) % 2 === 0) g.fillRect(x, y, 1, 1);
    return sd;
  }

  /** Keeps the pixels of g's sd × sd sprite under `key`, and returns them. */
  _keep(key, g, sd) {
    const px = new Uint32Array(g.getImageData(0, 0, sd, sd).data.buffer);
    this.sprites.set(key, px);
    return px;
  }
}
