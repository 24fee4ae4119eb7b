#!/usr/bin/env node
// Tiny dependency-free static file server for the lab and the browser tests.
//
// CLI:     node scripts/serve.mjs [DIR=www] [--port N | PORT=N] [--host H]
// Module:  import { serve } from './scripts/serve.mjs';
//          const { url, close } = await serve({ root: 'www/dist', port: 0 });
//
// Binds 127.0.0.1 by default, serves correct MIME types (application/wasm for
// instantiateStreaming), maps directories to index.html, refuses path
// traversal, and sends Cache-Control: no-store (it is a dev/test server).
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat, realpath } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

function send(res, status, body, headers = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** Resolves a request path to a file inside root, or null if it escapes root. */
async function resolveFile(rootReal, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400 };
  const candidate = resolve(rootReal, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded));
  if (candidate !== rootReal && !candidate.startsWith(rootReal + sep)) return { status: 403 };
  let file = candidate;
  let st;
  try {
    st = await stat(file);
    if (st.isDirectory()) {
      if (!urlPath.endsWith('/')) return { status: 301, location: urlPath + '/' };
      file = join(file, 'index.html');
      st = await stat(file);
    }
  } catch {
    return { status: 404 };
  }
  if (!st.isFile()) return { status: 404 };
  // Symlinks must not lead outside root either.
  const real = await realpath(file);
  if (real !== rootReal && !real.startsWith(rootReal + sep)) return { status: 403 };
  return { status: 200, file: real, size: st.size };
}

/**
 * Starts a static server. Resolves to { url, port, server, close }.
 * port 0 (the default) picks a free port.
 */
export async function serve({ root = 'www', port = 0, host = '127.0.0.1', quiet = true } = {}) {
  const rootReal = await realpath(resolve(root)).catch(() => {
    throw new Error(`serve: directory not found: ${resolve(root)}`);
  });
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
      }
      const { pathname, search } = new URL(req.url, 'http://localhost');
      const r = await resolveFile(rootReal, pathname);
      if (!quiet) console.log(`${req.method} ${pathname} ${r.status}`);
      if (r.status === 301) return send(res, 301, 'Moved\n', { Location: r.location + search });
      if (r.status !== 200) {
        const text = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' }[r.status];
        return send(res, r.status, `${text}\n`);
      }
      res.writeHead(200, {
        'Content-Type': MIME_TYPES[extname(r.file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': r.size,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(r.file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch (err) {
      if (!res.headersSent) send(res, 500, 'Internal Server Error\n');
      else res.destroy();
      console.error('serve:', err);
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const actualPort = server.address().port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}/`;
  const close = () =>
    new Promise((ok) => {
      server.close(() => ok());
      server.closeAllConnections?.();
    });
  return { url, port: actualPort, server, close };
}

function parseArgs(argv) {
  const opts = { root: 'www', port: Number(process.env.PORT ?? 8080), host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port' || a === '-p') opts.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) opts.port = Number(a.slice(7));
    else if (a === '--host') opts.host = argv[++i];
    else if (a === '--verbose' || a === '-v') opts.quiet = false;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/serve.mjs [DIR=www] [--port N] [--host H] [--verbose]');
      process.exit(0);
    } else opts.root = a;
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    console.error(`serve: invalid port: ${opts.port}`);
    process.exit(2);
  }
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = parseArgs(process.argv.slice(2));
  serve(opts).then(
    ({ url, close }) => {
      console.log(`Serving ${resolve(opts.root)} at ${url}  (Ctrl+C to stop)`);
      const stop = () => close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (err) => {
      console.error(err.code === 'EADDRINUSE'
        ? `serve: port ${opts.port} is in use; set PORT to another port`
        : `serve: ${err.message}`);
      process.exit(1);
    },
  );
}
