/**
 * The browser pages, served from web/dist (built by web/build.mjs from npm packages; nothing comes
 * from a CDN): the explorer at `/`, GraphiQL at GET /graphql for browsers, their hashed assets under
 * `/assets/`. Files are read into memory once (gzip-compressed once too); every page carries a strict
 * Content-Security-Policy: scripts only from this origin, no inline script, no framing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';

/** Where web/build.mjs writes. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

// 'self' covers same-origin ws:/wss: (CSP 3) for graphql-ws. Styles: the explorer needs none inline;
// GraphiQL's editor (Monaco) writes <style> elements at run time, so its page allows inline styles
// (never inline scripts).
const BASE_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
export const EXPLORER_CSP = `${BASE_CSP}; style-src 'self'`;
export const GRAPHIQL_CSP = `${BASE_CSP}; style-src 'self' 'unsafe-inline'; worker-src 'self'`;

interface Asset {
  readonly body: Buffer;
  readonly gzip: Buffer | null;
  readonly type: string;
  readonly etag: string;
}

function asset(file: string): Asset {
  const body = readFileSync(file);
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  const compressible = /^(text|application\/json|image\/svg)/.test(type) && body.length > 1024;
  return { body, gzip: compressible ? gzipSync(body) : null, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** The built pages and assets, in memory. `missing` when web/dist was not built. */
export class WebAssets {
  private constructor(
    private readonly pages: ReadonlyMap<'explorer' | 'graphiql', Asset>,
    private readonly assets: ReadonlyMap<string, Asset>,
  ) {}

  static load(dir = WEB_DIST): WebAssets {
    const pages = new Map<'explorer' | 'graphiql', Asset>();
    const assets = new Map<string, Asset>();
    if (existsSync(path.join(dir, 'explorer.html'))) pages.set('explorer', asset(path.join(dir, 'explorer.html')));
    if (existsSync(path.join(dir, 'graphiql.html'))) pages.set('graphiql', asset(path.join(dir, 'graphiql.html')));
    const assetDir = path.join(dir, 'assets');
    if (existsSync(assetDir)) for (const name of readdirSync(assetDir)) assets.set(name, asset(path.join(assetDir, name)));
    return new WebAssets(pages, assets);
  }

  get built(): boolean {
    return this.pages.size === 2;
  }

  /** Sends a page (no-cache: it names the current hashed assets); false when it was not built. */
  page(req: IncomingMessage, res: ServerResponse, name: 'explorer' | 'graphiql'): void {
    const a = this.pages.get(name);
    if (!a) return notBuilt(res);
    send(req, res, a, { 'cache-control': 'no-cache', 'content-security-policy': name === 'explorer' ? EXPLORER_CSP : GRAPHIQL_CSP, 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
  }

  /** Sends `/assets/<name>` (content-hashed, so cached for a year); 404 for anything else. */
  asset(req: IncomingMessage, res: ServerResponse, name: string): void {
    const a = this.assets.get(name);
    if (!a) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found.');
      return;
    }
    send(req, res, a, { 'cache-control': 'public, max-age=31536000, immutable' });
  }
}

function notBuilt(res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end('The explorer is not built: run `npm run build:web` (npm ci runs it) and restart the gateway.');
}

function send(req: IncomingMessage, res: ServerResponse, a: Asset, headers: Record<string, string>): void {
  const common = { ...headers, 'content-type': a.type, etag: a.etag, 'x-content-type-options': 'nosniff', vary: 'accept-encoding' };
  if (req.headers['if-none-match'] === a.etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const gzip = a.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? a.gzip! : a.body;
  res.writeHead(200, { ...common, ...(gzip ? { 'content-encoding': 'gzip' } : {}), 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** A browser navigation: GET/HEAD whose Accept names text/html (never a GraphQL-over-HTTP client's). */
export function wantsHtml(req: IncomingMessage): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && /\btext\/html\b/.test(String(req.headers.accept ?? ''));
}
