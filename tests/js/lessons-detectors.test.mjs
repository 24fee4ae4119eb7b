// The detector lessons (www/src/lab/lessons-detectors.js) computed from runs judged here: every
// beat of each lesson has a moment inside the run, in story order, a caption with no hole in it,
// and a question whose answer is one of its options; and a variation (a shorter Kubernetes
// grace period) changes what the captions say. The browser side is tests/e2e/lessons-detectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib as pkg } from './helpers.mjs';
import { libFrom } from '../../www/src/engine.js';
import { Run } from '../../www/src/lab/run.js';
import { Judge } from '../../www/src/lab/judge.js';
import { runFacts } from '../../www/src/lab/facts.js';
import { DETECTOR_LESSONS } from '../../www/src/lab/lessons-detectors.js';
import { LESSONS } from '../../www/src/lab/lessons.js';

const lib = libFrom(pkg);
const preset = (name) => pkg.presets().find((p) => p.name === name).scenario;

/** The facts of `scenario` judged to its end, watching `agent`. */
function factsOf(scenario, agent) {
  const run = new Run(lib, scenario);
  const judge = new Judge(lib, scenario, [agent]);
  judge.step();
  run.digest = judge.result();
  judge.free();
  return runFacts(run);
}

/** The facts of a beat: the lesson's run, or one per compared value. */
function beatFacts(scenario, agent, beat) {
  if (!beat.vary) return [factsOf(scenario, agent)];
  return beat.vary.values.map((v) => factsOf({ ...scenario, [beat.vary.path]: v }, agent));
}

/** What a caption with a missing fact shows (`when()` of nothing is an em dash). */
const HOLES = /undefined|NaN|\bnull\b|\[object|(at|since|by|from|to) —/;

for (const [name, lesson] of Object.entries(DETECTOR_LESSONS)) {
  test(`the ${name} lesson: every beat in the run, in order, with a whole caption and an answerable question`, () => {
    assert.equal(LESSONS[name], lesson, 'registered with the other lessons');
    const scenario = preset(name);
    let previous = 0;
    for (const beat of lesson.beats) {
      const all = beatFacts(scenario, lesson.agent, beat);
      const f = all[0];
      const at = beat.at(f, all);
      assert.ok(Number.isInteger(at) && at >= previous && at <= f.end, `${beat.title}: ${at} after ${previous}`);
      previous = at;
      assert.doesNotMatch(beat.caption(f, all), HOLES, beat.title);
      if (beat.question) {
        const ids = beat.question.options(f, all).map((o) => o.id);
        assert.ok(ids.includes(beat.question.answer(f, all)), `${beat.title}: answer among ${ids}`);
        assert.doesNotMatch(beat.question.explain(f, all), HOLES, beat.title);
      }
    }
    const f = factsOf(scenario, lesson.agent);
    for (const line of [...lesson.watch(f), ...lesson.tryNext(f)]) assert.doesNotMatch(line, HOLES);
  });
}

test('a variation reads true: with a 20 s grace period node-2’s 30 s partition is marked, and the question quotes 20secs', () => {
  const scenario = { ...preset('kubernetes'), kubernetes: { node_monitor_grace_period: '20secs' } };
  const lesson = DETECTOR_LESSONS.kubernetes;
  const f = factsOf(scenario, lesson.agent);
  const q = lesson.beats.find((b) => b.question).question;
  assert.match(q.options(f, [f]).find((o) => o.id === 'grace').text, /node_monitor_grace_period \(20secs\)/);
  assert.equal(q.answer(f, [f]), 'grace');
  const last = lesson.beats.at(-1).caption(f, [f]);
  assert.match(last, /node-2 is marked failed at 03:\d\d\.\d+ \(lease_expired\)/);
  const base = factsOf(preset('kubernetes'), lesson.agent);
  assert.match(lesson.beats.at(-1).caption(base, [base]), /node-2 is never marked/);
});
