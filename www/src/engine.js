// Loads the wasm package and normalises the few names that may be exported
// either as arrays or as functions.
import init, * as pkg from '../pkg/liveness.js';

export const FALLBACK_MASTER_VIEWS = ['connected', 'disconnected', 'unreachable', 'recovered', 'removed', 'unknown'];
export const FALLBACK_AGENT_STATES = ['down', 'recovering', 'disconnected', 'running', 'terminating'];
export const FALLBACK_MESSAGE_KINDS = [
  'PingSlaveMessage', 'PongSlaveMessage', 'RegisterSlaveMessage', 'SlaveRegisteredMessage',
  'ReregisterSlaveMessage', 'SlaveReregisteredMessage', 'UnregisterSlaveMessage', 'ShutdownFrameworkMessage',
];
export const POLICIES = ['mesos-1.1', 'mesos-1.2', 'mesos-1.5', 'running-only-pongs'];
export const POLICY_LABEL = {
  'mesos-1.1': 'mesos-1.1 (before the fix)',
  'mesos-1.2': 'mesos-1.2 (fix B, shipped)',
  'mesos-1.5': 'mesos-1.5 (keep all tasks)',
  'running-only-pongs': 'running-only-pongs (fix A)',
};

function names(arrName, fnName, fallback) {
  const v = pkg[arrName];
  if (Array.isArray(v)) return v.slice();
  if (typeof v === 'function') { try { const r = v(); if (Array.isArray(r)) return r; } catch { /* fall through */ } }
  const f = pkg[fnName];
  if (typeof f === 'function') { try { const r = f(); if (Array.isArray(r)) return r; } catch { /* fall through */ } }
  return fallback;
}

let lib = null;

/** Initialises the wasm module once; returns the normalised library. */
export async function loadEngine() {
  if (lib) return lib;
  await init();
  if (typeof pkg.Simulation !== 'function' || typeof pkg.presets !== 'function') {
    throw new Error('the wasm package has no Simulation/presets exports (build it with `npm run build:wasm`)');
  }
  lib = {
    Simulation: pkg.Simulation,
    presets: () => pkg.presets(),
    validateScenario: (s) => (typeof pkg.validateScenario === 'function' ? pkg.validateScenario(s) : []),
    MASTER_VIEWS: names('MASTER_VIEWS', 'masterViewNames', FALLBACK_MASTER_VIEWS),
    AGENT_STATES: names('AGENT_STATES', 'agentStateNames', FALLBACK_AGENT_STATES),
    MESSAGE_KINDS: names('MESSAGE_KINDS', 'messageKindNames', FALLBACK_MESSAGE_KINDS),
    warningsOf: (sim) => (typeof sim.warnings === 'function' ? sim.warnings() : []),
  };
  return lib;
}

/** The error text of anything thrown by the binding. */
export function errorText(e) {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try { return JSON.stringify(e); } catch { return String(e); }
}
