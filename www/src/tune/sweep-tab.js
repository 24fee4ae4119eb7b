// The Tuning tab: edit a sweep spec (sweep-editor.js), run it in a Web Worker (an estimate
// before, progress and time left during, partial results kept on Cancel), and read the results
// (sweep-results.js): heatmaps of any metric, the Pareto chart of the objective against its
// first bound, the engine's recommendation and a table. Any result opens its representative
// trial in the Lab, animated. The spec, the files it names and the results round-trip through
// JSON export/import and the URL.
import { sampleLength } from '../../pkg/liveness_sweep.js';
import { deepClone, toBase64Url, fromBase64Url, plural } from '../util.js';
import { h, clear, fillErrorList } from '../dom.js';
import { parseDuration } from '../duration.js';
import { toast, copyText } from '../notices.js';
import { defaultSpec, describeSetting, encodeResults, decodeResults, makeResults, trialsKey, agentDays, human } from './sweep-model.js';
import { validateSpec, errorLines, trialScenario, trialFocus, representativeTrial, catalogue, withRecommendation } from './sweep-engine.js';
import { SweepFiles } from './sweep-files.js';
import { SpecEditor } from './sweep-editor.js';
import { ResultsView } from './sweep-results.js';

const URL_RESULTS_MAX = 16000; // characters of base64url; larger results go through export only
const URL_FILES_MAX = 24000; // the same for uploaded files
/** Agent-days per second assumed before a run here measured it (a busy laptop's worker). */
const ASSUMED_RATE = 20000;
/** How long a cancelled worker may take to hand over its partial results. */
const CANCEL_GRACE_MS = 3000;

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
    this.catalogue = catalogue();
    this.defaultObjective = withRecommendation({}, { points: [] }).objective;
    this.files = {};
    this.spec = defaultSpec();
    this.check = validateSpec(this.spec);
    this.results = null; // see makeResults
    this.job = null;
    this.rate = null; // agent-days per second measured by the last run here
    this.linkProblems = [];
    this.build();
    this.editor.setSpec(this.spec);
    this.renderSpecState();
    this.renderResults();
    new MutationObserver(() => { if (!this.view.hidden) this.redraw(); })
      .observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    this.ro = new ResizeObserver(() => { if (!this.view.hidden) this.redraw(); });
    this.ro.observe(this.resultsView.heatHost);
    this.ro.observe(this.resultsView.paretoHost);
  }

  // ------------------------------------------------------------ DOM

  build() {
    const v = this.view;
    clear(v);
    this.editorHost = h('div', { class: 'sw-editor' });
    this.blocked = h('p', { class: 'sw-blocked', id: 'sw-blocked', attrs: { role: 'alert' }, hidden: true });
    this.errors = h('ul', { class: 'errors sw-errors', id: 'sw-errors', hidden: true });
    this.warnings = h('ul', { class: 'sw-warnings', id: 'sw-warnings', attrs: { role: 'status', 'aria-label': 'Values Mesos would refuse' }, hidden: true });
    this.linkErr = h('div', { class: 'banner sw-linkerr', attrs: { role: 'alert' }, hidden: true });
    this.runBtn = h('button', { type: 'button', class: 'btn primary', id: 'sw-run', text: '▶ Run sweep', on: { click: () => this.run() } });
    this.cancelBtn = h('button', { type: 'button', class: 'btn', id: 'sw-cancel', text: 'Cancel', disabled: true, on: { click: () => this.cancel() } });
    this.barFill = h('span');
    this.bar = h('div', { class: 'sw-progress', id: 'sw-progress', attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0', 'aria-label': 'Sweep progress' } }, this.barFill);
    this.status = h('span', { class: 'sw-status', id: 'sw-status', attrs: { 'aria-live': 'polite' } });
    this.estimateEl = h('span', { class: 'sw-estimate', id: 'sw-estimate' });
    const runBar = h('div', { class: 'panel sw-bar' },
      this.runBtn, this.cancelBtn,
      h('div', { class: 'sw-progwrap' }, this.bar, this.status, this.estimateEl),
      h('span', { class: 'group' },
        h('button', { type: 'button', class: 'btn', id: 'sw-import', text: 'Import', title: 'Load a sweep spec (and results) from JSON', on: { click: () => this.filesDialog.openImport() } }),
        h('button', { type: 'button', class: 'btn', id: 'sw-export', text: 'Export', title: 'The spec and its results as JSON, or the results as CSV', on: { click: () => this.filesDialog.openExport() } }),
        h('button', { type: 'button', class: 'btn', id: 'sw-link', text: 'Copy link', title: 'A link that restores this spec (and its results when they fit)', on: { click: () => this.copyLink() } })));
    this.stale = h('div', { class: 'sw-stale', id: 'sw-stale', hidden: true });
    this.partial = h('div', { class: 'sw-stale', id: 'sw-partial', hidden: true });
    this.empty = h('div', { class: 'panel sw-empty', id: 'sw-empty' });
    this.resultsView = new ResultsView({
      results: () => this.results,
      catalogue: this.catalogue,
      labSetting: () => this.host.labSetting(),
      openPoint: (i) => this.openPoint(i),
      metricChanged: () => this.writeUrl(),
    });
    // The e2e tests and the perf probe reach the heatmap here.
    this.heatmap = this.resultsView.heatmap;
    v.append(
      h('aside', { class: 'col sw-left', attrs: { 'aria-label': 'Sweep spec' } }, this.linkErr, this.editorHost),
      h('section', { class: 'col sw-right', attrs: { 'aria-label': 'Sweep run and results' } }, runBar, this.blocked, this.errors, this.warnings, this.stale, this.partial, this.empty, this.resultsView.el));
    this.editor = new SpecEditor(this.editorHost, {
      sampleLength: (len, n, seed) => sampleLength(len, n, seed, this.files),
      files: () => this.files,
      setFile: (name, text) => { this.files = { ...this.files, [name]: text }; },
      catalogue: this.catalogue,
      defaultObjective: this.defaultObjective,
      onChange: () => this.onSpecChanged(),
    });
    this.filesDialog = new SweepFiles({
      spec: () => this.spec,
      files: () => this.files,
      results: () => this.results,
      stale: () => this.isStale(),
      catalogue: () => this.catalogue,
      load: (spec, files, check, results) => this.loadFile(spec, files, check, results),
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
    this.resultsView.heatTip.hidden = true;
    this.resultsView.paretoTip.hidden = true;
  }

  loadHash(hash) {
    const params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
    const problems = [];
    if (params.has('metric') && this.catalogue.some((m) => m.path === params.get('metric'))) this.resultsView.metricPath = params.get('metric');
    let files = {};
    if (params.has('files')) {
      try {
        const f = JSON.parse(fromBase64Url(params.get('files')));
        if (f && typeof f === 'object' && !Array.isArray(f) && Object.values(f).every((t) => typeof t === 'string')) files = f;
        else problems.push('the files in the link are not an object of name → text');
      } catch (e) {
        problems.push(`the files in the link could not be read (${String(e.message).replace('the scenario', 'they')})`);
      }
    }
    if (params.has('sweep')) {
      let spec = null;
      try {
        spec = JSON.parse(fromBase64Url(params.get('sweep')));
      } catch (e) {
        problems.push(`the sweep in the link could not be read (${String(e.message).replace('the scenario', 'it')}); the link may be truncated`);
      }
      if (spec !== null) {
        const c = spec && typeof spec === 'object' && !Array.isArray(spec) ? validateSpec(spec, files) : { problems: ['the sweep in the link is not a JSON object'] };
        if (c.problems.length) problems.push('the sweep in the link is invalid:', ...c.problems);
        else {
          this.files = files;
          this.setSpec(spec, c);
          this.results = null;
          if (params.has('results')) {
            const r = decodeResults(params.get('results'), c.grid, spec.trials, this.catalogue);
            if (r.problems.length) problems.push(...r.problems);
            else {
              const result = { ...withRecommendation(spec, r.results), warnings: c.warnings };
              this.results = makeResults(spec, c, result, r.representative, null, { files, partial: result.points.some((p) => p.trials < spec.trials) });
            }
          }
        }
      }
    }
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
    if (Object.keys(this.files).length) {
      const enc = toBase64Url(JSON.stringify(this.files));
      if (enc.length <= URL_FILES_MAX) p.set('files', enc);
    }
    if (withResults && this.results && !this.isStale()) {
      const enc = encodeResults(this.results, this.catalogue);
      if (enc.length <= URL_RESULTS_MAX) p.set('results', enc);
    }
    if (this.resultsView.metricPath) p.set('metric', this.resultsView.metricPath);
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
    const fits = (!this.results || this.isStale() || url.includes('results=')) && (!Object.keys(this.files).length || url.includes('files='));
    copyText(url, fits ? 'Link copied' : 'Link copied (without what is too large for a link — use Export)');
  }

  // ------------------------------------------------------------ spec

  setSpec(spec, check = validateSpec(spec, this.files)) {
    this.spec = spec;
    this.check = check;
    this.editor.setSpec(spec);
    this.renderSpecState();
  }

  onSpecChanged() {
    this.check = validateSpec(this.spec, this.files);
    this.renderSpecState();
    // A new objective picks among the same points: the engine recommends again.
    const R = this.results;
    if (R && !this.isStale() && JSON.stringify(R.spec.objective) !== JSON.stringify(this.spec.objective)) {
      try {
        R.result = withRecommendation(this.spec, R.result);
        R.spec.objective = deepClone(this.spec.objective);
        this.renderResults();
      } catch { /* an invalid objective: its problem is listed; keep the last recommendation */ }
    }
    this.renderStale();
    this.writeUrl();
  }

  renderSpecState() {
    const { problems, warnings = [] } = this.check;
    const marked = this.editor ? this.editor.markProblems(problems) : 0;
    fillErrorList(this.errors, problems, 40);
    this.blocked.hidden = problems.length === 0;
    this.blocked.textContent = problems.length
      ? `Run is blocked until ${problems.length === 1 ? 'this problem is' : `these ${problems.length} problems are`} fixed${marked ? ` (${plural(marked, 'field')} marked in the editor)` : ''}:`
      : '';
    fillErrorList(this.warnings, warnings.map((w) => `warning: ${w}`), 20);
    this.runBtn.disabled = problems.length > 0 || !!this.job;
    this.runBtn.title = problems.length ? `Fix the spec first: ${problems[0]}` : `Run ${(this.check.total ?? 0).toLocaleString('en-US')} simulations in a worker`;
    this.renderEstimate();
  }

  /** Agent-days of the spec as it is (for the estimate), or null when it is invalid. */
  agentDays() {
    if (this.check.problems.length) return null;
    return agentDays(this.check.grid.length, this.spec.trials, this.editor.agentCount(), parseDuration(this.spec.workload.horizon));
  }

  renderEstimate() {
    if (!this.estimateEl || this.job) return;
    const days = this.agentDays();
    if (days === null) { this.estimateEl.textContent = ''; delete this.estimateEl.dataset.seconds; return; }
    const rate = this.rate ?? ASSUMED_RATE;
    const secs = days / rate;
    this.estimateEl.dataset.seconds = String(secs);
    this.estimateEl.textContent = `Estimate: about ${human(Math.max(1000, secs * 1000))} for ${(this.check.total ?? 0).toLocaleString('en-US')} trials `
      + `(${Math.round(days).toLocaleString('en-US')} agent-days at ${this.rate ? `${Math.round(rate).toLocaleString('en-US')} agent-days/s, measured by the last run here` : `about ${rate.toLocaleString('en-US')} agent-days/s, a guess until a run here measures it`}).`;
  }

  isStale() {
    return !!this.results && this.results.specKey !== trialsKey(this.spec);
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
    const files = { ...this.files };
    const check = this.check;
    const worker = new Worker(new URL('./sweep-worker.js', import.meta.url), { type: 'module' });
    const job = { worker, id: Date.now(), spec, files, check, started: performance.now(), done: 0, total: check.total, days: this.agentDays() };
    this.job = job;
    worker.onmessage = (e) => this.onWorker(job, e.data);
    worker.onerror = (e) => { e.preventDefault?.(); this.finishJob(job, `the worker failed: ${e.message ?? 'unknown error'}`); };
    worker.postMessage({ type: 'run', id: job.id, spec, files });
    this.runBtn.disabled = true;
    this.cancelBtn.disabled = false;
    this.view.dataset.running = '1';
    delete this.bar.dataset.state;
    this.estimateEl.textContent = '';
    this.progress(0, check.total, 0);
    this.tick = setInterval(() => this.progress(job.done, job.total, (performance.now() - job.started) / 1000), 250);
  }

  progress(done, total, elapsed, suffix = null) {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
    this.barFill.style.width = `${total > 0 ? (done / total) * 100 : 0}%`;
    this.bar.setAttribute('aria-valuenow', String(pct));
    this.bar.setAttribute('aria-valuetext', `${done} of ${total} simulations`);
    this.bar.dataset.done = String(done);
    this.bar.dataset.total = String(total);
    // Time left: the rate so far, once there is one.
    let left = '';
    if (suffix === null && done > 0 && done < total && elapsed > 0.2) {
      const secs = (elapsed * (total - done)) / done;
      left = ` · about ${human(Math.max(1000, secs * 1000))} left`;
      this.bar.dataset.eta = String(secs);
    }
    this.status.textContent = `${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} trials · ${elapsed.toFixed(1)} s${left}${suffix ?? ''}`;
  }

  onWorker(job, msg) {
    if (job !== this.job || msg.id !== job.id) return;
    if (msg.type === 'progress') {
      job.done = msg.done; job.total = msg.total;
      this.progress(msg.done, msg.total, msg.elapsed);
    } else if (msg.type === 'done') {
      job.done = msg.done;
      const partial = !!msg.partial;
      if (msg.done > 0) {
        const result = { ...msg.result };
        this.results = makeResults(job.spec, job.check, result, msg.representative, { elapsed: msg.elapsed, computeSeconds: msg.computeSeconds }, { files: job.files, partial });
        this.resultsView.selected = -1;
        if (job.days && msg.computeSeconds > 0) this.rate = (job.days * (msg.done / msg.total)) / msg.computeSeconds;
      }
      this.finishJob(job, null, msg);
      this.renderResults();
      this.writeUrl();
      if (!partial) window.__sweepPerf = { elapsed: msg.elapsed, computeSeconds: msg.computeSeconds, total: msg.total };
    } else if (msg.type === 'error') {
      this.finishJob(job, msg.message);
    }
  }

  /** Stops the worker of the current job and puts the controls back. */
  stopJob(job) {
    clearInterval(this.tick);
    clearTimeout(job.grace);
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
    } else if (msg?.partial) {
      this.bar.dataset.state = 'cancelled';
      this.progress(msg.done, msg.total, msg.elapsed, msg.done > 0 ? ` · cancelled: partial results kept (${msg.done.toLocaleString('en-US')} of ${msg.total.toLocaleString('en-US')} trials)` : ' · cancelled');
    } else if (msg) {
      this.progress(msg.total, msg.total, msg.elapsed, ` · done (${(msg.total / Math.max(msg.elapsed, 1e-3)).toFixed(0)} trials/s)`);
      this.bar.dataset.state = 'done';
    }
  }

  /** Asks the worker to stop and hand over what it did; stops it outright if it does not. */
  cancel() {
    const job = this.job;
    if (!job || job.cancelling) return;
    job.cancelling = true;
    this.cancelBtn.disabled = true;
    job.worker.postMessage({ type: 'cancel', id: job.id });
    job.grace = setTimeout(() => {
      if (this.job !== job) return;
      this.stopJob(job);
      this.bar.dataset.state = 'cancelled';
      this.progress(job.done, job.total, (performance.now() - job.started) / 1000, ' · cancelled');
      toast('Sweep cancelled: the worker did not answer, so the previous results (if any) are kept.');
    }, CANCEL_GRACE_MS);
  }

  // ------------------------------------------------------------ results

  renderResults() {
    const R = this.results;
    this.renderStale();
    this.empty.hidden = !!R;
    this.resultsView.el.hidden = !R;
    this.partial.hidden = !R?.partial;
    if (R?.partial) {
      const done = R.result.points.reduce((a, p) => a + p.trials, 0);
      this.partial.textContent = `Partial results: ${done.toLocaleString('en-US')} of ${(R.result.points.length * R.spec.trials).toLocaleString('en-US')} trials ran before the sweep was cancelled; settings that did not run show no values.`;
    }
    if (!R) {
      clear(this.empty);
      this.empty.append(
        h('h2', { text: 'Results' }),
        h('p', { text: 'Run the sweep to see, for every setting in the grid, every metric the engine measures: how fast truly failed agents are marked unreachable (crashes and hangs apart), how many agents that would have come back are marked by mistake (per agent-day), the tasks that kills, how long dead tasks look alive (ghost time) and how many messages the master handles per second.' }),
        h('p', { class: 'muted', text: 'The default is sweeps/reregister-vs-ping.json at 20 trials per setting. Click any cell, point or row afterwards to watch one of its trials in the Lab.' }));
      return;
    }
    if (!this.view.hidden) this.resultsView.render();
  }

  redraw() {
    this.resultsView.redraw();
    this.editor.previews.forEach((p) => p.draw());
  }

  // ------------------------------------------------------------ opening a trial

  async openPoint(i) {
    const R = this.results;
    if (!R || i < 0 || i >= R.result.points.length) return;
    this.resultsView.selected = i;
    this.resultsView.renderCharts();
    let trial = R.representative?.[i];
    let why = 'representative';
    try {
      if (trial === undefined || trial === null) {
        toast('Finding a representative trial…');
        trial = await representativeTrial(R.spec, R.result.points[i].params, R.files);
        R.representative ??= new Array(R.result.points.length).fill(null);
        R.representative[i] = trial;
      }
    } catch (e) {
      toast(`Could not find a representative trial: ${errorLines(e)[0]}`);
      trial = 0; why = 'first';
    }
    let scenario;
    try { scenario = trialScenario(R.spec, i, trial, R.files); } catch (e) { toast(`Could not open the trial: ${errorLines(e)[0]}`); return; }
    const s = R.settings[i];
    const m = R.result.points[i].metrics;
    const focus = trialFocus(scenario);
    scenario.name = `Sweep trial ${trial}: ${describeSetting(s)}`;
    scenario.description = `Trial ${trial} (of 0–${R.spec.trials - 1}) of the sweep “${R.spec.name ?? ''}”, at grid point ${i}: ${describeSetting(s)}. `
      + `Chosen as the ${why} trial of this setting: ${m.false_unreachable > 0 ? 'the first with a false unreachable' : m.detection_ms.n > 0 ? 'the first with a detection' : 'trial 0'}. `
      + 'Every agent\'s faults are drawn from the workload; the Fault script lists them.';
    const ok = this.host.openScenario(scenario, { t: focus.t, agent: focus.agent, speed: focus.speed });
    if (!ok) return;
    this.noteText.textContent = `Trial ${trial} at ${describeSetting(s)}: ${focus.words}`;
    this.note.hidden = false;
    this.note.dataset.point = String(i);
    this.note.dataset.trial = String(trial);
  }

  /** A file from the Import dialog, checked: replaces the spec, its files and the results. */
  loadFile(spec, files, check, results) {
    if (this.job) this.stopJob(this.job);
    this.files = { ...files };
    this.setSpec(spec, check);
    this.results = results;
    this.resultsView.selected = -1;
    this.linkErr.hidden = true;
    this.renderResults();
    this.writeUrl();
  }
}
