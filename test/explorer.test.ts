/**
 * The explorer's server side over HTTP: the page at `/` and its assets (content types, cache
 * headers, a strict CSP with no inline script), GraphiQL for a browser's GET /graphql (and its
 * switch), GraphQL over HTTP untouched for other GETs, and segmentPreview (count an unsaved rule).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { ensureWebBuilt } from './helpers/web.js';

let s: TestServer;
let off: TestServer;
let base: string;
let a: string;
let b: string;

beforeAll(async () => {
  ensureWebBuilt();
  [s, off] = await Promise.all([startTestServer(), startTestServer({ graphiql: false, explorer: false })]);
  base = s.url.replace(/graphql$/, '');
  a = (await s.createDomain()).key;
  b = (await s.createDomain()).key;
  for (const [key, tiers] of [[a, ['gold', 'gold', 'silver']], [b, ['gold']]] as const) {
    for (const tier of tiers) {
      const r = await s.gql(`mutation($t: String!) { createProfile(input: { firstName: "X", attributes: [{ key: "tier", value: $t }] }) { id } }`, { t: tier }, key);
      expect(r.errors).toBeUndefined();
    }
  }
});
afterAll(async () => {
  await s?.close();
  await off?.close();
});

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('explorer pages', () => {
  it('serves the explorer at / with a strict CSP (no inline script) and hashed assets cached for a year', async () => {
    const res = await fetch(base, { headers: html });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const page = await res.text();
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is a file
    expect(page).not.toMatch(/https?:\/\//); // nothing from another origin
    const assets = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((x) => x.endsWith('.js'))).toBe(true);
    expect(assets.some((x) => x.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      const r = await fetch(new URL(asset, base), { headers: { 'accept-encoding': 'gzip' } });
      expect(r.status, asset).toBe(200);
      expect(r.headers.get('content-type'), asset).toBe(asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      const again = await fetch(new URL(asset, base), { headers: { 'if-none-match': r.headers.get('etag')! } });
      expect(again.status).toBe(304);
    }
    expect((await fetch(new URL('/assets/nope.js', base))).status).toBe(404);
    expect((await fetch(new URL('/assets/../src/config.ts', base))).status).toBe(404);
  });

  it('serves GraphiQL to a browser opening /graphql and leaves GraphQL over HTTP GETs to the API', async () => {
    const page = await fetch(s.url, { headers: html });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = await page.text();
    expect(text).toContain('GraphiQL');
    expect(text).not.toMatch(/https?:\/\//);
    expect(page.headers.get('content-security-policy')).toContain("worker-src 'self'");
    // A GraphQL GET (query in the URL) is GraphQL, whatever the Accept header says.
    const q = await fetch(`${s.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { ...html, 'apollo-require-preflight': '1' } });
    expect(q.headers.get('content-type')).not.toContain('text/html');
    const json = await fetch(`${s.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': '1' } });
    expect(((await json.json()) as any).data).toEqual({ __typename: 'Query' });
  });

  it('turns GraphiQL (PROFILEGRAPH_GRAPHIQL=false) and the explorer off: no page, and no CDN landing page either', async () => {
    const page = await fetch(off.url, { headers: html });
    expect(page.headers.get('content-type')).not.toContain('text/html');
    expect(await page.text()).not.toMatch(/apollographql|cdn\./i);
    expect((await fetch(off.url.replace(/graphql$/, ''), { headers: html })).status).toBe(404);
  });
});

describe('npm run build:web', () => {
  it('builds both pages and their assets from npm packages, in seconds', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'web-build-'));
    try {
      const run = spawnSync('npm', ['run', 'build:web', '--', '--out', out], { cwd: path.resolve(import.meta.dirname, '..'), encoding: 'utf8', timeout: 120_000 });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/web assets built into .* in \d+ ms/);
      const assets = readdirSync(path.join(out, 'assets'));
      for (const name of ['explorer', 'graphiql', 'editor.worker', 'json.worker', 'graphql.worker']) expect(assets.some((f) => f.startsWith(`${name}-`) && f.endsWith('.js')), name).toBe(true);
      for (const page of ['explorer.html', 'graphiql.html']) {
        const html = readFileSync(path.join(out, page), 'utf8');
        for (const [, asset] of html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)) expect(assets).toContain(asset);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 130_000);
});

describe('segmentPreview', () => {
  const PREVIEW = `query($t: String!) { segmentPreview(text: $t) { count text rule } }`;

  it("counts an unsaved rule among the caller's domain's profiles only, and stores nothing", async () => {
    const r = await s.gql(PREVIEW, { t: "attributes.tier = 'gold'" }, a);
    expect(r.errors).toBeUndefined();
    expect(r.data!.segmentPreview.count).toBe(2);
    expect(r.data!.segmentPreview.text).toBe("attributes.tier = 'gold'");
    const other = await s.gql(PREVIEW, { t: "attributes.tier = 'gold'" }, b);
    expect(other.data!.segmentPreview.count).toBe(1);
    expect((await s.gql(`{ segments { name } }`, {}, a)).data!.segments).toEqual([]);
  });

  it('refuses a bad rule with its position, an unknown segment reference, and no key', async () => {
    const bad = await s.gql(PREVIEW, { t: "attributes.tier = = 'gold'" }, a);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await s.gql(PREVIEW, { t: 'segment(nope)' }, a);
    expect(missing.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|NOT_FOUND/);
    const anon = await s.gql(PREVIEW, { t: "attributes.tier = 'gold'" });
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
