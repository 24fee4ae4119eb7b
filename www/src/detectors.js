// The failure detectors the engine simulates (src/detectors/mod.rs :: DetectorKind, the
// engine's detectorNames()) and their labels in the page's pickers. No DOM, no wasm: editors and
// the URL state read it directly; tests/js/engine-rules.test.mjs checks it against the engine.

/** The detector a scenario without one runs under. */
export const DEFAULT_DETECTOR = 'mesos';

/** Every detector, in the pickers' order. */
export const DETECTORS = ['mesos', 'kubernetes', 'nomad', 'memberlist', 'phi-accrual'];

/** A detector's name with what it stands for. */
export const DETECTOR_LABEL = {
  mesos: 'Mesos (master pings, agent socket)',
  kubernetes: 'Kubernetes (node lease, lifecycle controller)',
  nomad: 'Nomad (heartbeat TTL)',
  memberlist: 'memberlist (SWIM + Lifeguard)',
  'phi-accrual': 'phi accrual (Akka)',
};

/** A few settings of each detector worth varying (dotted paths into a scenario, real flag names). */
export const DETECTOR_SETTINGS = [
  'kubernetes.node_monitor_grace_period',
  'kubernetes.default_toleration_seconds',
  'nomad.min_heartbeat_ttl',
  'nomad.heartbeat_grace',
  'memberlist.suspicion_mult',
  'memberlist.probe_interval',
  'phi-accrual.threshold',
  'phi-accrual.acceptable_heartbeat_pause',
];
