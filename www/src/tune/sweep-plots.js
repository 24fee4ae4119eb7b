// The Tuning tab's canvases: the heatmap (agent_reregister_timeout × total ping timeout, one
// panel per policy) of any metric, the Pareto chart (the objective's metric against its first
// constraint's) and the small distribution previews of the workload editor. All
// devicePixelRatio-aware, all in the lab's colour language (read from the CSS custom properties
// at draw time, so both themes work). Text is drawn on the canvas, never put in markup; every
// piece of it is recorded with its box (`canvas.__labels`, CSS pixels) so tests can check that
// nothing is clipped.
import { human, fmtMetric, facetOf, POLICY_SHAPES, POLICY_COLOR_VARS } from './sweep-model.js';
import { readPalette, cssVar } from '../palette.js';

// ---------------------------------------------------------------- colours and canvas

/** The plots' colours, read from the current theme. */
export function colors() {
  const p = readPalette();
  return {
    good: p.views.connected, mid: p.views.disconnected, bad: p.views.unreachable, never: p.lost,
    ink: p.ink, muted: p.muted, faint: p.faint, line: p.line, surface: p.surface, surface2: p.surface2, accent: p.accent,
    recovering: p.recovering, disconnected: p.views.disconnected, font: p.font, mono: p.mono,
    dark: document.documentElement.dataset.theme === 'dark',
  };
}

/** A policy's colour in the current theme. */
export function policyColor(policy) {
  return cssVar(POLICY_COLOR_VARS[policy] ?? '--muted');
}

function rgb(c) {
  const m = /^#([0-9a-f]{6})$/i.exec(c);
  if (m) { const n = parseInt(m[1], 16); return [(n >> 16) & 255, (n >> 8) & 255, n & 255]; }
  const m3 = /^#([0-9a-f]{3})$/i.exec(c);
  if (m3) return [...m3[1]].map((x) => parseInt(x + x, 16));
  const f = /rgba?\(([^)]+)\)/.exec(c);
  if (f) return f[1].split(/[ ,/]+/).slice(0, 3).map(Number);
  return [128, 128, 128];
}
const mix = (a, b, t) => a.map((x, i) => Math.round(x + (b[i] - x) * t));
const css = (c) => `rgb(${c[0]} ${c[1]} ${c[2]})`;
const luminance = (c) => (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255;

/** good (0) → mid (0.5) → bad (1), the lab's connected / disconnected / unreachable colours. */
export function scaleColor(pal, t) {
  const g = rgb(pal.good), m = rgb(pal.mid), b = rgb(pal.bad);
  const c = t <= 0.5 ? mix(g, m, t * 2) : mix(m, b, (t - 0.5) * 2);
  return c;
}

/** Sizes the backing store to CSS size × devicePixelRatio; returns a scaled 2D context. */
export function fitCanvas(canvas, cssW, cssH) {
  const dpr = Math.min(window.devicePixelRatio || 1, 3);
  canvas.style.height = `${cssH}px`;
  const w = Math.round(cssW * dpr), hgt = Math.round(cssH * dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== hgt) canvas.height = hgt;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  ctx.dpr = dpr;
  canvas.__labels = [];
  canvas.__size = { w: cssW, h: cssH };
  return ctx;
}

/**
 * Draws text and records its box in CSS pixels (through the current transform, so rotated
 * axis titles are boxed too) on `ctx.canvas.__labels`.
 */
export function label(ctx, text, x, y, kind = 'text') {
  ctx.fillText(text, x, y);
  const m = ctx.measureText(text);
  const t = ctx.getTransform();
  const dpr = ctx.dpr ?? 1;
  const corners = [[x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent], [x + m.actualBoundingBoxRight, y - m.actualBoundingBoxAscent],
    [x - m.actualBoundingBoxLeft, y + m.actualBoundingBoxDescent], [x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent]]
    .map(([px, py]) => [(t.a * px + t.c * py + t.e) / dpr, (t.b * px + t.d * py + t.f) / dpr]);
  const xs = corners.map((c) => c[0]), ys = corners.map((c) => c[1]);
  ctx.canvas.__labels?.push({ text, kind, x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) });
}

function shape(ctx, kind, x, y, r) {
  ctx.beginPath();
  switch (kind) {
    case 'square': ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7); break;
    case 'diamond': ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.2, y); ctx.lineTo(x, y + r * 1.2); ctx.lineTo(x - r * 1.2, y); ctx.closePath(); break;
    case 'triangle': ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.1, y + r * 0.8); ctx.lineTo(x - r * 1.1, y + r * 0.8); ctx.closePath(); break;
    default: ctx.arc(x, y, r, 0, Math.PI * 2);
  }
}
/** The text glyph of each marker shape (legends, table). */
export const POLICY_GLYPH = { square: '■', diamond: '◆', triangle: '▲', circle: '●' };
/** A policy's marker shape. */
export const policyShape = (p) => POLICY_SHAPES[p] ?? 'circle';

function ellipsize(ctx, text, maxW) {
  if (ctx.measureText(text).width <= maxW) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > maxW) s = s.slice(0, -1);
  return `${s}…`;
}

// ---------------------------------------------------------------- value scale

/** Short cell text: "20 s", "75 s", "10 min", "1.5 h". */
export function cellText(kind, v, tight = false) {
  if (kind !== 'duration' || !Number.isFinite(v)) return fmtMetric(kind, v);
  const s = v / 1000;
  if (s < 100) return `${s < 10 ? Math.round(s * 10) / 10 : Math.round(s)}${tight ? 's' : ' s'}`;
  const m = s / 60;
  if (m < 100) return `${m < 10 ? Math.round(m * 10) / 10 : Math.round(m)}${tight ? 'm' : ' min'}`;
  const hh = m / 60;
  return `${hh < 10 ? Math.round(hh * 10) / 10 : Math.round(hh)}${tight ? 'h' : ' h'}`;
}

/** A colour domain over the finite values: log when they span more than 10×. */
function domainOf(values) {
  const xs = values.filter((v) => Number.isFinite(v));
  if (!xs.length) return { lo: 0, hi: 1, log: false, t: () => 0 };
  let lo = Math.min(...xs), hi = Math.max(...xs);
  const log = lo > 0 && hi / lo > 10;
  if (hi === lo) return { lo, hi, log: false, t: () => 0 };
  const f = log ? Math.log : (x) => x;
  const a = f(lo), b = f(hi);
  return { lo, hi, log, t: (v) => Math.min(1, Math.max(0, (f(v) - a) / (b - a))) };
}

// ---------------------------------------------------------------- heatmap

/**
 * The heatmap. items: [{ i, setting, metrics, trials, value }] (value: the metric's number,
 * Infinity for never, NaN when nothing of the kind happened); metric: a catalogue entry; marks:
 * { recommended, defaults: Set, current: Set, selected }.
 */
export class Heatmap {
  constructor(canvas, { onOpen, onFocus, tip }) {
    this.canvas = canvas;
    this.onOpen = onOpen;
    this.onFocus = onFocus;
    this.tip = tip;
    this.cells = [];
    this.focus = -1; // index into this.cells
    this.items = [];
    canvas.addEventListener('click', (e) => {
      const c = this.hit(e);
      if (c) { this.focus = this.cells.indexOf(c); this.draw(); this.onOpen(c.i); }
    });
    canvas.addEventListener('pointermove', (e) => this.hover(e));
    canvas.addEventListener('pointerleave', () => { this.tip.hidden = true; this.hoverI = -1; });
    canvas.addEventListener('keydown', (e) => this.key(e));
    canvas.addEventListener('focus', () => { if (this.focus < 0 && this.cells.length) this.focus = 0; this.draw(); this.announce(); });
    canvas.addEventListener('blur', () => this.draw());
  }

  set(data) {
    Object.assign(this, data);
    this.draw();
  }

  layout(W) {
    const items = this.items;
    const cols = [...new Map(items.map((p) => [p.setting.rr, p.setting.rrText])).entries()].sort((a, b) => a[0] - b[0]);
    const rowMap = new Map();
    for (const p of items) {
      const k = `${p.setting.ping}|${p.setting.max}`;
      if (!rowMap.has(k)) rowMap.set(k, { key: k, total: p.setting.total, ping: p.setting.ping, max: p.setting.max, label: human(p.setting.total), sub: `${p.setting.pingText} × ${p.setting.max}` });
    }
    const rows = [...rowMap.values()].sort((a, b) => a.total - b.total || a.ping - b.ping);
    const facetMap = new Map();
    for (const p of items) { const f = facetOf(p.setting); if (!facetMap.has(f.key)) facetMap.set(f.key, { ...f, policy: p.setting.policy }); }
    let facets = [...facetMap.values()];
    if (this.facetFilter && facets.some((f) => f.key === this.facetFilter)) facets = facets.filter((f) => f.key === this.facetFilter);
    const F = facets.length;
    // the y labels' width decides the left margin (plus the rotated axis title)
    const m = this.canvas.getContext('2d');
    const pal = colors();
    m.font = `12px ${pal.font}`;
    let labelW = Math.max(0, ...rows.map((r) => m.measureText(r.label).width));
    m.font = `10.5px ${pal.mono}`;
    labelW = Math.max(labelW, ...rows.map((r) => m.measureText(r.sub).width));
    const left = Math.ceil(labelW) + 32, right = 10;
    let fCols = F <= 2 ? F : 2;
    if (fCols > 1 && (W - left - right) / fCols < 130) fCols = 1;
    const fRows = Math.ceil(F / fCols);
    const top = 4, titleH = 22, xLabH = 20, gap = 14, legendH = 44;
    const cellH = Math.max(22, Math.min(34, Math.floor((fRows > 1 ? 150 : 210) / Math.max(1, rows.length))));
    const facetW = Math.max(60, (W - left - right - gap * (fCols - 1)) / Math.max(1, fCols));
    const cellW = facetW / Math.max(1, cols.length);
    const facetH = titleH + rows.length * cellH + xLabH;
    const H = top + fRows * facetH + (fRows - 1) * gap + 18 + legendH;
    return { cols, rows, facets, fCols, fRows, left, right, top, titleH, xLabH, gap, legendH, cellH, cellW, facetW, facetH, H, W };
  }

  draw() {
    const canvas = this.canvas;
    const W = Math.max(240, Math.round(canvas.parentElement?.clientWidth || canvas.clientWidth || 480));
    if (!this.items.length || !this.metric) {
      const ctx = fitCanvas(canvas, W, 120);
      const pal = colors();
      ctx.fillStyle = pal.muted; ctx.font = `13px ${pal.font}`; ctx.textAlign = 'center';
      label(ctx, 'No results yet.', W / 2, 60);
      canvas.dataset.cells = '0';
      this.cells = [];
      return;
    }
    const L = this.layout(W);
    this.L = L;
    const ctx = fitCanvas(canvas, W, L.H);
    const pal = colors();
    const metric = this.metric;
    const values = this.items.map((p) => (p.trials > 0 && !Number.isNaN(p.value) ? p.value : null));
    const dom = domainOf(values);
    this.dom = dom;
    const byKey = new Map();
    this.items.forEach((p, k) => {
      const f = facetOf(p.setting).key;
      byKey.set(`${f}|${p.setting.rr}|${p.setting.ping}|${p.setting.max}`, { p, v: values[k] });
    });
    const cells = [];
    L.facets.forEach((f, fi) => {
      const fx = L.left + (fi % L.fCols) * (L.facetW + L.gap);
      const fy = L.top + Math.floor(fi / L.fCols) * (L.facetH + L.gap);
      // facet title: the policy (shape + colour as on the Pareto chart)
      ctx.font = `600 12.5px ${pal.font}`;
      ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
      ctx.fillStyle = policyColor(f.policy);
      shape(ctx, policyShape(f.policy), fx + 6, fy + 10, 4.5); ctx.fill();
      ctx.fillStyle = pal.ink;
      label(ctx, ellipsize(ctx, f.label, L.facetW - 20), fx + 16, fy + 10, 'title');
      const gy = fy + L.titleH;
      L.rows.forEach((r, ri) => {
        const y = gy + (L.rows.length - 1 - ri) * L.cellH;
        L.cols.forEach(([rr], ci) => {
          const x = fx + ci * L.cellW;
          const hit = byKey.get(`${f.key}|${rr}|${r.ping}|${r.max}`);
          const cell = { x, y, w: L.cellW, h: L.cellH, i: hit ? hit.p.i : -1, v: hit?.v, p: hit?.p, facet: f, row: ri, col: ci, fi };
          if (!hit) {
            ctx.fillStyle = pal.surface2;
            ctx.fillRect(x + 1, y + 1, L.cellW - 2, L.cellH - 2);
            return;
          }
          cells.push(cell);
          let fill, fg;
          if (hit.v === Infinity) { const c = rgb(pal.never); fill = css(c); fg = luminance(c) > 0.55 ? '#111' : '#fff'; }
          else if (hit.v === null || hit.v === undefined) { fill = pal.surface2; fg = pal.muted; }
          else { const c = scaleColor(pal, dom.t(hit.v)); fill = css(c); fg = luminance(c) > 0.55 ? '#14181f' : '#ffffff'; }
          ctx.fillStyle = fill;
          ctx.fillRect(x + 1, y + 1, L.cellW - 2, L.cellH - 2);
          if (hit.v === Infinity) { // hatch "never"
            ctx.save(); ctx.beginPath(); ctx.rect(x + 1, y + 1, L.cellW - 2, L.cellH - 2); ctx.clip();
            ctx.strokeStyle = 'rgb(255 255 255 / 25%)'; ctx.lineWidth = 1;
            for (let d = -L.cellH; d < L.cellW; d += 6) { ctx.beginPath(); ctx.moveTo(x + d, y + L.cellH); ctx.lineTo(x + d + L.cellH, y); ctx.stroke(); }
            ctx.restore();
          }
          if (L.cellW >= 34) {
            ctx.fillStyle = fg; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
            ctx.font = `${L.cellW >= 60 ? 12 : 10.5}px ${pal.font}`;
            label(ctx, ellipsize(ctx, hit.p.trials > 0 ? cellText(metric.kind, hit.v, L.cellW < 52) : 'not run', L.cellW - 6), x + L.cellW / 2, y + L.cellH / 2 + 0.5, 'cell');
          }
          // marks: ★ recommended, a ring for the Mesos default, a dashed ring for the Lab's setting
          const isDefault = this.marks?.defaults?.has(hit.p.i);
          if (isDefault || this.marks?.current?.has(hit.p.i)) {
            ctx.strokeStyle = fg; ctx.lineWidth = 1.3; ctx.setLineDash(isDefault ? [] : [2, 1.5]);
            ctx.beginPath(); ctx.arc(x + 7.5, y + 7.5, 3.5, 0, Math.PI * 2); ctx.stroke(); ctx.setLineDash([]);
          }
          if (this.marks?.recommended === hit.p.i) {
            ctx.strokeStyle = pal.ink; ctx.lineWidth = 2.5;
            ctx.strokeRect(x + 2.25, y + 2.25, L.cellW - 4.5, L.cellH - 4.5);
            ctx.font = `11px ${pal.font}`; ctx.textAlign = 'right'; ctx.textBaseline = 'top'; ctx.fillStyle = fg;
            ctx.fillText('★', x + L.cellW - 4, y + 3);
          }
          if (this.marks?.selected === hit.p.i) {
            ctx.setLineDash([3, 2]); ctx.strokeStyle = pal.ink; ctx.lineWidth = 1.5;
            ctx.strokeRect(x + 4.5, y + 4.5, L.cellW - 9, L.cellH - 9); ctx.setLineDash([]);
          }
        });
        // y labels: total ping timeout, and ping × max
        if (fi % L.fCols === 0) {
          ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
          ctx.fillStyle = pal.ink; ctx.font = `12px ${pal.font}`;
          label(ctx, r.label, fx - 8, y + L.cellH / 2 - (L.cellH >= 28 ? 6 : 0), 'tick');
          if (L.cellH >= 28) { ctx.fillStyle = pal.muted; ctx.font = `10.5px ${pal.mono}`; label(ctx, r.sub, fx - 8, y + L.cellH / 2 + 7, 'tick'); }
        }
      });
      // x labels
      ctx.textAlign = 'center'; ctx.textBaseline = 'top'; ctx.fillStyle = pal.ink; ctx.font = `11.5px ${pal.mono}`;
      L.cols.forEach(([, text], ci) => label(ctx, ellipsize(ctx, text, L.cellW - 2), fx + ci * L.cellW + L.cellW / 2, gy + L.rows.length * L.cellH + 4, 'tick'));
    });
    // axis titles
    const gridBottom = L.top + L.fRows * L.facetH + (L.fRows - 1) * L.gap;
    ctx.fillStyle = pal.muted; ctx.font = `11.5px ${pal.font}`; ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    label(ctx, 'agent_reregister_timeout (duration) →', L.left + (W - L.left - L.right) / 2, gridBottom + 1, 'axis');
    ctx.save();
    ctx.translate(11, L.top + L.titleH + (L.rows.length * L.cellH) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    label(ctx, ellipsize(ctx, 'ping timeout × max misses (duration) →', Math.max(60, L.rows.length * L.cellH + L.titleH)), 0, 0, 'axis');
    ctx.restore();
    // focus ring
    this.cells = cells;
    if (this.focus >= cells.length) this.focus = cells.length - 1;
    if (document.activeElement === canvas && this.focus >= 0) {
      const c = cells[this.focus];
      ctx.strokeStyle = pal.accent; ctx.lineWidth = 3;
      ctx.strokeRect(c.x - 0.5, c.y - 0.5, c.w + 1, c.h + 1);
    }
    this.drawLegend(ctx, pal, L, gridBottom + 20, dom, values);
    canvas.dataset.cells = String(cells.length);
    canvas.dataset.metric = metric.path;
    canvas.setAttribute('aria-label', `Heatmap of ${metric.title} by agent_reregister_timeout (columns) and total ping timeout (rows), ${L.facets.length > 1 ? `one panel per ${L.facets.length > 1 ? 'policy' : ''}` : L.facets[0]?.label ?? ''}: ${cells.length} cells. Arrow keys move, Enter opens the cell's trial in the Lab.`);
  }

  drawLegend(ctx, pal, L, y, dom, values) {
    const x0 = L.left, w = Math.max(120, Math.min(240, L.W - L.left - L.right));
    ctx.textBaseline = 'middle'; ctx.textAlign = 'left'; ctx.font = `11.5px ${pal.font}`;
    ctx.fillStyle = pal.ink;
    label(ctx, ellipsize(ctx, `${this.metric.title}${dom.log ? ', log scale' : ''}`, L.W - x0 - 2), x0, y + 6, 'legend');
    const by = y + 16;
    for (let k = 0; k < w; k++) { ctx.fillStyle = css(scaleColor(pal, k / (w - 1))); ctx.fillRect(x0 + k, by, 1, 10); }
    ctx.fillStyle = pal.muted; ctx.font = `11px ${pal.font}`; ctx.textBaseline = 'top';
    const finite = values.filter((v) => Number.isFinite(v));
    let lo = finite.length ? `${fmtMetric(this.metric.kind, dom.lo)} (better)` : 'no values';
    let hi = finite.length && dom.hi !== dom.lo ? `${fmtMetric(this.metric.kind, dom.hi)} (worse)` : '';
    if (ctx.measureText(lo).width + ctx.measureText(hi).width + 10 > w) { lo = lo.replace(' (better)', ''); hi = hi.replace(' (worse)', ''); }
    ctx.textAlign = 'left'; label(ctx, lo, x0, by + 13, 'legend');
    ctx.textAlign = 'right'; label(ctx, hi, x0 + w, by + 13, 'legend');
  }

  hit(e) {
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left, y = e.clientY - r.top;
    return this.cells.find((c) => x >= c.x && x < c.x + c.w && y >= c.y && y < c.y + c.h) ?? null;
  }

  hover(e) {
    const c = this.hit(e);
    this.canvas.style.cursor = c ? 'pointer' : 'default';
    if (!c) { this.tip.hidden = true; return; }
    this.tip.textContent = this.describe(c);
    this.tip.hidden = false;
    const host = this.canvas.getBoundingClientRect();
    const px = e.clientX - host.left + 14;
    this.tip.style.left = `${Math.max(4, Math.min(px, host.width - this.tip.offsetWidth - 4))}px`;
    this.tip.style.top = `${e.clientY - host.top + this.canvas.offsetTop + 16}px`;
  }

  describe(c) {
    return this.describeCell ? this.describeCell(c.i) : '';
  }

  announce() {
    const c = this.cells[this.focus];
    if (c && this.onFocus) this.onFocus(c.i);
  }

  key(e) {
    if (!this.cells.length) return;
    let c = this.cells[this.focus] ?? this.cells[0];
    const find = (fi, row, col) => this.cells.find((x) => x.fi === fi && x.row === row && x.col === col);
    let next = null;
    switch (e.key) {
      case 'ArrowLeft': next = find(c.fi, c.row, c.col - 1) ?? (c.fi > 0 ? find(c.fi - 1, c.row, this.L.cols.length - 1) : null); break;
      case 'ArrowRight': next = find(c.fi, c.row, c.col + 1) ?? find(c.fi + 1, c.row, 0); break;
      case 'ArrowUp': next = find(c.fi, c.row + 1, c.col); break;
      case 'ArrowDown': next = find(c.fi, c.row - 1, c.col); break;
      case 'Home': next = this.cells[0]; break;
      case 'End': next = this.cells[this.cells.length - 1]; break;
      case 'Enter': case ' ': e.preventDefault(); this.onOpen(c.i); return;
      default: return;
    }
    e.preventDefault();
    if (next) { this.focus = this.cells.indexOf(next); c = next; this.draw(); this.announce(); }
  }
}

// ---------------------------------------------------------------- Pareto chart

/** Round durations for time axes (ms). */
const TIME_TICKS = [1, 10, 100, 1e3, 2e3, 5e3, 1e4, 2e4, 3e4, 6e4, 12e4, 3e5, 6e5, 12e5, 18e5, 36e5, 72e5, 144e5, 432e5, 864e5, 1728e5, 6048e5];

/** An axis for finite values: log for times spanning more than 3× (all positive), else linear from 0. */
function axisOf(values, kind, extra = []) {
  const xs = [...values, ...extra].filter((v) => Number.isFinite(v));
  if (!xs.length) return null;
  let lo = Math.min(...xs), hi = Math.max(...xs);
  if (kind === 'duration' && lo > 0 && hi / lo > 3) {
    lo /= 1.25; hi *= 1.25;
    let ticks = TIME_TICKS.filter((t) => t >= lo && t <= hi);
    while (ticks.length > 6) ticks = ticks.filter((_, k) => k % 2 === 0);
    return { log: true, lo, hi, ticks, f: (v) => (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) };
  }
  lo = Math.min(0, lo);
  hi = hi > lo ? hi * 1.1 : lo + 1;
  const step = niceStep((hi - lo) / 4);
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-12; t += step) ticks.push(Number(t.toPrecision(12)));
  return { log: false, lo, hi, ticks, f: (v) => (v - lo) / (hi - lo) };
}

/**
 * The objective's metric (x) against its first constraint's (y), both minimised, with the
 * constraint's bound as a line. items: [{ i, setting, x, y, trials }] (Infinity: never, NaN:
 * nothing of the kind); xMetric, yMetric: catalogue entries; bound: the y bound or null; marks as
 * the heatmap's.
 */
export class Pareto {
  constructor(canvas, { onOpen, tip, describePoint }) {
    this.canvas = canvas;
    this.onOpen = onOpen;
    this.tip = tip;
    this.describePoint = describePoint;
    this.items = [];
    this.pts = [];
    canvas.addEventListener('click', (e) => { const p = this.hit(e); if (p) this.onOpen(p.i); });
    canvas.addEventListener('pointermove', (e) => this.hover(e));
    canvas.addEventListener('pointerleave', () => { this.tip.hidden = true; });
  }

  set(data) { Object.assign(this, data); this.draw(); }

  draw() {
    const canvas = this.canvas;
    const W = Math.max(240, Math.round(canvas.parentElement?.clientWidth || 360));
    const H = this.height ?? 300;
    const ctx = fitCanvas(canvas, W, H);
    const pal = colors();
    const { xMetric, yMetric } = this;
    const items = (this.items ?? []).filter((p) => p.trials > 0 && !Number.isNaN(p.x) && Number.isFinite(p.y));
    const xs = items.filter((p) => Number.isFinite(p.x)).map((p) => p.x);
    const hasNever = items.some((p) => p.x === Infinity);
    ctx.font = `11px ${pal.font}`;
    if (!xMetric || !yMetric || !xs.length) {
      ctx.fillStyle = pal.muted; ctx.font = `13px ${pal.font}`; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      const ran = (this.items ?? []).some((p) => p.trials > 0);
      label(ctx, ellipsize(ctx, ran ? `No setting has both values to plot (nothing of the kind happened).` : 'No results yet.', W - 8), W / 2, H / 2);
      this.pts = []; canvas.dataset.points = '0';
      return;
    }
    const ax = axisOf(xs, xMetric.kind);
    const ay = axisOf(items.map((p) => p.y), yMetric.kind, Number.isFinite(this.bound) ? [this.bound] : []);
    const tickText = (metric, v) => (metric.kind === 'duration' ? human(v) : fmtMetric(metric.kind, v));
    // Margins from the text they hold, so nothing is clipped.
    const yTickW = Math.max(...ay.ticks.map((t) => ctx.measureText(tickText(yMetric, t)).width));
    const m = { l: Math.ceil(yTickW) + 26, r: 14, t: 18, b: 40 };
    const lastTickHalf = ax.ticks.length ? ctx.measureText(tickText(xMetric, ax.ticks[ax.ticks.length - 1])).width / 2 : 0;
    const neverW = hasNever ? 44 : 0;
    const pw = W - m.l - Math.max(m.r, lastTickHalf + 2) - neverW, ph = H - m.t - m.b;
    const X = (x) => (x === Infinity ? m.l + pw + 30 : m.l + ax.f(x) * pw);
    const Y = (y) => m.t + ph - ay.f(y) * ph;
    // grid and ticks
    ctx.strokeStyle = pal.line; ctx.lineWidth = 1; ctx.fillStyle = pal.muted; ctx.font = `11px ${pal.font}`;
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    let lastRight = -Infinity;
    for (const t of ax.ticks) {
      const x = X(t);
      ctx.beginPath(); ctx.moveTo(x + 0.5, m.t); ctx.lineTo(x + 0.5, m.t + ph); ctx.stroke();
      const text = tickText(xMetric, t);
      const half = ctx.measureText(text).width / 2;
      if (x - half < lastRight + 4 || x - half < 0) continue; // no overlapping tick labels
      label(ctx, text, x, m.t + ph + 4, 'tick');
      lastRight = x + half;
    }
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const t of ay.ticks) {
      const py = Math.round(Y(t)) + 0.5;
      ctx.beginPath(); ctx.moveTo(m.l, py); ctx.lineTo(m.l + pw, py); ctx.stroke();
      label(ctx, tickText(yMetric, t), m.l - 5, py, 'tick');
    }
    if (hasNever) {
      ctx.fillStyle = pal.surface2; ctx.fillRect(m.l + pw + 12, m.t, 36, ph);
      ctx.fillStyle = pal.muted; ctx.textAlign = 'center'; ctx.textBaseline = 'top'; label(ctx, 'never', m.l + pw + 30, m.t + ph + 4, 'tick');
    }
    ctx.fillStyle = pal.muted; ctx.font = `11.5px ${pal.font}`; ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
    label(ctx, ellipsize(ctx, `${xMetric.title}${ax.log ? ', log' : ''} → lower is better`, W - 8), W / 2, H - 2, 'axis');
    ctx.save(); ctx.translate(10, m.t + ph / 2); ctx.rotate(-Math.PI / 2); ctx.textBaseline = 'middle';
    label(ctx, ellipsize(ctx, yMetric.title, ph), 0, 0, 'axis'); ctx.restore();
    // the bound
    if (Number.isFinite(this.bound)) {
      const ty = Y(this.bound);
      ctx.strokeStyle = pal.accent; ctx.setLineDash([5, 4]); ctx.lineWidth = 1.2;
      ctx.beginPath(); ctx.moveTo(m.l, ty); ctx.lineTo(m.l + pw, ty); ctx.stroke(); ctx.setLineDash([]);
      ctx.fillStyle = pal.accent; ctx.font = `11px ${pal.font}`; ctx.textAlign = 'left';
      ctx.textBaseline = ty - 14 < m.t ? 'top' : 'bottom';
      label(ctx, ellipsize(ctx, `at most ${tickText(yMetric, this.bound)}`, pw - 8), m.l + 4, ty - 2 < m.t + 12 ? ty + 2 : ty - 2, 'bound');
    }
    // Pareto front
    const front = items.filter((p) => this.front?.has(p.i) && Number.isFinite(p.x)).sort((a, b) => a.x - b.x);
    if (front.length) {
      ctx.strokeStyle = pal.ink; ctx.globalAlpha = 0.55; ctx.lineWidth = 1.5;
      ctx.beginPath();
      front.forEach((p, k) => { if (k === 0) ctx.moveTo(X(p.x), Y(p.y)); else { ctx.lineTo(X(p.x), Y(front[k - 1].y)); ctx.lineTo(X(p.x), Y(p.y)); } });
      ctx.stroke(); ctx.globalAlpha = 1;
    }
    // points (front ones filled and larger, others hollow)
    this.pts = [];
    for (const p of items) {
      const x = X(p.x), y = Y(p.y);
      const onFront = this.front?.has(p.i);
      const col = policyColor(p.setting.policy);
      shape(ctx, policyShape(p.setting.policy), x, y, onFront ? 5 : 4);
      if (onFront) { ctx.fillStyle = col; ctx.fill(); ctx.strokeStyle = pal.surface; ctx.lineWidth = 1; ctx.stroke(); }
      else { ctx.fillStyle = pal.surface; ctx.fill(); ctx.strokeStyle = col; ctx.lineWidth = 1.6; ctx.stroke(); }
      this.pts.push({ i: p.i, x, y });
    }
    const ring = (i, r, dashed) => {
      const p = this.pts.find((q) => q.i === i);
      if (!p) return;
      ctx.strokeStyle = pal.ink; ctx.lineWidth = 1.5; ctx.setLineDash(dashed ? [2.5, 2] : []);
      ctx.beginPath(); ctx.arc(p.x, p.y, r, 0, Math.PI * 2); ctx.stroke(); ctx.setLineDash([]);
    };
    for (const d of this.marks?.defaults ?? []) ring(d, 8.5, false);
    for (const c of this.marks?.current ?? []) if (!this.marks?.defaults?.has(c)) ring(c, 12, true);
    if (this.marks?.recommended >= 0) {
      const p = this.pts.find((q) => q.i === this.marks.recommended);
      if (p) {
        ctx.fillStyle = pal.ink; ctx.font = `15px ${pal.font}`; ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
        ctx.fillText('★', p.x, p.y - 6);
      }
    }
    if (this.marks?.selected >= 0) {
      const p = this.pts.find((q) => q.i === this.marks.selected);
      if (p) { ctx.strokeStyle = pal.accent; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(p.x, p.y, 12, 0, Math.PI * 2); ctx.stroke(); }
    }
    canvas.dataset.points = String(this.pts.length);
    canvas.dataset.front = String(front.length);
    canvas.dataset.x = xMetric.path;
    canvas.dataset.y = yMetric.path;
  }

  hit(e) {
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left, y = e.clientY - r.top;
    let best = null, bd = 81;
    for (const p of this.pts) { const d = (p.x - x) ** 2 + (p.y - y) ** 2; if (d < bd) { bd = d; best = p; } }
    return best;
  }

  hover(e) {
    const p = this.hit(e);
    this.canvas.style.cursor = p ? 'pointer' : 'default';
    if (!p) { this.tip.hidden = true; return; }
    this.tip.textContent = this.describePoint(p.i);
    this.tip.hidden = false;
    const host = this.canvas.getBoundingClientRect();
    const px = e.clientX - host.left + 14;
    this.tip.style.left = `${Math.max(4, Math.min(px, host.width - this.tip.offsetWidth - 4))}px`;
    this.tip.style.top = `${e.clientY - host.top + this.canvas.offsetTop + 16}px`;
  }
}

function niceStep(x) {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const f = x / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

// ---------------------------------------------------------------- distribution preview

/**
 * A histogram of samples (ms; Infinity = hang) on a small canvas; log-x for lognormal.
 * Returns { median, p99 } of the finite samples.
 */
export function drawPreview(canvas, samples, { log = false, color = '--c-recovering', fixed = false } = {}) {
  const pal = colors();
  const W = Math.max(120, Math.round(canvas.parentElement?.clientWidth || 240));
  const H = 58;
  const ctx = fitCanvas(canvas, W, H);
  const fin = [...samples].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const stroke = cssVar(color);
  if (!fin.length) {
    ctx.fillStyle = pal.surface2; ctx.fillRect(0, 0, W, H - 14);
    ctx.fillStyle = stroke; ctx.font = `600 12px ${pal.font}`; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    label(ctx, '∞  hangs: never recovers by itself', W / 2, (H - 14) / 2);
    canvas.dataset.samples = String(samples.length);
    return { median: Infinity, p99: Infinity };
  }
  const q = (p) => fin[Math.min(fin.length - 1, Math.floor(p * (fin.length - 1)))];
  const med = q(0.5), p99 = q(0.99);
  let lo = fixed ? fin[0] : q(0.002), hi = fixed ? fin[0] : q(0.998);
  if (hi <= lo) { lo = lo > 0 ? lo / 2 : 0; hi = hi > 0 ? hi * 1.5 : 1; }
  if (log) { lo = Math.max(lo, 1e-3); }
  const f = log ? Math.log : (x) => x;
  const a = f(lo), b = f(hi);
  const bins = Math.max(12, Math.min(48, Math.floor(W / 7)));
  const counts = new Array(bins).fill(0);
  for (const x of fin) {
    const k = Math.floor(((f(Math.max(x, lo)) - a) / (b - a)) * bins);
    counts[Math.min(bins - 1, Math.max(0, k))]++;
  }
  const ph = H - 15;
  const maxC = Math.max(...counts);
  ctx.fillStyle = pal.surface2; ctx.fillRect(0, 0, W, ph);
  ctx.fillStyle = stroke;
  const bw = W / bins;
  counts.forEach((c, k) => { const hh = (c / maxC) * (ph - 4); ctx.fillRect(k * bw + 0.5, ph - hh, Math.max(1, bw - 1), hh); });
  const X = (x) => ((f(Math.max(x, lo)) - a) / (b - a)) * W;
  const mark = (x, name) => {
    const px = Math.min(W - 1, Math.max(1, X(x)));
    ctx.strokeStyle = pal.ink; ctx.lineWidth = 1; ctx.setLineDash([2, 2]);
    ctx.beginPath(); ctx.moveTo(px + 0.5, 2); ctx.lineTo(px + 0.5, ph); ctx.stroke(); ctx.setLineDash([]);
    ctx.font = `10px ${pal.font}`; ctx.textBaseline = 'top';
    const right = px > W - 50;
    const tw = ctx.measureText(name).width;
    const tx = right ? px - 3 - tw : px + 3;
    ctx.fillStyle = pal.surface2; ctx.fillRect(tx - 1, 1, tw + 2, 12);
    ctx.fillStyle = pal.ink; ctx.textAlign = 'left';
    label(ctx, name, tx, 2);
  };
  if (!fixed && hi > lo) { mark(med, 'p50'); if (X(p99) - X(med) > 22) mark(p99, 'p99'); }
  // axis: the ends, and (log axis) round durations that do not collide with them
  ctx.fillStyle = pal.muted; ctx.font = `10px ${pal.font}`; ctx.textBaseline = 'top';
  const loText = cellText('duration', lo), hiText = fixed ? '' : cellText('duration', hi);
  ctx.textAlign = 'left'; label(ctx, loText, 0, ph + 2, 'tick');
  ctx.textAlign = 'right'; if (hiText) label(ctx, hiText, W, ph + 2, 'tick');
  const busy = [[0, ctx.measureText(loText).width + 6], [W - ctx.measureText(hiText).width - 6, W]];
  const ticks = log ? [1e3, 1e4, 6e4, 6e5, 36e5, 864e5] : [];
  ctx.textAlign = 'center';
  for (const t of ticks) {
    if (t <= lo || t >= hi) continue;
    const px = X(t);
    const text = human(t);
    const half = ctx.measureText(text).width / 2 + 3;
    if (busy.some(([a, b]) => px + half > a && px - half < b)) continue;
    busy.push([px - half, px + half]);
    ctx.fillRect(px, ph, 1, 3);
    label(ctx, text, px, ph + 2, 'tick');
  }
  ctx.textAlign = 'left';
  canvas.dataset.samples = String(samples.length);
  return { median: med, p99 };
}
