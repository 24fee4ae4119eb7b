// The Lab's clock: play and pause, the speed (a log slider snapped to friendly values), seeking,
// stepping to the next event or verdict, playing up to a moment (a story beat), and the
// animation-frame loop that moves the runs while playing (a frame's work is bounded: a big
// cluster plays slower rather than freezing the page). It moves the model (LabState) and tells
// the Lab through its hooks; the only DOM it touches is the transport bar.
import { $ } from '../dom.js';
import { clamp, speedLabel } from '../util.js';

/** Friendly speeds the slider snaps to (simulated ms per real ms). */
export const SPEEDS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 3000, 6000, 10000];
/** The slowest speed (0.1 simulated s per real s). */
export const SPEED_MIN = 0.1;
/** The fastest speed (10,000×). */
export const SPEED_MAX = 10000;

/** The speed at a slider position (0–1000 on a log scale from 0.1× to 10,000×), snapped. */
export function speedFromSlider(v) {
  const raw = Math.pow(10, -1 + (Number(v) / 1000) * 5);
  let best = SPEEDS[0];
  for (const s of SPEEDS) if (Math.abs(Math.log(s / raw)) < Math.abs(Math.log(best / raw))) best = s;
  return best;
}

/** The slider position (0–1000) nearest to a speed. */
export function sliderFromSpeed(x) {
  return clamp(Math.round(((Math.log10(x) + 1) / 5) * 1000), 0, 1000);
}

/** The Lab's clock (see the top of this file). */
export class Clock {
  /**
   * @param state the LabState it moves
   * @param hooks — {
   *   onPause()           — the clock stopped: settle the log, update the link,
   *   onSettle()          — the time or speed was set by hand: update the link,
   *   onFrame(wall, moved) → false when the Lab is hidden (nothing drawn),
   *   select(agentName)   — show the agent of a verdict,
   *   say(msg)            — a short message to the reader }
   */
  constructor(state, hooks) {
    this.state = state;
    this.hooks = hooks;
    this.playing = false;
    this.speed = 30;
    /** Frame timings while `record` is set (tests and benchmarks). */
    this.perf = { frames: [], record: false };
    /** Where playing stops by itself (a story beat), with what to call then. */
    this.stopAt = null;
    this.onStop = null;
    /** The time Step → is going to (the Lab captions what happened there). */
    this.stepTarget = null;
    /** A jump to the next verdict waits for the judge. */
    this.verdictWanted = false;
    this.lastWall = performance.now();
    this.frame = this.frame.bind(this);
  }

  /** Wires the transport bar and starts the frame loop. */
  start() {
    $('#play-btn').addEventListener('click', () => this.setPlaying(!this.playing));
    $('#step-btn').addEventListener('click', () => this.stepToNextEvent());
    $('#verdict-btn').addEventListener('click', () => this.nextVerdict());
    $('#restart-btn').addEventListener('click', () => this.restart());
    const sp = $('#speed');
    sp.addEventListener('input', () => this.setSpeed(speedFromSlider(sp.value)));
    sp.addEventListener('change', () => this.hooks.onSettle());
    this.setSpeed(this.speed);
    const scr = $('#scrubber');
    // Coalesce scrubbing to one seek per frame (a backwards seek re-simulates from 0).
    let scrubRaf = 0;
    scr.addEventListener('input', () => {
      if (scrubRaf) return;
      scrubRaf = requestAnimationFrame(() => {
        scrubRaf = 0;
        this.seek((Number(scr.value) / 1000) * this.state.duration);
      });
    });
    scr.addEventListener('change', () => this.hooks.onSettle());
    scr.addEventListener('pointerdown', () => this.setPlaying(false));
    requestAnimationFrame(this.frame);
  }

  /** Moves to t (`live`: the events on the way animate); the Lab hears it when it is there. */
  seek(t, { live = false } = {}) {
    this.state.seek(t, { live });
  }

  /** Pauses, moves to t and updates the link (a jump asked for by the reader). */
  seekTo(t) {
    this.setPlaying(false);
    this.seek(t);
    this.hooks.onSettle();
  }

  setPlaying(on) {
    if (on && this.state.t >= this.state.duration) this.seek(0);
    if (!on) { this.stopAt = null; this.onStop = null; }
    this.playing = on;
    const b = $('#play-btn');
    b.textContent = on ? '❚❚' : '▶';
    b.setAttribute('aria-label', on ? 'Pause' : 'Play');
    if (!on) this.hooks.onPause();
  }

  /** Stops without the side effects of a pause (a new scenario is being loaded). */
  halt() {
    if (this.playing) {
      this.playing = false;
      $('#play-btn').textContent = '▶';
      $('#play-btn').setAttribute('aria-label', 'Play');
    }
  }

  setSpeed(x) {
    this.speed = clamp(Number(x) || 1, SPEED_MIN, SPEED_MAX);
    const slider = $('#speed');
    slider.value = String(sliderFromSpeed(this.speed));
    const out = $('#speed-out');
    out.textContent = speedLabel(this.speed);
    out.title = `${this.speed}× real time`;
    slider.setAttribute('aria-valuetext', `${speedLabel(this.speed)} (${this.speed}×)`);
  }

  /** Plays from now to t, then pauses and calls onArrive (a story beat's moment). */
  playTo(t, onArrive) {
    this.setPlaying(true);
    this.stopAt = t;
    this.onStop = onArrive;
  }

  stepToNextEvent() {
    this.setPlaying(false);
    const next = this.state.nextEventTime();
    if (!Number.isFinite(next) || next > this.state.duration) { this.hooks.say('No more events before the end of the run.'); return; }
    this.stepTarget = next;
    this.seek(next, { live: true });
    this.hooks.onSettle();
  }

  /** Jumps to the next verdict of any run (after the judge has them). */
  nextVerdict() {
    const v = this.state.nextVerdict();
    if (v === undefined) {
      this.setPlaying(false);
      this.verdictWanted = true;
      this.hooks.say('Judging the run to its end: the jump follows as soon as it is done.');
      return;
    }
    this.verdictWanted = false;
    if (!v) { this.setPlaying(false); this.hooks.say('No verdict after this point: no agent is marked unreachable or removed before the end.'); return; }
    this.showVerdict(v);
  }

  /** The runs were judged: a jump to the next verdict that waited goes now. */
  judged() {
    if (this.verdictWanted && !this.state.judging) this.nextVerdict();
  }

  /** Pauses at a verdict and selects its agent. */
  showVerdict(v) {
    this.setPlaying(false);
    this.seek(v.t);
    this.hooks.select(v.agent);
    this.hooks.onSettle();
  }

  restart() {
    this.setPlaying(false);
    this.seek(0);
    this.hooks.onSettle();
  }

  frame(wall) {
    const start = performance.now();
    const dt = Math.min(100, Math.max(0, wall - this.lastWall));
    this.lastWall = wall;
    const moved = this.playing;
    if (this.playing) {
      let t = Math.min(this.state.t + dt * this.speed, this.state.duration);
      if (this.stopAt !== null) t = Math.min(t, this.stopAt);
      const reached = this.state.play(t);
      /** True while a frame cannot keep up with the speed (a big cluster). */
      this.lagging = reached < t;
      if (this.stopAt !== null && reached >= this.stopAt) {
        const cb = this.onStop;
        this.setPlaying(false);
        cb?.();
      } else if (reached >= this.state.duration) this.setPlaying(false);
    }
    if (this.hooks.onFrame(wall, moved) && this.perf.record) {
      this.perf.frames.push({ work: performance.now() - start, wall, late: start - wall });
    }
    requestAnimationFrame(this.frame);
  }
}
