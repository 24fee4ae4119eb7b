// Presenter mode, for a class: large type, the side panels hidden, the cluster, the caption and
// the lane timeline full width, and the story's beats as chapters across the top. Keyboard
// driven (keys.js): → or PageDown continues, ← or PageUp goes back a beat, Space plays and
// pauses, P or Esc leaves. `&present=1` in the link opens it.
import { h, $ } from '../dom.js';

/** Presenter mode (see the top of this file). */
export class Presenter {
  /**
   * @param state the LabState
   * @param story the Story (its beats are the chapters)
   * @param lab — { writeHash(), resized() }
   */
  constructor(state, story, lab) {
    this.state = state;
    this.story = story;
    this.lab = lab;
    this.on = false;
    this.bar = $('#chapters');
    $('#present-btn')?.addEventListener('click', () => this.toggle());
  }

  toggle() { this.set(!this.on); }

  /** Enters or leaves presenter mode. */
  set(on) {
    if (on === this.on) return;
    this.on = on;
    document.body.classList.toggle('presenting', on);
    $('#present-btn')?.setAttribute('aria-pressed', String(on));
    this.renderChapters();
    this.lab.resized();
    this.lab.writeHash();
    if (on && this.story.step < 0 && this.story.count) this.story.apply(0);
  }

  /** The chapter bar: one button per beat, the current one marked. */
  renderChapters() {
    const bar = this.bar;
    if (!bar) return;
    const lesson = this.story.lesson();
    bar.hidden = !this.on || !lesson;
    if (bar.hidden) return;
    bar.replaceChildren(
      h('span', { class: 'ch-title', text: this.state.scenario?.name ?? '' }),
      ...lesson.beats.map((b, k) => h('button', {
        type: 'button', class: `chapter${k === this.story.step ? ' on' : ''}`, dataset: { chapter: String(k + 1) },
        attrs: { 'aria-current': k === this.story.step ? 'step' : null, title: b.title },
        on: { click: () => this.story.apply(k) },
      }, h('span', { class: 'n', text: String(k + 1) }), h('span', { class: 't', text: b.title }))),
      h('button', { type: 'button', class: 'btn ch-exit', text: 'Leave (Esc)', on: { click: () => this.set(false) } }));
  }
}
