// The guided story: the Lesson panel (the lesson's title, "your variation" with Back to the
// story, the primer on the first lesson, the beats as cards, the verdict line, what to watch and
// what to try — all computed from the run, lessons.js) and the caption over the cluster. A beat
// sets its policy (or compare set), waits for the run to be judged, then plays or seeks to its
// moment and pauses with its caption and Continue; a question beat asks first and reveals after.
// The current beat carries data-story-step="N" (1-based, as &step=N) and aria-current="step";
// when the clock moves by other means, the highlight follows the time.
import { LESSONS, GENERIC, FIRST_LESSON } from './lessons.js';
import { runFacts } from './facts.js';
import { verdictWords } from './engine-facts.js';
import { clock, stableJson } from '../util.js';
import { h, $ } from '../dom.js';
import { SPEEDS } from './clock.js';

export { FIRST_LESSON };

/** Longest play into a beat (simulated ms); farther beats are jumped to. */
const MAX_PLAY_MS = 20 * 60_000;
/** Wall time a play into a beat should take (ms). */
const PLAY_WALL_MS = 5000;

/** The settings and fault count in which `b` (the working scenario) differs from `a` (the preset). */
export function scenarioChanges(a, b) {
  const out = [];
  const walk = (x, y, path) => {
    const keys = new Set([...Object.keys(x ?? {}), ...Object.keys(y ?? {})]);
    for (const k of keys) {
      if (k === 'faults' || k === 'policy' || k === 'expect' || k === 'name' || k === 'description') continue;
      const p = path ? (Array.isArray(x ?? y) ? `${path}[${k}]` : `${path}.${k}`) : k;
      const u = x?.[k], v = y?.[k];
      if (u && v && typeof u === 'object' && typeof v === 'object') walk(u, v, p);
      else if (stableJson(u) !== stableJson(v)) out.push({ path: p, from: u, to: v });
    }
  };
  walk(a, b, '');
  const fa = a.faults?.length ?? 0, fb = b.faults?.length ?? 0;
  const faultsChanged = stableJson(a.faults ?? []) !== stableJson(b.faults ?? []);
  return { settings: out, faults: faultsChanged ? { from: fa, to: fb } : null };
}

/** The Lesson panel, the beats and the caption. */
export class Story {
  /**
   * @param state the LabState shown
   * @param clock the Lab's Clock
   * @param lab — { loadPreset(name), chrome(), selectAgent(name), writeHash(), whenIdle() →
   *   Promise, whenJudged() → Promise, setHideFuture(on), showStage(), backToLesson() }
   */
  constructor(state, clock, lab) {
    this.state = state;
    this.clock = clock;
    this.lab = lab;
    /** The current beat (0-based), or -1. */
    this.step = -1;
    /** The beat whose question is open: { k, answered: null | id }. */
    this.question = null;
    this.token = 0;
    this.verdictKey = null;
    this.moments = null;
    this.captionEl = $('#caption');
    this.stepCaption = null;
  }

  reset() { this.step = -1; this.question = null; this.token++; this.moments = null; this.lab.setHideFuture(false); }

  /** The lesson of the working scenario (its own, or the one it is a variation of), or null. */
  lesson() { return (this.state.lesson && LESSONS[this.state.lesson]) || null; }

  /** The policy a beat without one is seen under: the lesson preset's own. */
  lessonPolicy() {
    const p = this.state.presetByName.get(this.state.lesson);
    return p?.scenario.policy ?? this.state.policy;
  }

  /** The beats' count. */
  get count() { return this.lesson()?.beats.length ?? 0; }

  // ------------------------------------------------------------ the panel

  /** The Lesson panel for the working scenario. */
  render() {
    const body = $('#lesson-body');
    const { state } = this;
    if (!state.scenario) return;
    const s = state.scenario;
    const lesson = this.lesson();
    const facts = runFacts(state.primary);
    const kids = [h('h3', { text: s.name || '(unnamed scenario)' })];
    if (state.isVariation) kids.push(this._variation());
    else if (!lesson) kids.push(h('p', { class: 'muted', text: 'A custom scenario (imported or shared).' }));
    if (lesson?.primer && state.lesson === FIRST_LESSON) {
      kids.push(h('div', { class: 'primer', dataset: { primer: '' } }, h('b', { text: 'In three lines' }),
        h('ol', {}, ...(facts ? lesson.primer(facts) : lesson.primer({ P: state.primary.params.pingMs, N: state.primary.params.maxPings })).map((l) => h('li', { text: l })))));
    }
    kids.push(h('div', { class: 'verdict-line', id: 'story-verdict', attrs: { 'aria-live': 'polite' } }));
    if (lesson) {
      const ol = h('ol', { class: 'beats' });
      lesson.beats.forEach((beat, k) => {
        const cur = k === this.step;
        ol.append(h('li', { class: cur ? 'active' : '', dataset: { storyStep: String(k + 1) }, attrs: { 'aria-current': cur ? 'step' : null } },
          h('button', { type: 'button', on: { click: () => this.apply(k, { play: false, fromCard: true }) } },
            h('span', { class: 'n', text: String(k + 1) }),
            h('span', {}, h('span', { class: 'step-title', text: beat.title }),
              cur && this.captionText ? h('span', { class: 'step-body', text: this.captionText }) : null,
              beat.question ? h('span', { class: 'q-tag', text: 'question' }) : null))));
      });
      kids.push(h('div', { class: 'story' }, h('div', { class: 'kv' }, h('b', { text: `The story in ${lesson.beats.length} beats` })), ol,
        h('div', { class: 'story-actions' },
          h('button', { class: 'btn', type: 'button', text: this.step < 0 ? 'Start the story' : 'Continue ▶', on: { click: () => this.next() } }),
          h('button', { class: 'btn', type: 'button', text: 'Present', title: 'Presenter mode: large type, beats as chapters (P)', on: { click: () => this.lab.present(true) } }))));
    }
    if (s.description && !state.isVariation) kids.push(h('div', { class: 'kv' }, h('b', { text: 'The scenario' }), h('p', { class: 'desc', text: String(s.description) })));
    const teach = lesson ?? GENERIC;
    if (facts || !lesson) {
      kids.push(
        h('div', { class: 'kv' }, h('b', { text: 'What to watch' }), h('ul', { dataset: { watch: '' } }, ...teach.watch(facts).map((w) => h('li', { text: w })))),
        h('div', { class: 'kv' }, h('b', { text: 'Try next' }), h('ul', {}, ...teach.tryNext(facts).map((w) => h('li', { text: w })))),
      );
    } else {
      kids.push(h('p', { class: 'muted', text: `Judging the run… ${Math.round(state.primary.judging * 100)}%` }));
    }
    body.replaceChildren(...kids);
    this.verdictKey = null;
    this.renderVerdict();
    this.lab.renderChapters?.();
  }

  _variation() {
    const { state } = this;
    const preset = state.presetByName.get(state.lesson);
    const ch = scenarioChanges(preset.scenario, state.scenario);
    const parts = ch.settings.slice(0, 4).map((c) => `${c.path.replace(/^agent_defaults\./, '')} ${c.from ?? 'default'} → ${c.to ?? 'default'}`);
    if (ch.settings.length > 4) parts.push(`+${ch.settings.length - 4} more`);
    if (ch.faults) parts.push(`faults ${ch.faults.from} → ${ch.faults.to}`);
    return h('div', { class: 'variation', dataset: { variation: '' } },
      h('span', {}, h('b', { text: 'Your variation' }), ` of “${preset.title}”${parts.length ? `: ${parts.join('; ')}` : ''}. The story below is computed from it.`),
      h('button', { class: 'btn', type: 'button', text: 'Back to the story', dataset: { backToStory: '' }, on: { click: () => this.lab.backToLesson() } }));
  }

  /** The verdict line: what the primary run decides, from its digest. */
  renderVerdict() {
    const el = document.getElementById('story-verdict');
    const { state } = this;
    if (!el || !state.primary) return;
    const run = state.primary;
    const d = run.digest;
    const hide = !!this.question && !this.question.answered;
    const key = `${run.variant.label}|${!!d}|${d?.verdicts.length}|${state.compare}|${hide}|${Math.round(run.judging * 20)}`;
    if (key === this.verdictKey) return;
    this.verdictKey = key;
    el.dataset.judging = d ? '' : String(Math.round(run.judging * 100));
    if (run.judgeError) { el.textContent = `The run could not be judged: ${run.judgeError}`; return; }
    if (!d) { el.textContent = `Judging this run to its end… ${Math.round(run.judging * 100)}%`; return; }
    if (hide) { el.textContent = 'The verdicts are hidden until you answer the question.'; return; }
    const label = run.variant.path ? `${run.policy}, ${run.variant.label}` : run.policy;
    if (!d.verdicts.length) { el.textContent = `Under ${label}, no agent is marked unreachable or removed before ${clock(run.duration)}.`; return; }
    const first = d.verdicts.slice(0, 3).map(verdictWords).join('; ');
    el.textContent = `Under ${label}: ${first}${d.verdicts.length > 3 ? `; +${d.verdicts.length - 3} more` : ''}.`;
  }

  // ------------------------------------------------------------ beats

  /** Waits until every run is judged; then the facts of each (primary first). */
  async _facts(token) {
    await this.lab.whenJudged();
    if (token !== this.token) return null;
    const { state } = this;
    const f = runFacts(state.primary);
    const all = state.runs.map(runFacts);
    return f && all.every(Boolean) ? { f, all } : null;
  }

  /**
   * Shows beat k: its policy, then its moment (played into when `play` and near, else jumped
   * to), paused, with its caption. Loads the lesson first if another scenario is open.
   */
  async apply(k, { play = false } = {}) {
    const { state, clock, lab } = this;
    if (!this.lesson() && state.presetByName.has(FIRST_LESSON)) lab.loadPreset(FIRST_LESSON);
    const lesson = this.lesson();
    const beat = lesson?.beats[k];
    if (!beat) return;
    const token = ++this.token;
    clock.setPlaying(false);
    clock.stopAt = null;
    this.step = k;
    this.stepCaption = null;
    this.question = beat.question ? { k, answered: null } : null;
    lab.setHideFuture(!!this.question);
    state.showPolicies(beat.policy ?? this.lessonPolicy(), Array.isArray(beat.compare) ? beat.compare : null);
    lab.chrome();
    lab.selectAgent(beat.agent ?? lesson.agent);
    this.captionText = '';
    this.render();
    this.renderCaption();
    lab.showStage();
    const facts = await this._facts(token);
    if (!facts) return;
    await lab.whenIdle();
    if (token !== this.token) return;
    const at = beat.at(facts.f);
    const from = beat.from?.(facts.f);
    this.captionText = beat.caption(facts.f, facts.all);
    this.arrivedAt = at;
    const t = state.t;
    if (play && from !== undefined && (t > at || t < from)) clock.seekTo(from);
    await lab.whenIdle();
    if (token !== this.token) return;
    const gap = at - state.t;
    if (play && gap > 0 && gap <= MAX_PLAY_MS) {
      const want = Math.max(beat.speed ?? 10, gap / PLAY_WALL_MS);
      clock.setSpeed(SPEEDS.find((x) => x >= want) ?? SPEEDS.at(-1));
      this.playingTo = token;
      clock.playTo(at, () => { if (this.token === token) { this.playingTo = 0; this._arrived(); } });
    } else {
      clock.seekTo(at);
      await lab.whenIdle();
      if (token === this.token) this._arrived();
    }
    lab.writeHash();
  }

  _arrived() {
    this.render();
    this.renderCaption();
    this.lab.writeHash();
  }

  /** Continue: the next beat, played into. */
  next() {
    const n = this.count;
    if (!n) return;
    if (this.question && !this.question.answered) return;
    if (this.step + 1 < n) this.apply(this.step + 1, { play: true });
  }

  /** The previous beat, jumped to. */
  previous() {
    if (this.step > 0) this.apply(this.step - 1);
  }

  /** An answer to the open question. */
  answer(id) {
    const q = this.question;
    if (!q || q.answered) return;
    q.answered = id;
    this.lab.setHideFuture(false);
    this.render();
    this.renderCaption();
  }

  /** The caption of the current beat (or the open question, or the last step), in the stage. */
  renderCaption() {
    const el = this.captionEl;
    if (!el) return;
    const lesson = this.lesson();
    const beat = lesson?.beats[this.step];
    if (this.stepCaption) {
      el.hidden = false;
      el.className = 'caption step';
      el.replaceChildren(h('div', { class: 'cap-head' }, h('b', { text: 'Step' }), h('span', { class: 'muted', text: ` ${this.stepCaption.time}` }),
        h('button', { class: 'btn icon cap-x', type: 'button', text: '×', attrs: { 'aria-label': 'Close the caption' }, on: { click: () => { this.stepCaption = null; this.renderCaption(); } } })),
      h('ul', { class: 'cap-events' }, ...this.stepCaption.lines.map((l) => h('li', { text: l }))));
      el.dataset.caption = 'step';
      return;
    }
    if (!beat) { el.hidden = true; el.dataset.caption = ''; return; }
    el.hidden = false;
    el.className = 'caption';
    el.dataset.caption = 'beat';
    el.dataset.storyCaption = String(this.step + 1);
    const q = this.question?.k === this.step ? this.question : null;
    const kids = [h('div', { class: 'cap-head' },
      h('span', { class: 'cap-n', text: `${this.step + 1} / ${lesson.beats.length}` }),
      h('b', { text: beat.title }),
      this.state.isVariation ? h('span', { class: 'cap-var', text: 'your variation' }) : null)];
    kids.push(h('p', { class: 'cap-text', text: this.captionText || 'Working it out…' }));
    if (q) {
      const facts = runFacts(this.state.primary);
      if (facts) {
        const right = beat.question.answer(facts);
        const opts = beat.question.options(facts);
        kids.push(h('div', { class: 'cap-options', attrs: { role: 'group', 'aria-label': 'Your prediction' } },
          ...opts.map((o) => h('button', {
            type: 'button', class: `btn opt${q.answered === o.id ? ' picked' : ''}${q.answered && o.id === right ? ' right' : ''}`,
            disabled: !!q.answered, dataset: { option: o.id },
            on: { click: () => this.answer(o.id) },
          }, q.answered && o.id === right ? '✓ ' : q.answered === o.id ? '✗ ' : '', o.text))));
        if (q.answered) {
          kids.push(h('p', { class: `cap-reveal ${q.answered === right ? 'ok' : 'no'}`, dataset: { reveal: q.answered === right ? 'right' : 'wrong' } },
            h('b', { text: q.answered === right ? 'Right. ' : 'Not quite. ' }), beat.question.explain(facts)));
        }
      }
    }
    const canGo = !q || q.answered;
    kids.push(h('div', { class: 'cap-actions' },
      h('button', { class: 'btn', type: 'button', text: '◀ Back', disabled: this.step <= 0, on: { click: () => this.previous() } }),
      this.state.isVariation ? h('button', { class: 'btn', type: 'button', text: 'Back to the story', on: { click: () => this.lab.backToLesson() } }) : null,
      h('span', { class: 'spacer' }),
      this.step + 1 < lesson.beats.length
        ? h('button', { class: 'btn primary', type: 'button', text: 'Continue ▶', disabled: !canGo, dataset: { continue: '' }, on: { click: () => this.next() } })
        : h('span', { class: 'muted', text: 'The end of this story.' })));
    el.replaceChildren(...kids);
  }

  /** Step →: a caption describing what happened at the new time. */
  showStep(t, lines) {
    this.stepCaption = { time: clock(t, { millis: true }), lines: lines.length ? lines : ['(messages only)'] };
    this.renderCaption();
  }

  /** Drops the step caption (the clock moved on). */
  clearStep() { if (this.stepCaption) { this.stepCaption = null; this.renderCaption(); } }

  // ------------------------------------------------------------ following the clock

  /** After the time moved by other means: the current beat is the last one whose moment has come. */
  follow() {
    const lesson = this.lesson();
    const { state } = this;
    if (!lesson || this.playingTo || !state.primary?.digest || state.judging) return;
    const f = runFacts(state.primary);
    const all = state.runs.map(runFacts);
    const key = state.runs.map((r) => r.variant.label).join(',');
    if (!this.moments || this.momentsFor !== state.primary.digest || this.momentsKey !== key) {
      this.momentsFor = state.primary.digest;
      this.momentsKey = key;
      const policy = this.lessonPolicy();
      this.moments = lesson.beats.map((b) => {
        const same = (b.policy ?? policy) === state.policy
          && (Array.isArray(b.compare) ? state.compare && state.compareBy === 'policy' && stableJson(b.compare) === stableJson(state.policiesShown()) : !state.compare);
        return same ? b.at(f) : null;
      });
    }
    let k = -1;
    this.moments.forEach((m, i) => { if (m !== null && m <= state.t + 1) k = i; });
    if (k === this.step || k < 0) return;
    this.step = k;
    const beat = lesson.beats[k];
    this.question = null; // reached by the clock, not asked: Back/Continue re-apply it
    this.lab.setHideFuture(false);
    this.captionText = beat.caption(f, all);
    this.render();
    this.renderCaption();
  }

  /** The digests changed: texts computed from them again. */
  judged() {
    this.moments = null;
    const lesson = this.lesson();
    const beat = lesson?.beats[this.step];
    const f = runFacts(this.state.primary);
    if (beat && f && this.state.runs.every((r) => r.digest)) this.captionText = beat.caption(f, this.state.runs.map(runFacts));
    this.render();
    this.renderCaption();
  }
}
