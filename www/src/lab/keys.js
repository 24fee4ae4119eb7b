// The Lab's keyboard shortcuts: Space plays and pauses, → steps to the next event, N jumps to
// the next verdict, R restarts, ? opens the help, Esc closes the fault menu. Keys typed into a
// field, a dialog or the menu keep their native meaning.
/**
 * @param clock the Lab's Clock
 * @param menu the fault Menu (el, close())
 * @param lab — { shown() → the Lab tab is visible, openHelp() }
 */
export function listenKeys(clock, menu, lab) {
  document.addEventListener('keydown', (e) => {
    const tag = e.target?.tagName;
    const typing = tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || e.target?.isContentEditable;
    if (e.key === 'Escape') {
      if (!menu.el.hidden) { menu.close(true); e.preventDefault(); }
      return;
    }
    if (document.querySelector('dialog[open]')) return;
    if (!lab.shown()) return;
    if (typing && !(tag === 'INPUT' && e.target.type === 'range' && e.key === ' ')) return;
    if (e.altKey || e.metaKey || e.ctrlKey) return;
    if (!menu.el.hidden && menu.el.contains(e.target)) return;
    // Space on a focused button/link/checkbox keeps its native meaning.
    if (e.key === ' ' && (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || (tag === 'INPUT' && e.target.type !== 'range'))) return;
    switch (e.key) {
      case ' ': e.preventDefault(); clock.setPlaying(!clock.playing); break;
      case 'ArrowRight': if (tag === 'INPUT') return; e.preventDefault(); clock.stepToNextEvent(); break;
      case 'n': case 'N': e.preventDefault(); clock.nextVerdict(); break;
      case 'r': case 'R': e.preventDefault(); clock.restart(); break;
      case '?': e.preventDefault(); lab.openHelp(); break;
      default:
    }
  });
}
