// A <liveness-lab> element's clock (www/src/embed/embed-clock.js) over the Lab's model on the real
// engine: seeking, stepping to the next event, jumping to the next verdict, playing frame by frame
// at its speed, and two clocks over two models never moving each other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib as pkg } from './helpers.mjs';
import { libFrom } from '../../www/src/engine.js';
import { LabState } from '../../www/src/lab/state.js';
import { EmbedClock, DEFAULT_SPEED } from '../../www/src/embed/embed-clock.js';

const lib = libFrom(pkg);
// Node has no animation frames: the tests call tick() themselves.
globalThis.requestAnimationFrame ??= () => 1;
globalThis.cancelAnimationFrame ??= () => {};

/** A clock over a fresh model of `preset`, with the frames it drew; freed after the test. */
function clockOf(t, preset) {
  const state = new LabState(lib, {});
  t.after(() => { for (const r of state.runs) r.free(); });
  assert.equal(state.loadPreset(preset), null);
  const frames = [];
  return { state, frames, clock: new EmbedClock(state, (wall, moved) => frames.push({ wall, moved, t: state.t })) };
}

test('seekTo pauses and clamps; the speed is clamped to the page\'s range', (t) => {
  const { state, clock } = clockOf(t, 'stuck-recovery');
  clock.playing = true;
  clock.seekTo(600000);
  assert.equal(clock.playing, false);
  assert.equal(state.t, 600000);
  clock.seekTo(99 * 3_600_000);
  assert.equal(state.t, state.duration);
  clock.seekTo(-5);
  assert.equal(state.t, 0);
  assert.equal(clock.speed, DEFAULT_SPEED);
  clock.setSpeed(1e9);
  assert.equal(clock.speed, 10000);
  clock.setSpeed(0.001);
  assert.equal(clock.speed, 0.1);
});

test('stuck-recovery under mesos-1.2: the next verdict is agent-1 at 11:00.001; none after it', (t) => {
  const { state, clock } = clockOf(t, 'stuck-recovery');
  clock.seekTo(600000);
  const v = clock.nextVerdict();
  assert.deepEqual([v.agent, v.event, v.t], ['agent-1', 'agent_marked_unreachable', 660001]);
  assert.equal(state.t, 660001);
  assert.equal(clock.nextVerdict(), null);
  assert.equal(state.t, 660001, 'no verdict: the time stays');
});

test('stepToNextEvent moves to the next event of the run, and says when there is none', (t) => {
  const { state, clock } = clockOf(t, 'stuck-recovery');
  const next = state.nextEventTime();
  assert.ok(next > 0 && Number.isFinite(next));
  assert.equal(clock.stepToNextEvent(), true);
  assert.equal(state.t, next);
  clock.seekTo(state.duration);
  assert.equal(clock.stepToNextEvent(), false);
});

test('frames advance by wall time × speed (at most 100 ms a frame) and stop at the end', (t) => {
  const { state, clock, frames } = clockOf(t, 'stuck-recovery');
  clock.setSpeed(60);
  clock.setPlaying(true);
  clock.lastWall = 1000;
  clock.tick(1016);
  assert.equal(state.t, 16 * 60);
  clock.tick(5000); // a long stall counts as 100 ms
  assert.equal(state.t, 16 * 60 + 100 * 60);
  clock.seekTo(state.duration - 10);
  clock.setPlaying(true);
  clock.tick(5016);
  assert.equal(state.t, state.duration);
  assert.equal(clock.playing, false);
  assert.deepEqual(frames.map((f) => f.moved), [true, true, true]);
  // Playing at the end starts again from 0.
  clock.setPlaying(true);
  assert.equal(state.t, 0);
});

test('two clocks over two models do not move each other', (t) => {
  const a = clockOf(t, 'stuck-recovery');
  const b = clockOf(t, 'partition');
  a.clock.seekTo(600000);
  b.clock.stepToNextEvent();
  const bt = b.state.t;
  a.clock.nextVerdict();
  assert.equal(a.state.t, 660001);
  assert.equal(b.state.t, bt);
  assert.notEqual(a.state.primary.sim, b.state.primary.sim);
});
