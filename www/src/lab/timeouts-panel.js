// The timeouts panel: slider + exact Mesos-unit field per knob; the field carries
// data-setting="<dotted scenario path>" and commits on Enter, and a value it cannot take is
// explained in words. A change re-judges in place: the runs are re-simulated from 0 to the
// current time (what-if) with the same fault script, and the clock stays where it was. Values
// Mesos itself refuses are allowed with a visible warning. Below the knobs: the total ping
// timeout, a restart's recovery estimate, the executors' recovery_timeout against R, and the
// focused agent's verdict.
import { humanDuration, clock, clamp, stableJson } from '../util.js';
import { h, clear } from '../dom.js';
import { parseDuration, formatDuration, parseRate, niceMs } from '../duration.js';
import { causeText, warningFor, recoveryEstimate, settingsOf, structuredWarnings } from './engine-facts.js';
import { agentEntry } from './scenario-paths.js';

const RATES = [null, '1/1secs', '1/10secs', '1/30secs', '1/1mins', '1/5mins', '1/20mins', '1/1hrs'];

/** Knobs. scope: master | agent | network. kind: duration | int | rate | ratio. */
const FIELDS = [
  { key: 'agent_ping_timeout', scope: 'master', kind: 'duration', def: '15secs', lo: 1000, hi: 900000,
    help: 'The master pings each agent this often; an unanswered ping counts one miss.' },
  { key: 'max_agent_ping_timeouts', scope: 'master', kind: 'int', def: 5, lo: 1, hi: 20, fieldMax: 1000,
    help: 'Consecutive misses before the health check marks the agent unreachable.' },
  { key: 'agent_reregister_timeout', scope: 'master', kind: 'duration', def: '10mins', lo: 10000, hi: 7200000,
    help: 'After the socket breaks (or a failover), the agent must re-register within this time (fix B, Mesos 1.2).' },
  { key: 'agent_removal_rate_limit', scope: 'master', kind: 'rate', def: null,
    help: 'At most this many agents marked/removed per interval, shared by all paths ("none": unlimited).' },
  { key: 'registration_backoff_factor', scope: 'agent', kind: 'duration', def: '1secs', lo: 10, hi: 60000, zero: true,
    help: 'Agents wait U[0, b] before (re-)registering, doubling on retries (capped at 1 min).' },
  { key: 'executors', scope: 'agent', kind: 'int', def: null, lo: 0, hi: 100000, fieldMax: 1000000, log: true,
    help: 'Executors whose state a restarted agent recovers (default: one per task).' },
  { key: 'completed_executors', scope: 'agent', kind: 'int', def: 0, lo: 0, hi: 1000000, fieldMax: 100000000, log: true,
    help: 'Completed executors left in the work dir — recovery re-reads them too.' },
  { key: 'recovery_per_executor', scope: 'agent', kind: 'duration', def: '10ms', lo: 0.1, hi: 10000, zero: true,
    help: 'Recovery time per executor (running + completed).' },
  { key: 'recovery_timeout', scope: 'agent', kind: 'duration', def: '15mins', lo: 1000, hi: 7200000,
    help: 'How long checkpointing executors wait for an exited agent process before shutting themselves down (their tasks die).' },
  { key: 'executor_reregistration_timeout', scope: 'agent', kind: 'duration', def: '2secs', lo: 100, hi: 600000, zero: true,
    help: 'How long a recovering agent waits for its executors to re-register.' },
  { key: 'latency', scope: 'network', kind: 'duration', def: '1ms', lo: 0.1, hi: 30000, zero: true,
    help: 'One-way network latency.' },
  { key: 'drop_rate', scope: 'network', kind: 'ratio', def: 0, lo: 0, hi: 0.5,
    help: 'Probability that any message is dropped (seeded, so still deterministic).' },
];

// ---- value <-> slider position ----
function posToValue(f, pos) {
  const p = pos / 1000;
  switch (f.kind) {
    case 'duration': {
      if (f.zero && pos === 0) return 0;
      return niceMs(f.lo * Math.pow(f.hi / f.lo, p));
    }
    case 'int':
      if (f.log) { if (pos === 0) return 0; return Math.round(Math.pow(10, p * Math.log10(f.hi))); }
      return Math.round(f.lo + p * (f.hi - f.lo));
    case 'rate': return RATES[Math.round(p * (RATES.length - 1))];
    case 'ratio': return Math.round((f.lo + p * (f.hi - f.lo)) * 100) / 100;
    default: return null;
  }
}
function valueToPos(f, v) {
  switch (f.kind) {
    case 'duration': {
      const ms = parseDuration(v);
      if (!Number.isFinite(ms)) return 0;
      if (ms <= 0) return 0;
      return clamp(Math.round((Math.log(ms / f.lo) / Math.log(f.hi / f.lo)) * 1000), f.zero ? 1 : 0, 1000);
    }
    case 'int':
      if (f.log) return v > 0 ? clamp(Math.round((Math.log10(v) / Math.log10(f.hi)) * 1000), 1, 1000) : 0;
      return clamp(Math.round(((v - f.lo) / (f.hi - f.lo)) * 1000), 0, 1000);
    case 'rate': { const i = RATES.indexOf(v ?? null); return i < 0 ? 0 : Math.round((i / (RATES.length - 1)) * 1000); }
    case 'ratio': return clamp(Math.round(((v - f.lo) / (f.hi - f.lo)) * 1000), 0, 1000);
    default: return 0;
  }
}
function display(f, v) {
  if (v === null || v === undefined) return f.kind === 'rate' ? 'none' : '';
  if (f.kind === 'duration') return typeof v === 'number' ? formatDuration(v) : String(v);
  return String(v);
}
/** Parses a field's text. Returns { value } or { error }. */
function parseField(f, text) {
  const t = text.trim();
  switch (f.kind) {
    case 'duration': {
      // a bare number is milliseconds, as in the scenario JSON
      const value = /^\d+(\.\d+)?$/.test(t) ? Number(t) : t.replace(/\s+/g, '');
      const ms = parseDuration(value);
      if (t === '') return { error: `${f.key} needs a value: a number and a unit, e.g. ${f.def ?? '15secs'}.` };
      if (!Number.isFinite(ms)) return { error: `“${t.slice(0, 30)}” is not a duration. Write a number followed by a Mesos unit — ns, us, ms, secs, mins, hrs, days or weeks — with no space, e.g. ${f.def ?? '15secs'}. The value in force is kept.` };
      if (ms === 0 && !f.zero) return { error: `${f.key} must be longer than zero (e.g. ${f.def ?? '15secs'}). The value in force is kept.` };
      return { value };
    }
    case 'int': {
      const lo = f.key === 'max_agent_ping_timeouts' ? 1 : 0;
      if (!/^\d+$/.test(t)) return { error: `“${t.slice(0, 30)}” is not a whole number. ${f.key} counts, so write digits only, from ${lo} to ${f.fieldMax ?? f.hi}. The value in force is kept.` };
      const n = Number(t);
      if (n < lo || n > (f.fieldMax ?? f.hi)) return { error: `${n} is out of range: ${f.key} takes ${lo} to ${f.fieldMax ?? f.hi}. The value in force is kept.` };
      return { value: n };
    }
    case 'rate': {
      if (t === '' || t === 'none') return { value: null };
      const value = t.replace(/\s+/g, '');
      if (!parseRate(value)) return { error: `“${t.slice(0, 30)}” is not a rate. Write permits/duration, e.g. 1/20mins (one removal every 20 minutes), or none for no limit. The value in force is kept.` };
      return { value };
    }
    case 'ratio': {
      const n = Number(t);
      if (!Number.isFinite(n) || n < 0 || n > 1 || t === '') return { error: `“${t.slice(0, 30)}” is not a probability: write a number from 0 to 1, e.g. 0.01 for one message in a hundred. The value in force is kept.` };
      return { value: n };
    }
    default: return { error: 'unsupported' };
  }
}

/** The Timeouts & what-if panel. */
export class TimeoutsPanel {
  /**
   * @param state the LabState (the scenario, the focus, the primary run)
   * @param body the #tuning-body element
   * @param edit (mutate) → problems — applies an edit to the scenario and re-simulates
   */
  constructor(state, body, edit) {
    this.state = state;
    this.body = body;
    this.edit = edit;
    this.rows = new Map();
    this.structKey = '';
    this.scopeAll = false;
    this.pending = null;
  }

  _scope() {
    const i = this.state.focus;
    if (this.scopeAll || i < 0) return { all: true };
    const e = agentEntry(this.state.scenario, i);
    if (!e) return { all: true };
    return { all: false, entryIndex: e.__index, label: (this.state.scenario.agents[e.__index].count ?? 1) > 1 ? `${e.name}-* (agents[${e.__index}], ${e.count} agents)` : `${e.name} (agents[${e.__index}])` };
  }

  /** Effective raw value of a field under the current scope. */
  _value(f) {
    const s = this.state.scenario;
    if (f.scope === 'master') return s.master?.[f.key] ?? f.def;
    if (f.scope === 'network') return s.network?.[f.key] ?? f.def;
    const sc = this._scope();
    const d = s.agent_defaults ?? {};
    if (!sc.all) {
      const e = s.agents[sc.entryIndex];
      if (e[f.key] !== undefined) return e[f.key];
    }
    if (d[f.key] !== undefined) return d[f.key];
    if (f.key === 'executors') {
      // one per task of the scoped entry
      const e = sc.all ? s.agents?.[0] : s.agents[sc.entryIndex];
      return e?.tasks ? Object.values(e.tasks).reduce((a, b) => a + (Number(b) || 0), 0) : 0;
    }
    return f.def;
  }

  _overridden(f) {
    const s = this.state.scenario;
    if (f.scope !== 'agent' || !this._scope().all) return 0;
    return (s.agents ?? []).filter((e) => e[f.key] !== undefined).length;
  }

  render() {
    const { state } = this;
    if (!state.scenario || !state.primary) return;
    const sc = this._scope();
    const key = `${sc.all}|${sc.entryIndex}|${state.scenario.agents?.length}`;
    if (key !== this.structKey) { this.structKey = key; this._build(sc); }
    this._sync();
    this.renderDerived(true);
  }

  _build(sc) {
    const body = this.body;
    clear(body);
    this.rows.clear();
    this.derived = h('div', { class: 'derived', attrs: { 'aria-live': 'polite' } });
    this.resim = h('div', { class: 'resim', dataset: { resimMs: '' } });
    body.append(this.derived, this.resim);
    const sections = {};
    const section = (scope) => {
      if (sections[scope]) return sections[scope];
      let el;
      if (scope === 'master') {
        el = h('div', { class: 'tgroup' }, h('h4', { text: 'Master flags' }));
        body.append(el);
      } else {
        const open = this.openGroups?.[scope] ?? false;
        const title = scope === 'agent' ? 'Agent: recovery and backoff' : 'Network';
        el = h('details', { class: 'tgroup', open }, h('summary', {}, h('h4', { text: title })));
        el.addEventListener('toggle', () => { this.openGroups = { ...this.openGroups, [scope]: el.open }; });
        body.append(el);
        if (scope === 'agent') {
          const sel = h('select', { attrs: { 'aria-label': 'Which agents the agent settings apply to' } },
            h('option', { value: 'all', text: 'all agents (agent_defaults)' }),
            sc.all && this.state.focus < 0 ? null : h('option', { value: 'one', text: sc.label ?? 'selected agent' }));
          sel.value = sc.all ? 'all' : 'one';
          sel.addEventListener('change', () => { this.scopeAll = sel.value === 'all'; this.render(); });
          el.append(h('div', { class: 'scope' }, h('span', { text: 'applies to' }), sel));
        }
      }
      sections[scope] = el;
      return el;
    };
    for (const f of FIELDS) {
      const host = section(f.scope);
      const id = `tune-${f.key}`;
      const path = f.scope === 'master' ? `master.${f.key}` : f.scope === 'network' ? `network.${f.key}` : sc.all ? `agent_defaults.${f.key}` : `agents[${sc.entryIndex}].${f.key}`;
      const text = h('input', { type: 'text', id, spellcheck: false, autocomplete: 'off', dataset: { setting: path }, attrs: { 'aria-describedby': `${id}-err ${id}-note`, title: 'Type a value and press Enter' } });
      const slider = h('input', { type: 'range', min: '0', max: '1000', step: '1', attrs: { 'aria-label': `${f.key} (slider)` } });
      const note = h('div', { class: 'note', id: `${id}-note`, text: f.help });
      const warn = h('div', { class: 'warn', hidden: true, attrs: { role: 'status' } });
      const err = h('div', { class: 'err', id: `${id}-err`, hidden: true, attrs: { role: 'alert' } });
      const row = h('div', { class: 'row', dataset: { field: f.key } }, h('label', { for: id, text: f.key, title: f.help }), text, slider, warn, err, note);
      host.append(row);
      const r = { f, row, text, slider, warn, err, dragging: false, path };
      this.rows.set(f.key, r);
      slider.addEventListener('pointerdown', () => { r.dragging = true; });
      slider.addEventListener('pointerup', () => { r.dragging = false; });
      slider.addEventListener('input', () => {
        const v = posToValue(f, Number(slider.value));
        const shown = f.kind === 'duration' ? formatDuration(v) : display(f, v);
        text.value = shown;
        this._queue(f, f.kind === 'duration' ? shown : v, r);
      });
      slider.addEventListener('change', () => { r.dragging = false; });
      const commit = () => {
        const p = parseField(f, text.value);
        if (p.error) { this._showErr(r, p.error); return; }
        if (stableJson(p.value) === stableJson(this._value(f))) { this._showErr(r, ''); return; } // unchanged (a blur)
        this._apply(f, p.value, r);
      };
      text.addEventListener('change', commit);
      text.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); commit(); } });
    }
  }

  _showErr(r, msg) {
    r.err.textContent = msg; r.err.hidden = !msg;
    r.row.classList.toggle('invalid', !!msg);
    r.text.setAttribute('aria-invalid', String(!!msg));
  }

  _queue(f, v, r) {
    // coalesce slider drags to one re-simulation per frame
    this.pending = { f, v, r };
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      const p = this.pending; this.pending = null;
      if (p) this._apply(p.f, p.v, p.r);
    });
  }

  _apply(f, v, r) {
    const sc = this._scope();
    const problems = this.edit((s) => {
      if (f.scope === 'master') {
        s.master = s.master ?? {};
        if (v === null) delete s.master[f.key]; else s.master[f.key] = v;
      } else if (f.scope === 'network') {
        s.network = s.network ?? {};
        s.network[f.key] = v;
      } else if (sc.all) {
        s.agent_defaults = s.agent_defaults ?? {};
        s.agent_defaults[f.key] = v;
        for (const e of s.agents ?? []) delete e[f.key];
      } else {
        s.agents[sc.entryIndex][f.key] = v;
      }
    });
    this._showErr(r, problems.length ? problems.join('\n') : '');
    this._sync();
    this.renderDerived(true);
  }

  _sync() {
    const warnings = this.state.primary ? structuredWarnings(this.state.primary.sim) : [];
    for (const r of this.rows.values()) {
      const v = this._value(r.f);
      if (document.activeElement !== r.text) r.text.value = display(r.f, v);
      if (!r.dragging && document.activeElement !== r.slider) r.slider.value = String(valueToPos(r.f, v));
      r.slider.setAttribute('aria-valuetext', display(r.f, v) || 'none');
      const refused = warningFor(warnings, r.path);
      const w = refused ? `${refused} Simulated anyway.` : null;
      const over = this._overridden(r.f);
      const msg = w ?? (over ? `${over} agent group${over > 1 ? 's' : ''} set their own value; changing it here replaces them.` : null);
      r.warn.textContent = msg ?? '';
      r.warn.hidden = !msg;
      r.row.classList.toggle('refused', !!w);
    }
  }

  /** Derived readouts: total ping timeout, recovery estimate, executors against R, the focused agent's verdict. */
  renderDerived(force = false) {
    const { state } = this;
    const run = state.primary;
    if (!run || !this.derived) return;
    const hide = document.body.classList.contains('hide-future');
    const key = `${state.focus}|${!!run.digest}|${run.digest?.verdicts.length}|${Math.floor(state.t / 1000)}|${state.resim.ms}|${this.structKey}|${run.variant.label}|${hide}`;
    if (!force && key === this.derivedKey) return;
    this.derivedKey = key;
    const sc = this._scope();
    const S = settingsOf(run.sim, sc.all ? 0 : state.focus);
    const { pingMs: P, maxPings: N, reregMs: R } = S;
    const items = [];
    items.push(h('div', { class: 'd', dataset: { derived: 'total-ping-timeout' } },
      'Total ping timeout: ', h('b', { text: `${formatDuration(P)} × ${N} = ${humanDuration(P * N)}` }),
      ' — a silent agent is marked about this long after its first unanswered ping.'));
    // recovery estimate for the scoped agent(s)
    const est = recoveryEstimate(run.sim, sc.all ? 0 : state.focus);
    const rec = est.totalMs;
    const who = sc.all ? 'an agent' : (sc.label ?? 'this agent').split(' ')[0];
    const cmp = [];
    if (rec > P * N) cmp.push(`longer than the ${humanDuration(P * N)} ping timeout: fix A (running-only-pongs) would mark it while it recovers`);
    if (rec > R) cmp.push(`longer than agent_reregister_timeout (${humanDuration(R)}): mesos-1.2 marks it before it is back`);
    if (!cmp.length) cmp.push('shorter than both timeouts: no policy marks it for a normal restart');
    items.push(h('div', { class: 'd', dataset: { derived: 'recovery' } },
      `A normal restart of ${who} recovers in ≈ `, h('b', { text: humanDuration(rec) }),
      ` (${est.executors} executors × ${formatDuration(S.perExecutorMs)} reading checkpoints${est.waitMs ? ` + ${humanDuration(est.waitMs)} waiting for executors to re-register` : ''}): ${cmp.join('; ')}.`));
    // the executors' own deadline against the master's
    const rt = S.recoveryTimeoutMs;
    items.push(h('div', { class: 'd', dataset: { derived: 'recovery-timeout' } },
      'Executors wait ', h('b', { text: formatDuration(rt) }), ' (recovery_timeout) for an exited agent; the master waits ', h('b', { text: formatDuration(R) }),
      rt < R ? ` (R): a hung agent's checkpointed tasks die ${humanDuration(R - rt)} before the master gives up — ghost tasks.`
        : rt > R ? ` (R): the master gives up ${humanDuration(rt - R)} before tasks that were still alive would have died.` : ' (R): they run out together, as Mesos advises.'));
    // the focused agent's verdict
    if (state.focus >= 0 && state.focus < run.n) {
      const name = run.names[state.focus];
      const past = run.verdicts.filter((x) => x.agent === name);
      const fut = hide ? [] : (run.digest?.verdicts ?? []).filter((x) => x.agent === name && x.t > state.t);
      let text;
      const why = (x) => (x.message ? `“${x.message}”` : x.reason ? `reason ${x.reason}` : causeText(x.cause));
      if (fut.length) text = `${name} will be ${fut[0].event === 'agent_removed' ? 'removed' : 'marked unreachable'} at ${clock(fut[0].t, { millis: true })} by ${causeText(fut[0].cause) || fut[0].reason}: ${why(fut[0])}.`;
      else if (past.length) { const x = past[past.length - 1]; text = `${name} was ${x.event === 'agent_removed' ? 'removed' : 'marked unreachable'} at ${clock(x.t, { millis: true })} by ${causeText(x.cause) || x.reason}: ${why(x)}.`; }
      else if (hide) text = `When ${name} is marked is hidden until you answer the question.`;
      else if (run.digest) text = `${name} is not marked before the end of the run (${clock(run.duration)}) under ${run.variant.label}.`;
      else text = `Working out when ${name} would be marked… ${Math.round(run.judging * 100)}%`;
      items.push(h('div', { class: 'd', dataset: { derived: 'verdict', for: name } }, text));
    } else {
      items.push(h('div', { class: 'd muted', text: 'Select an agent to see when it would be marked, and why.' }));
    }
    const warnings = structuredWarnings(run.sim);
    if (warnings.length) {
      items.push(h('div', { class: 'd warnbox', dataset: { derived: 'warnings' } },
        h('b', { text: 'Mesos itself would refuse: ' }), warnings.map((w) => `${w.path}: ${w.message}`).join(' · '), ' — simulated anyway.'));
    }
    this.derived.replaceChildren(...items);
    if (state.resim.ms !== null) {
      this.resim.textContent = `Re-simulated 00:00 → ${clock(state.t)} (${state.runs.length} run${state.runs.length > 1 ? 's' : ''}, ${run.n} agents) in ${state.resim.ms.toFixed(1)} ms.`;
      this.resim.dataset.resimMs = String(state.resim.ms);
    }
  }
}
