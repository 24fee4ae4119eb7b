// The legend under the cluster: a swatch drawn with the canvas's own colours and shapes for
// every master view, agent process state, message kind and marker.
import { drawSwatch } from './cluster.js';
import { h, $, clear } from '../dom.js';

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
      item('marker:permit', 'waiting for removal permit'), item('marker:cut', 'cut link')),
  );
}

/** Redraws the swatches in the current theme's colours. */
export function redrawLegend() {
  for (const c of document.querySelectorAll('#legend canvas')) drawSwatch(c, c.dataset.swatch);
}
