// Per-preset teaching text ("what to watch", "try next") and the guided
// MESOS-6286 story. The preset's own description (from its JSON) is shown
// above this; the verdicts are computed live from the simulation.

/** The lesson a first visit opens, and the one the story runs on. */
export const FIRST_LESSON = 'stuck-recovery';

/** Per preset: what to watch and what to try next. */
export const LESSONS = {
  'stuck-recovery': {
    watch: [
      'agent-1 turns hatched violet at 1:00: its process restarted and is stuck recovering.',
      'It keeps answering pings, so its red pips never fill: the health check is satisfied.',
      'The master saw the socket break: amber ring, and the re-registration countdown arc starts.',
      'Under mesos-1.2 the arc runs out at 11:00 and agent-1 turns red: unreachable.',
    ],
    tryNext: [
      'Switch the policy to mesos-1.1: nothing ever marks agent-1; its tasks are stranded.',
      'Switch to running-only-pongs (fix A): the silent agent is marked by the health check after 75 s.',
      'Set agent_reregister_timeout to 5mins: the verdict moves to 6:00 (Mesos itself refuses < 10mins).',
      'Click agent-1 → “Finish recovery” after 11:00: it comes back through MarkSlaveReachable.',
    ],
  },
  'slow-recovery': {
    watch: [
      'agent-1 restarts at 1:00 with 150,000 completed executors to re-read: recovery takes about 12.5 minutes (hatched violet the whole time).',
      'It answers every ping — no red pips — while the amber re-registration arc runs down.',
      'At 11:00 mesos-1.2 gives up and marks it unreachable although it is only slow; marathon hears TASK_UNREACHABLE, spark TASK_LOST.',
      'At about 13:32 recovery ends and the agent re-registers; spark is not partition-aware, so its healthy tasks are killed (the CHANGELOG’s warning).',
    ],
    tryNext: [
      'Raise agent_reregister_timeout to 15mins: the timer now outlasts recovery and nothing is lost.',
      'Switch to mesos-1.5: the verdict still comes at 11:00, but re-registration keeps every task.',
      'Lower completed_executors (select agent-1 first) and read the recovery estimate in the tuning panel.',
    ],
  },
  partition: {
    watch: [
      'agent-2 is cut off in both directions at 2:00: its link turns into red dashed lanes and pings die half-way.',
      'The red pips fill one per agent_ping_timeout; at max_agent_ping_timeouts the health check marks it unreachable, 75 s after the first unanswered ping.',
      'At 6:00 the partition heals, agent-2 re-registers (MarkSlaveReachable) and, under mesos-1.2, spark’s tasks there are shut down.',
    ],
    tryNext: [
      'Compare mesos-1.2 and mesos-1.5: spark keeps its tasks under 1.5.',
      'Lower max_agent_ping_timeouts or agent_ping_timeout and watch the verdict move earlier.',
      'Heal agent-2 from its menu before the fifth pip fills: the next pong resets the count.',
    ],
  },
  'one-way-partition': {
    watch: [
      'At 2:00 the master’s socket to agent-1 breaks while the agent is healthy: the master sees exited(), agent-1 turns amber and batch’s tasks are lost.',
      'The re-registration arc starts, and the next ping carries connected=false (a hollow amber dot).',
      'The running agent that receives it re-detects the master and re-registers within its backoff: the arc disappears and nothing is marked.',
    ],
    tryNext: [
      'Cut agent → master from agent-1’s menu before 2:00 and see the health check take over.',
      'Raise registration_backoff_factor and watch the re-registration take longer.',
    ],
  },
  'master-failover': {
    watch: [
      'agent-3 crashes at 1:30 (hollow) and the master fails over at 2:00; the new master is up 10 s later and knows only the registry.',
      'Every agent is “recovered” (blue) until it re-registers; the live ones turn green again within their backoff.',
      'agent_reregister_timeout after the new master came up (12:10) agent-3 is still missing and is marked unreachable — frameworks only get slaveLost.',
    ],
    tryNext: [
      'Start agent-3 again before 12:10: it re-registers and nothing is marked.',
      'Set recovery_agent_removal_limit to "20%" in the JSON (Export → edit → Import): the master refuses and aborts instead.',
    ],
  },
  'rate-limited': {
    watch: [
      'Six web agents crash at 1:00; their pips fill and each health check wants to mark its agent about 75 s later.',
      'agent_removal_rate_limit "1/1mins" hands out one permit per minute from a shared FIFO queue: the red hourglass marks agents waiting for one.',
      'The first agent is marked at once, the last five minutes later.',
    ],
    tryNext: [
      'Change agent_removal_rate_limit (e.g. 1/10secs, or none) and watch the verdicts bunch up.',
      'Start a waiting agent from its menu: its pending permit is discarded.',
    ],
  },
  'running-only-pongs': {
    watch: [
      'Fix A, proposed but not shipped: agents answer pings only while RUNNING.',
      'agent-1 restarts at 1:00 and needs 3 minutes; it goes silent, its pips fill and it is marked unreachable 75–90 s after the restart.',
      'At 4:00 it re-registers and batch (not partition-aware) loses its tasks — a healthy agent punished for a slow recovery.',
    ],
    tryNext: [
      'Compare with mesos-1.2 (fix B): the same agent simply re-registers at 4:00 with nothing lost.',
      'Shorten the recovery (restart it from its menu with fewer executors) below 75 s: fix A no longer fires.',
    ],
  },
};

/** The teaching text of a custom scenario. */
export const GENERIC = {
  watch: [
    'The outer ring of each agent is the master\'s view; the inner fill is the agent process.',
    'Red pips count consecutive unanswered pings; the amber arc is the re-registration countdown.',
  ],
  tryNext: [
    'Click an agent to inject a fault at the current time.',
    'Compare policies to see which ones mark an agent, and when.',
  ],
};

/**
 * The guided MESOS-6286 story. Each step is applied by story.js:
 * { title, body, policy?, compare?: string[] | false, t?: ms | 'verdict', agent?, play?, speed? }
 */
export const STORY = [
  {
    title: 'An agent restarts and hangs in recovery',
    body: 'At 1:00 agent-1 restarts; recovery never finishes (hatched violet). It still answers every ping — no red pips — but the master saw its socket break (amber ring).',
    policy: 'mesos-1.2', compare: false, t: 75000, agent: 'agent-1', play: true, speed: 30,
  },
  {
    title: 'mesos-1.2: marked unreachable at 11:00',
    body: 'The re-registration timer armed when the socket broke runs out after agent_reregister_timeout (10 min): agent-1 turns red and its tasks become TASK_UNREACHABLE / TASK_LOST.',
    policy: 'mesos-1.2', compare: false, t: 'verdict+', agent: 'agent-1', play: false,
  },
  {
    title: 'mesos-1.1: never gives up',
    body: 'Before the fix nothing fires: the agent answers pings, so the health check is happy, and there is no re-registration timer. agent-1 stays disconnected for ever.',
    policy: 'mesos-1.1', compare: false, t: 720000, agent: 'agent-1', play: false,
  },
  {
    title: 'Fix A: only RUNNING agents answer pings',
    body: 'With running-only-pongs the recovering agent goes silent and the health check marks it after about 5 × 15 s. For a hung agent that is fine — but it marks any recovery longer than 75 s too (see the running-only-pongs lesson: a 3-minute recovery).',
    policy: 'running-only-pongs', compare: false, t: 'verdict+', agent: 'agent-1', play: false,
  },
  {
    title: 'All three side by side',
    body: 'Same scenario, one clock: mesos-1.1 never marks agent-1, running-only-pongs marks it after about 75 s, mesos-1.2 at 11:00.',
    policy: 'mesos-1.2', compare: ['mesos-1.1', 'mesos-1.2', 'running-only-pongs'], t: 720000, agent: 'agent-1', play: false,
  },
];
