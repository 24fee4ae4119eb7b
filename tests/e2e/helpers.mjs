// Shared helpers for browser end-to-end tests (node --test tests/e2e/).
// Not a test file itself (node --test only runs *.test.mjs passed by scripts/test.sh).
//
//   import { launchChromium, serveDir, chromiumSkipReason } from './helpers.mjs';
//
//   test('lab loads', { skip: chromiumSkipReason() }, async (t) => {
//     const site = await serveDir('www/dist');
//     const browser = await launchChromium();
//     t.after(() => Promise.all([browser.close(), site.close()]));
//     const page = await browser.newPage();
//     await page.goto(site.url);
//     await page.waitForFunction(() => window.__ready === true);
//   });
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * Where the screenshot tests write their pictures: a scratch folder, so running the tests never
 * rewrites tracked files. `npm run screenshots` (scripts/screenshots.sh) sets SCREENSHOTS_DIR to
 * docs/screenshots to regenerate the README's pictures.
 */
export const SCREENSHOTS_DIR = process.env.SCREENSHOTS_DIR
  ? resolve(REPO_ROOT, process.env.SCREENSHOTS_DIR)
  : join(tmpdir(), `liveness-screenshots-${process.getuid?.() ?? 0}`);
export const CHROMIUM_PATH = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/**
 * A skip reason for node:test when no browser is installed, else false. With REQUIRE_BROWSER=1
 * (CI) nothing is skipped, so a missing browser fails the tests instead.
 */
export function chromiumSkipReason() {
  if (existsSync(CHROMIUM_PATH) || process.env.REQUIRE_BROWSER === '1') return false;
  return `chromium not installed (${CHROMIUM_PATH} missing; run scripts/setup.sh as root)`;
}

/**
 * Launches the system Chromium headless with a fresh temporary profile
 * (user-data-dir), removed again on close().
 * Returns { context, newPage(), pages(), close() }; `context` is a Playwright
 * BrowserContext (persistent), so everything on it (route, addInitScript,
 * exposeFunction, ...) is available.
 * Extra Playwright launch options (e.g. { viewport }) can be passed in.
 */
export async function launchChromium(options = {}) {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`chromium not found at ${CHROMIUM_PATH}`);
  const userDataDir = await mkdtemp(join(tmpdir(), 'liveness-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
      ...options,
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
  let closed = false;
  return {
    context,
    userDataDir,
    /** A new tab; the first call reuses the blank tab Chromium opens with. */
    async newPage() {
      const blank = context.pages().find((p) => p.url() === 'about:blank' && !p.__liveness_used);
      const page = blank ?? (await context.newPage());
      page.__liveness_used = true;
      return page;
    },
    pages: () => context.pages(),
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Serves a directory (absolute, or relative to the repo root) with
 * scripts/serve.mjs on a free loopback port. Returns { url, port, close }.
 */
export async function serveDir(dir = 'www') {
  const root = resolve(REPO_ROOT, dir);
  const { url, port, close } = await serve({ root, port: 0, host: '127.0.0.1' });
  return { url, port, close };
}

/**
 * Collects console errors and uncaught page errors, so a test can assert
 * none happened: const errors = collectPageErrors(page); ... assert.deepEqual(errors, []).
 */
export function collectPageErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') {
      const where = m.location()?.url;
      errors.push(`console.error: ${m.text()}${where ? ` (${where})` : ''}`);
    }
  });
  return errors;
}

/**
 * Opens the lab at `url` (the site's URL plus a hash) in a new tab of `browser` (launchChromium)
 * sized width × height, and waits until the page says it is ready. Returns { page, errors }.
 */
export async function openLabPage(browser, url, { width = 1280, height = 800 } = {}) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  const errors = collectPageErrors(page);
  await page.goto(url);
  await page.waitForFunction(() => window.__ready === true, null, { timeout: 30_000 });
  return { page, errors };
}

/** The lab's simulated time (ms), as the clock shows it (data-sim-time). */
export const simTime = (page) => page.$eval('[data-sim-time]', (e) => Number(e.dataset.simTime));

/** Waits until the lab's simulated time is exactly `t`; the error says where it is instead. */
export async function waitSimTime(page, t, timeout = 15_000) {
  try {
    await page.waitForFunction((want) => Number(document.querySelector('[data-sim-time]')?.dataset.simTime) === want, t, { timeout });
  } catch {
    const got = await page.evaluate(() => ({ t: document.querySelector('[data-sim-time]')?.dataset.simTime, url: location.href, banner: document.querySelector('#banner')?.hidden ? '' : document.querySelector('#banner-msg')?.textContent }));
    throw new Error(`simulated time never became ${t}: ${JSON.stringify(got)}`);
  }
}

/** Waits until the story shows beat n (1-based) as the current one, paused with its caption. */
export async function waitBeat(page, n, timeout = 30_000) {
  await page.waitForFunction((k) => {
    const li = document.querySelector(`.story li[data-story-step="${k}"]`);
    const cap = document.querySelector('#caption');
    return li?.getAttribute('aria-current') === 'step' && cap && !cap.hidden && cap.dataset.storyCaption === String(k)
      && !/Working it out/.test(cap.textContent) && document.querySelector('#play-btn').getAttribute('aria-label') === 'Play';
  }, n, { timeout });
}

/** The site (www/dist) served and a browser launched, for a describe block's before();
 *  `close()` in its after(). */
export async function labSession(options = {}) {
  const site = await serveDir('www/dist');
  const browser = await launchChromium({ viewport: { width: 1280, height: 800 }, ...options });
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  return { site, browser, close: async () => { await browser.close(); await site.close(); } };
}
