// The whole JS API of the wasm package (README, "JS API"), against the web-target build in www/pkg.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { lib, withSim, preset, MINUTE } from './helpers.mjs';

const { Simulation } = lib;
const MASTER_VIEWS = lib.masterViewNames();
const AGENT_STATES = lib.agentStateNames();
const MESSAGE_KINDS = lib.messageKindNames();

const tiny = {
  name: 'tiny',
  seed: 1,
  duration: '2mins',
  frameworks: [{ name: 'fw', partition_aware: true, checkpoint: true }],
  agents: [{ name: 'a', count: 3, tasks: { fw: 2 } }],
};

describe('module functions', () => {
  test('name lists match the spec', () => {
    assert.deepEqual(MASTER_VIEWS, ['connected', 'disconnected', 'unreachable', 'recovered', 'removed', 'unknown']);
    assert.deepEqual(AGENT_STATES, ['down', 'recovering', 'disconnected', 'running', 'terminating']);
    assert.ok(MESSAGE_KINDS.includes('PingSlaveMessage'));
    assert.ok(MESSAGE_KINDS.includes('PongSlaveMessage'));
    assert.equal(new Set(MESSAGE_KINDS).size, MESSAGE_KINDS.length);
  });

  test('presets: every one has a name, title, summary and a valid scenario', () => {
    const ps = lib.presets();
    assert.ok(ps.length >= 7);
    assert.ok(ps.some((p) => p.name === 'stuck-recovery'));
    for (const p of ps) {
      assert.equal(typeof p.name, 'string');
      assert.ok(p.title.length > 0, p.name);
      assert.ok(p.summary.length > 0, p.name);
      assert.equal(p.scenario.name, p.title);
      assert.deepEqual(lib.validateScenario(p.scenario), [], p.name);
    }
  });

  test('validateScenario returns [] or the problem lines', () => {
    assert.deepEqual(lib.validateScenario(tiny), []);
    const problems = lib.validateScenario({ duration: '1mins', agents: [{ name: 'x', count: 0 }] });
    assert.deepEqual(problems, ['agents[0].count: must be at least 1']);
  });

  test('benchWorkloads: the workloads of `liveness bench`', () => {
    const ws = lib.benchWorkloads();
    assert.deepEqual(ws.map((w) => w.name), ['healthy-1k-1h', 'partition-10k-10m']);
    for (const w of ws) assert.deepEqual(lib.validateScenario(w.scenario), []);
  });

  test('eventFields lists every trace event kind with its fields', () => {
    const f = lib.eventFields();
    assert.deepEqual(f.message, ['message', 'agent', 'peer', 'from', 'dropped', 'connected']);
    assert.ok('agent_marked_unreachable' in f);
  });
});

describe('other detectors', () => {
  const crash = (detector, extra = {}) => ({
    duration: '3mins',
    detector,
    ...extra,
    agents: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
    faults: [{ at: '1mins', kind: 'crash_agent', agents: ['b'] }],
  });

  test('the detector, its words and each node\'s gauge', () => {
    assert.deepEqual(lib.detectorNames(), ['mesos', 'kubernetes', 'nomad', 'memberlist', 'phi-accrual']);
    assert.deepEqual(lib.detectorInfo().map((d) => d.name), lib.detectorNames());
    withSim(tiny, (sim) => {
      assert.equal(sim.detector, 'mesos');
      assert.equal(sim.inspect(0).detector, null);
      assert.equal(sim.detectorGauges().length, 0);
    });
    // Kubernetes: lease age against node_monitor_grace_period (50 s); the kubelet renews every
    // 10 s (+ jitter below 0.4 s), so a live node's lease is never older than that.
    withSim(crash('kubernetes'), (sim) => {
      sim.advanceTo(55_000);
      const g = sim.inspect(0).detector;
      assert.equal(g.measure, 'lease age');
      assert.equal(g.unit, 'ms');
      assert.equal(g.limit, 50_000);
      assert.ok(g.value >= 0 && g.value < 10_400, `${g.value}`);
      assert.equal(g.status, 'Ready');
      assert.equal(sim.config().detector, 'kubernetes');
      const gauges = sim.detectorGauges();
      assert.equal(gauges.length, 6);
      assert.equal(gauges[0], g.value);
      assert.equal(gauges[1], 50_000);
      // The crashed node: Unknown once its lease is older than the grace period.
      sim.advanceTo(sim.duration);
      const b = sim.inspect(1);
      assert.equal(b.masterView, 'unreachable');
      assert.equal(b.agentState, 'down');
      assert.match(b.detector.status, /^Unknown/);
      assert.ok(b.detector.value > 50_000);
    });
    // Phi accrual: φ against Akka's threshold 8.
    withSim(crash('phi-accrual'), (sim) => {
      sim.advanceTo(sim.duration);
      const live = sim.inspect(0).detector;
      assert.equal(live.unit, 'phi');
      assert.equal(live.limit, 8);
      assert.ok(live.value < 8);
      assert.ok(sim.inspect(1).detector.value >= 8);
    });
  });

  test('memberlist: messages between members name their peer', () => {
    withSim(crash('memberlist'), (sim) => {
      sim.advanceTo(30_000);
      const peers = sim.inFlightPeers();
      assert.equal(peers.length, sim.inFlight().length / 6);
      const events = sim.drainEvents();
      const probe = events.find((e) => e.event === 'message' && e.message === 'ping');
      assert.ok(probe && sim.agentNames().includes(probe.peer), JSON.stringify(probe));
    });
  });
});

describe('Simulation', () => {
  test('constructs from every preset and runs it to the end with its expectations holding', () => {
    for (const p of lib.presets()) {
      withSim(p.scenario, (sim) => {
        assert.equal(sim.now, 0);
        assert.ok(sim.duration > 0);
        const n = sim.advanceTo(sim.duration);
        assert.ok(n > 0, p.name);
        assert.equal(sim.now, sim.duration);
        const results = sim.checkExpectations();
        assert.ok(results.length > 0, p.name);
        for (const r of results) assert.ok(r.passed, `${p.name}: ${r.detail}`);
        assert.match(sim.traceHash(), /^[0-9a-f]{16}$/);
        // inspect() finds each agent's own tasks.
        const names = sim.agentNames();
        const total = sim.scenario().agents.reduce(
          (sum, a) => sum + (a.count ?? 1) * Object.values(a.tasks ?? {}).reduce((x, y) => x + y, 0), 0);
        let seen = 0;
        const views = sim.masterViews();
        const states = sim.agentStates();
        names.forEach((name, i) => {
          // The typed-array codes index the name lists.
          const info = sim.inspect(i);
          assert.equal(MASTER_VIEWS[views[i]], info.masterView);
          assert.equal(AGENT_STATES[states[i]], info.agentState);
          const tasks = info.tasks;
          seen += tasks.length;
          for (const t of tasks) assert.ok(t.task.endsWith(`@${name}`), `${t.task} on ${name}`);
        });
        assert.equal(seen, total, p.name);
      });
    }
  });

  test('now and duration are ms getters', () => {
    withSim(tiny, (sim) => {
      assert.equal(sim.duration, 2 * MINUTE);
      sim.advanceTo(1234.5);
      assert.equal(sim.now, 1234.5);
    });
  });

  test('advanceTo processes events exactly at t, and the same t twice returns 0', () => {
    withSim(tiny, (sim) => {
      sim.advanceTo(0);
      sim.drainEvents();
      const t = sim.nextEventTime();
      assert.equal(typeof t, 'number');
      assert.ok(t > 0);
      // Just before: nothing at t runs.
      const before = sim.advanceTo(t - 0.001);
      assert.ok(before >= 0);
      assert.equal(sim.nextEventTime(), t);
      const n = sim.advanceTo(t);
      assert.ok(n >= 1);
      const events = sim.drainEvents();
      assert.ok(events.length > 0);
      assert.ok(events.every((e) => e.t === t));
      assert.ok(sim.nextEventTime() > t);
      assert.equal(sim.advanceTo(t), 0);
      assert.deepEqual(sim.drainEvents(), []);
    });
  });

  test('advanceTo returns how many events ran (sums to the whole run)', () => {
    const total = withSim(tiny, (sim) => sim.advanceTo(sim.duration));
    const stepped = withSim(tiny, (sim) => {
      let n = 0;
      for (let t = 0; t <= sim.duration; t += 7_000) n += sim.advanceTo(t);
      n += sim.advanceTo(sim.duration);
      return n;
    });
    assert.equal(stepped, total);
    assert.equal(withSim(tiny, (sim) => (sim.advanceTo(sim.duration), sim.eventsProcessed)), total);
  });

  test('advanceTo throws RangeError for the past, NaN, ±Infinity and negatives', () => {
    withSim(tiny, (sim) => {
      sim.advanceTo(10_000);
      for (const bad of [9_999, NaN, Infinity, -Infinity, -1, -0.5]) {
        assert.throws(() => sim.advanceTo(bad), RangeError, String(bad));
      }
      assert.throws(() => sim.advanceTo(5), /cannot go back in time/);
      assert.throws(() => sim.advanceTo(NaN), /not a finite number/);
      assert.equal(sim.now, 10_000);
      // It keeps working after the errors.
      assert.ok(sim.advanceTo(20_000) > 0);
    });
  });

  test('drainEvents returns each event once, in order, as the trace', () => {
    withSim(preset('stuck-recovery'), (sim) => {
      const seen = [];
      for (let t = 0; t <= sim.duration; t += 37_000) {
        sim.advanceTo(t);
        seen.push(...sim.drainEvents());
      }
      sim.advanceTo(sim.duration);
      seen.push(...sim.drainEvents());
      assert.deepEqual(sim.drainEvents(), []);
      const lines = sim.traceJsonLines().trimEnd().split('\n').map((l) => JSON.parse(l));
      assert.equal(seen.length, lines.length);
      assert.deepEqual(seen, lines);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i].t >= seen[i - 1].t);
      // Keys in canonical order: t, event, then the fields.
      const fields = lib.eventFields();
      for (const e of seen) {
        const keys = Object.keys(e);
        assert.deepEqual(keys.slice(0, 2), ['t', 'event']);
        const allowed = fields[e.event];
        assert.ok(allowed, e.event);
        assert.deepEqual(keys.slice(2), allowed.filter((k) => k in e));
      }
    });
  });

  test('stuck-recovery: the typed views tell the same story as the events', () => {
    withSim(preset('stuck-recovery'), (sim) => {
      const names = sim.agentNames();
      assert.deepEqual(names, ['agent-1', 'agent-2', 'agent-3']);
      assert.deepEqual(sim.frameworkNames(), ['marathon', 'batch']);
      const a1 = names.indexOf('agent-1');

      sim.advanceTo(30_000);
      assert.deepEqual([...sim.masterViews()].map((v) => MASTER_VIEWS[v]), ['connected', 'connected', 'connected']);
      assert.deepEqual([...sim.agentStates()].map((v) => AGENT_STATES[v]), ['running', 'running', 'running']);
      assert.deepEqual([...sim.reregisterDeadlines()].map(Number.isNaN), [true, true, true]);
      assert.deepEqual([...sim.links()], [0, 0, 0]);
      sim.drainEvents();

      sim.advanceTo(5 * MINUTE);
      const events = sim.drainEvents();
      const disc = events.find((e) => e.event === 'agent_disconnected' && e.agent === 'agent-1');
      assert.ok(disc, 'agent-1 disconnected');
      assert.equal(MASTER_VIEWS[sim.masterViews()[a1]], 'disconnected');
      assert.equal(AGENT_STATES[sim.agentStates()[a1]], 'recovering');
      const deadlines = sim.reregisterDeadlines();
      assert.ok(deadlines instanceof Float64Array);
      assert.equal(deadlines[a1], disc.reregister_deadline);
      assert.ok(Number.isNaN(deadlines[1]));
      // It keeps answering pings: no misses.
      assert.equal(sim.missCounts()[a1], 0);
      // The master's socket to it broke and was not re-linked.
      assert.equal(sim.links()[a1] & 4, 4);

      const info = sim.inspect(a1);
      assert.equal(info.name, 'agent-1');
      assert.equal(info.masterView, 'disconnected');
      assert.equal(info.agentState, 'recovering');
      assert.deepEqual(info.recovery, { startedMs: MINUTE, endsMs: null });
      assert.equal(info.reregisterDeadline, disc.reregister_deadline);
      assert.deepEqual(info.link, { masterToAgent: true, agentToMaster: true, linked: false });
      assert.equal(info.observer.consecutiveMisses, 0);
      assert.equal(info.observer.connected, false);

      sim.advanceTo(12 * MINUTE);
      const later = sim.drainEvents();
      const marked = later.find((e) => e.event === 'agent_marked_unreachable');
      assert.equal(marked.agent, 'agent-1');
      assert.equal(marked.cause, 'reregister_timeout');
      assert.equal(MASTER_VIEWS[sim.masterViews()[a1]], 'unreachable');
      assert.equal(AGENT_STATES[sim.agentStates()[a1]], 'recovering');
      assert.ok(Number.isNaN(sim.reregisterDeadlines()[a1]));
      const after = sim.inspect(a1);
      assert.equal(after.observer, null);
      assert.equal(after.masterView, 'unreachable');
      assert.match(after.agentId, /^S\d+$/);
      const byTask = Object.fromEntries(after.tasks.map((t) => [t.task, t]));
      assert.equal(byTask['batch-0@agent-1'].state, 'TASK_LOST');
      assert.equal(byTask['marathon-0@agent-1'].state, 'TASK_UNREACHABLE');
      assert.equal(byTask['marathon-0@agent-1'].framework, 'marathon');
    });
  });

  test('partition: miss counts rise, links show the cut, then the agent is unreachable', () => {
    withSim(preset('partition'), (sim) => {
      const a2 = sim.agentNames().indexOf('agent-2');
      sim.advanceTo(2 * MINUTE);
      assert.equal(sim.links()[a2] & 3, 3);
      let last = 0;
      const seen = [];
      for (let t = 2 * MINUTE; t <= 3.5 * MINUTE; t += 5_000) {
        sim.advanceTo(t);
        const m = sim.missCounts()[a2];
        if (MASTER_VIEWS[sim.masterViews()[a2]] === 'connected') {
          assert.ok(m >= last, `misses never fall while partitioned (${m} < ${last})`);
          last = m;
          seen.push(m);
        }
      }
      assert.ok(Math.max(...seen) >= 4, `misses rose to ${Math.max(...seen)}`);
      const timeouts = sim.drainEvents().filter((e) => e.event === 'ping_timeout' && e.agent === 'agent-2');
      assert.ok(timeouts.length >= 4);
      sim.advanceTo(5 * MINUTE);
      assert.equal(MASTER_VIEWS[sim.masterViews()[a2]], 'unreachable');
      assert.equal(sim.missCounts()[a2], 0);
      sim.advanceTo(8 * MINUTE);
      assert.equal(sim.links()[a2] & 3, 0);
      assert.equal(MASTER_VIEWS[sim.masterViews()[a2]], 'connected');
    });
  });

  test('rate-limited: permitWaiting shows agents waiting for the limiter', () => {
    withSim(preset('rate-limited'), (sim) => {
      sim.advanceTo(2.5 * MINUTE);
      const waiting = [...sim.permitWaiting()];
      const views = [...sim.masterViews()].map((v) => MASTER_VIEWS[v]);
      const events = sim.drainEvents();
      const scheduled = new Set(events.filter((e) => e.event === 'unreachable_scheduled').map((e) => e.agent));
      const marked = new Set(events.filter((e) => e.event === 'agent_marked_unreachable').map((e) => e.agent));
      const names = sim.agentNames();
      const expectWaiting = names.map((n) => (scheduled.has(n) && !marked.has(n) ? 1 : 0));
      assert.deepEqual(waiting, expectWaiting);
      assert.equal(waiting.filter(Boolean).length, 5);
      assert.equal(views.filter((v) => v === 'unreachable').length, 1);
      const i = waiting.indexOf(1);
      assert.equal(sim.inspect(i).observer.waitingForPermit, true);
    });
  });

  test('inFlight: 6 numbers per message on the wire', () => {
    const s = { ...tiny, network: { latency: '500ms', jitter: '200ms' } };
    withSim(s, (sim) => {
      let checked = 0;
      for (let t = 0; t < 60_000; t += 1_333) {
        sim.advanceTo(t);
        const f = sim.inFlight();
        assert.ok(f instanceof Float64Array);
        assert.equal(f.length % 6, 0);
        for (let i = 0; i < f.length; i += 6) {
          const [agent, kind, fromMaster, connected, sent, arrives] = f.subarray(i, i + 6);
          assert.ok(agent >= 0 && agent < 3 && Number.isInteger(agent));
          const name = MESSAGE_KINDS[kind];
          assert.ok(name, `kind ${kind}`);
          const masterSends = ['PingSlaveMessage', 'SlaveRegisteredMessage', 'SlaveReregisteredMessage', 'ShutdownFrameworkMessage'];
          assert.equal(fromMaster, masterSends.includes(name) ? 1 : 0, name);
          assert.ok(connected === 0 || connected === 1);
          if (connected === 0) assert.equal(name, 'PingSlaveMessage');
          assert.ok(sent <= sim.now && arrives > sim.now, `${sent} ${sim.now} ${arrives}`);
          assert.ok(arrives - sent >= 500 && arrives - sent <= 700.001);
          checked++;
        }
      }
      assert.ok(checked > 10, `checked ${checked} messages`);
    });
  });

  test('masterUp is false during a failover', () => {
    withSim(preset('master-failover'), (sim) => {
      sim.advanceTo(MINUTE);
      assert.equal(sim.masterUp(), true);
      sim.advanceTo(2 * MINUTE + 5_000);
      assert.equal(sim.masterUp(), false);
      sim.advanceTo(3 * MINUTE);
      assert.equal(sim.masterUp(), true);
    });
  });

  test('inject applies a fault at now: a fault event at that t, and injectedFaults lists it', () => {
    withSim(tiny, (sim) => {
      sim.advanceTo(30_000.5);
      sim.drainEvents();
      sim.inject({ kind: 'partition', agents: ['a-1'], direction: 'master_to_agent', at: '99mins' });
      const events = sim.drainEvents();
      assert.equal(events[0].event, 'fault');
      assert.equal(events[0].t, 30_000.5);
      assert.deepEqual(events[0].fault, { kind: 'partition', agents: ['a-1'], direction: 'master_to_agent', at: 30_000.5 });
      assert.deepEqual(sim.injectedFaults(), [events[0].fault]);
      assert.equal(sim.links()[1], 1);
      assert.equal(sim.now, 30_000.5);
      sim.advanceTo(40_000);
      sim.inject({ kind: 'heal', agents: 'all' });
      assert.deepEqual(sim.injectedFaults().map((f) => [f.kind, f.at]), [['partition', 30_000.5], ['heal', 40_000]]);
      assert.equal(sim.links()[1], 0);
      // The scenario as given is unchanged.
      assert.equal(sim.scenario().faults, undefined);
      assert.deepEqual(sim.scenario(), tiny);
    });
  });

  test('inject: every fault kind is accepted', () => {
    const s = {
      duration: '10mins',
      frameworks: [{ name: 'fw', checkpoint: true }],
      agents: [{ name: 'n', count: 2, tasks: { fw: 1 } }],
    };
    const faults = [
      { kind: 'partition', agents: ['n-0'], breaks_socket: true },
      { kind: 'heal', agents: ['n-0'] },
      { kind: 'break_socket', agents: 'all' },
      { kind: 'drop_messages', agents: ['n-1'], messages: ['PongSlaveMessage'], until: '3mins' },
      { kind: 'restart_agent', agents: ['n-0'], recovery: 'hang' },
      { kind: 'finish_recovery', agents: ['n-0'] },
      { kind: 'crash_agent', agents: ['n-1'] },
      { kind: 'start_agent', agents: ['n-1'], recovery: '5secs', work_dir_lost: true },
      { kind: 'disconnect_framework', framework: 'fw' },
      { kind: 'reconnect_framework', framework: 'fw' },
      { kind: 'fail_over_master', downtime: '5secs' },
      { kind: 'shutdown_agent', agents: ['n-0'] },
    ];
    withSim(s, (sim) => {
      let t = 10_000;
      for (const f of faults) {
        sim.advanceTo(t);
        sim.inject(f);
        t += 20_000;
      }
      sim.advanceTo(sim.duration);
      const injected = sim.injectedFaults();
      assert.deepEqual(injected.map((f) => f.kind), faults.map((f) => f.kind));
      const faultEvents = sim.drainEvents().filter((e) => e.event === 'fault');
      assert.deepEqual(faultEvents.map((e) => e.fault), injected);
      assert.match(sim.traceHash(), /^[0-9a-f]{16}$/);
    });
  });

  test('checkExpectations judges what has run so far', () => {
    withSim(preset('stuck-recovery'), (sim) => {
      sim.advanceTo(5 * MINUTE);
      const early = sim.checkExpectations();
      assert.equal(early.length, 6);
      const notYet = early.filter((r) => /not reached yet/.test(r.detail));
      assert.ok(notYet.length >= 3);
      assert.ok(notYet.every((r) => !r.passed));
      assert.deepEqual(early[0].expectation, { at: '10mins', agent: 'agent-1', master_view: 'disconnected' });
      sim.advanceTo(sim.duration);
      assert.ok(sim.checkExpectations().every((r) => r.passed));
    });
  });

  test('metrics: every Mesos counter and gauge by name', () => {
    withSim(preset('rate-limited'), (sim) => {
      sim.advanceTo(sim.duration);
      const m = sim.metrics();
      assert.equal(m['master/slave_unreachable_completed'], 6);
      assert.equal(m['master/slaves_unreachable'], 6);
      assert.equal(m['master/slaves_connected'], 2);
      for (const v of Object.values(m)) assert.equal(typeof v, 'number');
      assert.equal(Object.keys(m).length, 19);
    });
  });

  test('traceHash is the documented one, as natively (docs/trace.md, tests/trace_hash.rs)', () => {
    const h = withSim(preset('stuck-recovery'), (sim) => (sim.advanceTo(sim.duration), sim.traceHash()));
    assert.equal(h, 'c10aaa59f0f67b7f');
  });

  test('traceHash is stable and moves on as the run goes', () => {
    const s = preset('partition');
    const h1 = withSim(s, (sim) => (sim.advanceTo(sim.duration), sim.traceHash()));
    const h2 = withSim(s, (sim) => {
      const mid = sim.traceHash();
      sim.advanceTo(MINUTE);
      const a = sim.traceHash();
      assert.notEqual(a, mid);
      assert.equal(sim.traceHash(), a);
      sim.advanceTo(sim.duration);
      return sim.traceHash();
    });
    assert.equal(h1, h2);
  });

  test('inspect: tasks, ids and deadlines; RangeError for a bad index', () => {
    withSim(tiny, (sim) => {
      sim.advanceTo(MINUTE);
      const info = sim.inspect(2);
      assert.equal(info.index, 2);
      assert.equal(info.name, 'a-2');
      assert.equal(info.masterView, 'connected');
      assert.equal(info.agentState, 'running');
      assert.deepEqual(info.tasks.map((t) => t.task), ['fw-0@a-2', 'fw-1@a-2']);
      assert.ok(info.tasks.every((t) => t.state === 'TASK_RUNNING' && t.framework === 'fw'));
      assert.equal(typeof info.pingDeadline, 'number');
      assert.ok(info.pingDeadline > sim.now);
      assert.equal(info.recovery, null);
      assert.equal(info.reregisterDeadline, null);
      assert.deepEqual(info.observer && Object.keys(info.observer), ['pinged', 'consecutiveMisses', 'connected', 'waitingForPermit']);
      for (const bad of [-1, 3, 1.5, NaN, Infinity, 2 ** 32]) {
        assert.throws(() => sim.inspect(bad), RangeError, String(bad));
      }
      assert.equal(sim.inspect(0).name, 'a-0');
    });
  });

  test('views are copies with one entry per agent', () => {
    withSim(tiny, (sim) => {
      sim.advanceTo(MINUTE);
      const a = sim.masterViews();
      a[0] = 99;
      assert.notEqual(sim.masterViews()[0], 99);
      for (const v of [sim.masterViews(), sim.agentStates(), sim.missCounts(), sim.permitWaiting(), sim.links()]) {
        assert.ok(v instanceof Uint8Array);
        assert.equal(v.length, 3);
      }
      assert.ok(sim.reregisterDeadlines() instanceof Float64Array);
    });
  });

  test('trace: false keeps no trace', () => {
    withSim(preset('partition'), (sim) => {
      const n = sim.advanceTo(sim.duration);
      assert.ok(n > 0);
      assert.deepEqual(sim.drainEvents(), []);
      assert.throws(() => sim.traceHash(), /trace is off/);
      const state = sim.checkExpectations().filter((r) => !('event' in r.expectation));
      assert.ok(state.every((r) => r.passed));
    }, { trace: false });
    const same = withSim(preset('partition'), (sim) => sim.advanceTo(sim.duration), { trace: true });
    const off = withSim(preset('partition'), (sim) => sim.advanceTo(sim.duration), { trace: false });
    assert.equal(same, off);
    assert.throws(() => new Simulation(tiny, { trace: 'yes' }), /options.trace: expected true, false, "full", "streaming", "verdicts" or "off"/);
    assert.throws(() => new Simulation(tiny, { traces: false }), /options.traces: unknown field/);
  });

  test('trace: "streaming" drains the same events, hash and verdicts as the full trace', () => {
    const run = (trace) => withSim(preset('partition'), (sim) => {
      const events = [];
      for (let t = 0; t <= sim.duration; t += 45_000) {
        sim.advanceTo(t);
        events.push(...sim.drainEvents());
      }
      sim.advanceTo(sim.duration);
      const retained = sim.traceJsonLines();
      events.push(...sim.drainEvents());
      return { events, retained, hash: sim.traceHash(), results: sim.checkExpectations() };
    }, { trace });
    const full = run('full');
    const streaming = run('streaming');
    assert.deepEqual(streaming.events, full.events);
    assert.equal(streaming.hash, full.hash);
    assert.deepEqual(streaming.results, full.results);
    assert.ok(streaming.results.every((r) => r.passed));
    // Streaming keeps only what was not drained yet.
    assert.ok(streaming.retained.length < full.retained.length / 4);
    assert.equal(run(true).hash, full.hash);
  });

  test('warnings: settings Mesos itself would refuse', () => {
    const s = { ...tiny, agent_defaults: { registration_backoff_factor: '2mins' } };
    withSim(s, (sim) => assert.ok(sim.warnings().some((w) => /registration_backoff_factor/.test(w))));
    withSim(tiny, (sim) => assert.deepEqual(sim.warnings(), []));
  });

  test('free releases the handle; a freed handle throws, others keep working', () => {
    const sim = new Simulation(tiny);
    sim.advanceTo(1000);
    sim.free();
    assert.throws(() => sim.advanceTo(2000));
    withSim(tiny, (other) => assert.ok(other.advanceTo(other.duration) > 0));
  });
});

test('drainEvents({ messages: false }) skips message events but keeps the hash, and taskStateCounts() counts', () => {
  const s = preset('partition');
  const withAll = withSim(s, (sim) => {
    sim.advanceTo(sim.duration);
    return { events: sim.drainEvents(), hash: sim.traceHash() };
  });
  withSim(s, (sim) => {
    sim.advanceTo(4 * MINUTE);
    const first = sim.drainEvents({ messages: false });
    sim.advanceTo(sim.duration);
    const rest = sim.drainEvents({ messages: false });
    const kept = withAll.events.filter((e) => e.event !== 'message');
    assert.deepEqual([...first, ...rest], kept);
    assert.ok(kept.length < withAll.events.length / 5);
    assert.equal(sim.traceHash(), withAll.hash);
    const names = lib.taskStateNames();
    const counts = sim.taskStateCounts();
    assert.equal(counts.length, names.length + 1);
    const running = counts[names.indexOf('TASK_RUNNING')];
    assert.equal(counts.reduce((a, b) => a + b, 0), 6, 'every task counted once');
    assert.equal(counts[names.indexOf('TASK_UNREACHABLE')], 2);
    assert.equal(counts[names.indexOf('TASK_KILLED')], 1);
    assert.equal(running, 3);
    assert.throws(() => sim.drainEvents({ messages: 'no' }), TypeError);
  });
});
