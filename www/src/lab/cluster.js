// The cluster canvas: the master in the centre, agents on a ring (small clusters) or a grid
// around it (large ones). Drawing is batched by colour and reads the typed arrays of a Run
// snapshot directly: a static layer is cached offscreen and redrawn only when it changes — on a
// ring its links, fills, rings, markers, labels and master; on a grid its cells, pixel sprites
// of which only the changed ones are copied again (cells.js), so 100,000 agents stay cheap, with
// the few selected agents' links, rings and names and the master drawn around them each frame.
// The dynamic layer (messages, countdowns, pips, pulses, hover) is drawn each frame. Every view
// has a shape as well as a colour (solid, dashed, crossed, dotted rings), and an agent whose
// executors really died carries a ✝ with their number.
import { palette } from '../palette.js';
import { GridLayout } from './grid.js';
import { CellLayer, changedAgents } from './cells.js';

const TAU = Math.PI * 2;
/** The dash of each master view's ring (colour-blind-safe: the shape says it too). */
export const VIEW_DASH = { disconnected: [5, 3], recovered: [1.5, 2.5], unknown: [1, 3] };
/** Up to this many agents sit on a ring; more fill a grid. */
export const RING_MAX = 60;

// Agent process state indices resolved by name at runtime.
function idx(list, name) { const i = list.indexOf(name); return i < 0 ? 255 : i; }

/** The recovering fill: violet hatching on a pale ground, for a context at a device pixel ratio. */
export function hatchPattern(ctx, dpr, pal) {
  const c = document.createElement('canvas');
  const s = Math.round(6 * dpr);
  c.width = s; c.height = s;
  const g = c.getContext('2d');
  g.fillStyle = pal.recoveringBg; g.fillRect(0, 0, s, s);
  g.strokeStyle = pal.recovering; g.lineWidth = Math.max(1.5, 1.6 * dpr);
  g.beginPath();
  g.moveTo(-1, s + 1); g.lineTo(s + 1, -1);
  g.moveTo(-1, 1); g.lineTo(1, -1);
  g.moveTo(s - 1, s + 1); g.lineTo(s + 1, s - 1);
  g.stroke();
  return ctx.createPattern(c, 'repeat');
}

/** One canvas showing one run: layout, hit testing and drawing. */
export class ClusterView {
  constructor(canvas, { compact = false } = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.compact = compact;
    this.w = 0; this.h = 0; this.dpr = 1;
    this.n = -1;
    this.xs = new Float32Array(0); this.ys = new Float32Array(0);
    this.ang = new Float32Array(0);
    this.mode = 'ring';
    this.r = 10; this.mx = 0; this.my = 0; this.mr = 30;
    this.hatch = null; this.hatchFor = '';
  }

  /** Matches the backing store to the CSS size × devicePixelRatio. Returns true if changed. */
  resize() {
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    const w = Math.max(10, Math.round(this.canvas.clientWidth));
    const h = Math.max(10, Math.round(this.canvas.clientHeight));
    if (w === this.w && h === this.h && dpr === this.dpr) return false;
    this.w = w; this.h = h; this.dpr = dpr;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.n = -1; // force layout
    return true;
  }

  /** Places n agents: on a ring (labels outside) up to RING_MAX, else on a grid around the master. */
  layout(n, names = []) {
    if (n === this.n) return;
    this.n = n;
    let maxLen = 0;
    for (let i = 0; i < Math.min(n, RING_MAX + 1); i++) maxLen = Math.max(maxLen, String(names[i] ?? '').length);
    const labelW = Math.min(this.compact ? 70 : 110, maxLen * (this.compact ? 6 : 7));
    const { w, h } = this;
    this.xs = new Float32Array(n); this.ys = new Float32Array(n); this.ang = new Float32Array(n);
    this.mx = w / 2; this.my = h / 2;
    this.grid = null;
    if (n <= RING_MAX) {
      this.mode = 'ring';
      // Leave room for the labels outside the ring. Full size: labels beside the
      // nodes (radially); compact panes: labels above/below, on an ellipse.
      let rEst = this.compact ? 13 : 20;
      let Rx = 40, Ry = 40;
      for (let k = 0; k < 2; k++) {
        if (this.compact) {
          Rx = w / 2 - Math.max(rEst, labelW / 2) - 6;
          Ry = h / 2 - rEst - 30;
        } else {
          Rx = w / 2 - rEst - 14 - labelW;
          Ry = h / 2 - rEst - 30;
        }
        Rx = Math.max(30, Rx); Ry = Math.max(30, Ry);
        if (!this.compact) { Rx = Ry = Math.min(Rx, Ry); }
        else { Rx = Math.min(Rx, Ry * 1.25); Ry = Math.min(Ry, Rx * 1.6); }
        const R = Math.min(Rx, Ry);
        rEst = Math.max(7, Math.min(this.compact ? 15 : 25, (TAU * R / Math.max(n, 1)) * 0.3));
      }
      const R = Math.min(Rx, Ry);
      this.R = R;
      this.r = rEst;
      this.mr = Math.max(16, Math.min(this.compact ? 26 : 42, R * 0.2));
      for (let i = 0; i < n; i++) {
        const a = -Math.PI / 2 + (TAU * i) / Math.max(n, 1);
        this.xs[i] = this.mx + Math.cos(a) * Rx;
        this.ys[i] = this.my + Math.sin(a) * Ry;
        this.ang[i] = Math.atan2(this.ys[i] - this.my, this.xs[i] - this.mx);
      }
    } else {
      this.mode = 'grid';
      const g = new GridLayout(n, w, h, this.mx, this.my, this.dpr);
      this.grid = g;
      this.xs = g.xs; this.ys = g.ys;
      this.r = Math.max(1.5, g.s * 0.36);
      this.mr = g.mr;
      for (let i = 0; i < n; i++) this.ang[i] = Math.atan2(this.ys[i] - this.my, this.xs[i] - this.mx);
      this.cell = g.s;
    }
  }

  /** Agent index under (x, y) CSS px, -2 for the master, -1 for nothing. */
  hit(x, y) {
    const dxm = x - this.mx, dym = y - this.my;
    if (dxm * dxm + dym * dym <= (this.mr + 4) ** 2) return -2;
    const rr = Math.max(this.r + 5, this.mode === 'grid' ? this.cell * 0.55 : 0);
    if (this.mode === 'grid') return this.grid.nearest(x, y, rr);
    let best = -1, bd = rr * rr;
    for (let i = 0; i < this.n; i++) {
      const dx = x - this.xs[i], dy = y - this.ys[i];
      const d = dx * dx + dy * dy;
      if (d <= bd) { bd = d; best = i; }
    }
    return best;
  }

  /** The recovering fill's hatch pattern, cached per colours. */
  _hatch(pal) {
    const key = pal.recovering + pal.recoveringBg;
    if (this.hatch && this.hatchFor === key) return this.hatch;
    this.hatch = hatchPattern(this.ctx, this.dpr, pal);
    this.hatchFor = key;
    return this.hatch;
  }

  /**
   * The straight lane of agent i's link: dir +1 the master→agent lane, -1 the agent→master one
   * (side by side, so a one-way cut shows its direction). Returns [x0, y0, x1, y1], master end first.
   */
  lane(i, dir) {
    const { xs, ys, r, mx, my, mr } = this;
    const laneOff = this.mode === 'ring' ? Math.max(1.6, r * 0.14) : 1.2;
    const a = this.ang[i];
    const nx = -Math.sin(a) * laneOff * dir, ny = Math.cos(a) * laneOff * dir;
    const sx = mx + Math.cos(a) * mr, sy = my + Math.sin(a) * mr;
    const ex = xs[i] - Math.cos(a) * (r + 2), ey = ys[i] - Math.sin(a) * (r + 2);
    return [sx + nx, sy + ny, ex + nx, ey + ny];
  }

  /**
   * Draws one run. ui = { selected: Set, hover, particles: Particles, wallNow, masterSelected,
   * showLabels, deferStatic (a changed static layer may wait for a later frame: see `behind`) }.
   * A cached static layer (redrawn only where something it shows changes) under a dynamic
   * layer drawn each frame (messages, countdown arcs, pips, pulses, hover).
   */
  draw(run, ui) {
    this.resize();
    const pal = palette();
    this.layout(run.n, run.names);
    const snap = run.snap;
    if (!this.scanvas) { this.scanvas = document.createElement('canvas'); this.sctx = this.scanvas.getContext('2d'); }
    if (this.scanvas.width !== this.canvas.width || this.scanvas.height !== this.canvas.height) {
      this.scanvas.width = this.canvas.width; this.scanvas.height = this.canvas.height; this.skey = null;
    }
    const sel = ui.selected ?? new Set();
    const selKey = sel.size > 50 ? `${sel.size}:${[...sel].slice(0, 50).join(',')}` : [...sel].join(',');
    const key = `${run.n}|${this.w}|${this.h}|${this.dpr}|${selKey}|${ui.masterSelected}|${snap.masterUp}|${ui.showLabels}`;
    const c = this.scache;
    const whole = this.skey !== key || this.spal !== pal || this.srun !== run || !c;
    // The agents whose static drawing changed since the layer was drawn (a diff of the arrays).
    const changed = whole ? null : changedAgents(c, snap, run.dead);
    const stale = whole || changed.length > 0;
    /** True when the static layer is behind (its redraw was put off to a later frame). */
    this.behind = stale && ui.deferStatic === true && !!c && this.srun === run;
    if (stale && !this.behind) {
      if (this.mode === 'grid') (this.cells ??= new CellLayer(this)).draw(run, sel, pal, changed);
      else this._drawStatic(run, ui, pal, this._all(run.n));
      if (changed && this.mode === 'grid') {
        for (const i of changed) {
          c.views[i] = snap.views[i]; c.states[i] = snap.states[i]; c.links[i] = snap.links[i];
          c.permits[i] = snap.permits[i]; c.dead[i] = run.dead[i];
        }
      } else {
        this.skey = key; this.spal = pal; this.srun = run;
        this.scache = { views: snap.views.slice(), states: snap.states.slice(), links: snap.links.slice(), permits: snap.permits.slice(), dead: run.dead.slice() };
      }
      this.staticDraws = (this.staticDraws ?? 0) + 1;
    }
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.mode === 'grid') {
      // the selected agents' links run under the cells, their rings, names and the master over them
      ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
      this._drawLinks(ctx, run, sel, pal, this._selected(sel, run.n));
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(this.scanvas, 0, 0);
      ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
      this._drawSelected(ctx, run, ui, pal);
    } else ctx.drawImage(this.scanvas, 0, 0);
    this._drawDynamic(run, ui, pal);
  }

  /** 0, 1, …, n-1 (every agent), cached. */
  _all(n) {
    if (this.allIds?.length !== n) {
      this.allIds = new Int32Array(n);
      for (let i = 0; i < n; i++) this.allIds[i] = i;
    }
    return this.allIds;
  }

  /** The selected agents (ascending) among n. */
  _selected(sel, n) {
    return Int32Array.from([...sel].filter((i) => i >= 0 && i < n)).sort();
  }

  /** On a grid, over the cells: the selection rings, the selected agents' names, the master. */
  _drawSelected(ctx, run, ui, pal) {
    const sel = ui.selected ?? new Set();
    this._drawSelection(ctx, sel, pal);
    this._setLabelFont(ctx, pal);
    for (const i of sel) if (i >= 0 && i < run.n) this._label(ctx, run.names[i], i, this.r, pal, true);
    this._drawMaster(ctx, run, pal, ui);
  }

  /** A ring's static layer, into the offscreen canvas: the agents `ids` (ascending), the master. */
  _drawStatic(run, ui, pal, ids) {
    const ctx = this.sctx;
    const sel = ui.selected ?? new Set();
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.w, this.h);
    this._drawLinks(ctx, run, sel, pal, ids);
    this._drawProcessFills(ctx, run, pal, ids);
    this._drawViewRings(ctx, run, pal, ids);
    this._drawDead(ctx, run, pal, ids);
    this._drawPermitWaits(ctx, run, pal, ids);
    this._drawSelection(ctx, sel, pal);
    this._setLabelFont(ctx, pal);
    if (ui.showLabels !== false) {
      ctx.fillStyle = pal.ink;
      const every = run.n > 36 && this.compact ? 2 : 1;
      for (let i = 0; i < run.n; i += every) this._label(ctx, run.names[i], i, this.r, pal, false);
    }
    this._drawMaster(ctx, run, pal, ui);
  }

  /** The dynamic layer, over the static one on the visible canvas. */
  _drawDynamic(run, ui, pal) {
    const ctx = this.ctx;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ui.particles?.draw(this, ctx, run, pal, ui.wallNow);
    this._drawCountdowns(ctx, run, pal);
    this._drawRecoveringHalo(ctx, run, pal, ui.wallNow);
    this._drawPips(ctx, run, pal);
    this._drawHover(ctx, run, ui, pal);
    this._drawRate(ctx, pal, ui);
  }

  /** Starts one path of circles of radius rad around the agents `ids` where pred(i); false if none. */
  _circles(ctx, ids, pred, rad) {
    const { xs, ys } = this;
    ctx.beginPath();
    let any = false;
    for (let k = 0; k < ids.length; k++) {
      const i = ids[k];
      if (!pred(i)) continue;
      ctx.moveTo(xs[i] + rad, ys[i]); ctx.arc(xs[i], ys[i], rad, 0, TAU); any = true;
    }
    return any;
  }

  /** Radius of the process fill inside the view ring. */
  _fillRadius() {
    const r = this.r;
    return this.mode === 'ring' ? r - 3.5 : Math.max(0.8, r - Math.max(1.2, r * 0.32));
  }

  /**
   * Links: healthy ones solid, socketless ones dotted, cut ones as two lanes with the blocked
   * direction dashed red, an ✕ and an arrowhead (in a grid only for the selected agents; the
   * others get an ✕ badge).
   */
  _drawLinks(ctx, run, sel, pal, ids) {
    const links = run.snap.links;
    const { xs, ys, r, mx, my, mr } = this;
    const ring = this.mode === 'ring';
    const showLink = (i) => ring || sel.has(i);
    const spoke = (i) => {
      const a = this.ang[i];
      ctx.moveTo(mx + Math.cos(a) * mr, my + Math.sin(a) * mr);
      ctx.lineTo(xs[i] - Math.cos(a) * (r + 2), ys[i] - Math.sin(a) * (r + 2));
    };
    // healthy links in one path
    ctx.lineWidth = ring ? 1.2 : 0.8;
    ctx.strokeStyle = pal.link;
    ctx.setLineDash([]);
    ctx.beginPath();
    for (const i of ids) if (showLink(i) && !(links[i] & 3) && !(links[i] & 4)) spoke(i);
    ctx.stroke();
    // no socket (bit 4) but not cut: dotted
    ctx.setLineDash([2, 4]);
    ctx.beginPath();
    for (const i of ids) if (showLink(i) && !(links[i] & 3) && (links[i] & 4)) spoke(i);
    ctx.stroke();
    ctx.setLineDash([]);
    const cutMarks = [];
    const gridCut = new Path2D();
    let anyGridCut = false;
    for (const i of ids) {
      const b = links[i];
      if (!(b & 3)) continue;
      if (!ring && !sel.has(i)) {
        const s = Math.max(2, r * 0.55), x = xs[i] - r * 0.85, y = ys[i] - r * 0.85;
        gridCut.moveTo(x - s, y - s); gridCut.lineTo(x + s, y + s);
        gridCut.moveTo(x + s, y - s); gridCut.lineTo(x - s, y + s);
        anyGridCut = true;
        continue;
      }
      for (const [bit, dir] of [[1, 1], [2, -1]]) {
        const [x0, y0, x1, y1] = this.lane(i, dir);
        if (b & bit) {
          ctx.strokeStyle = pal.views.unreachable; ctx.lineWidth = ring ? 1.6 : 1;
          ctx.setLineDash([5, 4]);
          ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
          ctx.setLineDash([]);
          cutMarks.push([x0, y0, x1, y1, dir]);
        } else {
          ctx.strokeStyle = pal.link; ctx.lineWidth = ring ? 1.2 : 0.8;
          ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
        }
      }
    }
    for (const m of cutMarks) this._drawCutMark(ctx, m, pal);
    if (anyGridCut) { ctx.strokeStyle = pal.views.unreachable; ctx.lineWidth = 1.5; ctx.stroke(gridCut); }
  }

  /** An ✕ half-way along a cut lane and, on a ring, an arrowhead on the sender's side. */
  _drawCutMark(ctx, [x0, y0, x1, y1, dir], pal) {
    const ring = this.mode === 'ring';
    const cx = x0 + (x1 - x0) * 0.5, cy = y0 + (y1 - y0) * 0.5;
    const ux = (x1 - x0), uy = (y1 - y0), L = Math.hypot(ux, uy) || 1;
    const dx = ux / L, dy = uy / L;
    const s = ring ? 5 : 3;
    ctx.strokeStyle = pal.views.unreachable; ctx.lineWidth = ring ? 2 : 1.2;
    ctx.beginPath();
    ctx.moveTo(cx - s, cy - s); ctx.lineTo(cx + s, cy + s);
    ctx.moveTo(cx + s, cy - s); ctx.lineTo(cx - s, cy + s);
    ctx.stroke();
    if (ring) {
      // arrow just before the cut, pointing the way the blocked messages would go
      const sgn = dir > 0 ? 1 : -1; // travel direction along (dx, dy)
      const fx = sgn * dx, fy = sgn * dy;
      const bx = cx - fx * 12, by = cy - fy * 12; // on the sender's side of the cut
      ctx.fillStyle = pal.views.unreachable;
      ctx.beginPath();
      ctx.moveTo(bx + fx * 5, by + fy * 5);
      ctx.lineTo(bx - fx * 3 - fy * 4, by - fy * 3 + fx * 4);
      ctx.lineTo(bx - fx * 3 + fy * 4, by - fy * 3 - fx * 4);
      ctx.closePath(); ctx.fill();
    }
  }

  /** Re-registration countdown arcs (agent_reregister_timeout running out), with a faint track on a ring. */
  _drawCountdowns(ctx, run, pal) {
    const deadlines = run.snap.deadlines;
    const now = run.snap.now;
    const n = run.n;
    const { xs, ys, r } = this;
    const ring = this.mode === 'ring';
    const R_ms = run.params.reregMs > 0 ? run.params.reregMs : 600000;
    ctx.lineWidth = ring ? 3 : Math.max(1.2, r * 0.3);
    ctx.lineCap = 'butt';
    ctx.strokeStyle = pal.views.disconnected;
    const arcR = r + (ring ? 5 : Math.max(1.5, r * 0.35));
    // one path: thousands of agents may be counting down at once
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const d = deadlines[i];
      if (!(d === d)) continue; // NaN
      const frac = Math.max(0, Math.min(1, (d - now) / R_ms));
      ctx.moveTo(xs[i], ys[i] - arcR);
      ctx.arc(xs[i], ys[i], arcR, -Math.PI / 2, -Math.PI / 2 + TAU * frac);
    }
    ctx.stroke();
    if (ring) {
      // faint full track so the arc reads as a countdown
      ctx.globalAlpha = 0.22; ctx.lineWidth = 3;
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        if (!(deadlines[i] === deadlines[i])) continue;
        ctx.moveTo(xs[i] + arcR, ys[i]); ctx.arc(xs[i], ys[i], arcR, 0, TAU);
      }
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
  }

  /** Recovering agents: a halo pulsing over their hatched fill. */
  _drawRecoveringHalo(ctx, run, pal, wallNow) {
    const states = run.snap.states;
    const S_REC = idx(run.lib.AGENT_STATES, 'recovering');
    const ring = this.mode === 'ring';
    if (this._circles(ctx, this._all(run.n), (i) => states[i] === S_REC, this._fillRadius() + (ring ? 1.2 : 0.5))) {
      ctx.save();
      ctx.globalAlpha = 0.25 + 0.25 * Math.sin(wallNow / 260);
      ctx.strokeStyle = pal.recovering; ctx.lineWidth = ring ? 2.5 : 1;
      ctx.stroke();
      ctx.restore();
    }
  }

  /**
   * The inner fill, the agent process: running solid, recovering hatched, disconnected (running,
   * not registered) a dashed outline, down hollow with an ✕, terminating half filled.
   */
  _drawProcessFills(ctx, run, pal, ids) {
    const states = run.snap.states;
    const { xs, ys } = this;
    const ring = this.mode === 'ring';
    const STATES = run.lib.AGENT_STATES;
    const S_DOWN = idx(STATES, 'down'), S_REC = idx(STATES, 'recovering'), S_DISC = idx(STATES, 'disconnected'),
      S_RUN = idx(STATES, 'running'), S_TERM = idx(STATES, 'terminating');
    const rin = this._fillRadius();
    const circles = (state) => this._circles(ctx, ids, (i) => states[i] === state, rin);
    if (circles(S_RUN)) { ctx.fillStyle = pal.running; ctx.fill(); }
    if (circles(S_REC)) { ctx.fillStyle = this._hatch(pal); ctx.fill(); }
    if (circles(S_DISC)) {
      ctx.fillStyle = pal.surface; ctx.fill();
      ctx.setLineDash(ring ? [3, 2.5] : [1.5, 1.5]); ctx.lineWidth = ring ? 1.6 : 1; ctx.strokeStyle = pal.running; ctx.stroke();
      ctx.setLineDash([]);
    }
    if (circles(S_DOWN)) {
      ctx.fillStyle = pal.surface; ctx.fill();
      if (ring) {
        ctx.beginPath();
        for (const i of ids) {
          if (states[i] !== S_DOWN) continue;
          const s = rin * 0.45;
          ctx.moveTo(xs[i] - s, ys[i] - s); ctx.lineTo(xs[i] + s, ys[i] + s);
          ctx.moveTo(xs[i] + s, ys[i] - s); ctx.lineTo(xs[i] - s, ys[i] + s);
        }
        ctx.strokeStyle = pal.down; ctx.lineWidth = 1.6; ctx.stroke();
      }
    }
    if (circles(S_TERM)) {
      ctx.fillStyle = pal.surface; ctx.fill();
      ctx.beginPath();
      for (const i of ids) {
        if (states[i] !== S_TERM) continue;
        ctx.moveTo(xs[i], ys[i]); ctx.arc(xs[i], ys[i], rin, Math.PI / 2, Math.PI * 1.5); ctx.closePath();
      }
      ctx.fillStyle = pal.running; ctx.fill();
    }
  }

  /**
   * The outer ring, the master's view of each agent, one path per view: solid connected,
   * dashed disconnected, solid with a ✕ unreachable, dotted recovered, thin removed and unknown
   * — so the view reads without colour too.
   */
  _drawViewRings(ctx, run, pal, ids) {
    const views = run.snap.views;
    const VIEWS = run.lib.MASTER_VIEWS;
    const ring = this.mode === 'ring';
    const ringW = ring ? 3.5 : Math.max(1, this.r * 0.34);
    const rr = this.r - ringW / 2;
    const k = ring ? 1 : Math.max(0.35, this.r / 10);
    for (let v = 0; v < VIEWS.length; v++) {
      const name = VIEWS[v];
      if (!this._circles(ctx, ids, (i) => views[i] === v, rr)) continue;
      ctx.lineWidth = name === 'removed' || name === 'unknown' ? Math.max(1, ringW * 0.45) : ringW;
      ctx.setLineDash((VIEW_DASH[name] ?? []).map((x) => x * k));
      ctx.strokeStyle = pal.views[name] ?? pal.muted;
      ctx.stroke();
    }
    ctx.setLineDash([]);
    // unreachable: a ✕ on the ring (top left)
    const U = VIEWS.indexOf('unreachable');
    const { xs, ys, r } = this;
    const s = ring ? 3.6 : Math.max(1, r * 0.35);
    const p = new Path2D();
    let any = false;
    for (const i of ids) {
      if (views[i] !== U) continue;
      const cx = xs[i] - r * 0.72, cy = ys[i] - r * 0.72;
      p.moveTo(cx - s, cy - s); p.lineTo(cx + s, cy + s); p.moveTo(cx + s, cy - s); p.lineTo(cx - s, cy + s);
      any = true;
    }
    if (any) {
      ctx.lineCap = 'round';
      ctx.strokeStyle = pal.surface; ctx.lineWidth = ring ? 4.5 : Math.max(1.5, s * 0.9); ctx.stroke(p);
      ctx.strokeStyle = pal.views.unreachable; ctx.lineWidth = ring ? 2 : Math.max(0.8, s * 0.45); ctx.stroke(p);
      ctx.lineCap = 'butt';
    }
  }

  /** Agents whose executors really died: a ✝ and how many (ring), a dark dot (grid). */
  _drawDead(ctx, run, pal, ids) {
    const dead = run.dead;
    const { xs, ys, r } = this;
    const ring = this.mode === 'ring';
    ctx.fillStyle = pal.ink;
    for (const i of ids) {
      if (!dead[i]) continue;
      const cx = xs[i] + r * 0.85, cy = ys[i] + r * 0.8;
      if (!ring) { ctx.beginPath(); ctx.arc(cx, cy, Math.max(1, r * 0.32), 0, TAU); ctx.fill(); continue; }
      const text = `✝${dead[i]}`;
      ctx.font = `700 ${this.compact ? 10 : 11}px ${pal.font}`;
      ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
      const w = ctx.measureText(text).width + 6;
      ctx.fillStyle = pal.surface; ctx.globalAlpha = 0.92;
      ctx.fillRect(cx - 2, cy - 7, w, 14);
      ctx.globalAlpha = 1; ctx.strokeStyle = pal.ink; ctx.lineWidth = 1; ctx.strokeRect(cx - 1.5, cy - 6.5, w - 1, 13);
      ctx.fillStyle = pal.ink;
      ctx.fillText(text, cx + 1, cy + 0.5);
    }
  }

  /**
   * Ping pips: k of max_agent_ping_timeouts consecutive misses, as dots on the inner side of a
   * ring node; elsewhere (or with more than 12) a red arc proportional to k / N under the node.
   */
  _drawPips(ctx, run, pal) {
    const misses = run.snap.misses;
    const N = run.params.maxPings;
    const n = run.n;
    const { xs, ys, r } = this;
    if (this.mode === 'ring' && N <= 12) {
      const pr = this.compact ? 2 : 3, gap = pr * 2.7;
      const width = (N - 1) * gap;
      const filled = new Path2D(), empty = new Path2D();
      for (let i = 0; i < n; i++) {
        // pips sit on the inner side (towards the master) so labels stay outside
        const a = this.ang[i];
        const cx = xs[i] - Math.cos(a) * (r + (this.compact ? 8 : 11)), cy = ys[i] - Math.sin(a) * (r + (this.compact ? 8 : 11));
        const tx = -Math.sin(a), ty = Math.cos(a);
        for (let k = 0; k < N; k++) {
          const off = -width / 2 + k * gap;
          const px = cx + tx * off, py = cy + ty * off;
          const p = k < misses[i] ? filled : empty;
          p.moveTo(px + pr, py); p.arc(px, py, pr, 0, TAU);
        }
      }
      ctx.lineWidth = 1; ctx.strokeStyle = pal.faint; ctx.stroke(empty);
      ctx.fillStyle = pal.views.unreachable; ctx.fill(filled);
    } else {
      ctx.strokeStyle = pal.views.unreachable; ctx.lineWidth = Math.max(1.5, r * 0.4);
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        const k = misses[i];
        if (!k) continue;
        const f = Math.min(1, k / N);
        const a0 = Math.PI / 2 - Math.PI * f, a1 = Math.PI / 2 + Math.PI * f;
        ctx.moveTo(xs[i] + Math.cos(a0) * (r + 1.5), ys[i] + Math.sin(a0) * (r + 1.5));
        ctx.arc(xs[i], ys[i], r + 1.5, a0, a1);
      }
      ctx.stroke();
    }
  }

  /** An hourglass on agents whose marking waits for an agent_removal_rate_limit permit. */
  _drawPermitWaits(ctx, run, pal, ids) {
    const permits = run.snap.permits;
    const { xs, ys, r } = this;
    const ring = this.mode === 'ring';
    ctx.fillStyle = pal.views.unreachable;
    ctx.strokeStyle = pal.surface;
    ctx.lineWidth = 1;
    for (const i of ids) {
      if (!permits[i]) continue;
      const s = ring ? 6 : Math.max(2.5, r * 0.7);
      const x = xs[i] + r * 0.8, y = ys[i] - r * 0.8;
      ctx.beginPath();
      ctx.moveTo(x - s, y - s); ctx.lineTo(x + s, y - s); ctx.lineTo(x - s, y + s); ctx.lineTo(x + s, y + s); ctx.closePath();
      ctx.fill(); ctx.stroke();
    }
  }

  /** How far outside a node the dashed selection ring sits. */
  _selectionGap() {
    return this.mode === 'ring' ? 11 : Math.max(3, this.r * 0.8);
  }

  /** Dashed rings around the selected agents. */
  _drawSelection(ctx, sel, pal) {
    if (!sel.size) return;
    const { xs, ys, r } = this;
    const extra = this._selectionGap();
    ctx.lineWidth = 2;
    ctx.strokeStyle = pal.selection;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    for (const i of sel) {
      if (i < 0 || i >= this.n) continue;
      ctx.moveTo(xs[i] + r + extra, ys[i]); ctx.arc(xs[i], ys[i], r + extra, 0, TAU);
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }

  /** A faint ring around the hovered agent (and, in a grid, its name). */
  _drawHover(ctx, run, ui, pal) {
    const sel = ui.selected ?? new Set();
    const i = ui.hover;
    if (!(i >= 0 && i < run.n) || sel.has(i)) { this._setLabelFont(ctx, pal); return; }
    const { xs, ys, r } = this;
    ctx.lineWidth = 2;
    ctx.strokeStyle = pal.selection;
    ctx.globalAlpha = 0.6;
    ctx.beginPath(); ctx.arc(xs[i], ys[i], r + this._selectionGap(), 0, TAU); ctx.stroke();
    ctx.globalAlpha = 1;
    this._setLabelFont(ctx, pal);
    if (this.mode !== 'ring') this._label(ctx, run.names[i], i, r, pal, true);
  }

  _setLabelFont(ctx, pal) {
    ctx.font = `${this.compact ? 10 : 12}px ${pal.font}`;
    ctx.textBaseline = 'middle';
  }

  /** An agent's name beside its node (above/below in a compact ring), optionally on a box. */
  _label(ctx, text, i, r, pal, boxed) {
    const a = this.ang[i];
    const c = Math.cos(a), s = Math.sin(a);
    let x, yy;
    if (this.compact && this.mode === 'ring') {
      ctx.textAlign = 'center';
      x = this.xs[i];
      yy = this.ys[i] + (s < -0.2 ? -(r + 19) : r + 16);
    } else {
      const off = r + (this.mode === 'ring' ? 10 : 6);
      x = this.xs[i] + c * off;
      const y = this.ys[i] + s * off;
      ctx.textAlign = Math.abs(c) < 0.3 ? 'center' : c > 0 ? 'left' : 'right';
      yy = Math.abs(c) < 0.3 ? y + s * 4 : y;
    }
    if (boxed) {
      const w = ctx.measureText(text).width + 8;
      const bx = ctx.textAlign === 'center' ? x - w / 2 : ctx.textAlign === 'left' ? x - 2 : x - w + 2;
      ctx.fillStyle = pal.surface; ctx.globalAlpha = 0.92;
      ctx.fillRect(bx, yy - 9, w, 18);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = pal.line; ctx.lineWidth = 1; ctx.strokeRect(bx + 0.5, yy - 8.5, w - 1, 17);
    }
    ctx.fillStyle = pal.ink;
    ctx.fillText(text, x + (ctx.textAlign === 'center' ? 0 : ctx.textAlign === 'left' ? 2 : -2), yy);
  }

  /** The master in the centre: leading, or dashed while electing. */
  _drawMaster(ctx, run, pal, ui) {
    const { mx, my, mr } = this;
    const up = run.snap.masterUp;
    ctx.beginPath(); ctx.arc(mx, my, mr, 0, TAU);
    ctx.fillStyle = pal.surface2; ctx.fill();
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = up ? pal.ink : pal.views.disconnected;
    if (!up) ctx.setLineDash([5, 4]);
    ctx.stroke(); ctx.setLineDash([]);
    if (ui.masterSelected) {
      ctx.strokeStyle = pal.selection; ctx.setLineDash([4, 3]); ctx.lineWidth = 2;
      ctx.beginPath(); ctx.arc(mx, my, mr + 6, 0, TAU); ctx.stroke(); ctx.setLineDash([]);
    }
    ctx.fillStyle = pal.ink;
    ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    const big = mr >= 26;
    ctx.font = `600 ${big ? 13 : mr >= 21 ? 10 : 8.5}px ${pal.font}`;
    ctx.fillText('master', mx, my - (big ? 6 : 0));
    if (big) {
      ctx.font = `${11}px ${pal.font}`;
      ctx.fillStyle = up ? pal.muted : pal.views.disconnected;
      ctx.fillText(up ? 'leading' : 'electing…', mx, my + 9);
    }
  }

  /** While messages are aggregated: their rate under the master. */
  _drawRate(ctx, pal, ui) {
    const { mx, my, mr } = this;
    // aggregated message rate
    const P = ui.particles;
    if (P && P.aggregated) {
      ctx.font = `11px ${pal.font}`;
      ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      const text = `≈${Math.round(P.rate).toLocaleString('en-US')} msgs/s`;
      const w = ctx.measureText(text).width + 10;
      ctx.fillStyle = pal.surface; ctx.globalAlpha = 0.9;
      ctx.fillRect(mx - w / 2, my + mr + 6, w, 17);
      ctx.globalAlpha = 1;
      ctx.fillStyle = pal.muted;
      ctx.fillText(text, mx, my + mr + 15);
    }
  }
}
