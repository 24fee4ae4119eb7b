// Liveness Lab: loads the engine, then builds the two tabs — the Lab (lab/lab.js) and Tuning
// (tune/sweep-tab.js) — and routes between them: the tab buttons, the location hash each tab
// writes (#scenario=… / #preset=… for the Lab, #tune / #sweep=… for Tuning) and the theme.
// window.__lab is a small handle for tests, benchmarks and the console.
import '../styles.css';
import { loadEngine } from './engine.js';
import { Lab } from './lab/lab.js';
import { readPalette } from './palette.js';
import { SweepTab, isTuneHash } from './tune/sweep-tab.js';
import { loadSweepModule } from './tune/sweep-module.js';
import { startTheme } from './theme.js';
import { showBanner } from './notices.js';
import { errorText } from './util.js';
import { h, $ } from './dom.js';

const VISITED_KEY = 'liveness-lab-visited';

let lab = null;
let sweep = null;
/** The Tuning tab being built (its wasm module loads the first time it is shown). */
let sweepLoading = null;
/** How the Tuning tab is built, once the engine has loaded (set by boot). */
let makeSweepTab = null;
let tab = 'lab';
/** The hash this page wrote last (its own hashchange events are ignored). */
let lastHash = null;

function setHash(hash) {
  lastHash = hash;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

/**
 * Shows the Lab or the Tuning tab; the Lab keeps its state (paused) while hidden. Returns a
 * promise that resolves once the tab shows (the Tuning tab's first showing loads its module).
 */
function setTab(next, { hash, keepHash = false } = {}) {
  if (next !== 'lab' && next !== 'tune') return Promise.resolve();
  tab = next;
  document.body.dataset.tab = next;
  for (const b of document.querySelectorAll('[data-tab]')) {
    const on = b.dataset.tab === next;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  $('#app').hidden = next !== 'lab';
  if (next === 'tune') {
    lab.hide();
    // The sweep module is fetched the first time the tab opens; the tab shows once it is in.
    sweepLoading ??= loadSweepModule().then(() => (sweep = makeSweepTab()));
    return sweepLoading.then((s) => {
      if (tab !== 'tune') return;
      $('#tune-view').hidden = false;
      s.show(hash);
    }, (e) => showBanner(`The tuning engine could not be loaded: ${errorText(e)}`));
  } else {
    $('#tune-view').hidden = true;
    sweep?.hide();
    lab.show({ keepHash });
    return Promise.resolve();
  }
}

async function boot() {
  const theme = startTheme(() => { lab?.themeChanged(); });
  readPalette();
  $('#theme-btn').addEventListener('click', () => theme.toggle());
  let lib;
  try {
    lib = await loadEngine();
  } catch (e) {
    showBanner(`The simulator could not be loaded: ${errorText(e)}`);
    $('#lesson-body').replaceChildren(h('p', { class: 'muted', text: 'The WebAssembly engine failed to load.' }));
    return;
  }
  lab = new Lab(lib, { setHash, scenarioLoaded: () => sweep?.hideTrialNote() });

  const firstVisit = !location.hash && !localStorage.getItem(VISITED_KEY);
  const tuneFirst = isTuneHash(location.hash);
  if (tuneFirst) lab.hide(); // the lab loads its first lesson behind the Tuning tab
  lab.start(tuneFirst ? '' : location.hash, { firstVisit });
  try { localStorage.setItem(VISITED_KEY, '1'); } catch { /* private mode */ }
  makeSweepTab = () => new SweepTab($('#tune-view'), {
    showTab: (t) => setTab(t),
    setHash,
    openScenario: (s, opts) => { setTab('lab', { keepHash: true }); return lab.openScenario(s, opts); },
    labSetting: () => (lab.state.scenario ? { master: lab.state.scenario.master, policy: lab.state.policy } : null),
  });
  for (const b of document.querySelectorAll('[data-tab]')) {
    b.addEventListener('click', () => setTab(b.dataset.tab));
    b.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      e.preventDefault();
      const next = b.dataset.tab === 'lab' ? 'tune' : 'lab';
      setTab(next);
      document.querySelector(`[data-tab="${next}"]`).focus();
    });
  }
  // The page is ready (window.__ready) once the first tab shows, the Tuning tab's module loaded.
  await setTab(tuneFirst ? 'tune' : 'lab', { hash: tuneFirst ? location.hash : undefined });
  window.addEventListener('hashchange', () => {
    if (location.hash === lastHash) return;
    if (isTuneHash(location.hash)) { setTab('tune', { hash: location.hash }); return; }
    if (tab !== 'lab') setTab('lab', { keepHash: true });
    lab.openLink(location.hash);
  });
  $('#app').setAttribute('aria-busy', 'false');

  // The handle tests and benchmarks use (and a reader may, in the console).
  window.__lab = {
    lab,
    state: lab.state,
    get panes() { return lab.view.panes; },
    get sweep() { return sweep; },
    perf: lab.clock.perf,
    get lastResimMs() { return lab.state.resim.ms; },
    get lastResimTotalMs() { return lab.state.resim.totalMs; },
    get lastResimBreakdown() { return lab.state.resim.breakdown; },
    seekTo: (t) => lab.clock.seekTo(t),
    setPlaying: (on) => lab.clock.setPlaying(on),
    applyStoryStep: (k) => lab.story.apply(k),
    setTheme: (t) => theme.set(t),
    setTab: (t) => setTab(t),
    shareUrl: () => lab.shareUrl(),
  };
  window.__ready = true;
}

boot().catch((e) => {
  showBanner(`The lab failed to start: ${errorText(e)}`);
  // eslint-disable-next-line no-console
  console.warn(e);
});
