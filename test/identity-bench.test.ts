import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'idbench-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function npm(args: string[]) {
  return run('npm', ['run', '-s', 'bench:identity', '--', ...args], { cwd: root, maxBuffer: 1 << 24 });
}

describe('npm run bench:identity', { timeout: 240_000 }, () => {
  it('clusters any person CSV, writes record_id,cluster_id for every record, and scores against a held-out label', async () => {
    const out = path.join(tmp, 'clusters.csv');
    const { stderr } = await npm(['--input', 'test/fixtures/identity-people.csv', '--id-column', 'id', '--truth-column', 'entity', '--clusters-out', out]);
    expect(stderr).toContain('First Name→firstName');
    expect(stderr).not.toContain('entity→');
    const f1 = (label: string) => Number(new RegExp(`${label} P/R/F1 [0-9.]+/[0-9.]+/([0-9.]+)`).exec(stderr)![1]);
    expect(f1('pairwise')).toBeGreaterThanOrEqual(0.95);
    expect(f1('clustered')).toBeGreaterThanOrEqual(0.95);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('record_id,cluster_id');
    expect(lines).toHaveLength(301);
    const ids = new Set(lines.slice(1).map((l) => l.split(',')[0]));
    expect(ids.size).toBe(300);
    // a duplicate shares its original's cluster; the fixture's truth says which rows are one person
    const truth = readFileSync(path.join(root, 'test/fixtures/identity-people.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const cluster = new Map(lines.slice(1).map((l) => l.split(',') as [string, string]));
    const byEntity = new Map<string, string[]>();
    for (const r of truth) byEntity.set(r[6]!, [...(byEntity.get(r[6]!) ?? []), r[0]!]);
    const multi = [...byEntity.values()].filter((g) => g.length > 1);
    expect(multi.length).toBeGreaterThan(20);
    const together = multi.filter((g) => new Set(g.map((id) => cluster.get(id))).size === 1).length;
    expect(together / multi.length).toBeGreaterThan(0.9);
  });

  it('maps FEBRL and Splink headers with the import\'s auto-mapping (unknown columns become attributes)', async () => {
    const febrl = await npm(['--input', 'test/fixtures/identity-datasets/febrl/dataset1.csv', '--id-column', 'rec_id']);
    for (const m of ['given_name→firstName', 'surname→lastName', 'address_1→address1', 'suburb→city', 'postcode→postalCode', 'state→state', 'date_of_birth→birthDate', 'soc_sec_id→attributes.soc_sec_id', 'street_number→attributes.street_number']) expect(febrl.stderr).toContain(m);
    expect(febrl.stdout.trim().split('\n')).toHaveLength(121);
    const splink = await npm(['--input', 'test/fixtures/identity-datasets/splink_fake_1000/fake_1000.csv', '--ignore', 'cluster']);
    for (const m of ['first_name→firstName', 'surname→lastName', 'dob→birthDate', 'city→city', 'email→emailAddress']) expect(splink.stderr).toContain(m);
    expect(splink.stderr).not.toContain('cluster→');
    expect(splink.stdout.split('\n')[1]).toMatch(/^0,/);
  });

  it('--ignore drops columns; without a label it writes the clusters to stdout', async () => {
    const { stdout, stderr } = await npm(['--input', 'test/fixtures/identity-people.csv', '--ignore', 'entity,E-mail']);
    expect(stderr).not.toContain('E-mail→');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('record_id,cluster_id');
    expect(lines).toHaveLength(301);
  });

  it('scores a datasets folder (FEBRL 1–3 with and without soc_sec_id, fake_1000) with the published figures beside', async () => {
    const { stdout } = await npm(['--datasets', 'test/fixtures/identity-datasets']);
    for (const k of [1, 2, 3]) {
      expect(stdout).toMatch(new RegExp(`FEBRL dataset${k} with soc_sec_id`));
      expect(stdout).toMatch(new RegExp(`FEBRL dataset${k} without soc_sec_id`));
    }
    expect(stdout).toContain('0.9997/0.9862/0.9929');
    const fake = stdout.split('\n').find((l) => l.startsWith('Splink fake_1000'))!;
    const [, , f1] = fake.split(/\s+/)[5]!.split('/');
    expect(Number(f1)).toBeGreaterThanOrEqual(0.9);
  });

  it('runs the README lines as written: the shared datasets (when present) beat the published figures; a CSV is clustered', async () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const cluster = 'npm run bench:identity -- --input test/fixtures/identity-people.csv --id-column id --ignore entity --clusters-out /tmp/clusters.csv';
    expect(readme).toContain(`\n${cluster}\n`);
    expect(readme).toContain('\nnpm run bench:identity\n');
    await npm(cluster.split(' ').slice(4));
    const lines = readFileSync('/tmp/clusters.csv', 'utf8').trim().split('\n');
    expect(lines).toHaveLength(301);
    if (existsSync(path.resolve(root, '../shared/datasets/febrl/dataset3.csv'))) {
      const { stdout } = await npm([]);
      const f1 = (label: string, col: number) => Number(stdout.split('\n').find((l) => l.startsWith(label))!.trim().split(/\s{2,}/)[col]!.split('/')[2]);
      expect(f1('FEBRL dataset3 with soc_sec_id', 4)).toBeGreaterThanOrEqual(0.9929);
      expect(f1('Splink fake_1000', 4)).toBeGreaterThanOrEqual(0.8058);
    } else {
      await expect(npm([])).rejects.toMatchObject({ stderr: expect.stringContaining('No datasets at') });
    }
  });

  it('times a synthetic run and refuses bad arguments', async () => {
    const { stdout } = await npm(['--synthetic', '2000']);
    expect(stdout).toMatch(/synthetic 2000: .*candidate pairs \d+/);
    await expect(npm(['--synthetic', '-5'])).rejects.toMatchObject({ stderr: expect.stringContaining('--synthetic takes') });
    await expect(npm(['--input', 'test/fixtures/identity-people.csv', '--id-column', 'nope'])).rejects.toMatchObject({ stderr: expect.stringContaining('no such column') });
  });
});
