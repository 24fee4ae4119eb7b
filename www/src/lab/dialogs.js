// The Lab's dialogs: Import (a scenario from a file or pasted JSON, checked by the engine before
// it replaces anything), Export (the scenario with your faults, its trace hash, the trace as
// JSON Lines), Share (the link) and Help. Everything read is hostile input, shown only as text.
import { clock, safeFileName } from '../util.js';
import { $, fillErrorList, download, downloadBlob, readPickedFile } from '../dom.js';
import { copyText, toast } from '../notices.js';

/** The Lab's Import, Export, Share and Help dialogs. */
export class Dialogs {
  /**
   * @param state the LabState exported
   * @param lab — { closeMenu(), pause(), loadImported(scenario) → false if refused,
   *   shareUrl(), writeHash(now) }
   */
  constructor(state, lab) {
    this.state = state;
    this.lab = lab;
    $('#help-btn').addEventListener('click', () => this.openHelp());
    $('#import-btn').addEventListener('click', () => this.openImport());
    $('#export-btn').addEventListener('click', () => this.openExport());
    $('#share-btn').addEventListener('click', () => this.openShare());
    for (const d of document.querySelectorAll('dialog')) {
      d.addEventListener('click', (e) => { if (e.target.closest('[data-close]')) d.close(); });
    }
    $('#import-go').addEventListener('click', () => this.doImport());
    $('#import-file').addEventListener('change', (e) => readPickedFile(e.target, $('#import-text'), (list) => this.showImportErrors(list)));
    $('#export-copy').addEventListener('click', () => copyText($('#export-text').value, 'Scenario copied'));
    $('#export-download').addEventListener('click', () => download(`${safeFileName(state.scenario.name)}.json`, $('#export-text').value, 'application/json'));
    $('#export-trace').addEventListener('click', () => this.downloadTrace());
    $('#share-copy').addEventListener('click', () => copyText($('#share-url').value, 'Link copied'));
    // a hash no longer on screen is not worth the worker's time
    $('#export-dialog').addEventListener('close', () => { this._hashJob?.cancel(); this._hashToken = null; });
  }

  _open(sel) {
    this.lab.closeMenu();
    const d = $(sel);
    if (!d.open) d.showModal();
    return d;
  }

  openHelp() { this._open('#help-dialog'); }

  openImport() {
    $('#import-errors').hidden = true;
    this._open('#import-dialog');
    $('#import-text').focus();
  }

  showImportErrors(list) { fillErrorList($('#import-errors'), list); }

  doImport() {
    const text = $('#import-text').value;
    let s;
    try { s = JSON.parse(text); } catch (e) { this.showImportErrors([`not valid JSON: ${e.message}`]); return; }
    if (!s || typeof s !== 'object' || Array.isArray(s)) { this.showImportErrors(['the scenario must be a JSON object']); return; }
    // The engine's check (a valid scenario always builds: loading it is the only other pass)
    const problems = this.state.validate(s);
    if (problems.length) { this.showImportErrors(problems); return; }
    this.showImportErrors([]);
    this.lab.pause();
    if (this.lab.loadImported(s)) {
      $('#import-dialog').close();
      this.lab.writeHash();
      toast(`Loaded “${String(s.name ?? 'scenario').slice(0, 60)}”`);
    }
  }

  openExport() {
    const { state } = this;
    $('#export-text').value = JSON.stringify(state.exportScenario(), null, 2);
    // Re-simulating to the clock for the hash takes seconds for thousands of agents: the judges
    // do it off the main thread while the dialog is already open.
    const el = $('#export-hash');
    const at = `Trace hash at ${clock(state.t, { millis: true })}`;
    this._hashJob?.cancel();
    const token = {};
    this._hashToken = token;
    const mine = () => this._hashToken === token;
    el.dataset.traceHash = '';
    el.textContent = `${at}: working it out…`;
    this._hashJob = state.replayLater({}, {
      onProgress: (p) => { if (mine()) el.textContent = `${at}: working it out… ${Math.round(p * 100)}%`; },
      onDone: ({ hash }) => {
        if (!mine()) return;
        el.textContent = `${at}: ${hash}`;
        el.dataset.traceHash = hash;
      },
      onError: (msg) => { if (mine()) el.textContent = `${at}: could not be worked out (${msg})`; },
    });
    this._open('#export-dialog');
  }

  /** Downloads the trace so far: re-simulated in full by the judges (thousands of agents take
   *  seconds, and the file hundreds of MB), the button showing how far it got. Closing the
   *  dialog does not stop it: the file still comes. */
  downloadTrace() {
    if (this._traceJob) return;
    const name = `${safeFileName(this.state.scenario.name)}-trace.jsonl`;
    let finished = false;
    const end = () => {
      finished = true;
      this._traceJob = null;
      this._traceButton(null);
    };
    const job = this.state.replayLater({ lines: true }, {
      onProgress: (p) => { if (!finished) this._traceButton(p); },
      onDone: ({ file }) => { end(); downloadBlob(name, file); },
      onError: (msg) => { end(); toast(`The trace could not be written: ${msg}`); },
    });
    // (judged in place, as in Node tests, it is over before this line)
    if (!finished) {
      this._traceJob = job;
      this._traceButton(0);
    }
  }

  /** The trace button: how far the file got (0–1), or ready again (null). */
  _traceButton(progress) {
    const b = $('#export-trace');
    b.dataset.label ??= b.textContent;
    b.disabled = progress !== null;
    b.textContent = progress === null ? b.dataset.label : `Writing the trace… ${Math.round(progress * 100)}%`;
  }

  openShare() {
    this.lab.pause();
    $('#share-url').value = this.lab.shareUrl();
    this._open('#share-dialog');
    $('#share-url').select();
    this.lab.writeHash(true);
  }
}
