/**
 * The `profilegraph` CLI as users run it: every test spawns the real process (bin/profilegraph, the
 * README's `npm run …` lines) against a real database — embedded PGlite in a temp data folder, or a
 * fresh Postgres database when TEST_DATABASE_URL is set — and checks exit codes, output and what
 * landed in the database. Tests run in order and share the database (PGlite allows one process at a
 * time, so nothing runs concurrently).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, query, type Database } from '../src/db/database.js';
import { hashKey } from '../src/modules/domain/auth.js';
import { createTestDatabase, startTestServer, type TestDatabase } from './helpers/server.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const BIN = path.join(ROOT, 'bin/profilegraph');
const SLOW = 120_000;

let testDb: TestDatabase;
/** A throwaway project: the repository's code and examples linked in, files written by commands land here. */
let project: string;
let dataDir: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: testDb.url ?? '',
    PROFILEGRAPH_DATA_DIR: dataDir,
    PROFILEGRAPH_ADMIN_TOKEN: '',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

function collect(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** bin/profilegraph with these arguments, in the project folder. */
const cli = (...args: string[]): Promise<Run> => collect(spawn(BIN, args, { cwd: project, env: env(), stdio: ['ignore', 'pipe', 'pipe'] }));

/** A shell command line, verbatim, in the project folder. */
const shell = (line: string, extra: Record<string, string> = {}): Promise<Run> =>
  collect(spawn('sh', ['-c', line], { cwd: project, env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] }));

/** Runs `fn` on the database and closes it (PGlite allows one process at a time). */
async function withDb<T>(fn: (db: Database['db']) => Promise<T>): Promise<T> {
  const database = testDb.url ? await openDatabase({ databaseUrl: testDb.url, dataDir: 'unused', poolSize: 1 }) : await openDatabase({ dataDir });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

interface DomainState {
  profiles: number;
  objects: number;
  deadLetters: number;
  objectTypes: number;
  lastEventId: number;
}

/** What a domain holds, or null when it does not exist. */
async function domainState(name: string): Promise<DomainState | null> {
  return withDb(async (db) => {
    const [row] = await query<DomainState>(
      db,
      sql`select (select count(*)::int from profiles p where p.domain_id = d.id) as "profiles",
                 (select count(*)::int from profile_objects o where o.domain_id = d.id) as "objects",
                 (select count(*)::int from dead_letters x where x.domain_id = d.id) as "deadLetters",
                 (select count(*)::int from object_types t where t.domain_id = d.id) as "objectTypes",
                 d.last_event_id::int as "lastEventId"
            from domains d where d.name = ${name}`,
    );
    return row ?? null;
  });
}

/** An error is one line on stderr (after any notes), never a stack trace. */
function expectOneLineError(r: Run, pattern: RegExp): void {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines.filter((l) => l.startsWith('error:'))).toHaveLength(1);
  expect(lines[lines.length - 1]).toMatch(/^error: /);
  expect(lines[lines.length - 1]).toMatch(pattern);
}

// ---------------------------------------------------------------------------------------------
// The README's command lines (```sh blocks): each one must be run by a test below, as written.

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const documented: string[] = [...README.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => m[1]!.split('\n'))
  .map((l) => l.trim())
  .filter((l) => /^(\w+=(\$\([^)]*\)|\S+) )*(bin\/profilegraph|npm run (-s )?(import|cli|migrate|seed)) /.test(l));
const ran = new Set<string>();

/** The README line that is `command` (followed by a `# comment` or not), marked as run. */
function readmeLine(command: string): string {
  const hits = documented.filter((l) => l.replace(/\s+#.*$/, '') === command);
  expect(hits, `README lines reading ${command}`).toHaveLength(1);
  ran.add(hits[0]!);
  return hits[0]!;
}

/** The `# …` output lines the README shows right after a command line (without "# "). */
function readmeOutput(line: string): string[] {
  const rest = README.slice(README.indexOf(line) + line.length).split('\n').slice(1);
  const out: string[] = [];
  for (const l of rest) {
    if (!l.startsWith('#')) break;
    out.push(l.replace(/^#\s?/, '').trim());
  }
  return out;
}

/** Asserts that `text` shows every README output line ("…" stands for any text). */
function expectReadmeOutput(text: string, line: string): void {
  const expected = readmeOutput(line);
  expect(expected.length, `README output shown after ${line}`).toBeGreaterThan(0);
  for (const e of expected) {
    const pattern = e
      .split('…')
      .map((part) => part.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    expect(text).toMatch(new RegExp(pattern));
  }
}

// ---------------------------------------------------------------------------------------------
// A CSV larger than one stream chunk (64 KiB), with a multi-line cell and three bad rows.

interface LeadsFile {
  text: string;
  /** UNIQUE key values of the rows that must land. */
  goodIds: string[];
  bad: { line: number; reason: RegExp }[];
}

function leadsCsv(first: number, count: number, opts: { badEmailAt?: number; wrongColumnsAt?: number; nulAt?: number; multiLineAt?: number } = {}): LeadsFile {
  const lines = ['id,first_name,last_name,email,phone,tier,notes'];
  const goodIds: string[] = [];
  const bad: LeadsFile['bad'] = [];
  let line = 2; // the line the next record starts on
  for (let i = first; i < first + count; i++) {
    const id = `L${i}`;
    let email = `lead${i}@example.com`;
    let notes = `"Lead ${i} from the spring fair, called twice, prefers e-mail; 東京 office, Zoë's team — ${'x'.repeat(40)}"`;
    let fields: string[] | null = null;
    if (i === opts.multiLineAt) notes = `"first line\nsecond line of lead ${i}"`;
    if (i === opts.badEmailAt) {
      email = `lead${i}@`;
      bad.push({ line, reason: /e-mail/ });
    } else if (i === opts.nulAt) {
      notes = `nul\u0000here`;
      bad.push({ line, reason: /NUL/ });
    } else if (i === opts.wrongColumnsAt) {
      fields = [id, 'Only', 'Six', email, `(212) 300-${String(i).padStart(4, '0')}`, 'gold'];
      bad.push({ line, reason: /expected 7 columns, found 6/ });
    } else goodIds.push(id);
    fields ??= [id, `Zoë${i}`, `Müller-${i}`, email, `(212) 300-${String(i).padStart(4, '0')}`, ['gold', 'silver', 'bronze'][i % 3]!, notes];
    const record = fields.join(',');
    lines.push(record);
    line += record.split('\n').length;
  }
  return { text: `${lines.join('\n')}\n`, goodIds, bad };
}

const LEADS = leadsCsv(1, 5000, { multiLineAt: 50, wrongColumnsAt: 100, badEmailAt: 2500, nulAt: 4000 });

beforeAll(async () => {
  testDb = await createTestDatabase();
  project = mkdtempSync(path.join(tmpdir(), 'profilegraph-cli-'));
  dataDir = path.join(project, 'data');
  for (const dir of ['bin', 'src', 'schema', 'drizzle', 'examples', 'node_modules']) symlinkSync(path.join(ROOT, dir), path.join(project, dir));
  for (const file of ['package.json', 'tsconfig.json']) copyFileSync(path.join(ROOT, file), path.join(project, file));
  writeFileSync(path.join(project, 'leads.csv'), LEADS.text);
});

afterAll(async () => {
  await testDb?.drop();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe(`profilegraph CLI (${process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('--help and <command> --help list every command and option, exit 0', { timeout: SLOW }, async () => {
    const cases: [string[], string[]][] = [
      [['--help'], ['serve', 'migrate', 'import', 'export', 'merge', 'unmerge', 'domain', 'key', 'Exit codes', '64']],
      [['merge', '--help'], ['--domain', '--main', '--merge', '--field', '--conflict', '--source-priority', '--dry-run']],
      [['serve', '--help'], ['--seed', '--no-seed', '--port', '--host']],
      [['migrate', '--help'], ['Apply pending database migrations']],
      [['import', '--help'], ['<file>', '--domain', '--type', '--mapping', '--suggest', '--dry-run', '--encoding', '--quiet']],
      [['export', '--help'], ['--domain', '--type', '--format', '--from', '--to', '--out', '--quiet']],
      [['domain', '--help'], ['create', 'list', 'delete']],
      [['domain', 'create', '--help'], ['<name>', '--phone-region', '--expiration-days', '--event-retention-days']],
      [['domain', 'list', '--help'], ['List domains']],
      [['domain', 'delete', '--help'], ['<name>', '--yes']],
      [['key', '--help'], ['create', 'list', 'revoke']],
      [['key', 'create', '--help'], ['--domain', '--name']],
      [['key', 'list', '--help'], ['--domain']],
      [['key', 'revoke', '--help'], ['<id>']],
    ];
    for (const [args, expected] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(0);
      const command = args.filter((a) => a !== '--help').join(' ');
      expect(r.stdout).toContain(`Usage: profilegraph ${command}`.trim());
      for (const e of expected) expect(r.stdout, `${args.join(' ')} lists ${e}`).toContain(e);
      expect(r.stderr).toBe('');
    }
    readmeLine('bin/profilegraph --help'); // the README's first CLI line is the first case above
  });

  it('usage errors: one error line and the usage on stderr, exit 64', { timeout: SLOW }, async () => {
    const unknownOption = await cli('import', 'leads.csv', '--domain', 'x', '--bogus');
    expect(unknownOption.code).toBe(64);
    expect(unknownOption.stdout).toBe('');
    expect(unknownOption.stderr.trimEnd().split('\n')).toEqual([
      "error: unknown option '--bogus'",
      expect.stringMatching(/^usage: profilegraph import \[options\] <file>/),
    ]);

    const unknownCommand = await cli('frobnicate');
    expect(unknownCommand.code).toBe(64);
    expect(unknownCommand.stderr).toMatch(/^error: unknown command 'frobnicate'\nusage: profilegraph /);

    const missingRequired = await cli('export', '--domain', 'x', '--out', 'x.jsonl');
    expect(missingRequired.code).toBe(64);
    expect(missingRequired.stderr).toMatch(/required option '-t, --type <type>' not specified\nusage: profilegraph export/);

    const noDomain = await cli('import', 'leads.csv');
    expect(noDomain.code).toBe(64);
    expect(noDomain.stderr).toMatch(/--domain <name>' not specified.*\nusage: profilegraph import/);
  });

  it('README "Real Postgres": migrate, seed the demo domain', { timeout: SLOW }, async () => {
    const migrate = await shell(readmeLine('bin/profilegraph migrate'));
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(new RegExp(`^Migrations applied \\(${testDb.kind}`));

    const seed = await shell(readmeLine('npm run seed -- --domain demo'));
    expect(seed.code, seed.stderr).toBe(0);
    expect(seed.stdout).toMatch(/Seeded domain "demo" with \d+ profiles/);
    expect((await domainState('demo'))!.profiles).toBeGreaterThan(0);
  });

  it('README "Real Postgres": serve starts the gateway and stops on SIGTERM', { timeout: SLOW }, async () => {
    // The gateway, started as the README says (on a free port), answers and stops on SIGTERM.
    const serve = spawn('sh', ['-c', readmeLine('PROFILEGRAPH_ADMIN_TOKEN=$(openssl rand -hex 24) bin/profilegraph serve')], {
      cwd: project,
      env: env({ PORT: '0', HOST: '127.0.0.1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: sh, tsx and node all get the signal
    });
    const exited = collect(serve);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        serve.stdout!.on('data', (d: string) => {
          out += d;
          const m = /listening on (http:\/\/\S+)\/graphql/.exec(out);
          if (m) resolve(m[1]!);
        });
        void exited.then((r) => reject(new Error(`serve exited ${r.code} before listening: ${r.stderr}`)));
      });
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      process.kill(-serve.pid!, 'SIGTERM');
      const r = await exited;
      expect(r.stderr).not.toMatch(/error while shutting down|\n\s+at /);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      if (serve.exitCode === null && serve.signalCode === null) process.kill(-serve.pid!, 'SIGKILL');
    }
  });

  it('README CSV import: one step, then --suggest → --mapping (dry run first) changes nothing', { timeout: SLOW }, async () => {
    const oneStepLine = readmeLine('bin/profilegraph import examples/customers.csv --domain demo');
    const before = (await domainState('demo'))!;
    const oneStep = await shell(oneStepLine);
    expect(oneStep.code, oneStep.stderr).toBe(2);
    expectReadmeOutput(oneStep.stdout, oneStepLine);
    expect(oneStep.stdout).toMatch(/^7 rows in .*: 0 attached, 3 new profiles, 0 unchanged, 4 bad\.$/m);
    expect(oneStep.stdout.match(/^ {2}line \d+:/gm)).toEqual(['  line 5:', '  line 6:', '  line 7:', '  line 8:']);
    expect(oneStep.stderr).toMatch(/Object type "Customers" is created from the headers/);
    expect(oneStep.stderr).toMatch(/E-mail +→ _profile\.EmailAddress \(EMAIL_ADDRESS\)/);
    const afterImport = (await domainState('demo'))!;
    expect(afterImport.profiles - before.profiles).toBe(3);
    expect(afterImport.objects - before.objects).toBe(3);

    const suggest = await shell(readmeLine('npm run -s import -- examples/customers.csv --type Customers --suggest > customers-type.json'));
    expect(suggest.code, suggest.stderr).toBe(0);
    const suggestion = JSON.parse(readFileSync(path.join(project, 'customers-type.json'), 'utf8'));
    expect(suggestion.objectType.name).toBe('Customers');
    expect(suggestion.objectType.keys[0]).toMatchObject({ identifiers: ['UNIQUE'], fieldNames: ['Customer_ID'] });

    const dryRun = await shell(readmeLine('npm run import -- examples/customers.csv --domain demo --mapping customers-type.json --dry-run'));
    expect(dryRun.code, dryRun.stderr).toBe(2);
    expect(dryRun.stdout).toMatch(/^Dry run, nothing written: 7 rows checked .*: 3 valid, 4 bad\.$/m);
    expect(await domainState('demo')).toEqual(afterImport);

    const mapped = await shell(readmeLine('npm run import -- examples/customers.csv --domain demo --mapping customers-type.json'));
    expect(mapped.code, mapped.stderr).toBe(2);
    expect(mapped.stdout).toMatch(/7 rows in .*: 0 attached, 0 new profiles, 3 unchanged, 4 bad\./);
    expect(mapped.stdout).toContain('line 5: emailAddress "grace@" is not an e-mail address.');
    const afterMapped = (await domainState('demo'))!;
    // Dead letters included: the same bad rows refused again count on their first dead letters.
    expect(afterMapped).toEqual(afterImport);
  });

  it('README moving a domain and exports: export → import into a new domain; JSONL and a folder of CSVs', { timeout: SLOW }, async () => {
    const demo = (await domainState('demo'))!;
    const toCsv = await shell(readmeLine('bin/profilegraph export --domain demo --type profile --format csv --out demo-profiles.csv'));
    expect(toCsv.code, toCsv.stderr).toBe(0);
    expect(toCsv.stdout).toBe(`demo-profiles.csv: ${demo.profiles} profile rows, ${readFileSync(path.join(project, 'demo-profiles.csv')).length} bytes\n`);
    expect(parse(readFileSync(path.join(project, 'demo-profiles.csv')), { columns: true })).toHaveLength(demo.profiles);

    const create = await shell(readmeLine('bin/profilegraph domain create acme'));
    expect(create.code, create.stderr).toBe(0);
    expect(create.stdout).toMatch(/^pgk_\S+\n$/);

    const restore = await shell(readmeLine('bin/profilegraph import demo-profiles.csv --domain acme --type Restored'));
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(new RegExp(`^${demo.profiles} rows in .*: 0 attached, ${demo.profiles} new profiles, 0 unchanged, 0 bad\\.$`, 'm'));
    expect((await domainState('acme'))!.profiles).toBe(demo.profiles);

    const jsonl = await shell(readmeLine('bin/profilegraph export --domain demo --type profile --format jsonl --out profiles.jsonl'));
    expect(jsonl.code, jsonl.stderr).toBe(0);
    const records = readFileSync(path.join(project, 'profiles.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string });
    expect(records).toHaveLength(demo.profiles);

    const folder = await shell(readmeLine('npm run cli -- export --domain demo --type profile --type contact --format csv --out ./out'));
    expect(folder.code, folder.stderr).toBe(0);
    const contacts = await withDb(async (db) => (await query<{ n: number }>(db, sql`select count(*)::int as n from contacts c join domains d on d.id = c.domain_id where d.name = 'demo'`))[0]!.n);
    expect(parse(readFileSync(path.join(project, 'out/profile.csv')), { columns: true })).toHaveLength(demo.profiles);
    expect(parse(readFileSync(path.join(project, 'out/contact.csv')), { columns: true })).toHaveLength(contacts);
    expect(folder.stdout).toContain(`out/contact.csv: ${contacts} contact rows`);
  });

  it('README merging: merge --dry-run writes nothing, merge folds a profile in, unmerge restores it', { timeout: SLOW }, async () => {
    const [main, other] = await withDb(async (db) =>
      (await query<{ id: string }>(db, sql`select p.id::text as id from profiles p join domains d on d.id = p.domain_id where d.name = 'demo' order by p.created_at, p.id limit 2`)).map((r) => r.id),
    );
    const ids = { MAIN: main!, OTHER: other! };
    const before = (await domainState('demo'))!;
    const dry = await shell(readmeLine('bin/profilegraph merge --domain demo --main $MAIN --merge $OTHER --dry-run'), ids);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, merge: null, result: { id: main } });
    expect(dry.stderr).toMatch(/^Dry run: merging would move \d+ object\(s\) to profile .*; nothing was written\.$/m);
    expect(await domainState('demo')).toEqual(before);

    const merged = await shell(readmeLine('bin/profilegraph merge --domain demo --main $MAIN --merge $OTHER --field firstName=$OTHER'), ids);
    expect(merged.code, merged.stderr).toBe(0);
    const out = JSON.parse(merged.stdout) as { merge: { id: string; mergedProfileIds: string[]; origin: string } };
    expect(out.merge).toMatchObject({ mergedProfileIds: [other], origin: 'MANUAL' });
    expect((await domainState('demo'))!.profiles).toBe(before.profiles - 1);

    const undo = await shell(readmeLine('bin/profilegraph unmerge --domain demo $MERGE_ID'), { MERGE_ID: out.merge.id });
    expect(undo.code, undo.stderr).toBe(0);
    expect(JSON.parse(undo.stdout)).toMatchObject({ restoredProfileIds: [other], merge: { id: out.merge.id } });
    expect((await domainState('demo'))!.profiles).toBe(before.profiles);
    const again = await cli('unmerge', '--domain', 'demo', out.merge.id);
    expect(again.code).toBe(1);
    expectOneLineError(again, /was already undone/);
    const bad = await cli('merge', '--domain', 'demo', '--main', main!, '--merge', main!);
    expect(bad.code).toBe(1);
    expectOneLineError(bad, /also in profileIdsToMerge/);
  });

  it(`imports ${LEADS.goodIds.length + LEADS.bad.length} rows (> 200 KiB) in one step: every good row lands, bad rows by line, exit 2`, { timeout: SLOW }, async () => {
    expect(LEADS.text.length).toBeGreaterThan(200 * 1024);
    const create = await cli('domain', 'create', 'big');
    expect(create.code, create.stderr).toBe(0);

    const r = await cli('import', 'leads.csv', '--domain', 'big');
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toMatch(/^5000 rows in .*: 0 attached, 4997 new profiles, 0 unchanged, 3 bad\.$/m);
    const reported = [...r.stdout.matchAll(/^ {2}line (\d+): (.*)$/gm)].map((m) => ({ line: Number(m[1]), reason: m[2]! }));
    expect(reported.map((e) => e.line)).toEqual(LEADS.bad.map((b) => b.line));
    LEADS.bad.forEach((b, i) => expect(reported[i]!.reason).toMatch(b.reason));
    expect(r.stderr).toMatch(/Object type "Leads" is created from the headers/);

    // Every good row landed, the first one included (the old CLI lost the first 64 KiB, header and all).
    const keys = await withDb(async (db) =>
      (
        await query<{ unique_key: string }>(
          db,
          sql`select o.unique_key from profile_objects o join domains d on d.id = o.domain_id where d.name = 'big' and o.object_type = 'Leads'`,
        )
      ).map((k) => k.unique_key),
    );
    expect(keys.sort()).toEqual([...LEADS.goodIds].sort());
    expect((await domainState('big'))!.profiles).toBe(LEADS.goodIds.length);
  });

  it('re-running the same file changes nothing', { timeout: SLOW }, async () => {
    const before = (await domainState('big'))!;
    const r = await cli('import', 'leads.csv', '--domain', 'big', '--quiet');
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toMatch(/^5000 rows in .*: 0 attached, 0 new profiles, 4997 unchanged, 3 bad\.$/m);
    expect(r.stderr).toBe('');
    const after = (await domainState('big'))!;
    expect(after).toEqual(before);
  });

  it('--dry-run checks every row of an existing type and writes nothing', { timeout: SLOW }, async () => {
    const more = leadsCsv(5001, 31, { badEmailAt: 5031 });
    writeFileSync(path.join(project, 'more-leads.csv'), more.text);
    const before = (await domainState('big'))!;
    const r = await cli('import', 'more-leads.csv', '--domain', 'big', '--type', 'Leads', '--dry-run');
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toMatch(/^Dry run, nothing written: 31 rows checked .*: 30 valid, 1 bad\.$/m);
    expect(r.stdout).toMatch(/^ {2}line 32: .*e-mail/m);
    expect(await domainState('big')).toEqual(before);
  });

  it('export to a file: one record per profile and per object', { timeout: SLOW }, async () => {
    const r = await cli('export', '--domain', 'big', '--type', 'profile', '--type', 'Leads', '--out', 'big-export');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`big-export/profile.jsonl: ${LEADS.goodIds.length} profile rows`);
    expect(r.stdout).toContain(`big-export/Leads.jsonl: ${LEADS.goodIds.length} Leads rows`);
    const profiles = readFileSync(path.join(project, 'big-export/profile.jsonl'), 'utf8').trimEnd().split('\n');
    expect(profiles).toHaveLength(LEADS.goodIds.length);
    const objects = readFileSync(path.join(project, 'big-export/Leads.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { uniqueKey: string });
    expect(objects.map((o) => o.uniqueKey).sort()).toEqual([...LEADS.goodIds].sort());
  });

  it('errors are one actionable line and exit 1: unknown domain, missing file, unreadable mapping', { timeout: SLOW }, async () => {
    const unknownDomain = await cli('import', 'leads.csv', '--domain', 'nope');
    expect(unknownDomain.code).toBe(1);
    expectOneLineError(unknownDomain, /domain "nope" does not exist .*profilegraph domain create nope/);

    const missingFile = await cli('import', 'missing.csv', '--domain', 'big');
    expect(missingFile.code).toBe(1);
    expectOneLineError(missingFile, /cannot read missing\.csv: no such file/);

    const missingMapping = await cli('import', 'leads.csv', '--domain', 'big', '--mapping', 'nope.json');
    expect(missingMapping.code).toBe(1);
    expectOneLineError(missingMapping, /cannot read mapping file nope\.json: no such file .*--suggest > nope\.json/);

    // What `npm run import -- … --suggest > file` (without -s) writes: npm's banner, then the JSON.
    writeFileSync(path.join(project, 'banner.json'), `\n> profilegraph@0.1.0 import\n> tsx src/modules/import/import.command.ts leads.csv --suggest\n\n{}\n`);
    const banner = await cli('import', 'leads.csv', '--domain', 'big', '--mapping', 'banner.json');
    expect(banner.code).toBe(1);
    expectOneLineError(banner, /banner\.json starts with npm's "> script" banner.*npm run -s import/);
  });

  it('README CLI section: domain create, key create / list / revoke', { timeout: SLOW }, async () => {
    const create = await shell(readmeLine('bin/profilegraph domain create shop'));
    expect(create.code, create.stderr).toBe(0);
    expect(create.stdout).toMatch(/^pgk_\S+\n$/);
    expect(create.stderr).toMatch(/shown only this once/);
    const key = await shell(readmeLine('bin/profilegraph key create --domain shop --name crm-sync'));
    expect(key.code, key.stderr).toBe(0);
    expect(key.stdout).toMatch(/^pgk_\S+\n$/);
    const keyId = /\(id ([0-9a-f-]{36}), name "crm-sync"\)/.exec(key.stderr)![1]!;
    const activeKeys = () =>
      withDb(async (db) =>
        (await query<{ key_hash: string }>(db, sql`select k.key_hash from api_keys k join domains d on d.id = k.domain_id where d.name = 'shop' and k.revoked_at is null`)).map((k) => k.key_hash),
      );
    expect((await activeKeys()).sort()).toEqual([hashKey(create.stdout.trim()), hashKey(key.stdout.trim())].sort());

    const list = await shell(readmeLine('bin/profilegraph key list --domain shop'));
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${keyId} +crm-sync +pgk_`, 'm'));
    expect(list.stdout).toMatch(/ default +pgk_/);

    const revokeLine = readmeLine('bin/profilegraph key revoke <key id>');
    const revoke = await shell(revokeLine.replace('<key id>', keyId));
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toContain(`Revoked API key ${keyId}`);
    expect(await activeKeys()).toEqual([hashKey(create.stdout.trim())]);
    const again = await cli('key', 'revoke', keyId);
    expect(again.code).toBe(1);
    expectOneLineError(again, /already revoked/);

  });

  it('README CLI section: --dry-run of a new type, domain list, domain delete', { timeout: SLOW }, async () => {
    // A dry run into a type that does not exist yet: it sees the mapping, and even the type is not kept.
    const dryRun = await shell(readmeLine('bin/profilegraph import examples/customers.csv --domain shop --dry-run'));
    expect(dryRun.code, dryRun.stderr).toBe(2);
    expect(dryRun.stdout).toMatch(/^Dry run, nothing written: 7 rows checked .*: 3 valid, 4 bad\.$/m);
    expect(dryRun.stderr).toMatch(/Object type "Customers" would be created from the headers/);
    expect(await domainState('shop')).toEqual({ profiles: 0, objects: 0, deadLetters: 0, objectTypes: 0, lastEventId: 0 });

    const domains = await shell(readmeLine('bin/profilegraph domain list'));
    expect(domains.code, domains.stderr).toBe(0);
    expect(domains.stdout.trimEnd().split('\n').map((l) => l.split(/ +/)[0])).toEqual(['NAME', 'acme', 'big', 'demo', 'shop']);

    const refused = await cli('domain', 'delete', 'big');
    expect(refused.code).toBe(1);
    expectOneLineError(refused, /profilegraph domain delete big --yes/);
    expect(await domainState('big')).not.toBeNull();

    // The domain's export job folder goes with it, as when deleted through the API.
    const shopId = await withDb(async (db) => (await query<{ id: string }>(db, sql`select id from domains where name = 'shop'`))[0]!.id);
    const exportFolder = path.join(dataDir, 'exports', shopId);
    mkdirSync(path.join(exportFolder, 'some-job'), { recursive: true });
    writeFileSync(path.join(exportFolder, 'some-job', 'profile.jsonl'), '{}\n');

    const del = await shell(readmeLine('bin/profilegraph domain delete shop --yes'));
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toBe('Deleted domain "shop".\n');
    expect(await domainState('shop')).toBeNull();
    expect(existsSync(exportFolder)).toBe(false);
    const deleteAgain = await cli('domain', 'delete', 'shop', '--yes');
    expect(deleteAgain.code).toBe(1);
    expectOneLineError(deleteAgain, /Domain "shop" does not exist/);
  });

  it('README segments: subscribe prints membership changes and a profile\'s values live as JSON lines; Ctrl-C or SIGTERM stops it cleanly; --count and a bad key exit 0 and 1', { timeout: SLOW }, async () => {
    // a running gateway of its own (the CLI's database may be PGlite, which one process holds)
    const gw = await startTestServer();
    try {
      const { key } = await gw.createDomain('live');
      const gql = async (q: string, variables: Record<string, unknown> = {}) => {
        const r = await gw.gql(q, variables, key);
        expect(r.errors).toBeUndefined();
        return r.data!;
      };
      await gql(`mutation { putSegment(input: { name: "goldBuyers", text: "attributes.tier = 'gold' and has _order within 30 days" }) { name } }`);
      const id = (await gql(`mutation { createProfile(input: { firstName: "Ada", lastName: "King", attributes: [{ key: "tier", value: "gold" }] }) { id } }`)).createProfile.id as string;
      /** Starts a README line detached (its own process group), resolving lines of stdout as they come. */
      const follow = (line: string, extra: Record<string, string>) => {
        const child = spawn('sh', ['-c', line], { cwd: project, env: env({ URL: gw.url, KEY: key, ...extra }), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        const done = collect(child);
        const lines: string[] = [];
        let buffer = '';
        child.stdout!.on('data', (d: string) => {
          buffer += d;
          const parts = buffer.split('\n');
          buffer = parts.pop()!;
          lines.push(...parts);
        });
        let stderr = '';
        child.stderr!.on('data', (d: string) => (stderr += d));
        const waitFor = async (n: number) => {
          for (let i = 0; i < 600 && lines.length < n; i++) await new Promise((r) => setTimeout(r, 100));
          expect(lines.length, `${line}: ${stderr}`).toBeGreaterThanOrEqual(n);
          return lines.slice(0, n).map((l) => JSON.parse(l));
        };
        const stop = async () => {
          process.kill(-child.pid!, 'SIGTERM');
          return done;
        };
        return { waitFor, stop, lines };
      };
      const membership = follow(readmeLine(`bin/profilegraph subscribe --url $URL --key $KEY 'subscription { segmentMembershipChanged(name: "goldBuyers", after: "0") { segment profileId entered occurredAt } }'`), {});
      const values = follow(readmeLine(`bin/profilegraph subscribe --url $URL --key $KEY --variables "{\\"id\\": \\"$ID\\"}" 'subscription($id: ID!) { profileUpdated(id: $id) { fullName segments calculatedAttributes { name value } } }'`), { ID: id });
      // the membership stream replays from "0", so it cannot miss the entry; profileUpdated only sees
      // writes after its subscription is registered: write until the first state arrives
      let order = 0;
      for (; order < 30 && values.lines.length === 0; order++) {
        await gql(`mutation($p: ID!, $o: String!) { recordOrder(input: { profileId: $p, orderId: $o, totalPrice: "100", currency: "EUR", orderedAt: "${new Date().toISOString()}" }) { created } }`, { p: id, o: `o-live-${order}` });
        for (let i = 0; i < 20 && values.lines.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      }
      const [entered] = await membership.waitFor(1);
      expect(entered).toEqual({ data: { segmentMembershipChanged: { segment: 'goldBuyers', profileId: id, entered: true, occurredAt: expect.any(String) } } });
      const [state] = await values.waitFor(1);
      const calc = Object.fromEntries((state.data.profileUpdated.calculatedAttributes as { name: string; value: string }[]).map((c) => [c.name, c.value]));
      expect(state.data.profileUpdated.fullName).toBe('Ada King');
      expect(state.data.profileUpdated.segments).toEqual(['goldBuyers']);
      expect(Number(calc['totalOrderValue'])).toBeGreaterThanOrEqual(100);
      expect(Number(calc['totalOrderValue']) % 100).toBe(0);
      for (const f of [membership, values]) {
        const r = await f.stop(); // Ctrl-C / SIGTERM: a clean stop, nothing on stderr
        expect(r.stderr).toBe('');
      }
      // errors: a wrong key is one line and exit 1; --count stops by itself after replaying
      const bad = await shell(`bin/profilegraph subscribe --url ${gw.url} --key pgk_nope --timeout 20 'subscription { profileEvents { id } }'`);
      expect(bad.code).toBe(1);
      expectOneLineError(bad, /API key/);
      const counted = await shell(`bin/profilegraph subscribe --url ${gw.url} --key ${key} --count 2 --timeout 60 'subscription { profileEvents(after: "0") { id type } }'`);
      expect(counted.code, counted.stderr).toBe(0);
      const events = counted.stdout.trim().split('\n').map((l) => JSON.parse(l).data.profileEvents);
      expect(events).toHaveLength(2);
      expect(events[0].type).toBe('PROFILE_CREATED');
      expect(Number(events[1].id)).toBeGreaterThan(Number(events[0].id));
    } finally {
      await gw.close();
    }
  });

  it('every CLI command line in the README was run above', () => {
    expect(documented.length).toBeGreaterThan(10);
    expect(documented.filter((l) => !ran.has(l))).toEqual([]);
    expect(existsSync(path.join(project, 'customers-type.json'))).toBe(true);
  });
});
