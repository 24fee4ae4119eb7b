// The Lab's detector picker: who judges the agents — Mesos (the default) or Kubernetes, Nomad,
// memberlist, phi accrual — chosen like a policy, next to the policy picker. The choice is the
// scenario's own `detector` field (an edit, so Export and Share carry it); the engine validates.
import { h } from '../dom.js';
import { DETECTORS, DETECTOR_LABEL, DEFAULT_DETECTOR } from '../detectors.js';

export class DetectorPicker {
  /**
   * @param state — the lab state (its working scenario)
   * @param edit — applies a scenario edit and re-simulates; returns the problems
   * @param after — the policy picker, which the picker goes after in the bar
   */
  constructor(state, edit, after) {
    this.state = state;
    this.select = h('select', { id: 'detector-select', attrs: { 'aria-label': 'Failure detector' } },
      ...DETECTORS.map((d) => h('option', { value: d, text: DETECTOR_LABEL[d] ?? d })));
    this.select.addEventListener('change', () => {
      const value = this.select.value;
      edit((s) => { if (value === DEFAULT_DETECTOR) delete s.detector; else s.detector = value; });
      this.render();
    });
    const field = h('label', { class: 'field lab-only', title: 'Who judges the agents: Mesos, or another system\u2019s failure detector on the same faults' }, 'Detector ', this.select);
    after?.closest('label')?.after(field);
  }

  /** Shows the working scenario's detector. */
  render() {
    this.select.value = this.state.scenario?.detector ?? DEFAULT_DETECTOR;
  }
}
