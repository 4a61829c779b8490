/**
 * The browser assets for tests: web/dist is built by `npm ci` (postinstall); a test file that serves
 * the pages builds it again when it is missing or older than a source file under web/ (a second or two).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const WEB = path.resolve(import.meta.dirname, '../../web');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function ensureWebBuilt(): void {
  const page = path.join(WEB, 'dist', 'explorer.html');
  if (existsSync(page) && existsSync(path.join(WEB, 'dist', 'graphiql.html')) && statSync(page).mtimeMs >= newestSource(WEB)) return;
  execFileSync(process.execPath, [path.join(WEB, 'build.mjs'), '--quiet'], { stdio: 'inherit' });
}
