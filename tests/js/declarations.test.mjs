// The hand-written TypeScript declarations (src/wasm/types.rs, shipped in www/pkg/liveness.d.ts)
// against the core they describe: every trace event kind and field, every name list and metric,
// and the whole class. (tests/js/usage.ts type-checks them with tsc.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib, dts, withSim } from './helpers.mjs';

/** The members of a string-literal union type alias `export type NAME = "a" | "b" ...;`. */
function unionOf(name) {
  const m = dts.match(new RegExp(`export type ${name} =([^;]*);`));
  assert.ok(m, `type ${name} is declared`);
  return [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
}

/** Every `export interface` body, by name. */
function interfaces() {
  const out = new Map();
  for (const m of dts.matchAll(/export interface (\w+)(?: extends \w+)? \{([\s\S]*?)\n\}/g)) {
    out.set(m[1], m[2]);
  }
  return out;
}

test('every trace event kind and field of the core is declared, and nothing else', () => {
  const fields = lib.eventFields();
  const declared = new Map(); // kind -> interface body
  for (const [name, body] of interfaces()) {
    const ev = body.match(/^\s*event: ([^;]+);/m);
    if (!ev) continue;
    for (const kind of [...ev[1].matchAll(/"([^"]+)"/g)].map((x) => x[1])) declared.set(kind, { name, body });
  }
  assert.deepEqual([...declared.keys()].sort(), Object.keys(fields).sort(), 'event kinds');
  for (const [kind, list] of Object.entries(fields)) {
    const { name, body } = declared.get(kind);
    const props = [...body.matchAll(/^\s*(\w+)\??:/gm)].map((x) => x[1]).filter((p) => p !== 'event');
    assert.deepEqual(props.sort(), [...list].sort(), `${name} (${kind}) fields`);
    assert.match(dts, new RegExp(`\\| ${name}\\b|= ${name}\\b|\\| ${name} `), `${name} is in the TraceEvent union`);
  }
});

test('name unions match the module name lists', () => {
  assert.deepEqual(unionOf('MasterViewName'), lib.masterViewNames());
  assert.deepEqual(unionOf('AgentStateName'), lib.agentStateNames());
  assert.deepEqual(unionOf('MessageKindName'), lib.messageKindNames());
  assert.deepEqual(unionOf('PolicyName'), lib.policyNames());
  assert.deepEqual(unionOf('DetectorName'), lib.detectorNames());
});

test('MetricName lists every metric', () => {
  const names = withSim({ duration: '1mins', agents: [{ name: 'a' }] }, (sim) => Object.keys(sim.metrics()));
  assert.deepEqual(unionOf('MetricName').sort(), names.sort());
});

test('every fault kind is declared', () => {
  const kinds = [];
  for (const [name, body] of interfaces()) {
    if (name.startsWith('Sweep')) continue; // a sweep's workload lines have kinds of their own
    const k = body.match(/^\s*kind: ([^;]+);/m);
    if (k) kinds.push(...[...k[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]));
  }
  const expected = [
    'restart_agent', 'crash_agent', 'start_agent', 'finish_recovery', 'partition', 'heal',
    'break_socket', 'drop_messages', 'shutdown_agent', 'fail_over_master',
    'disconnect_framework', 'reconnect_framework',
  ];
  assert.deepEqual(kinds.sort(), expected.sort());
  // The core rejects an unknown kind and lists the same ones.
  const msg = lib.validateScenario({ duration: '1mins', agents: [{ name: 'a' }], faults: [{ at: 0, kind: '?', agents: 'all' }] })[0];
  for (const k of expected) assert.ok(msg.includes(k), `${k} in "${msg}"`);
});

test('the Simulation class declares the whole API with its types', () => {
  const cls = dts.match(/export class Simulation \{([\s\S]*?)\n\}/)[1];
  const want = [
    'constructor(scenario: Scenario, options?: SimulationOptions)',
    'readonly now: number',
    'readonly duration: number',
    'readonly eventsProcessed: number',
    'advanceTo(ms: number): number',
    'advanceBounded(ms: number, maxEvents: number): boolean',
    'nextEventTime(): number | undefined',
    'inject(fault: Fault): void',
    'drainEvents(options?: DrainOptions): TraceEvent[]',
    'taskStateCounts(): Uint32Array',
    'agentNames(): string[]',
    'frameworkNames(): string[]',
    'masterViews(): Uint8Array',
    'agentStates(): Uint8Array',
    'missCounts(): Uint8Array',
    'reregisterDeadlines(): Float64Array',
    'permitWaiting(): Uint8Array',
    'links(): Uint8Array',
    'inFlight(): Float64Array',
    'masterUp(): boolean',
    'inspect(agent: number): AgentInspection',
    'metrics(): Record<string, number>',
    'checkExpectations(): ExpectationResult[]',
    'traceHash(): string',
    'injectedFaults(): ScenarioFault[]',
    'scenario(): Scenario',
    'warnings(): string[]',
    'traceJsonLines(): string',
    'config(): ScenarioConfig',
    'agentConfig(agent: number): AgentConfig',
    'recoveryEstimate(agent: number, executors?: number | null): RecoveryEstimate',
    'free(): void',
  ];
  for (const sig of want) assert.ok(cls.includes(sig), `declares ${sig}`);
  for (const sig of [
    'export function presets(): Preset[]',
    'export function validateScenario(scenario: unknown): string[]',
    'export function benchWorkloads(): BenchWorkload[]',
    'export function masterViewNames(): MasterViewName[]',
    'export function agentStateNames(): AgentStateName[]',
    'export function messageKindNames(): MessageKindName[]',
    'export function eventFields(): Record<TraceEventKind, string[]>',
    'export function scenarioConfig(scenario: Scenario): ScenarioConfig',
    'export function mesosDefaults(policy?: PolicyName): MesosDefaults',
    'export function policyNames(): PolicyName[]',
    'export function faultKindNames(): FaultKind[]',
    'export function describeEvent(event: TraceEvent): string',
    'export function describeEvents(events: TraceEvent[]): string[]',
    'export function describeFault(fault: Fault, withTime?: boolean | null): string',
    'export function eventLabel(event: TraceEvent): string',
    'export function verdictWords(verdict: TraceEvent): string',
    'export function causeWords(cause?: CauseName): string',
    'export default function __wbg_init',
    'export function initSync',
  ]) {
    assert.ok(dts.includes(sig), `declares ${sig}`);
  }
  // No stray exports (the panic hook stays private).
  assert.ok(!/export function start\b/.test(dts));
});

test('every exported function and method carries documentation', () => {
  const lines = dts.split('\n');
  const undocumented = [];
  lines.forEach((line, i) => {
    const t = line.trim();
    const isMember = /^(export function|export class|constructor\(|readonly \w+:|\w+\(.*\): )/.test(t) && !t.startsWith('readonly __');
    if (!isMember || /^(free|\[Symbol\.dispose\])\(/.test(t)) return;
    if (t.startsWith('export function initSync') || t.startsWith('export default function')) return;
    if (/InitOutput|SyncInitInput/.test(t)) return;
    let j = i - 1;
    while (j >= 0 && lines[j].trim() === '') j--;
    if (!lines[j].trim().endsWith('*/')) undocumented.push(t);
  });
  // Members of InitOutput (the raw wasm exports) are wasm-bindgen's own.
  const mine = undocumented.filter((t) => !/^readonly \w+: (\(|WebAssembly\.)/.test(t));
  assert.deepEqual(mine, []);
});
