// The legend under the cluster: a swatch drawn with the canvas's own colours and shapes for
// every master view, agent process state, message kind and marker.
import { hatchPattern, VIEW_DASH } from './cluster.js';
import { palette } from '../palette.js';
import { h, $, clear } from '../dom.js';

const TAU = Math.PI * 2;

/** Fills #legend. */
export function buildLegend() {
  const L = $('#legend');
  clear(L);
  const item = (kind, label, title) => {
    const c = h('canvas', { attrs: { 'aria-hidden': 'true' } });
    c.dataset.swatch = kind;
    drawSwatch(c, kind);
    return h('span', { class: 'item', title }, c, label);
  };
  L.append(
    h('span', { class: 'grp' }, h('b', { text: 'Master’s view (ring):' }),
      item('view:connected', 'connected'), item('view:disconnected', 'disconnected'), item('view:unreachable', 'unreachable'),
      item('view:recovered', 'recovered'), item('view:removed', 'removed'), item('view:unknown', 'unknown')),
    h('span', { class: 'grp' }, h('b', { text: 'Agent process (fill):' }),
      item('state:running', 'running'), item('state:recovering', 'recovering'), item('state:disconnected', 'registering'),
      item('state:down', 'down')),
    h('span', { class: 'grp' }, h('b', { text: 'Signals:' }),
      item('msg:ping', 'ping'), item('msg:ping-off', 'ping connected=false'), item('msg:pong', 'pong'),
      item('msg:register', '(re)register'), item('msg:dropped', 'dropped'),
      item('marker:pips', 'missed pings'), item('marker:countdown', 're-register countdown'),
      item('marker:permit', 'waiting for removal permit'), item('marker:cut', 'cut link'),
      item('marker:dead', 'executors really dead')),
  );
}

/** Redraws the swatches in the current theme's colours. */
export function redrawLegend() {
  for (const c of document.querySelectorAll('#legend canvas')) drawSwatch(c, c.dataset.swatch);
}

/** Draws a legend swatch into a small canvas: kind = view:<name> | state:<name> | msg:<kind> | marker:<kind>. */
function drawSwatch(canvas, kind) {
  const pal = palette();
  const dpr = Math.min(window.devicePixelRatio || 1, 3);
  const W = 22, H = 22, S = 18 / 22; // drawn at 22 px, shown at 18 px
  canvas.width = Math.round(18 * dpr); canvas.height = Math.round(18 * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr * S, 0, 0, dpr * S, 0, 0);
  ctx.clearRect(0, 0, W, H);
  const cx = 11, cy = 11, r = 8;
  const [group, name] = kind.split(':');
  if (group === 'view') {
    ctx.lineWidth = name === 'removed' || name === 'unknown' ? 1.6 : 3.5; ctx.strokeStyle = pal.views[name];
    ctx.setLineDash(VIEW_DASH[name] ?? []);
    ctx.beginPath(); ctx.arc(cx, cy, r - 1.75, 0, TAU); ctx.stroke();
    ctx.setLineDash([]);
    if (name === 'unreachable') {
      ctx.lineCap = 'round'; ctx.strokeStyle = pal.surface; ctx.lineWidth = 4;
      ctx.beginPath(); ctx.moveTo(2, 2); ctx.lineTo(8, 8); ctx.moveTo(8, 2); ctx.lineTo(2, 8); ctx.stroke();
      ctx.strokeStyle = pal.views.unreachable; ctx.lineWidth = 2; ctx.stroke(); ctx.lineCap = 'butt';
    }
  } else if (group === 'state') {
    const rin = r - 2.5;
    ctx.beginPath(); ctx.arc(cx, cy, rin, 0, TAU);
    if (name === 'running') { ctx.fillStyle = pal.running; ctx.fill(); }
    else if (name === 'recovering') { ctx.fillStyle = hatchPattern(ctx, dpr, pal); ctx.fill(); } else if (name === 'disconnected') {
      ctx.setLineDash([3, 2.5]); ctx.lineWidth = 1.6; ctx.strokeStyle = pal.running; ctx.stroke(); ctx.setLineDash([]);
    } else if (name === 'down') {
      ctx.lineWidth = 1; ctx.strokeStyle = pal.faint; ctx.stroke();
      ctx.beginPath(); const s = 2.8;
      ctx.moveTo(cx - s, cy - s); ctx.lineTo(cx + s, cy + s); ctx.moveTo(cx + s, cy - s); ctx.lineTo(cx - s, cy + s);
      ctx.strokeStyle = pal.down; ctx.lineWidth = 1.6; ctx.stroke();
    } else if (name === 'terminating') {
      ctx.lineWidth = 1; ctx.strokeStyle = pal.running; ctx.stroke();
      ctx.beginPath(); ctx.moveTo(cx, cy); ctx.arc(cx, cy, rin, Math.PI / 2, Math.PI * 1.5); ctx.closePath(); ctx.fillStyle = pal.running; ctx.fill();
    }
  } else if (group === 'msg') {
    ctx.strokeStyle = pal.link; ctx.lineWidth = 1.2;
    ctx.beginPath(); ctx.moveTo(1, cy); ctx.lineTo(W - 1, cy); ctx.stroke();
    const s = 3.4;
    if (name === 'ping') { ctx.fillStyle = pal.ink; ctx.beginPath(); ctx.arc(cx, cy, s, 0, TAU); ctx.fill(); }
    else if (name === 'ping-off') { ctx.fillStyle = pal.surface; ctx.strokeStyle = pal.views.disconnected; ctx.lineWidth = 1.8; ctx.beginPath(); ctx.arc(cx, cy, s, 0, TAU); ctx.fill(); ctx.stroke(); }
    else if (name === 'pong') { ctx.fillStyle = pal.muted; ctx.beginPath(); ctx.moveTo(cx, cy - 4); ctx.lineTo(cx + 4, cy); ctx.lineTo(cx, cy + 4); ctx.lineTo(cx - 4, cy); ctx.closePath(); ctx.fill(); }
    else if (name === 'register') { ctx.fillStyle = pal.views.recovered; ctx.fillRect(cx - s, cy - s, 2 * s, 2 * s); }
    else if (name === 'dropped') { ctx.strokeStyle = pal.views.unreachable; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(cx - 4, cy - 4); ctx.lineTo(cx + 4, cy + 4); ctx.moveTo(cx + 4, cy - 4); ctx.lineTo(cx - 4, cy + 4); ctx.stroke(); }
  } else if (group === 'marker') {
    if (name === 'pips') {
      for (let k = 0; k < 5; k++) {
        ctx.beginPath(); ctx.arc(3 + k * 4, cy, 1.6, 0, TAU);
        if (k < 2) { ctx.fillStyle = pal.views.unreachable; ctx.fill(); } else { ctx.strokeStyle = pal.faint; ctx.lineWidth = 1; ctx.stroke(); }
      }
    } else if (name === 'countdown') {
      ctx.lineWidth = 3; ctx.strokeStyle = pal.views.disconnected;
      ctx.globalAlpha = 0.22; ctx.beginPath(); ctx.arc(cx, cy, r, 0, TAU); ctx.stroke(); ctx.globalAlpha = 1;
      ctx.beginPath(); ctx.arc(cx, cy, r, -Math.PI / 2, Math.PI * 0.7); ctx.stroke();
    } else if (name === 'permit') {
      const s = 5; ctx.fillStyle = pal.views.unreachable;
      ctx.beginPath(); ctx.moveTo(cx - s, cy - s); ctx.lineTo(cx + s, cy - s); ctx.lineTo(cx - s, cy + s); ctx.lineTo(cx + s, cy + s); ctx.closePath(); ctx.fill();
    } else if (name === 'dead') {
      ctx.fillStyle = pal.ink; ctx.font = `700 15px ${pal.font}`; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      ctx.fillText('✝', cx, cy + 1);
    } else if (name === 'cut') {
      ctx.strokeStyle = pal.views.unreachable; ctx.lineWidth = 1.6; ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(1, cy); ctx.lineTo(W - 1, cy); ctx.stroke(); ctx.setLineDash([]);
      ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(cx - 4, cy - 4); ctx.lineTo(cx + 4, cy + 4); ctx.moveTo(cx + 4, cy - 4); ctx.lineTo(cx - 4, cy + 4); ctx.stroke();
    }
  }
}
