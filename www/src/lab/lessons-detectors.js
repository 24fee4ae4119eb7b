// The lessons of the other failure detectors' presets (issue 14): Kubernetes, Nomad,
// memberlist, phi accrual, and the hung agent under all five. Each says the system's signal
// and decision in the engine's own words (detectorInfo()), stops at the moments that matter in
// the run shown (the last heartbeat, the verdict, the taint, the eviction, the suspicion, …) and
// asks one question — every time and count computed from the run (facts.js), no default typed
// here. No DOM; lessons.js registers them and story.js plays them.
import { when, span, units, statusWords } from './facts.js';
import { detectorWords, gaugeAt } from './engine-facts.js';
import { DETECTORS } from '../detectors.js';

const SEC = 1000;
const MIN = 60 * SEC;
const clampT = (f, t) => Math.max(0, Math.min(f.end, Math.round(t)));

/** "The kubelet renews its Lease; the node lifecycle controller: …" (the engine's words). */
function systemSentence(name) {
  const w = detectorWords(name);
  return w ? `Signal: ${w.signal}. Decision: ${w.decision}.` : '';
}

/** The last message `kind` between `agent` and its control plane that got through, at or before t. */
function lastMessage(f, agent, kind, t) {
  const list = f.eventsOf(agent, 'message', (e) => e.message === kind && !e.dropped && e.t <= t);
  return list.at(-1) ?? null;
}

/** The mean gap between an agent's messages `kind` before t (its heartbeat interval as run), or null. */
function meanGap(f, agent, kind, t) {
  const ts = f.eventsOf(agent, 'message', (e) => e.message === kind && !e.dropped && e.t <= t).map((e) => e.t);
  if (ts.length < 3) return null;
  return (ts.at(-1) - ts[0]) / (ts.length - 1);
}

/** The first node_status of `agent` whose status starts with `prefix`, at or after `after`. */
const status = (f, agent, prefix, after = 0) => f.eventsOf(agent, 'node_status', (e) => e.t >= after && String(e.status).startsWith(prefix))[0] ?? null;

/** The agent's task updates with `reason`. */
const tasksWith = (f, agent, reason) => f.eventsOf(agent, 'task_status', (e) => e.reason === reason);

/** "agent-1 is marked at 11:00.001 (lease_expired)", or "never marked before 12:00". */
function markSentence(f, agent) {
  const v = f.verdict(agent);
  return v ? `${agent} is marked failed at ${when(v.t)} (${v.cause})` : `${agent} is never marked before the end of the run (${when(f.end)})`;
}

/** A beat about the agents the preset leaves hung or briefly cut off: what the detector did. */
function othersBeat(f, hung, cut) {
  const h = f.fault('restart_agent', hung);
  const p = f.fault('partition', cut);
  const heal = f.fault('heal', cut);
  const parts = [];
  if (h) parts.push(`${hung} restarted at ${when(h.t)} and its main loop hangs, but its heartbeat path keeps going: ${markSentence(f, hung)}.`);
  if (p) parts.push(`${cut} was cut off at ${when(p.t)}${heal ? ` for ${span(heal.t - p.t)}` : ''}: ${markSentence(f, cut)}.`);
  return parts.join(' ');
}

// ---------------------------------------------------------------- kubernetes

const K8S = 'node-1';
const k8sCrash = (f) => f.fault('crash_agent', K8S);
const k8sLast = (f) => lastMessage(f, K8S, 'LeaseUpdate', k8sCrash(f)?.t ?? f.end);
const k8sTaint = (f) => status(f, K8S, 'Unknown, tainted', f.verdict(K8S)?.t ?? 0);
const k8sEvicted = (f) => tasksWith(f, K8S, 'taint_eviction');
/** node_monitor_grace_period as the run has it (the engine's lease-age gauge limit). */
const k8sGrace = (f) => gaugeAt(f.run, K8S, k8sCrash(f)?.t ?? 0)?.limit ?? null;

const kubernetes = {
  agent: K8S,
  beats: [
    {
      title: 'The kubelet renews its lease',
      at: (f) => clampT(f, (k8sCrash(f)?.t ?? MIN) + 2 * SEC),
      from: (f) => clampT(f, (k8sCrash(f)?.t ?? MIN) - 25 * SEC),
      caption: (f) => {
        const c = k8sCrash(f);
        const last = k8sLast(f);
        const gap = meanGap(f, K8S, 'LeaseUpdate', c?.t ?? f.end);
        return `${systemSentence('kubernetes')} ${gap ? `${K8S}'s kubelet renewed its Lease about every ${span(gap)}. ` : ''}${c ? `Its last renewal went out at ${when(last?.t)}; at ${when(c.t)} the kubelet crashes (its containers keep running).` : `${K8S} does not crash in this variation.`}`;
      },
    },
    {
      title: 'Predict: when is the node Unknown?',
      at: (f) => clampT(f, (k8sCrash(f)?.t ?? MIN) + 10 * SEC),
      caption: () => `No renewal comes from ${K8S} any more. When does the node lifecycle controller flip its Ready condition to Unknown?`,
      question: {
        options: (f) => {
          const last = k8sLast(f)?.t ?? 0;
          const grace = k8sGrace(f);
          return [
            { id: 'one', text: 'At its first pass after a missed renewal' },
            { id: 'grace', text: grace ? `At the first pass more than node_monitor_grace_period (${units(grace)}) after the last renewal, around ${when(last + grace)}` : 'At the first pass after node_monitor_grace_period without a renewal' },
            { id: 'never', text: 'Never: its pods are still running' },
          ];
        },
        answer: (f) => {
          const v = f.verdict(K8S);
          const grace = k8sGrace(f);
          if (!v) return 'never';
          return grace && v.t - (k8sLast(f)?.t ?? 0) >= grace ? 'grace' : 'one';
        },
        explain: (f) => {
          const v = f.verdict(K8S);
          const last = k8sLast(f);
          return v ? `Ready → Unknown at ${when(v.t)}, ${span(v.t - (last?.t ?? 0))} after the last renewal at ${when(last?.t)}: the controller only notes progress at its passes and waits out the grace period${v.message ? ` (“${v.message}”)` : ''}.` : `${markSentence(f, K8S)}.`;
        },
      },
    },
    {
      title: 'Ready → Unknown',
      at: (f) => clampT(f, (f.verdict(K8S)?.t ?? f.end - MIN) + SEC),
      caption: (f) => {
        const v = f.verdict(K8S);
        const last = k8sLast(f);
        return v ? `At ${when(v.t)} a monitor pass finds no progress since ${when(last?.t)} — ${span(v.t - (last?.t ?? 0))} — and sets Ready to Unknown (${v.cause}): ${K8S}'s ring turns red. Its pods are not touched yet.` : `${markSentence(f, K8S)}.`;
      },
    },
    {
      title: 'Tainted unreachable:NoExecute',
      at: (f) => clampT(f, (k8sTaint(f)?.t ?? f.end - MIN) + SEC),
      caption: (f) => {
        const tn = k8sTaint(f);
        const v = f.verdict(K8S);
        return tn ? `At ${when(tn.t)}${v ? `, ${span(tn.t - v.t)} after Unknown` : ''}, the next pass takes ${K8S} off its zone's rate-limited queue and taints it unreachable:NoExecute. Every pod tolerates that taint for default_toleration_seconds, counted from now.` : `${K8S} is never tainted in this run.`;
      },
    },
    {
      title: 'Pods deleted',
      at: (f) => clampT(f, (k8sEvicted(f)[0]?.t ?? f.end - MIN) + 2 * SEC),
      caption: (f) => {
        const ev = k8sEvicted(f);
        const tn = k8sTaint(f);
        const c = k8sCrash(f);
        return ev.length ? `At ${when(ev[0].t)}, ${span(ev[0].t - (tn?.t ?? 0))} after the taint, the taint eviction controller deletes ${ev.length} pod${ev.length > 1 ? 's' : ''}: ${statusWords(ev)} (taint_eviction).${c ? ` Only now, ${span(ev[0].t - c.t)} after the crash, can their controllers replace them elsewhere.` : ''}` : `No pod of ${K8S} is deleted before ${when(f.end)}.`;
      },
    },
    {
      title: 'What Kubernetes does not see',
      at: (f) => clampT(f, f.end - 30 * SEC),
      caption: (f) => `${othersBeat(f, 'node-3', 'node-2')} A partition shorter than the grace period costs nothing; a hung kubelet whose lease goroutine renews stays Ready for ever (compare the MESOS-6286 lesson).`,
    },
  ],
  watch: (f) => [
    `${K8S}'s lease age grows from its last renewal${k8sLast(f) ? ` at ${when(k8sLast(f).t)}` : ''} (the inspector's meter, against node_monitor_grace_period).`,
    `${markSentence(f, K8S)}; tainted ${k8sTaint(f) ? `at ${when(k8sTaint(f).t)}` : 'never'}; pods deleted ${k8sEvicted(f)[0] ? `at ${when(k8sEvicted(f)[0].t)}` : 'never'}.`,
    `${markSentence(f, 'node-3')}: its lease goroutine keeps renewing.`,
  ],
  tryNext: () => [
    'Compare by setting: Kubernetes default_toleration_seconds = 30, 120, 300 — the deletion moves, the Unknown does not.',
    'Compare by setting: Kubernetes node_monitor_grace_period = 20secs, 40secs, 50secs — with 20secs node-2’s 30-second partition is marked too.',
    'Open the “hung agent under five detectors” lesson: only Mesos 1.2 catches node-3’s case.',
  ],
};

// ---------------------------------------------------------------- nomad

const NOMAD = 'client-1';
const nomadCrash = (f) => f.fault('crash_agent', NOMAD);
const nomadLast = (f) => lastMessage(f, NOMAD, 'Node.UpdateStatus', nomadCrash(f)?.t ?? f.end);
const nomadLost = (f) => tasksWith(f, NOMAD, 'node_down');

const nomad = {
  agent: NOMAD,
  beats: [
    {
      title: 'Heartbeats within a TTL',
      at: (f) => clampT(f, (nomadCrash(f)?.t ?? MIN) + SEC),
      from: (f) => clampT(f, (nomadCrash(f)?.t ?? MIN) - 30 * SEC),
      caption: (f) => {
        const c = nomadCrash(f);
        const last = nomadLast(f);
        return `${systemSentence('nomad')} Each answer gives the client a new TTL; the leader arms a timer for TTL + heartbeat_grace. ${c ? `${NOMAD}'s last heartbeat went out at ${when(last?.t)}; at ${when(c.t)} the client crashes (its allocations keep running).` : `${NOMAD} does not crash in this variation.`}`;
      },
    },
    {
      title: 'Predict: when is it down?',
      at: (f) => clampT(f, (nomadCrash(f)?.t ?? MIN) + 5 * SEC),
      caption: () => `${NOMAD} sends no more heartbeats. When does the leader mark it down?`,
      question: {
        options: (f) => {
          const last = nomadLast(f)?.t ?? 0;
          return [
            { id: 'rpc', text: 'At once: the next heartbeat RPC fails' },
            { id: 'ttl', text: `When its heartbeat timer (TTL + grace) fires, some seconds after ${when(last)}` },
            { id: 'never', text: 'Never: Nomad waits for the operator' },
          ];
        },
        answer: (f) => (f.verdict(NOMAD) ? (f.verdict(NOMAD).t - (nomadLast(f)?.t ?? 0) > 5 * SEC ? 'ttl' : 'rpc') : 'never'),
        explain: (f) => {
          const v = f.verdict(NOMAD);
          const last = nomadLast(f);
          const timer = gaugeAt(f.run, NOMAD, (nomadCrash(f)?.t ?? 0) + SEC)?.limit;
          return v ? `The leader's timer for ${NOMAD}${timer ? `, armed for ${span(timer)} (TTL + heartbeat_grace) at its last heartbeat,` : ''} fires at ${when(v.t)}, ${span(v.t - (last?.t ?? 0))} after that heartbeat at ${when(last?.t)} (${v.cause}${v.message ? `: “${v.message}”` : ''}). The TTL is drawn afresh with each heartbeat, so the same crash a little later gives another time.` : `${markSentence(f, NOMAD)}.`;
        },
      },
    },
    {
      title: 'Down: allocations lost',
      at: (f) => clampT(f, (f.verdict(NOMAD)?.t ?? f.end - MIN) + 2 * SEC),
      caption: (f) => {
        const v = f.verdict(NOMAD);
        const lost = nomadLost(f);
        return v ? `At ${when(v.t)} ${NOMAD} is down: its ring turns red${lost.length ? ` and at once ${statusWords(lost)} (node_down): the scheduler would replace them` : ''}. Nomad's lost_after is off unless a job sets it, so there is no grace for the workload.` : `${markSentence(f, NOMAD)}.`;
      },
    },
    {
      title: 'A short partition and a hung client',
      at: (f) => clampT(f, f.end - 30 * SEC),
      caption: (f) => `${othersBeat(f, 'client-3', 'client-2')} Down costs a node its allocations even when it comes back a minute later; a client whose heartbeat goroutine runs is never down.`,
    },
  ],
  watch: (f) => [
    `${NOMAD}'s TTL counts down between heartbeats (the inspector's meter); after the crash it runs out${nomadLast(f) ? ` from ${when(nomadLast(f).t)}` : ''}.`,
    `${markSentence(f, NOMAD)}.`,
    `${markSentence(f, 'client-2')} (partition); ${markSentence(f, 'client-3')} (hung).`,
  ],
  tryNext: () => [
    'Compare by setting: Nomad heartbeat_grace = 5secs, 10secs, 30secs.',
    'Set nomad.lost_after to 5mins (Export → edit → Import): client-2’s allocations are unknown, then back, not lost.',
  ],
};

// ---------------------------------------------------------------- memberlist

const ML = 'member-3';
const mlCrash = (f) => f.fault('crash_agent', ML);
const mlSuspect = (f) => status(f, ML, 'suspect', mlCrash(f)?.t ?? 0);

const memberlist = {
  agent: ML,
  beats: [
    {
      title: 'Members probe one another',
      at: (f) => clampT(f, (mlCrash(f)?.t ?? MIN) + 100),
      from: (f) => clampT(f, (mlCrash(f)?.t ?? MIN) - 10 * SEC),
      caption: (f) => {
        const c = mlCrash(f);
        return `${systemSentence('memberlist')} There is no master: ${f.n} members each probe one member per round (a ping, then ping-reqs through others, then TCP), and the observer shows what the broadcasts say. ${c ? `At ${when(c.t)} ${ML} crashes.` : `${ML} does not crash in this variation.`}`;
      },
    },
    {
      title: 'Suspected',
      at: (f) => clampT(f, (mlSuspect(f)?.t ?? f.end - MIN) + 10),
      caption: (f) => {
        const s = mlSuspect(f);
        const c = mlCrash(f);
        const g = s ? gaugeAt(f.run, ML, s.t + 1) : null;
        return s ? `At ${when(s.t)}${c ? `, ${span(s.t - c.t)} after the crash,` : ''} a member's probe of ${ML} gets no ack, direct or indirect: it broadcasts suspect. A suspicion timer starts, between suspicion_mult × log10(n) probe intervals and suspicion_max_timeout_mult times that${g?.limit ? ` (here ${span(g.limit)} at the start)` : ''}.` : `${ML} is never suspected in this run.`;
      },
    },
    {
      title: 'Predict: when is it dead?',
      at: (f) => clampT(f, (mlSuspect(f)?.t ?? f.end - MIN) + 20),
      caption: () => `Other members' probes of ${ML} fail too, and they accuse it as well. What do their confirmations do?`,
      question: {
        options: () => [
          { id: 'shorter', text: 'They shorten the suspicion timer: dead sooner than its maximum' },
          { id: 'nothing', text: 'Nothing: the timer runs its full length' },
          { id: 'never', text: `${ML} refutes and is never dead` },
        ],
        answer: (f) => {
          const v = f.verdict(ML);
          if (!v) return 'never';
          const t = suspicionTimer(f);
          return t && t.ran < t.first - 1 ? 'shorter' : 'nothing';
        },
        explain: (f) => {
          const v = f.verdict(ML);
          const t = suspicionTimer(f);
          if (!v || !t) return `${markSentence(f, ML)}.`;
          return `The timer started at ${span(t.first)}; as other members' probes failed and they accused ${ML} too, each new accuser cut it on a log scale, down to ${span(t.last)} (never below its minimum). ${ML} is declared dead at ${when(v.t)}, ${span(t.ran)} after it was first suspected.`;
        },
      },
    },
    {
      title: 'Dead',
      at: (f) => clampT(f, (f.verdict(ML)?.t ?? f.end - MIN) + SEC),
      caption: (f) => {
        const v = f.verdict(ML);
        const c = mlCrash(f);
        return v ? `At ${when(v.t)} the suspicion timer runs out and ${ML} is declared dead (${v.cause})${c ? `, ${span(v.t - c.t)} after the crash` : ''}: the first member to declare it dead makes the verdict.` : `${markSentence(f, ML)}.`;
      },
    },
    {
      title: 'A partition and a hung member',
      at: (f) => clampT(f, f.end - 30 * SEC),
      caption: (f) => `${othersBeat(f, 'member-7', 'member-5')} A member declared dead behind a partition hears of it after the heal and refutes with a higher incarnation; a member whose memberlist goroutines ack probes is never suspected.`,
    },
  ],
  watch: (f) => [
    `${ML}'s suspicion timer (the inspector's meter) starts ${mlSuspect(f) ? `at ${when(mlSuspect(f).t)}` : 'never'} and shortens with each confirmation.`,
    `${markSentence(f, ML)}.`,
    `${markSentence(f, 'member-5')} (partition); ${markSentence(f, 'member-7')} (hung).`,
  ],
  tryNext: () => [
    'Compare by setting: memberlist suspicion_mult = 2, 4, 6.',
    'Heal member-5 sooner (its menu): does it get suspected, and does it refute in time?',
  ],
};

/** The crashed member's suspicion timer: its length when raised, the shortest length it had
 *  (the engine's gauge) and how long it ran; null without a suspicion and a verdict. */
function suspicionTimer(f) {
  const v = f.verdict(ML);
  const s = mlSuspect(f);
  if (!v || !s) return null;
  const first = gaugeAt(f.run, ML, s.t + 1)?.limit;
  // the shortest length it had while it ran (sampled: one gauge per eighth of its run)
  const lengths = [1, 2, 3, 4, 5, 6, 7].map((k) => gaugeAt(f.run, ML, Math.round(s.t + (k * (v.t - s.t)) / 8))?.limit).filter(Number.isFinite);
  const last = lengths.length ? Math.min(...lengths) : null;
  return first && last ? { first, last, ran: v.t - s.t } : null;
}

// ---------------------------------------------------------------- phi accrual

const PHI = 'node-1';
const phiCrash = (f) => f.fault('crash_agent', PHI);
const phiLast = (f) => lastMessage(f, PHI, 'HeartbeatRsp', phiCrash(f)?.t ?? f.end);
const phiDowned = (f) => tasksWith(f, PHI, 'node_downed');

const phiAccrual = {
  agent: PHI,
  beats: [
    {
      title: 'Heartbeats, intervals learned',
      at: (f) => clampT(f, (phiCrash(f)?.t ?? MIN) + 200),
      from: (f) => clampT(f, (phiCrash(f)?.t ?? MIN) - 10 * SEC),
      caption: (f) => {
        const c = phiCrash(f);
        const gap = meanGap(f, PHI, 'HeartbeatRsp', c?.t ?? f.end);
        return `${systemSentence('phi-accrual')} The monitor keeps the history of ${PHI}'s heartbeat intervals${gap ? ` (about ${span(gap)} apart)` : ''}; φ says how unlikely the silence so far is. ${c ? `Its last answer came at ${when(phiLast(f)?.t)}; at ${when(c.t)} ${PHI} crashes.` : `${PHI} does not crash in this variation.`}`;
      },
    },
    {
      title: 'Predict: when does φ cross the threshold?',
      at: (f) => clampT(f, (phiCrash(f)?.t ?? MIN) + 500),
      caption: (f) => {
        const g = gaugeAt(f.run, PHI, phiCrash(f)?.t ?? 0);
        return `${PHI} has gone silent. When is φ above the threshold${g?.limit != null ? ` (${g.limit})` : ''}, so that the next reaper tick marks it unreachable?`;
      },
      question: {
        options: (f) => {
          const last = phiLast(f)?.t ?? 0;
          const gap = meanGap(f, PHI, 'HeartbeatRsp', phiCrash(f)?.t ?? f.end);
          return [
            { id: 'one', text: gap ? `After one missed heartbeat, around ${when(last + gap)}` : 'After one missed heartbeat' },
            { id: 'pause', text: 'Only after several missed heartbeats: the acceptable pause is added to the mean interval' },
            { id: 'never', text: 'Never: φ only rises slowly' },
          ];
        },
        answer: (f) => {
          const v = f.verdict(PHI);
          const gap = meanGap(f, PHI, 'HeartbeatRsp', phiCrash(f)?.t ?? f.end) ?? 0;
          if (!v) return 'never';
          return v.t - (phiLast(f)?.t ?? 0) > 2 * gap ? 'pause' : 'one';
        },
        explain: (f) => {
          const v = f.verdict(PHI);
          const last = phiLast(f);
          return v ? `φ crossed the threshold and the reaper marked ${PHI} unreachable at ${when(v.t)}, ${span(v.t - (last?.t ?? 0))} after its last heartbeat at ${when(last?.t)} (${v.cause}). acceptable_heartbeat_pause moves the mean, so a short stall is forgiven.` : `${markSentence(f, PHI)}.`;
        },
      },
    },
    {
      title: 'φ crosses the threshold: unreachable',
      at: (f) => clampT(f, (f.verdict(PHI)?.t ?? f.end - MIN) + 100),
      caption: (f) => {
        const v = f.verdict(PHI);
        const g = gaugeAt(f.run, PHI, phiCrash(f)?.t ?? 0);
        return v ? `At ${when(v.t)} φ is past ${g?.limit ?? 'the threshold'}: ${PHI} is unreachable (${v.cause}). Nothing is lost yet: the split brain resolver waits for the unreachable set to stay stable.` : `${markSentence(f, PHI)}.`;
      },
    },
    {
      title: 'Downed',
      at: (f) => clampT(f, (phiDowned(f)[0]?.t ?? f.end - MIN) + SEC),
      caption: (f) => {
        const d = phiDowned(f);
        const v = f.verdict(PHI);
        return d.length ? `At ${when(d[0].t)}, ${span(d[0].t - (v?.t ?? 0))} (stable_after) after it became unreachable, ${PHI} is downed: ${statusWords(d)} (node_downed).` : `${PHI} is never downed in this run${v ? ' (no downing provider, or it came back)' : ''}.`;
      },
    },
    {
      title: 'A short partition and a hung node',
      at: (f) => clampT(f, f.end - 20 * SEC),
      caption: (f) => `${othersBeat(f, 'node-3', 'node-2')} A node unreachable for less than stable_after comes back with its shards; a node whose heartbeats continue never raises φ.`,
    },
  ],
  watch: (f) => [
    `${PHI}'s φ meter (inspector) climbs from its last heartbeat${phiLast(f) ? ` at ${when(phiLast(f).t)}` : ''}.`,
    `${markSentence(f, PHI)}; downed ${phiDowned(f)[0] ? `at ${when(phiDowned(f)[0].t)}` : 'never'}.`,
    `${markSentence(f, 'node-2')} (partition); ${markSentence(f, 'node-3')} (hung).`,
  ],
  tryNext: () => [
    'Compare by setting: phi accrual threshold = 4, 8, 12.',
    'Compare by setting: phi-accrual.acceptable_heartbeat_pause = 1secs, 3secs, 10secs.',
  ],
};

// ---------------------------------------------------------------- hung-agent-everywhere

const HUNG = 'agent-1';
const CRASHED = 'agent-2';
const hungRestart = (f) => f.fault('restart_agent', HUNG);
/** Compare by detector: the same scenario judged by all five, on one clock. */
const ALL_DETECTORS = { path: 'detector', values: DETECTORS };

/** "kubernetes: never; nomad: never; …" for agent over every run shown. */
const perDetector = (all, agent) => all.map((g) => `${g.detector}: ${g.verdict(agent) ? `${when(g.verdict(agent).t)} (${g.verdict(agent).cause})` : 'never'}`).join('; ');

const hungEverywhere = {
  agent: HUNG,
  beats: [
    {
      title: 'A hang with a live heartbeat path',
      at: (f) => clampT(f, (hungRestart(f)?.t ?? MIN) + 5 * SEC),
      from: (f) => clampT(f, (hungRestart(f)?.t ?? MIN) - 15 * SEC),
      caption: (f) => {
        const r = hungRestart(f);
        const d = f.disconnect(HUNG);
        return r ? `At ${when(r.t)} ${HUNG} restarts and its main loop hangs; what answers the failure detector keeps going (Mesos' pongs, a kubelet's lease goroutine, a Nomad heartbeat, memberlist's acks, Akka's heartbeats). Under ${f.policy} the restart broke the socket${d?.deadline != null ? `: at ${when(d.t)} the master armed its re-registration timer, deadline ${when(d.deadline)}` : ''}.` : `${HUNG} is not restarted in this variation.`;
      },
    },
    {
      title: 'A crash: everyone notices, each on its clock',
      vary: ALL_DETECTORS,
      at: (f, all) => clampT(f, Math.max(...(all ?? [f]).map((g) => g.verdict(CRASHED)?.t ?? 0), f.fault('crash_agent', CRASHED)?.t ?? 0) + 2 * SEC),
      caption: (f, all) => {
        const c = f.fault('crash_agent', CRASHED);
        return c ? `${CRASHED} crashed at ${when(c.t)}. Marked: ${perDetector(all, CRASHED)}. A dead heartbeat path is what all of them are built to see.` : `${CRASHED} does not crash in this variation.`;
      },
    },
    {
      title: 'Predict: who marks the hung agent?',
      vary: ALL_DETECTORS,
      at: (f) => clampT(f, (hungRestart(f)?.t ?? MIN) + 3 * MIN),
      caption: () => `The same scenario under all five detectors, one clock. Which of them ever marks ${HUNG}?`,
      question: {
        options: () => [
          { id: 'all', text: 'All five, each on its own clock' },
          { id: 'mesos', text: 'Only Mesos 1.2, when its re-registration timer runs out' },
          { id: 'none', text: 'None of them' },
        ],
        answer: (f, all) => {
          const marking = all.filter((g) => g.verdict(HUNG)).map((g) => g.detector);
          if (!marking.length) return 'none';
          if (marking.length === all.length) return 'all';
          return marking.length === 1 && marking[0] === 'mesos' ? 'mesos' : 'some';
        },
        explain: (f, all) => `Marked: ${perDetector(all, HUNG)}. Each of the four others watches only the heartbeat path, and it is alive. Mesos 1.2 catches it because the socket broke at the restart and re-registration never came.`,
      },
    },
    {
      title: 'Only Mesos 1.2 gives up',
      vary: ALL_DETECTORS,
      at: (f) => clampT(f, (f.verdict(HUNG)?.t ?? f.end - MIN) + 2 * SEC),
      caption: (f, all) => {
        const v = f.verdict(HUNG);
        const others = all.filter((g) => g.detector !== 'mesos' && !g.verdict(HUNG)).map((g) => g.detector);
        return `${v ? `Under Mesos (${f.policy}) ${HUNG} is marked at ${when(v.t)} by its ${v.cause} — the timer armed when the socket broke${f.disconnect(HUNG) ? ` at ${when(f.disconnect(HUNG).t)}` : ''}, R = ${units(f.R)} later.` : `Even Mesos does not mark ${HUNG} under ${f.policy}.`} ${others.length ? `${others.join(', ')}: still healthy, and will stay so to the end (${when(f.end)}).` : ''}`;
      },
    },
  ],
  watch: (f) => [
    `${HUNG} hangs${hungRestart(f) ? ` from ${when(hungRestart(f).t)}` : ''} but keeps its heartbeat path alive.`,
    `Under ${f.detector}: ${markSentence(f, HUNG)}.`,
    `${markSentence(f, CRASHED)} (crashed).`,
  ],
  tryNext: () => [
    'Switch the policy to mesos-1.1: Mesos misses the hang too (MESOS-6286).',
    'Pick a detector in the bar and open each system’s own lesson (Kubernetes, Nomad, memberlist, phi accrual).',
  ],
};

/** The detector presets' lessons, by preset name. */
export const DETECTOR_LESSONS = {
  kubernetes,
  nomad,
  memberlist,
  'phi-accrual': phiAccrual,
  'hung-agent-everywhere': hungEverywhere,
};
