// The Tuning tab's spec editor: the grid (values of agent_reregister_timeout, agent_ping_timeout,
// max_agent_ping_timeouts, policies, and any other varied key), the cluster and trials, the
// objective (the metric to minimize and the bounds on others), and the workload — racks, and
// each line's kind (crash, restart, partition, rolling restart, master failover), its rate or
// time, its scope and its lengths (sweep-fields.js). Every field writes what is typed; the
// engine validates the whole spec, and the fields its problems name are marked (markProblems).
import { plural } from '../util.js';
import { h, clear } from '../dom.js';
import { parseDuration, niceMs } from '../duration.js';
import { POLICIES, POLICY_LABEL } from '../policies.js';
import { KEY, AXIS_KEYS, human, FILE_TRIALS } from './sweep-model.js';
import { durationRow, lengthEditor, readRate, rateText, nextId, withPath } from './sweep-fields.js';
import { detectorFieldset, DETECTOR_KEY } from './sweep-detectors.js';

const GRID_ROWS = [
  { key: KEY.rr, kind: 'duration', label: 'agent_reregister_timeout (durations)', help: 'Mesos 1.2: an agent whose socket broke must re-register within this.' },
  { key: KEY.ping, kind: 'duration', label: 'agent_ping_timeout (durations)', help: 'The master pings each agent this often.' },
  { key: KEY.max, kind: 'int', label: 'max_agent_ping_timeouts (counts)', help: 'Missed pings in a row before the health check marks the agent.' },
];

/** Workload kinds the editor offers: [kind, menu text, add-button text]. */
const KINDS = [
  ['crash_agent', 'crash', '+ crash'],
  ['restart_agent', 'restart', '+ restart'],
  ['partition', 'partition', '+ partition'],
  ['rolling_restart', 'rolling restart', '+ rolling restart'],
  ['fail_over_master', 'master failover', '+ master failover'],
];
const CLUSTER_ONLY = new Set(['rolling_restart', 'fail_over_master']);

/** A new workload line of a kind, with typical values. */
function newFault(kind) {
  switch (kind) {
    case 'restart_agent': return { kind, rate: '1/7days', recovery: { lognormal: { median: '30secs', p99: '20mins' } } };
    case 'partition': return { kind, rate: '1/30days', direction: 'both', duration: { uniform: ['10secs', '5mins'] } };
    case 'rolling_restart': return { kind, at: '2hrs', batch: '10%', pause: '1mins', recovery: { uniform: ['20secs', '2mins'] } };
    case 'fail_over_master': return { kind, rate: '1/30days', downtime: { uniform: ['10secs', '1mins'] } };
    default: return { kind, rate: '1/30days' };
  }
}

/** A number typed in a field: the number when it is one, else the text (for the engine to refuse). */
function numberOrText(text) {
  const t = String(text).trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
}

/**
 * Whether an engine problem line names a JSON path or one inside it (at the line's start, or
 * nested after ": "); a path ending in "$" names only itself.
 */
export function namesPath(line, path) {
  const exact = path.endsWith('$');
  const p = exact ? path.slice(0, -1) : path;
  for (const at of [0, ...[...line.matchAll(/: /g)].map((m) => m.index + 2)]) {
    if (line.startsWith(p, at) && (exact ? /^:/ : /^[:.[]/).test(line.slice(at + p.length))) return true;
  }
  return false;
}

/** The spec editor of the Tuning tab's left column. */
export class SpecEditor {
  /**
   * @param host element to fill
   * @param opts — { sampleLength(length, n, seed) (with the uploads), files() → uploads by name,
   *   setFile(name, text), catalogue → the engine's metrics, defaultObjective → the engine's,
   *   onChange(spec) }
   */
  constructor(host, { sampleLength, files, setFile, catalogue, defaultObjective, onChange }) {
    this.host = host;
    this.sampleLength = sampleLength;
    this.files = files;
    this.setFile = setFile;
    this.catalogue = catalogue;
    this.defaultObjective = defaultObjective;
    this.onChange = onChange;
    this.spec = null;
    this.previews = [];
    this.ro = new ResizeObserver(() => { for (const p of this.previews) p.draw(); });
  }

  setSpec(spec) {
    this.spec = spec;
    this.render();
  }

  changed({ rerender = false } = {}) {
    if (rerender) this.render();
    else this.renderCounts();
    this.onChange(this.spec);
  }

  /** Redraws a preview's host when it resizes. */
  observe(el) { this.ro.observe(el); }

  render() {
    const s = this.spec;
    this.previews = [];
    this.ro.disconnect();
    clear(this.host);
    this.host.append(this.gridPanel(s), this.clusterPanel(s), this.objectivePanel(s), this.workloadPanel(s));
    this.renderCounts();
    requestAnimationFrame(() => { for (const p of this.previews) p.draw(); });
  }

  /**
   * Marks the fields the engine's problems name (invalid, with the problem as their title);
   * returns how many fields are marked.
   */
  markProblems(problems) {
    let marked = 0;
    for (const el of this.host.querySelectorAll('[data-sw-path]')) {
      const paths = el.dataset.swPath.split(' ');
      const hits = problems.filter((line) => paths.some((p) => namesPath(line, p)));
      const bad = hits.length > 0;
      el.classList.toggle('invalid', bad);
      el.setAttribute('aria-invalid', String(bad));
      if (bad) { el.title = hits.join('\n'); marked++; } else el.removeAttribute('title');
    }
    return marked;
  }

  /** Refreshes the derived texts (grid size, expected faults) without rebuilding controls. */
  renderCounts() {
    const s = this.spec;
    const vary = s.vary ?? {};
    const sizes = Object.values(vary).map((v) => (Array.isArray(v) ? v.length : 0));
    const points = sizes.reduce((a, b) => a * b, 1);
    const trials = Number.isInteger(s.trials) ? s.trials : 0;
    const agents = this.agentCount();
    const hz = parseDuration(s.workload?.horizon);
    const el = this.host.querySelector('[data-sw="count"]');
    if (el) {
      el.textContent = `${sizes.length ? sizes.join(' × ') : '1'} = ${plural(points, 'setting')} × ${trials} trials = ${(points * trials).toLocaleString('en-US')} simulations of ${plural(agents, 'agent')} × ${human(hz)}`;
      el.dataset.points = String(points);
    }
    for (const f of this.host.querySelectorAll('[data-sw-derived]')) f.update?.();
  }

  agentCount() {
    const groups = this.spec.base?.agents;
    if (!Array.isArray(groups)) return 0;
    return groups.reduce((a, g) => a + (Number.isInteger(g?.count) ? g.count : 1), 0);
  }

  racks() {
    const r = this.spec.workload?.racks;
    return Number.isInteger(r) && r > 0 ? r : null;
  }

  // ------------------------------------------------------------ grid

  gridPanel(s) {
    s.vary ??= {};
    const rows = GRID_ROWS.map((r) => this.listRow(r));
    const others = Object.keys(s.vary).filter((k) => !AXIS_KEYS.has(k) && k !== KEY.policy && k !== DETECTOR_KEY)
      .map((k) => this.listRow({ key: k, kind: 'any', label: k, help: 'Another varied field (dotted path into base).' }));
    const current = Array.isArray(s.vary.policy) ? s.vary.policy.map(String) : [String(s.base?.policy ?? 'mesos-1.2')];
    const note = h('div', { class: 'note', text: '' });
    const boxes = POLICIES.map((p) => {
      const cb = h('input', { type: 'checkbox', value: p, checked: current.includes(p), dataset: { swPolicy: p } });
      cb.addEventListener('change', () => {
        const list = POLICIES.filter((q) => this.host.querySelector(`[data-sw-policy="${q}"]`)?.checked);
        if (!list.length) { cb.checked = true; note.textContent = 'At least one policy.'; return; }
        note.textContent = '';
        s.vary.policy = list;
        this.changed();
      });
      return h('label', { class: 'sw-check', title: POLICY_LABEL[p] ?? p }, cb, h('span', { text: POLICY_LABEL[p] ?? p }));
    });
    const unknown = current.filter((p) => !POLICIES.includes(p));
    return h('section', { class: 'panel sw-panel', attrs: { 'aria-labelledby': 'sw-grid-h' } },
      h('div', { class: 'panel-head' }, h('h2', { id: 'sw-grid-h', text: 'Grid: the settings to compare' })),
      h('p', { class: 'muted hint sw-lead', text: 'Comma-separated values in Mesos units; every combination is one setting. Empty: not varied (the base value).' }),
      ...rows, ...others,
      withPath(h('fieldset', { class: 'sw-policies' }, h('legend', { class: 'lbl', text: 'policy' }), ...boxes,
        unknown.length ? h('div', { class: 'note', text: `also: ${unknown.join(', ')} (from the spec)` }) : null, note), 'vary["policy"]'),
      detectorFieldset(s, {
        withPath,
        changed: () => this.changed(),
        addRow: (key) => { s.vary[key] = []; this.render(); },
      }),
      h('p', { class: 'sw-count', dataset: { sw: 'count' } }));
  }

  listRow({ key, kind, label, help }) {
    const s = this.spec;
    const id = `sw-vary-${key.replace(/[^a-z0-9]+/gi, '-')}`;
    const input = h('input', { type: 'text', id, spellcheck: false, autocomplete: 'off', dataset: { swKey: key } });
    withPath(input, `vary["${key}"] ${key}`);
    const base = key === KEY.policy ? s.base?.policy : key.split('.').reduce((v, k) => (v && typeof v === 'object' ? v[k] : undefined), s.base);
    const fallback = base ?? ({ [KEY.rr]: '10mins', [KEY.ping]: '15secs', [KEY.max]: 5 })[key];
    input.placeholder = fallback === undefined ? 'not varied' : `not varied: ${typeof fallback === 'string' ? fallback : JSON.stringify(fallback)}`;
    const vals = s.vary[key];
    input.value = Array.isArray(vals) ? vals.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') : '';
    const msg = h('div', { class: 'note', text: help });
    input.addEventListener('input', () => {
      const tokens = input.value.split(/[,\s]+/).map((t) => t.trim()).filter(Boolean);
      const out = tokens.map((t) => {
        if (kind === 'duration') return t;
        if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
        if (t === 'true' || t === 'false') return t === 'true';
        return t;
      });
      const unique = [...new Map(out.map((v) => [JSON.stringify(v), v])).values()];
      msg.textContent = unique.length ? `${plural(unique.length, 'value')}: ${unique.map((v) => (kind === 'duration' && parseDuration(v) > 0 ? human(parseDuration(v)) : String(v))).join(', ')}` : help;
      if (unique.length) s.vary[key] = unique; else delete s.vary[key];
      this.changed();
    });
    return h('div', { class: 'sw-vrow' }, h('label', { class: 'lbl', for: id, text: label }), input, msg);
  }

  // ------------------------------------------------------------ cluster and trials

  /** A whole-number field writing `set(value)`; what is not a number goes to the engine as typed. */
  numberField(id, value, path, set, attrs = {}) {
    const f = h('input', { type: 'text', inputMode: 'numeric', id, value: value === undefined ? '' : String(value), spellcheck: false, autocomplete: 'off', attrs });
    withPath(f, path);
    f.addEventListener('input', () => { set(numberOrText(f.value)); this.changed(); });
    return f;
  }

  clusterPanel(s) {
    const groups = Array.isArray(s.base?.agents) ? s.base.agents : [];
    const single = groups.length === 1 && groups[0] && typeof groups[0] === 'object';
    const agentsField = this.numberField('sw-agents', single ? groups[0].count ?? 1 : this.agentCount(), 'base.agents[0].count agents[0].count', (n) => { groups[0].count = n; });
    agentsField.disabled = !single;
    const trialsField = this.numberField('sw-trials', s.trials, 'trials', (n) => { s.trials = n; });
    const trialsHint = h('p', { class: 'muted hint', dataset: { swDerived: '1' } });
    trialsHint.update = () => {
      trialsHint.textContent = `${s.trials === FILE_TRIALS ? `${FILE_TRIALS} trials per setting, as in` : `${s.trials} trials per setting here; ${FILE_TRIALS} in`} sweeps/reregister-vs-ping.json. `
        + 'Time grows linearly with trials × agents × horizon; p99 needs about 100 trials to settle. '
        + 'For big grids run the CLI on all cores (liveness sweep spec.json), or on many machines with --shard K/N.';
    };
    trialsHint.update();
    const seedField = this.numberField('sw-seed', s.seed ?? 0, 'seed', (n) => { s.seed = n; });
    const nameField = h('input', { type: 'text', id: 'sw-name', value: String(s.name ?? ''), spellcheck: false });
    nameField.addEventListener('input', () => { s.name = nameField.value; this.changed(); });
    s.workload ??= { horizon: '1day', faults: [] };
    const horizon = durationRow({
      label: 'horizon (each trial; duration)', id: 'sw-horizon', lo: 3600000, hi: 30 * 86400000, path: 'workload.horizon',
      get: () => s.workload.horizon, set: (t) => { s.workload.horizon = t; this.changed(); },
    });
    return h('section', { class: 'panel sw-panel', attrs: { 'aria-labelledby': 'sw-cluster-h' } },
      h('h2', { id: 'sw-cluster-h', text: 'Cluster and trials' }),
      h('div', { class: 'sw-fields' },
        h('label', { class: 'sw-f', for: 'sw-agents' }, h('span', { class: 'lbl', text: single ? 'agents (count)' : `agents (${groups.length} groups)` }), agentsField),
        h('label', { class: 'sw-f', for: 'sw-trials' }, h('span', { class: 'lbl', text: 'trials per setting', title: 'trials per setting' }), trialsField),
        h('label', { class: 'sw-f', for: 'sw-seed' }, h('span', { class: 'lbl', text: 'seed' }), seedField)),
      trialsHint,
      horizon,
      h('label', { class: 'sw-f wide', for: 'sw-name' }, h('span', { class: 'lbl', text: 'name' }), nameField));
  }

  // ------------------------------------------------------------ objective

  /** The objective: minimize one metric subject to upper bounds on others (the engine's defaults when the spec has none). */
  objectivePanel(s) {
    const d = this.defaultObjective;
    const obj = () => (s.objective ??= { minimize: d.minimize, subject_to: d.subject_to.map((c) => ({ ...c })) });
    const current = { minimize: s.objective?.minimize ?? d.minimize, subject_to: s.objective?.subject_to ?? d.subject_to };
    const options = (selected) => this.catalogue.map((m) => h('option', { value: m.path, text: m.title, title: m.description, selected: m.path === selected }));
    const minimize = h('select', { id: 'sw-minimize', attrs: { 'aria-label': 'Metric to minimize' } }, ...options(current.minimize));
    withPath(minimize, 'objective.minimize objective$');
    minimize.addEventListener('change', () => { obj().minimize = minimize.value; this.changed({ rerender: true }); });
    const rows = current.subject_to.map((c, k) => {
      const metric = this.catalogue.find((m) => m.path === c.metric);
      const sel = h('select', { attrs: { 'aria-label': `Constraint ${k + 1}: metric` }, dataset: { swConstraint: String(k) } }, ...options(c.metric));
      withPath(sel, `objective.subject_to[${k}].metric`);
      sel.addEventListener('change', () => { obj().subject_to[k].metric = sel.value; this.changed({ rerender: true }); });
      const bound = h('input', { type: 'text', inputMode: 'decimal', value: String(c.at_most ?? ''), spellcheck: false, attrs: { 'aria-label': `Constraint ${k + 1}: at most` }, dataset: { swBound: String(k) } });
      withPath(bound, `objective.subject_to[${k}].at_most`);
      const unit = h('span', { class: 'muted sw-unit' });
      const showUnit = () => {
        const x = Number(bound.value);
        unit.textContent = metric?.unit === 'ms' ? `ms${Number.isFinite(x) && x > 0 ? ` (${human(x)})` : ''}` : metric?.unit === 'count' ? 'count' : '';
      };
      bound.addEventListener('input', () => { obj().subject_to[k].at_most = numberOrText(bound.value); showUnit(); this.changed(); });
      showUnit();
      const remove = h('button', { type: 'button', class: 'btn icon sw-x', text: '×', attrs: { 'aria-label': `Remove constraint ${k + 1}` },
        on: { click: () => { obj().subject_to.splice(k, 1); this.changed({ rerender: true }); } } });
      return h('div', { class: 'sw-constraint' }, sel, h('span', { class: 'sw-le', text: '≤' }), bound, unit, remove);
    });
    const add = h('button', { type: 'button', class: 'btn', id: 'sw-add-constraint', text: '+ constraint',
      on: { click: () => { obj().subject_to.push({ metric: 'false_unreachable_per_agent_day', at_most: 0.001 }); this.changed({ rerender: true }); } } });
    const hint = h('p', { class: 'muted hint', text: `The recommendation is the setting with the lowest ${this.catalogue.find((m) => m.path === current.minimize)?.label ?? 'value'} among those meeting every bound; the Pareto chart plots it against the first bound's metric.` });
    return h('section', { class: 'panel sw-panel', attrs: { 'aria-labelledby': 'sw-obj-h' } },
      h('h2', { id: 'sw-obj-h', text: 'Objective' }),
      h('label', { class: 'sw-f', for: 'sw-minimize' }, h('span', { class: 'lbl', text: 'minimize' }), minimize),
      h('div', { class: 'lbl sw-subject', text: current.subject_to.length ? 'subject to' : 'subject to no bound' }), ...rows,
      h('div', { class: 'sw-add' }, add), hint);
  }

  // ------------------------------------------------------------ workload

  workloadPanel(s) {
    const list = Array.isArray(s.workload.faults) ? s.workload.faults : (s.workload.faults = []);
    const add = (kind) => { list.push(newFault(kind)); this.changed({ rerender: true }); };
    const racks = this.numberField('sw-racks', s.workload.racks, 'workload.racks', (n) => {
      if (n === '') delete s.workload.racks; else s.workload.racks = n;
    }, { placeholder: 'none' });
    return h('section', { class: 'panel sw-panel', attrs: { 'aria-labelledby': 'sw-work-h' } },
      h('h2', { id: 'sw-work-h', text: 'Workload: what happens to the cluster' }),
      h('p', { class: 'muted hint sw-lead', text: 'Each line fires as a Poisson process (a rate, fractions allowed: 0.2/30days) or once at a time ± jitter, per agent, per rack or for the whole cluster. Trial k draws the same faults at every setting.' }),
      h('label', { class: 'sw-f sw-racks', for: 'sw-racks' }, h('span', { class: 'lbl', text: 'racks (count; agents split evenly into rack-0…)' }), racks),
      ...list.map((f, i) => this.faultCard(f, i, list)),
      list.length ? null : h('p', { class: 'muted', text: 'No faults: nothing to detect.' }),
      h('div', { class: 'sw-add' }, h('span', { class: 'muted', text: 'Add:' }),
        ...KINDS.map(([kind, , text]) => h('button', { type: 'button', class: 'btn', text, dataset: { swAdd: kind }, on: { click: () => add(kind) } }))));
  }

  faultCard(f, i, list) {
    const path = `workload.faults[${i}]`;
    const kindSel = h('select', { attrs: { 'aria-label': `Fault line ${i + 1}: kind` } },
      ...KINDS.map(([v, t]) => h('option', { value: v, text: t, selected: f.kind === v })));
    withPath(kindSel, `${path}.kind`);
    if (!KINDS.some(([k]) => k === f.kind)) kindSel.prepend(h('option', { value: String(f.kind), text: String(f.kind).slice(0, 40), selected: true }));
    kindSel.addEventListener('change', () => {
      const when = 'at' in f ? { at: f.at, jitter: f.jitter } : { rate: f.rate };
      list[i] = { ...newFault(kindSel.value), ...(CLUSTER_ONLY.has(kindSel.value) ? {} : when) };
      if (list[i].at !== undefined) delete list[i].rate;
      if (list[i].jitter === undefined) delete list[i].jitter;
      this.changed({ rerender: true });
    });
    const mode = 'at' in f ? 'at' : 'rate';
    const modeName = nextId('sw-mode');
    const radio = (v, text) => {
      const r = h('input', { type: 'radio', name: modeName, value: v, checked: mode === v });
      r.addEventListener('change', () => {
        if (v === 'at') { delete f.rate; f.at = '1hrs'; f.jitter = '10mins'; } else { delete f.at; delete f.jitter; f.rate = '1/7days'; }
        this.changed({ rerender: true });
      });
      return h('label', { class: 'sw-radio' }, r, h('span', { text }));
    };
    const remove = h('button', { type: 'button', class: 'btn icon sw-x', text: '×', title: 'Remove this line', attrs: { 'aria-label': `Remove fault line ${i + 1}` },
      on: { click: () => { list.splice(i, 1); this.changed({ rerender: true }); } } });
    const card = h('div', { class: `sw-fault k-${String(f.kind).replace(/[^a-z_]/g, '')}`, dataset: { swFault: String(i) } },
      withPath(h('div', { class: 'sw-fault-head' }, h('span', { class: 'sw-n', text: String(i + 1) }), kindSel,
        h('span', { class: 'sw-mode', attrs: { role: 'radiogroup', 'aria-label': 'When' } }, radio('rate', 'rate'), radio('at', 'once at')), remove), `${path}$`));
    if (!CLUSTER_ONLY.has(f.kind)) card.append(this.scopeRow(f, i, path));
    const hz = () => parseDuration(this.spec.workload.horizon);
    if (mode === 'rate') card.append(this.rateRow(f, path));
    else {
      card.append(
        durationRow({ label: 'at (duration from the start)', lo: 1000, hi: Math.max(2000, hz() || 86400000), zero: true, path: `${path}.at`, get: () => f.at, set: (t) => { f.at = t; this.changed(); } }),
        durationRow({ label: '± jitter (duration)', lo: 1000, hi: Math.max(2000, hz() || 86400000), zero: true, path: `${path}.jitter`, get: () => f.jitter ?? '0secs', set: (t) => { f.jitter = t; this.changed(); } }));
      const d = h('div', { class: 'note sw-derived', dataset: { swDerived: '1' } });
      d.update = () => { d.textContent = `${this.whoText(f)}, once, at ${human(parseDuration(f.at))}${parseDuration(f.jitter) > 0 ? ` ± ${human(parseDuration(f.jitter))}` : ''}.`; };
      d.update();
      card.append(d);
    }
    const editor = this;
    const len = (field, label, hangOk, colorVar) => lengthEditor(f, field, { label, path: `${path}.${field}`, hangOk, colorVar, editor });
    switch (f.kind) {
      case 'restart_agent':
        card.append(len('recovery', 'recovery', true, '--c-recovering'));
        if (f.recovery !== 'hang') card.append(this.probabilityRow(f, path));
        break;
      case 'partition': {
        card.append(len('duration', 'partition lasts', false, '--c-disconnected'));
        const dir = h('select', { attrs: { 'aria-label': `Fault line ${i + 1}: direction` } },
          ...[['both', 'both directions'], ['master_to_agent', 'master → agent'], ['agent_to_master', 'agent → master']].map(([v, t]) => h('option', { value: v, text: t, selected: (f.direction ?? 'both') === v })));
        withPath(dir, `${path}.direction`);
        dir.addEventListener('change', () => { f.direction = dir.value; this.changed(); });
        const socket = h('input', { type: 'checkbox', checked: !!f.breaks_socket, dataset: { swBreaks: String(i) } });
        withPath(socket, `${path}.breaks_socket`);
        socket.addEventListener('change', () => { if (socket.checked) f.breaks_socket = true; else delete f.breaks_socket; this.changed(); });
        card.append(h('label', { class: 'sw-inline' }, h('span', { class: 'lbl', text: 'cuts' }), dir),
          h('label', { class: 'sw-check' }, socket, h('span', { text: 'breaks the socket (the master sees exited() at once)' })));
        break;
      }
      case 'rolling_restart': {
        const id = nextId('sw-batch');
        const batch = h('input', { type: 'text', id, value: String(f.batch ?? ''), spellcheck: false, autocomplete: 'off', placeholder: '10%' });
        withPath(batch, `${path}.batch`);
        batch.addEventListener('input', () => { f.batch = batch.value.trim(); this.changed(); });
        card.append(h('div', { class: 'sw-fields' }, h('label', { class: 'sw-f', for: id }, h('span', { class: 'lbl', text: 'batch (% of agents)' }), batch)),
          durationRow({ label: 'pause between batches (duration)', lo: 1000, hi: 86400000, zero: true, path: `${path}.pause`, get: () => f.pause ?? '0secs', set: (t) => { f.pause = t; this.changed(); } }),
          len('recovery', 'each agent\'s recovery', false, '--c-recovering'));
        break;
      }
      case 'fail_over_master':
        card.append(len('downtime', 'without a master for', false, '--c-removed'));
        break;
      default:
    }
    return card;
  }

  /** Who one firing hits, in words. */
  whoText(f) {
    const scope = CLUSTER_ONLY.has(f.kind) ? 'cluster' : f.scope ?? 'agent';
    return scope === 'cluster' ? 'The whole cluster' : scope === 'rack' ? 'Each rack' : 'Each agent';
  }

  scopeRow(f, i, path) {
    const sel = h('select', { attrs: { 'aria-label': `Fault line ${i + 1}: scope` }, dataset: { swScope: String(i) } },
      ...[['agent', 'each agent on its own'], ['rack', 'a whole rack at once (rate per rack)'], ['cluster', 'every agent at once (rate per cluster)']]
        .map(([v, t]) => h('option', { value: v, text: t, selected: (f.scope ?? 'agent') === v })));
    withPath(sel, `${path}.scope`);
    sel.addEventListener('change', () => { if (sel.value === 'agent') delete f.scope; else f.scope = sel.value; this.changed({ rerender: true }); });
    return h('label', { class: 'sw-inline' }, h('span', { class: 'lbl', text: 'hits' }), sel);
  }

  probabilityRow(f, path) {
    const id = nextId('sw-hang');
    const input = h('input', { type: 'text', inputMode: 'decimal', id, value: f.hang_probability === undefined ? '' : String(f.hang_probability), placeholder: '0', spellcheck: false, autocomplete: 'off' });
    withPath(input, `${path}.hang_probability`);
    input.addEventListener('input', () => {
      const v = numberOrText(input.value);
      if (v === '') delete f.hang_probability; else f.hang_probability = v;
      this.changed();
    });
    return h('div', { class: 'sw-fields' }, h('label', { class: 'sw-f', for: id }, h('span', { class: 'lbl', text: 'share that hang (0–1)' }), input));
  }

  rateRow(f, path) {
    const s = this.spec;
    const id = nextId('sw-rate');
    const lo = 10 * 60000, hi = 365 * 86400000;
    const scope = CLUSTER_ONLY.has(f.kind) ? 'cluster' : f.scope ?? 'agent';
    const per = scope === 'cluster' ? 'per cluster' : scope === 'rack' ? 'per rack' : 'per agent';
    const range = h('input', { type: 'range', min: '0', max: '1000', step: '1', attrs: { 'aria-label': `rate ${per} (slider: mean time between faults)` } });
    const field = h('input', { type: 'text', id, spellcheck: false, autocomplete: 'off', attrs: { 'aria-label': `rate ${per}, e.g. 1/30days or 0.2/30days` } });
    withPath(field, `${path}.rate`);
    const derived = h('div', { class: 'note sw-derived', dataset: { swDerived: '1' } });
    derived.update = () => {
      const r = readRate(f.rate);
      const hz = parseDuration(s.workload.horizon);
      if (!r) { derived.textContent = 'expected a rate such as 1/30days or 0.2/30days'; return; }
      const units = scope === 'cluster' ? 1 : scope === 'rack' ? this.racks() ?? 1 : this.agentCount();
      const n = (units * hz) / r.gapMs;
      derived.textContent = `One ${per} every ${human(r.gapMs)} on average: ≈ ${n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')} per trial.`;
    };
    const toPos = (ms) => Math.round((Math.log(Math.max(lo, Math.min(hi, ms)) / lo) / Math.log(hi / lo)) * 1000);
    const sync = () => { field.value = f.rate ?? ''; const r = readRate(f.rate); if (r) range.value = String(toPos(r.gapMs)); range.setAttribute('aria-valuetext', r ? `one every ${human(r.gapMs)}` : ''); derived.update(); };
    range.addEventListener('input', () => {
      const ms = niceMs(lo * (hi / lo) ** (Number(range.value) / 1000));
      f.rate = rateText(ms);
      field.value = f.rate;
      range.setAttribute('aria-valuetext', `one every ${human(ms)}`);
      derived.update();
      this.changed();
    });
    field.addEventListener('input', () => {
      f.rate = field.value.trim();
      const r = readRate(f.rate);
      if (r) range.value = String(toPos(r.gapMs));
      derived.update();
      this.changed();
    });
    sync();
    return h('div', { class: 'sw-srow' }, h('label', { class: 'lbl', for: id, text: `rate ${per} (faults / duration)` }), range, field, derived);
  }
}

