/**
 * `npm run bench:data -- --profiles 100000 [--database-url URL] [--seed N] [--dup-rate 0.05]`
 *
 * Generates a deterministic (seeded PRNG) synthetic contact-center domain and bulk-loads it with
 * COPY into a dedicated Postgres database (created when missing, migrated with openDatabase):
 * Japanese and Western customers, phones typed in local or international formats and stored in
 * E.164 (as the API stores them), emails, jsonb addresses and attributes, on average 10 contacts,
 * 2 cases and 3 orders per profile, a share of near-duplicate profiles for identity-resolution runs,
 * and the profile_keys rows the API would write. Creates the domain `bench` and writes its API key
 * to bench/.bench-key (plus bench/.bench-meta.json with sample ids and phones for bench:read).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { openDatabase } from '../src/db/database.js';
import { Authenticator } from '../src/modules/domain/auth.js';
import { DomainService } from '../src/modules/domain/domain.service.js';
import { normalizeName } from '../src/modules/profile/normalize.js';
import { mulberry32 } from '../src/seed/prng.js';

export const DEFAULT_BENCH_URL = 'postgres://postgres@127.0.0.1:5432/profilegraph_bench';
const benchDir = path.dirname(fileURLToPath(import.meta.url));

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

// ---------------------------------------------------------------- deterministic randomness
export function prng(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    digits: (n: number) => {
      let s = '';
      for (let i = 0; i < n; i++) s += Math.floor(next() * 10);
      return s;
    },
    uuid: () => {
      const h = (n: number) => {
        let s = '';
        for (let i = 0; i < n; i++) s += Math.floor(next() * 16).toString(16);
        return s;
      };
      return `${h(8)}-${h(4)}-4${h(3)}-${'89ab'[Math.floor(next() * 4)]}${h(3)}-${h(12)}`;
    },
  };
}
export type Rng = ReturnType<typeof prng>;

// ---------------------------------------------------------------- vocabulary
const JP_FAMILY = ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato', 'Yoshida', 'Yamada', 'Sasaki', 'Yamaguchi', 'Matsumoto', 'Inoue', 'Kimura', 'Hayashi', 'Shimizu', 'Yamazaki', 'Mori', 'Abe', 'Ikeda', 'Hashimoto', 'Ishikawa'];
const JP_FAMILY_KANJI = ['佐藤', '鈴木', '高橋', '田中', '渡辺', '伊藤', '山本', '中村', '小林', '加藤', '吉田', '山田', '佐々木', '山口', '松本', '井上', '木村', '林', '清水', '山崎', '森', '阿部', '池田', '橋本', '石川'];
const JP_GIVEN_M = ['Hiroshi', 'Takashi', 'Kenji', 'Daiki', 'Haruto', 'Sota', 'Yuto', 'Ren', 'Kaito', 'Takumi', 'Shota', 'Yuki'];
const JP_GIVEN_F = ['Yui', 'Aoi', 'Hina', 'Sakura', 'Yuna', 'Mei', 'Akari', 'Haruka', 'Misaki', 'Nanami', 'Emi', 'Keiko'];
const W_FAMILY = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', "O'Brien", 'McDonald'];
const W_GIVEN_M = ['James', 'John', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Joseph', 'Thomas', 'Daniel', 'Matthew', 'Oliver'];
const W_GIVEN_F = ['Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Emily', 'Olivia', 'Sophie'];
const W_MIDDLE = ['A.', 'J.', 'Lee', 'Marie', 'Ann', 'R.'];
const JP_CITIES = [
  ['Tokyo', 'Tokyo', '1'], ['Shibuya', 'Tokyo', '15'], ['Osaka', 'Osaka', '53'], ['Yokohama', 'Kanagawa', '22'], ['Nagoya', 'Aichi', '45'],
  ['Sapporo', 'Hokkaido', '06'], ['Fukuoka', 'Fukuoka', '81'], ['Kyoto', 'Kyoto', '60'], ['Kobe', 'Hyogo', '65'], ['Sendai', 'Miyagi', '98'],
] as const;
const US_CITIES = [
  ['New York', 'NY', '100', '212'], ['Los Angeles', 'CA', '900', '213'], ['Chicago', 'IL', '606', '312'], ['Houston', 'TX', '770', '713'],
  ['Seattle', 'WA', '981', '206'], ['Boston', 'MA', '021', '617'], ['Denver', 'CO', '802', '303'], ['Atlanta', 'GA', '303', '404'],
  ['San Francisco', 'CA', '941', '415'], ['Miami', 'FL', '331', '305'],
] as const;
const UK_CITIES = [['London', 'England', 'SW1A'], ['Manchester', 'England', 'M1'], ['Edinburgh', 'Scotland', 'EH1'], ['Bristol', 'England', 'BS1']] as const;
const STREETS = ['Main St', 'Oak Ave', 'Maple Dr', 'Park Rd', 'Cedar Ln', 'Elm St', 'High St', 'Station Rd', 'Church Ln'];
const MAIL_DOMAINS_JP = ['docomo.ne.jp', 'ezweb.ne.jp', 'gmail.com', 'yahoo.co.jp', 'icloud.com'];
const MAIL_DOMAINS_W = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me', 'example.co.uk'];
const CHANNELS = ['VOICE', 'VOICE', 'VOICE', 'VOICE', 'CHAT', 'CHAT', 'EMAIL', 'EMAIL', 'TASK', 'SMS', 'WEB', 'SOCIAL'];
const DIRECTIONS = ['INBOUND', 'INBOUND', 'INBOUND', 'OUTBOUND', 'TRANSFER', 'CALLBACK'];
const QUEUES = ['BasicQueue', 'Billing', 'TechSupport', 'Sales', 'Retention', 'VIP', 'JP-Support', 'Returns'];
const CASE_TITLES = ['Refund request', 'Package not delivered', 'Cannot log in', 'Billing discrepancy', 'Change shipping address', 'Damaged item', 'Cancel subscription', 'Warranty claim', 'Upgrade plan', 'Invoice copy'];
const CASE_STATUS = ['OPEN', 'IN_PROGRESS', 'PENDING', 'RESOLVED', 'RESOLVED', 'CLOSED', 'CLOSED', 'CLOSED'];
const CASE_REASONS = ['billing', 'shipping', 'account', 'product', 'other'];
const PRIORITIES = ['LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'URGENT'];
const ORDER_STATUS = ['PENDING', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'DELIVERED', 'DELIVERED', 'CANCELLED', 'RETURNED'];
const FULFILLMENT = ['UNFULFILLED', 'PARTIAL', 'FULFILLED', 'FULFILLED'];
const PRODUCTS = [['Wireless earbuds', 79.99], ['Phone case', 19.5], ['USB-C cable', 12], ['Smart watch', 249], ['Laptop stand', 45], ['Coffee beans 1kg', 32.4], ['Running shoes', 120], ['Rice cooker', 189], ['Green tea set', 28]] as const;
export const TIERS = ['bronze', 'silver', 'gold', 'platinum'];
export const SEGMENTS = ['consumer', 'smb', 'enterprise', 'student'];

// ---------------------------------------------------------------- COPY text format
function esc(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
const line = (vals: unknown[]) => vals.map(esc).join('\t') + '\n';

// ---------------------------------------------------------------- the domain model
export interface Person {
  id: string;
  jp: boolean;
  country: 'JP' | 'US' | 'GB';
  first: string;
  middle: string | null;
  last: string;
  phoneLocal: string;
  phone: string;
  mobile: string | null;
  email: string;
  account: string;
  createdAt: Date;
}

const EPOCH = Date.UTC(2026, 0, 1); // fixed "now" so runs are identical
const DAY = 86_400_000;

function makePhone(r: Rng, country: Person['country']): { local: string; e164: string } {
  if (country === 'JP') {
    const pre = r.pick(['90', '80', '70']);
    const a = r.digits(4);
    const b = r.digits(4);
    return r.chance(0.5) ? { local: `0${pre}-${a}-${b}`, e164: `+81${pre}${a}${b}` } : { local: `+81 ${pre}-${a}-${b}`, e164: `+81${pre}${a}${b}` };
  }
  if (country === 'US') {
    const area = r.pick(US_CITIES)[3];
    const ex = `${r.int(2, 9)}${r.digits(2)}`;
    const sub = r.digits(4);
    const fmt = r.int(0, 2);
    const local = fmt === 0 ? `(${area}) ${ex}-${sub}` : fmt === 1 ? `${area}-${ex}-${sub}` : `+1 ${area} ${ex} ${sub}`;
    return { local, e164: `+1${area}${ex}${sub}` };
  }
  const n = `7${r.int(4, 9)}${r.digits(8)}`;
  return r.chance(0.5) ? { local: `0${n.slice(0, 4)} ${n.slice(4)}`, e164: `+44${n}` } : { local: `+44 ${n.slice(0, 4)} ${n.slice(4)}`, e164: `+44${n}` };
}

export function makePerson(r: Rng, i: number): Person {
  const roll = r.next();
  const country: Person['country'] = roll < 0.45 ? 'JP' : roll < 0.85 ? 'US' : 'GB';
  const jp = country === 'JP';
  const female = r.chance(0.5);
  const first = jp ? r.pick(female ? JP_GIVEN_F : JP_GIVEN_M) : r.pick(female ? W_GIVEN_F : W_GIVEN_M);
  const lastIdx = r.int(0, (jp ? JP_FAMILY : W_FAMILY).length - 1);
  // A share of Japanese customers are registered with their family name in kanji.
  const last = jp ? (r.chance(0.2) ? JP_FAMILY_KANJI[lastIdx]! : JP_FAMILY[lastIdx]!) : W_FAMILY[lastIdx]!;
  const middle = !jp && r.chance(0.15) ? r.pick(W_MIDDLE) : null;
  const phone = makePhone(r, country);
  const mobile = r.chance(0.3) ? makePhone(r, country).e164 : null;
  const user = `${first}.${/^[A-Za-z' ]+$/.test(last) ? last.replace(/'/g, '') : JP_FAMILY[lastIdx]}${r.chance(0.5) ? r.int(1, 999) : ''}`.toLowerCase();
  const email = `${user}.${i.toString(36)}@${r.pick(jp ? MAIL_DOMAINS_JP : MAIL_DOMAINS_W)}`;
  return {
    id: r.uuid(),
    jp,
    country,
    first,
    middle,
    last,
    phoneLocal: phone.local,
    phone: phone.e164,
    mobile,
    email,
    account: `AC${String(1_000_000 + i)}`,
    createdAt: new Date(EPOCH - Math.floor(r.next() * 3 * 365 * DAY)),
  };
}

/** A near-duplicate of `p`: same person typed again (case/spacing changes, new account, partly same phone/email). */
function nearDuplicate(r: Rng, p: Person, i: number): Person {
  const variant = r.int(0, 2);
  return {
    ...p,
    id: r.uuid(),
    first: variant === 0 ? p.first.toUpperCase() : p.first,
    last: variant === 1 ? p.last.toLowerCase() : p.last,
    middle: null,
    phone: variant === 2 ? makePhone(r, p.country).e164 : p.phone,
    mobile: null,
    email: variant === 2 ? p.email : p.email.replace('@', `+${r.int(1, 9)}@`),
    account: `AC${String(1_000_000 + i)}`,
    createdAt: new Date(Math.min(p.createdAt.getTime() + r.int(1, 400) * DAY, EPOCH - r.int(1, 30) * DAY)),
  };
}

export function address(r: Rng, p: Person): Record<string, string> {
  if (p.country === 'JP') {
    const [city, state, zip] = r.pick(JP_CITIES);
    return { address1: `${r.int(1, 9)}-${r.int(1, 30)}-${r.int(1, 20)} ${r.pick(['Chuo', 'Minato', 'Kita', 'Naka', 'Higashi'])}`, city, state, postalCode: `${zip.padStart(3, '0').slice(0, 3)}-${r.digits(4)}`, country: 'JP' };
  }
  if (p.country === 'US') {
    const [city, state, zip] = r.pick(US_CITIES);
    return { address1: `${r.int(10, 9999)} ${r.pick(STREETS)}`, city, state, postalCode: `${zip}${r.digits(2)}`, country: 'US' };
  }
  const [city, state, pc] = r.pick(UK_CITIES);
  return { address1: `${r.int(1, 200)} ${r.pick(STREETS)}`, city, state, postalCode: `${pc} ${r.int(1, 9)}${'ABDEFGHJLNPQRSTUWXYZ'[r.int(0, 19)]}${'ABDEFGHJLNPQRSTUWXYZ'[r.int(0, 19)]}`, country: 'GB' };
}

/** The search keys the API writes for a profile (mirrors profileKeysOf in profile.service.ts). */
function keysOf(p: Person, attributes: Record<string, string>): [string, string][] {
  const keys: [string, string][] = [];
  const add = (k: string, v: string | null) => {
    if (v && !keys.some(([kk, vv]) => kk === k && vv === v)) keys.push([k, v]);
  };
  add('_phone', p.phone);
  add('_phone', p.mobile);
  add('_email', p.email.toLowerCase());
  add('_account', p.account);
  const full = [p.first, p.middle, p.last].filter(Boolean).join(' ');
  add('_fullName', normalizeName(full));
  if (p.middle) add('_fullName', normalizeName(`${p.first} ${p.last}`));
  for (const [k, v] of Object.entries(attributes)) add(`attributes.${k}`, v);
  return keys;
}

// ---------------------------------------------------------------- main
async function main(): Promise<void> {
  const profilesN = Number(arg('profiles') ?? 100_000);
  const url = arg('database-url') ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_URL;
  const seed = Number(arg('seed') ?? 42);
  const dupRate = Number(arg('dup-rate') ?? 0.05);
  if (!Number.isInteger(profilesN) || profilesN < 1) throw new Error('--profiles must be a positive integer');

  // Create the database when missing.
  const target = new URL(url);
  const dbName = decodeURIComponent(target.pathname.slice(1));
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  const exists = await admin`select 1 from pg_database where datname = ${dbName}`;
  if (exists.length === 0) {
    await admin.unsafe(`create database "${dbName.replace(/"/g, '""')}"`);
    console.log(`created database ${dbName}`);
  }
  await admin.end();

  const database = await openDatabase({ databaseUrl: url, dataDir: 'unused', poolSize: 2 });
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  const t0 = performance.now();

  // Start from an empty domain set: this database is the benchmark's own.
  if (!dbName.includes('bench') && !process.argv.includes('--force')) {
    throw new Error(`Refusing to wipe "${dbName}": the database name must contain "bench" (or pass --force).`);
  }
  await sql`truncate domains, api_keys, profiles, profile_keys, contacts, cases, orders, events cascade`;
  const services = new DomainService(database, new Authenticator(database, undefined, 0));
  const { domain, apiKey } = await services.create({ name: 'bench' });
  const domainId = domain.id;
  // A new domain gets the default calculated attributes, marked backfilled; the COPY load below bypasses
  // their maintenance, so they would read "no value" for every profile. The bench domain has none
  // (bench:segments defines and backfills its own).
  await sql`delete from calculated_attributes where domain_id = ${domainId}`;
  writeFileSync(path.join(benchDir, '.bench-key'), apiKey + '\n');

  const r = prng(seed);
  const people: Person[] = [];
  const samplePhones: string[] = [];
  const profileRows: string[] = [];
  const keyRows: string[] = [];
  for (let i = 0; i < profilesN; i++) {
    const p = i > 10 && r.chance(dupRate) ? nearDuplicate(r, people[r.int(0, people.length - 1)]!, i) : makePerson(r, i);
    people.push(p);
    const attributes: Record<string, string> = { loyaltyTier: r.pick(TIERS), segment: r.pick(SEGMENTS), preferredLanguage: p.jp ? 'ja' : 'en' };
    if (r.chance(0.2)) attributes.shopifyCustomerId = `gid-${r.digits(10)}`;
    const addr = address(r, p);
    const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(r.next() * 55 * 365) * DAY).toISOString().slice(0, 10);
    const updatedAt = new Date(p.createdAt.getTime() + Math.floor(r.next() * (EPOCH - p.createdAt.getTime())));
    profileRows.push(
      line([p.id, domainId, p.account, null, 'INDIVIDUAL', null, p.first, p.middle, p.last, birth, r.pick(['MALE', 'FEMALE', 'UNSPECIFIED']), p.phone, p.mobile, p.email, addr, r.chance(0.3) ? addr : null, attributes, false, p.createdAt, updatedAt, 1]),
    );
    for (const [k, v] of keysOf(p, attributes)) keyRows.push(line([domainId, k, v, p.id]));
    if (i % Math.max(1, Math.floor(profilesN / 2000)) === 0) samplePhones.push(p.phone);
  }

  async function copy(table: string, columns: string, rows: Iterable<string>, count: () => number): Promise<void> {
    const start = performance.now();
    const writable = await sql.unsafe(`copy ${table} (${columns}) from stdin`).writable();
    async function* chunks() {
      let buf = '';
      for (const row of rows) {
        buf += row;
        if (buf.length > 256 * 1024) {
          yield buf;
          buf = '';
        }
      }
      if (buf) yield buf;
    }
    await pipeline(Readable.from(chunks()), writable);
    const secs = (performance.now() - start) / 1000;
    const n = count();
    console.log(`${table.padEnd(13)} ${String(n).padStart(9)} rows  ${secs.toFixed(1).padStart(5)} s  ${Math.round(n / secs).toLocaleString('en-US').padStart(9)} rows/s`);
  }

  // FK checks are per-row triggers; skip them during the bulk load (ids are generated consistently).
  await sql`set session_replication_role = replica`.catch(() => {});
  await copy(
    'profiles',
    'id, domain_id, account_number, additional_information, party_type, business_name, first_name, middle_name, last_name, birth_date, gender, phone_number, mobile_phone_number, email_address, address, shipping_address, attributes, inferred, created_at, updated_at, version',
    profileRows,
    () => profileRows.length,
  );
  profileRows.length = 0;
  await copy('profile_keys', 'domain_id, key_name, value, profile_id', keyRows, () => keyRows.length);
  const nKeys = keyRows.length;
  keyRows.length = 0;

  // Child objects, streamed (generated lazily per profile, same PRNG order every run).
  let nContacts = 0;
  let nCases = 0;
  let nOrders = 0;
  const rc = prng(seed + 1);
  function* contacts() {
    for (const p of people) {
      const n = rc.int(0, 20);
      for (let j = 0; j < n; j++) {
        const at = new Date(p.createdAt.getTime() + Math.floor(rc.next() * (EPOCH - p.createdAt.getTime())));
        const channel = rc.pick(CHANNELS);
        const dur = rc.int(30, 1800);
        const voice = channel === 'VOICE' || channel === 'SMS';
        nContacts++;
        yield line([rc.uuid(), domainId, p.id, `ctr-${nContacts.toString(36)}-${rc.digits(6)}`, channel, rc.pick(DIRECTIONS), at, new Date(at.getTime() + dur * 1000), rc.pick(QUEUES), rc.int(0, 600), rc.int(0, 120), `agent-${rc.int(1, 250)}`, voice ? p.phone : null, channel === 'EMAIL' ? p.email : null, { sentiment: rc.pick(['positive', 'neutral', 'negative']) }, at, at]);
      }
    }
  }
  await copy(
    'contacts',
    'id, domain_id, profile_id, contact_id, channel, direction, initiated_at, disconnected_at, queue, queue_wait_seconds, hold_seconds, agent_id, phone_number, email_address, attributes, created_at, updated_at',
    contacts(),
    () => nContacts,
  );
  function* cases() {
    for (const p of people) {
      const n = rc.int(0, 4);
      for (let j = 0; j < n; j++) {
        const at = new Date(p.createdAt.getTime() + Math.floor(rc.next() * (EPOCH - p.createdAt.getTime())));
        const status = rc.pick(CASE_STATUS);
        const closed = status === 'CLOSED' || status === 'RESOLVED' ? new Date(at.getTime() + rc.int(1, 20) * DAY) : null;
        nCases++;
        yield line([rc.uuid(), domainId, p.id, `case-${nCases}`, rc.pick(CASE_TITLES), `Customer reported: ${rc.pick(CASE_TITLES).toLowerCase()}`, status, rc.pick(CASE_REASONS), rc.pick(PRIORITIES), `agent-${rc.int(1, 250)}`, { source: rc.pick(['phone', 'chat', 'email', 'web']) }, at, closed ?? at, closed, 1]);
      }
    }
  }
  await copy('cases', 'id, domain_id, profile_id, case_id, title, summary, status, reason, priority, created_by, attributes, created_at, updated_at, closed_at, version', cases(), () => nCases);
  function* orders() {
    for (const p of people) {
      const n = rc.int(0, 6);
      for (let j = 0; j < n; j++) {
        const at = new Date(p.createdAt.getTime() + Math.floor(rc.next() * (EPOCH - p.createdAt.getTime())));
        const items = Array.from({ length: rc.int(1, 3) }, () => {
          const [title, price] = rc.pick(PRODUCTS);
          return { title, price: p.jp ? Math.round(price * 150) : price, quantity: rc.int(1, 3) };
        });
        const total = items.reduce((s, it) => s + it.price * it.quantity, 0);
        const status = rc.pick(ORDER_STATUS);
        nOrders++;
        yield line([rc.uuid(), domainId, p.id, `ord-${nOrders}`, status, rc.pick(FULFILLMENT), total.toFixed(2), p.jp ? 'JPY' : p.country === 'GB' ? 'GBP' : 'USD', at, status === 'CANCELLED' ? new Date(at.getTime() + DAY) : null, items, { channel: rc.pick(['web', 'app', 'store']) }, at, at]);
      }
    }
  }
  await copy('orders', 'id, domain_id, profile_id, order_id, status, fulfillment_status, total_price, currency, ordered_at, cancelled_at, items, attributes, created_at, updated_at', orders(), () => nOrders);
  await sql`set session_replication_role = origin`.catch(() => {});

  // The profiles page index (domain_id, created_at desc, id desc) now comes with the migrations
  // (0003 profiles_domain_created_idx); drop the copy earlier bench runs created by hand.
  await sql`drop index if exists bench_profiles_domain_created_idx`;

  const ta = performance.now();
  await sql`analyze`;
  const total = profilesN + nKeys + nContacts + nCases + nOrders;
  const secs = (performance.now() - t0) / 1000;
  console.log(`analyze ${((performance.now() - ta) / 1000).toFixed(1)} s`);
  console.log(`total ${total.toLocaleString('en-US')} rows in ${secs.toFixed(1)} s = ${Math.round(total / secs).toLocaleString('en-US')} rows/s (duplicate rate ${dupRate}, seed ${seed})`);
  writeFileSync(path.join(benchDir, '.bench-meta.json'), JSON.stringify({ url, domainId, profiles: profilesN, contacts: nContacts, cases: nCases, orders: nOrders, keys: nKeys, seed, dupRate, samplePhones }, null, 1));
  console.log(`domain "bench" API key written to bench/.bench-key`);
  await sql.end();
  await database.close();
}

// Run only as a script (bench/import.ts imports the generator).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
