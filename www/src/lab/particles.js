// Messages travelling along the links of one run's cluster view: each live message (a ping, a
// pong, a registration, a dropped one dying half-way) moves from sender to receiver over at
// least VIS_MS of wall time; beyond AGG_LIMIT in flight they are aggregated into per-agent ticks
// and a message rate.
const TAU = Math.PI * 2;
const VIS_MS = 650; // minimum on-screen travel time of a message (wall ms)
const DEATH_MS = 420; // how long a dropped message's burst lasts
/** More messages in flight than this are aggregated. */
export const AGG_LIMIT = 500; // more particles than this: aggregate
/** Grid cells smaller than this (CSS px) get no per-agent activity tick: it would be smaller
 *  than a cell's ring and cover its neighbours (level of detail; the rate still shows). */
export const LEGIBLE_CELL = 8;

/** Messages travelling along links for one run. */
export class Particles {
  constructor() {
    this.list = [];
    this.activity = null; // Float64Array wall time of last aggregated message per agent
    this.dropActivity = null;
    this.overflowWall = -1e9;
    this.rateCount = 0; this.rateWall = 0; this.rate = 0;
    /** What the last frame drew: messages, and activity ticks (tests read them). */
    this.drawn = 0; this.ticks = 0;
  }
  /** Forgets every message in flight (a jump in time); n agents. */
  reset(n) {
    this.list.length = 0;
    this.activity = new Float64Array(n).fill(-1e9);
    this.dropActivity = new Float64Array(n).fill(-1e9);
    this.overflowWall = -1e9;
  }
  /** A message (a trace `message` event) sent now by or to agent i. */
  add(i, ev, wallNow) {
    this.rateCount++;
    if (this.list.length < AGG_LIMIT) {
      this.list.push({ agent: i, kind: ev.message, fromMaster: ev.from === 'master', connected: ev.connected, dropped: !!ev.dropped, sent: ev.t, wall0: wallNow });
      return;
    }
    // aggregated: only when each agent last sent (no object per message)
    this.overflowWall = wallNow;
    if (this.activity && i < this.activity.length) {
      if (ev.dropped) this.dropActivity[i] = wallNow; else this.activity[i] = wallNow;
    }
  }
  /** Updates the messages-per-second rate shown while aggregated (once a second). */
  tickRate(wallNow) {
    if (wallNow - this.rateWall >= 1000) {
      this.rate = this.rateCount * 1000 / Math.max(1, wallNow - this.rateWall);
      this.rateCount = 0; this.rateWall = wallNow;
    }
  }
  /** True while messages arrive faster than they can be drawn one by one. */
  get aggregated() { return performance.now() - this.overflowWall < 800; }

  /**
   * Draws the messages in flight on `view` (a ClusterView, for its layout and lanes) at the
   * run's time, and forgets the ones that arrived.
   */
  draw(view, ctx, run, pal, wallNow) {
    const now = run.snap.now;
    const ring = view.mode === 'ring';
    const lat = Math.max(run.params.latencyMs, 1e-6);
    const sz = ring ? (view.compact ? 2.6 : 3.4) : 1.8;
    const alive = [];
    const pings = new Path2D(), pingsOff = new Path2D(), pongs = new Path2D(), regs = new Path2D(), other = new Path2D(), deaths = new Path2D();
    let anyDeath = false;
    for (const p of this.list) {
      if (p.agent >= view.n) continue;
      const simP = (now - p.sent) / lat;
      const wallP = (wallNow - p.wall0) / VIS_MS;
      let prog = Math.max(0, Math.min(simP, wallP));
      const [x0, y0, x1, y1] = view.lane(p.agent, p.fromMaster ? 1 : -1);
      const fx = p.fromMaster ? x0 : x1, fy = p.fromMaster ? y0 : y1;
      const tx = p.fromMaster ? x1 : x0, ty = p.fromMaster ? y1 : y0;
      if (p.dropped) {
        const dieAt = 0.55;
        if (prog >= dieAt) {
          if (p.deathWall === undefined) p.deathWall = wallNow;
          const age = (wallNow - p.deathWall) / DEATH_MS;
          if (age >= 1) continue;
          const x = fx + (tx - fx) * dieAt, y = fy + (ty - fy) * dieAt;
          const s = ring ? sz + 3 + age * 5 : sz + 0.5 + age * 2;
          deaths.moveTo(x - s, y - s); deaths.lineTo(x + s, y + s);
          deaths.moveTo(x + s, y - s); deaths.lineTo(x - s, y + s);
          anyDeath = true;
          alive.push(p);
          continue;
        }
      } else if (prog >= 1) continue;
      alive.push(p);
      const x = fx + (tx - fx) * prog, y = fy + (ty - fy) * prog;
      switch (p.kind) {
        case 'PingSlaveMessage':
          if (p.connected === false) { pingsOff.moveTo(x + sz, y); pingsOff.arc(x, y, sz, 0, TAU); }
          else { pings.moveTo(x + sz, y); pings.arc(x, y, sz, 0, TAU); }
          break;
        case 'PongSlaveMessage':
          pongs.moveTo(x, y - sz * 1.2); pongs.lineTo(x + sz * 1.2, y); pongs.lineTo(x, y + sz * 1.2); pongs.lineTo(x - sz * 1.2, y); pongs.closePath();
          break;
        case 'RegisterSlaveMessage': case 'ReregisterSlaveMessage': case 'SlaveRegisteredMessage': case 'SlaveReregisteredMessage':
          regs.rect(x - sz, y - sz, sz * 2, sz * 2);
          break;
        default:
          other.rect(x - sz, y - sz, sz * 2, sz * 2);
      }
    }
    this.list = alive;
    this.drawn = alive.length;
    if (this.aggregated) ctx.globalAlpha = 0.45;
    ctx.fillStyle = pal.ink; ctx.fill(pings);
    ctx.fillStyle = pal.muted; ctx.fill(pongs);
    ctx.fillStyle = pal.views.recovered; ctx.fill(regs);
    ctx.fillStyle = pal.views.removed; ctx.fill(other);
    ctx.fillStyle = pal.surface; ctx.fill(pingsOff);
    ctx.strokeStyle = pal.views.disconnected; ctx.lineWidth = ring ? 1.8 : 1; ctx.stroke(pingsOff);
    ctx.globalAlpha = 1;
    if (anyDeath) { ctx.strokeStyle = pal.views.unreachable; ctx.lineWidth = ring ? 2 : 1.2; ctx.stroke(deaths); }
    this._drawActivity(view, ctx, pal, wallNow);
  }

  /** When aggregated: a short tick on the node's inner side for each agent that just sent
   *  (where it is legible: see LEGIBLE_CELL). */
  _drawActivity(view, ctx, pal, wallNow) {
    this.ticks = 0;
    if (view.mode === 'grid' && view.cell < LEGIBLE_CELL) return;
    if (this.activity && this.aggregated) {
      const act = new Path2D(), dead = new Path2D();
      let anyA = false, anyD = false;
      for (let i = 0; i < view.n; i++) {
        const a = view.ang[i];
        const x = view.xs[i] - Math.cos(a) * (view.r + 3), y = view.ys[i] - Math.sin(a) * (view.r + 3);
        if (wallNow - this.activity[i] < 500) { act.moveTo(x + 1.6, y); act.arc(x, y, 1.6, 0, TAU); anyA = true; this.ticks++; }
        if (wallNow - this.dropActivity[i] < 700) { dead.moveTo(x + 2, y); dead.arc(x, y, 2, 0, TAU); anyD = true; }
      }
      if (anyA) { ctx.fillStyle = pal.ink; ctx.globalAlpha = 0.6; ctx.fill(act); ctx.globalAlpha = 1; }
      if (anyD) { ctx.fillStyle = pal.views.unreachable; ctx.fill(dead); }
    }
  }
}


