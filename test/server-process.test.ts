/**
 * The README's quick start as a user runs it: `npm start` as a real process on a fresh embedded data
 * folder (demo data, generated admin token), the README's "Using it" and object-type examples run
 * by bash exactly as written (only the port differs), hostile raw requests that once killed the
 * process, and a clean restart that no longer prints the admin token.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startListening, type Listening } from './helpers/process.js';
import { raw } from './helpers/raw.js';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'pg-process-'));
const dataDir = path.join(work, 'data');
const running: ChildProcess[] = [];

/** Signals a started command and everything it started (npm runs the server as its child). */
function signal(p: ChildProcess, sig: NodeJS.Signals): void {
  try {
    process.kill(-p.pid!, sig);
  } catch {
    // already gone
  }
}

afterAll(() => {
  for (const p of running) signal(p, 'SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

type Started = Listening;

/** The command `npm start` runs (package.json), to signal the server process itself. */
function startScript(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/);
}

/** `npm start` (or the command it runs) with the data folder and a free port; resolves once it prints its URL. */
function start(command: string[] = ['npm', 'start']): Promise<Started> {
  // Not DATABASE_URL: this is the embedded default a new user gets.
  const env: NodeJS.ProcessEnv = { ...process.env, PROFILEGRAPH_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.HOST;
  delete env.PROFILEGRAPH_ADMIN_TOKEN;
  return startListening(command[0]!, command.slice(1), { cwd: root, env, detached: true }, running);
}


/** The fenced sh blocks of README.md that call the API with `gql`. */
function readmeApiScript(port: string): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => /^(\w+=\$\()?gql \$/m.test(b) || b.includes('gql() {'));
  return blocks.join('\n').replaceAll('localhost:4000', `127.0.0.1:${port}`);
}

describe('npm start (embedded default)', () => {
  let server: Started;

  it('starts on a fresh folder with demo data, on loopback, printing the admin token once', async () => {
    server = await start();
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    expect(server.output()).toContain(`admin token:        ${token}  (shown once`);
    expect(server.output()).toContain('demo domain key:');
    expect(server.output()).not.toMatch(/all interfaces/);
  }, 180_000);

  it("prints the explorer's URL with the demo key in its fragment; opened, it shows the demo domain's customers", async () => {
    const m = /explorer: +(http:\/\/\S+\/)#key=(\S+)/.exec(server.output());
    expect(m, server.output()).not.toBeNull();
    const [, page, demoKey] = m!;
    expect(demoKey).toBe(readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim());
    const res = await fetch(page!, { headers: { accept: 'text/html' } });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    if (!existsSync('/usr/bin/chromium')) return console.warn('explorer not opened in a browser: install Debian\'s "chromium" package');
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const tab = await browser.newPage();
      await tab.goto(`${page}#key=${demoKey}`);
      await tab.locator('ul.profiles a.name').first().waitFor({ timeout: 30_000 });
      expect(await tab.locator('ul.profiles a.name').count()).toBeGreaterThan(10);
      expect(await tab.locator('header .domain').textContent()).toContain('demo');
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('runs the README API examples as written, with no errors', async () => {
    const port = new URL(server.url).port;
    const script = readmeApiScript(port);
    expect(script).toContain('createProfile');
    expect(script).toContain('putObjectType');
    const run = spawnSync('bash', ['-c', `set -euo pipefail\n${script}`], { cwd: work, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThanOrEqual(12);
    for (const line of lines) {
      expect(line.startsWith('{"data"'), line).toBe(true);
      expect(line, line).not.toContain('"errors"');
    }
    expect(run.stdout).toContain('"fullName":"Ada King"');
    expect(run.stdout).toContain('"revokedAt":"');
    expect(run.stdout).toContain('"outcome":"');
  }, 180_000);

  it('survives requests that once killed it, and answers them with 400', async () => {
    for (const target of ['//:99999', 'http://[']) {
      const out = await raw(server.url, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(out).toMatch(/^HTTP\/1\.1 400/);
    }
    // 24 chained fragments, each spreading the next twice, without a key.
    let fragments = '';
    for (let i = 0; i < 24; i++) fragments += `fragment F${i} on Profile { id ${i + 1 < 24 ? `...F${i + 1} ...F${i + 1}` : ''} }\n`;
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ profiles { nodes { ...F0 } } }\n${fragments}` }),
    });
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const health = await fetch(server.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
    expect(server.proc.exitCode).toBeNull();
  }, 60_000);

  it('restarted, does not print the admin token again, and stops cleanly on SIGTERM', async () => {
    signal(server.proc, 'SIGTERM');
    await server.exited;
    // The node process itself this time (npm does not report its child's exit code on a signal).
    const again = await start(startScript());
    const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    expect(again.output()).not.toContain(token);
    expect(again.output()).toContain(`admin token:        in ${path.join(dataDir, 'admin-token')}`);
    signal(again.proc, 'SIGTERM');
    expect(await again.exited).toBe(0);
  }, 180_000);
});
