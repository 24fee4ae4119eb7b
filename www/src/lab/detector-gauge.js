// Another detector's own clock for one node in the inspector: the kubelet's lease age against
// node_monitor_grace_period, Nomad's TTL left, memberlist's suspicion timer, the φ meter against
// the threshold — from inspect().detector (the engine's NodeGauge), drawn as a meter.
import { h } from '../dom.js';
import { humanDuration } from '../util.js';

/** A value in the gauge's unit, in words. */
function amount(gauge, v) {
  return gauge.unit === 'phi' ? `φ ${v.toFixed(2)}` : humanDuration(Math.max(0, v));
}

/**
 * The inspector rows for a node's detector gauge: [label, ...content] pairs, or [] under Mesos.
 * A countdown (TTL, suspicion) fills as it runs out; an age or φ fills towards its limit.
 */
export function detectorGaugeRows(gauge) {
  if (!gauge) return [];
  const countdown = gauge.measure.endsWith('left');
  const limit = gauge.limit;
  let fraction = null;
  if (limit !== null && limit > 0) fraction = countdown ? 1 - gauge.value / limit : gauge.value / limit;
  const meter = fraction === null ? null : h('meter', {
    class: 'detector-meter',
    attrs: { min: '0', max: '1', low: '0.6', high: '0.9', optimum: '0', value: String(Math.min(1, Math.max(0, fraction))), 'aria-label': gauge.measure },
  });
  const text = limit === null
    ? amount(gauge, gauge.value)
    : `${amount(gauge, gauge.value)} ${countdown ? 'of' : '/'} ${amount(gauge, limit)}`;
  const idle = countdown && limit === null ? ' (no timer running)' : '';
  return [
    ['detector state', h('span', { class: 'badge', text: gauge.status })],
    [gauge.measure, meter, ' ', h('span', { dataset: { detectorGauge: gauge.measure }, text: text + idle })],
  ];
}
