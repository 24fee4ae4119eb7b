// The colour language of the page, read from CSS custom properties so the Lab's canvas, legend
// and chart and the Tuning tab's plots all use the same colours per theme.

/** The CSS custom property of each master view's colour. */
export const VIEW_VARS = {
  connected: '--c-connected',
  disconnected: '--c-disconnected',
  unreachable: '--c-unreachable',
  recovered: '--c-recovered',
  removed: '--c-removed',
  unknown: '--c-unknown',
};

/** The CSS custom property of each charted task state's colour. */
export const TASK_COLOR_VARS = {
  TASK_RUNNING: '--c-connected',
  TASK_UNREACHABLE: '--c-unreachable',
  TASK_LOST: '--c-lost',
  TASK_KILLED: '--c-removed',
  TASK_FAILED: '--c-recovering',
  TASK_GONE: '--c-unknown',
};

let cached = null;

/** The value of one CSS custom property of the page, now. */
export function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Reads every colour of the current theme (and caches it for palette()). */
export function readPalette() {
  const cs = getComputedStyle(document.documentElement);
  const v = (name) => cs.getPropertyValue(name).trim();
  const pal = {
    views: {},
    bg: v('--bg'), surface: v('--surface'), surface2: v('--surface-2'), ink: v('--ink'), muted: v('--muted'),
    faint: v('--faint'), line: v('--line'), accent: v('--accent'),
    running: v('--c-running'), recovering: v('--c-recovering'), recoveringBg: v('--c-recovering-bg'),
    down: v('--c-down'), lost: v('--c-lost'), link: v('--c-link'), selection: v('--c-selection'),
    font: cs.getPropertyValue('--font-ui').trim() || 'system-ui, sans-serif',
    mono: cs.getPropertyValue('--font-mono').trim() || 'ui-monospace, monospace',
  };
  for (const [k, name] of Object.entries(VIEW_VARS)) pal.views[k] = v(name);
  pal.tasks = {};
  for (const [k, name] of Object.entries(TASK_COLOR_VARS)) pal.tasks[k] = v(name);
  cached = pal;
  return pal;
}

/** The colours read last (read now if never). */
export function palette() { return cached ?? readPalette(); }
