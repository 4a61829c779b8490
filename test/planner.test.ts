/**
 * Generated from the read registry: for every registered root page, every registered connection
 * and every field of the node types (each alone, and with edges, cursors, pageInfo and totalCount),
 * every filter value and a second page through `after`, the answer is byte-for-byte the same on
 * the three read paths — the compiled walk over a planned page ('fast'), graphql-js over the
 * planned page ('planned'), graphql-js with DataLoaders only ('graphql-js') — and each path really
 * ran (extensions.diagnostics.path), the planned ones in ONE statement.
 *
 * A field alone is the sharp case: the planner reads only the columns the registry declares for it,
 * while the DataLoader path reads whole rows, so a declaration missing a column its resolver reads
 * shows up as a difference here. A new relation, field or filter is covered without a new test;
 * only its rows must exist in the seed (the test fails naming what has no data).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLField, GraphQLInputType, GraphQLNamedType, GraphQLObjectType, GraphQLOutputType, GraphQLSchema } from 'graphql';
import { buildSchema } from '../src/graphql/schema.js';
import type { ConnectionInfo, NodeInfo, PageInfo } from '../src/read/plan.js';
import { ReadPlanner } from '../src/read/planner.js';
import { node as nodeDecl, fieldsOf } from '../src/read/registry.js';
import { graphql as g } from '../src/read/selection.js';
import { contacts } from '../src/modules/contact/contact.table.js';
import { profiles } from '../src/modules/profile/profile.table.js';
import { readAs, type PathResult, type ReadMode } from './helpers/read-paths.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let key: string;
let schema: GraphQLSchema;
let reads: ReadPlanner<never>;
const profileIds: string[] = [];
let busiest = '';

/** Argument values to try, by argument name (enums, Int and Boolean arguments are generated). */
const SAMPLES: Record<string, readonly unknown[]> = {
  key: ['tier', 'no-such-key'],
  type: ['Visit', 'NoSuchType'],
  name: ['contactCount', 'mostFrequentChannel', 'no-such-attribute'],
};
/** Arguments of each registered root page (a new page root needs an entry). */
function rootArgs(root: string): string {
  if (root === 'profiles') return '(first: 10)';
  if (root === 'searchProfiles') return `(key: "_profileId", values: ${JSON.stringify(profileIds)})`;
  throw new Error(`planner.test.ts: give arguments for the page root Query.${root}`);
}

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const r = await s.gql(query, variables, key);
  if (r.errors) throw new Error(`${query}: ${JSON.stringify(r.errors)}`);
  return r.data!;
}

/** Seed: nulls, every enum value, decimals, timestamps with milliseconds (and ties), unicode, empty pages. */
async function seed(): Promise<void> {
  const people = [
    { firstName: 'Zoë "Q"', middleName: 'Ö', lastName: 'tab\there ☃', phoneNumber: '+1 206 555 0100', emailAddress: 'zoe@example.com', birthDate: '1990-02-03', gender: 'FEMALE', partyType: 'INDIVIDUAL', accountNumber: 'A-1', address: { city: '東京', postalCode: '100-0001' }, attributes: [{ key: 'tier', value: 'gold 🥇' }, { key: 'b', value: '\u2028' }] },
    {
      firstName: 'Bob',
      businessName: 'Bob & Co',
      gender: 'MALE',
      partyType: 'BUSINESS',
      mobilePhoneNumber: '+44 20 7946 0958',
      homePhoneNumber: '555.987.6543',
      businessPhoneNumber: '+81 3-1234-5678',
      businessEmailAddress: 'bob@corp.example',
      personalEmailAddress: 'Bob@Home.example',
      shippingAddress: { address1: 'Dock 7', state: 'WA' },
      mailingAddress: { address2: 'PO Box 1', province: 'QC', county: 'X' },
      attributes: [{ key: 'tier', value: 'silver' }],
    },
    { lastName: 'OnlyLast', additionalInformation: 'line1\nline2 \\ "quoted"', billingAddress: { address1: '1 Main', country: 'US' } },
    {}, // a profile with nothing: null names, no contacts/cases/orders/objects (empty pages)
  ];
  for (const input of people) profileIds.push((await gql(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input })).createProfile.id);
  const [zoe, bob, last] = profileIds as [string, string, string];
  busiest = zoe;
  const channels = ['VOICE', 'CHAT', 'EMAIL', 'TASK', 'SMS', 'WEB', 'SOCIAL', 'OTHER'];
  const directions = ['INBOUND', 'OUTBOUND', 'TRANSFER', 'CALLBACK', 'API', null];
  const queues = ['Billing', 'Q "quoted" \\ back\nslash', 'ctl \u0001\u001f\u007f', '日本語 \u2028 emoji 😀', null];
  for (let i = 0; i < 12; i++) {
    const owner = i < 9 ? zoe : i < 11 ? bob : last;
    // two pairs share a millisecond: the id breaks the tie, also across pages
    const ms = i === 3 || i === 4 ? 500 : i === 6 || i === 7 ? 0 : i * 37;
    const initiatedAt = new Date(Date.UTC(2026, 1, 1 + (i % 5), 9, i, 3, ms)).toISOString();
    await gql(`mutation($input: RecordContactInput!) { recordContact(input: $input) { created } }`, {
      input: {
        contactId: `ctr-${i}-ünï`,
        profileId: owner,
        channel: channels[i % channels.length],
        direction: directions[i % directions.length],
        initiatedAt,
        disconnectedAt: i % 3 === 0 ? null : new Date(Date.parse(initiatedAt) + 1000 * (i * 61 + 0.5)).toISOString(),
        queue: queues[i % queues.length],
        queueWaitSeconds: i % 4 === 0 ? null : i * 3,
        holdSeconds: i % 2 === 0 ? 0 : null,
        agentId: i % 5 === 0 ? null : `agent-${i}`,
        phoneNumber: i % 2 ? '+12065550100' : null,
        emailAddress: i % 3 ? null : 'zoe@example.com',
        attributes: i % 2 ? [{ key: 'tier', value: `t${i}` }] : [],
      },
    });
  }
  const statuses = ['OPEN', 'IN_PROGRESS', 'PENDING', 'RESOLVED', 'CLOSED'];
  const priorities = ['LOW', 'MEDIUM', 'HIGH', 'URGENT', null];
  for (let i = 0; i < 7; i++) {
    await gql(`mutation($input: CreateCaseInput!) { createCase(input: $input) { created } }`, {
      input: {
        profileId: i < 6 ? zoe : bob,
        caseId: `CASE-${i}`,
        title: i === 2 ? 'Broken "thing"\n☃' : `Case ${i}`,
        summary: i % 2 ? null : `summary ${i} 😀`,
        status: statuses[i % statuses.length],
        reason: i % 3 ? 'billing' : null,
        priority: priorities[i % priorities.length],
        createdBy: i % 2 ? 'agent-1' : null,
        attributes: i % 2 ? [{ key: 'tier', value: 'case' }] : [],
      },
    });
  }
  const prices = ['5', '5.1', '129.9', '0.1234', '-3.5', '100.10', null, '1e3'];
  for (let i = 0; i < prices.length; i++) {
    await gql(`mutation($input: RecordOrderInput!) { recordOrder(input: $input) { created } }`, {
      input: {
        orderId: `ORD-${i}`,
        profileId: i < 6 ? zoe : bob,
        totalPrice: prices[i] === '1e3' ? '1000' : prices[i],
        currency: i % 3 ? 'USD' : null,
        status: i % 2 ? 'paid' : null,
        fulfillmentStatus: i % 4 ? null : 'shipped',
        orderedAt: new Date(Date.UTC(2026, 2, 1, 12, 0, 0, i < 4 ? 250 : i * 7)).toISOString(),
        cancelledAt: i === 5 ? new Date(Date.UTC(2026, 3, 1, 0, 0, 0, 1)).toISOString() : null,
        items: i % 2 ? [{ title: 'Lamp ☃', price: '64.95', quantity: 2 }, { title: 'Plug', sku: 'P-1', quantity: 1 }] : [],
        attributes: i % 2 ? [] : [{ key: 'tier', value: 'order' }],
      },
    });
  }
  await gql(`mutation($t: PutObjectTypeInput!) { putObjectType(input: $t) { name } }`, {
    t: { name: 'Visit', fields: [{ name: 'id', source: '_source.id' }, { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' }], keys: [{ name: 'visitId', identifiers: ['UNIQUE'], fieldNames: ['id'] }, { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] }] },
  });
  for (let i = 0; i < 5; i++) {
    const r = await gql(`mutation($o: JSONObject!) { putProfileObject(objectType: "Visit", object: $o) { outcome } }`, {
      o: { id: `v${i}`, email: 'zoe@example.com', page: i % 2 ? '/カート' : '/home', n: i * 1.5, nested: { ok: i % 2 === 0, list: [1, 'two', null] } },
    });
    expect(r.putProfileObject.outcome).toBe('ATTACHED');
  }
  // Profile.merges: one merge undone (restoring its profile), one active
  for (const undo of [true, false]) {
    const other = (await gql(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input: { firstName: undo ? 'Undone' : 'Folded' } })).createProfile.id;
    const m = await gql(`mutation($input: MergeProfilesInput!) { mergeProfiles(input: $input) { merge { id } } }`, {
      input: { mainProfileId: last, profileIdsToMerge: [other], fieldSources: [{ field: 'firstName', profileId: last }] },
    });
    if (undo) await gql(`mutation($id: ID!) { unmergeProfiles(mergeId: $id) { restoredProfileIds } }`, { id: m.mergeProfiles.merge.id });
  }
}

beforeAll(async () => {
  s = await startTestServer();
  key = (await s.createDomain()).key;
  reads = s.app.services.reads as unknown as ReadPlanner<never>;
  schema = buildSchema(s.app.services.reads);
  await seed();
  // Profile.segments needs a segment some profiles are in
  await gql(`mutation { putSegment(input: { name: "named", text: "firstName exists" }) { name } }`);
}, 120_000);
afterAll(async () => {
  await s?.close();
});

// ---------------------------------------------------------------------------------------------
// Selections generated from the schema and the registry

function named(t: GraphQLOutputType | GraphQLInputType): GraphQLNamedType {
  return g.getNamedType(t);
}

/** Every argument combination of a field from SAMPLES / the argument types; null when a required argument has no sample. */
function argSets(f: GraphQLField<unknown, unknown>): string[] | null {
  let sets = [''];
  for (const a of f.args) {
    if (a.name === 'first' || a.name === 'after') continue;
    const t = named(a.type);
    let values: readonly unknown[] | undefined = SAMPLES[a.name];
    if (!values && g.isEnumType(t)) values = t.getValues().map((v) => v.name);
    if (!values && t.name === 'Int') values = [1];
    if (!values && t.name === 'Boolean') values = [true];
    if (!values) {
      if (g.isNonNullType(a.type)) return null;
      continue;
    }
    const literals = values.map((v) => `${a.name}: ${g.isEnumType(t) ? String(v) : JSON.stringify(v)}`);
    sets = sets.flatMap((prefix) => literals.map((l) => (prefix ? `${prefix}, ${l}` : l)));
  }
  return sets;
}

interface Built {
  text: string;
  /** Every field in it runs on the compiled walk (no reference or async resolver). */
  fast: boolean;
  /** Fields loaded by their own statement (async declared resolvers). */
  loads: number;
}

/**
 * The selection of a field: leaves as they are, objects expanded (leaves and nested objects to
 * `depth`), node types through references expanded to their column leaves, connections with a page.
 */
function selectionOf(owner: NodeInfo | undefined, f: GraphQLField<unknown, unknown>, args: string, depth: number): Built {
  const t = named(f.type);
  const call = `${f.name}${args ? `(${args})` : ''}`;
  const decl = owner?.declared.get(f.name);
  const conn = owner?.connections.get(f.name);
  let fast = !decl || decl.kind === 'field';
  let loads = decl?.kind === 'resolver' ? (decl.statements ?? 1) : decl?.kind === 'subquery' ? (decl.statements ?? 0) : 0;
  if (g.isLeafType(t)) return { text: call, fast, loads };
  const obj = t as GraphQLObjectType;
  if (conn) return { text: `${f.name}(first: 2${args ? `, ${args}` : ''}) { totalCount nodes { id } }`, fast, loads };
  const target = reads.nodeTypes().find((n) => n.type === obj.name);
  const parts: string[] = [];
  for (const sub of Object.values(obj.getFields())) {
    if (sub.args.some((a) => g.isNonNullType(a.type))) continue;
    const st = named(sub.type);
    if (g.isLeafType(st)) {
      parts.push(sub.name);
      // a loading field of the referenced node (Profile.segments) takes its own statements
      const d = target?.declared.get(sub.name);
      if (d?.kind === 'resolver') loads += d.statements ?? 1;
      else if (d?.kind === 'subquery') loads += d.statements ?? 0;
    } else if (!target && depth > 0) {
      const inner = selectionOf(undefined, sub as GraphQLField<unknown, unknown>, '', depth - 1);
      parts.push(inner.text);
    }
  }
  if (target) fast = false; // a reference: loaded by id
  return { text: `${call} { ${parts.join(' ')} }`, fast, loads };
}

/** The first-level fields of a node type with every argument combination. */
function fieldsOfNode(n: NodeInfo): { name: string; builds: Built[] }[] {
  const type = schema.getType(n.type) as GraphQLObjectType;
  const out: { name: string; builds: Built[] }[] = [];
  for (const f of Object.values(type.getFields())) {
    const sets = argSets(f as GraphQLField<unknown, unknown>);
    if (!sets) throw new Error(`planner.test.ts: no sample for a required argument of ${n.type}.${f.name}; add one to SAMPLES`);
    out.push({ name: f.name, builds: sets.map((a) => selectionOf(n, f as GraphQLField<unknown, unknown>, a, 2)) });
  }
  return out;
}

const MODES: ReadMode[] = ['auto', 'planned', 'graphql-js'];

/** Runs a query on every path: same bytes, the expected path each time, one statement when planned. */
async function samePaths(query: string, fast: boolean, loads: number, variables: Record<string, unknown> = {}): Promise<PathResult> {
  const [auto, planned, plain] = await Promise.all(MODES.map((m) => readAs(s.url, m, query, variables, key)));
  const where = `\n${query}\n`;
  for (const r of [auto!, planned!, plain!]) expect(r.body.errors, where).toBeUndefined();
  expect(auto!.path, where).toBe(fast ? 'fast' : 'planned');
  expect(planned!.path, where).toBe('planned');
  expect(plain!.path, where).toBe('graphql-js');
  expect(auto!.statements, where).toBe(1 + loads);
  expect(planned!.statements, where).toBe(1 + loads);
  expect(auto!.dataText, where).toBe(plain!.dataText);
  expect(planned!.dataText, where).toBe(plain!.dataText);
  return plain!;
}

/** All values of `field` under every node of every page of `conn` in a response. */
function valuesIn(data: unknown, path: string[]): unknown[] {
  let level: unknown[] = [data];
  for (const k of path) {
    level = level.flatMap((v) => {
      if (v === null || v === undefined) return [];
      const x = (v as Record<string, unknown>)[k];
      return Array.isArray(x) ? x : [x];
    });
  }
  return level;
}

const nonEmpty = (v: unknown) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0);

describe('read planner: every registered path answers like graphql-js', () => {
  it('the registry covers what this test generates from', () => {
    // (at least these; whatever else is registered is covered the same way)
    expect(reads.pageRoots().map((p) => p.decl.root)).toEqual(expect.arrayContaining(['profiles', 'searchProfiles']));
    expect(reads.connections().map((c) => `${c.parent.type}.${c.decl.field}`)).toEqual(expect.arrayContaining(['Profile.cases', 'Profile.contacts', 'Profile.objects', 'Profile.orders']));
    // the tests below reach connections through the root pages: none may be out of reach
    for (const c of reads.connections()) expect(reads.pageRoots().some((p) => p.node.type === c.parent.type), `${c.parent.type}.${c.decl.field} under no page`).toBe(true);
  });

  it('every field of the page node type, alone and in a full page shape', async () => {
    for (const page of reads.pageRoots() as PageInfo[]) {
      const root = page.decl.root;
      for (const { name, builds } of fieldsOfNode(page.node)) {
        let seen = false;
        for (const b of builds) {
          const alone = await samePaths(`{ ${root}${rootArgs(root)} { nodes { ${b.text} } } }`, b.fast, b.loads);
          seen ||= valuesIn(JSON.parse(alone.dataText), [root, 'nodes', name]).some(nonEmpty);
          await samePaths(`{ ${root}${rootArgs(root)} { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id ${b.text} } } } }`, b.fast, b.loads);
        }
        expect(seen, `seed data: no ${page.node.type}.${name} has a value`).toBe(true);
      }
    }
  }, 300_000);

  it('every connection × every field of its node type, alone, with the page shape, and each filter', async () => {
    for (const page of reads.pageRoots() as PageInfo[]) {
      const root = page.decl.root;
      for (const c of reads.connections() as ConnectionInfo[]) {
        if (c.parent.type !== page.node.type) continue;
        const field = schema.getType(c.parent.type) as GraphQLObjectType;
        const filters = argSets(field.getFields()[c.decl.field] as GraphQLField<unknown, unknown>) ?? [''];
        // the bare page under each filter value (and none): ids, counts, cursors
        for (const f of filters) {
          const q = `{ ${root}${rootArgs(root)} { nodes { id ${c.decl.field}(first: 3${f ? `, ${f}` : ''}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } } } }`;
          await samePaths(q, true, 0);
        }
        let rows = 0;
        for (const { name, builds } of fieldsOfNode(c.node)) {
          let seen = false;
          for (const b of builds) {
            const alone = await samePaths(`{ ${root}${rootArgs(root)} { nodes { ${c.decl.field}(first: 5) { nodes { ${b.text} } } } } }`, b.fast, b.loads);
            const values = valuesIn(JSON.parse(alone.dataText), [root, 'nodes', c.decl.field, 'nodes']);
            rows = Math.max(rows, values.length);
            seen ||= values.map((v) => (v as Record<string, unknown>)[name]).some(nonEmpty);
            await samePaths(`{ ${root}${rootArgs(root)} { nodes { id ${c.decl.field}(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id ${b.text} } } } } } }`, b.fast, b.loads);
          }
          expect(seen, `seed data: no ${c.node.type}.${name} under ${c.parent.type}.${c.decl.field} has a value`).toBe(true);
        }
        expect(rows, `seed data: ${c.parent.type}.${c.decl.field} has no rows`).toBeGreaterThan(0);
      }
    }
  }, 600_000);

  it('pages through every connection with `after` (ties within a millisecond included) the same way on every path', async () => {
    for (const c of reads.connections() as ConnectionInfo[]) {
      const q = `query($after: String) { searchProfiles(key: "_profileId", values: ["${busiest}"]) { nodes { ${c.decl.field}(first: 2, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } } } } }`;
      let after: string | null = null;
      const seen: string[] = [];
      for (let guard = 0; guard < 20; guard++) {
        const r = await samePaths(q, true, 0, { after });
        const conn = JSON.parse(r.dataText).searchProfiles.nodes[0][c.decl.field];
        seen.push(...conn.edges.map((e: { node: { id: string } }) => e.node.id));
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
      expect(new Set(seen).size, `${c.decl.field}: every row once`).toBe(seen.length);
      expect(seen.length, `${c.decl.field}: the busiest profile has several pages of rows`).toBeGreaterThan(2);
    }
  }, 120_000);
});

describe('the registry refuses drift', () => {
  it('refuses a declared column of another table, an undeclared non-column field, and a second resolver', () => {
    const { field } = fieldsOf(profiles);
    const wrong = nodeDecl({
      type: 'Profile',
      table: profiles,
      id: profiles.id,
      // a column of contacts declared on Profile (the types forbid it; the runtime check too)
      fields: { fullName: field({ columns: [contacts.queue as never], resolve: () => null }) },
    });
    expect(() => new ReadPlanner([{ nodes: [wrong] }], () => null as never)).toThrow(/Profile\.fullName: column "queue" is not a column of that node's table/);

    const bare = new ReadPlanner([{ nodes: [nodeDecl({ type: 'Contact', table: contacts, id: contacts.id, fields: {} })] }], () => null as never);
    expect(() => bare.checkSchema(schema, [])).toThrow(/Contact\.durationSeconds is neither a column of its table nor declared/);
    expect(() => s.app.services.reads.checkSchema(schema, [{ Contact: { queue: () => 'x' } }])).toThrow(/Contact\.queue has a resolver outside the read registry/);
  });
});
