// The Tuning tab: edit a sweep spec, run it in a Web Worker (progress, cancel), and read the
// results — a heatmap per policy (agent_reregister_timeout × total ping timeout) coloured by a
// chosen metric, a Pareto chart (detection p99 vs false unreachable per 1,000 restarts), a
// recommendation for a target, and a table. Any result opens its representative trial in the
// Lab, animated. The spec (and results) round-trip through JSON export/import and the URL.
import { Sweep, sampleLength, Simulation } from '../../pkg/liveness.js';
import { deepClone, stableJson, toBase64Url, fromBase64Url, clock, safeFileName, plural, errorText } from '../util.js';
import { h, clear, fillErrorList, download, readPickedFile } from '../dom.js';
import { parseDuration } from '../duration.js';
import { toast, copyText } from '../notices.js';
import { describeFault } from '../describe.js';
import {
  defaultSpec, settingOf, describeSetting, isMesosDefault, sameSetting, effectiveP99, METRICS, METRIC_BY_ID, fmtMetric,
  paretoFront, recommend, checkResults, splitImport, exportFile, encodeResults, decodeResults, resultsCsv, singlePointSpec,
  human, facetOf,
} from './sweep-model.js';
import { Heatmap, Pareto, policyColor, policyShape, POLICY_GLYPH } from './sweep-plots.js';
import { SpecEditor } from './sweep-editor.js';

const DEFAULT_TARGET = 50;
const URL_RESULTS_MAX = 16000; // characters of base64url; larger results go through export only
const NICE_SPEEDS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600];

/** True for the hashes this tab owns: #tune, #sweep=… */
export function isTuneHash(hash) {
  const raw = String(hash ?? '').replace(/^#/, '');
  return raw === 'tune' || raw.startsWith('tune&') || raw.startsWith('sweep=');
}

function errorLines(e) {
  return errorText(e).split('\n').filter(Boolean);
}

/** Validates a spec with the engine; returns { problems, keys, grid, name, total }. */
function validate(spec) {
  let sw;
  try {
    sw = new Sweep(spec);
  } catch (e) {
    return { problems: errorLines(e) };
  }
  try {
    const r = sw.result();
    return { problems: [], keys: sw.keys(), grid: r.points.map((p) => p.params), name: r.name, total: sw.total };
  } catch (e) {
    return { problems: errorLines(e) };
  } finally {
    sw.free();
  }
}

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
    this.check = validate(this.spec);
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
        h('button', { type: 'button', class: 'btn', id: 'sw-import', text: 'Import', title: 'Load a sweep spec (and results) from JSON', on: { click: () => this.openImport() } }),
        h('button', { type: 'button', class: 'btn', id: 'sw-export', text: 'Export', title: 'The spec and its results as JSON, or the results as CSV', on: { click: () => this.openExport() } }),
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
    this.buildDialogs();
    this.buildNote();
  }

  buildDialogs() {
    this.exportText = h('textarea', { id: 'sw-export-text', readOnly: true, spellcheck: false, attrs: { 'aria-label': 'Sweep JSON' } });
    this.exportInfo = h('span', { id: 'sw-export-info' });
    this.exportDialog = h('dialog', { id: 'sw-export-dialog', attrs: { 'aria-labelledby': 'sw-export-h' } },
      h('h2', { id: 'sw-export-h', text: 'Export the sweep' }),
      h('p', { class: 'muted lead' }, 'The spec (for ', h('code', { text: 'liveness sweep spec.json' }), ') and, when they match it, its results. ', this.exportInfo),
      this.exportText,
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'btn', text: 'Copy', on: { click: () => copyText(this.exportText.value, 'Sweep JSON copied') } }),
        h('button', { type: 'button', class: 'btn', text: 'Download sweep.json', on: { click: () => download(`${safeFileName(this.spec.name, 'sweep')}.json`, this.exportText.value, 'application/json') } }),
        h('button', { type: 'button', class: 'btn', id: 'sw-export-csv', text: 'Download results.csv', on: { click: () => this.downloadCsv() } }),
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'btn primary', text: 'Close', dataset: { close: '' } })));
    this.importText = h('textarea', { id: 'sw-import-text', spellcheck: false, attrs: { 'aria-label': 'Sweep JSON' }, placeholder: '{ "spec": { … }, "results": { … } }  or a bare spec' });
    this.importErrors = h('ul', { class: 'errors', id: 'sw-import-errors', attrs: { role: 'alert' }, hidden: true });
    const file = h('input', { type: 'file', accept: '.json,application/json', attrs: { 'aria-label': 'Sweep JSON file' } });
    file.addEventListener('change', () => readPickedFile(file, this.importText, (e) => fillErrorList(this.importErrors, e)));
    this.importDialog = h('dialog', { id: 'sw-import-dialog', attrs: { 'aria-labelledby': 'sw-import-h' } },
      h('h2', { id: 'sw-import-h', text: 'Import a sweep' }),
      h('p', { class: 'muted lead', text: 'A sweep spec (the CLI\'s), or a file exported here with its results. Pick a file or paste it below.' }),
      h('div', { class: 'row first' }, file),
      this.importText, this.importErrors,
      h('div', { class: 'row' }, h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'btn', text: 'Cancel', dataset: { close: '' } }),
        h('button', { type: 'button', class: 'btn primary', id: 'sw-import-go', text: 'Load sweep', on: { click: () => this.doImport() } })));
    for (const d of [this.exportDialog, this.importDialog]) {
      d.addEventListener('click', (e) => { if (e.target.closest('[data-close]')) d.close(); });
      document.body.append(d);
    }
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
        const c = spec && typeof spec === 'object' && !Array.isArray(spec) ? validate(spec) : { problems: ['the sweep in the link is not a JSON object'] };
        if (c.problems.length) problems.push('the sweep in the link is invalid:', ...c.problems);
        else {
          this.setSpec(spec, c);
          this.results = null;
          if (params.has('results')) {
            const r = decodeResults(params.get('results'), c.grid, c.name, spec.trials);
            if (r.problems.length) problems.push(...r.problems);
            else this.results = this.makeResults(spec, c, r.results, r.representative, null);
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

  setSpec(spec, check = validate(spec)) {
    this.spec = spec;
    this.check = check;
    this.editor.setSpec(spec);
    this.renderSpecState();
  }

  onSpecChanged() {
    this.check = validate(this.spec);
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
      const results = this.makeResults(job.spec, job.check, msg.result, msg.representative, { elapsed: msg.elapsed, computeSeconds: msg.computeSeconds });
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

  makeResults(spec, check, result, representative, timing) {
    return {
      spec: deepClone(spec), specKey: stableJson(spec), keys: check.keys, grid: check.grid, result, representative: representative ?? null,
      elapsed: timing?.elapsed ?? null, computeSeconds: timing?.computeSeconds ?? null,
      settings: result.points.map((p) => settingOf(spec, p.params)),
    };
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
        trial = await this.representativeFor(R, i);
        R.representative ??= new Array(R.result.points.length).fill(null);
        R.representative[i] = trial;
      }
    } catch (e) {
      toast(`Could not find a representative trial: ${errorLines(e)[0]}`);
      trial = 0; why = 'first';
    }
    let scenario;
    const sw = new Sweep(R.spec);
    try { scenario = sw.trialScenario(i, trial); } catch (e) { toast(`Could not open the trial: ${errorLines(e)[0]}`); return; } finally { sw.free(); }
    const s = R.settings[i];
    const m = R.result.points[i].metrics;
    const focus = this.focusOf(scenario);
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

  /** The representative trial of point i for results without one (imported): a one-point run. */
  representativeFor(R, i) {
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./sweep-worker.js', import.meta.url), { type: 'module' });
      const id = Date.now();
      worker.onmessage = (e) => {
        const msg = e.data;
        if (msg.id !== id) return;
        if (msg.type === 'representative') { worker.terminate(); resolve(msg.trial); }
        if (msg.type === 'error') { worker.terminate(); reject(new Error(msg.message)); }
      };
      worker.onerror = (e) => { worker.terminate(); reject(new Error(e.message ?? 'worker failed')); };
      worker.postMessage({ type: 'representative', id, spec: singlePointSpec(R.spec, R.result.points[i].params) });
    });
  }

  /**
   * Where to look in a trial: the first agent marked unreachable that would have come back by
   * itself (a false unreachable), else the first one marked, else the first fault. Runs the
   * trial once with a streaming trace (no message events).
   */
  focusOf(scenario) {
    const faults = (scenario.faults ?? []).map((f) => ({ f, at: parseDuration(f.at) })).sort((a, b) => a.at - b.at);
    const verdicts = [];
    let sim;
    try {
      sim = new Simulation(scenario, { trace: 'streaming' });
      const dur = sim.duration;
      const step = Math.max(60000, dur / 200);
      for (let t = 0; t < dur && verdicts.length < 500;) {
        t = Math.min(dur, t + step);
        sim.advanceTo(t);
        for (const e of sim.drainEvents({ messages: false })) if (e.event === 'agent_marked_unreachable') verdicts.push(e);
      }
    } catch { /* fall back to the first fault */ } finally { sim?.free(); }
    const episodeOf = (v) => {
      let best = null;
      for (const x of faults) if (x.at <= v.t && Array.isArray(x.f.agents) && x.f.agents.includes(v.agent) && x.f.kind !== 'heal') best = x;
      return best;
    };
    const transient = (x) => x && ((x.f.kind === 'restart_agent' && x.f.recovery !== 'hang') || x.f.kind === 'partition');
    const judged = verdicts.map((v) => ({ v, ep: episodeOf(v) }));
    const pick = judged.find((j) => transient(j.ep)) ?? judged[0];
    if (!pick) {
      const first = faults[0];
      return first
        ? { t: Math.max(0, first.at - 5000), agent: first.f.agents?.[0], speed: 30, words: `Nothing is marked unreachable in this trial. Starting just before the first fault: ${describeFault(first.f)}.` }
        : { t: 0, speed: 30, words: 'This trial has no faults.' };
    }
    const { v, ep } = pick;
    const start = ep ? ep.at : Math.max(0, v.t - 60000);
    const wait = v.t - start;
    const speed = NICE_SPEEDS.find((x) => wait / x <= 10000) ?? 600;
    const isFalse = transient(ep);
    const words = `${ep ? describeFault(ep.f) : v.agent}, marked unreachable at ${clock(v.t)} — ${isFalse
      ? 'a false unreachable (it would have come back by itself)'
      : `a true failure, detected after ${human(wait)}`}. Playing at ${speed}×.`;
    return { t: Math.max(0, start - 5000), agent: v.agent, speed, words };
  }

  // ------------------------------------------------------------ export / import

  openExport() {
    const R = this.results && !this.isStale() ? this.results : null;
    this.exportText.value = JSON.stringify(exportFile(this.spec, R), null, 2);
    this.exportInfo.textContent = R ? `Results included (${plural(R.result.points.length, 'setting')}).`
      : this.results ? 'Results not included: the spec changed since the run.' : 'No results yet: the spec only.';
    this.exportDialog.querySelector('#sw-export-csv').disabled = !R;
    if (!this.exportDialog.open) this.exportDialog.showModal();
  }

  downloadCsv() {
    const R = this.results;
    if (!R) return;
    download(`${safeFileName(R.spec.name, 'sweep')}.csv`, resultsCsv(R.keys, R.result), 'text/csv');
  }

  openImport() {
    fillErrorList(this.importErrors, []);
    if (!this.importDialog.open) this.importDialog.showModal();
    this.importText.focus();
  }

  /** Loads JSON text; returns problem lines (empty on success; the current spec is kept otherwise). */
  importText_(text) {
    let obj;
    try { obj = JSON.parse(text); } catch (e) { return [`not valid JSON: ${e.message}`]; }
    const parts = splitImport(obj);
    if (parts.problems.length) return parts.problems;
    const c = validate(parts.spec);
    if (c.problems.length) return c.problems.map((p) => (obj.spec ? `spec.${p}` : p));
    let results = null;
    if (parts.results !== null && parts.results !== undefined) {
      const r = checkResults(parts.results, c.grid, parts.spec.trials, parts.representative);
      if (r.problems.length) return r.problems;
      results = this.makeResults(parts.spec, c, r.results, r.representative, typeof obj.browser_seconds === 'number' ? { elapsed: obj.browser_seconds } : null);
    }
    this.cancel();
    this.setSpec(parts.spec, c);
    this.results = results;
    this.selected = -1;
    this.linkErr.hidden = true;
    this.renderResults();
    this.writeUrl();
    return [];
  }

  doImport() {
    const problems = this.importText_(this.importText.value);
    fillErrorList(this.importErrors, problems);
    if (!problems.length) {
      this.importDialog.close();
      toast(`Loaded “${String(this.spec.name ?? 'sweep').slice(0, 60)}”${this.results ? ' with its results' : ''}`);
    }
  }
}
