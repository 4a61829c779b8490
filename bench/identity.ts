/**
 * `npm run bench:identity [-- --input <file.csv> [--id-column <col>] [--ignore <col,…>] [--clusters-out <out.csv>]
 *                            [--truth-column <col>] | --datasets <dir> | --synthetic <n>]`
 *
 * Identity-resolution quality and speed with ONE fixed matcher configuration (BENCH_CONFIG):
 * - `--input`: reads any person CSV (headers mapped by the import's auto-mapping), matches, and
 *   writes `record_id,cluster_id` for every record (to --clusters-out, else stdout). With
 *   `--truth-column`, that column is removed before matching and used only to score the result.
 * - no `--input`: scores the labelled sets under `--datasets` (default ../shared/datasets): FEBRL 1–3
 *   with and without soc_sec_id, Splink fake_1000; prints pairwise P/R/F1 per scored pair and after
 *   clustering, blocking recall, candidate pairs and wall time, with Splink's published figure.
 * - `--synthetic <n>`: times a run over n generated profiles.
 */
import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMatching, type MatchRecord, type MatchRunOptions } from '../src/modules/identity/matcher.js';
import { suggestMapping } from '../src/modules/import/suggest.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');

/** The one configuration every data set is run with. */
export const BENCH_CONFIG: Omit<MatchRunOptions, 'attributes'> = {
  region: 'AU',
  rules: [],
  lowCardinalityLimit: 500,
  maxBlockSize: 100,
  probabilistic: true,
  threshold: 0.5,
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const TARGET_FIELD: Record<string, string> = {
  '_profile.FirstName': 'firstName',
  '_profile.MiddleName': 'middleName',
  '_profile.LastName': 'lastName',
  '_profile.BirthDate': 'birthDate',
  '_profile.Gender': 'gender',
  '_profile.AccountNumber': 'accountNumber',
  '_profile.BusinessName': 'businessName',
  '_profile.EmailAddress': 'emailAddress',
  '_profile.PersonalEmailAddress': 'personalEmailAddress',
  '_profile.BusinessEmailAddress': 'businessEmailAddress',
  '_profile.PhoneNumber': 'phoneNumber',
  '_profile.MobilePhoneNumber': 'mobilePhoneNumber',
  '_profile.HomePhoneNumber': 'homePhoneNumber',
  '_profile.BusinessPhoneNumber': 'businessPhoneNumber',
  '_profile.Address.Address1': 'address1',
  '_profile.Address.Address2': 'address2',
  '_profile.Address.City': 'city',
  '_profile.Address.State': 'state',
  '_profile.Address.PostalCode': 'postalCode',
  '_profile.Address.Country': 'country',
};

interface Loaded {
  records: MatchRecord[];
  attributes: string[];
  truth: string[] | null;
  mapping: { header: string; field: string }[];
}

/** Reads a person CSV into matcher records, mapping headers like the import does. */
export function loadCsv(file: string, opts: { idColumn?: string; ignore?: string[]; truthColumn?: string }): Loaded {
  const rows = parse(readFileSync(file), { bom: true, trim: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  const headers = rows[0]!;
  const body = rows.slice(1);
  const ignore = new Set((opts.ignore ?? []).map((s) => s.trim()));
  if (opts.truthColumn) ignore.add(opts.truthColumn);
  const idIdx = opts.idColumn !== undefined ? headers.indexOf(opts.idColumn) : -1;
  if (opts.idColumn !== undefined && idIdx < 0) throw new Error(`--id-column ${opts.idColumn}: no such column (columns: ${headers.join(', ')})`);
  const truthIdx = opts.truthColumn ? headers.indexOf(opts.truthColumn) : -1;
  if (opts.truthColumn && truthIdx < 0) throw new Error(`--truth-column ${opts.truthColumn}: no such column`);
  const suggestion = suggestMapping(headers);
  const autoId = idIdx >= 0 ? idIdx : suggestion.columns.findIndex((c) => c.target === null);
  const mapping: { header: string; field: string; index: number }[] = [];
  const attributes: string[] = [];
  suggestion.columns.forEach((c, index) => {
    if (index === autoId || index === truthIdx || ignore.has(c.header) || c.target === null) return;
    let field = TARGET_FIELD[c.target];
    if (!field && c.target.startsWith('_profile.Attributes.')) {
      const key = c.target.slice('_profile.Attributes.'.length);
      field = `attributes.${key}`;
      attributes.push(key);
    }
    if (field) mapping.push({ header: c.header, field, index });
  });
  const records = body.map((row, i): MatchRecord => {
    const values: Record<string, string | null> = {};
    for (const m of mapping) values[m.field] = row[m.index] || null;
    return { id: autoId >= 0 ? row[autoId]! : String(i + 1), values };
  });
  const truth = truthIdx >= 0 ? body.map((r) => r[truthIdx]!) : null;
  return { records, attributes, truth, mapping };
}

interface Scores {
  p: number;
  r: number;
  f1: number;
}

function prf(tp: number, fp: number, fn: number): Scores {
  const p = tp + fp ? tp / (tp + fp) : 1;
  const r = tp + fn ? tp / (tp + fn) : 1;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
}

export interface Evaluation {
  records: number;
  truePairs: number;
  candidatePairs: number;
  blockingRecall: number;
  pairwise: Scores;
  clustered: Scores;
  ms: number;
}

/** Runs the matcher on records and scores it against entity labels (never given to the matcher). */
export function evaluate(records: MatchRecord[], attributes: string[], truth: string[]): Evaluation & { clusterOf: Int32Array } {
  const t0 = performance.now();
  const run = runMatching(records, { ...BENCH_CONFIG, attributes });
  const ms = performance.now() - t0;
  const n = records.length;
  const groupSize = new Map<string, number>();
  for (const t of truth) groupSize.set(t, (groupSize.get(t) ?? 0) + 1);
  let truePairs = 0;
  for (const s of groupSize.values()) truePairs += (s * (s - 1)) / 2;
  // per scored pair
  let tp = 0;
  let fp = 0;
  let blocked = 0;
  const pairs = run.pairs!;
  for (let p = 0; p < pairs.count; p++) {
    const same = truth[pairs.a[p]!] === truth[pairs.b[p]!];
    if (same) blocked++;
    const prob = 1 / (1 + Math.pow(2, -run.weights![p]!));
    if (prob >= BENCH_CONFIG.threshold) {
      if (same) tp++;
      else fp++;
    }
  }
  const pairwise = prf(tp, fp, truePairs - tp);
  // after clustering
  const clusterOf = new Int32Array(n).fill(-1);
  run.clusters.forEach((c, k) => c.members.forEach((i) => (clusterOf[i] = k)));
  let ctp = 0;
  let cfp = 0;
  for (const c of run.clusters) {
    const ms = c.members;
    for (let x = 0; x < ms.length; x++) for (let y = x + 1; y < ms.length; y++) truth[ms[x]!] === truth[ms[y]!] ? ctp++ : cfp++;
  }
  const clustered = prf(ctp, cfp, truePairs - ctp);
  return { records: n, truePairs, candidatePairs: pairs.count, blockingRecall: truePairs ? blocked / truePairs : 1, pairwise, clustered, ms, clusterOf };
}

function febrlTruth(id: string): string {
  return id.split('-')[1]!;
}

const f = (x: number) => x.toFixed(4);

function printRow(name: string, e: Evaluation, published?: string): void {
  console.log(
    [name.padEnd(30), String(e.records).padStart(6), String(e.candidatePairs).padStart(9), f(e.blockingRecall),
      `${f(e.pairwise.p)}/${f(e.pairwise.r)}/${f(e.pairwise.f1)}`, `${f(e.clustered.p)}/${f(e.clustered.r)}/${f(e.clustered.f1)}`,
      `${Math.round(e.ms)} ms`.padStart(9), published ?? ''].join('  '),
  );
}

function scoreDatasets(dir: string): void {
  if (!existsSync(dir)) throw new Error(`No datasets at ${dir}: pass --datasets <dir> (see bench/README.md).`);
  console.log(`Identity bench: one configuration (${JSON.stringify(BENCH_CONFIG)}), data from ${dir}`);
  console.log(['set'.padEnd(30), 'records', 'cand.pairs', 'blk.rec', 'pairwise P/R/F1'.padEnd(20), 'clustered P/R/F1'.padEnd(20), 'time', '     published (Splink 4, P/R/F1)'].join('  '));
  for (const k of [1, 2, 3]) {
    const file = path.join(dir, 'febrl', `dataset${k}.csv`);
    for (const ssn of [true, false]) {
      const data = loadCsv(file, { idColumn: 'rec_id', ignore: ssn ? [] : ['soc_sec_id'] });
      const e = evaluate(data.records, data.attributes, data.records.map((r) => febrlTruth(r.id)));
      printRow(`FEBRL dataset${k} ${ssn ? 'with' : 'without'} soc_sec_id`, e, k === 3 && ssn ? '0.9997/0.9862/0.9929' : undefined);
    }
  }
  const data = loadCsv(path.join(dir, 'splink_fake_1000', 'fake_1000.csv'), { idColumn: 'unique_id', truthColumn: 'cluster' });
  const e = evaluate(data.records, data.attributes, data.truth!);
  printRow('Splink fake_1000', e, '0.9993/0.6750/0.8058');
}

const FIRST = ['james', 'mary', 'john', 'patricia', 'robert', 'jennifer', 'michael', 'linda', 'william', 'elizabeth', 'david', 'barbara', 'richard', 'susan', 'joseph', 'jessica', 'thomas', 'sarah', 'charles', 'karen', 'hiro', 'yuki', 'sakura', 'kenji', 'aiko', 'liam', 'olivia', 'noah', 'emma', 'ava'];
const LAST = ['smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'tanaka', 'suzuki', 'sato', 'watanabe', 'ito', 'nguyen', 'kim', 'lee', 'wilson', 'taylor'];
const SYLLABLES = ['ka', 'ro', 'mi', 'an', 'el', 'to', 'sa', 'ri', 'no', 'be', 'la', 'vi', 'de', 'su', 'ma', 'ti', 'ko', 'ha', 'ne', 'lu', 'jo', 'ya', 'fe', 'gi', 'wa', 'ze', 'po', 'chi', 'ste', 'bra'];
const CITY = ['london', 'leeds', 'york', 'bristol', 'tokyo', 'osaka', 'sydney', 'perth', 'boston', 'austin'];

/** n synthetic profiles, ~20% of people duplicated once with a typo. Deterministic. */
export function synthetic(n: number): { records: MatchRecord[]; truth: Int32Array } {
  let s = 12345;
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)]!;
  const records: MatchRecord[] = [];
  const truth = new Int32Array(n);
  let person = 0;
  const syllable = () => pick(SYLLABLES);
  while (records.length < n) {
    // a third of the people have a common given name / surname, the rest a generated one
    const first = rand() < 0.33 ? pick(FIRST) : syllable() + syllable() + (rand() < 0.5 ? syllable() : '');
    const last = rand() < 0.33 ? pick(LAST) : syllable() + syllable() + syllable();
    const dob = `${1940 + Math.floor(rand() * 65)}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    const email = rand() < 0.7 ? `${first}.${last}${Math.floor(rand() * 1000)}@example.com` : null;
    const phone = rand() < 0.5 ? `+4477009${String(Math.floor(rand() * 100000)).padStart(5, '0')}` : null;
    const values = { firstName: first, lastName: last, birthDate: dob, emailAddress: email, phoneNumber: phone, city: pick(CITY), postalCode: String(Math.floor(rand() * 90000) + 10000) };
    truth[records.length] = person;
    records.push({ id: String(records.length), values });
    if (rand() < 0.2 && records.length < n) {
      const typo = last.slice(0, 2) + last.slice(3);
      truth[records.length] = person;
      records.push({ id: String(records.length), values: { ...values, lastName: typo, phoneNumber: null } });
    }
    person++;
  }
  return { records, truth };
}

function main(): void {
  const input = arg('input');
  const syntheticN = arg('synthetic');
  if (syntheticN) {
    const n = Number(syntheticN);
    if (!Number.isInteger(n) || n < 2 || n > 5_000_000) throw new Error('--synthetic takes a record count 2..5000000');
    const t0 = performance.now();
    const { records, truth } = synthetic(n);
    const t1 = performance.now();
    const e = evaluate(records, [], Array.from(truth, String));
    console.log(`synthetic ${n}: generated in ${Math.round(t1 - t0)} ms; matching ${Math.round(e.ms)} ms; candidate pairs ${e.candidatePairs}; blocking recall ${f(e.blockingRecall)}; pairwise P/R/F1 ${f(e.pairwise.p)}/${f(e.pairwise.r)}/${f(e.pairwise.f1)}; clustered ${f(e.clustered.p)}/${f(e.clustered.r)}/${f(e.clustered.f1)}`);
    return;
  }
  if (!input) {
    scoreDatasets(path.resolve(root, arg('datasets') ?? '../shared/datasets'));
    return;
  }
  const truthColumn = arg('truth-column');
  const data = loadCsv(input, { idColumn: arg('id-column'), ignore: arg('ignore')?.split(','), truthColumn });
  console.error(`columns: ${data.mapping.map((m) => `${m.header}→${m.field}`).join(', ')}`);
  let clusterOf: Int32Array;
  if (data.truth) {
    const e = evaluate(data.records, data.attributes, data.truth);
    clusterOf = e.clusterOf;
    console.error(`records ${e.records}; candidate pairs ${e.candidatePairs}; blocking recall ${f(e.blockingRecall)}`);
    console.error(`pairwise P/R/F1 ${f(e.pairwise.p)}/${f(e.pairwise.r)}/${f(e.pairwise.f1)}`);
    console.error(`clustered P/R/F1 ${f(e.clustered.p)}/${f(e.clustered.r)}/${f(e.clustered.f1)}`);
    console.error(`time ${Math.round(e.ms)} ms`);
  } else {
    const run = runMatching(data.records, { ...BENCH_CONFIG, attributes: data.attributes });
    clusterOf = new Int32Array(data.records.length).fill(-1);
    run.clusters.forEach((c, k) => c.members.forEach((i) => (clusterOf[i] = k)));
  }
  // every record gets a cluster id: its cluster's first record id, or its own id when alone
  const lines = ['record_id,cluster_id'];
  const clusterId = new Map<number, string>();
  data.records.forEach((r, i) => {
    const k = clusterOf[i]!;
    let c = r.id;
    if (k >= 0) {
      if (!clusterId.has(k)) clusterId.set(k, r.id);
      c = clusterId.get(k)!;
    }
    lines.push(`${csvCell(r.id)},${csvCell(c)}`);
  });
  const out = arg('clusters-out');
  if (out) writeFileSync(out, lines.join('\n') + '\n');
  else process.stdout.write(lines.join('\n') + '\n');
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
