// Liveness Lab: wires the wasm engine, the cluster view, time controls,
// panels, lessons, compare mode and URL state together.
import '../styles.css';
import { loadEngine } from './engine.js';
import { POLICIES, POLICY_LABEL } from './policies.js';
import { Run } from './lab/run.js';
import { ClusterView, Particles, drawSwatch } from './lab/cluster.js';
import { readPalette } from './lab/palette.js';
import { Charts } from './lab/chart.js';
import { LESSONS, GENERIC, STORY, FIRST_LESSON } from './lab/lessons.js';
import { describeFault, verdictWords } from './describe.js';
import { parseHash, buildHash } from './lab/urlstate.js';
import { LogView } from './lab/logview.js';
import { Tuning } from './lab/timeouts-panel.js';
import { Menu } from './lab/menu.js';
import { Inspector } from './lab/inspector.js';
import { SweepTab, isTuneHash } from './tune/sweep-tab.js';
import { clock, speedLabel, deepClone, stableJson, clamp, safeFileName, plural, errorText } from './util.js';
import { h, $, clear, fillErrorList, download, readPickedFile } from './dom.js';
import { parseDuration } from './duration.js';
import { showBanner, hideBanner, toast, copyText } from './notices.js';
import { startTheme } from './theme.js';

const SPEEDS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 3000, 6000, 10000];
const SPEED_MIN = 0.1, SPEED_MAX = 10000;
const VISITED_KEY = 'liveness-lab-visited';
let theme = null;

/** The whole lab state; exposed as window.__lab for tests and the console. */
const app = {
  lib: null,
  presets: [],
  presetByName: new Map(),
  presetName: null,
  scenario: null, // the working scenario: a preset or an import, plus recorded interventions and tuning
  baseFaultCount: 0, // faults that came with the scenario (the rest were injected here)
  policy: 'mesos-1.2',
  compare: false,
  comparePolicies: ['mesos-1.1', 'mesos-1.2', 'running-only-pongs'],
  runs: [],
  primary: null,
  panes: [],
  t: 0,
  playing: false,
  speed: 30,
  selected: new Set(),
  focus: -1, // agent shown in the inspector
  masterSelected: false,
  hover: -1,
  storyStep: -1,
  lastResimMs: null,
  dirty: true,
  perf: { frames: [], record: false },
  tab: 'lab', // 'lab' | 'tune' (the Tuning tab, sweep-tab.js)
};
window.__lab = app;

// ---------------------------------------------------------------- boot

async function boot() {
  theme = startTheme(() => onThemeChanged());
  readPalette();
  try {
    app.lib = await loadEngine();
  } catch (e) {
    showBanner(`The simulator could not be loaded: ${errorText(e)}`);
    $('#lesson-body').replaceChildren(h('p', { class: 'muted', text: 'The WebAssembly engine failed to load.' }));
    return;
  }
  app.presets = app.lib.presets();
  for (const p of app.presets) app.presetByName.set(p.name, p);

  buildStaticUi();
  app.charts = new Charts($('#chart-views'), $('#chart-tasks'));
  app.log = new LogView(app, $('#log'), $('#log-kind'), $('#log-agent'), $('#log-count'));
  app.tuning = new Tuning(app, $('#tuning-body'));
  app.menu = new Menu(app, $('#menu'));
  app.inspector = new Inspector(app, $('#inspector-body'));

  const firstVisit = !location.hash && !localStorage.getItem(VISITED_KEY);
  const tuneFirst = isTuneHash(location.hash);
  if (tuneFirst) app.tab = 'tune'; // the lab loads its first lesson behind the Tuning tab
  loadFromHash(tuneFirst ? '' : location.hash, { firstVisit });
  try { localStorage.setItem(VISITED_KEY, '1'); } catch { /* private mode */ }
  app.sweep = new SweepTab($('#tune-view'), {
    showTab: (tab) => setTab(tab),
    setHash: (hash) => { app.lastHash = hash; if (location.hash !== hash) history.replaceState(null, '', hash); },
    openScenario: (s, opts) => openScenario(s, opts),
    labSetting: () => (app.scenario ? { master: app.scenario.master, policy: app.policy } : null),
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
  setTab(tuneFirst ? 'tune' : 'lab', { hash: tuneFirst ? location.hash : undefined });
  window.addEventListener('hashchange', () => {
    if (location.hash === app.lastHash) return;
    if (isTuneHash(location.hash)) { setTab('tune', { hash: location.hash }); return; }
    if (app.tab !== 'lab') setTab('lab', { keepHash: true });
    loadFromHash(location.hash, {});
  });
  $('#app').setAttribute('aria-busy', 'false');
  requestAnimationFrame(frame);
  window.__ready = true;
}

function loadFromHash(hash, { firstVisit = false } = {}) {
  const st = parseHash(hash);
  const errors = [...st.errors];
  let scenario = null, presetName = null;
  if (st.scenario) {
    const problems = validate(st.scenario);
    if (problems.length) errors.push(`the scenario in the link is invalid:\n${problems.join('\n')}`);
    else scenario = st.scenario;
  } else if (st.preset !== undefined) {
    if (app.presetByName.has(st.preset)) presetName = st.preset;
    else errors.push(`there is no lesson called "${st.preset.slice(0, 80)}"`);
  }
  if (!scenario && !presetName) presetName = app.presetByName.has(FIRST_LESSON) ? FIRST_LESSON : app.presets[0]?.name;
  if (errors.length) showBanner(`This link could not be fully restored — ${errors.join('; ')}. ${scenario || st.preset === presetName ? '' : `Showing the “${presetName}” lesson instead.`}`);
  else hideBanner();

  if (st.compare) { app.comparePolicies = st.compare; app.compare = true; }
  if (st.speed) setSpeed(st.speed);
  const loaded = presetName
    ? loadScenario(deepClone(app.presetByName.get(presetName).scenario), { presetName, policy: st.policy })
    : loadScenario(scenario, { presetName: null, policy: st.policy, baseFaultCount: (scenario.faults ?? []).length });
  if (!loaded) return;
  if (st.agent && app.primary.index.has(st.agent)) selectOnly(app.primary.index.get(st.agent));
  if (st.t !== undefined) seek(st.t);
  if (firstVisit && presetName === FIRST_LESSON) {
    applyStoryStep(0);
  }
  writeHash(true);
}

function validate(s) {
  try {
    const p = app.lib.validateScenario(s);
    return Array.isArray(p) ? p : [];
  } catch (e) {
    return [errorText(e)];
  }
}

// ---------------------------------------------------------------- scenario & runs

/**
 * Replaces the working scenario. Returns false (keeping the old one) if it
 * cannot be simulated.
 */
function loadScenario(scenario, { presetName = null, policy, baseFaultCount } = {}) {
  const prev = { scenario: app.scenario, presetName: app.presetName, policy: app.policy, base: app.baseFaultCount };
  app.scenario = scenario;
  app.scenario.faults = Array.isArray(app.scenario.faults) ? app.scenario.faults : [];
  app.presetName = presetName;
  app.baseFaultCount = baseFaultCount ?? app.scenario.faults.length;
  app.policy = policy ?? scenario.policy ?? 'mesos-1.2';
  app.t = 0;
  app.playing = false;
  app.selected.clear(); app.focus = -1; app.masterSelected = false;
  app.storyStep = -1;
  try {
    rebuildRuns({ keepTime: false });
  } catch (e) {
    Object.assign(app, { scenario: prev.scenario, presetName: prev.presetName, policy: prev.policy, baseFaultCount: prev.base });
    if (prev.scenario) rebuildRuns({ keepTime: false });
    showBanner(`That scenario cannot be simulated:\n${errorText(e)}`);
    return false;
  }
  renderScenarioChrome();
  if (app.sweep) app.sweep.note.hidden = true;
  return true;
}

function policiesShown() {
  if (!app.compare) return [app.policy];
  const list = app.comparePolicies.filter((p) => POLICIES.includes(p));
  if (!list.includes(app.policy)) list.unshift(app.policy);
  return list.slice(0, 4);
}

function scenarioFor(policy) {
  const s = deepClone(app.scenario);
  s.policy = policy;
  return s;
}

/** Exported scenario: the working scenario under the selected policy. */
function exportScenario() { return scenarioFor(app.policy); }

/**
 * Re-creates every run (what-if): the same fault script, new parameters,
 * re-simulated from 0 to the current time at once. Throws if the engine refuses.
 */
function rebuildRuns({ keepTime = true } = {}) {
  const t0 = performance.now();
  const policies = policiesShown();
  const newRuns = policies.map((p) => {
    const run = new Run(app.lib, scenarioFor(p), { onMessage: onMessage });
    run.particles = new Particles();
    run.particles.reset(run.n);
    return run;
  });
  for (const r of app.runs) r.free();
  app.runs = newRuns;
  app.primary = newRuns.find((r) => r.policy === app.policy) ?? newRuns[0];
  app.duration = app.primary.duration;
  const t = keepTime ? clamp(app.t, 0, app.duration) : 0;
  for (const r of app.runs) r.advanceTo(t, false);
  app.t = t;
  app.lastResimMs = performance.now() - t0;
  app.lastResimBreakdown = {
    runs: app.runs.length,
    drainEventsMs: app.runs.reduce((a, r) => a + r.timing.convert, 0),
    eventHandlingMs: app.runs.reduce((a, r) => a + r.timing.drain - r.timing.convert, 0),
    advanceAndSampleMs: app.runs.reduce((a, r) => a + r.timing.total - r.timing.drain, 0),
  };
  for (const r of app.runs) r.computeFuture(() => { app.dirty = true; renderMarkers(); });
  // prune a selection that no longer exists
  for (const i of [...app.selected]) if (i >= app.primary.n) app.selected.delete(i);
  if (app.focus >= app.primary.n) app.focus = -1;
  buildPanes();
  buildAgentList();
  app.charts?.create(app.primary);
  app.log?.reset();
  app.tuning?.render();
  renderFaultList();
  renderMarkers();
  renderLesson();
  app.dirty = true;
  syncDom();
  app.lastResimTotalMs = performance.now() - t0; // including rebuilding the panels
}

function onMessage(ev, run) {
  const i = run.index.get(ev.agent);
  if (i === undefined) return;
  run.particles.add({
    agent: i, kind: ev.message, fromMaster: ev.from === 'master', connected: ev.connected, dropped: !!ev.dropped, sent: ev.t,
  }, performance.now());
}

/** Applies an edit to the working scenario and re-simulates (keeps the time). */
function editScenario(mutate) {
  const before = deepClone(app.scenario);
  mutate(app.scenario);
  const problems = validate(scenarioFor(app.policy));
  if (problems.length) { app.scenario = before; return problems; }
  const wasPreset = app.presetName;
  try {
    rebuildRuns({ keepTime: true });
  } catch (e) {
    app.scenario = before;
    rebuildRuns({ keepTime: true });
    return [errorText(e)];
  }
  if (wasPreset && !sameAsPreset()) { app.presetName = null; renderScenarioChrome(); }
  writeHash();
  return [];
}

function sameAsPreset(name = app.presetName) {
  const p = name && app.presetByName.get(name);
  if (!p) return false;
  const a = deepClone(app.scenario); delete a.policy;
  const b = deepClone(p.scenario); delete b.policy;
  return stableJson(a) === stableJson(b);
}

// ---------------------------------------------------------------- time

function seek(t, { live = false } = {}) {
  t = clamp(Number(t) || 0, 0, app.duration);
  for (const run of app.runs) {
    if (t < run.now) { run.build(); run.particles.reset(run.n); }
    run.advanceTo(t, live);
  }
  if (!live) for (const run of app.runs) run.particles.reset(run.n);
  app.t = t;
  app.dirty = true;
  app.slowDirty = true;
  app.log.dirty = true;
  syncDom();
}
app.seek = (t) => { seek(t); writeHash(); };

function setPlaying(on) {
  if (on && app.t >= app.duration) seek(0);
  app.playing = on;
  const b = $('#play-btn');
  b.textContent = on ? '❚❚' : '▶';
  b.setAttribute('aria-label', on ? 'Pause' : 'Play');
  if (!on) { writeHash(); app.log?.settle(); app.slowDirty = true; }
}

function stepToNextEvent() {
  setPlaying(false);
  let next = Infinity;
  for (const r of app.runs) {
    const n = r.sim.nextEventTime();
    if (n !== undefined && n !== null && n < next) next = n;
  }
  if (!Number.isFinite(next) || next > app.duration) { toast('No more events before the end of the run.'); return; }
  seek(next, { live: true });
  writeHash();
}

function nextVerdict() {
  setPlaying(false);
  let best = null;
  for (const r of app.runs) {
    if (!r.future) r.computeFuture(null, { sync: true });
    for (const v of r.future?.verdicts ?? []) {
      if (v.t > app.t && (!best || v.t < best.t)) best = v;
    }
  }
  if (!best) { toast('No verdict after this point: no agent is marked unreachable or removed before the end.'); return; }
  seek(best.t);
  const i = app.primary.index.get(best.agent);
  if (i !== undefined) selectOnly(i);
  writeHash();
}

function restart() {
  setPlaying(false);
  seek(0);
  writeHash();
}

function setSpeed(x) {
  app.speed = clamp(Number(x) || 1, SPEED_MIN, SPEED_MAX);
  const slider = $('#speed');
  // nearest position on the log scale
  const pos = Math.round(((Math.log10(app.speed) + 1) / 5) * 1000);
  slider.value = String(clamp(pos, 0, 1000));
  const out = $('#speed-out');
  out.textContent = speedLabel(app.speed);
  out.title = `${app.speed}× real time`;
  slider.setAttribute('aria-valuetext', `${speedLabel(app.speed)} (${app.speed}×)`);
}

function speedFromSlider(v) {
  const raw = Math.pow(10, -1 + (Number(v) / 1000) * 5);
  // snap to the nearest friendly value on the log scale
  let best = SPEEDS[0];
  for (const s of SPEEDS) if (Math.abs(Math.log(s / raw)) < Math.abs(Math.log(best / raw))) best = s;
  return best;
}

let lastWall = performance.now();
let lastSlow = 0;
function frame(wall) {
  const start = performance.now();
  const dt = Math.min(100, Math.max(0, wall - lastWall));
  lastWall = wall;
  if (app.playing) {
    let t = app.t + dt * app.speed;
    if (t >= app.duration) { t = app.duration; }
    for (const run of app.runs) run.advanceTo(t, true);
    app.t = t;
    app.dirty = true;
    if (t >= app.duration) setPlaying(false);
  }
  if (app.tab !== 'lab') { lastSlow = 0; requestAnimationFrame(frame); return; }
  const animating = app.playing || app.runs.some((r) => r.particles.list.length > 0) || hasRecovering();
  if (app.dirty || animating) render(wall);
  if (wall - lastSlow > 200 || app.slowDirty) { renderSlow(); lastSlow = wall; app.slowDirty = false; }
  app.dirty = false;
  if (app.perf.record) app.perf.frames.push({ work: performance.now() - start, wall, late: start - wall });
  requestAnimationFrame(frame);
}

function hasRecovering() {
  const s = app.primary?.snap?.states;
  if (!s) return false;
  const rec = app.lib.AGENT_STATES.indexOf('recovering');
  for (let i = 0; i < s.length; i++) if (s[i] === rec) return true;
  return false;
}

// ---------------------------------------------------------------- interventions

/**
 * Records a fault at the current time and applies it to every live run.
 * The time is nudged (by ≥ 1 µs) past anything already processed so a replay
 * of the recorded scenario is identical to the live run.
 */
function injectFault(fault) {
  setPlaying(false);
  let at = roundUs(app.t + 0.001);
  for (let changed = true; changed;) {
    changed = false;
    for (const r of app.runs) {
      let n = r.sim.nextEventTime();
      while (n !== undefined && n !== null && n <= at) {
        r.advanceTo(n, true);
        at = roundUs(n + 0.001);
        changed = true;
        n = r.sim.nextEventTime();
      }
    }
  }
  for (const r of app.runs) r.advanceTo(at, true);
  app.t = at;
  const recorded = { at, ...fault };
  const problems = validate({ ...scenarioFor(app.policy), faults: [...app.scenario.faults, recorded] });
  if (problems.length) { toast(`Cannot inject: ${problems.join('; ')}`); return false; }
  try {
    for (const r of app.runs) {
      r.sim.inject(deepClone(recorded));
      r.scenario.faults.push(deepClone(recorded));
      r.advanceTo(at, true);
      r.computeFuture(() => { app.dirty = true; renderMarkers(); });
    }
  } catch (e) {
    toast(`The engine refused the fault: ${errorText(e)}`);
    // resynchronise from the recorded script
    rebuildRuns({ keepTime: true });
    return false;
  }
  app.scenario.faults.push(recorded);
  if (app.presetName) { app.presetName = null; renderScenarioChrome(); }
  renderFaultList();
  renderMarkers();
  app.log.dirty = true;
  app.dirty = true;
  writeHash();
  syncDom();
  toast(`${describeFault(recorded, { withTime: false })} at ${clock(at, { millis: true })}`);
  return true;
}
const roundUs = (ms) => Math.round(ms * 1000) / 1000;

function removeFault(i) {
  editScenario((s) => { s.faults.splice(i, 1); });
  if (i < app.baseFaultCount) app.baseFaultCount--;
  renderFaultList();
}

// ---------------------------------------------------------------- selection

function selectOnly(i) {
  app.slowDirty = true;
  app.selected = new Set(i >= 0 ? [i] : []);
  app.focus = i;
  app.masterSelected = false;
  app.dirty = true;
  app.tuning?.render();
}

function toggleSelect(i) {
  app.slowDirty = true;
  if (app.selected.has(i)) { app.selected.delete(i); if (app.focus === i) app.focus = [...app.selected].pop() ?? -1; }
  else { app.selected.add(i); app.focus = i; }
  app.masterSelected = false;
  app.dirty = true;
  app.tuning?.render();
}

// ---------------------------------------------------------------- static UI

function buildStaticUi() {
  // presets
  const ps = $('#preset-select');
  clear(ps);
  for (const p of app.presets) ps.append(h('option', { value: p.name, text: p.title || p.name }));
  ps.append(h('option', { value: '__custom', text: 'Custom scenario', hidden: true, disabled: true }));
  ps.addEventListener('change', () => {
    if (ps.value === '__custom') return;
    setPlaying(false);
    loadScenario(deepClone(app.presetByName.get(ps.value).scenario), { presetName: ps.value });
    writeHash();
  });
  // policies
  const pol = $('#policy-select');
  for (const p of POLICIES) pol.append(h('option', { value: p, text: POLICY_LABEL[p] ?? p }));
  pol.addEventListener('change', () => setPolicy(pol.value));
  // compare
  $('#compare-toggle').addEventListener('click', () => setCompare(!app.compare));
  const cc = $('#compare-choices');
  for (const p of POLICIES) {
    const cb = h('input', { type: 'checkbox', value: p, on: { change: () => onCompareChoice() } });
    cc.append(h('label', {}, cb, p));
  }
  // transport
  $('#play-btn').addEventListener('click', () => setPlaying(!app.playing));
  $('#step-btn').addEventListener('click', stepToNextEvent);
  $('#verdict-btn').addEventListener('click', nextVerdict);
  $('#restart-btn').addEventListener('click', restart);
  const sp = $('#speed');
  sp.addEventListener('input', () => setSpeed(speedFromSlider(sp.value)));
  sp.addEventListener('change', () => writeHash());
  setSpeed(app.speed);
  const scr = $('#scrubber');
  // Coalesce scrubbing to one seek per frame (a backwards seek re-simulates from 0).
  let scrubRaf = 0;
  scr.addEventListener('input', () => {
    if (scrubRaf) return;
    scrubRaf = requestAnimationFrame(() => {
      scrubRaf = 0;
      seek((Number(scr.value) / 1000) * app.duration);
    });
  });
  scr.addEventListener('change', () => writeHash());
  scr.addEventListener('pointerdown', () => { app.wasPlaying = app.playing; setPlaying(false); });
  // top bar actions
  $('#theme-btn').addEventListener('click', () => theme.toggle());
  $('#help-btn').addEventListener('click', () => openDialog('#help-dialog'));
  $('#import-btn').addEventListener('click', openImport);
  $('#export-btn').addEventListener('click', openExport);
  $('#share-btn').addEventListener('click', openShare);
  $('#banner-close').addEventListener('click', hideBanner);
  $('#master-btn').addEventListener('click', (e) => { app.masterSelected = true; app.menu.openMaster(e.currentTarget); });
  $('#clear-mine').addEventListener('click', () => {
    editScenario((s) => { s.faults.splice(app.baseFaultCount); });
    renderFaultList();
  });
  for (const d of document.querySelectorAll('dialog')) {
    d.addEventListener('click', (e) => { if (e.target.closest('[data-close]')) d.close(); });
  }
  $('#import-go').addEventListener('click', doImport);
  $('#import-file').addEventListener('change', (e) => readPickedFile(e.target, $('#import-text'), showImportErrors));
  $('#export-copy').addEventListener('click', () => copyText($('#export-text').value, 'Scenario copied'));
  $('#export-download').addEventListener('click', () => download(`${safeFileName(app.scenario.name)}.json`, $('#export-text').value, 'application/json'));
  $('#export-trace').addEventListener('click', () => download(`${safeFileName(app.scenario.name)}-trace.jsonl`, traceJsonl(), 'application/x-ndjson'));
  $('#share-copy').addEventListener('click', () => copyText($('#share-url').value, 'Link copied'));
  // legend
  buildLegend();
  // keyboard
  document.addEventListener('keydown', onKey);
}

function setPolicy(p) {
  if (!POLICIES.includes(p)) return;
  app.policy = p;
  if (app.compare && !app.comparePolicies.includes(p)) app.comparePolicies = [p, ...app.comparePolicies].slice(0, 4);
  rebuildRuns({ keepTime: true });
  renderScenarioChrome();
  writeHash();
}

function setCompare(on) {
  app.compare = on;
  if (on && !app.comparePolicies.includes(app.policy)) app.comparePolicies = [app.policy, ...app.comparePolicies].slice(0, 4);
  rebuildRuns({ keepTime: true });
  renderScenarioChrome();
  writeHash();
}

function onCompareChoice() {
  const boxes = [...document.querySelectorAll('#compare-choices input')];
  let list = boxes.filter((b) => b.checked).map((b) => b.value);
  if (list.length < 2) { toast('Compare needs at least two policies.'); renderScenarioChrome(); return; }
  if (list.length > 4) list = list.slice(0, 4);
  app.comparePolicies = list;
  if (!list.includes(app.policy)) app.policy = list[0];
  rebuildRuns({ keepTime: true });
  renderScenarioChrome();
  writeHash();
}

function buildLegend() {
  const L = $('#legend');
  clear(L);
  const item = (kind, label, title) => {
    const c = h('canvas', { attrs: { 'aria-hidden': 'true' } });
    c.dataset.swatch = kind;
    drawSwatch(c, kind);
    return h('span', { class: 'item', title }, c, label);
  };
  L.append(
    h('span', { class: 'grp' }, h('b', { text: 'Master’s view (ring):' }),
      item('view:connected', 'connected'), item('view:disconnected', 'disconnected'), item('view:unreachable', 'unreachable'),
      item('view:recovered', 'recovered'), item('view:removed', 'removed'), item('view:unknown', 'unknown')),
    h('span', { class: 'grp' }, h('b', { text: 'Agent process (fill):' }),
      item('state:running', 'running'), item('state:recovering', 'recovering'), item('state:disconnected', 'registering'),
      item('state:down', 'down')),
    h('span', { class: 'grp' }, h('b', { text: 'Signals:' }),
      item('msg:ping', 'ping'), item('msg:ping-off', 'ping connected=false'), item('msg:pong', 'pong'),
      item('msg:register', '(re)register'), item('msg:dropped', 'dropped'),
      item('marker:pips', 'missed pings'), item('marker:countdown', 're-register countdown'),
      item('marker:permit', 'waiting for removal permit'), item('marker:cut', 'cut link')),
  );
}

function redrawLegend() {
  for (const c of document.querySelectorAll('#legend canvas')) drawSwatch(c, c.dataset.swatch);
}

// ---------------------------------------------------------------- panes

function buildPanes() {
  const host = $('#panes');
  clear(host);
  host.className = `panes n${app.runs.length}`;
  app.panes = app.runs.map((run) => {
    const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': `Cluster under ${run.policy}: the master in the centre and its agents` } });
    const pane = h('div', { class: 'pane' + (run === app.primary ? ' primary' : ''), dataset: { policy: run.policy } });
    const summary = h('div', { class: 'summary', attrs: { 'aria-live': 'polite' } });
    if (app.runs.length > 1) {
      const sub = (POLICY_LABEL[run.policy] ?? '').replace(run.policy, '').replace(/[()]/g, '').trim();
      pane.append(h('div', { class: 'pane-head' },
        h('button', { type: 'button', title: 'Make this the policy shown in the inspector, log and chart', on: { click: () => setPolicy(run.policy) } },
          h('span', { text: run.policy }), sub ? h('span', { class: 'sub', text: ` · ${sub}` }) : null)));
    }
    pane.append(canvas);
    if (app.runs.length > 1) pane.append(summary);
    const tip = h('div', { class: 'tooltip', hidden: true });
    pane.append(tip);
    host.append(pane);
    const view = new ClusterView(canvas, { compact: app.runs.length > 1 });
    const p = { run, canvas, view, summary, tip, el: pane };
    wireCanvas(p);
    return p;
  });
}

function wireCanvas(p) {
  const { canvas, view } = p;
  const pos = (e) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
  canvas.addEventListener('pointermove', (e) => {
    const [x, y] = pos(e);
    const i = view.hit(x, y);
    const hv = i >= 0 ? i : -1;
    if (hv !== app.hover) { app.hover = hv; app.dirty = true; }
    canvas.style.cursor = i === -1 ? 'default' : 'pointer';
    if (i >= 0) {
      const run = p.run;
      const v = app.lib.MASTER_VIEWS[run.snap.views[i]], s = app.lib.AGENT_STATES[run.snap.states[i]];
      p.tip.textContent = `${run.names[i]} — master: ${v}, process: ${s}`;
      p.tip.hidden = false;
      const px = Math.min(x + 14, canvas.clientWidth - p.tip.offsetWidth - 4);
      p.tip.style.left = `${Math.max(4, px)}px`;
      p.tip.style.top = `${y + canvas.offsetTop + 14}px`;
    } else if (i === -2) {
      p.tip.textContent = `master — ${p.run.snap.masterUp ? 'leading' : 'failing over'} (click for failover)`;
      p.tip.hidden = false;
      p.tip.style.left = `${Math.max(4, x + 14)}px`;
      p.tip.style.top = `${y + canvas.offsetTop + 14}px`;
    } else p.tip.hidden = true;
  });
  canvas.addEventListener('pointerleave', () => { app.hover = -1; p.tip.hidden = true; app.dirty = true; });
  canvas.addEventListener('click', (e) => {
    const [x, y] = pos(e);
    const i = view.hit(x, y);
    if (i === -2) {
      app.masterSelected = true; app.dirty = true;
      app.menu.openMaster({ x: e.clientX, y: e.clientY });
      return;
    }
    if (i < 0) { app.menu.close(); if (!e.shiftKey && !e.ctrlKey && !e.metaKey) { app.selected.clear(); app.focus = -1; app.dirty = true; app.tuning.render(); } return; }
    if (e.shiftKey || e.ctrlKey || e.metaKey) toggleSelect(i); else selectOnly(i);
    if (app.selected.size) app.menu.openAgents([...app.selected], { x: e.clientX, y: e.clientY });
    else app.menu.close();
  });
}

// ---------------------------------------------------------------- agent list (spec §8)

let listItems = [];
let listPrev = null;
function buildAgentList() {
  const ul = $('#agent-list');
  const run = app.primary;
  clear(ul);
  const dl = $('#agent-names');
  clear(dl);
  listItems = run.names.map((name, i) => {
    const dot = h('span', { class: 'badge' });
    const st = h('span', { class: 'badge' });
    const btn = h('button', {
      type: 'button', title: 'Select and open the fault menu',
      on: {
        click: (e) => {
          if (e.shiftKey || e.ctrlKey || e.metaKey) toggleSelect(i); else selectOnly(i);
          if (app.selected.size) app.menu.openAgents([...app.selected], e.currentTarget);
        },
      },
    }, h('span', { class: 'nm', text: name }), dot, st);
    const li = h('li', { dataset: { agent: name, index: String(i) } }, btn);
    ul.append(li);
    if (run.n <= 2000) dl.append(h('option', { value: name }));
    return { li, dot, st };
  });
  listPrev = null;
  $('#agents-count').textContent = plural(run.n, 'agent');
}

function updateAgentList() {
  const run = app.primary;
  const { views, states } = run.snap;
  const V = app.lib.MASTER_VIEWS, S = app.lib.AGENT_STATES;
  const prev = listPrev;
  for (let i = 0; i < listItems.length; i++) {
    if (prev && prev.views[i] === views[i] && prev.states[i] === states[i] && prev.sel[i] === (app.selected.has(i) ? 1 : 0)) continue;
    const it = listItems[i];
    const v = V[views[i]] ?? 'unknown', s = S[states[i]] ?? 'down';
    it.li.dataset.masterView = v;
    it.li.dataset.agentState = s;
    it.dot.className = `badge v-${v}`; it.dot.textContent = v;
    it.st.className = `badge s-${s}`; it.st.textContent = s;
    it.li.classList.toggle('selected', app.selected.has(i));
  }
  const sel = new Uint8Array(listItems.length);
  for (const i of app.selected) if (i < sel.length) sel[i] = 1;
  listPrev = { views: views.slice(), states: states.slice(), sel };
  const ms = $('#master-state');
  const up = run.snap.masterUp;
  ms.textContent = up ? 'leading' : 'failing over';
  ms.className = `badge ${up ? 'k-good' : 'k-warn'}`;
}

// ---------------------------------------------------------------- rendering

/** Updates the clock and the accessible list at once (tests and screen readers read them). */
function syncDom() {
  app.slowDirty = true;
  if (!app.primary || !listItems.length) return;
  const tEl = $('#sim-time');
  tEl.textContent = clock(app.t);
  tEl.dataset.simTime = String(app.t);
  updateAgentList();
}

function render(wall) {
  for (const p of app.panes) {
    p.run.particles.tickRate(wall);
    p.view.draw(p.run, {
      selected: app.selected, hover: app.hover, particles: p.run.particles, wallNow: wall,
      masterSelected: app.masterSelected,
    });
  }
  const tEl = $('#sim-time');
  const label = clock(app.t);
  if (tEl.textContent !== label) tEl.textContent = label;
  tEl.dataset.simTime = String(app.t);
  const scr = $('#scrubber');
  if (document.activeElement !== scr || app.playing) scr.value = String(Math.round((app.t / Math.max(1, app.duration)) * 1000));
  scr.setAttribute('aria-valuetext', `${clock(app.t)} of ${clock(app.duration)}`);
  updateAgentList();
}

function renderSlow() {
  // The story moves on by itself when the verdict it announces happens while playing.
  if (app.presetName === FIRST_LESSON && app.storyStep === 0 && app.playing && !app.compare
      && app.primary.verdicts.some((v) => v.agent === STORY[0].agent)) {
    app.storyStep = 1;
    renderLesson();
  }
  app.inspector.render();
  app.log.update();
  app.charts.update(app.primary);
  renderSummaries();
  app.tuning.renderDerived();
  renderStoryVerdict();
}

function renderSummaries() {
  if (app.panes.length < 2) return;
  for (const p of app.panes) {
    const run = p.run;
    const sofar = run.verdicts;
    const key = `${sofar.length}|${run.stats.tasksLost}|${run.stats.tasksKilled}|${run.stats.tasksUnreachable}|${run.future?.done}|${Math.floor(app.t / 1000)}`;
    if (p.summaryKey === key) continue;
    p.summaryKey = key;
    const lines = [];
    if (sofar.length === 0) lines.push(h('span', { class: 'v', text: 'No agent marked so far.' }));
    for (const v of sofar.slice(0, 3)) lines.push(h('span', { class: 'v', text: `● ${verdictWords(v)}` }));
    if (sofar.length > 3) lines.push(h('span', { class: 'v', text: `+${sofar.length - 3} more` }));
    const later = (run.future?.verdicts ?? []).filter((v) => v.t > app.t);
    if (later.length) lines.push(h('span', { class: 'v future', text: `later: ${verdictWords(later[0])}${later.length > 1 ? ` (+${later.length - 1})` : ''}` }));
    else if (run.future?.done && sofar.length === 0) lines.push(h('span', { class: 'v future', text: `none before the end (${clock(run.duration)})` }));
    lines.push(h('span', { class: 'tasks', text: `tasks so far: ${run.stats.tasksUnreachable} unreachable, ${run.stats.tasksLost} lost, ${run.stats.tasksKilled} killed on re-registration` }));
    p.summary.replaceChildren(...lines);
    p.summary.dataset.verdicts = sofar.map((v) => `${v.agent}@${v.t}`).join(';');
  }
}

function renderMarkers() {
  const host = $('#marks');
  clear(host);
  const run = app.primary;
  if (!run) return;
  const dur = Math.max(1, app.duration);
  const faults = app.scenario.faults ?? [];
  faults.forEach((f, i) => {
    const t = parseDuration(f.at);
    if (!Number.isFinite(t) || t > dur) return;
    const b = h('button', { type: 'button', class: 'mark fault', title: `${describeFault(f)}${i >= app.baseFaultCount ? ' (yours)' : ''}`, attrs: { 'aria-label': `Jump to fault: ${describeFault(f)}` }, on: { click: () => { setPlaying(false); seek(t); writeHash(); } } });
    b.style.left = `${(t / dur) * 100}%`;
    host.append(b);
  });
  const seen = new Set();
  for (const r of app.runs) {
    for (const v of r.future?.verdicts ?? []) {
      const key = `${Math.round((v.t / dur) * 400)}|${r === app.primary}`;
      if (seen.has(key)) continue; // one marker per pixel-ish bucket
      seen.add(key);
      const b = h('button', {
        type: 'button', class: `mark verdict${v.event === 'agent_removed' ? ' removed' : ''}`,
        title: `${app.runs.length > 1 ? r.policy + ': ' : ''}${verdictWords(v)}`,
        attrs: { 'aria-label': `Jump to verdict: ${verdictWords(v)}` },
        on: { click: () => { setPlaying(false); seek(v.t); const i = app.primary.index.get(v.agent); if (i !== undefined) selectOnly(i); writeHash(); } },
      });
      b.style.left = `${(v.t / dur) * 100}%`;
      if (r !== app.primary) b.classList.add('other');
      host.append(b);
    }
  }
  $('#scrub-end').textContent = clock(app.duration);
  $('#sim-duration').textContent = `of ${clock(app.duration)}`;
}

function renderScenarioChrome() {
  const s = app.scenario;
  $('#scenario-title').textContent = s.name || '(unnamed scenario)';
  $('#scenario-title').title = s.name || '';
  const ps = $('#preset-select');
  const custom = ps.querySelector('option[value="__custom"]');
  if (app.presetName) { ps.value = app.presetName; custom.hidden = true; }
  else { custom.hidden = false; custom.textContent = `Custom: ${String(s.name || 'scenario').slice(0, 40)}`; ps.value = '__custom'; }
  $('#policy-select').value = app.policy;
  $('#policy-chip').textContent = app.compare ? `${app.runs.length} policies, one clock` : `policy: ${app.policy}`;
  $('#compare-toggle').setAttribute('aria-pressed', String(app.compare));
  $('#compare-bar').hidden = !app.compare;
  const shown = policiesShown();
  for (const cb of document.querySelectorAll('#compare-choices input')) cb.checked = shown.includes(cb.value);
  renderLesson();
  renderFaultList();
  renderMarkers();
}

// ---------------------------------------------------------------- lesson

function renderLesson() {
  const body = $('#lesson-body');
  if (!app.scenario) return;
  const s = app.scenario;
  const name = app.presetName;
  const lesson = (name && LESSONS[name]) || GENERIC;
  const desc = s.description ? h('p', { class: 'desc', text: String(s.description) }) : null;
  const kids = [
    h('h3', { text: s.name || '(unnamed scenario)' }),
    name ? null : h('p', { class: 'muted', text: 'A custom scenario (imported, shared, or a lesson you changed).' }),
    h('div', { class: 'verdict-line', id: 'story-verdict', attrs: { 'aria-live': 'polite' } }),
  ];
  if (name === FIRST_LESSON) {
    const ol = h('ol');
    STORY.forEach((step, k) => {
      const li = h('li', { class: k === app.storyStep ? 'active' : '', dataset: { step: String(k) } },
        h('button', { type: 'button', on: { click: () => applyStoryStep(k) }, attrs: { 'aria-current': k === app.storyStep ? 'step' : null } },
          h('span', { class: 'n', text: String(k + 1) }),
          h('span', {}, h('span', { class: 'step-title', text: step.title }), h('span', { class: 'step-body', text: step.body }))));
      ol.append(li);
    });
    kids.push(h('div', { class: 'story' }, h('div', { class: 'kv' }, h('b', { text: 'The MESOS-6286 story in five steps' })), ol));
    if (desc) kids.push(h('div', { class: 'kv' }, h('b', { text: 'The scenario' }), desc));
  } else if (desc) {
    kids.splice(2, 0, desc);
  }
  kids.push(
    h('div', { class: 'kv' }, h('b', { text: 'What to watch' }), h('ul', {}, ...lesson.watch.map((w) => h('li', { text: w })))),
    h('div', { class: 'kv' }, h('b', { text: 'Try next' }), h('ul', {}, ...lesson.tryNext.map((w) => h('li', { text: w })))),
  );
  body.replaceChildren(...kids.filter(Boolean));
  app.storyVerdictKey = null;
  renderStoryVerdict();
}

function renderStoryVerdict() {
  const el = document.getElementById('story-verdict');
  if (!el || !app.primary) return;
  const run = app.primary;
  const f = run.future;
  const key = `${run.policy}|${f?.done}|${f?.verdicts.length}|${app.compare}`;
  if (key === app.storyVerdictKey) return;
  app.storyVerdictKey = key;
  if (!f?.done) { el.textContent = 'Computing the verdicts of this run…'; return; }
  if (!f.verdicts.length) { el.textContent = `Under ${run.policy}, no agent is marked unreachable or removed before ${clock(run.duration)}.`; return; }
  const first = f.verdicts.slice(0, 3).map(verdictWords).join('; ');
  el.textContent = `Under ${run.policy}: ${first}${f.verdicts.length > 3 ? `; +${f.verdicts.length - 3} more` : ''}.`;
}

function applyStoryStep(k) {
  const step = STORY[k];
  if (!step) return;
  if (app.presetName !== FIRST_LESSON && app.presetByName.has(FIRST_LESSON)) {
    loadScenario(deepClone(app.presetByName.get(FIRST_LESSON).scenario), { presetName: FIRST_LESSON });
  }
  setPlaying(false);
  const wantCompare = Array.isArray(step.compare);
  if (wantCompare) app.comparePolicies = step.compare.slice();
  const needRebuild = app.policy !== step.policy || app.compare !== wantCompare || wantCompare;
  app.policy = step.policy;
  app.compare = wantCompare;
  if (needRebuild) rebuildRuns({ keepTime: true });
  renderScenarioChrome();
  app.storyStep = k;
  let t = step.t;
  const ai = app.primary.index.get(step.agent);
  if (t === 'verdict+') {
    const run = app.primary;
    if (!run.future?.done) run.computeFuture(null, { sync: true });
    const v = run.future.verdicts.find((x) => x.agent === step.agent) ?? run.future.verdicts[0];
    t = v ? v.t + 2000 : 660000;
  }
  seek(Math.min(t, app.duration));
  if (ai !== undefined) selectOnly(ai);
  if (step.speed) setSpeed(step.speed);
  renderLesson();
  if (step.play) setPlaying(true);
  writeHash();
}

// ---------------------------------------------------------------- fault list

function renderFaultList() {
  const ol = $('#fault-list');
  if (!ol || !app.scenario) return;
  const faults = app.scenario.faults ?? [];
  clear(ol);
  if (!faults.length) ol.append(h('li', { class: 'muted', text: 'No faults: a healthy cluster.' }));
  faults.forEach((f, i) => {
    const mine = i >= app.baseFaultCount;
    ol.append(h('li', {},
      h('button', { type: 'button', class: 'when', text: clock(parseDuration(f.at)), title: 'Jump there', on: { click: () => { setPlaying(false); seek(parseDuration(f.at)); writeHash(); } } }),
      h('span', { class: 'what', text: describeFault(f, { withTime: false }) }),
      mine ? h('span', { class: 'mine', text: 'yours' }) : null,
      h('button', { type: 'button', title: 'Remove this fault and re-simulate', attrs: { 'aria-label': `Remove fault ${describeFault(f)}` }, text: '×', on: { click: () => removeFault(i) } })));
  });
  $('#clear-mine').hidden = faults.length <= app.baseFaultCount;
}

// ---------------------------------------------------------------- dialogs: import / export / share

function openDialog(sel) {
  app.menu?.close();
  const d = $(sel);
  if (!d.open) d.showModal();
  return d;
}

function openImport() {
  $('#import-errors').hidden = true;
  openDialog('#import-dialog');
  $('#import-text').focus();
}

function showImportErrors(list) {
  fillErrorList($('#import-errors'), list);
}

function doImport() {
  const text = $('#import-text').value;
  let s;
  try { s = JSON.parse(text); } catch (e) { showImportErrors([`not valid JSON: ${e.message}`]); return; }
  if (!s || typeof s !== 'object' || Array.isArray(s)) { showImportErrors(['the scenario must be a JSON object']); return; }
  const problems = validate(s);
  if (problems.length) { showImportErrors(problems); return; }
  try { const sim = new app.lib.Simulation(s); sim.free(); } catch (e) { showImportErrors(errorText(e).split('\n')); return; }
  showImportErrors([]);
  setPlaying(false);
  const ok = loadScenario(s, { presetName: null, baseFaultCount: (s.faults ?? []).length });
  if (ok) { $('#import-dialog').close(); writeHash(); toast(`Loaded “${String(s.name ?? 'scenario').slice(0, 60)}”`); }
}

function openExport() {
  const s = exportScenario();
  $('#export-text').value = JSON.stringify(s, null, 2);
  let hash = '';
  try { hash = app.primary.sim.traceHash(); } catch { /* ignore */ }
  $('#export-hash').textContent = `Trace hash at ${clock(app.t, { millis: true })}: ${hash}`;
  $('#export-hash').dataset.traceHash = hash;
  openDialog('#export-dialog');
}

/** The trace so far (JSON Lines): re-simulated from the recorded scenario (the live run keeps
 *  only undrained events), so the file is complete and hashes like the live run. */
function traceJsonl() {
  const sim = new app.lib.Simulation(exportScenario(), { trace: 'full' });
  try {
    sim.advanceTo(app.primary.sim.now);
    return sim.traceJsonLines();
  } finally {
    sim.free();
  }
}
app.traceJsonl = traceJsonl;

function shareUrl() {
  const base = location.href.split('#')[0];
  const focusName = app.focus >= 0 ? app.primary.names[app.focus] : undefined;
  return base + buildHash({
    presetName: app.presetName && sameAsPreset() ? app.presetName : null,
    scenario: exportScenario(), t: app.t, speed: app.speed, policy: app.policy,
    compare: app.compare ? policiesShown() : null, agent: focusName,
  });
}
app.shareUrl = shareUrl;

function openShare() {
  setPlaying(false);
  const url = shareUrl();
  $('#share-url').value = url;
  openDialog('#share-dialog');
  $('#share-url').select();
  writeHash(true);
}

let hashTimer = 0;
function writeHash(now = false) {
  clearTimeout(hashTimer);
  const go = () => {
    if (app.tab !== 'lab') return; // the Tuning tab writes its own (#sweep=…)
    const url = shareUrl();
    const hash = url.slice(url.indexOf('#'));
    app.lastHash = hash;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  };
  if (now) go(); else hashTimer = setTimeout(go, 250);
}
app.writeHash = writeHash;

// ---------------------------------------------------------------- theme

function onThemeChanged() {
  if (!app.charts) return;
  readPalette();
  redrawLegend();
  for (const p of app.panes) p.view.hatch = null;
  app.charts.create(app.primary);
  app.dirty = true;
}
app.setTheme = (t) => theme.set(t);

// ---------------------------------------------------------------- tabs: Lab | Tuning

/** Shows the Lab or the Tuning tab; the Lab keeps its state (paused) while hidden. */
function setTab(tab, { hash, keepHash = false } = {}) {
  if (tab !== 'lab' && tab !== 'tune') return;
  const was = app.tab;
  app.tab = tab;
  document.body.dataset.tab = tab;
  for (const b of document.querySelectorAll('[data-tab]')) {
    const on = b.dataset.tab === tab;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  $('#app').hidden = tab !== 'lab';
  $('#tune-view').hidden = tab !== 'tune';
  if (tab === 'tune') {
    if (app.playing) setPlaying(false);
    app.menu?.close();
    app.sweep.show(hash);
  } else {
    app.sweep?.hide();
    app.dirty = true;
    app.slowDirty = true;
    if (was !== 'lab' && !keepHash) writeHash(true);
  }
}
app.setTab = setTab;

/**
 * Opens a scenario in the Lab (a sweep trial): loads it, jumps to `t`, selects `agent`, and
 * plays at `speed`. Returns false if the engine refuses it (the previous scenario is kept).
 */
function openScenario(scenario, { t = 0, agent, speed, play = true } = {}) {
  setTab('lab', { keepHash: true });
  setPlaying(false);
  if (!loadScenario(scenario, { presetName: null, baseFaultCount: (scenario.faults ?? []).length })) return false;
  if (speed) setSpeed(speed);
  seek(clamp(Number(t) || 0, 0, app.duration));
  const i = agent !== undefined ? app.primary.index.get(agent) : undefined;
  if (i !== undefined) selectOnly(i);
  if (play) setPlaying(true);
  writeHash(true);
  return true;
}
app.openScenario = openScenario;

// ---------------------------------------------------------------- keyboard

function onKey(e) {
  const tag = e.target?.tagName;
  const typing = tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || e.target?.isContentEditable;
  if (e.key === 'Escape') {
    if (!app.menu.el.hidden) { app.menu.close(true); e.preventDefault(); }
    return;
  }
  if (document.querySelector('dialog[open]')) return;
  if (app.tab !== 'lab') return;
  if (typing && !(tag === 'INPUT' && e.target.type === 'range' && e.key === ' ')) return;
  if (e.altKey || e.metaKey || e.ctrlKey) return;
  if (!app.menu.el.hidden && app.menu.el.contains(e.target)) return;
  // Space on a focused button/link/checkbox keeps its native meaning.
  if (e.key === ' ' && (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || (tag === 'INPUT' && e.target.type !== 'range'))) return;
  switch (e.key) {
    case ' ': e.preventDefault(); setPlaying(!app.playing); break;
    case 'ArrowRight': if (tag === 'INPUT') return; e.preventDefault(); stepToNextEvent(); break;
    case 'n': case 'N': e.preventDefault(); nextVerdict(); break;
    case 'r': case 'R': e.preventDefault(); restart(); break;
    case '?': e.preventDefault(); openDialog('#help-dialog'); break;
    default:
  }
}

// for the panels (they reach the app through this object, not imports)
Object.assign(app, {
  injectFault, editScenario, selectOnly, toggleSelect, setPlaying, toast, setPolicy, exportScenario,
  validate, scenarioFor, stepToNextEvent, nextVerdict, restart, applyStoryStep,
  seekTo: (t) => { setPlaying(false); seek(t); writeHash(); },
});

boot().catch((e) => {
  showBanner(`The lab failed to start: ${errorText(e)}`);
  // eslint-disable-next-line no-console
  console.warn(e);
});
