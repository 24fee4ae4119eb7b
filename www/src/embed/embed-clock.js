// A <liveness-lab> element's clock: playing at a speed, seeking, stepping to the next event or
// verdict, and its own animation-frame loop. The page's clock (lab/clock.js) drives the page's
// transport bar and runs for ever; an element's must stop when the element leaves the page, and
// each element has its own. Its speeds are the page's (SPEED_MIN..SPEED_MAX).
import { SPEED_MIN, SPEED_MAX } from '../lab/clock.js';
import { clamp } from '../util.js';

/** The speed of an element that does not say (simulated ms per real ms), as the page's. */
export const DEFAULT_SPEED = 30;

/** One element's clock over its LabState (see the top of this file). */
export class EmbedClock {
  /**
   * @param state the element's LabState
   * @param onFrame (wall, moved) — draw; `moved` when the clock advanced the runs this frame
   */
  constructor(state, onFrame) {
    this.state = state;
    this.onFrame = onFrame;
    this.playing = false;
    this.speed = DEFAULT_SPEED;
    this.raf = 0;
    this.lastWall = 0;
    this.tick = this.tick.bind(this);
  }

  /** Starts the frame loop (the element is on the page). */
  start() {
    if (this.raf) return;
    this.lastWall = performance.now();
    this.raf = requestAnimationFrame(this.tick);
  }

  /** Stops the loop and pauses (the element left the page). */
  stop() {
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.playing = false;
  }

  setSpeed(x) { this.speed = clamp(Number(x) || DEFAULT_SPEED, SPEED_MIN, SPEED_MAX); }

  /** Plays or pauses; playing at the end starts again from 0. */
  setPlaying(on) {
    if (on && this.state.t >= this.state.duration) this.state.seek(0);
    this.playing = on;
  }

  /** Pauses and moves to t (clamped to the run). */
  seekTo(t) {
    this.playing = false;
    this.state.seek(clamp(Number(t) || 0, 0, this.state.duration));
  }

  /** Pauses at the next event of any run; false when there is none before the end. */
  stepToNextEvent() {
    this.playing = false;
    const next = this.state.nextEventTime();
    if (!Number.isFinite(next) || next > this.state.duration) return false;
    this.state.seek(next, { live: true });
    return true;
  }

  /** Pauses at the next verdict (an agent marked unreachable or removed); returns it, or null. */
  nextVerdict() {
    this.playing = false;
    const v = this.state.nextVerdict();
    if (v) this.state.seek(v.t);
    return v;
  }

  tick(wall) {
    const dt = clamp(wall - this.lastWall, 0, 100);
    this.lastWall = wall;
    const moved = this.playing;
    if (moved) {
      const end = this.state.duration;
      const t = Math.min(this.state.t + dt * this.speed, end);
      this.state.play(t);
      if (t >= end) this.playing = false;
    }
    this.onFrame(wall, moved);
    this.raf = requestAnimationFrame(this.tick);
  }
}
