// uPlot charts: agents per master view and tasks per state over simulated time,
// sampled by the Run while it advances.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { palette } from '../palette.js';
import { TASK_SERIES } from './run.js';
import { clock } from '../util.js';
import { h } from '../dom.js';

const TASK_LABEL = { TASK_RUNNING: 'running', TASK_UNREACHABLE: 'unreachable', TASK_LOST: 'lost', TASK_KILLED: 'killed' };

/** The two charts of the Over time panel, synchronised cursors. */
export class Charts {
  constructor(viewsEl, tasksEl) {
    this.viewsEl = viewsEl; this.tasksEl = tasksEl;
    this.views = null; this.tasks = null;
    this.viewNames = null; this.width = 0;
    this.lastLen = -1; this.run = null; this.duration = 0;
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
    };
  }

  /** (Re)creates both charts for a run (needed when the theme or views change). */
  create(run) {
    this.run = run;
    this.duration = run.duration;
    const pal = palette();
    this.destroy();
    const width = Math.max(200, Math.floor(this.viewsEl.clientWidth || 300));
    this.width = width;
    const views = run.lib.MASTER_VIEWS;
    this.viewNames = views;
    const vSeries = views.map((name) => ({
      label: name, stroke: pal.views[name] ?? pal.muted, width: 2,
      show: name !== 'unknown',
      value: (u, v) => (v == null ? '—' : String(v)),
    }));
    const tSeries = TASK_SERIES.map((s) => ({
      label: TASK_LABEL[s], stroke: pal.tasks[s], width: 2, dash: s === 'TASK_LOST' ? [5, 3] : undefined,
      value: (u, v) => (v == null ? '—' : String(v)),
    }));
    this.views = new uPlot(this._opts(vSeries, 118, width), this._data(run, 'views'), this.viewsEl);
    this.tasks = new uPlot(this._opts(tSeries, 118, width), this._data(run, 'tasks'), this.tasksEl);
    this._legend(this.viewsEl, vSeries.filter((x) => x.show !== false), this.views, 1);
    this._legend(this.tasksEl, tSeries, this.tasks, 1);
    this.lastLen = run.samples.t.length;
  }

  /** A compact legend under a chart: colour, label, value at the cursor (or the latest). */
  _legend(host, series, plot) {
    let el = host.nextElementSibling;
    if (!el || !el.classList.contains('chart-legend')) { el = h('div', { class: 'chart-legend' }); host.after(el); }
    const vals = [];
    el.replaceChildren(...series.map((s, k) => {
      const v = h('b', { text: '' });
      vals.push(v);
      const sw = h('i', { class: s.dash ? 'dash' : '' });
      sw.style.borderColor = s.stroke;
      return h('span', {}, sw, `${s.label} `, v);
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

  _data(run, which) {
    const s = run.samples;
    return [s.t, ...(which === 'views' ? s.views : s.tasks)];
  }

  /** Pushes new samples (cheap when nothing changed). */
  update(run, force = false) {
    if (!this.views || run !== this.run) { this.create(run); return; }
    const len = run.samples.t.length;
    if (!force && len === this.lastLen) return;
    this.lastLen = len;
    this.views.setData(this._data(run, 'views'), true);
    this.tasks.setData(this._data(run, 'tasks'), true);
  }

  _resize() {
    if (!this.views) return;
    const w = Math.max(200, Math.floor(this.viewsEl.clientWidth));
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
