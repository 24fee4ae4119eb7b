#!/usr/bin/env node
// Renders `twiggy top --format json` (on stdin) as Markdown: the module's size by part (shallow
// sizes summed by crate or core module path) and its largest items. Used by scripts/wasm-size.sh.
//   twiggy top -n 100000 --format json M.wasm | node scripts/wasm-size-table.mjs [ROWS]
import { readFileSync } from 'node:fs';

const rows = Number(process.argv[2] ?? 12);
const items = JSON.parse(readFileSync(0, 'utf8'));

/** Which part of the program an item belongs to. */
function part(name) {
  const n = name.replace(/^<+/, '');
  if (/^data segment/.test(n)) return 'data (strings, tables)';
  if (/function names/.test(n)) return 'name section (not shipped)';
  const own = n.match(/^liveness::(\w+)/);
  if (own) return `liveness::${own[1]}`;
  if (/^(core|alloc|std)\b.*(fmt|flt2dec|dec2flt|num::)/.test(n) || /as core\[\w+\]::fmt::/.test(n)) return 'core::fmt, number formatting and parsing';
  if (/serde_json/.test(n)) return 'serde_json';
  if (/serde/.test(n)) return 'serde';
  if (/dlmalloc/.test(n)) return 'dlmalloc';
  if (/^(core|alloc|std)/.test(n)) return 'core/alloc/std (collections, sorting, …)';
  if (/wasm_bindgen|js_sys|__wbg|__wbindgen|shim/.test(n)) return 'wasm-bindgen exports and glue';
  return 'other';
}

const clean = (name) => name.replace(/::h[0-9a-f]{16}/g, '').replace(/\|/g, '\\|').replace(/`/g, '');
const total = items.reduce((a, it) => a + it.shallow_size, 0);
const parts = new Map();
for (const it of items) parts.set(part(it.name), (parts.get(part(it.name)) ?? 0) + it.shallow_size);
console.log('| part | bytes | % |\n|---|---|---|');
for (const [p, b] of [...parts].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
  console.log(`| ${p} | ${b.toLocaleString('en')} | ${((100 * b) / total).toFixed(1)} |`);
}
console.log('\n| largest items | bytes | % |\n|---|---|---|');
for (const it of [...items].sort((a, b) => b.shallow_size - a.shallow_size).slice(0, rows)) {
  console.log(`| \`${clean(it.name)}\` | ${it.shallow_size.toLocaleString('en')} | ${it.shallow_size_percent.toFixed(1)} |`);
}
