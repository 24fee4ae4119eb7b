// The Lab's link: #preset=NAME or #scenario=<base64url JSON>, plus &t=<ms>&speed=<x>&policy=<name>,
// &compare=a,b and &agent=NAME (README, "Share"). Everything read here is hostile input:
// it is parsed, checked and only ever shown as text. No DOM.
import { fromBase64Url, toBase64Url } from '../util.js';
import { POLICIES } from '../policies.js';
import { SPEED_MIN, SPEED_MAX } from './clock.js';

/** Parses a location.hash. Returns { preset?, scenario?, t?, speed?, policy?, compare?, agent?, errors: [] }. */
export function parseHash(hash) {
  const out = { errors: [] };
  const raw = String(hash ?? '').replace(/^#/, '');
  if (!raw) return out;
  let params;
  try { params = new URLSearchParams(raw); } catch { out.errors.push('the link could not be read'); return out; }
  if (params.has('preset')) out.preset = params.get('preset');
  if (params.has('scenario')) {
    try {
      const text = fromBase64Url(params.get('scenario'));
      try { out.scenario = JSON.parse(text); } catch (e) { throw new Error(`the scenario in the link is not valid JSON (${e.message}); the link may be truncated`); }
      if (!out.scenario || typeof out.scenario !== 'object' || Array.isArray(out.scenario)) {
        delete out.scenario;
        throw new Error('the scenario in the link is not a JSON object');
      }
    } catch (e) {
      out.errors.push(e.message.startsWith('the scenario') ? e.message : `the scenario in the link could not be read: ${e.message}`);
      out.badScenario = true;
    }
  }
  if (params.has('t')) {
    const t = Number(params.get('t'));
    if (Number.isFinite(t) && t >= 0) out.t = t; else out.errors.push(`t=${params.get('t').slice(0, 40)} is not a time in milliseconds`);
  }
  if (params.has('speed')) {
    const s = Number(params.get('speed'));
    if (Number.isFinite(s) && s > 0) out.speed = Math.min(SPEED_MAX, Math.max(SPEED_MIN, s)); else out.errors.push(`speed=${params.get('speed').slice(0, 40)} is not a positive number`);
  }
  if (params.has('policy')) {
    const p = params.get('policy');
    if (POLICIES.includes(p)) out.policy = p; else out.errors.push(`unknown policy "${p.slice(0, 60)}" (one of ${POLICIES.join(', ')})`);
  }
  if (params.has('compare')) {
    const list = params.get('compare').split(',').filter((p) => POLICIES.includes(p));
    if (list.length >= 2) out.compare = [...new Set(list)].slice(0, 4);
  }
  if (params.has('agent')) out.agent = params.get('agent').slice(0, 200);
  return out;
}

/** Builds the hash for the current state. */
export function buildHash({ presetName, scenario, t, speed, policy, compare, agent }) {
  const p = new URLSearchParams();
  if (presetName) p.set('preset', presetName);
  else p.set('scenario', toBase64Url(JSON.stringify(scenario)));
  if (t !== undefined && t !== null && t > 0) p.set('t', String(t));
  if (speed !== undefined) p.set('speed', String(speed));
  if (policy) p.set('policy', policy);
  if (compare && compare.length >= 2) p.set('compare', compare.join(','));
  if (agent) p.set('agent', agent);
  return '#' + p.toString().replace(/%2C/g, ',');
}
