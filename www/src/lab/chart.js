// The "Over time" charts (uPlot): agents per master view, and tasks per state as the frameworks
// heard them against the ground truth (executors really dead, and ghost tasks: dead but still
// believed running). The curves come from the judge's digest of the whole run (judge.js), drawn
// up to the current time only — the last point is the run's own state now, so the chart never
// lags a jump. Each series has its own dash pattern as well as its colour.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { palette } from '../palette.js';
import { TASK_SERIES } from './judge.js';
import { clock } from '../util.js';
import { h } from '../dom.js';

const TASK_LABEL = { TASK_RUNNING: 'running', TASK_UNREACHABLE: 'unreachable', TASK_LOST: 'lost', TASK_KILLED: 'killed', TASK_FAILED: 'failed', TASK_GONE: 'gone' };
const VIEW_DASH = { connected: undefined, disconnected: [7, 3], unreachable: [2, 2], recovered: [9, 3, 2, 3], removed: [1, 3] };
const TASK_DASH = { TASK_RUNNING: undefined, TASK_UNREACHABLE: [2, 2], TASK_LOST: [6, 3], TASK_KILLED: [9, 3, 2, 3], TASK_FAILED: [1, 3], TASK_GONE: [4, 1] };

/** The two charts of the Over time panel, synchronised cursors. */
export class Charts {
  constructor(viewsEl, tasksEl) {
    this.viewsEl = viewsEl; this.tasksEl = tasksEl;
    this.views = null; this.tasks = null;
    this.width = 0;
    /** The host's width as the resize observer last read it (0: not yet). */
    this.hostWidth = 0;
    this.run = null; this.digest = null; this.duration = 0; this.key = '';
    this.t = 0;
    this.sync = uPlot.sync('liveness');
    this.ro = new ResizeObserver(() => this._resize());
    this.ro.observe(viewsEl);
  }

  _opts(series, height, width) {
    const pal = palette();
    const axis = {
      stroke: pal.muted, grid: { stroke: pal.line, width: 1 }, ticks: { stroke: pal.line, width: 1 },
      font: `11px ${pal.font}`,
    };
    return {
      width, height,
      padding: [6, 16, 0, 0],
      cursor: { sync: { key: this.sync.key }, drag: { x: false, y: false }, points: { size: 5 } },
      legend: { show: false },
      scales: { x: { time: false, range: () => [0, Math.max(1, this.duration / 1000)] }, y: { range: (u, lo, hi) => [0, Math.max(1, hi)] } },
      axes: [
        { ...axis, values: (u, vals) => vals.map((v) => clock(v * 1000)), size: 24 },
        { ...axis, size: (u, vals) => 14 + 7 * Math.max(1, ...(vals ?? ['0']).map((v) => String(v).length)), values: (u, vals) => vals.map((v) => (Number.isInteger(v) ? String(v) : '')) },
      ],
      series: [{ label: 'time', value: (u, v) => (v == null ? '—' : clock(v * 1000)) }, ...series],
      hooks: {
        draw: [(u) => {
          // the current time
          const x = u.valToPos(this.t / 1000, 'x', true);
          const c = u.ctx;
          c.save(); c.strokeStyle = pal.ink; c.globalAlpha = 0.5; c.lineWidth = 1; c.setLineDash([3, 3]);
          c.beginPath(); c.moveTo(x, u.bbox.top); c.lineTo(x, u.bbox.top + u.bbox.height); c.stroke(); c.restore();
        }],
      },
    };
  }

  /** (Re)creates both charts for a run (needed when the theme, the run or its digest change). */
  create(run) {
    this.run = run;
    this.digest = run.digest;
    this.duration = run.duration;
    const pal = palette();
    this.destroy();
    // The width the resize observer read (after layout); read here only until it first ran: a
    // read after destroy() forces a layout of the whole page (a 5,000-agent one: 100+ ms).
    const width = Math.max(200, Math.floor(this.hostWidth || this.viewsEl.clientWidth || 300));
    this.width = width;
    const views = run.lib.MASTER_VIEWS;
    this.viewNames = views;
    const vSeries = views.map((name) => ({
      label: name, stroke: pal.views[name] ?? pal.muted, width: name === 'unreachable' ? 2.5 : 2, dash: VIEW_DASH[name],
      show: name !== 'unknown',
      value: (u, v) => (v == null ? '—' : String(v)),
    }));
    const tSeries = [
      ...TASK_SERIES.map((s) => ({ label: TASK_LABEL[s], stroke: pal.tasks[s] ?? pal.muted, width: 2, dash: TASK_DASH[s], value: (u, v) => (v == null ? '—' : String(v)) })),
      { label: 'really dead', stroke: pal.ink, width: 2.5, dash: undefined, value: (u, v) => (v == null ? '—' : String(v)) },
      { label: 'ghosts', stroke: pal.ink, width: 1.5, dash: [3, 3], value: (u, v) => (v == null ? '—' : String(v)) },
    ];
    this.views = new uPlot(this._opts(vSeries, 118, width), this._data('views'), this.viewsEl);
    this.tasks = new uPlot(this._opts(tSeries, 118, width), this._data('tasks'), this.tasksEl);
    this._legend(this.viewsEl, vSeries.filter((x) => x.show !== false), this.views);
    this._legend(this.tasksEl, tSeries, this.tasks);
    this.key = '';
    this.update(run, this.t, true);
  }

  /** A compact legend under a chart: dash and colour, label, value at the cursor (or now). */
  _legend(host, series, plot) {
    let el = host.nextElementSibling;
    if (!el || !el.classList.contains('chart-legend')) { el = h('div', { class: 'chart-legend' }); host.after(el); }
    const vals = [];
    el.replaceChildren(...series.map((s) => {
      const v = h('b', { text: '' });
      vals.push(v);
      const sw = h('i', { class: s.dash ? (s.dash[0] <= 2 ? 'dot' : 'dash') : '' });
      sw.style.borderColor = s.stroke;
      return h('span', { dataset: { series: s.label } }, sw, `${s.label} `, v);
    }));
    const idxOf = series.map((s) => plot.series.findIndex((x) => x.label === s.label));
    const show = (i) => {
      const d = plot.data;
      const at = i ?? (d[0].length - 1);
      idxOf.forEach((si, k) => { const y = d[si]?.[at]; vals[k].textContent = y == null ? '–' : String(y); });
    };
    plot.hooks.setCursor = plot.hooks.setCursor || [];
    plot.hooks.setCursor.push((u) => show(u.cursor.idx ?? undefined));
    plot.hooks.setData = plot.hooks.setData || [];
    plot.hooks.setData.push(() => show(plot.cursor.idx ?? undefined));
    show();
  }

  /** The curves up to the current time: the digest's samples before it, the run's state at it. */
  _data(which) {
    const run = this.run;
    const d = this.digest;
    const t = this.t;
    const xs = [];
    const ys = which === 'views' ? run.lib.MASTER_VIEWS.map(() => []) : [...TASK_SERIES.map(() => []), [], []];
    if (d) {
      const s = d.series;
      for (let k = 0; k < s.t.length && s.t[k] < t; k++) {
        xs.push(s.t[k] / 1000);
        if (which === 'views') s.views.forEach((list, j) => ys[j].push(list[k]));
        else {
          s.tasks.forEach((list, j) => ys[j].push(list[k]));
          ys[TASK_SERIES.length].push(s.dead[k]);
          ys[TASK_SERIES.length + 1].push(s.ghosts[k]);
        }
      }
      // now: the live run's own state (exact at any time)
      const snap = run.snap;
      if (snap && run.sim) {
        xs.push(t / 1000);
        if (which === 'views') {
          const counts = new Array(ys.length).fill(0);
          for (let i = 0; i < snap.views.length; i++) counts[snap.views[i]]++;
          counts.forEach((c, j) => ys[j].push(c));
        } else {
          const counts = run.sim.taskStateCounts();
          TASK_SERIES.forEach((name, j) => { const ix = run.lib.TASK_STATES.indexOf(name); ys[j].push(ix >= 0 ? counts[ix] : 0); });
          ys[TASK_SERIES.length].push(run.stats.executorsDied);
          let k = 0;
          while (k + 1 < s.t.length && s.t[k + 1] <= t) k++;
          ys[TASK_SERIES.length + 1].push(s.ghosts[k] ?? 0);
        }
      }
    }
    return [xs, ...ys];
  }

  /** Follows the run to time t (cheap when nothing changed). */
  update(run, t = this.t, force = false) {
    if (!this.views || run !== this.run || run.digest !== this.digest) { this.t = t; this.create(run); return; }
    const key = `${t}|${run.stats.events}`;
    if (!force && key === this.key) return;
    this.key = key;
    this.t = t;
    this.views.setData(this._data('views'), true);
    this.tasks.setData(this._data('tasks'), true);
    const host = this.viewsEl.closest('.chart-panel');
    if (host) host.dataset.t = String(t);
  }

  _resize() {
    this.hostWidth = this.viewsEl.clientWidth || this.hostWidth;
    if (!this.views) return;
    const w = Math.max(200, Math.floor(this.hostWidth));
    if (w === this.width) return;
    this.width = w;
    this.views.setSize({ width: w, height: 118 });
    this.tasks.setSize({ width: w, height: 118 });
  }

  destroy() {
    this.views?.destroy(); this.tasks?.destroy();
    this.views = this.tasks = null;
  }
}
