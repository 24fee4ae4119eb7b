// The lane timeline (`data-lane-timeline`): for each watched agent of the primary run, lanes over
// the whole run — what the agent really was (process state, executors alive, each executor's
// death) against what the master believed (its view, the verdict), the pings and pongs (and the
// dropped ones), the socket break, the health check's missed-ping counter, and the timers as
// bars from arming to deadline (agent_reregister_timeout; the executors' recovery_timeout).
// Everything comes from the judge's digest (judge.js: exact lane records and the agent's events);
// the part after the current time is faded. Pressing or dragging on the lanes moves the clock.
// Drawn as SVG so every mark is an element with data-* a test or a screen reader can read.
import { LANE } from './judge.js';
import { describeEvent } from './engine-facts.js';
import { clock, humanDuration } from '../util.js';
import { h, clear } from '../dom.js';

const NS = 'http://www.w3.org/2000/svg';
const LABEL_W = 92;
const ROW = 18;
/** Room right of the lanes, so the last time label is not cut. */
const PAD_R = 20;
const ROWS = ['truth', 'master', 'pings', 'missed', 'rereg', 'exec'];
const ROW_LABEL = { truth: 'agent really', master: 'master’s view', pings: 'pings / pongs', missed: 'missed pings', rereg: 're-register timer', exec: 'executor timer' };

/** An SVG element with attributes. */
function s(tag, attrs = {}, ...kids) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of kids) if (c) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** Segments [from, to, value] of one lane field over records sorted by time. */
export function segments(records, field, end, same = (a, b) => a === b || (Number.isNaN(a) && Number.isNaN(b))) {
  const out = [];
  for (let k = 0; k < records.length; k++) {
    const r = records[k];
    const v = r[field];
    const last = out[out.length - 1];
    if (last && same(last[2], v)) continue;
    if (last) last[1] = r[LANE.t];
    out.push([r[LANE.t], end, v]);
  }
  return out;
}

/**
 * The timer bars of one deadline field: each armed span as { from, deadline, to, ended } where
 * `ended` is 'fired' (ran to its deadline) or 'cancelled' (cleared before it).
 */
export function timerBars(records, field, end) {
  const bars = [];
  let open = null;
  for (const r of records) {
    const d = r[field];
    const t = r[LANE.t];
    if (open && (Number.isNaN(d) || d !== open.deadline)) {
      open.to = t;
      open.ended = t >= open.deadline ? 'fired' : 'cancelled';
      bars.push(open);
      open = null;
    }
    if (!open && !Number.isNaN(d)) open = { from: t, deadline: d, to: null, ended: null };
  }
  if (open) { open.to = Math.min(open.deadline, end); open.ended = open.deadline <= end ? 'fired' : 'running'; bars.push(open); }
  return bars;
}

/** The lane timeline panel. */
export class Lanes {
  /**
   * @param state the LabState (primary run, its digest, the focus and the time)
   * @param host the element carrying data-lane-timeline
   * @param seek (t) — the reader pressed or dragged on the lanes
   */
  constructor(state, host, seek) {
    this.state = state;
    this.host = host;
    this.seek = seek;
    this.key = '';
    this.cursorKey = '';
    this.svgs = [];
    /** The host's width, read when it changes (a resize observer runs after layout): reading
     *  it while drawing forced a layout of the whole page after each edit (100–300 ms with a
     *  5,000-agent cluster). */
    this.width = 0;
    new ResizeObserver(() => {
      const w = host.clientWidth;
      if (w && w !== this.width) { this.width = w; this.key = ''; this.render(); }
    }).observe(host);
  }

  /** Redraws when the digest, the watched agents or the width changed; moves the cursor. */
  render() {
    const { state } = this;
    const run = state.primary;
    const host = this.host;
    const focus = state.focus;
    const show = !!run && focus >= 0 && focus < run.n;
    host.hidden = !show;
    if (!show) { this.key = ''; return; }
    const names = state.watched();
    const d = run.digest;
    const width = Math.floor(this.width || 600);
    const key = `${run.sim ? run.scenario.name : ''}|${names.join(',')}|${width}|${d && names.every((n) => d.lanes?.[n]) ? 'd' : run.judging.toFixed(1)}|${run.variant.label}|${document.documentElement.dataset.theme}|${this.hideFuture}`;
    if (key !== this.key || d !== this.digest) {
      this.key = key;
      this.digest = d;
      this._build(run, names, d, width);
    }
    this._cursor(run);
  }

  /** Hides everything after the current time (a predict-then-reveal question is open). */
  setHideFuture(on) { if (this.hideFuture !== on) { this.hideFuture = on; this.key = ''; this.render(); } }

  _build(run, names, d, width) {
    const host = this.host;
    clear(host);
    this.svgs = [];
    host.append(h('div', { class: 'lanes-head', title: 'Press or drag on the lanes to move the clock' },
      h('b', { text: `Lane timeline${names.length === 1 ? ` of ${names[0]}` : ''}` }),
      h('span', { class: 'muted', text: ' — what the agent really did against what the master believed; drag to move the clock' })));
    if (!d || !names.every((n) => d.lanes?.[n])) {
      host.append(h('div', { class: 'lanes-wait', dataset: { judging: String(Math.round(run.judging * 100)) }, text: `Working out ${names[0] ?? 'the agent'}’s lanes over the whole run… ${Math.round(run.judging * 100)}%` }));
      return;
    }
    for (const name of names) host.append(this._agent(run, name, d.lanes[name], width));
  }

  _agent(run, name, lane, width) {
    const end = run.duration;
    const W = Math.max(320, width - 2);
    const H = ROWS.length * ROW + 18;
    const x = (t) => LABEL_W + (Math.max(0, Math.min(end, t)) / Math.max(1, end)) * (W - LABEL_W - PAD_R);
    const y = (row) => ROWS.indexOf(row) * ROW + 2;
    const lib = this.state.lib;
    const recs = lane.records;
    const N = run.params.maxPings;
    const svg = s('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, class: 'lanes-svg', role: 'img', 'aria-label': `Lanes of ${name} over the run` });
    svg.append(s('defs', {},
      s('pattern', { id: `lp-hatch-${lane.index}`, width: 5, height: 5, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        s('rect', { width: 5, height: 5, class: 'ln-bg-recovering' }), s('line', { x1: 0, y1: 0, x2: 0, y2: 5, class: 'ln-hatch' })),
      s('pattern', { id: `lp-cross-${lane.index}`, width: 6, height: 6, patternUnits: 'userSpaceOnUse' },
        s('rect', { width: 6, height: 6, class: 'ln-v-unreachable' }), s('path', { d: 'M0 0L6 6M6 0L0 6', class: 'ln-cross' })),
      s('pattern', { id: `lp-diag-${lane.index}`, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        s('rect', { width: 6, height: 6, class: 'ln-v-disconnected' }), s('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'ln-stripe' }))));
    for (const row of ROWS) {
      svg.append(s('text', { x: 4, y: y(row) + ROW / 2 + 1, class: 'ln-label' }, ROW_LABEL[row]));
      svg.append(s('line', { x1: LABEL_W, x2: W - PAD_R, y1: y(row) + ROW - 1, y2: y(row) + ROW - 1, class: 'ln-grid' }));
    }
    const items = [];
    const say = (text) => items.push(text);
    // --- the agent, really: process state, executors alive
    const g1 = s('g', { 'data-lane': 'truth' });
    for (const [from, to, v] of segments(recs, LANE.state, end)) {
      const st = lib.AGENT_STATES[v];
      const fill = st === 'recovering' ? `url(#lp-hatch-${lane.index})` : null;
      g1.append(s('rect', { x: x(from), y: y('truth') + 2, width: Math.max(1, x(to) - x(from)), height: ROW - 5, class: `ln-s ln-s-${st}`, fill, 'data-state': st, 'data-from': from, 'data-to': to },
        s('title', {}, `${name} ${st} ${clock(from, { millis: true })} → ${clock(to, { millis: true })}`)));
      if (st !== 'running' && st !== 'disconnected') say(`${name} was really ${st} from ${clock(from, { millis: true })} to ${clock(to, { millis: true })}`);
    }
    for (const [from, to, v] of segments(recs, LANE.alive, end)) {
      if (x(to) - x(from) < 56) continue;
      g1.append(s('text', { x: x(from) + 3, y: y('truth') + ROW / 2 + 2, class: 'ln-alive', 'data-alive': v }, `${v} alive`));
    }
    const deaths = lane.events.filter((e) => e.event === 'executor_terminated');
    const byT = new Map();
    for (const e of deaths) byT.set(e.t, [...(byT.get(e.t) ?? []), e]);
    for (const [t, list] of byT) {
      g1.append(s('g', { 'data-death': t, 'data-count': list.length, class: 'ln-death' },
        s('path', { d: `M${x(t)} ${y('truth')}v${ROW - 2}M${x(t) - 3.5} ${y('truth') + 5}h7`, class: 'ln-death-mark' }),
        s('title', {}, `${clock(t, { millis: true })}: ${list.length} executor${list.length > 1 ? 's' : ''} died — ${describeEvent(list[0])}`)));
      say(`${list.length} executor${list.length > 1 ? 's' : ''} of ${name} really died at ${clock(t, { millis: true })} (${list[0].reason.replace(/_/g, ' ')})`);
    }
    svg.append(g1);
    // --- the master's view and the verdict
    const g2 = s('g', { 'data-lane': 'master' });
    for (const [from, to, v] of segments(recs, LANE.view, end)) {
      const view = lib.MASTER_VIEWS[v];
      const fill = view === 'unreachable' ? `url(#lp-cross-${lane.index})` : view === 'disconnected' ? `url(#lp-diag-${lane.index})` : null;
      g2.append(s('rect', { x: x(from), y: y('master') + 2, width: Math.max(1, x(to) - x(from)), height: ROW - 5, class: `ln-v ln-v-${view}`, fill, 'data-view': view, 'data-from': from, 'data-to': to },
        s('title', {}, `master: ${view} ${clock(from, { millis: true })} → ${clock(to, { millis: true })}`)));
      say(`the master saw ${name} as ${view} from ${clock(from, { millis: true })}`);
    }
    for (const e of lane.events) {
      if (e.event !== 'agent_marked_unreachable' && e.event !== 'agent_removed') continue;
      g2.append(s('g', { 'data-verdict': e.t, class: 'ln-verdict' },
        s('path', { d: `M${x(e.t) - 5} ${y('master') - 1}h10l-5 6z` }),
        s('title', {}, `${clock(e.t, { millis: true })}: ${describeEvent(e)}`)));
      say(`verdict at ${clock(e.t, { millis: true })}: ${describeEvent(e)}`);
    }
    svg.append(g2);
    // --- pings and pongs, the socket break
    const g3 = s('g', { 'data-lane': 'pings' });
    const yp = y('pings');
    const seen = new Set();
    let pings = 0, pongs = 0, droppedN = 0;
    const paths = { ping: '', pong: '', dropped: '', off: '', reg: '' };
    for (const e of lane.events) {
      if (e.event !== 'message') continue;
      const px = Math.round(x(e.t) * 2) / 2;
      const kind = e.message === 'PingSlaveMessage' ? 'ping' : e.message === 'PongSlaveMessage' ? 'pong' : 'reg';
      const k = `${kind}|${px}|${e.dropped}`;
      if (seen.has(k)) continue;
      seen.add(k);
      if (kind === 'ping') pings++; else if (kind === 'pong') pongs++;
      if (e.dropped) { droppedN++; paths.dropped += `M${px - 2} ${yp + 4}l4 4m0 -4l-4 4`; continue; }
      if (kind === 'ping') paths[e.connected === false ? 'off' : 'ping'] += `M${px} ${yp + 1}v7`;
      else if (kind === 'pong') paths.pong += `M${px} ${yp + 8}v7`;
      else paths.reg += `M${px - 2} ${yp + 5}h4v4h-4z`;
    }
    for (const [k, d] of Object.entries(paths)) if (d) g3.append(s('path', { d, class: `ln-m ln-m-${k}`, 'data-msg': k }));
    g3.setAttribute('data-pings', pings); g3.setAttribute('data-pongs', pongs); g3.setAttribute('data-dropped', droppedN);
    for (const e of lane.events) {
      if (e.event !== 'agent_disconnected') continue;
      g3.append(s('g', { 'data-socket-break': e.t, class: 'ln-break' },
        s('path', { d: `M${x(e.t) - 2} ${yp}l4 6l-4 2l4 7` }),
        s('title', {}, `${clock(e.t, { millis: true })}: ${describeEvent(e)}`)));
      say(`socket break seen by the master at ${clock(e.t, { millis: true })}`);
    }
    svg.append(g3);
    // --- missed pings: a step line up to N
    const g4 = s('g', { 'data-lane': 'missed' });
    const ym = y('missed');
    const sy = (k) => ym + ROW - 3 - (Math.max(0, Math.min(N, k)) / Math.max(1, N)) * (ROW - PAD_R);
    g4.append(s('line', { x1: LABEL_W, x2: W - PAD_R, y1: sy(N), y2: sy(N), class: 'ln-threshold' }));
    let dStep = '';
    let maxMissed = 0;
    for (const [from, to, v] of segments(recs, LANE.misses, end)) {
      if (v < 0) continue;
      maxMissed = Math.max(maxMissed, v);
      dStep += `M${x(from)} ${sy(v)}H${x(to)}`;
      if (v > 0 && x(to) - x(from) > 9) g4.append(s('text', { x: x(from) + 1, y: sy(v) - 1, class: 'ln-count' }, String(v)));
    }
    g4.append(s('path', { d: dStep, class: 'ln-step', 'data-max-missed': maxMissed }));
    if (maxMissed) say(`the health check counted up to ${maxMissed} of ${N} missed pings`);
    svg.append(g4);
    // --- timers: agent_reregister_timeout, and the executors' recovery_timeout
    const g5 = s('g', { 'data-lane': 'timers' });
    const bar = (b, kind, rowName, label) => {
      const yt = y(rowName);
      const row = 3;
      const x0 = x(b.from), x1 = x(b.to), xd = x(b.deadline);
      const g = s('g', { 'data-timer': kind, 'data-from': b.from, 'data-deadline': b.deadline, 'data-to': b.to, 'data-ended': b.ended, class: `ln-timer ln-timer-${kind}` });
      if (b.ended === 'cancelled' && xd > x1) g.append(s('rect', { x: x1, y: yt + row, width: Math.max(1, Math.min(xd, W - PAD_R) - x1), height: ROW - 7, class: 'ln-timer-rest' }));
      g.append(s('rect', { x: x0, y: yt + row, width: Math.max(2, x1 - x0), height: ROW - 7, class: 'ln-timer-bar' }));
      g.append(s('path', { d: `M${Math.min(xd, W - PAD_R)} ${yt + 1}v${ROW - 3}`, class: 'ln-timer-end' }));
      if (x1 - x0 > 150) g.append(s('text', { x: x0 + 4, y: yt + ROW / 2 + 0.5, class: 'ln-timer-text' }, `${label} · deadline ${clock(b.deadline, { millis: true })}`));
      else if (x1 - x0 > 80) g.append(s('text', { x: x0 + 4, y: yt + ROW / 2 + 0.5, class: 'ln-timer-text' }, label));
      g.append(s('title', {}, `${label}: armed ${clock(b.from, { millis: true })}, deadline ${clock(b.deadline, { millis: true })}${b.ended === 'cancelled' ? `, cancelled ${clock(b.to, { millis: true })}` : b.ended === 'fired' ? ' (ran out)' : ''}`));
      g5.append(g);
      say(`${label} armed at ${clock(b.from, { millis: true })} for ${humanDuration(b.deadline - b.from)}, deadline ${clock(b.deadline, { millis: true })}${b.ended === 'cancelled' ? `, cancelled at ${clock(b.to, { millis: true })}` : b.ended === 'fired' ? ', ran out' : ''}`);
    };
    for (const b of timerBars(recs, LANE.reregDeadline, end)) bar(b, 'reregister', 'rereg', 'agent_reregister_timeout');
    for (const b of timerBars(recs, LANE.execDeadline, end)) bar(b, 'executor', 'exec', 'recovery_timeout');
    svg.append(g5);
    // --- time axis, the future's veil and the cursor
    const yAxis = ROWS.length * ROW + 12;
    const ticks = niceTicks(end, Math.max(2, Math.floor((W - LABEL_W) / 70)));
    const gA = s('g', { class: 'ln-axis' });
    for (const t of ticks) gA.append(s('text', { x: x(t), y: yAxis, 'text-anchor': 'middle' }, clock(t)));
    svg.append(gA);
    const veil = s('rect', { x: 0, y: 0, width: 0, height: ROWS.length * ROW + 2, class: this.hideFuture ? 'ln-veil hide' : 'ln-veil' });
    const cursor = s('line', { x1: 0, x2: 0, y1: 0, y2: ROWS.length * ROW + 2, class: 'ln-cursor' });
    svg.append(veil, cursor);
    svg.addEventListener('pointerdown', (e) => {
      const r = svg.getBoundingClientRect();
      const to = (ev) => {
        const px = ev.clientX - r.left;
        if (px < LABEL_W - 4) return;
        this.seek(((px - LABEL_W) / (W - LABEL_W - PAD_R)) * end);
      };
      to(e);
      svg.setPointerCapture?.(e.pointerId);
      const move = (ev) => to(ev);
      const up = () => { svg.removeEventListener('pointermove', move); svg.removeEventListener('pointerup', up); };
      svg.addEventListener('pointermove', move);
      svg.addEventListener('pointerup', up);
    });
    const wrap = h('div', { class: 'lanes-agent', dataset: { laneAgent: name } },
      this.state.watched().length > 1 ? h('div', { class: 'lanes-name', text: name }) : null, svg,
      h('ul', { class: 'sr-only lanes-text' }, ...items.map((t) => h('li', { text: t }))));
    this.svgs.push({ svg, veil, cursor, x, W });
    return wrap;
  }

  _cursor(run) {
    const t = this.state.t;
    for (const { veil, cursor, x, W } of this.svgs) {
      const cx = x(t);
      cursor.setAttribute('x1', cx); cursor.setAttribute('x2', cx);
      veil.setAttribute('x', cx); veil.setAttribute('width', Math.max(0, W - PAD_R - cx));
    }
    this.host.dataset.t = String(t);
    void run;
  }
}

/** Round tick times (ms) for an axis of `end` with about `count` ticks. */
function niceTicks(end, count) {
  const steps = [1e3, 5e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3, 7200e3, 21600e3, 43200e3, 86400e3];
  const step = steps.find((st) => end / st <= count) ?? steps.at(-1);
  const out = [];
  for (let t = 0; t <= end; t += step) out.push(t);
  return out;
}
