// The Lab's scenario bar: the lesson (preset) picker, the policy picker, compare mode — by policy
// (checkboxes) or by one setting (a dotted scenario path and 2–4 values, e.g. R = 5mins,
// 10mins, 15mins) — and the scenario's title and policy chip above the cluster. Choices become
// the calls given to the constructor; render() shows the state as it is.
import { POLICIES, POLICY_LABEL } from '../policies.js';
import { COMPARABLE, settingValue } from './scenario-paths.js';
import { toast } from '../notices.js';
import { h, $, clear, fillErrorList } from '../dom.js';

/** The scenario bar (see the top of this file). */
export class Controls {
  /**
   * @param state the LabState shown
   * @param actions — { loadPreset(name), setPolicy(p), setCompare(on), setComparePolicies(list),
   *   setCompareSetting(path, values) → problems, setCompareBy(by) }
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
    const by = $('#compare-by');
    by.addEventListener('change', () => actions.setCompareBy(by.value));
    const cc = $('#compare-choices');
    for (const p of POLICIES) {
      const cb = h('input', { type: 'checkbox', value: p, on: { change: () => this._compareChoice() } });
      cc.append(h('label', {}, cb, p));
    }
    const path = $('#compare-path');
    for (const c of COMPARABLE) path.append(h('option', { value: c.path, text: c.label }));
    const values = $('#compare-values');
    path.addEventListener('change', () => {
      const c = COMPARABLE.find((x) => x.path === path.value);
      values.value = c?.example ?? '';
      this._compareSetting();
    });
    values.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); this._compareSetting(); } });
    $('#compare-apply').addEventListener('click', () => this._compareSetting());
  }

  _compareChoice() {
    const list = [...document.querySelectorAll('#compare-choices input')].filter((b) => b.checked).map((b) => b.value);
    if (list.length < 2) { toast('Compare needs at least two policies.'); this.render(); return; }
    this.actions.setComparePolicies(list);
  }

  _compareSetting() {
    const path = $('#compare-path').value;
    const values = $('#compare-values').value.split(',').map(settingValue).filter((v, k, all) => all.indexOf(v) === k);
    const errors = $('#compare-errors');
    if (values.length < 2 || values.length > 4) { fillErrorList(errors, ['Give 2 to 4 values, separated by commas (e.g. 5mins, 10mins, 15mins).']); return; }
    fillErrorList(errors, this.actions.setCompareSetting(path, values));
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
    else {
      custom.hidden = false;
      custom.textContent = state.lesson ? `Your variation: ${String(state.presetByName.get(state.lesson)?.title ?? s.name).slice(0, 36)}` : `Custom: ${String(s.name || 'scenario').slice(0, 40)}`;
      ps.value = '__custom';
    }
    $('#policy-select').value = state.policy;
    const bySetting = state.compare && state.compareBy === 'setting';
    $('#policy-chip').textContent = !state.compare ? `policy: ${state.policy}`
      : bySetting ? `${state.variantsShown().length} values of ${state.compareSetting.path.split('.').at(-1)}, one clock` : `${state.variantsShown().length} policies, one clock`;
    $('#compare-toggle').setAttribute('aria-pressed', String(state.compare));
    $('#compare-bar').hidden = !state.compare;
    $('#compare-by').value = state.compareBy;
    $('#compare-choices').hidden = state.compareBy !== 'policy';
    $('#compare-setting').hidden = state.compareBy !== 'setting';
    const shown = state.policiesShown();
    for (const cb of document.querySelectorAll('#compare-choices input')) cb.checked = shown.includes(cb.value);
    if (document.activeElement !== $('#compare-values')) {
      $('#compare-path').value = state.compareSetting.path;
      $('#compare-values').value = state.compareSetting.values.map((v) => v ?? 'none').join(', ');
    }
  }
}
