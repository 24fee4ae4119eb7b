// The Tuning tab's results: the heatmap of any metric, the Pareto chart of the objective against
// its first constraint, the engine's recommendation with its one-sentence reason, and the table
// of every setting — each metric under the engine's label, with its unit. Any cell, point or
// row opens its trial in the Lab (through the tab).
import { plural } from '../util.js';
import { h, clear } from '../dom.js';
import { parseDuration } from '../duration.js';
import { describeSetting, isMesosDefault, sameSetting, fmtMetric, paretoFront, human, facetOf } from './sweep-model.js';
import { metricValues } from './sweep-engine.js';
import { Heatmap, Pareto, policyColor, policyShape, POLICY_GLYPH } from './sweep-plots.js';

/** Metrics every table shows after the objective's own. */
const SHOWN = [
  'detection_by_kind.crash.p99', 'master_messages_per_second', 'detection_by_kind.hang.p99',
  'false_unreachable_per_agent_day', 'tasks_killed_needlessly', 'ghost_task_ms.p99',
];
/** The Pareto chart's y metric when the objective has no bound. */
const FALLBACK_Y = 'false_unreachable_per_agent_day';

/** The results half of the Tuning tab. */
export class ResultsView {
  /**
   * @param tab — { results() → the results shown or null, catalogue, labSetting() → the Lab's
   *   { master, policy } or null, openPoint(i), metricChanged() }
   */
  constructor(tab) {
    this.tab = tab;
    this.selected = -1;
    this.metricPath = null;
    const byPath = new Map(tab.catalogue.map((m) => [m.path, m]));
    this.metric = (path) => byPath.get(path);
    this.build();
  }

  build() {
    this.metricSel = h('select', { id: 'sw-metric', attrs: { 'aria-label': 'Heatmap metric' } },
      ...this.tab.catalogue.map((m) => h('option', { value: m.path, text: m.title, title: m.description })));
    this.metricSel.addEventListener('change', () => { this.metricPath = this.metricSel.value; this.renderCharts(); this.tab.metricChanged(); });
    this.facetSel = h('select', { id: 'sw-facet', attrs: { 'aria-label': 'Policy shown' }, hidden: true });
    this.facetSel.addEventListener('change', () => this.renderCharts());
    this.heatCanvas = h('canvas', { id: 'sw-heatmap', tabIndex: 0, attrs: { role: 'img', 'aria-label': 'Heatmap' } });
    this.heatTip = h('div', { class: 'tooltip sw-tip', hidden: true });
    this.heatLive = h('div', { class: 'sr-only', attrs: { 'aria-live': 'polite' } });
    this.heatHost = h('div', { class: 'sw-canvas-host' }, this.heatCanvas, this.heatTip);
    this.heatLegend = h('div', { class: 'sw-plegend' });
    this.heatmap = new Heatmap(this.heatCanvas, {
      onOpen: (i) => this.tab.openPoint(i),
      onFocus: (i) => { this.heatLive.textContent = this.describePoint(i); },
      tip: this.heatTip,
    });
    this.heatmap.describeCell = (i) => this.describePoint(i);
    this.paretoCanvas = h('canvas', { id: 'sw-pareto', attrs: { role: 'img', 'aria-label': 'Pareto chart; the table below has every point.' } });
    this.paretoTip = h('div', { class: 'tooltip sw-tip', hidden: true });
    this.paretoHost = h('div', { class: 'sw-canvas-host' }, this.paretoCanvas, this.paretoTip);
    this.pareto = new Pareto(this.paretoCanvas, { onOpen: (i) => this.tab.openPoint(i), tip: this.paretoTip, describePoint: (i) => this.describePoint(i) });
    this.paretoLegend = h('div', { class: 'sw-plegend', id: 'sw-pareto-legend' });
    this.paretoTitle = h('h2', { id: 'sw-pareto-h', text: 'Trade-off' });
    this.rec = h('div', { class: 'sw-rec', id: 'sw-rec', attrs: { 'aria-live': 'polite' } });
    this.table = h('table', { class: 'sw-table', id: 'sw-table' });
    this.count = h('span', { class: 'muted count', id: 'sw-table-count' });
    this.el = h('div', { class: 'sw-results', id: 'sw-results' },
      h('div', { class: 'sw-charts' },
        h('section', { class: 'panel sw-chart', attrs: { 'aria-labelledby': 'sw-heat-h' } },
          h('div', { class: 'panel-head' }, h('h2', { id: 'sw-heat-h', text: 'Heatmap' }), h('span', { class: 'group' }, this.facetSel, this.metricSel)),
          this.heatHost, this.heatLegend, this.heatLive),
        h('section', { class: 'panel sw-chart', attrs: { 'aria-labelledby': 'sw-pareto-h' } },
          h('div', { class: 'panel-head' }, this.paretoTitle), this.paretoHost, this.paretoLegend)),
      h('section', { class: 'panel sw-recbox', attrs: { 'aria-labelledby': 'sw-rec-h' } },
        h('h2', { id: 'sw-rec-h', text: 'Recommendation' }), this.rec),
      h('section', { class: 'panel sw-tablebox', attrs: { 'aria-labelledby': 'sw-table-h' } },
        h('div', { class: 'panel-head' }, h('h2', { id: 'sw-table-h', text: 'All settings' }), this.count),
        h('div', { class: 'sw-tablewrap' }, this.table)));
  }

  /** The objective of the results shown (the engine's, defaults filled in). */
  objective() {
    return this.tab.results()?.result.objective;
  }

  /** The heatmap's metric: the one picked, else the objective's. */
  heatMetric() {
    return this.metric(this.metricPath) ?? this.metric(this.objective()?.minimize) ?? this.tab.catalogue[0];
  }

  /** The table's metrics: the objective's, then SHOWN, each once. */
  columns() {
    const o = this.objective();
    const paths = [...new Set([o?.minimize, ...(o?.subject_to ?? []).map((c) => c.metric), ...SHOWN].filter(Boolean))];
    // The master's message rate is what faster detection costs: it goes beside the first detection.
    const cost = 'master_messages_per_second';
    paths.splice(paths.indexOf(cost), 1);
    const first = paths.findIndex((p) => p.startsWith('detection'));
    paths.splice(first + 1, 0, cost);
    return paths.map((p) => this.metric(p)).filter(Boolean);
  }

  /** Every point's value of a metric (cached per result). */
  values(path) {
    const R = this.tab.results();
    if (this.cache?.result !== R.result) this.cache = { result: R.result, values: new Map() };
    if (!this.cache.values.has(path)) this.cache.values.set(path, metricValues(R.result, path));
    return this.cache.values.get(path);
  }

  render() {
    const R = this.tab.results();
    if (!R) return;
    this.renderCharts();
    this.renderTable();
  }

  /** Marks: the Mesos defaults, the Lab's current setting, the recommendation, the selection. */
  marks() {
    const R = this.tab.results();
    const lab = this.labSetting();
    const defaults = new Set(), current = new Set();
    R.settings.forEach((s, i) => {
      if (isMesosDefault(s)) defaults.add(i);
      if (lab && sameSetting(s, lab)) current.add(i);
    });
    const rec = R.result.recommendation;
    return { defaults, current, recommended: rec ? rec.point : -1, selected: this.selected };
  }

  labSetting() {
    const lab = this.tab.labSetting();
    if (!lab) return null;
    const m = lab.master ?? {};
    const rr = parseDuration(m.agent_reregister_timeout ?? '10mins'), ping = parseDuration(m.agent_ping_timeout ?? '15secs');
    return { rr, ping, max: m.max_agent_ping_timeouts ?? 5, policy: lab.policy };
  }

  renderCharts() {
    const R = this.tab.results();
    if (!R) return;
    const marks = this.marks();
    const metric = this.heatMetric();
    this.metricSel.value = metric.path;
    const heat = this.values(metric.path);
    const items = R.result.points.map((p, i) => ({ i, setting: R.settings[i], metrics: p.metrics, trials: p.trials, value: heat[i] }));
    // facets: all side by side up to four, else one at a time
    const facets = [...new Map(R.settings.map((s) => { const f = facetOf(s); return [f.key, f.label]; })).entries()];
    if (facets.length > 4) {
      const keep = this.facetSel.value;
      clear(this.facetSel);
      for (const [k, text] of facets) this.facetSel.append(h('option', { value: k, text }));
      this.facetSel.value = facets.some(([k]) => k === keep) ? keep : facets[0][0];
      this.facetSel.hidden = false;
    } else this.facetSel.hidden = true;
    this.heatmap.set({ items, metric, marks, facetFilter: this.facetSel.hidden ? null : this.facetSel.value });
    const o = this.objective();
    const xMetric = this.metric(o.minimize);
    const first = o.subject_to[0];
    const yMetric = this.metric(first?.metric ?? FALLBACK_Y);
    const xs = this.values(xMetric.path), ys = this.values(yMetric.path);
    const plotted = items.map((p) => ({ ...p, x: xs[p.i], y: ys[p.i] }));
    this.front = paretoFront(plotted.filter((p) => p.trials > 0).map((p) => ({ i: p.i, x: p.x, y: p.y })));
    this.paretoTitle.textContent = `Trade-off: ${xMetric.label} vs ${yMetric.label}`;
    this.pareto.set({
      items: plotted, xMetric, yMetric, bound: first ? first.at_most : null,
      front: this.front, marks, height: Math.max(240, Math.min(330, this.heatCanvas.clientHeight || 300)),
    });
    this.pareto.canvas.setAttribute('aria-label', `Pareto chart of ${xMetric.title} (the objective) against ${yMetric.title}${first ? ' (its first bound)' : ''}; the table below has every point.`);
    this.renderLegends(R, marks, first);
    this.renderRecommendation(R);
    this.markTableRows(marks);
  }

  renderLegends(R, marks, bounded) {
    const policies = [...new Set(R.settings.map((s) => s.policy))];
    const items = policies.map((p) => {
      const g = h('span', { class: 'glyph', text: POLICY_GLYPH[policyShape(p)] });
      g.style.color = policyColor(p);
      return h('span', { class: 'item' }, g, p);
    });
    this.paretoLegend.replaceChildren(...items,
      h('span', { class: 'item' }, h('span', { class: 'glyph', text: '━' }), `Pareto front: ${this.front?.size ?? 0} of ${R.settings.length} settings (filled)`),
      bounded ? h('span', { class: 'item' }, h('span', { class: 'glyph sw-dash', text: '┄' }), 'the bound') : h('span', { class: 'item', text: `No bound in the objective: the y axis shows ${this.metric(FALLBACK_Y).label}.` }),
      ...this.markKeys(marks, 'pareto'));
    const never = this.heatmap.items?.some((p) => p.value === Infinity);
    this.heatLegend.replaceChildren(
      ...(never ? [h('span', { class: 'item' }, h('i', { class: 'sw-never' }), 'never: the quantile falls on agents not marked by the horizon')] : []),
      ...this.markKeys(marks, 'heat'));
  }

  /** Legend entries for the marks (and what is not in the grid). */
  markKeys(marks, where) {
    const out = [];
    const key = (glyph, text) => h('span', { class: 'item' }, h('span', { class: 'glyph', text: glyph }), text);
    out.push(key('★', where === 'heat' ? 'recommended (outlined)' : 'recommended'));
    const same = marks.defaults.size && [...marks.defaults].every((i) => marks.current.has(i));
    if (marks.defaults.size) out.push(key('◯', same ? 'Mesos default = the Lab\'s setting' : 'Mesos default (10mins, 15secs × 5, mesos-1.2)'));
    if (marks.current.size && !same) out.push(key('◌', 'the Lab\'s setting'));
    const none = [];
    if (!marks.defaults.size) none.push('the Mesos default (10mins, 15secs × 5, mesos-1.2)');
    if (!marks.current.size) { const l = this.labSetting(); if (l) none.push(`the Lab's setting (${human(l.rr)}, ${human(l.ping)} × ${l.max}, ${l.policy})`); }
    if (none.length && where === 'pareto') out.push(h('span', { class: 'item', text: `Not in the grid: ${none.join('; ')}.` }));
    return out;
  }

  /** The engine's recommendation: the setting, its one-sentence reason, and its numbers. */
  renderRecommendation(R) {
    const rec = R.result.recommendation;
    this.rec.dataset.point = String(rec ? rec.point : -1);
    const rows = [];
    if (rec) {
      const s = R.settings[rec.point];
      rows.push(h('div', { class: 'sw-rec-main' },
        h('span', { class: 'star', text: '★' }),
        h('b', { class: 'sw-rec-setting', text: describeSetting(s) }),
        isMesosDefault(s) ? h('span', { class: 'badge k-good', text: 'the Mesos default' }) : null,
        h('button', { type: 'button', class: 'btn', id: 'sw-rec-open', text: 'Watch a trial', on: { click: () => this.tab.openPoint(rec.point) } })));
      rows.push(h('p', { class: 'sw-rec-why', id: 'sw-rec-why', text: rec.why }));
      rows.push(h('div', { class: 'sw-rec-nums', text: this.numbers(rec.point).join(' · ') }));
    } else {
      rows.push(h('div', { class: 'sw-rec-none', id: 'sw-rec-why', text: R.result.no_recommendation ?? 'No recommendation.' }));
    }
    if (R.partial) rows.push(h('p', { class: 'muted', text: 'From partial results: settings with fewer trials weigh as much as the others.' }));
    this.rec.replaceChildren(...rows);
  }

  /** A point's table metrics as "label value" texts. */
  numbers(i) {
    return this.columns().map((m) => `${m.label} ${fmtMetric(m.kind, this.values(m.path)[i])}`);
  }

  renderTable() {
    const R = this.tab.results();
    const cols = this.columns();
    const others = [...new Set(R.settings.flatMap((s) => s.others.map(([k]) => k)))];
    const th = (text, title) => h('th', { scope: 'col', text, title });
    const head = h('tr', {},
      th('re-register (duration)', 'master.agent_reregister_timeout'), th('ping × max (duration × count)', 'agent_ping_timeout × max_agent_ping_timeouts'), th('policy'),
      ...others.map((k) => th(k)), th('trials (count)'),
      ...cols.map((m) => h('th', { scope: 'col', class: 'num', title: m.description, dataset: { metric: m.path } }, m.title)),
      th('', 'recommended, on the Pareto front, Mesos default, the Lab\'s setting'), h('th', { scope: 'col' }, h('span', { class: 'sr-only', text: 'open' })));
    const body = h('tbody');
    const values = cols.map((m) => this.values(m.path));
    this.rows = R.result.points.map((p, i) => {
      const s = R.settings[i];
      const open = h('button', { type: 'button', class: 'btn sw-open', text: 'Watch', attrs: { 'aria-label': `Watch a trial of ${describeSetting(s)} in the Lab` }, on: { click: (e) => { e.stopPropagation(); this.tab.openPoint(i); } } });
      const pol = h('span', { class: 'glyph', text: POLICY_GLYPH[policyShape(s.policy)] });
      pol.style.color = policyColor(s.policy);
      const tr = h('tr', { dataset: { point: String(i) }, on: { click: () => this.tab.openPoint(i) } },
        h('td', { class: 'mono', text: s.rrText }),
        h('td', { class: 'mono', text: `${s.pingText} × ${s.max}`, title: human(s.total) }),
        h('td', {}, pol, ` ${s.policy}`),
        ...others.map((k) => { const v = s.others.find(([kk]) => kk === k)?.[1]; return h('td', { class: 'mono', text: v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v) }); }),
        h('td', { class: 'num', text: String(p.trials) }),
        ...cols.map((m, k) => h('td', { class: 'num', text: p.trials > 0 ? fmtMetric(m.kind, values[k][i]) : '' })),
        h('td', { class: 'tags' }),
        h('td', {}, open));
      body.append(tr);
      return tr;
    });
    this.table.replaceChildren(h('thead', {}, head), body);
    const done = R.result.points.reduce((a, p) => a + p.trials, 0);
    this.count.textContent = `${plural(R.result.points.length, 'setting')} × ${R.spec.trials} trials${R.partial ? ` (partial: ${done.toLocaleString('en-US')} trials ran)` : ''}${R.elapsed ? ` · ran in ${R.elapsed.toFixed(1)} s` : ''}`;
    this.markTableRows(this.marks());
  }

  markTableRows(marks) {
    if (!this.rows) return;
    this.rows.forEach((tr, i) => {
      tr.classList.toggle('rec', marks.recommended === i);
      tr.classList.toggle('front', !!this.front?.has(i));
      tr.classList.toggle('sel', this.selected === i);
      tr.classList.toggle('def', marks.defaults.has(i));
      const tags = [marks.recommended === i ? '★' : '', this.front?.has(i) ? 'front' : '', marks.defaults.has(i) ? 'default' : '', marks.current.has(i) ? 'lab' : ''].filter(Boolean);
      const cell = tr.querySelector('td.tags');
      if (cell) cell.textContent = tags.join(' · ');
      tr.title = [marks.recommended === i ? '★ recommended' : '', this.front?.has(i) ? 'on the Pareto front' : '', marks.defaults.has(i) ? 'the Mesos default' : '', marks.current.has(i) ? 'the Lab\'s setting' : ''].filter(Boolean).join(' · ');
    });
  }

  describePoint(i) {
    const R = this.tab.results();
    if (!R) return '';
    const p = R.result.points[i], s = R.settings[i];
    const marks = this.marks();
    const tags = [marks.recommended === i ? '★ recommended' : '', this.front?.has(i) ? 'Pareto front' : '', marks.defaults.has(i) ? 'Mesos default' : '', marks.current.has(i) ? 'Lab setting' : ''].filter(Boolean);
    const heat = this.heatMetric();
    const lines = [`${describeSetting(s)}${tags.length ? `  [${tags.join(', ')}]` : ''}`];
    if (!this.columns().includes(heat)) lines.push(`${heat.label}: ${fmtMetric(heat.kind, this.values(heat.path)[i])}`);
    lines.push(...this.numbers(i), `${p.trials} trials · click or Enter: watch a trial`);
    return lines.join('\n');
  }

  redraw() {
    if (this.tab.results()) this.renderCharts();
  }
}
