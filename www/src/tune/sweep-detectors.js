// The Tuning tab's detector choice: which failure detectors the grid compares (`vary.detector`)
// and a way to vary any detector setting (`vary["kubernetes.node_monitor_grace_period"]` …). The
// same workload is judged for every detector; the engine validates the values.
import { h } from '../dom.js';
import { DETECTORS, DETECTOR_LABEL, DETECTOR_SETTINGS, DEFAULT_DETECTOR } from '../detectors.js';

/** The `vary` key of the detector. */
export const DETECTOR_KEY = 'detector';

/**
 * The detector checkboxes and the "vary a detector setting" field. `addRow(key)` adds a grid row
 * for a dotted key; `changed()` is called after every edit of `spec.vary`.
 */
export function detectorFieldset(spec, { addRow, changed, withPath }) {
  const current = Array.isArray(spec.vary[DETECTOR_KEY])
    ? spec.vary[DETECTOR_KEY].map(String)
    : [String(spec.base?.detector ?? DEFAULT_DETECTOR)];
  const note = h('div', { class: 'note', text: '' });
  const boxes = DETECTORS.map((d) => {
    const cb = h('input', { type: 'checkbox', value: d, checked: current.includes(d), dataset: { swDetector: d } });
    cb.addEventListener('change', () => {
      const list = DETECTORS.filter((q) => cb.closest('fieldset')?.querySelector(`[data-sw-detector="${q}"]`)?.checked);
      if (!list.length) { cb.checked = true; note.textContent = 'At least one detector.'; return; }
      note.textContent = '';
      if (list.length === 1 && list[0] === (spec.base?.detector ?? DEFAULT_DETECTOR)) delete spec.vary[DETECTOR_KEY];
      else spec.vary[DETECTOR_KEY] = list;
      changed();
    });
    return h('label', { class: 'sw-check', title: DETECTOR_LABEL[d] }, cb, h('span', { text: d }));
  });
  const listId = 'sw-detector-settings';
  const add = h('input', { type: 'text', spellcheck: false, autocomplete: 'off', placeholder: 'e.g. kubernetes.node_monitor_grace_period', attrs: { list: listId, 'aria-label': 'a detector setting to vary' }, dataset: { swAddSetting: '' } });
  const addButton = h('button', { type: 'button', class: 'btn', text: '+ vary setting' });
  addButton.addEventListener('click', () => {
    const key = add.value.trim();
    if (!key || key in spec.vary) return;
    addRow(key);
    add.value = '';
  });
  return withPath(h('fieldset', { class: 'sw-policies sw-detectors' },
    h('legend', { class: 'lbl', text: 'detector' }), ...boxes, note,
    h('div', { class: 'sw-vrow' }, add, addButton,
      h('datalist', { id: listId }, ...DETECTOR_SETTINGS.map((s) => h('option', { value: s }))))),
  `vary["${DETECTOR_KEY}"]`);
}
