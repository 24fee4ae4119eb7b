// The Lesson panel: the preset's own description and its teaching text (lessons.js), the live
// verdict line, and the guided MESOS-6286 story on the first lesson — each step sets the policy,
// the time, the agent and the speed through the calls given to the constructor.
import { LESSONS, GENERIC, STORY, FIRST_LESSON } from './lessons.js';
import { verdictWords } from '../describe.js';
import { clock } from '../util.js';
import { h, $ } from '../dom.js';

/** The Lesson panel and the MESOS-6286 story. */
export class Story {
  /**
   * @param state the LabState shown
   * @param clock the Lab's Clock (a step pauses, seeks, sets the speed, may play)
   * @param lab — { loadPreset(name), chrome(), selectAgent(name), writeHash() }
   */
  constructor(state, clock, lab) {
    this.state = state;
    this.clock = clock;
    this.lab = lab;
    /** The story step shown, or -1. */
    this.step = -1;
    this.verdictKey = null;
  }

  reset() { this.step = -1; }

  /** The lesson text for the working scenario. */
  render() {
    const body = $('#lesson-body');
    const { state } = this;
    if (!state.scenario) return;
    const s = state.scenario;
    const name = state.presetName;
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
        const li = h('li', { class: k === this.step ? 'active' : '', dataset: { step: String(k) } },
          h('button', { type: 'button', on: { click: () => this.apply(k) }, attrs: { 'aria-current': k === this.step ? 'step' : null } },
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
    this.verdictKey = null;
    this.renderVerdict();
  }

  /** The verdict line: what the primary run decides, from its lookahead. */
  renderVerdict() {
    const el = document.getElementById('story-verdict');
    const { state } = this;
    if (!el || !state.primary) return;
    const run = state.primary;
    const f = run.future;
    const key = `${run.policy}|${f?.done}|${f?.verdicts.length}|${state.compare}`;
    if (key === this.verdictKey) return;
    this.verdictKey = key;
    if (!f?.done) { el.textContent = 'Computing the verdicts of this run…'; return; }
    if (!f.verdicts.length) { el.textContent = `Under ${run.policy}, no agent is marked unreachable or removed before ${clock(run.duration)}.`; return; }
    const first = f.verdicts.slice(0, 3).map(verdictWords).join('; ');
    el.textContent = `Under ${run.policy}: ${first}${f.verdicts.length > 3 ? `; +${f.verdicts.length - 3} more` : ''}.`;
  }

  /** Moves the story on by itself when the verdict its first step announces happens while playing. */
  tick() {
    const { state } = this;
    if (state.presetName === FIRST_LESSON && this.step === 0 && this.clock.playing && !state.compare
        && state.primary.verdicts.some((v) => v.agent === STORY[0].agent)) {
      this.step = 1;
      this.render();
    }
  }

  /** Shows story step k (loading the first lesson if another scenario is open). */
  apply(k) {
    const step = STORY[k];
    if (!step) return;
    const { state, clock, lab } = this;
    if (state.presetName !== FIRST_LESSON && state.presetByName.has(FIRST_LESSON)) lab.loadPreset(FIRST_LESSON);
    clock.setPlaying(false);
    state.showPolicies(step.policy, Array.isArray(step.compare) ? step.compare : null);
    lab.chrome();
    this.step = k;
    let t = step.t;
    if (t === 'verdict+') {
      const run = state.primary;
      if (!run.future?.done) run.computeFuture(null, { sync: true });
      const v = run.future.verdicts.find((x) => x.agent === step.agent) ?? run.future.verdicts[0];
      t = v ? v.t + 2000 : 660000;
    }
    clock.seek(Math.min(t, state.duration));
    lab.selectAgent(step.agent);
    if (step.speed) clock.setSpeed(step.speed);
    this.render();
    if (step.play) clock.setPlaying(true);
    lab.writeHash();
  }
}
