// What a <liveness-lab> element (or embed.html's hash) asks for: its attributes read into the
// lab's link state — the same names and checks as a shared link (lab/urlstate.js :: parseHash)
// — plus `controls`. Everything here is untrusted text from a course page: it is parsed,
// checked and only ever shown as text. No DOM, no wasm (Node tests import it).
import { parseHash } from '../lab/urlstate.js';
import { fromBase64Url, errorText } from '../util.js';

/** The values of the `controls` attribute: nothing but the cluster, play and time, everything. */
export const CONTROLS = ['none', 'minimal', 'full'];
/** The controls of an element that does not say. */
export const DEFAULT_CONTROLS = 'minimal';
/** The attributes the element reads (and watches). */
export const ATTRIBUTES = ['preset', 'scenario', 'policy', 't', 'speed', 'controls', 'agent'];

/**
 * The scenario attribute: JSON text (it starts with `{`) or base64url JSON, as in the lab's
 * `#scenario=` link. Returns { scenario } or { error }.
 */
export function readScenarioText(text) {
  const v = String(text).trim();
  let json = v;
  if (!v.startsWith('{')) {
    try { json = fromBase64Url(v); } catch (e) { return { error: `scenario: ${errorText(e)} (give JSON text or the base64url of a lab link)` }; }
  }
  let scenario;
  try { scenario = JSON.parse(json); } catch (e) { return { error: `scenario: not valid JSON (${errorText(e)})` }; }
  if (!scenario || typeof scenario !== 'object' || Array.isArray(scenario)) return { error: 'scenario: must be a JSON object' };
  return { scenario };
}

/**
 * Reads the settings from `get(name)` (an attribute's value, or null when absent). Returns
 * { preset?, scenario?, policy?, t?, speed?, agent?, controls, errors: [] }; a bad value is left
 * out and its problem, naming the attribute, is in `errors`.
 */
export function readSettings(get) {
  const params = new URLSearchParams();
  for (const name of ['preset', 'policy', 't', 'speed', 'agent']) {
    const v = get(name);
    if (v !== null && v !== undefined) params.set(name, v.trim());
  }
  const link = parseHash(params.toString());
  const out = { ...link, errors: [...link.errors] };
  const scenarioText = get('scenario');
  if (scenarioText !== null && scenarioText !== undefined) {
    if (out.preset !== undefined) out.errors.push('give either preset or scenario, not both');
    const { scenario, error } = readScenarioText(scenarioText);
    if (error) out.errors.push(error); else out.scenario = scenario;
  }
  const controls = get('controls');
  out.controls = DEFAULT_CONTROLS;
  if (controls !== null && controls !== undefined) {
    const c = controls.trim().toLowerCase();
    if (CONTROLS.includes(c)) out.controls = c;
    else out.errors.push(`controls="${controls.slice(0, 40)}" is not one of ${CONTROLS.join(', ')}`);
  }
  return out;
}

