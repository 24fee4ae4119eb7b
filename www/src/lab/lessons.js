// The lessons: for every preset, its story as beats (each a moment of the run, a caption and
// the policy it is seen under), one predict-then-reveal question, what to watch and what to try
// next — every time, count and outcome computed from the run being shown (facts.js), so a
// variation (R = 5mins, a fault removed, another policy) reads true. The first lesson also has
// a three-line primer. No DOM; story.js plays them.
import { when, span, units, statusWords, causeWords } from './facts.js';
import { LANE } from './judge.js';

/** The lesson a first visit opens. */
export const FIRST_LESSON = 'stuck-recovery';

const SEC = 1000;
const MIN = 60 * SEC;
const clampT = (f, t) => Math.max(0, Math.min(f.end, Math.round(t)));

/** "agent-1 is marked unreachable at 11:00.001 by the re-registration timer", or why not. */
function verdictSentence(f, agent) {
  const v = f.verdict(agent);
  if (!v) return `${agent} is never marked before the end of the run (${when(f.end)}) under ${f.policy}`;
  return `${agent} is ${v.event === 'agent_removed' ? 'removed' : 'marked unreachable'} at ${when(v.t)} by ${causeWords(v)}`;
}

/** The moment just after an agent's first verdict (or near the end when there is none). */
const afterVerdict = (agent, dt = 2 * SEC) => (f) => {
  const v = f.verdict(agent);
  return clampT(f, v ? v.t + dt : f.end - MIN);
};

/** Three options for "what will the master do?" about a silent or hung agent. */
function markOptions(f, agent, since) {
  const health = since + f.P * f.N;
  const d = f.disconnect(agent, since);
  return [
    { id: 'health', text: `The health check marks it unreachable after ${f.N} missed pings (around ${when(health)})` },
    { id: 'timer', text: d?.deadline != null ? `The re-registration timer runs out and it is marked at ${when(d.deadline)}` : 'A re-registration timer runs out and it is marked unreachable' },
    { id: 'never', text: 'Nothing: it stays disconnected until the end' },
  ];
}
const markAnswer = (agent) => (f) => {
  const v = f.verdict(agent);
  if (!v) return 'never';
  return v.cause === 'health_check' ? 'health' : 'timer';
};

// ---------------------------------------------------------------- stuck-recovery (MESOS-6286)

const STUCK = 'agent-1';
const stuckRestart = (f) => f.fault('restart_agent', STUCK);

const stuckRecovery = {
  agent: STUCK,
  primer: (f) => [
    `The master keeps a list of agents (the machines that run tasks). Every ${span(f.P)} it sends each agent a ping and the agent answers with a pong; ${f.N} unanswered pings in a row and the master gives up on it.`,
    'Master and agent also share a TCP socket. A process that restarts gets a new socket, so the master sees the old one break (exited()) and calls the agent disconnected until it re-registers.',
    'A restarted agent first recovers (re-reads its checkpoints), and only then re-registers. MESOS-6286: when recovery hangs, the agent still answers pings — so the health check never fires.',
  ],
  beats: [
    {
      title: 'A healthy cluster',
      policy: 'mesos-1.2',
      at: (f) => clampT(f, (stuckRestart(f)?.t ?? 2 * MIN) - 15 * SEC),
      from: (f) => clampT(f, (stuckRestart(f)?.t ?? 2 * MIN) - 35 * SEC),
      caption: (f) => `${f.n} agents, all healthy: every ${span(f.P)} the master pings each one and a pong comes back, so their rings are green (connected), their fills solid (running) and their pips empty.${stuckRestart(f) ? ` Watch ${STUCK}: at ${when(stuckRestart(f).t)} it will restart.` : ''}`,
    },
    {
      title: 'agent-1 restarts and hangs in recovery',
      policy: 'mesos-1.2',
      at: (f) => clampT(f, (f.disconnect(STUCK)?.t ?? stuckRestart(f)?.t ?? MIN) + SEC),
      caption: (f) => {
        const r = stuckRestart(f);
        const d = f.disconnect(STUCK);
        if (!r) return `In this variation ${STUCK} is never restarted, so nothing happens to it.`;
        const lost = statusWords(f.statusesAt(STUCK, d?.t ?? r.t));
        return `At ${when(r.t)} ${STUCK} restarts and its recovery hangs (hatched violet). The restart broke the socket: ${d ? `at ${when(d.t)} the master saw exited() and marked it disconnected (amber)${d.deadline != null ? `, arming the re-registration timer: it must re-register by ${when(d.deadline)}` : ' — with no re-registration timer under this policy'}` : 'the master has not noticed yet'}.${lost ? ` Right away ${lost}.` : ''} It still answers every ping, so its pips stay empty.`;
      },
    },
    {
      title: 'Predict: what will the master do?',
      policy: 'mesos-1.2',
      at: (f) => clampT(f, (f.disconnect(STUCK)?.t ?? MIN) + 30 * SEC),
      caption: (f) => `${STUCK} keeps answering pings but never finishes recovering. Under ${f.policy}, what happens next?`,
      question: {
        options: (f) => markOptions(f, STUCK, f.disconnect(STUCK)?.t ?? 0),
        answer: markAnswer(STUCK),
        explain: (f) => {
          const v = f.verdict(STUCK);
          if (!v) return `Nothing marks it: ${verdictSentence(f, STUCK)}.`;
          if (v.cause === 'health_check') return `${verdictSentence(f, STUCK)}: its pongs stopped.`;
          return `The health check only counts unanswered pings, and ${STUCK} answers them all. What catches it is the timer armed when the socket broke: ${verdictSentence(f, STUCK)}.`;
        },
      },
    },
    {
      title: 'mesos-1.2 gives up when the timer runs out',
      policy: 'mesos-1.2',
      at: afterVerdict(STUCK),
      caption: (f) => {
        const v = f.verdict(STUCK);
        if (!v) return `${verdictSentence(f, STUCK)}.`;
        const heard = statusWords(f.statusesAt(STUCK, v.t));
        return `${verdictSentence(f, STUCK)}${v.message ? ` (“${v.message}”)` : ''}: its ring turns red.${heard ? ` Its frameworks hear it now: ${heard}.` : ''}`;
      },
    },
    {
      title: 'What the fix costs (Mesos 1.2 itself)',
      policy: 'mesos-1.2',
      at: afterVerdict(STUCK, 3 * SEC),
      caption: (f) => {
        const v = f.verdict(STUCK);
        const d = f.disconnect(STUCK);
        const stranded = v && d ? `For ${span(v.t - d.t)} (${when(d.t)} → ${when(v.t)}) ${STUCK}'s tasks were neither running properly nor replaced: nobody can make that shorter than 10 minutes, because Mesos refuses agent_reregister_timeout under 10mins.` : `Without a verdict, ${STUCK}'s tasks stay stranded until the end.`;
        return `${stranded} And the timer cannot tell hung from slow: a healthy agent whose recovery takes longer than R (${units(f.R)}) is marked too — the “Slow recovery” lesson's agent needs about 12.5 minutes to re-read 150,000 completed executors.`;
      },
    },
    {
      title: 'Before the fix: mesos-1.1',
      policy: 'mesos-1.1',
      at: (f) => clampT(f, (f.disconnect(STUCK)?.t ?? MIN) + f.R + MIN),
      caption: (f) => {
        const v = f.verdict(STUCK);
        return v ? `Under mesos-1.1 ${verdictSentence(f, STUCK)}.` : `Under mesos-1.1 nothing fires: there is no re-registration timer and the health check is satisfied by the pongs. ${STUCK} stays disconnected to the end (${when(f.end)}) and its tasks are stranded — MESOS-6286.`;
      },
    },
    {
      title: 'Fix A: only running agents answer pings',
      policy: 'running-only-pongs',
      at: afterVerdict(STUCK),
      caption: (f) => {
        const v = f.verdict(STUCK);
        const r = stuckRestart(f);
        return v ? `With running-only-pongs the recovering agent goes silent, its pips fill, and ${verdictSentence(f, STUCK)}${r ? ` — ${span(v.t - r.t)} after the restart` : ''}. Fine for a hung agent, but any recovery longer than ${span(f.P * f.N)} (${f.N} × ${span(f.P)}) is marked as well: see the “Fix A” lesson.` : `${verdictSentence(f, STUCK)}.`;
      },
    },
    {
      title: 'All three side by side',
      policy: 'mesos-1.2', compare: ['mesos-1.1', 'mesos-1.2', 'running-only-pongs'],
      at: (f) => clampT(f, (f.disconnect(STUCK)?.t ?? MIN) + f.R + MIN),
      caption: (f, all) => `Same scenario, one clock: ${all.map((g) => `${g.policy}: ${g.verdict(STUCK) ? `${causeWords(g.verdict(STUCK))} at ${when(g.verdict(STUCK).t)}` : 'never marked'}`).join('; ')}.`,
    },
  ],
  watch: (f) => {
    const r = stuckRestart(f);
    const d = f.disconnect(STUCK);
    return [
      r ? `${STUCK} turns hatched violet at ${when(r.t)}: its process restarted and is stuck recovering.` : `${STUCK} is not restarted in this variation.`,
      'It keeps answering pings, so its pips never fill: the health check is satisfied.',
      d ? `The master saw the socket break at ${when(d.t)}: amber ring${d.deadline != null ? ` and a countdown arc to ${when(d.deadline)}` : ''}.` : 'The master never sees the socket break.',
      `${verdictSentence(f, STUCK)}.`,
    ];
  },
  tryNext: (f) => [
    'Switch the policy to mesos-1.1: nothing ever marks agent-1; its tasks are stranded.',
    `Switch to running-only-pongs (fix A): the silent agent is marked by the health check after ${f.N} × ${span(f.P)}.`,
    'Compare by setting: agent_reregister_timeout = 5mins, 10mins, 15mins — the verdict moves with it (Mesos itself refuses under 10mins).',
    'Select agent-1 and use “Finish recovery” after its verdict: it comes back through MarkSlaveReachable.',
  ],
};

// ---------------------------------------------------------------- slow-recovery

const SLOW = 'agent-1';
const slowRecovery = {
  agent: SLOW,
  beats: [
    {
      title: 'A restart with a big work directory',
      at: (f) => clampT(f, (f.fault('restart_agent', SLOW)?.t ?? MIN) + 2 * SEC),
      from: (f) => clampT(f, (f.fault('restart_agent', SLOW)?.t ?? MIN) - 20 * SEC),
      caption: (f) => {
        const r = f.fault('restart_agent', SLOW);
        const rec = f.laneAt(SLOW, (r?.t ?? 0) + SEC);
        const d = f.disconnect(SLOW);
        const reg = f.registration(SLOW, r?.t ?? 0);
        return r ? `At ${when(r.t)} ${SLOW} restarts with ${Number(f.setting('agents[0].completed_executors') ?? 0).toLocaleString('en-US')} completed executors to re-read${reg ? `: recovery will take until about ${when(reg.t)} (${span(reg.t - r.t)})` : ''}. It answers every ping meanwhile${d?.deadline != null ? `, while the master's re-registration timer runs to ${when(d.deadline)}` : ''}.${rec ? '' : ''}` : `${SLOW} is not restarted in this variation.`;
      },
    },
    {
      title: 'Predict: slow or dead?',
      at: (f) => clampT(f, (f.disconnect(SLOW)?.t ?? MIN) + MIN),
      caption: (f) => `${SLOW} is healthy, only slow. Will the master (${f.policy}) wait for it?`,
      question: {
        options: (f) => {
          const d = f.disconnect(SLOW);
          return [
            { id: 'wait', text: 'Yes: it answers pings, so the master waits until it re-registers' },
            { id: 'timer', text: d?.deadline != null ? `No: it is marked unreachable at ${when(d.deadline)}, before it is back` : 'No: a timer marks it before it is back' },
          ];
        },
        answer: (f) => (f.verdict(SLOW) ? 'timer' : 'wait'),
        explain: (f) => {
          const v = f.verdict(SLOW);
          const reg = f.registration(SLOW, f.fault('restart_agent', SLOW)?.t ?? 0);
          return v ? `${verdictSentence(f, SLOW)}${reg ? ` — ${span(reg.t - v.t)} before its recovery ends at ${when(reg.t)}` : ''}. The timer cannot tell slow from hung.` : `Recovery ends${reg ? ` at ${when(reg.t)}` : ''} before R (${units(f.R)}) runs out, so nothing is marked.`;
        },
      },
    },
    {
      title: 'Marked while healthy',
      at: afterVerdict(SLOW),
      caption: (f) => {
        const v = f.verdict(SLOW);
        return v ? `${verdictSentence(f, SLOW)}. ${statusWords(f.statusesAt(SLOW, v.t)) || 'Its frameworks hear about it.'} — although every task is still running.` : `${verdictSentence(f, SLOW)}: R (${units(f.R)}) outlasts this recovery.`;
      },
    },
    {
      title: 'It comes back',
      at: (f) => {
        const v = f.verdict(SLOW);
        const reg = f.registration(SLOW, v?.t ?? f.fault('restart_agent', SLOW)?.t ?? 0);
        return clampT(f, reg ? reg.t + 2 * SEC : f.end - MIN);
      },
      caption: (f) => {
        const v = f.verdict(SLOW);
        const reg = f.registration(SLOW, v?.t ?? f.fault('restart_agent', SLOW)?.t ?? 0);
        if (!reg) return `${SLOW} does not re-register before the end.`;
        const killed = f.deaths(SLOW).filter((x) => x.reason === 'framework_shutdown');
        return `At ${when(reg.t)} recovery ends and ${SLOW} re-registers (${reg.previous_view} → connected).${killed.length ? ` Under ${f.policy} the master shuts down the non-partition-aware framework there: ${killed.length} healthy task${killed.length > 1 ? 's' : ''} killed (${[...new Set(killed.map((x) => x.framework))].join(', ')}) — the cost Mesos 1.2's CHANGELOG warns about.` : ' No task is lost.'}`;
      },
    },
  ],
  watch: (f) => {
    const r = f.fault('restart_agent', SLOW);
    const reg = f.registration(SLOW, r?.t ?? 0);
    return [
      r ? `${SLOW} restarts at ${when(r.t)} and recovers${reg ? ` until ${when(reg.t)}` : ''} (hatched violet the whole time).` : `${SLOW} is not restarted.`,
      'It answers every ping — no red pips — while the amber re-registration arc runs down.',
      `${verdictSentence(f, SLOW)}.`,
    ];
  },
  tryNext: () => [
    'Compare by setting: agent_reregister_timeout = 10mins, 15mins, 20mins — from 15mins nothing is lost.',
    'Switch to mesos-1.5: the verdict still comes, but re-registration keeps every task.',
    'Select agent-1, lower completed_executors and read the recovery estimate in the Timeouts panel.',
  ],
};

// ---------------------------------------------------------------- ghost-tasks (issue 9)

const GHOST = 'agent-1';
const ghostTasks = {
  agent: GHOST,
  beats: [
    {
      title: 'A hung restart, two clocks running',
      at: (f) => clampT(f, (f.disconnect(GHOST)?.t ?? MIN) + 2 * SEC),
      from: (f) => clampT(f, (f.fault('restart_agent', GHOST)?.t ?? MIN) - 20 * SEC),
      caption: (f) => {
        const d = f.disconnect(GHOST);
        const lane = f.lane(GHOST);
        const execBar = lane?.records.find((r) => Number.isFinite(r[LANE.execDeadline]));
        return `${GHOST} restarts and hangs in recovery. Two timers start: the master's re-registration timer${d?.deadline != null ? ` (R = ${units(f.R)}, deadline ${when(d.deadline)})` : ''} and, beside the dead agent process, its checkpointing executors' own recovery_timeout${execBar ? ` (${units(f.settings.recoveryTimeoutMs)}, deadline ${when(execBar[LANE.execDeadline])})` : ''}. Both bars show in the lane timeline.`;
      },
    },
    {
      title: 'Predict: which runs out first?',
      at: (f) => clampT(f, (f.disconnect(GHOST)?.t ?? MIN) + 3 * MIN),
      caption: () => `The master believes ${GHOST}'s tasks still run until it gives up on the agent. What happens to them first?`,
      question: {
        options: () => [
          { id: 'master', text: 'The master marks the agent unreachable while the tasks still run' },
          { id: 'executors', text: 'The executors give up first: the tasks die while the master still counts them' },
        ],
        answer: (f) => {
          const death = f.deaths(GHOST)[0];
          const v = f.verdict(GHOST);
          return death && (!v || death.t < v.t) ? 'executors' : 'master';
        },
        explain: (f) => {
          const death = f.deaths(GHOST)[0];
          const v = f.verdict(GHOST);
          if (death && (!v || death.t < v.t)) return `recovery_timeout (${units(f.settings.recoveryTimeoutMs)}) is shorter than R (${units(f.R)}): the executors die at ${when(death.t)}, ${v ? `${span(v.t - death.t)} before the master gives up at ${when(v.t)}` : 'and the master never gives up'}.`;
          return `R (${units(f.R)}) is not longer than recovery_timeout (${units(f.settings.recoveryTimeoutMs)}): ${verdictSentence(f, GHOST)}${death ? `, and the executors die later, at ${when(death.t)}` : ''}.`;
        },
      },
    },
    {
      title: 'The tasks really die',
      at: (f) => clampT(f, (f.deaths(GHOST)[0]?.t ?? f.end - 2 * MIN) + SEC),
      caption: (f) => {
        const ds = f.deaths(GHOST);
        if (!ds.length) return `No executor of ${GHOST} dies in this run.`;
        const v = f.verdict(GHOST);
        return `At ${when(ds[0].t)} ${ds.length} executor${ds.length > 1 ? 's' : ''} of ${GHOST} shut themselves down (recovery_timeout ran out): the tasks are really dead — see the ✝ in the lane and the “really dead” curve in the chart. ${v && v.t > ds[0].t ? `But the master keeps ${GHOST} disconnected until ${when(v.t)}, and its frameworks still believe the tasks run: ghost tasks that nobody replaces.` : ''}`;
      },
    },
    {
      title: 'The master finally gives up',
      at: afterVerdict(GHOST),
      caption: (f) => {
        const v = f.verdict(GHOST);
        const death = f.deaths(GHOST)[0];
        if (!v) return `${verdictSentence(f, GHOST)}.`;
        return `${verdictSentence(f, GHOST)}. ${death && death.t < v.t ? `For ${span(v.t - death.t)} (${when(death.t)} → ${when(v.t)}) the tasks were dead while counted as running. Mesos' help for recovery_timeout says to set it close to agent_reregister_timeout — try R = ${units(f.settings.recoveryTimeoutMs)}.` : 'No task was dead while still counted.'}`;
      },
    },
  ],
  watch: (f) => {
    const death = f.deaths(GHOST)[0];
    const v = f.verdict(GHOST);
    return [
      death ? `${GHOST}'s executors die at ${when(death.t)} (✝ in the lane timeline, the “really dead” curve in the chart).` : `${GHOST}'s executors never die in this run.`,
      `${verdictSentence(f, GHOST)}.`,
      death && v && v.t > death.t ? `Ghost tasks for ${span(v.t - death.t)}: dead, but still counted as running.` : 'No ghost tasks in this run.',
    ];
  },
  tryNext: (f) => [
    `Compare by setting: agent_reregister_timeout = ${units(f.settings.recoveryTimeoutMs - 5 * MIN)}, ${units(f.settings.recoveryTimeoutMs)}, ${units(f.R)} — the ghosts vanish at ${units(f.settings.recoveryTimeoutMs)}.`,
    'Compare by setting: recovery_timeout = 10mins, 20mins, 30mins.',
    'Finish agent-1\'s recovery (its menu) before the executors give up: nothing dies.',
  ],
};

// ---------------------------------------------------------------- partition

const PART = 'agent-2';
const partition = {
  agent: PART,
  beats: [
    {
      title: 'The link is cut both ways',
      at: (f) => clampT(f, (f.fault('partition', PART)?.t ?? MIN) + 20 * SEC),
      from: (f) => clampT(f, (f.fault('partition', PART)?.t ?? MIN) - 10 * SEC),
      caption: (f) => {
        const p = f.fault('partition', PART);
        return p ? `At ${when(p.t)} ${PART} is cut off in both directions: its link turns into red dashed lanes and pings die half-way. The socket does not break (nothing tells the master), so only the health check can notice: each unanswered ping fills a pip, one every ${span(f.P)}.` : `${PART} is never partitioned in this variation.`;
      },
    },
    {
      title: 'Predict: when is it marked?',
      at: (f) => clampT(f, (f.fault('partition', PART)?.t ?? MIN) + 30 * SEC),
      caption: (f) => `The master has missed pings from ${PART}. When will it mark the agent unreachable?`,
      question: {
        options: (f) => {
          const p = f.fault('partition', PART)?.t ?? 0;
          return [
            { id: 'one', text: `After one missed ping (about ${when(p + f.P)})` },
            { id: 'n', text: `After ${f.N} missed pings in a row (about ${span(f.P * f.N)} after the first unanswered ping)` },
            { id: 'r', text: `After agent_reregister_timeout (${units(f.R)})` },
          ];
        },
        answer: (f) => {
          const v = f.verdict(PART);
          return v?.cause === 'health_check' ? 'n' : v?.cause === 'reregister_timeout' ? 'r' : 'n';
        },
        explain: (f) => `${verdictSentence(f, PART)}: ${f.N} consecutive timeouts of ${span(f.P)}, one per ping.`,
      },
    },
    {
      title: 'The health check gives up',
      at: afterVerdict(PART),
      caption: (f) => {
        const v = f.verdict(PART);
        return v ? `${verdictSentence(f, PART)}. ${statusWords(f.statusesAt(PART, v.t))}. The agent itself keeps retrying registration with a doubling backoff.` : `${verdictSentence(f, PART)}.`;
      },
    },
    {
      title: 'The partition heals',
      at: (f) => {
        const heal = f.fault('heal', PART);
        const reg = heal ? f.registration(PART, heal.t) : null;
        return clampT(f, (reg?.t ?? heal?.t ?? f.end - MIN) + 2 * SEC);
      },
      caption: (f) => {
        const heal = f.fault('heal', PART);
        if (!heal) return `${PART} stays cut off to the end.`;
        const reg = f.registration(PART, heal.t);
        const killed = f.deaths(PART).filter((x) => x.reason === 'framework_shutdown');
        return `The partition heals at ${when(heal.t)}${reg ? `; the next registration retry gets through at ${when(reg.t)} and the master re-admits ${PART} (MarkSlaveReachable)` : ''}.${killed.length ? ` Under ${f.policy} the non-partition-aware framework is shut down there: ${killed.length} task${killed.length > 1 ? 's' : ''} killed.` : ' No task is killed.'}`;
      },
    },
  ],
  watch: (f) => [
    `${PART} is cut off${f.fault('partition', PART) ? ` at ${when(f.fault('partition', PART).t)}` : ''}: red dashed lanes, pings die half-way.`,
    `The pips fill one per ${span(f.P)}; ${verdictSentence(f, PART)}.`,
    f.fault('heal', PART) ? `It heals at ${when(f.fault('heal', PART).t)} and re-registers.` : 'It never heals.',
  ],
  tryNext: () => [
    'Compare mesos-1.2 and mesos-1.5: spark keeps its tasks under 1.5.',
    'Compare by setting: max_agent_ping_timeouts = 3, 5, 10.',
    'Heal agent-2 from its menu before the last pip fills: the next pong resets the count.',
  ],
};

// ---------------------------------------------------------------- one-way-partition

const ONEWAY = 'agent-1';
const oneWay = {
  agent: ONEWAY,
  beats: [
    {
      title: 'The master\'s socket breaks',
      at: (f) => clampT(f, (f.disconnect(ONEWAY)?.t ?? 2 * MIN) + 100),
      from: (f) => clampT(f, (f.fault('break_socket', ONEWAY)?.t ?? 2 * MIN) - 15 * SEC),
      caption: (f) => {
        const d = f.disconnect(ONEWAY);
        const lost = d ? statusWords(f.statusesAt(ONEWAY, d.t)) : '';
        return d ? `At ${when(d.t)} the master's socket to a perfectly healthy ${ONEWAY} breaks: it sees exited(), marks the agent disconnected${d.deadline != null ? ` and arms the re-registration timer (deadline ${when(d.deadline)})` : ''}.${lost ? ` ${lost} at once: batch does not checkpoint.` : ''} The agent itself still thinks it is registered.` : `The socket to ${ONEWAY} never breaks in this variation.`;
      },
    },
    {
      title: 'Predict: how does it come back?',
      at: (f) => clampT(f, (f.disconnect(ONEWAY)?.t ?? 2 * MIN) + 200),
      caption: () => `${ONEWAY} is running and answers pings. What brings it back?`,
      question: {
        options: (f) => [
          { id: 'ping', text: 'The next ping carries connected=false; the agent re-registers within its backoff' },
          { id: 'timer', text: `Nothing until the re-registration timer marks it unreachable (${units(f.R)})` },
          { id: 'health', text: 'The health check marks it after missed pings' },
        ],
        answer: (f) => (f.registration(ONEWAY, f.disconnect(ONEWAY)?.t ?? 0) && !f.verdict(ONEWAY) ? 'ping' : f.verdict(ONEWAY)?.cause === 'health_check' ? 'health' : 'timer'),
        explain: (f) => {
          const reg = f.registration(ONEWAY, f.disconnect(ONEWAY)?.t ?? 0);
          return reg ? `The master keeps pinging a disconnected agent, with connected=false; a running agent that sees that re-detects the master and re-registers: at ${when(reg.t)}, the timer is cancelled.` : `${verdictSentence(f, ONEWAY)}.`;
        },
      },
    },
    {
      title: 'Re-registered, nothing marked',
      at: (f) => {
        const reg = f.registration(ONEWAY, f.disconnect(ONEWAY)?.t ?? 0);
        return clampT(f, (reg?.t ?? f.end - MIN) + SEC);
      },
      caption: (f) => {
        const d = f.disconnect(ONEWAY);
        const reg = f.registration(ONEWAY, d?.t ?? 0);
        return reg ? `At ${when(reg.t)} ${ONEWAY} re-registers, ${span(reg.t - (d?.t ?? 0))} after the break: the master cancels the timer and nothing is marked unreachable. ${verdictSentence(f, ONEWAY)}.` : `${verdictSentence(f, ONEWAY)}.`;
      },
    },
  ],
  watch: (f) => {
    const d = f.disconnect(ONEWAY);
    const reg = f.registration(ONEWAY, d?.t ?? 0);
    return [
      d ? `At ${when(d.t)} the master sees exited(): ${ONEWAY} turns amber.` : 'The socket never breaks.',
      'The next ping carries connected=false (a hollow orange dot).',
      reg ? `${ONEWAY} re-registers at ${when(reg.t)}; the arc disappears and nothing is marked.` : `${verdictSentence(f, ONEWAY)}.`,
    ];
  },
  tryNext: () => [
    'Cut agent → master from agent-1’s menu before the break and see the health check take over.',
    'Compare by setting: registration_backoff_factor = 1secs, 30secs, 2mins.',
  ],
};

// ---------------------------------------------------------------- master-failover

const GONE = 'agent-3';
const failover = {
  agent: GONE,
  beats: [
    {
      title: 'An agent crashes, then the master fails over',
      at: (f) => clampT(f, (f.digest.masterEvents.find((e) => e.event === 'master_recovered')?.t ?? 2 * MIN) + 2 * SEC),
      from: (f) => clampT(f, (f.fault('crash_agent', GONE)?.t ?? 90 * SEC) - 10 * SEC),
      caption: (f) => {
        const c = f.fault('crash_agent', GONE);
        const fo = f.digest.masterEvents.find((e) => e.event === 'master_failover');
        const up = f.digest.masterEvents.find((e) => e.event === 'master_recovered');
        return `${c ? `${GONE} crashes at ${when(c.t)} and stays down. ` : ''}${fo ? `At ${when(fo.t)} the master fails over; the new one is up at ${when(up?.t)} knowing only the registry, so every admitted agent is “recovered” (blue) and must re-register within R (${units(f.R)}).` : 'The master never fails over in this variation.'}`;
      },
    },
    {
      title: 'The live agents come back',
      at: (f) => {
        const up = f.digest.masterEvents.find((e) => e.event === 'master_recovered');
        const regs = f.digest.registrations.filter((r) => up && r.t > up.t).slice(0, f.n - 1);
        return clampT(f, (regs.at(-1)?.t ?? (up?.t ?? 2 * MIN) + 20 * SEC) + SEC);
      },
      caption: (f) => {
        const up = f.digest.masterEvents.find((e) => e.event === 'master_recovered');
        const regs = f.digest.registrations.filter((r) => up && r.t > up.t);
        return regs.length ? `${regs.length} agent${regs.length > 1 ? 's' : ''} detect the new master and re-register within their backoff (${regs.map((r) => `${r.agent} at ${when(r.t)}`).join(', ')}). ${GONE} cannot: its process is down.` : 'No agent re-registers.';
      },
    },
    {
      title: 'Predict: what happens to the missing agent?',
      at: (f) => clampT(f, (f.digest.masterEvents.find((e) => e.event === 'master_recovered')?.t ?? 2 * MIN) + 3 * MIN),
      caption: () => `${GONE} never comes back. What does the new master do about it?`,
      question: {
        options: (f) => [
          { id: 'health', text: `The health check marks it after ${f.N} missed pings` },
          { id: 'deadline', text: `It marks it unreachable when R (${units(f.R)}) after recovery runs out` },
          { id: 'never', text: 'Nothing: it stays recovered' },
        ],
        answer: (f) => { const v = f.verdict(GONE); return !v ? 'never' : v.cause === 'health_check' ? 'health' : 'deadline'; },
        explain: (f) => `The new master never pinged ${GONE} (it has no observer for an agent that did not re-register). ${verdictSentence(f, GONE)}${f.verdict(GONE) ? ' — it knows no tasks there, so frameworks hear only slaveLost' : ''}.`,
      },
    },
    {
      title: 'Marked with slaveLost only',
      at: afterVerdict(GONE),
      caption: (f) => {
        const v = f.verdict(GONE);
        return v ? `${verdictSentence(f, GONE)} after checking recovery_agent_removal_limit. The new master knows none of its tasks, so frameworks only get slaveLost.` : `${verdictSentence(f, GONE)}.`;
      },
    },
  ],
  watch: (f) => [
    `${GONE} ${f.fault('crash_agent', GONE) ? `crashes at ${when(f.fault('crash_agent', GONE).t)} (hollow)` : 'stays up'}; the master fails over and every agent turns blue (recovered).`,
    'The live agents re-register within their backoff and turn green again.',
    `${verdictSentence(f, GONE)}.`,
  ],
  tryNext: () => [
    'Start agent-3 again (its menu) before the deadline: it re-registers and nothing is marked.',
    'Set recovery_agent_removal_limit to "20%" in the JSON (Export → edit → Import): the master refuses and aborts instead.',
  ],
};

// ---------------------------------------------------------------- rate-limited

const rateLimited = {
  agent: 'web-0',
  beats: [
    {
      title: 'Six agents crash at once',
      at: (f) => clampT(f, (f.fault('crash_agent')?.t ?? MIN) + 30 * SEC),
      from: (f) => clampT(f, (f.fault('crash_agent')?.t ?? MIN) - 10 * SEC),
      caption: (f) => {
        const c = f.fault('crash_agent');
        const n = Array.isArray(c?.fault.agents) ? c.fault.agents.length : 0;
        return c ? `At ${when(c.t)} ${n} agents crash. Each health check counts its own missed pings; each wants to mark its agent about ${span(f.P * f.N)} after its first unanswered ping.` : 'Nothing crashes in this variation.';
      },
    },
    {
      title: 'Predict: all at once?',
      at: (f) => clampT(f, (f.fault('crash_agent')?.t ?? MIN) + MIN),
      caption: (f) => `agent_removal_rate_limit is ${f.settings.rateLimit ?? 'none'}. When is the last crashed agent marked?`,
      question: {
        options: (f) => {
          const c = f.fault('crash_agent')?.t ?? 0;
          return [
            { id: 'together', text: `All together, around ${when(c + f.P * (f.N + 1))}` },
            { id: 'paced', text: 'One at a time, paced by the rate limiter' },
          ];
        },
        answer: (f) => {
          const vs = f.digest.verdicts;
          return vs.length > 1 && vs.at(-1).t - vs[0].t > 2 * f.P ? 'paced' : 'together';
        },
        explain: (f) => {
          const vs = f.digest.verdicts;
          return vs.length ? `The first is marked at ${when(vs[0].t)}, the last at ${when(vs.at(-1).t)}: ${span(vs.at(-1).t - vs[0].t)} apart${f.settings.rateLimit ? `, one permit per ${f.settings.rateLimit.split('/')[1]} from one shared FIFO queue` : ''}.` : 'No agent is marked.';
        },
      },
    },
    {
      title: 'The queue drains',
      at: (f) => clampT(f, (f.digest.verdicts.at(-1)?.t ?? f.end - MIN) + 2 * SEC),
      caption: (f) => {
        const vs = f.digest.verdicts;
        return vs.length ? `${vs.map((v) => `${v.agent} ${when(v.t)}`).join(' · ')}. Operators meet this as “node loss detection takes far longer than the timeouts”.` : 'No agent is marked in this run.';
      },
    },
  ],
  watch: (f) => {
    const vs = f.digest.verdicts;
    return [
      'The crashed agents\' pips fill; the red hourglass marks agents waiting for a permit.',
      vs.length ? `The first is marked at ${when(vs[0].t)}, the last at ${when(vs.at(-1).t)}.` : 'No agent is marked.',
    ];
  },
  tryNext: () => [
    'Compare by setting: agent_removal_rate_limit = none, 1/1mins, 1/10mins.',
    'Start a waiting agent from its menu: its pending permit is discarded.',
  ],
};

// ---------------------------------------------------------------- running-only-pongs

const ROP = 'agent-1';
const runningOnly = {
  agent: ROP,
  beats: [
    {
      title: 'A short restart goes silent',
      at: (f) => clampT(f, (f.fault('restart_agent', ROP)?.t ?? MIN) + 20 * SEC),
      from: (f) => clampT(f, (f.fault('restart_agent', ROP)?.t ?? MIN) - 10 * SEC),
      caption: (f) => {
        const r = f.fault('restart_agent', ROP);
        const reg = f.registration(ROP, r?.t ?? 0);
        return r ? `Under ${f.policy}, agents answer pings only while running. ${ROP} restarts at ${when(r.t)}${reg ? ` and will be back at ${when(reg.t)} (${span(reg.t - r.t)})` : ''}; meanwhile it is silent, so its pips fill.` : `${ROP} is not restarted in this variation.`;
      },
    },
    {
      title: 'Predict: does it survive its recovery?',
      at: (f) => clampT(f, (f.fault('restart_agent', ROP)?.t ?? MIN) + 40 * SEC),
      caption: (f) => `${ROP}'s recovery is longer than ${f.N} × ${span(f.P)}. Will it be marked unreachable?`,
      question: {
        options: () => [
          { id: 'marked', text: 'Yes: the health check marks it before it is back' },
          { id: 'safe', text: 'No: it is back before anything fires' },
        ],
        answer: (f) => (f.verdict(ROP) ? 'marked' : 'safe'),
        explain: (f) => `${verdictSentence(f, ROP)}.`,
      },
    },
    {
      title: 'Punished for a slow recovery',
      at: (f) => {
        const reg = f.registration(ROP, f.verdict(ROP)?.t ?? f.fault('restart_agent', ROP)?.t ?? 0);
        return clampT(f, (reg?.t ?? f.end - MIN) + 2 * SEC);
      },
      caption: (f) => {
        const v = f.verdict(ROP);
        const reg = f.registration(ROP, v?.t ?? 0);
        const killed = f.deaths(ROP).filter((x) => x.reason === 'framework_shutdown');
        return `${verdictSentence(f, ROP)}.${reg ? ` At ${when(reg.t)} it re-registers` : ''}${killed.length ? `, and the non-partition-aware framework's ${killed.length} task${killed.length > 1 ? 's are' : ' is'} killed — a healthy agent punished for a slow recovery. Under mesos-1.2 it would simply have re-registered.` : '.'}`;
      },
    },
  ],
  watch: (f) => [
    `${ROP} goes silent while it recovers: its pips fill one per ${span(f.P)}.`,
    `${verdictSentence(f, ROP)}.`,
  ],
  tryNext: () => [
    'Compare with mesos-1.2 (fix B): the same agent simply re-registers with nothing lost.',
    'Restart it from its menu with a recovery shorter than the total ping timeout: fix A no longer fires.',
  ],
};

/** Every preset's lesson. */
export const LESSONS = {
  'stuck-recovery': stuckRecovery,
  'slow-recovery': slowRecovery,
  'ghost-tasks': ghostTasks,
  partition,
  'one-way-partition': oneWay,
  'master-failover': failover,
  'rate-limited': rateLimited,
  'running-only-pongs': runningOnly,
};

/** The teaching text of a scenario that is no lesson. */
export const GENERIC = {
  watch: () => [
    'The outer ring of each agent is the master\'s view; the inner fill is the agent process.',
    'Red pips count consecutive unanswered pings; the amber arc is the re-registration countdown.',
  ],
  tryNext: () => [
    'Click an agent to inject a fault at the current time.',
    'Compare policies or values of a setting to see which mark an agent, and when.',
  ],
};
