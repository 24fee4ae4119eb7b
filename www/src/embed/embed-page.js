// embed.html: the lab in an iframe with no page around it. Its hash is the lab's link state
// (#preset=…&t=…&policy=…&speed=…&agent=…, as the lab's Share button writes it, plus
// &controls=none|minimal|full, full by default), handed to the page's one <liveness-lab> element
// as its attributes; a new hash applies again.
import './embed-page.css';
import { defineLivenessLab } from './element.js';
import { ATTRIBUTES } from './settings.js';

defineLivenessLab(location.href); // embed.html sits beside index.html
const lab = document.querySelector('liveness-lab');

function applyHash() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  for (const name of ATTRIBUTES) {
    const v = params.get(name);
    if (v === null) lab.removeAttribute(name); else lab.setAttribute(name, v);
  }
  if (!params.has('controls')) lab.setAttribute('controls', 'full');
}

applyHash();
window.addEventListener('hashchange', applyHash);
