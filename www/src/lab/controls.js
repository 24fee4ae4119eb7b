// The Lab's scenario bar: the lesson (preset) picker, the policy picker, compare mode and its
// policy checkboxes, and the scenario's title and policy chip above the cluster. Choices become
// the calls given to the constructor; render() shows the state as it is.
import { POLICIES, POLICY_LABEL } from '../policies.js';
import { toast } from '../notices.js';
import { h, $, clear } from '../dom.js';

/** The scenario bar (see the top of this file). */
export class Controls {
  /**
   * @param state the LabState shown
   * @param actions — { loadPreset(name), setPolicy(p), setCompare(on), setComparePolicies(list) }
   */
  constructor(state, actions) {
    this.state = state;
    this.actions = actions;
    const ps = $('#preset-select');
    clear(ps);
    for (const p of state.presets) ps.append(h('option', { value: p.name, text: p.title || p.name }));
    ps.append(h('option', { value: '__custom', text: 'Custom scenario', hidden: true, disabled: true }));
    ps.addEventListener('change', () => { if (ps.value !== '__custom') actions.loadPreset(ps.value); });
    const pol = $('#policy-select');
    for (const p of POLICIES) pol.append(h('option', { value: p, text: POLICY_LABEL[p] ?? p }));
    pol.addEventListener('change', () => actions.setPolicy(pol.value));
    $('#compare-toggle').addEventListener('click', () => actions.setCompare(!state.compare));
    const cc = $('#compare-choices');
    for (const p of POLICIES) {
      const cb = h('input', { type: 'checkbox', value: p, on: { change: () => this._compareChoice() } });
      cc.append(h('label', {}, cb, p));
    }
  }

  _compareChoice() {
    const list = [...document.querySelectorAll('#compare-choices input')].filter((b) => b.checked).map((b) => b.value);
    if (list.length < 2) { toast('Compare needs at least two policies.'); this.render(); return; }
    this.actions.setComparePolicies(list);
  }

  /** Shows the scenario's name, the preset (or "Custom"), the policy and the compare set. */
  render() {
    const { state } = this;
    const s = state.scenario;
    $('#scenario-title').textContent = s.name || '(unnamed scenario)';
    $('#scenario-title').title = s.name || '';
    const ps = $('#preset-select');
    const custom = ps.querySelector('option[value="__custom"]');
    if (state.presetName) { ps.value = state.presetName; custom.hidden = true; }
    else { custom.hidden = false; custom.textContent = `Custom: ${String(s.name || 'scenario').slice(0, 40)}`; ps.value = '__custom'; }
    $('#policy-select').value = state.policy;
    $('#policy-chip').textContent = state.compare ? `${state.runs.length} policies, one clock` : `policy: ${state.policy}`;
    $('#compare-toggle').setAttribute('aria-pressed', String(state.compare));
    $('#compare-bar').hidden = !state.compare;
    const shown = state.policiesShown();
    for (const cb of document.querySelectorAll('#compare-choices input')) cb.checked = shown.includes(cb.value);
  }
}
