// <liveness-lab>: one lesson of the Liveness Lab in a course page, with one tag. Each element
// has its own model (lab/state.js :: LabState, so its own wasm Simulations), clock and view in an
// open shadow root; what they share is read-only: the wasm module (initialised once,
// engine.js :: loadEngine), the stylesheet and the colours. Attributes (settings.js) are
// the inputs: a change re-applies only what changed, and a bad one shows a readable error in the
// element. Keys act only while the element has the focus (README, "Embed it in a course page").
import { loadEngine } from '../engine.js';
import { LabState } from '../lab/state.js';
import { FIRST_LESSON } from '../lab/lessons.js';
import { readPalette } from '../palette.js';
import { errorText, stableJson } from '../util.js';
import { buildHash } from '../lab/urlstate.js';
import { ATTRIBUTES, readSettings } from './settings.js';
import { EmbedClock, DEFAULT_SPEED } from './embed-clock.js';
import { EmbedView } from './embed-view.js';
import css from './embed.css?inline';

/** The keys an element answers while focused (aria-keyshortcuts). */
const KEYS = 'Space ArrowRight ArrowLeft Home N';

/** The full lab's page (index.html of the same site), set once by defineLivenessLab. */
let labPage = 'index.html';

/** One stylesheet, shared read-only by every element's shadow root. */
let sheet = null;
function styleSheet() {
  if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(css); }
  return sheet;
}

/** The <liveness-lab> element (see the top of this file). */
export class LivenessLab extends HTMLElement {
  static get observedAttributes() { return ATTRIBUTES; }

  constructor() {
    super();
    // Its role and name for assistive technology, without writing the page's attributes (an
    // aria-label the page sets wins); the `error` state lets the style shrink an error box.
    this.internals = this.attachInternals();
    this.internals.role = 'region';
    this.internals.ariaLabel = 'Liveness Lab';
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [styleSheet()];
    this.view = new EmbedView(root, {
      togglePlay: () => this.act(() => this.clock.setPlaying(!this.clock.playing)),
      restart: () => this.act(() => this.clock.seekTo(0)),
      step: () => this.act(() => this.clock.stepToNextEvent()),
      nextVerdict: () => this.act(() => this.clock.nextVerdict()),
      seekFraction: (f) => this.act(() => this.clock.seekTo(f * this.state.duration)),
      setSpeed: (x) => this.act(() => { this.clock.setSpeed(x); this.view.showSpeed(this.clock.speed); }),
      setPolicy: (p) => this.act(() => this.state.setPolicy(p)),
      labLink: () => labPage + (this.state ? buildHash(this.state.linkState(this.clock.speed)) : ''),
    });
    this.state = null;
    this.clock = null;
    /** The settings last applied from the attributes (the reader's own moves are not in it). */
    this.applied = null;
    this.queued = false;
    this.onKey = this.onKey.bind(this);
  }

  connectedCallback() {
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
    if (!this.hasAttribute('aria-keyshortcuts')) this.setAttribute('aria-keyshortcuts', KEYS);
    this.addEventListener('keydown', this.onKey);
    this.view.reconnect();
    this.clock?.start();
    this.queue();
  }

  disconnectedCallback() {
    this.removeEventListener('keydown', this.onKey);
    this.clock?.stop();
    this.view.disconnect();
  }

  attributeChangedCallback() { this.queue(); }

  /** Applies the attributes once for all the changes made in one task. */
  queue() {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.apply().catch((e) => this.fail([errorText(e)]));
    });
  }

  /** The engine and this element's model, made on first use. */
  async model() {
    if (this.state) return this.state;
    let lib;
    try {
      lib = await loadEngine();
    } catch (e) {
      throw new Error(`the simulator could not be loaded: ${errorText(e)}`);
    }
    if (this.state) return this.state; // another apply made it while this one waited
    readPalette(this);
    this.state = new LabState(lib, {
      onMessage: (ev, run) => this.view.addMessage(ev, run),
      onJump: (run) => this.view.resetMessages(run),
      onRunsRebuilt: () => this.view.runsRebuilt(this.state),
      // The verdicts to the end are ready (a lookahead finished, or a judge digest arrived).
      onFuture: () => { this.view.dirty = true; },
      onJudged: () => { this.view.dirty = true; },
    });
    this.clock = new EmbedClock(this.state, (wall, moved) => this.view.render(this.state, wall, { moved, playing: this.clock.playing }));
    if (this.isConnected) this.clock.start();
    return this.state;
  }

  /** Reads the attributes and applies what changed since the last time (see the top of this file). */
  async apply() {
    if (!this.isConnected) return;
    const want = readSettings((name) => this.getAttribute(name));
    const state = await this.model();
    const errors = [...want.errors];
    let presetName = null;
    if (want.scenario) {
      for (const p of state.validate(want.scenario)) errors.push(`scenario: ${p}`);
    } else if (!errors.length) {
      presetName = want.preset ?? (state.presetByName.has(FIRST_LESSON) ? FIRST_LESSON : state.presets[0]?.name);
      if (!state.presetByName.has(presetName)) {
        errors.push(`preset="${String(presetName).slice(0, 80)}": there is no such preset (one of ${state.presets.map((p) => p.name).join(', ')})`);
      }
    }
    if (errors.length) { this.fail(errors); return; }

    const was = this.applied ?? {};
    const source = stableJson(want.scenario ?? { preset: presetName });
    if (source !== was.source) {
      this.clock.setPlaying(false);
      const error = want.scenario
        ? state.load(want.scenario, { policy: want.policy })
        : state.loadPreset(presetName, { policy: want.policy });
      if (error) { this.fail([`the engine cannot simulate this scenario: ${error}`]); return; }
    } else if (want.policy !== was.policy) {
      state.setPolicy(want.policy ?? state.scenario.policy ?? state.policy);
    }
    if (source !== was.source || want.t !== was.t) this.clock.seekTo(want.t ?? 0);
    if (want.agent !== was.agent && want.agent !== undefined) {
      const i = state.primary.index.get(want.agent);
      if (i !== undefined) state.selectOnly(i);
    }
    if (want.speed !== was.speed || !this.applied) this.clock.setSpeed(want.speed ?? DEFAULT_SPEED);
    this.view.showSpeed(this.clock.speed);
    this.view.setControls(want.controls);
    this.view.showLab();
    this.internals.states.delete('error');
    this.internals.ariaLabel = `Liveness Lab: ${state.scenario.name || 'scenario'}`;
    this.applied = { ...want, source };
    this.dispatchEvent(new CustomEvent('liveness-ready', { detail: { preset: presetName, policy: state.policy, t: state.t } }));
  }

  /** Shows the problems in the element and forgets the applied settings (a fix re-applies all). */
  fail(errors) {
    this.clock?.setPlaying(false);
    this.applied = null;
    this.view.showError(errors);
    this.internals.states.add('error');
    this.dispatchEvent(new CustomEvent('liveness-error', { detail: { errors } }));
  }

  /** A reader's move (a button, a key): done only when a scenario is shown. */
  act(move) {
    if (!this.applied) return;
    move();
    this.view.dirty = true;
  }

  /** Keys while the element (or something in it) has the focus; fields keep their own keys. */
  onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || !this.applied) return;
    const target = e.composedPath()[0];
    const tag = target?.tagName;
    if (tag === 'SELECT' || (tag === 'INPUT' && e.key !== ' ')) return;
    if (e.key === ' ' && (tag === 'BUTTON' || tag === 'SUMMARY')) return; // native activation
    const { clock, state } = this;
    switch (e.key) {
      case ' ': this.act(() => clock.setPlaying(!clock.playing)); break;
      case 'ArrowRight': this.act(() => clock.stepToNextEvent()); break;
      case 'ArrowLeft': this.act(() => clock.seekTo(state.t - Math.max(1000, state.duration / 100))); break;
      case 'Home': this.act(() => clock.seekTo(0)); break;
      case 'n': case 'N': this.act(() => clock.nextVerdict()); break;
      default: return;
    }
    e.preventDefault();
  }
}

/**
 * Defines <liveness-lab> (once: a second script tag is harmless). `siteRoot` is the address of
 * the built site's root, where the full lab (index.html) is.
 */
export function defineLivenessLab(siteRoot) {
  labPage = new URL('index.html', siteRoot).href;
  if (!customElements.get('liveness-lab')) customElements.define('liveness-lab', LivenessLab);
}
