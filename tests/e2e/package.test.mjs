// The npm package in a browser, as a Vite user gets it: the tarball installed into a fresh
// folder, a one-file app importing "liveness" by name with no configuration, run in Chromium
// both built (`vite build`, the .wasm as an asset) and from Vite's dev server (which pre-bundles
// dependencies, so the package's "development" entry inlines the bytes). Each computes every
// preset's trace hash, equal to the native CLI's, with no console errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, createServer } from 'vite';
import { launchChromium, serveDir, chromiumSkipReason, collectPageErrors } from './helpers.mjs';
import { buildNative, lib, runNative } from '../js/helpers.mjs';
import { APP_HTML, APP_JS, packAndInstall } from '../js/packed.mjs';

const skip = chromiumSkipReason();
let pkg;
let browser;
let nativeHashes;

/**
 * Vite sets NODE_ENV (production for a build, development for the dev server) when it is unset,
 * and the package's entry depends on it: each test starts unset, as a fresh `vite` command would.
 */
function freshNodeEnv() {
  delete process.env.NODE_ENV;
}

/** Opens `url` and returns the app's hashes and the page's errors. */
async function hashesAt(url) {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await page.goto(url);
  await page.waitForFunction(() => window.__hashes, null, { timeout: 30_000 });
  const hashes = await page.evaluate(() => window.__hashes);
  await page.close();
  return { hashes, errors };
}

describe('the npm package in Chromium', { skip }, () => {
  before(async () => {
    pkg = packAndInstall();
    writeFileSync(path.join(pkg.dir, 'index.html'), APP_HTML);
    writeFileSync(path.join(pkg.dir, 'main.js'), APP_JS);
    browser = await launchChromium();
    buildNative();
    nativeHashes = Object.fromEntries(lib.presets().map((p) => [p.name, runNative(p.scenario).trace_hash]));
  });
  after(async () => {
    await browser?.close();
    pkg?.remove();
  });

  test('a Vite build of the app', { timeout: 60_000 }, async () => {
    freshNodeEnv();
    await build({ root: pkg.dir, logLevel: 'warn' });
    const site = await serveDir(path.join(pkg.dir, 'dist'));
    try {
      const { hashes, errors } = await hashesAt(site.url);
      assert.deepEqual(hashes, nativeHashes);
      assert.deepEqual(errors, []);
    } finally {
      await site.close();
    }
  });

  test('the app on Vite\'s dev server', { timeout: 60_000 }, async () => {
    freshNodeEnv();
    const server = await createServer({ root: pkg.dir, logLevel: 'warn', server: { host: '127.0.0.1', port: 0 } });
    await server.listen();
    try {
      const { hashes, errors } = await hashesAt(server.resolvedUrls.local[0]);
      assert.deepEqual(hashes, nativeHashes);
      assert.deepEqual(errors, []);
    } finally {
      await server.close();
    }
  });
});
