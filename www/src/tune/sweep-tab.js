// The Tuning tab: edit a sweep spec, run it in a Web Worker (progress, cancel), and read the
// results — a heatmap per policy (agent_reregister_timeout × total ping timeout) coloured by a
// chosen metric, a Pareto chart (detection p99 vs false unreachable per 1,000 restarts), a
// recommendation for a target, and a table. Any result opens its representative trial in the
// Lab, animated. The spec (and results) round-trip through JSON export/import and the URL.
import { sampleLength } from '../../pkg/liveness.js';
import { deepClone, stableJson, toBase64Url, fromBase64Url, plural } from '../util.js';
import { h, clear, fillErrorList } from '../dom.js';
import { parseDuration } from '../duration.js';
import { toast, copyText } from '../notices.js';
import {
  defaultSpec, describeSetting, isMesosDefault, sameSetting, effectiveP99, METRICS, METRIC_BY_ID, fmtMetric,
  paretoFront, recommend, encodeResults, decodeResults, makeResults, human, facetOf,
} from './sweep-model.js';
import { validateSpec, errorLines, trialScenario, trialFocus, representativeTrial } from './sweep-engine.js';
import { SweepFiles } from './sweep-files.js';
import { Heatmap, Pareto, policyColor, policyShape, POLICY_GLYPH } from './sweep-plots.js';
import { SpecEditor } from './sweep-editor.js';

const DEFAULT_TARGET = 50;
const URL_RESULTS_MAX = 16000; // characters of base64url; larger results go through export only

/** True for the hashes this tab owns: #tune, #sweep=… */
export function isTuneHash(hash) {
  const raw = String(hash ?? '').replace(/^#/, '');
  return raw === 'tune' || raw.startsWith('tune&') || raw.startsWith('sweep=');
}

/** The Tuning tab (see the top of this file). */
export class SweepTab {
  /**
   * @param view the #tune-view element
   * @param host what the tab asks of the page: { showTab(tab), setHash(hash),
   *   openScenario(scenario, { t, agent, speed }) → false if refused,
   *   labSetting() → { master, policy } of the Lab's scenario, or null }
   */
  constructor(view, host) {
    this.host = host;
    this.view = view;
    this.spec = defaultSpec();
    this.check = validateSpec(this.spec);
    this.results = null; // { spec, specKey, keys, grid, result, representative, elapsed, computeSeconds }
    this.job = null;
    this.metric = METRICS[0];
    this.target = DEFAULT_TARGET;
    this.selected = -1;
    this.linkProblems = [];
    this.build();
    this.editor.setSpec(this.spec);
    this.renderSpecState();
    this.renderResults();
    new MutationObserver(() => { if (!this.view.hidden) this.redraw(); })
      .observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    this.ro = new ResizeObserver(() => { if (!this.view.hidden) this.redraw(); });
    this.ro.observe(this.heatHost);
    this.ro.observe(this.paretoHost);
  }

  // ------------------------------------------------------------ DOM

  build() {
    const v = this.view;
    clear(v);
    this.editorHost = h('div', { class: 'sw-editor' });
    this.errors = h('ul', { class: 'errors sw-errors', id: 'sw-errors', attrs: { role: 'alert' }, hidden: true });
    this.linkErr = h('div', { class: 'banner sw-linkerr', attrs: { role: 'alert' }, hidden: true });
    // run bar
    this.runBtn = h('button', { type: 'button', class: 'btn primary', id: 'sw-run', text: '▶ Run sweep', on: { click: () => this.run() } });
    this.cancelBtn = h('button', { type: 'button', class: 'btn', id: 'sw-cancel', text: 'Cancel', disabled: true, on: { click: () => this.cancel() } });
    this.barFill = h('span');
    this.bar = h('div', { class: 'sw-progress', id: 'sw-progress', attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0', 'aria-label': 'Sweep progress' } }, this.barFill);
    this.status = h('span', { class: 'sw-status', id: 'sw-status', attrs: { 'aria-live': 'polite' } });
    const runBar = h('div', { class: 'panel sw-bar' },
      this.runBtn, this.cancelBtn,
      h('div', { class: 'sw-progwrap' }, this.bar, this.status),
      h('span', { class: 'group' },
        h('button', { type: 'button', class: 'btn', id: 'sw-import', text: 'Import', title: 'Load a sweep spec (and results) from JSON', on: { click: () => this.files.openImport() } }),
        h('button', { type: 'button', class: 'btn', id: 'sw-export', text: 'Export', title: 'The spec and its results as JSON, or the results as CSV', on: { click: () => this.files.openExport() } }),
        h('button', { type: 'button', class: 'btn', id: 'sw-link', text: 'Copy link', title: 'A link that restores this spec (and its results when they fit)', on: { click: () => this.copyLink() } })));
    this.stale = h('div', { class: 'sw-stale', id: 'sw-stale', hidden: true });
    // heatmap
    this.metricSel = h('select', { id: 'sw-metric', attrs: { 'aria-label': 'Heatmap metric' } }, ...METRICS.map((m) => h('option', { value: m.id, text: m.label, title: m.long })));
    this.metricSel.addEventListener('change', () => { this.metric = METRIC_BY_ID.get(this.metricSel.value) ?? METRICS[0]; this.renderCharts(); this.writeUrl(); });
    this.facetSel = h('select', { id: 'sw-facet', attrs: { 'aria-label': 'Policy shown' }, hidden: true });
    this.facetSel.addEventListener('change', () => this.renderCharts());
    this.heatCanvas = h('canvas', { id: 'sw-heatmap', tabIndex: 0, attrs: { role: 'img', 'aria-label': 'Heatmap' } });
    this.heatTip = h('div', { class: 'tooltip sw-tip', hidden: true });
    this.heatLive = h('div', { class: 'sr-only', attrs: { 'aria-live': 'polite' } });
    this.heatHost = h('div', { class: 'sw-canvas-host' }, this.heatCanvas, this.heatTip);
    this.heatLegend = h('div', { class: 'sw-plegend' });
    this.heatmap = new Heatmap(this.heatCanvas, {
      onOpen: (i) => this.openPoint(i),
      onFocus: (i) => { this.heatLive.textContent = this.describePoint(i); },
      tip: this.heatTip,
    });
    this.heatmap.describeCell = (i) => this.describePoint(i);
    // pareto
    this.paretoCanvas = h('canvas', { id: 'sw-pareto', attrs: { role: 'img', 'aria-label': 'Pareto chart of detection p99 against false unreachable per 1,000 restarts; the table below has every point.' } });
    this.paretoTip = h('div', { class: 'tooltip sw-tip', hidden: true });
    this.paretoHost = h('div', { class: 'sw-canvas-host' }, this.paretoCanvas, this.paretoTip);
    this.pareto = new Pareto(this.paretoCanvas, { onOpen: (i) => this.openPoint(i), tip: this.paretoTip, describePoint: (i) => this.describePoint(i) });
    this.paretoLegend = h('div', { class: 'sw-plegend' });
    // recommendation
    this.targetInput = h('input', { type: 'number', id: 'sw-target', min: '0', step: 'any', value: String(this.target), attrs: { 'aria-describedby': 'sw-rec' } });
    this.targetInput.addEventListener('input', () => {
      const x = Number(this.targetInput.value);
      const ok = this.targetInput.value.trim() !== '' && Number.isFinite(x) && x >= 0;
      this.targetInput.classList.toggle('invalid', !ok);
      if (ok) { this.target = x; this.renderCharts(); this.writeUrl(); }
    });
    this.rec = h('div', { class: 'sw-rec', id: 'sw-rec', attrs: { 'aria-live': 'polite' } });
    // table
    this.table = h('table', { class: 'sw-table', id: 'sw-table' });
    this.empty = h('div', { class: 'panel sw-empty', id: 'sw-empty' });
    this.resultsBody = h('div', { class: 'sw-results', id: 'sw-results' },
      h('div', { class: 'sw-charts' },
        h('section', { class: 'panel sw-chart', attrs: { 'aria-labelledby': 'sw-heat-h' } },
          h('div', { class: 'panel-head' }, h('h2', { id: 'sw-heat-h', text: 'Heatmap' }), h('span', { class: 'group' }, this.facetSel, this.metricSel)),
          this.heatHost, this.heatLegend, this.heatLive),
        h('section', { class: 'panel sw-chart', attrs: { 'aria-labelledby': 'sw-pareto-h' } },
          h('div', { class: 'panel-head' }, h('h2', { id: 'sw-pareto-h', text: 'Trade-off: speed vs false alarms' })),
          this.paretoHost, this.paretoLegend)),
      h('section', { class: 'panel sw-recbox', attrs: { 'aria-labelledby': 'sw-rec-h' } },
        h('h2', { id: 'sw-rec-h', text: 'Recommendation' }),
        h('label', { class: 'sw-target', for: 'sw-target' }, h('span', { text: 'At most' }), this.targetInput, h('span', { text: 'false unreachable per 1,000 restarts → the fastest-detecting setting that meets it:' })),
        this.rec),
      h('section', { class: 'panel sw-tablebox', attrs: { 'aria-labelledby': 'sw-table-h' } },
        h('div', { class: 'panel-head' }, h('h2', { id: 'sw-table-h', text: 'All settings' }), h('span', { class: 'muted count', id: 'sw-table-count' })),
        h('div', { class: 'sw-tablewrap' }, this.table)));
    v.append(
      h('aside', { class: 'col sw-left', attrs: { 'aria-label': 'Sweep spec' } }, this.linkErr, this.editorHost),
      h('section', { class: 'col sw-right', attrs: { 'aria-label': 'Sweep run and results' } }, runBar, this.errors, this.stale, this.empty, this.resultsBody));
    this.editor = new SpecEditor(this.editorHost, {
      sampleLength: (len, n, seed) => sampleLength(len, n, seed),
      onChange: () => this.onSpecChanged(),
    });
    this.files = new SweepFiles({
      spec: () => this.spec,
      results: () => this.results,
      stale: () => this.isStale(),
      load: (spec, check, results) => this.loadFile(spec, check, results),
    });
    this.buildNote();
  }

  /** The note shown above the cluster when a trial from here is open in the Lab. */
  buildNote() {
    this.noteText = h('span', { class: 'msg' });
    this.note = h('div', { class: 'sw-trial-note', id: 'sw-trial-note', attrs: { role: 'status' }, hidden: true },
      h('span', { class: 'sw-tag', text: 'Sweep trial' }), this.noteText,
      h('button', { type: 'button', class: 'btn', text: '← Back to Tuning', on: { click: () => this.host.showTab('tune') } }),
      h('button', { type: 'button', class: 'btn icon', text: '×', attrs: { 'aria-label': 'Dismiss the note' }, on: { click: () => { this.note.hidden = true; } } }));
    const head = document.querySelector('.stage-head');
    if (head) head.after(this.note); else document.body.append(this.note);
  }

  // ------------------------------------------------------------ show / URL

  /** Another scenario was loaded in the Lab: the trial note no longer applies. */
  hideTrialNote() {
    this.note.hidden = true;
  }

  show(hash) {
    if (hash !== undefined) this.loadHash(hash);
    this.renderResults();
    this.writeUrl();
  }

  hide() {
    this.heatTip.hidden = true;
    this.paretoTip.hidden = true;
  }

  loadHash(hash) {
    const params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
    const problems = [];
    if (params.has('metric') && METRIC_BY_ID.has(params.get('metric'))) { this.metric = METRIC_BY_ID.get(params.get('metric')); }
    if (params.has('target')) {
      const x = Number(params.get('target'));
      if (Number.isFinite(x) && x >= 0) this.target = x; else problems.push(`target=${params.get('target').slice(0, 40)} is not a number ≥ 0`);
    }
    if (params.has('sweep')) {
      let spec = null;
      try {
        spec = JSON.parse(fromBase64Url(params.get('sweep')));
      } catch (e) {
        problems.push(`the sweep in the link could not be read (${String(e.message).replace('the scenario', 'it')}); the link may be truncated`);
      }
      if (spec !== null) {
        const c = spec && typeof spec === 'object' && !Array.isArray(spec) ? validateSpec(spec) : { problems: ['the sweep in the link is not a JSON object'] };
        if (c.problems.length) problems.push('the sweep in the link is invalid:', ...c.problems);
        else {
          this.setSpec(spec, c);
          this.results = null;
          if (params.has('results')) {
            const r = decodeResults(params.get('results'), c.grid, c.name, spec.trials);
            if (r.problems.length) problems.push(...r.problems);
            else this.results = makeResults(spec, c, r.results, r.representative, null);
          }
        }
      }
    }
    this.metricSel.value = this.metric.id;
    this.targetInput.value = String(this.target);
    this.linkProblems = problems;
    clear(this.linkErr);
    if (problems.length) {
      this.linkErr.append(h('span', { class: 'msg', text: `This link could not be fully restored; keeping the ${params.has('sweep') ? 'previous' : 'current'} spec.\n${problems.slice(0, 30).join('\n')}` }),
        h('button', { type: 'button', class: 'btn', text: 'Dismiss', on: { click: () => { this.linkErr.hidden = true; } } }));
    }
    this.linkErr.hidden = problems.length === 0;
  }

  hashFor({ withResults = true } = {}) {
    const p = new URLSearchParams();
    p.set('sweep', toBase64Url(JSON.stringify(this.spec)));
    if (withResults && this.results && !this.isStale()) {
      const enc = encodeResults(this.results);
      if (enc.length <= URL_RESULTS_MAX) p.set('results', enc);
    }
    if (this.metric !== METRICS[0]) p.set('metric', this.metric.id);
    if (this.target !== DEFAULT_TARGET) p.set('target', String(this.target));
    return `#${p.toString()}`;
  }

  writeUrl() {
    clearTimeout(this.urlTimer);
    this.urlTimer = setTimeout(() => {
      if (this.view.hidden) return;
      this.host.setHash(this.hashFor());
    }, 150);
  }

  copyLink() {
    const url = location.href.split('#')[0] + this.hashFor();
    const fits = !this.results || this.isStale() || url.includes('results=');
    copyText(url, fits ? 'Link copied' : 'Link copied (the spec only: the results are too large for a link — use Export)');
  }

  // ------------------------------------------------------------ spec

  setSpec(spec, check = validateSpec(spec)) {
    this.spec = spec;
    this.check = check;
    this.editor.setSpec(spec);
    this.renderSpecState();
  }

  onSpecChanged() {
    this.check = validateSpec(this.spec);
    this.renderSpecState();
    this.renderStale();
    this.writeUrl();
  }

  renderSpecState() {
    const problems = this.check.problems;
    fillErrorList(this.errors, problems, 40);
    this.runBtn.disabled = problems.length > 0 || !!this.job;
    this.runBtn.title = problems.length ? 'Fix the spec first (see the problems listed)' : `Run ${(this.check.total ?? 0).toLocaleString('en-US')} simulations in a worker`;
  }

  isStale() {
    return !!this.results && this.results.specKey !== stableJson(this.spec);
  }

  renderStale() {
    const stale = this.isStale();
    this.stale.hidden = !stale;
    this.stale.textContent = stale ? 'The spec has changed since these results were computed: they are for the previous spec (clicking still opens its trials). Run again to update.' : '';
  }

  // ------------------------------------------------------------ run

  run() {
    if (this.check.problems.length || this.job) return;
    const spec = deepClone(this.spec);
    const check = this.check;
    const worker = new Worker(new URL('./sweep-worker.js', import.meta.url), { type: 'module' });
    const job = { worker, id: Date.now(), spec, check, started: performance.now(), done: 0, total: check.total };
    this.job = job;
    worker.onmessage = (e) => this.onWorker(job, e.data);
    worker.onerror = (e) => { e.preventDefault?.(); this.finishJob(job, `the worker failed: ${e.message ?? 'unknown error'}`); };
    worker.postMessage({ type: 'run', id: job.id, spec });
    this.runBtn.disabled = true;
    this.cancelBtn.disabled = false;
    this.view.dataset.running = '1';
    delete this.bar.dataset.state;
    this.progress(0, check.total, 0);
    this.tick = setInterval(() => this.progress(job.done, job.total, (performance.now() - job.started) / 1000), 250);
  }

  progress(done, total, elapsed, suffix = '') {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
    this.barFill.style.width = `${total > 0 ? (done / total) * 100 : 0}%`;
    this.bar.setAttribute('aria-valuenow', String(pct));
    this.bar.setAttribute('aria-valuetext', `${done} of ${total} simulations`);
    this.bar.dataset.done = String(done);
    this.bar.dataset.total = String(total);
    this.status.textContent = `${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} trials · ${elapsed.toFixed(1)} s${suffix}`;
  }

  onWorker(job, msg) {
    if (job !== this.job || msg.id !== job.id) return;
    if (msg.type === 'progress') {
      job.done = msg.done; job.total = msg.total;
      this.progress(msg.done, msg.total, msg.elapsed);
    } else if (msg.type === 'done') {
      job.done = msg.total;
      const results = makeResults(job.spec, job.check, msg.result, msg.representative, { elapsed: msg.elapsed, computeSeconds: msg.computeSeconds });
      this.results = results;
      this.finishJob(job, null, msg);
      this.selected = -1;
      this.renderResults();
      this.writeUrl();
      window.__sweepPerf = { elapsed: msg.elapsed, computeSeconds: msg.computeSeconds, total: msg.total };
    } else if (msg.type === 'error') {
      this.finishJob(job, msg.message);
    }
  }

  /** Stops the worker of the current job and puts the controls back. */
  stopJob(job) {
    clearInterval(this.tick);
    job.worker.terminate();
    this.job = null;
    delete this.view.dataset.running;
    this.cancelBtn.disabled = true;
    this.renderSpecState();
  }

  finishJob(job, error, msg) {
    if (this.job !== job) return;
    this.stopJob(job);
    if (error) {
      this.progress(job.done, job.total, (performance.now() - job.started) / 1000, ' · failed');
      fillErrorList(this.errors, String(error).split('\n'));
    } else if (msg) {
      this.progress(msg.total, msg.total, msg.elapsed, ` · done (${(msg.total / Math.max(msg.elapsed, 1e-3)).toFixed(0)} trials/s)`);
      this.bar.dataset.state = 'done';
    }
  }

  cancel() {
    const job = this.job;
    if (!job) return;
    this.stopJob(job);
    this.bar.dataset.state = 'cancelled';
    this.progress(job.done, job.total, (performance.now() - job.started) / 1000, ' · cancelled');
    toast('Sweep cancelled: the previous results (if any) are kept.');
  }

  // ------------------------------------------------------------ results

  renderResults() {
    const R = this.results;
    this.renderStale();
    this.empty.hidden = !!R;
    this.resultsBody.hidden = !R;
    if (!R) {
      clear(this.empty);
      this.empty.append(
        h('h2', { text: 'Results' }),
        h('p', { text: 'Run the sweep to see, for every setting in the grid: how fast truly failed agents are marked unreachable (detection p99), how many healthy-but-slow agents are marked by mistake (false unreachable per 1,000 restarts), the tasks that costs, and how long faulty agents sit in limbo without offers.' }),
        h('p', { class: 'muted', text: 'The default is sweeps/reregister-vs-ping.json at 20 trials per setting (a few seconds here). Click any cell, point or row afterwards to watch one of its trials in the Lab.' }));
      return;
    }
    this.renderCharts();
    this.renderTable();
  }

  /** Marks: the Mesos defaults, the Lab's current setting, the recommendation, the selection. */
  marks() {
    const R = this.results;
    const lab = this.labSetting();
    const defaults = new Set(), current = new Set();
    R.settings.forEach((s, i) => {
      if (isMesosDefault(s)) defaults.add(i);
      if (lab && sameSetting(s, lab)) current.add(i);
    });
    const rec = recommend(R.result.points, this.target);
    return { defaults, current, recommended: rec.best, rec, selected: this.selected };
  }

  labSetting() {
    const lab = this.host.labSetting();
    if (!lab) return null;
    const m = lab.master ?? {};
    const rr = parseDuration(m.agent_reregister_timeout ?? '10mins'), ping = parseDuration(m.agent_ping_timeout ?? '15secs');
    return { rr, ping, max: m.max_agent_ping_timeouts ?? 5, policy: lab.policy };
  }

  renderCharts() {
    const R = this.results;
    if (!R || this.view.hidden) return;
    const marks = this.marks();
    const items = R.result.points.map((p, i) => ({ i, setting: R.settings[i], metrics: p.metrics, trials: p.trials }));
    // facets: all side by side up to four, else one at a time
    const facets = [...new Map(R.settings.map((s) => { const f = facetOf(s); return [f.key, f.label]; })).entries()];
    if (facets.length > 4) {
      const keep = this.facetSel.value;
      clear(this.facetSel);
      for (const [k, label] of facets) this.facetSel.append(h('option', { value: k, text: label }));
      this.facetSel.value = facets.some(([k]) => k === keep) ? keep : facets[0][0];
      this.facetSel.hidden = false;
    } else this.facetSel.hidden = true;
    this.heatmap.set({ items, metric: this.metric, marks, facetFilter: this.facetSel.hidden ? null : this.facetSel.value });
    const front = paretoFront(items.filter((p) => p.trials > 0).map((p) => ({ i: p.i, x: effectiveP99(p.metrics), y: p.metrics.false_unreachable_per_1000_restarts })));
    this.front = front;
    this.pareto.set({
      items: items.map((p) => ({ ...p, x: effectiveP99(p.metrics), y: p.metrics.false_unreachable_per_1000_restarts })),
      front, marks, target: this.target, height: Math.max(240, Math.min(330, this.heatCanvas.clientHeight || 300)),
    });
    this.renderParetoLegend(R, marks);
    this.renderRecommendation(R, marks);
    this.markTableRows(marks);
  }

  redraw() {
    if (this.results) this.renderCharts();
    this.editor.previews.forEach((p) => p.draw());
  }

  renderParetoLegend(R, marks) {
    const policies = [...new Set(R.settings.map((s) => s.policy))];
    const items = policies.map((p) => {
      const g = h('span', { class: 'glyph', text: POLICY_GLYPH[policyShape(p)] });
      g.style.color = policyColor(p);
      return h('span', { class: 'item' }, g, p);
    });
    this.paretoLegend.replaceChildren(...items,
      h('span', { class: 'item' }, h('span', { class: 'glyph', text: '━' }), `Pareto front: ${this.front?.size ?? 0} of ${R.settings.length} settings (filled)`),
      ...this.markKeys(marks, 'pareto'));
    this.heatLegend.replaceChildren(...this.markKeys(marks, 'heat'));
  }

  /** Legend entries for the marks (and what is not in the grid). */
  markKeys(marks, where) {
    const out = [];
    const key = (glyph, text, cls = '') => h('span', { class: `item ${cls}` }, h('span', { class: 'glyph', text: glyph }), text);
    if (where === 'heat') {
      if (this.heatmap.items?.some((p) => this.metric.get(p.metrics) === Infinity)) out.push(h('span', { class: 'item' }, h('i', { class: 'sw-never' }), 'never: over 1% of truly failed agents not marked by the horizon'));
      out.push(key('★', 'recommended (outlined)'));
    } else out.push(key('★', 'recommended'));
    const same = marks.defaults.size && [...marks.defaults].every((i) => marks.current.has(i));
    if (marks.defaults.size) out.push(key('◯', same ? 'Mesos default = the Lab\'s setting' : 'Mesos default (10mins, 15secs × 5, mesos-1.2)'));
    if (marks.current.size && !same) out.push(key('◌', 'the Lab\'s setting'));
    const none = [];
    if (!marks.defaults.size) none.push('the Mesos default (10mins, 15secs × 5, mesos-1.2)');
    if (!marks.current.size) { const l = this.labSetting(); if (l) none.push(`the Lab's setting (${human(l.rr)}, ${human(l.ping)} × ${l.max}, ${l.policy})`); }
    if (none.length && where === 'pareto') out.push(h('span', { class: 'item', text: `Not in the grid: ${none.join('; ')}.` }));
    return out;
  }

  renderRecommendation(R, marks) {
    const { rec } = marks;
    const rows = [];
    this.rec.dataset.point = String(rec.best);
    if (rec.best >= 0) {
      const p = R.result.points[rec.best], s = R.settings[rec.best], m = p.metrics;
      rows.push(h('div', { class: 'sw-rec-main' },
        h('span', { class: 'star', text: '★' }),
        h('b', { class: 'sw-rec-setting', text: describeSetting(s) }),
        isMesosDefault(s) ? h('span', { class: 'badge k-good', text: 'the Mesos default' }) : null,
        h('button', { type: 'button', class: 'btn', id: 'sw-rec-open', text: 'Watch a trial', on: { click: () => this.openPoint(rec.best) } })));
      rows.push(h('div', { class: 'sw-rec-nums', text:
        `Detection p99 ${fmtMetric('duration', effectiveP99(m))} (p50 ${human(m.detection_ms.p50)}; ${m.undetected} of ${m.truly_failed} truly failed never marked) · `
        + `${fmtMetric('rate', m.false_unreachable_per_1000_restarts)} false unreachable per 1,000 restarts (${m.false_unreachable_restarts} of ${m.transient_restarts} restarts; ${m.false_unreachable} false in all) · `
        + `${m.tasks_lost_needlessly} tasks lost needlessly · limbo p99 ${human(m.limbo_ms.p99)} · ${plural(rec.met, 'setting')} of ${R.result.points.length} meet the target.`
        + (rec.ties.length ? ` Tied on both numbers with ${plural(rec.ties.length, 'other setting')} (e.g. ${describeSetting(R.settings[rec.ties[0]])}); ties go to fewer tasks lost needlessly.` : '') }));
    } else {
      const c = rec.closest >= 0 ? R.result.points[rec.closest] : null;
      rows.push(h('div', { class: 'sw-rec-none', text: c
        ? `No setting in this grid meets it: the fewest false unreachable is ${fmtMetric('rate', c.metrics.false_unreachable_per_1000_restarts)} per 1,000 restarts (${describeSetting(R.settings[rec.closest])}). Raise the target, or add longer agent_reregister_timeout values (or mesos-1.2) to the grid.`
        : 'No setting has results to judge (no restarts in the workload?).' }));
    }
    this.rec.replaceChildren(...rows);
  }

  renderTable() {
    const R = this.results;
    const others = [...new Set(R.settings.flatMap((s) => s.others.map(([k]) => k)))];
    const th = (text, title) => h('th', { scope: 'col', text, title });
    const head = h('tr', {},
      th('re-register', 'master.agent_reregister_timeout'), th('ping × max', 'agent_ping_timeout × max_agent_ping_timeouts'), th('policy'),
      ...others.map((k) => th(k)), th('trials'),
      th('detect p50', 'detection time, median'), th('detect p99', 'detection time, 99th percentile (never: more than 1% undetected)'), th('undetected', 'truly failed agents never marked by the horizon'),
      th('false unr.', 'agents marked unreachable that came back by themselves'), th('/1,000 restarts', 'false unreachable per 1,000 restarts'),
      th('tasks lost', 'tasks lost needlessly'), th('limbo p99', 'time faulty agents sat disconnected before re-registering or being marked'), th('', 'recommended, on the Pareto front, Mesos default, the Lab\'s setting'), h('th', { scope: 'col' }, h('span', { class: 'sr-only', text: 'open' })));
    const body = h('tbody');
    this.rows = R.result.points.map((p, i) => {
      const s = R.settings[i], m = p.metrics;
      const open = h('button', { type: 'button', class: 'btn sw-open', text: 'Watch', attrs: { 'aria-label': `Watch a trial of ${describeSetting(s)} in the Lab` }, on: { click: (e) => { e.stopPropagation(); this.openPoint(i); } } });
      const pol = h('span', { class: 'glyph', text: POLICY_GLYPH[policyShape(s.policy)] });
      pol.style.color = policyColor(s.policy);
      const tr = h('tr', { dataset: { point: String(i) }, on: { click: () => this.openPoint(i) } },
        h('td', { class: 'mono', text: s.rrText }),
        h('td', { class: 'mono', text: `${s.pingText} × ${s.max}`, title: human(s.total) }),
        h('td', {}, pol, ` ${s.policy}`),
        ...others.map((k) => { const v = s.others.find(([kk]) => kk === k)?.[1]; return h('td', { class: 'mono', text: v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v) }); }),
        h('td', { class: 'num', text: String(p.trials) }),
        h('td', { class: 'num', text: human(m.detection_ms.p50) }),
        h('td', { class: 'num', text: fmtMetric('duration', effectiveP99(m)) }),
        h('td', { class: 'num', text: String(m.undetected) }),
        h('td', { class: 'num', text: String(m.false_unreachable) }),
        h('td', { class: 'num', text: fmtMetric('rate', m.false_unreachable_per_1000_restarts) }),
        h('td', { class: 'num', text: String(m.tasks_lost_needlessly) }),
        h('td', { class: 'num', text: human(m.limbo_ms.p99) }),
        h('td', { class: 'tags' }),
        h('td', {}, open));
      body.append(tr);
      return tr;
    });
    this.table.replaceChildren(h('thead', {}, head), body);
    document.getElementById('sw-table-count').textContent = `${plural(R.result.points.length, 'setting')} × ${R.spec.trials} trials${R.elapsed ? ` · ran in ${R.elapsed.toFixed(1)} s` : ''}`;
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
    const R = this.results;
    if (!R) return '';
    const p = R.result.points[i], s = R.settings[i], m = p.metrics;
    const marks = this.marks();
    const tags = [marks.recommended === i ? '★ recommended' : '', this.front?.has(i) ? 'Pareto front' : '', marks.defaults.has(i) ? 'Mesos default' : '', marks.current.has(i) ? 'Lab setting' : ''].filter(Boolean);
    return `${describeSetting(s)}${tags.length ? `  [${tags.join(', ')}]` : ''}\n`
      + `detection p99 ${fmtMetric('duration', effectiveP99(m))} · p50 ${human(m.detection_ms.p50)} · undetected ${m.undetected}/${m.truly_failed}\n`
      + `false unreachable ${m.false_unreachable} (${fmtMetric('rate', m.false_unreachable_per_1000_restarts)} / 1,000 restarts) · tasks lost ${m.tasks_lost_needlessly} · limbo p99 ${human(m.limbo_ms.p99)}\n`
      + `${p.trials} trials · click or Enter: watch a trial`;
  }

  // ------------------------------------------------------------ opening a trial

  async openPoint(i) {
    const R = this.results;
    if (!R || i < 0 || i >= R.result.points.length) return;
    this.selected = i;
    this.renderCharts();
    let trial = R.representative?.[i];
    let why = 'representative';
    try {
      if (trial === undefined || trial === null) {
        toast('Finding a representative trial…');
        trial = await representativeTrial(R.spec, R.result.points[i].params);
        R.representative ??= new Array(R.result.points.length).fill(null);
        R.representative[i] = trial;
      }
    } catch (e) {
      toast(`Could not find a representative trial: ${errorLines(e)[0]}`);
      trial = 0; why = 'first';
    }
    let scenario;
    try { scenario = trialScenario(R.spec, i, trial); } catch (e) { toast(`Could not open the trial: ${errorLines(e)[0]}`); return; }
    const s = R.settings[i];
    const m = R.result.points[i].metrics;
    const focus = trialFocus(scenario);
    scenario.name = `Sweep trial ${trial}: ${describeSetting(s)}`;
    scenario.description = `Trial ${trial} (of 0–${R.spec.trials - 1}) of the sweep “${R.spec.name ?? ''}”, at grid point ${i}: ${describeSetting(s)}. `
      + `Chosen as the ${why} trial of this setting: ${m.false_unreachable > 0 ? 'the first with a false unreachable' : m.detection_ms.n > 0 ? 'the first with a detection' : 'trial 0'}. `
      + `Every agent's faults are drawn from the workload; the Fault script lists them.`;
    const ok = this.host.openScenario(scenario, { t: focus.t, agent: focus.agent, speed: focus.speed });
    if (!ok) return;
    this.noteText.textContent = `Trial ${trial} at ${describeSetting(s)}: ${focus.words}`;
    this.note.hidden = false;
    this.note.dataset.point = String(i);
    this.note.dataset.trial = String(trial);
  }

  /** A file from the Import dialog, checked: replaces the spec and the results. */
  loadFile(spec, check, results) {
    this.cancel();
    this.setSpec(spec, check);
    this.results = results;
    this.selected = -1;
    this.linkErr.hidden = true;
    this.renderResults();
    this.writeUrl();
  }
}
