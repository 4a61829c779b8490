/**
 * The layer rules of ARCHITECTURE.md, as CI checks them: dependency-cruiser over src/ with
 * .dependency-cruiser.cjs (no import cycles, features never import the GraphQL transport, the
 * database layer knows no feature, the shared kernel knows no feature), and no module but the
 * config reads process.env.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('layer rules', () => {
  it('dependency-cruiser finds no violation in src/', () => {
    const run = spawnSync(path.join(root, 'node_modules/.bin/depcruise'), ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.error).toBeUndefined();
    const report = JSON.parse(run.stdout) as { summary: { violations: Violation[]; totalCruised: number } };
    // The check really read the tree (a broken config would cruise nothing and pass).
    expect(report.summary.totalCruised).toBeGreaterThan(80);
    const lines = report.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.cycle ? v.cycle.map((c) => c.name).join(' → ') : v.to}`);
    expect(lines).toEqual([]);
  }, 120_000);

  it('the rules catch what they forbid (a repository importing the GraphQL transport, a cycle)', () => {
    // depcruise on a small fixture tree shaped like src/ that breaks each rule once.
    const run = spawnSync(path.join(root, 'node_modules/.bin/depcruise'), ['src', '--config', path.join(root, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
      cwd: path.join(root, 'test/fixtures/layers'),
      encoding: 'utf8',
    });
    const report = JSON.parse(run.stdout) as { summary: { violations: Violation[] } };
    const rules = new Set(report.summary.violations.map((v) => v.rule.name));
    expect([...rules].sort()).toEqual(['db-knows-no-feature', 'features-not-on-transport', 'kernel-knows-no-feature', 'no-circular']);
  }, 120_000);

  it('no module but src/config.ts reads process.env', () => {
    const offenders = sourceFiles(path.join(root, 'src'))
      .filter((f) => !f.endsWith(`${path.sep}config.ts`) || path.dirname(f) !== path.join(root, 'src'))
      .filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
  });
});
