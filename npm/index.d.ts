// The package's types ("liveness"): the lab module's declarations and the sweep module's, as one
// module, as the entries in this folder export them. init()/initSync() are the lab module's.
export * from '../www/pkg/liveness.js';
export * from '../www/pkg/liveness_sweep.js';
export { default, initSync } from '../www/pkg/liveness.js';
export type { InitInput, InitOutput, SyncInitInput } from '../www/pkg/liveness.js';
