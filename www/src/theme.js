// Light or dark: the reader's stored choice, else the OS preference (followed live). The page
// reads its colours from CSS custom properties, so a switch only sets data-theme on <html> and
// tells the views that draw on canvases to read them again.
const THEME_KEY = 'liveness-lab-theme';

function stored() {
  try { return localStorage.getItem(THEME_KEY); } catch { return null; }
}

function apply(pref) {
  const dark = pref ? pref === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/** Applies the theme now; `onChange()` is called after every later switch. */
export function startTheme(onChange) {
  apply(stored());
  const set = (t) => {
    try { localStorage.setItem(THEME_KEY, t); } catch { /* private mode */ }
    apply(t);
    onChange();
  };
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (!stored()) { apply(null); onChange(); }
  });
  return {
    /** Sets 'light' or 'dark' and remembers it. */
    set,
    toggle: () => set(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'),
  };
}
