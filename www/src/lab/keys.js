// The Lab's keyboard shortcuts: Space plays and pauses (also on a focused button: Enter
// activates buttons), → steps to the next event (in presenter mode: the next beat), ← the
// previous beat in presenter mode, N jumps to the next verdict, R restarts, P toggles presenter
// mode, ? opens the help, Esc closes the fault menu or leaves presenter mode. Keys typed into a
// text field, a select, a dialog or the menu keep their native meaning.
/**
 * @param clock the Lab's Clock
 * @param menu the fault Menu (el, close())
 * @param lab — { shown() → the Lab tab is visible, openHelp(), presenter, story }
 */
export function listenKeys(clock, menu, lab) {
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    const tag = t?.tagName;
    const textEntry = (tag === 'INPUT' && !['range', 'checkbox', 'radio', 'button'].includes(t.type)) || tag === 'TEXTAREA' || tag === 'SELECT' || t?.isContentEditable;
    if (e.key === 'Escape') {
      if (!menu.el.hidden) { menu.close(true); e.preventDefault(); return; }
      if (lab.presenter.on && !document.querySelector('dialog[open]')) { lab.presenter.set(false); e.preventDefault(); }
      return;
    }
    if (document.querySelector('dialog[open]')) return;
    if (!lab.shown()) return;
    if (textEntry) return;
    if (e.altKey || e.metaKey || e.ctrlKey) return;
    if (!menu.el.hidden && menu.el.contains(t)) return;
    if (e.key === ' ' && tag === 'INPUT' && (t.type === 'checkbox' || t.type === 'radio')) return;
    const presenting = lab.presenter.on;
    switch (e.key) {
      case ' ': e.preventDefault(); clock.setPlaying(!clock.playing); break;
      case 'ArrowRight': case 'PageDown':
        if (tag === 'INPUT' && t.type === 'range') return;
        e.preventDefault();
        if (presenting) lab.story.next(); else if (e.key === 'ArrowRight') clock.stepToNextEvent();
        break;
      case 'ArrowLeft': case 'PageUp':
        if (!presenting) return;
        e.preventDefault(); lab.story.previous(); break;
      case 'n': case 'N': e.preventDefault(); clock.nextVerdict(); break;
      case 'r': case 'R': e.preventDefault(); clock.restart(); break;
      case 'p': case 'P': e.preventDefault(); lab.presenter.toggle(); break;
      case '?': e.preventDefault(); lab.openHelp(); break;
      default:
    }
  });
}
