// The spec editor's building blocks: a duration slider with its exact field, a workload rate
// field, and the editor of a workload length (fixed, uniform, lognormal, empirical from a list
// or an uploaded file, hang; optional min / max clamps) with a histogram of the engine's own
// samples. Fields write what is typed into the spec as it is: the engine validates the spec and
// names each problem's JSON path, which marks the field (every input carries its path in
// `data-sw-path`).
import { h } from '../dom.js';
import { parseDuration, formatDuration, niceMs } from '../duration.js';
import { plural } from '../util.js';
import { human } from './sweep-model.js';
import { drawPreview } from './sweep-plots.js';

let uid = 0;
/** A unique element id with a prefix. */
export const nextId = (p) => `${p}-${++uid}`;

/** Sets an element's JSON path (what the engine's problems name). */
export function withPath(el, path) {
  el.dataset.swPath = path;
  return el;
}

/**
 * A workload rate "<count>/<duration>" (the count may be fractional: "0.2/30days") as
 * { count, perMs, gapMs } for the texts and sliders around the field, or null. Display only:
 * whether the engine accepts it is the engine's to say.
 */
export function readRate(v) {
  if (typeof v !== 'string') return null;
  const i = v.indexOf('/');
  if (i < 0) return null;
  const c = v.slice(0, i).trim();
  const count = /^\d+(\.\d+)?$/.test(c) ? Number(c) : NaN;
  const perMs = parseDuration(v.slice(i + 1).trim());
  if (!(count > 0) || !(perMs > 0)) return null;
  return { count, perMs, gapMs: perMs / count };
}

/** A rate with mean gap `ms` as the slider writes it: "1/<duration>". */
export function rateText(ms) {
  return `1/${formatDuration(ms)}`;
}

/**
 * A duration slider (log scale, optionally with 0 at the far left) and its exact field.
 * get() returns the current text; set(text) stores what is typed (valid or not).
 */
export function durationRow({ label, get, set, lo, hi, zero = false, id = nextId('sw-d'), note, path }) {
  const range = h('input', { type: 'range', min: '0', max: '1000', step: '1', attrs: { 'aria-label': `${label} (slider)` } });
  const field = h('input', { type: 'text', id, spellcheck: false, autocomplete: 'off', attrs: { 'aria-label': label } });
  if (path) withPath(field, path);
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
    range.setAttribute('aria-valuetext', human(parseDuration(text)));
    set(text);
  });
  field.addEventListener('input', () => {
    const ms = parseDuration(field.value);
    if (Number.isFinite(ms)) range.value = String(toPos(ms));
    set(field.value.trim());
  });
  sync();
  const row = h('div', { class: 'sw-srow' },
    h('label', { class: 'lbl', for: id, text: label }),
    range, field,
    note ? h('div', { class: 'note', text: note }) : null);
  row.sync = sync;
  return row;
}

const LENGTH_DEFAULTS = {
  fixed: '2mins',
  uniform: ['10secs', '5mins'],
  lognormal: { median: '30secs', p99: '20mins' },
  empirical: ['30secs', '1mins', '2mins', '5mins'],
};

/** The type of a workload length: fixed | uniform | lognormal | empirical | file | hang. */
export function lengthType(v) {
  if (v === 'hang') return 'hang';
  if (v && typeof v === 'object') {
    if ('uniform' in v) return 'uniform';
    if ('lognormal' in v) return 'lognormal';
    if ('empirical' in v) return Array.isArray(v.empirical) ? 'empirical' : 'file';
    if ('fixed' in v) return 'fixed';
  }
  return 'fixed';
}

/** A length's typical value in ms (to carry over when the type changes), or NaN. */
function typicalMs(v) {
  switch (lengthType(v)) {
    case 'fixed': return parseDuration(v && typeof v === 'object' ? v.fixed : v);
    case 'lognormal': return parseDuration(v.lognormal?.median);
    case 'uniform': return (parseDuration(v.uniform?.[0]) + parseDuration(v.uniform?.[1])) / 2;
    default: return NaN;
  }
}

/**
 * The editor of a workload length at `owner[field]`: its type, parameters, clamps and preview.
 * opts: { label, path, hangOk, colorVar, editor } — editor gives sampleLength(length, n, seed),
 * files() (uploads by name), setFile(name, text), changed({ rerender }) and previews (a list
 * this adds its redraw to).
 */
export function lengthEditor(owner, field, { label, path, hangOk, colorVar, editor }) {
  const wrap = h('div', { class: 'sw-len' });
  const type = lengthType(owner[field]);
  const types = [['fixed', 'fixed'], ['uniform', 'uniform'], ['lognormal', 'lognormal (median, p99)'], ['empirical', 'empirical: measured values'], ['file', 'empirical: from a file'], ...(hangOk ? [['hang', 'hang (never)']] : [])];
  const sel = h('select', { attrs: { 'aria-label': `${label}: distribution` } }, ...types.map(([v, t]) => h('option', { value: v, text: t, selected: v === type })));
  withPath(sel, path);
  sel.addEventListener('change', () => {
    const prev = typicalMs(owner[field]);
    const ok = Number.isFinite(prev) && prev > 0;
    const d = (ms) => formatDuration(niceMs(ms));
    switch (sel.value) {
      case 'fixed': owner[field] = ok ? d(prev) : LENGTH_DEFAULTS.fixed; break;
      case 'uniform': owner[field] = { uniform: ok ? [d(prev / 2), d(prev * 2)] : [...LENGTH_DEFAULTS.uniform] }; break;
      case 'lognormal': owner[field] = { lognormal: ok ? { median: d(prev), p99: d(prev * 20) } : { ...LENGTH_DEFAULTS.lognormal } }; break;
      case 'empirical': owner[field] = { empirical: [...LENGTH_DEFAULTS.empirical] }; break;
      case 'file': owner[field] = { empirical: { file: Object.keys(editor.files())[0] ?? 'recoveries.txt' } }; break;
      default: owner[field] = 'hang';
    }
    editor.changed({ rerender: true });
  });
  const canvas = h('canvas', { class: 'sw-preview', attrs: { role: 'img', 'aria-label': `${label}: preview of the distribution` } });
  const summary = h('div', { class: 'note sw-psum' });
  const err = h('div', { class: 'err', hidden: true });
  const preview = {
    draw: () => {
      let samples;
      try {
        samples = editor.sampleLength(owner[field], 2000, 1);
        err.hidden = true;
      } catch (e) {
        err.textContent = e?.message ?? String(e);
        err.hidden = false;
        canvas.dataset.samples = '0';
        return;
      }
      const t = lengthType(owner[field]);
      const st = drawPreview(canvas, samples, { log: t === 'lognormal' || t === 'empirical' || t === 'file', color: colorVar, fixed: t === 'fixed' });
      const clamps = owner[field]?.min !== undefined || owner[field]?.max !== undefined ? ', clamps applied' : '';
      summary.textContent = t === 'hang' ? 'The agent never finishes recovering: a true failure, to be detected.'
        : t === 'fixed' ? `Always ${human(st.median)}.`
          : `Median ${human(st.median)}, p99 ${human(st.p99)} (2,000 samples from the engine${t === 'lognormal' || t === 'empirical' || t === 'file' ? '; log axis' : ''}${clamps}).`;
      canvas.setAttribute('aria-label', `${label}: ${summary.textContent}`);
    },
  };
  editor.previews.push(preview);
  const redraw = () => { requestAnimationFrame(() => preview.draw()); };
  const set = (mut) => (t) => { mut(t); redraw(); editor.changed(); };
  const rows = [];
  const L = 1000, Hh = 2 * 86400000;
  const v = owner[field];
  if (type === 'fixed') {
    rows.push(durationRow({ label: 'length (duration)', lo: L, hi: Hh, zero: true, path, get: () => (v && typeof v === 'object' ? v.fixed : v), set: set((t) => { owner[field] = t; }) }));
  } else if (type === 'uniform') {
    const u = v.uniform;
    rows.push(
      durationRow({ label: 'from (duration)', lo: L, hi: Hh, zero: true, path: `${path}.uniform[0]`, get: () => u[0], set: set((t) => { u[0] = t; }) }),
      durationRow({ label: 'to (duration)', lo: L, hi: Hh, zero: true, path: `${path}.uniform[1]`, get: () => u[1], set: set((t) => { u[1] = t; }) }));
  } else if (type === 'lognormal') {
    const ln = v.lognormal;
    rows.push(
      durationRow({ label: 'median (duration)', lo: L, hi: Hh, path: `${path}.lognormal.median`, get: () => ln.median, set: set((t) => { ln.median = t; }) }),
      durationRow({ label: 'p99 (duration)', lo: L, hi: 7 * 86400000, path: `${path}.lognormal.p99`, get: () => ln.p99, set: set((t) => { ln.p99 = t; }) }));
  } else if (type === 'empirical') {
    const id = nextId('sw-emp');
    const list = h('textarea', { id, class: 'sw-emp', rows: 2, spellcheck: false, value: v.empirical.map(String).join(', '), attrs: { 'aria-label': `${label}: measured durations` } });
    withPath(list, `${path}.empirical`);
    list.addEventListener('input', () => {
      v.empirical = list.value.split(/[,\s]+/).map((x) => x.trim()).filter(Boolean);
      redraw(); editor.changed();
    });
    rows.push(h('label', { class: 'lbl', for: id, text: 'measured durations (Mesos units, comma-separated), each equally likely' }), list);
  } else if (type === 'file') {
    rows.push(fileRow(v, path, label, editor, redraw));
  }
  if (type !== 'fixed' && type !== 'hang') rows.push(clampRow(v, path, label, set));
  wrap.append(h('label', { class: 'sw-inline' }, h('span', { class: 'lbl', text: label }), sel), ...rows, canvas, summary, err);
  editor.observe(wrap);
  return wrap;
}

/** `{"empirical": {"file"}}`: the file's name and an upload (kept by name, as the CLI's file). */
function fileRow(v, path, label, editor, redraw) {
  const id = nextId('sw-file');
  const input = h('input', { type: 'file', id, accept: '.txt,.csv,text/plain', attrs: { 'aria-label': `${label}: upload a file of durations` } });
  withPath(input, `${path}.empirical.file`);
  const name = () => v.empirical?.file;
  const info = h('div', { class: 'note' });
  const show = () => {
    const text = editor.files()[name()];
    info.textContent = text === undefined
      ? `The spec names “${String(name()).slice(0, 80)}”: upload it (one duration per line in Mesos units, a bare number is seconds, # comments).`
      : `“${String(name()).slice(0, 80)}”: ${plural(text.split('\n').filter((l) => l.split('#')[0].trim()).length, 'duration')} (uploaded; exported with the spec).`;
  };
  input.addEventListener('change', async () => {
    const f = input.files?.[0];
    if (!f) return;
    if (f.size > 20 * 1024 * 1024) { info.textContent = 'That file is over 20 MB.'; return; }
    const text = await f.text();
    editor.setFile(f.name, text);
    v.empirical = { file: f.name };
    show(); redraw(); editor.changed();
  });
  show();
  return h('div', { class: 'sw-filerow' }, h('label', { class: 'lbl', for: id, text: 'measured durations from a file (one per line)' }), input, info);
}

/** Optional `min` / `max` clamps of a distribution. */
function clampRow(v, path, label, set) {
  const one = (key, text) => {
    const id = nextId(`sw-${key}`);
    const input = h('input', { type: 'text', id, spellcheck: false, autocomplete: 'off', placeholder: 'none', value: v[key] ?? '', attrs: { 'aria-label': `${label}: ${text}` } });
    withPath(input, `${path}.${key}`);
    input.addEventListener('input', set(() => {
      const t = input.value.trim();
      if (t) v[key] = t; else delete v[key];
    }));
    return h('label', { class: 'sw-f', for: id }, h('span', { class: 'lbl', text }), input);
  };
  return h('div', { class: 'sw-fields sw-clamps' }, one('min', 'at least (duration)'), one('max', 'at most (duration)'));
}
