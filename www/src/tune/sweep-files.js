// The Tuning tab's files: the Export dialog (the spec, the files it names and, when they match
// it, its results as JSON; the results as CSV, written by the engine exactly as the CLI's --out)
// and the Import dialog (a bare spec, the CLI's, or a file exported here), checked by the engine
// and sweep-model.js before anything is replaced.
import { safeFileName, plural } from '../util.js';
import { h, fillErrorList, download, readPickedFile } from '../dom.js';
import { toast, copyText } from '../notices.js';
import { checkResults, splitImport, exportFile, makeResults } from './sweep-model.js';
import { validateSpec, resultsCsv, withRecommendation, errorLines } from './sweep-engine.js';

/** The Tuning tab's Export and Import dialogs. */
export class SweepFiles {
  /**
   * @param tab — { spec() → the spec shown, files() → the files it names (name → text),
   *   results() → its results or null, stale() → true when the results are for an earlier spec,
   *   catalogue() → the engine's metrics, load(spec, files, check, results) — replaces them all }
   */
  constructor(tab) {
    this.tab = tab;
    this.exportText = h('textarea', { id: 'sw-export-text', readOnly: true, spellcheck: false, attrs: { 'aria-label': 'Sweep JSON' } });
    this.exportInfo = h('span', { id: 'sw-export-info' });
    this.exportDialog = h('dialog', { id: 'sw-export-dialog', attrs: { 'aria-labelledby': 'sw-export-h' } },
      h('h2', { id: 'sw-export-h', text: 'Export the sweep' }),
      h('p', { class: 'muted lead' }, 'The spec (for ', h('code', { text: 'liveness sweep spec.json' }), ') and, when they match it, its results. ', this.exportInfo),
      this.exportText,
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'btn', text: 'Copy', on: { click: () => copyText(this.exportText.value, 'Sweep JSON copied') } }),
        h('button', { type: 'button', class: 'btn', text: 'Download sweep.json', on: { click: () => download(`${safeFileName(this.tab.spec().name, 'sweep')}.json`, this.exportText.value, 'application/json') } }),
        h('button', { type: 'button', class: 'btn', id: 'sw-export-csv', text: 'Download results.csv', on: { click: () => this.downloadCsv() } }),
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'btn primary', text: 'Close', dataset: { close: '' } })));
    this.importText = h('textarea', { id: 'sw-import-text', spellcheck: false, attrs: { 'aria-label': 'Sweep JSON' }, placeholder: '{ "spec": { … }, "results": { … } }  or a bare spec' });
    this.importErrors = h('ul', { class: 'errors', id: 'sw-import-errors', attrs: { role: 'alert' }, hidden: true });
    const file = h('input', { type: 'file', accept: '.json,application/json', attrs: { 'aria-label': 'Sweep JSON file' } });
    file.addEventListener('change', () => readPickedFile(file, this.importText, (e) => fillErrorList(this.importErrors, e)));
    // The files a spec names ({"empirical": {"file"}}), as the CLI reads them beside the spec.
    this.named = {};
    const namedInfo = h('span', { class: 'muted', id: 'sw-import-files-info' });
    const named = h('input', { type: 'file', id: 'sw-import-files', multiple: true, accept: '.txt,.csv,text/plain', attrs: { 'aria-label': 'Files the spec names' } });
    named.addEventListener('change', async () => {
      this.named = {};
      for (const f of named.files ?? []) {
        if (f.size > 20 * 1024 * 1024) { fillErrorList(this.importErrors, [`${f.name}: larger than 20 MB`]); return; }
        this.named[f.name] = await f.text();
      }
      namedInfo.textContent = Object.keys(this.named).join(', ');
    });
    this.importDialog = h('dialog', { id: 'sw-import-dialog', attrs: { 'aria-labelledby': 'sw-import-h' } },
      h('h2', { id: 'sw-import-h', text: 'Import a sweep' }),
      h('p', { class: 'muted lead', text: 'A sweep spec (the CLI\'s), or a file exported here with its results. Pick a file or paste it below; pick the files it names too (the CLI reads them beside the spec).' }),
      h('div', { class: 'row first' }, file),
      h('div', { class: 'row' }, h('label', { for: 'sw-import-files', text: 'Files the spec names (e.g. recoveries.txt):' }), named, namedInfo),
      this.importText, this.importErrors,
      h('div', { class: 'row' }, h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'btn', text: 'Cancel', dataset: { close: '' } }),
        h('button', { type: 'button', class: 'btn primary', id: 'sw-import-go', text: 'Load sweep', on: { click: () => this.doImport() } })));
    for (const d of [this.exportDialog, this.importDialog]) {
      d.addEventListener('click', (e) => { if (e.target.closest('[data-close]')) d.close(); });
      document.body.append(d);
    }
  }

  openExport() {
    const all = this.tab.results();
    const R = all && !this.tab.stale() ? all : null;
    this.exportText.value = JSON.stringify(exportFile(this.tab.spec(), R, this.tab.files()), null, 2);
    this.exportInfo.textContent = R ? `Results included (${plural(R.result.points.length, 'setting')}).`
      : all ? 'Results not included: the spec changed since the run.' : 'No results yet: the spec only.';
    this.exportDialog.querySelector('#sw-export-csv').disabled = !R;
    if (!this.exportDialog.open) this.exportDialog.showModal();
  }

  downloadCsv() {
    const R = this.tab.results();
    if (!R) return;
    let csv;
    try { csv = resultsCsv(R.spec, R.result, R.files); } catch (e) { toast(`Could not write the CSV: ${errorLines(e)[0]}`); return; }
    download(`${safeFileName(R.spec.name, 'sweep')}.csv`, csv, 'text/csv');
  }

  openImport() {
    fillErrorList(this.importErrors, []);
    if (!this.importDialog.open) this.importDialog.showModal();
    this.importText.focus();
  }

  /** Loads JSON text; returns problem lines (empty on success; the current spec is kept otherwise). */
  load(text) {
    let obj;
    try { obj = JSON.parse(text); } catch (e) { return [`not valid JSON: ${e.message}`]; }
    const parts = splitImport(obj);
    if (parts.problems.length) return parts.problems;
    parts.files = { ...this.named, ...parts.files };
    const c = validateSpec(parts.spec, parts.files);
    if (c.problems.length) return c.problems.map((p) => (obj.spec ? `spec.${p}` : p));
    let results = null;
    if (parts.results !== null && parts.results !== undefined) {
      const r = checkResults(parts.results, c.grid, parts.spec.trials, parts.representative, this.tab.catalogue());
      if (r.problems.length) return r.problems;
      // The recommendation is the engine's for the spec's objective; the warnings its too.
      const result = { ...withRecommendation(parts.spec, r.results), warnings: c.warnings };
      const partial = result.points.some((p) => p.trials < parts.spec.trials);
      results = makeResults(parts.spec, c, result, r.representative, typeof obj.browser_seconds === 'number' ? { elapsed: obj.browser_seconds } : null, { files: parts.files, partial });
    }
    this.tab.load(parts.spec, parts.files, c, results);
    return [];
  }

  doImport() {
    const problems = this.load(this.importText.value);
    fillErrorList(this.importErrors, problems);
    if (!problems.length) {
      this.importDialog.close();
      toast(`Loaded “${String(this.tab.spec().name ?? 'sweep').slice(0, 60)}”${this.tab.results() ? ' with its results' : ''}`);
    }
  }
}
