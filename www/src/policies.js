// The policies the engine simulates (src/mesos/types.rs :: Policy) and their labels in the
// page's pickers. No DOM, no wasm: the URL state and the editors read it directly.

/** The policy a scenario without one runs under (src/scenario/parse.rs :: scenario). */
export const DEFAULT_POLICY = 'mesos-1.2';

/** Every policy, in the pickers' order. */
export const POLICIES = ['mesos-1.1', 'mesos-1.2', 'mesos-1.5', 'mesos-latest', 'running-only-pongs'];

/** A policy's name with what it stands for. */
export const POLICY_LABEL = {
  'mesos-1.1': 'mesos-1.1 (before the fix)',
  'mesos-1.2': 'mesos-1.2 (fix B, shipped)',
  'mesos-1.5': 'mesos-1.5 (keep all tasks)',
  'mesos-latest': "mesos-latest (Mesos' master branch)",
  'running-only-pongs': 'running-only-pongs (fix A)',
};
