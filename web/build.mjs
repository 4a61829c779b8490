#!/usr/bin/env node
/**
 * Builds the browser assets served by the gateway into web/dist/ with esbuild (about a second):
 * the explorer (Preact) at `/`, and GraphiQL (React, loaded only at /graphql). Every asset comes
 * from npm packages — nothing is fetched from a CDN at run time. File names carry a content hash
 * (cached for a year); the two HTML pages name them and are revalidated on every load.
 *
 * Runs after `npm ci` (postinstall), from the browser tests' setup, and by hand: `npm run build:web`.
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
// `--out <dir>` builds elsewhere (the tests check the build without touching the served web/dist).
const outAt = process.argv.indexOf('--out');
const target = outAt > 0 ? path.resolve(process.argv[outAt + 1]) : path.join(root, 'dist');
// Built beside the target, then swapped in, so a server starting meanwhile (or a second build
// running at the same time) never reads a half-written folder.
const out = `${target}.tmp-${process.pid}`;

/** Bundles one page and writes its HTML naming the hashed outputs. */
async function page(name, entry, { jsx, title, define = {} }) {
  const result = await build({
    entryPoints: { [name]: path.join(root, entry) },
    bundle: true,
    minify: true,
    sourcemap: false,
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    outdir: path.join(out, 'assets'),
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    jsx: 'automatic',
    jsxImportSource: jsx,
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file', '.png': 'file' },
    define: { 'process.env.NODE_ENV': '"production"', ...define },
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs).filter(([, o]) => o.entryPoint);
  const js = outputs.map(([f]) => f).find((f) => f.endsWith('.js'));
  const css = Object.keys(result.metafile.outputs).find((f) => f.endsWith('.css') && path.basename(f).startsWith(`${name}-`));
  const rel = (f) => `/assets/${path.basename(f)}`;
  const html = readFileSync(path.join(root, name, 'index.html'), 'utf8')
    .replace('<!--title-->', title)
    .replace('<!--assets-->', [css ? `<link rel="stylesheet" href="${rel(css)}">` : '', `<script type="module" src="${rel(js)}"></script>`].filter(Boolean).join('\n    '));
  writeFileSync(path.join(out, `${name}.html`), html);
}

const started = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'assets'), { recursive: true });
await page('explorer', 'explorer/main.tsx', { jsx: 'preact', title: 'profilegraph explorer' });
// Monaco's workers (GraphiQL's editors) are files of their own; the page gets their hashed URLs.
const workers = await build({
  entryPoints: {
    'editor.worker': path.join(root, '../node_modules/monaco-editor/esm/vs/editor/editor.worker.js'),
    'json.worker': path.join(root, '../node_modules/monaco-editor/esm/vs/language/json/json.worker.js'),
    'graphql.worker': path.join(root, '../node_modules/monaco-graphql/esm/graphql.worker.js'),
  },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  outdir: path.join(out, 'assets'),
  entryNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const workerUrl = (name) => JSON.stringify(`/assets/${path.basename(Object.keys(workers.metafile.outputs).find((f) => path.basename(f).startsWith(`${name}-`)))}`);
await page('graphiql', 'graphiql/main.tsx', {
  jsx: 'react',
  title: 'profilegraph GraphiQL',
  define: { EDITOR_WORKER: workerUrl('editor.worker'), JSON_WORKER: workerUrl('json.worker'), GRAPHQL_WORKER: workerUrl('graphql.worker') },
});
rmSync(target, { recursive: true, force: true });
try {
  renameSync(out, target);
} catch (err) {
  // Another build swapped its (identical) output in first.
  rmSync(out, { recursive: true, force: true });
  if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
}
if (!process.argv.includes('--quiet')) console.log(`web assets built into ${path.relative(process.cwd(), target) || target} in ${Date.now() - started} ms`);
