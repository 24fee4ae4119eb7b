// The Tuning tab's spec editor: the grid (values of agent_reregister_timeout, agent_ping_timeout,
// max_agent_ping_timeouts, policies, and any other varied key), the cluster and trials, and the
// workload — each line's rate or time and its recovery / partition length, with sliders, exact
// fields in Mesos units and a preview of every distribution (samples from the engine itself).
import { plural } from '../util.js';
import { h, clear } from '../dom.js';
import { parseDuration, formatDuration, parseRate, niceMs } from '../duration.js';
import { POLICIES, POLICY_LABEL } from '../policies.js';
import { KEY, AXIS_KEYS, human, FILE_TRIALS } from './sweep-model.js';
import { drawPreview } from './sweep-plots.js';

let uid = 0;
const nextId = (p) => `${p}-${++uid}`;

const GRID_ROWS = [
  { key: KEY.rr, kind: 'duration', label: 'agent_reregister_timeout', help: 'Mesos 1.2: an agent whose socket broke must re-register within this.',
    warn: (ms) => (ms.some((x) => x < 600000) ? 'Mesos refuses agent_reregister_timeout under 10mins; simulated anyway.' : null) },
  { key: KEY.ping, kind: 'duration', label: 'agent_ping_timeout', help: 'The master pings each agent this often.',
    warn: (ms) => (ms.some((x) => x < 1000 || x > 900000) ? 'Mesos refuses agent_ping_timeout outside 1secs–15mins; simulated anyway.' : null) },
  { key: KEY.max, kind: 'int', label: 'max_agent_ping_timeouts', help: 'Missed pings in a row before the health check marks the agent.' },
];

const LENGTH_DEFAULTS = {
  fixed: '2mins',
  uniform: ['10secs', '5mins'],
  lognormal: { median: '30secs', p99: '20mins' },
};

/** The type of a workload length: fixed | uniform | lognormal | hang. */
function lengthType(v) {
  if (v === 'hang') return 'hang';
  if (v && typeof v === 'object') {
    if ('uniform' in v) return 'uniform';
    if ('lognormal' in v) return 'lognormal';
    if ('fixed' in v) return 'fixed';
  }
  return 'fixed';
}

function fixedValue(v) {
  return v && typeof v === 'object' ? v.fixed : v;
}

/**
 * A duration slider (log scale, optionally with 0 at the far left) and its exact field.
 * get() returns the current text; set(text) applies a valid one.
 */
function durationRow({ label, get, set, lo, hi, zero = false, id = nextId('sw-d'), note }) {
  const range = h('input', { type: 'range', min: '0', max: '1000', step: '1', attrs: { 'aria-label': `${label} (slider)` } });
  const field = h('input', { type: 'text', id, spellcheck: false, autocomplete: 'off', attrs: { 'aria-label': label } });
  const toPos = (ms) => {
    if (zero && ms <= 0) return 0;
    const p = Math.log(Math.max(lo, Math.min(hi, ms)) / lo) / Math.log(hi / lo);
    return Math.round((zero ? 20 + p * 980 : p * 1000));
  };
  const fromPos = (pos) => {
    if (zero && pos < 20) return 0;
    const p = zero ? (pos - 20) / 980 : pos / 1000;
    return niceMs(lo * (hi / lo) ** p);
  };
  const sync = () => {
    const text = get();
    field.value = text ?? '';
    const ms = parseDuration(text);
    if (Number.isFinite(ms)) range.value = String(toPos(ms));
    range.setAttribute('aria-valuetext', human(ms));
  };
  range.addEventListener('input', () => {
    const text = formatDuration(fromPos(Number(range.value)));
    field.value = text;
    field.classList.remove('invalid');
    range.setAttribute('aria-valuetext', human(parseDuration(text)));
    set(text);
  });
  field.addEventListener('input', () => {
    const ms = parseDuration(field.value);
    const ok = Number.isFinite(ms) && (zero || ms > 0);
    field.classList.toggle('invalid', !ok);
    field.setAttribute('aria-invalid', String(!ok));
    if (ok) { range.value = String(toPos(ms)); set(field.value.trim()); }
  });
  field.addEventListener('blur', () => { if (!field.classList.contains('invalid')) sync(); });
  sync();
  const row = h('div', { class: 'sw-srow' },
    h('label', { class: 'lbl', for: id, text: label }),
    range, field,
    note ? h('div', { class: 'note', text: note }) : null);
  row.sync = sync;
  return row;
}

/** The spec editor of the Tuning tab's left column. */
export class SpecEditor {
  /**
   * @param host element to fill
   * @param opts — { sampleLength(length, n, seed), onChange(spec) }
   */
  constructor(host, { sampleLength, onChange }) {
    this.host = host;
    this.sampleLength = sampleLength;
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

  render() {
    const s = this.spec;
    this.previews = [];
    this.ro.disconnect();
    clear(this.host);
    this.host.append(this.gridPanel(s), this.clusterPanel(s), this.workloadPanel(s));
    this.renderCounts();
    requestAnimationFrame(() => { for (const p of this.previews) p.draw(); });
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

  // ------------------------------------------------------------ grid

  gridPanel(s) {
    s.vary ??= {};
    const rows = GRID_ROWS.map((r) => this.listRow(r));
    const others = Object.keys(s.vary).filter((k) => !AXIS_KEYS.has(k) && k !== KEY.policy)
      .map((k) => this.listRow({ key: k, kind: 'any', label: k, help: 'Another varied field (dotted path into base).' }));
    // policies
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
      h('fieldset', { class: 'sw-policies' }, h('legend', { class: 'lbl', text: 'policy' }), ...boxes,
        unknown.length ? h('div', { class: 'note', text: `also: ${unknown.join(', ')} (from the spec)` }) : null, note),
      h('p', { class: 'sw-count', dataset: { sw: 'count' } }));
  }

  listRow({ key, kind, label, help, warn }) {
    const s = this.spec;
    const id = `sw-vary-${key.replace(/[^a-z0-9]+/gi, '-')}`;
    const input = h('input', { type: 'text', id, spellcheck: false, autocomplete: 'off', dataset: { swKey: key } });
    const base = key === KEY.policy ? s.base?.policy : key.split('.').reduce((v, k) => (v && typeof v === 'object' ? v[k] : undefined), s.base);
    const fallback = base ?? ({ [KEY.rr]: '10mins', [KEY.ping]: '15secs', [KEY.max]: 5 })[key];
    input.placeholder = fallback === undefined ? 'not varied' : `not varied: ${typeof fallback === 'string' ? fallback : JSON.stringify(fallback)}`;
    const vals = s.vary[key];
    input.value = Array.isArray(vals) ? vals.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') : '';
    const msg = h('div', { class: 'note', text: help });
    const apply = () => {
      const tokens = input.value.split(/[,\s]+/).map((t) => t.trim()).filter(Boolean);
      const out = [];
      const bad = [];
      for (const t of tokens) {
        if (kind === 'duration') { if (parseDuration(t) > 0) out.push(t); else bad.push(t); }
        else if (kind === 'int') { const n = Number(t); if (Number.isInteger(n) && n >= 1) out.push(n); else bad.push(t); }
        else if (/^-?\d+(\.\d+)?$/.test(t)) out.push(Number(t));
        else if (t === 'true' || t === 'false') out.push(t === 'true');
        else out.push(t);
      }
      const unique = [...new Map(out.map((v) => [JSON.stringify(v), v])).values()];
      input.classList.toggle('invalid', bad.length > 0);
      input.setAttribute('aria-invalid', String(bad.length > 0));
      if (bad.length) {
        msg.className = 'err';
        msg.textContent = `${bad.map((b) => `"${b.slice(0, 30)}"`).join(', ')}: ${kind === 'int' ? 'expected whole numbers ≥ 1' : 'expected durations such as 15secs, 10mins'}`;
        return;
      }
      const w = kind === 'duration' && warn ? warn(unique.map(parseDuration)) : null;
      msg.className = w ? 'warn' : 'note';
      msg.textContent = w ?? (unique.length ? `${plural(unique.length, 'value')}: ${unique.map((v) => (kind === 'duration' ? human(parseDuration(v)) : String(v))).join(', ')}` : help);
      if (unique.length) s.vary[key] = unique; else delete s.vary[key];
      this.changed();
    };
    input.addEventListener('input', apply);
    // show the initial note/warning
    queueMicrotask(() => {
      const list = Array.isArray(s.vary[key]) ? s.vary[key] : [];
      const w = kind === 'duration' && warn ? warn(list.map(parseDuration).filter(Number.isFinite)) : null;
      if (w) { msg.className = 'warn'; msg.textContent = w; }
    });
    return h('div', { class: 'sw-vrow' }, h('label', { class: 'lbl', for: id, text: label }), input, msg);
  }

  // ------------------------------------------------------------ cluster and trials

  clusterPanel(s) {
    const groups = Array.isArray(s.base?.agents) ? s.base.agents : [];
    const single = groups.length === 1 && groups[0] && typeof groups[0] === 'object';
    const agentsField = h('input', { type: 'number', id: 'sw-agents', min: '1', max: '100000', step: '1', value: String(single ? groups[0].count ?? 1 : this.agentCount()), disabled: !single });
    agentsField.addEventListener('input', () => {
      const n = Number(agentsField.value);
      const ok = Number.isInteger(n) && n >= 1 && n <= 100000;
      agentsField.classList.toggle('invalid', !ok);
      if (ok) { groups[0].count = n; this.changed(); }
    });
    const trialsField = h('input', { type: 'number', id: 'sw-trials', min: '1', max: '100000', step: '1', value: String(s.trials ?? '') });
    trialsField.addEventListener('input', () => {
      const n = Number(trialsField.value);
      const ok = Number.isInteger(n) && n >= 1 && n <= 100000;
      trialsField.classList.toggle('invalid', !ok);
      if (ok) { s.trials = n; this.changed(); }
    });
    const trialsHint = h('p', { class: 'muted hint', dataset: { swDerived: '1' } });
    trialsHint.update = () => {
      trialsHint.textContent = `${s.trials === FILE_TRIALS ? `${FILE_TRIALS} trials per setting, as in` : `${s.trials} trials per setting here; ${FILE_TRIALS} in`} sweeps/reregister-vs-ping.json. `
        + 'Time grows linearly with trials × agents × horizon (the default grid at 20 trials takes a few seconds; ×5 for 100); p99 needs about 100 trials to settle. '
        + 'For big grids run the CLI on all cores: liveness sweep spec.json.';
    };
    trialsHint.update();
    const seedField = h('input', { type: 'number', id: 'sw-seed', min: '0', step: '1', value: String(s.seed ?? 0) });
    seedField.addEventListener('input', () => {
      const n = Number(seedField.value);
      const ok = Number.isSafeInteger(n) && n >= 0;
      seedField.classList.toggle('invalid', !ok);
      if (ok) { s.seed = n; this.changed(); }
    });
    const nameField = h('input', { type: 'text', id: 'sw-name', value: String(s.name ?? ''), spellcheck: false });
    nameField.addEventListener('input', () => { s.name = nameField.value; this.changed(); });
    s.workload ??= { horizon: '1day', faults: [] };
    const horizon = durationRow({
      label: 'horizon (each trial)', id: 'sw-horizon', lo: 3600000, hi: 30 * 86400000,
      get: () => s.workload.horizon, set: (t) => { s.workload.horizon = t; this.changed(); },
    });
    return h('section', { class: 'panel sw-panel', attrs: { 'aria-labelledby': 'sw-cluster-h' } },
      h('h2', { id: 'sw-cluster-h', text: 'Cluster and trials' }),
      h('div', { class: 'sw-fields' },
        h('label', { class: 'sw-f' }, h('span', { class: 'lbl', text: single ? 'agents' : `agents (${groups.length} groups)` }), agentsField),
        h('label', { class: 'sw-f' }, h('span', { class: 'lbl', text: 'trials', title: 'trials per setting' }), trialsField),
        h('label', { class: 'sw-f' }, h('span', { class: 'lbl', text: 'seed' }), seedField)),
      trialsHint,
      horizon,
      h('label', { class: 'sw-f wide' }, h('span', { class: 'lbl', text: 'name' }), nameField));
  }

  // ------------------------------------------------------------ workload

  workloadPanel(s) {
    const list = Array.isArray(s.workload.faults) ? s.workload.faults : (s.workload.faults = []);
    const add = (kind) => {
      const f = kind === 'crash_agent' ? { kind, rate: '1/30days' }
        : kind === 'restart_agent' ? { kind, rate: '1/7days', recovery: { lognormal: { ...LENGTH_DEFAULTS.lognormal } } }
          : { kind, rate: '1/30days', direction: 'both', duration: { uniform: [...LENGTH_DEFAULTS.uniform] } };
      list.push(f);
      this.changed({ rerender: true });
    };
    return h('section', { class: 'panel sw-panel', attrs: { 'aria-labelledby': 'sw-work-h' } },
      h('h2', { id: 'sw-work-h', text: 'Workload: faults on every agent' }),
      h('p', { class: 'muted hint sw-lead', text: 'Each line applies to every agent, as a Poisson process (rate per agent) or once at a time ± jitter. Trial k draws the same faults at every setting.' }),
      ...list.map((f, i) => this.faultCard(f, i, list)),
      list.length ? null : h('p', { class: 'muted', text: 'No faults: nothing to detect.' }),
      h('div', { class: 'sw-add' },
        h('span', { class: 'muted', text: 'Add:' }),
        h('button', { type: 'button', class: 'btn', text: '+ crash', on: { click: () => add('crash_agent') } }),
        h('button', { type: 'button', class: 'btn', text: '+ restart', on: { click: () => add('restart_agent') } }),
        h('button', { type: 'button', class: 'btn', text: '+ partition', on: { click: () => add('partition') } })));
  }

  faultCard(f, i, list) {
    const s = this.spec;
    const kindSel = h('select', { attrs: { 'aria-label': `Fault line ${i + 1}: kind` } },
      ...[['crash_agent', 'crash'], ['restart_agent', 'restart'], ['partition', 'partition']].map(([v, t]) => h('option', { value: v, text: t, selected: f.kind === v })));
    if (!['crash_agent', 'restart_agent', 'partition'].includes(f.kind)) kindSel.prepend(h('option', { value: String(f.kind), text: String(f.kind).slice(0, 40), selected: true }));
    kindSel.addEventListener('change', () => {
      f.kind = kindSel.value;
      delete f.recovery; delete f.duration; delete f.direction;
      if (f.kind === 'restart_agent') f.recovery = { lognormal: { ...LENGTH_DEFAULTS.lognormal } };
      if (f.kind === 'partition') { f.duration = { uniform: [...LENGTH_DEFAULTS.uniform] }; f.direction = 'both'; }
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
      h('div', { class: 'sw-fault-head' }, h('span', { class: 'sw-n', text: String(i + 1) }), kindSel, h('span', { class: 'sw-mode', attrs: { role: 'radiogroup', 'aria-label': 'When' } }, radio('rate', 'rate'), radio('at', 'once at')), remove));
    const hz = () => parseDuration(s.workload.horizon);
    if (mode === 'rate') {
      card.append(this.rateRow(f));
    } else {
      card.append(
        durationRow({ label: 'at', lo: 1000, hi: Math.max(2000, hz() || 86400000), zero: true, get: () => f.at, set: (t) => { f.at = t; this.changed(); } }),
        durationRow({ label: '± jitter', lo: 1000, hi: Math.max(2000, hz() || 86400000), zero: true, get: () => f.jitter ?? '0secs', set: (t) => { f.jitter = t; this.changed(); } }));
      const d = h('div', { class: 'note sw-derived', dataset: { swDerived: '1' } });
      d.update = () => { d.textContent = `Every agent, once, at ${human(parseDuration(f.at))}${parseDuration(f.jitter) > 0 ? ` ± ${human(parseDuration(f.jitter))}` : ''}: ${plural(this.agentCount(), 'fault')} per trial.`; };
      d.update();
      card.append(d);
    }
    if (f.kind === 'restart_agent') card.append(this.lengthEditor(f, 'recovery', 'recovery', true, '--c-recovering'));
    if (f.kind === 'partition') {
      card.append(this.lengthEditor(f, 'duration', 'partition lasts', false, '--c-disconnected'));
      const dir = h('select', { attrs: { 'aria-label': `Fault line ${i + 1}: direction` } },
        ...[['both', 'both directions'], ['master_to_agent', 'master → agent'], ['agent_to_master', 'agent → master']].map(([v, t]) => h('option', { value: v, text: t, selected: (f.direction ?? 'both') === v })));
      dir.addEventListener('change', () => { f.direction = dir.value; this.changed(); });
      card.append(h('label', { class: 'sw-inline' }, h('span', { class: 'lbl', text: 'cuts' }), dir));
    }
    return card;
  }

  rateRow(f) {
    const s = this.spec;
    const id = nextId('sw-rate');
    const lo = 10 * 60000, hi = 365 * 86400000;
    const range = h('input', { type: 'range', min: '0', max: '1000', step: '1', attrs: { 'aria-label': 'rate per agent (slider: mean time between faults)' } });
    const field = h('input', { type: 'text', id, spellcheck: false, autocomplete: 'off', attrs: { 'aria-label': 'rate per agent, e.g. 1/30days' } });
    const derived = h('div', { class: 'note sw-derived', dataset: { swDerived: '1' } });
    derived.update = () => {
      const r = parseRate(f.rate);
      const hz = parseDuration(s.workload.horizon);
      if (!r) { derived.textContent = 'expected a rate such as 1/30days'; return; }
      const per = (this.agentCount() * hz) / r.periodMs;
      derived.textContent = `One per agent every ${human(r.periodMs)} on average: ≈ ${per < 10 ? per.toFixed(1) : Math.round(per).toLocaleString('en-US')} per trial (${plural(this.agentCount(), 'agent')} × ${human(hz)}).`;
    };
    const toPos = (ms) => Math.round((Math.log(Math.max(lo, Math.min(hi, ms)) / lo) / Math.log(hi / lo)) * 1000);
    const sync = () => { field.value = f.rate ?? ''; const r = parseRate(f.rate); if (r) range.value = String(toPos(r.periodMs)); range.setAttribute('aria-valuetext', r ? `one every ${human(r.periodMs)}` : ''); derived.update(); };
    range.addEventListener('input', () => {
      const ms = niceMs(lo * (hi / lo) ** (Number(range.value) / 1000));
      f.rate = `1/${formatDuration(ms)}`;
      field.value = f.rate; field.classList.remove('invalid');
      range.setAttribute('aria-valuetext', `one every ${human(ms)}`);
      derived.update();
      this.changed();
    });
    field.addEventListener('input', () => {
      const r = parseRate(field.value.trim());
      field.classList.toggle('invalid', !r);
      field.setAttribute('aria-invalid', String(!r));
      if (r) { f.rate = field.value.trim(); range.value = String(toPos(r.periodMs)); derived.update(); this.changed(); }
    });
    sync();
    return h('div', { class: 'sw-srow' }, h('label', { class: 'lbl', for: id, text: 'rate per agent' }), range, field, derived);
  }

  /** The editor of a recovery / partition length: type, parameters, preview. */
  lengthEditor(f, field, label, hangOk, colorVar) {
    const wrap = h('div', { class: 'sw-len' });
    const type = lengthType(f[field]);
    const types = [['fixed', 'fixed'], ['uniform', 'uniform'], ['lognormal', 'lognormal (median, p99)'], ...(hangOk ? [['hang', 'hang (never)']] : [])];
    const sel = h('select', { attrs: { 'aria-label': `${label}: distribution` } }, ...types.map(([v, t]) => h('option', { value: v, text: t, selected: v === type })));
    sel.addEventListener('change', () => {
      const prev = f[field];
      const prevMs = (() => { const t = lengthType(prev); if (t === 'fixed') return parseDuration(fixedValue(prev)); if (t === 'lognormal') return parseDuration(prev.lognormal.median); if (t === 'uniform') return (parseDuration(prev.uniform[0]) + parseDuration(prev.uniform[1])) / 2; return NaN; })();
      const ok = Number.isFinite(prevMs) && prevMs > 0;
      switch (sel.value) {
        case 'fixed': f[field] = ok ? formatDuration(niceMs(prevMs)) : LENGTH_DEFAULTS.fixed; break;
        case 'uniform': f[field] = { uniform: ok ? [formatDuration(niceMs(prevMs / 2)), formatDuration(niceMs(prevMs * 2))] : [...LENGTH_DEFAULTS.uniform] }; break;
        case 'lognormal': f[field] = { lognormal: ok ? { median: formatDuration(niceMs(prevMs)), p99: formatDuration(niceMs(prevMs * 20)) } : { ...LENGTH_DEFAULTS.lognormal } }; break;
        default: f[field] = 'hang';
      }
      this.changed({ rerender: true });
    });
    const canvas = h('canvas', { class: 'sw-preview', attrs: { role: 'img', 'aria-label': `${label}: preview of the distribution` } });
    const summary = h('div', { class: 'note sw-psum' });
    const err = h('div', { class: 'err', hidden: true });
    const preview = {
      draw: () => {
        let samples;
        try {
          samples = this.sampleLength(f[field], 2000, 1);
          err.hidden = true;
        } catch (e) {
          err.textContent = e?.message ?? String(e);
          err.hidden = false;
          return;
        }
        const t = lengthType(f[field]);
        const st = drawPreview(canvas, samples, { log: t === 'lognormal', color: colorVar, fixed: t === 'fixed' });
        summary.textContent = t === 'hang' ? 'The agent never finishes recovering: a true failure, to be detected.'
          : t === 'fixed' ? `Always ${human(st.median)}.`
            : `Median ${human(st.median)}, p99 ${human(st.p99)} (2,000 samples from the engine${t === 'lognormal' ? '; log axis' : ''}).`;
        canvas.setAttribute('aria-label', `${label}: ${summary.textContent}`);
      },
    };
    this.previews.push(preview);
    const redraw = () => { requestAnimationFrame(() => preview.draw()); };
    const set = (mut) => (t) => { mut(t); redraw(); this.changed(); };
    const rows = [];
    const L = 1000, Hh = 2 * 86400000;
    if (type === 'fixed') {
      rows.push(durationRow({ label: 'length', lo: L, hi: Hh, zero: true, get: () => fixedValue(f[field]), set: set((t) => { f[field] = t; }) }));
    } else if (type === 'uniform') {
      const u = f[field].uniform;
      rows.push(
        durationRow({ label: 'from', lo: L, hi: Hh, zero: true, get: () => u[0], set: set((t) => { u[0] = t; }) }),
        durationRow({ label: 'to', lo: L, hi: Hh, zero: true, get: () => u[1], set: set((t) => { u[1] = t; }) }));
    } else if (type === 'lognormal') {
      const ln = f[field].lognormal;
      rows.push(
        durationRow({ label: 'median', lo: L, hi: Hh, get: () => ln.median, set: set((t) => { ln.median = t; }) }),
        durationRow({ label: 'p99', lo: L, hi: 7 * 86400000, get: () => ln.p99, set: set((t) => { ln.p99 = t; }) }));
    }
    wrap.append(h('label', { class: 'sw-inline' }, h('span', { class: 'lbl', text: label }), sel), ...rows, canvas, summary, err);
    this.ro.observe(wrap);
    return wrap;
  }
}
