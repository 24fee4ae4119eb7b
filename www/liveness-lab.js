// <liveness-lab> for course pages: one <script type="module" src="…/liveness-lab.js"> defines the
// element (src/embed/element.js). The build (vite.config.mjs) puts this file at the root of the
// site under this name, so the address a teacher copies stays the same from one build to the
// next (README, "Embed it in a course page").
import { defineLivenessLab } from './src/embed/element.js';

// This file sits at the site's root: the full lab ("Open in the lab") is beside it.
defineLivenessLab(import.meta.url.replace(/[^/]*$/, ''));
