// What Compare offers for the failure detectors: the detector itself (the same scenario judged
// by Mesos, Kubernetes, Nomad, memberlist, phi accrual, side by side on one clock) and a few of
// each detector's settings, by their real flag names. No DOM.

/** Compare-by-setting entries (path, short label, example values), after Mesos' own. */
export const DETECTOR_COMPARABLE = [
  { path: 'detector', label: 'failure detector', example: 'mesos, kubernetes, nomad, memberlist, phi-accrual' },
  { path: 'kubernetes.node_monitor_grace_period', label: 'Kubernetes node_monitor_grace_period', example: '20secs, 40secs, 50secs' },
  { path: 'kubernetes.default_toleration_seconds', label: 'Kubernetes default_toleration_seconds', example: '30, 120, 300' },
  { path: 'nomad.heartbeat_grace', label: 'Nomad heartbeat_grace', example: '5secs, 10secs, 30secs' },
  { path: 'memberlist.suspicion_mult', label: 'memberlist suspicion_mult', example: '2, 4, 6' },
  { path: 'phi-accrual.threshold', label: 'phi accrual threshold', example: '4, 8, 12' },
];
