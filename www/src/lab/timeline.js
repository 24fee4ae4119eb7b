// The scenario on the time axis: the scrubber's marks (▼ each fault, ▍ each verdict of every
// run, from the judge's digests; none after the current time while a question is open) and the
// Fault script panel (each fault with its time, yours marked, removable). Clicking a mark or a
// time jumps there through the calls given to the constructor.
import { describeFault, verdictWords } from './engine-facts.js';
import { clock } from '../util.js';
import { parseDuration } from '../duration.js';
import { h, $, clear } from '../dom.js';

/** The scrubber's marks and the Fault script panel. */
export class Timeline {
  /**
   * @param state the LabState shown
   * @param actions — { jumpTo(t), showVerdict(v), removeFault(i) }
   */
  constructor(state, actions) {
    this.state = state;
    this.actions = actions;
  }

  /** The scrubber's fault and verdict marks and its end time. */
  renderMarks() {
    const { state } = this;
    const host = $('#marks');
    clear(host);
    if (!state.primary) return;
    const dur = Math.max(1, state.duration);
    const faults = state.scenario.faults ?? [];
    faults.forEach((f, i) => {
      const t = parseDuration(f.at);
      if (!Number.isFinite(t) || t > dur) return;
      const b = h('button', { type: 'button', class: 'mark fault', title: `${describeFault(f)}${i >= state.baseFaultCount ? ' (yours)' : ''}`, attrs: { 'aria-label': `Jump to fault: ${describeFault(f)}` }, on: { click: () => this.actions.jumpTo(t) } });
      b.style.left = `${(t / dur) * 100}%`;
      host.append(b);
    });
    const seen = new Set();
    const hide = document.body.classList.contains('hide-future');
    for (const r of state.runs) {
      for (const v of r.digest?.verdicts ?? []) {
        if (hide && v.t > state.t) continue;
        const key = `${Math.round((v.t / dur) * 400)}|${r === state.primary}`;
        if (seen.has(key)) continue; // one marker per pixel-ish bucket
        seen.add(key);
        const b = h('button', {
          type: 'button', class: `mark verdict${v.event === 'agent_removed' ? ' removed' : ''}`,
          title: `${state.runs.length > 1 ? r.variant.label + ': ' : ''}${verdictWords(v)}`,
          attrs: { 'aria-label': `Jump to verdict: ${verdictWords(v)}` },
          on: { click: () => this.actions.showVerdict(v) },
        });
        b.style.left = `${(v.t / dur) * 100}%`;
        if (r !== state.primary) b.classList.add('other');
        host.append(b);
      }
    }
    $('#scrub-end').textContent = clock(state.duration);
    $('#sim-duration').textContent = `of ${clock(state.duration)}`;
  }

  /** The Fault script panel. */
  renderFaults() {
    const { state } = this;
    const ol = $('#fault-list');
    if (!ol || !state.scenario) return;
    const faults = state.scenario.faults ?? [];
    clear(ol);
    if (!faults.length) ol.append(h('li', { class: 'muted', text: 'No faults: a healthy cluster.' }));
    faults.forEach((f, i) => {
      const mine = i >= state.baseFaultCount;
      ol.append(h('li', {},
        h('button', { type: 'button', class: 'when', text: clock(parseDuration(f.at)), title: 'Jump there', on: { click: () => this.actions.jumpTo(parseDuration(f.at)) } }),
        h('span', { class: 'what', text: describeFault(f, { withTime: false }) }),
        mine ? h('span', { class: 'mine', text: 'yours' }) : null,
        h('button', { type: 'button', title: 'Remove this fault and re-simulate', attrs: { 'aria-label': `Remove fault ${describeFault(f)}` }, text: '×', on: { click: () => this.actions.removeFault(i) } })));
    });
    $('#clear-mine').hidden = faults.length <= state.baseFaultCount;
  }
}
