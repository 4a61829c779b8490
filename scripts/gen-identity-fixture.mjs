// Generates the identity-resolution test fixtures (test/fixtures/identity-*): synthetic people with
// typos, swaps, missing values and nearby birth dates, labelled by entity. Deterministic.
// Run: node scripts/gen-identity-fixture.mjs
import { mkdirSync, writeFileSync } from 'node:fs';

let s = 20261127;
const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s / 4294967296);
const pick = (a) => a[Math.floor(rand() * a.length)];
const FIRST = ['oliver', 'amelia', 'jack', 'isla', 'harry', 'ava', 'george', 'mia', 'noah', 'grace', 'leo', 'ella', 'oscar', 'lily', 'charlie', 'ruby', 'freddie', 'sophie', 'alfie', 'evie', 'thomas', 'chloe', 'william', 'emily', 'robert', 'elizabeth', 'james', 'katherine'];
const LAST = ['smith', 'jones', 'taylor', 'brown', 'williams', 'wilson', 'johnson', 'davies', 'robinson', 'wright', 'thompson', 'evans', 'walker', 'white', 'roberts', 'green', 'hall', 'wood', 'jackson', 'clarke', 'nakamura', 'okafor', 'kowalski', 'fitzgerald'];
const CITY = ['london', 'leeds', 'bristol', 'york', 'bath', 'derby', 'hull', 'leicester'];
const STREET = ['maple', 'oak', 'station', 'church', 'park', 'victoria', 'mill', 'high'];
const NICK = { robert: 'bob', elizabeth: 'liz', william: 'bill', james: 'jim', katherine: 'kate', thomas: 'tom' };

function typo(w) {
  if (!w || w.length < 3) return w;
  const i = 1 + Math.floor(rand() * (w.length - 2));
  const r = rand();
  if (r < 0.33) return w.slice(0, i) + w.slice(i + 1);
  if (r < 0.66) return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
  return w.slice(0, i) + String.fromCharCode(97 + Math.floor(rand() * 26)) + w.slice(i + 1);
}
const cap = (w) => (w ? w[0].toUpperCase() + w.slice(1) : w);

function people(n, dupRate, maxDups) {
  const out = [];
  for (let e = 0; out.length < n; e++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const p = {
      first, last,
      y: 1940 + Math.floor(rand() * 60), m: 1 + Math.floor(rand() * 12), d: 1 + Math.floor(rand() * 28),
      email: `${first}.${last}${Math.floor(rand() * 100)}@${pick(['mail.com', 'post.net', 'example.org'])}`,
      city: pick(CITY), street: `${pick(STREET)} street`, no: String(1 + Math.floor(rand() * 200)),
      post: String(1000 + Math.floor(rand() * 8999)), ssn: String(1000000 + Math.floor(rand() * 8999999)),
    };
    out.push({ e, dup: 0, ...p });
    const dups = rand() < dupRate ? 1 + Math.floor(rand() * maxDups) : 0;
    for (let k = 1; k <= dups && out.length < n; k++) {
      const q = { ...p, e, dup: k };
      const r = rand();
      if (r < 0.25) q.first = typo(q.first);
      else if (r < 0.4) q.last = typo(q.last);
      else if (r < 0.5) [q.first, q.last] = [q.last, q.first];
      else if (r < 0.6 && NICK[q.first]) q.first = NICK[q.first];
      if (rand() < 0.2) q.d = Math.min(28, q.d + 1);
      if (rand() < 0.2) q.email = null;
      if (rand() < 0.15) q.city = null;
      if (rand() < 0.15) q.street = typo(q.street);
      if (rand() < 0.1) q.post = typo(q.post);
      out.push(q);
    }
  }
  return out;
}
const iso = (p) => `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;

// a person CSV with common headers and an entity label
const base = people(300, 0.4, 3);
writeFileSync('test/fixtures/identity-people.csv', ['id,First Name,Last Name,Date of Birth,E-mail,City,entity', ...base.map((p, i) => [`p${i + 1}`, cap(p.first), cap(p.last), iso(p), p.email ?? '', cap(p.city ?? ''), `e${p.e}`].join(','))].join('\n') + '\n');

// the shared/datasets layout, small: FEBRL-style files and a fake_1000-style file
mkdirSync('test/fixtures/identity-datasets/febrl', { recursive: true });
mkdirSync('test/fixtures/identity-datasets/splink_fake_1000', { recursive: true });
for (const k of [1, 2, 3]) {
  const rows = people(120, 0.3 + 0.2 * k, k);
  const head = 'rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id';
  const lines = rows.map((p) => [`rec-${p.e}-${p.dup ? `dup-${p.dup - 1}` : 'org'}`, p.first, p.last, p.no, p.street, '', p.city ?? '', p.post, 'nsw', iso(p).replace(/-/g, ''), p.ssn].join(', '));
  writeFileSync(`test/fixtures/identity-datasets/febrl/dataset${k}.csv`, [head, ...lines].join('\n') + '\n');
}
const fake = people(150, 0.6, 4);
writeFileSync('test/fixtures/identity-datasets/splink_fake_1000/fake_1000.csv', ['unique_id,first_name,surname,dob,city,email,cluster', ...fake.map((p, i) => [i, cap(p.first), cap(p.last), iso(p), cap(p.city ?? ''), p.email ?? '', p.e].join(','))].join('\n') + '\n');
