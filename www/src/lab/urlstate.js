// The Lab's link: #preset=NAME or #scenario=<base64url JSON>, plus &t=<ms>&speed=<x>&policy=<name>,
// &compare=a,b (policies) or &vary=<dotted setting path>:v1,v2[,v3,v4] (values of one setting),
// &agent=NAME, &step=N (beat N of the lesson's story, from 1), &lesson=NAME (the lesson a changed
// scenario came from) and &present=1 (presenter mode) (README, "Share"). Everything read here is
// hostile input: it is parsed, checked and only ever shown as text. No DOM.
import { fromBase64Url, toBase64Url } from '../util.js';
import { POLICIES } from '../policies.js';
import { SPEED_MIN, SPEED_MAX } from './clock.js';
import { pathSteps, settingValue } from './scenario-paths.js';

/** Parses a location.hash. Returns { preset?, scenario?, t?, speed?, policy?, compare?, vary?, agent?, step?, lesson?, present?, errors: [] }. */
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
  if (params.has('vary')) {
    const raw = params.get('vary');
    const colon = raw.indexOf(':');
    const path = colon > 0 ? raw.slice(0, colon) : '';
    const values = colon > 0 ? raw.slice(colon + 1).split(',').map(settingValue) : [];
    if (pathSteps(path) && path.length <= 120 && values.length >= 2) out.vary = { path, values: values.slice(0, 4) };
    else out.errors.push(`vary=${raw.slice(0, 60)} is not <setting path>:<value>,<value>…`);
  }
  if (params.has('agent')) out.agent = params.get('agent').slice(0, 200);
  if (params.has('step')) {
    const n = Number(params.get('step'));
    if (Number.isInteger(n) && n >= 1) out.step = n; else out.errors.push(`step=${params.get('step').slice(0, 20)} is not a beat number (1, 2, …)`);
  }
  if (params.has('lesson')) out.lesson = params.get('lesson').slice(0, 80);
  if (params.has('present')) out.present = params.get('present') !== '0';
  return out;
}

/** Builds the hash for the current state. */
export function buildHash({ presetName, lesson, scenario, t, speed, policy, compare, vary, agent, step, present }) {
  const p = new URLSearchParams();
  if (presetName) p.set('preset', presetName);
  else p.set('scenario', toBase64Url(JSON.stringify(scenario)));
  if (lesson && !presetName) p.set('lesson', lesson);
  if (t !== undefined && t !== null && t > 0) p.set('t', String(t));
  if (speed !== undefined) p.set('speed', String(speed));
  if (policy) p.set('policy', policy);
  if (compare && compare.length >= 2) p.set('compare', compare.join(','));
  if (vary && vary.values.length >= 2) p.set('vary', `${vary.path}:${vary.values.map((v) => v ?? 'none').join(',')}`);
  if (agent) p.set('agent', agent);
  if (step) p.set('step', String(step));
  if (present) p.set('present', '1');
  return '#' + p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%5B/g, '[').replace(/%5D/g, ']');
}
