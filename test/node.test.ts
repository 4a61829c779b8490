/**
 * Relay Global Object Identification through the public surface (HTTP and graphql-ws): `node(id)`
 * and `nodes(ids)` find profiles, contacts, cases, orders and profile objects by their id, answer
 * exactly what each type's own by-id field answers (every field, nested relations included), read
 * every id of a request in ONE statement, and never reach another domain.
 */
import { createClient, type Client } from 'graphql-ws';
import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../src/graphql/schema.js';
import { contacts } from '../src/modules/contact/contact.table.js';
import { ReadPlanner } from '../src/read/planner.js';
import { node as nodeDecl } from '../src/read/registry.js';
import { graphql as g } from '../src/read/selection.js';
import { ADMIN_TOKEN, startTestServer, type GqlResult, type TestServer } from './helpers/server.js';

let s: TestServer;
let schema: GraphQLSchema;
let a: string;
let b: string;
const clients: Client[] = [];

/** Ids of domain A's records, by type, and one record of each type in domain B. */
const A = { profile: '', other: '', contact: '', case: '', order: '', object: '' };
const B = { profile: '', contact: '', case: '', order: '', object: '' };

/** Each Node type with its own by-id Query field. */
const TYPES = [
  ['Profile', 'profile', 'profile'],
  ['Contact', 'contact', 'contact'],
  ['Case', 'case', 'case'],
  ['Order', 'order', 'order'],
  ['ProfileObject', 'profileObject', 'object'],
] as const;

const codeOf = (r: GqlResult) => r.errors?.[0]?.extensions?.code;

async function ok(query: string, variables: Record<string, unknown>, key: string): Promise<GqlResult> {
  const r = await s.gql(query, variables, key);
  if (r.errors) throw new Error(`${query}: ${JSON.stringify(r.errors)}`);
  return r;
}

/**
 * Every field of a type, two levels deep: leaves, `attribute(key: "tier")`, nested objects' leaves,
 * connections' totalCount and first page of nodes. Generated from the schema, so a field added later
 * is compared too.
 */
function selectionOf(type: GraphQLObjectType, depth: number): string {
  const parts: string[] = [];
  for (const f of Object.values(type.getFields())) {
    const named = g.getNamedType(f.type);
    const required = f.args.filter((x) => g.isNonNullType(x.type) && x.defaultValue === undefined);
    let args = '';
    if (required.length > 0) {
      if (f.name !== 'attribute') continue;
      args = '(key: "tier")';
    }
    if (g.isLeafType(named)) parts.push(`${f.name}${args}`);
    else if (g.isObjectType(named) && depth > 0) {
      if (named.name.endsWith('Connection')) {
        const node = g.getNamedType(named.getFields()['nodes']!.type) as GraphQLObjectType;
        const count = named.getFields()['totalCount'] ? 'totalCount ' : '';
        parts.push(`${f.name}(first: 3) { ${count}nodes { ${selectionOf(node, 0)} } }`);
      } else parts.push(`${f.name}${args} { ${selectionOf(named, depth - 1)} }`);
    }
  }
  return parts.join(' ');
}

function wsClient(key: string): Client {
  const c = createClient({ url: s.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: key }, retryAttempts: 0, lazy: true });
  clients.push(c);
  return c;
}

/** One operation over graphql-ws; errors come back as a result. */
function wsRun(c: Client, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
  return new Promise((resolve) => {
    let result: GqlResult = {};
    c.subscribe(
      { query, variables },
      {
        next: (r) => (result = r as GqlResult),
        error: (e) => resolve(Array.isArray(e) ? { errors: e } : { errors: [{ message: String((e as Error)?.message ?? e), extensions: { code: 'SOCKET' } }] }),
        complete: () => resolve(result),
      },
    );
  });
}

/** A profile with a contact, a case, an order and a Visit object; returns their ids. */
async function seedDomain(key: string, tag: string) {
  const p = await ok(
    `mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`,
    {
      input: {
        firstName: `Zoë ${tag}`,
        lastName: 'tab\there ☃',
        birthDate: '1990-02-03',
        gender: 'FEMALE',
        partyType: 'INDIVIDUAL',
        phoneNumber: '+1 206 555 0100',
        emailAddress: `zoe-${tag}@example.com`,
        address: { city: '東京', postalCode: '100-0001' },
        billingAddress: { address1: '1 Main', country: 'US' },
        attributes: [{ key: 'tier', value: 'gold 🥇' }],
      },
    },
    key,
  );
  const profile = p.data!.createProfile.id as string;
  const c = await ok(
    `mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } } }`,
    {
      input: {
        contactId: `ctr-${tag}`,
        profileId: profile,
        channel: 'VOICE',
        direction: 'INBOUND',
        initiatedAt: '2026-02-01T09:30:03.123Z',
        disconnectedAt: '2026-02-01T09:41:07.456Z',
        queue: 'Billing "q"',
        attributes: [{ key: 'tier', value: 'c' }],
      },
    },
    key,
  );
  const k = await ok(
    `mutation($input: CreateCaseInput!) { createCase(input: $input) { case { id } } }`,
    { input: { profileId: profile, caseId: `CASE-${tag}`, title: 'Refund\n☃', priority: 'HIGH', attributes: [{ key: 'tier', value: 'k' }] } },
    key,
  );
  const o = await ok(
    `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { order { id } } }`,
    {
      input: {
        orderId: `ORD-${tag}`,
        profileId: profile,
        totalPrice: '129.90',
        currency: 'USD',
        orderedAt: '2026-03-01T12:00:00.250Z',
        items: [{ title: 'Lamp ☃', price: '64.95', quantity: 2 }],
      },
    },
    key,
  );
  await ok(
    `mutation($t: PutObjectTypeInput!) { putObjectType(input: $t) { name } }`,
    {
      t: {
        name: 'Visit',
        fields: [{ name: 'id', source: '_source.id' }, { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' }],
        keys: [{ name: 'visitId', identifiers: ['UNIQUE'], fieldNames: ['id'] }, { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] }],
      },
    },
    key,
  );
  const v = await ok(
    `mutation($o: JSONObject!) { putProfileObject(objectType: "Visit", object: $o) { outcome object { id } } }`,
    { o: { id: `v-${tag}`, email: `zoe-${tag}@example.com`, page: '/カート', n: 1.5, nested: { ok: true, list: [1, 'two', null] } } },
    key,
  );
  expect(v.data!.putProfileObject.outcome).toBe('ATTACHED');
  return {
    profile,
    contact: c.data!.recordContact.contact.id as string,
    case: k.data!.createCase.case.id as string,
    order: o.data!.recordOrder.order.id as string,
    object: v.data!.putProfileObject.object.id as string,
  };
}

beforeAll(async () => {
  s = await startTestServer();
  schema = buildSchema(s.app.services.reads);
  a = (await s.createDomain()).key;
  b = (await s.createDomain()).key;
  Object.assign(A, await seedDomain(a, 'a'));
  Object.assign(B, await seedDomain(b, 'b'));
  A.other = (await ok(`mutation { createProfile(input: { firstName: "Other" }) { id } }`, {}, a)).data!.createProfile.id;
}, 120_000);
afterAll(async () => {
  for (const c of clients) await Promise.resolve(c.dispose()).catch(() => {});
  await s?.close();
});

describe('node(id)', () => {
  it('answers every field of each Node type exactly as the type’s own by-id field does, nested relations included', async () => {
    for (const [type, root, which] of TYPES) {
      const sel = selectionOf(schema.getType(type) as GraphQLObjectType, 2);
      const id = A[which];
      const own = await ok(`query($id: ID!) { x: ${root}(id: $id) { ${sel} } }`, { id }, a);
      const viaNode = await ok(`query($id: ID!) { x: node(id: $id) { __typename id ... on ${type} { ${sel} } } }`, { id }, a);
      expect(own.data!.x, type).not.toBeNull();
      const { __typename, ...rest } = viaNode.data!.x;
      expect(__typename).toBe(type);
      // byte for byte (key order aside: the node query asks id first)
      expect(JSON.stringify(rest)).toBe(JSON.stringify({ id, ...own.data!.x }));
    }
  });

  it('resolves nested relations of the node like anywhere else', async () => {
    const r = await ok(
      `query($p: ID!, $c: ID!) {
        p: node(id: $p) { ... on Profile { fullName contacts { nodes { id contactId profile { id } } } cases { nodes { caseId } } orders { nodes { orderId totalPrice } } objects { nodes { uniqueKey } } history(first: 1) { nodes { action } } } }
        c: node(id: $c) { ... on Contact { contactId durationSeconds profile { id fullName } } }
      }`,
      { p: A.profile, c: A.contact },
      a,
    );
    expect(r.data!.p.fullName).toBe('Zoë a tab\there ☃');
    expect(r.data!.p.contacts.nodes).toEqual([{ id: A.contact, contactId: 'ctr-a', profile: { id: A.profile } }]);
    expect(r.data!.p.cases.nodes).toEqual([{ caseId: 'CASE-a' }]);
    expect(r.data!.p.orders.nodes).toEqual([{ orderId: 'ORD-a', totalPrice: '129.90' }]);
    expect(r.data!.p.objects.nodes).toEqual([{ uniqueKey: 'v-a' }]);
    expect(r.data!.p.history.nodes).toHaveLength(1);
    expect(r.data!.c).toEqual({ contactId: 'ctr-a', durationSeconds: 664, profile: { id: A.profile, fullName: 'Zoë a tab\there ☃' } });
  });

  it('answers null for another domain’s ids, unknown and malformed ids; an upper-case UUID is the same id', async () => {
    for (const id of Object.values(B)) {
      const r = await s.gql(`query($id: ID!) { node(id: $id) { id } }`, { id }, a);
      expect(r.errors).toBeUndefined();
      expect(r.data!.node).toBeNull();
      // the owner finds it
      expect((await ok(`query($id: ID!) { node(id: $id) { id } }`, { id }, b)).data!.node).toEqual({ id });
    }
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '', ' ', `${A.profile} `, `{${A.profile}}`, A.profile.replace(/-/g, ''), 'x'.repeat(200_000), '☃', "'; drop table profiles; --"]) {
      const r = await s.gql(`query($id: ID!) { node(id: $id) { id } }`, { id }, a);
      expect(r.errors, id.slice(0, 40)).toBeUndefined();
      expect(r.data!.node).toBeNull();
      // nothing but the key lookup ran for an id that cannot name a row
      if (!/^[0-9a-f-]{36}$/.test(id)) expect(r.extensions!.diagnostics.operationStatements, id.slice(0, 40)).toBe(0);
    }
    const upper = await ok(`query($id: ID!) { node(id: $id) { __typename id } }`, { id: A.profile.toUpperCase() }, a);
    expect(upper.data!.node).toEqual({ __typename: 'Profile', id: A.profile });
    // a deleted record is gone
    const gone = (await ok(`mutation { createProfile(input: { firstName: "Gone" }) { id } }`, {}, a)).data!.createProfile.id;
    await ok(`mutation($id: ID!) { deleteProfile(id: $id) { deleted } }`, { id: gone }, a);
    expect((await ok(`query($id: ID!) { node(id: $id) { id } }`, { id: gone }, a)).data!.node).toBeNull();
  });

  it('refuses NUL characters (BAD_USER_INPUT), a missing key (UNAUTHENTICATED) and the admin token (FORBIDDEN)', async () => {
    const nul = await s.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: `${A.profile}\u0000` }, a);
    expect(codeOf(nul)).toBe('BAD_USER_INPUT');
    const nulList = await s.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [A.profile, '\u0000'] }, a);
    expect(codeOf(nulList)).toBe('BAD_USER_INPUT');
    for (const q of [`{ node(id: "not-a-uuid") { id } }`, `query($id: ID!) { node(id: $id) { id } }`, `query($id: ID!) { nodes(ids: [$id]) { id } }`]) {
      const anon = await s.gql(q, { id: A.profile });
      expect(codeOf(anon), q).toBe('UNAUTHENTICATED');
      const admin = await s.gql(q, { id: A.profile }, ADMIN_TOKEN);
      expect(codeOf(admin), q).toBe('FORBIDDEN');
    }
  });
});

describe('nodes(ids)', () => {
  it('returns every type in the order asked, null in place of misses, in ONE statement', async () => {
    const ids = [A.order, 'nope', A.contact, B.profile, A.profile, '00000000-0000-4000-8000-000000000000', A.case, A.object, A.contact, B.contact];
    const r = await ok(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Profile { fullName } ... on Contact { contactId profile { id } } ... on Case { caseId } ... on Order { orderId } ... on ProfileObject { objectType owner: profile { id } } } }`,
      { ids },
      a,
    );
    expect(r.data!.nodes).toEqual([
      { __typename: 'Order', id: A.order, orderId: 'ORD-a' },
      null,
      { __typename: 'Contact', id: A.contact, contactId: 'ctr-a', profile: { id: A.profile } },
      null,
      { __typename: 'Profile', id: A.profile, fullName: 'Zoë a tab\there ☃' },
      null,
      { __typename: 'Case', id: A.case, caseId: 'CASE-a' },
      { __typename: 'ProfileObject', id: A.object, objectType: 'Visit', owner: { id: A.profile } },
      { __typename: 'Contact', id: A.contact, contactId: 'ctr-a', profile: { id: A.profile } },
      null,
    ]);
    // one statement for all five tables; the profile found there also answers contact.profile and
    // object.profile (primed into the profile loader)
    expect(r.extensions!.diagnostics.operationStatements).toBe(1);
  });

  it('batches every node and nodes field of a request into one statement', async () => {
    const r = await ok(
      `query($p: ID!, $c: ID!, $k: ID!, $o: ID!, $v: ID!, $x: ID!) {
        p: node(id: $p) { id } c: node(id: $c) { id } k: node(id: $k) { id }
        more: nodes(ids: [$o, $v, $x]) { id }
        again: nodes(ids: [$p]) { id }
      }`,
      { p: A.profile, c: A.contact, k: A.case, o: A.order, v: A.object, x: A.other },
      a,
    );
    expect(r.data).toEqual({
      p: { id: A.profile },
      c: { id: A.contact },
      k: { id: A.case },
      more: [{ id: A.order }, { id: A.object }, { id: A.other }],
      again: [{ id: A.profile }],
    });
    expect(r.extensions!.diagnostics.operationStatements).toBe(1);
    // and without any valid id, no statement at all
    const none = await ok(`{ nodes(ids: ["a", "b"]) { id } }`, {}, a);
    expect(none.data!.nodes).toEqual([null, null]);
    expect(none.extensions!.diagnostics.operationStatements).toBe(0);
    const empty = await ok(`{ nodes(ids: []) { id } }`, {}, a);
    expect(empty.data!.nodes).toEqual([]);
  });

  it('takes at most 100 ids: more is BAD_USER_INPUT naming the limit, and nothing is read', async () => {
    const hundred = Array.from({ length: 100 }, (_, i) => (i === 42 ? A.profile : `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));
    const r = await ok(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: hundred }, a);
    expect(r.data!.nodes).toHaveLength(100);
    expect(r.data!.nodes[42]).toEqual({ id: A.profile });
    expect(r.data!.nodes.filter((n: unknown) => n !== null)).toHaveLength(1);
    expect(r.extensions!.diagnostics.operationStatements).toBe(1);

    const over = await s.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [...hundred, A.case] }, a);
    expect(over.data).toBeNull();
    expect(over.errors).toHaveLength(1);
    expect(over.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids', limit: 100 });
    expect(over.errors![0]!.message).toMatch(/at most 100/);
    expect(over.errors![0]!.path).toEqual(['nodes']);
    expect(over.extensions!.diagnostics.operationStatements).toBe(0);
  });

  it('prices each id in the query cost, like a page of that size', async () => {
    const ids = Array.from({ length: 100 }, () => A.profile);
    // 100 ids × 100 contacts × 2 fields > 20,000: refused before anything runs
    const r = await s.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Profile { contacts(first: 100) { nodes { id contactId } } } } }`, { ids }, a);
    expect(codeOf(r)).toBe('LIMIT_EXCEEDED');
    // the same selection for one id is fine
    const one = await ok(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Profile { contacts(first: 100) { nodes { id contactId } } } } }`, { ids: [A.profile] }, a);
    expect(one.data!.nodes[0].contacts.nodes).toHaveLength(1);
  });
});

describe('over graphql-ws', () => {
  it('finds its own domain’s nodes and never another’s', async () => {
    const c = wsClient(a);
    const q = `query($ids: [ID!]!, $one: ID!, $theirs: ID!) {
      nodes(ids: $ids) { __typename id ... on Contact { profile { id } } }
      mine: node(id: $one) { __typename ... on Profile { fullName } }
      theirs: node(id: $theirs) { id }
    }`;
    const r = await wsRun(c, q, { ids: [A.contact, B.contact, B.profile, A.order, 'bad', B.object, B.case, B.order], one: A.profile, theirs: B.profile });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      nodes: [{ __typename: 'Contact', id: A.contact, profile: { id: A.profile } }, null, null, { __typename: 'Order', id: A.order }, null, null, null, null],
      mine: { __typename: 'Profile', fullName: 'Zoë a tab\there ☃' },
      theirs: null,
    });
    // B's key on its own socket sees B's records, and none of A's
    const cb = wsClient(b);
    const rb = await wsRun(cb, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [B.profile, A.profile, B.object, A.object] });
    expect(rb.data).toEqual({ nodes: [{ id: B.profile }, null, { id: B.object }, null] });
    // the same guards: the cap, NUL characters
    const over = await wsRun(c, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 101 }, () => A.profile) });
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids', limit: 100 });
    const nul = await wsRun(c, `query($id: ID!) { node(id: $id) { id } }`, { id: '\u0000' });
    expect(codeOf(nul)).toBe('BAD_USER_INPUT');
  });
});

describe('the registry and the SDL agree on which types are nodes', () => {
  it('refuses a type implementing Node that is not declared with a domain column, and the reverse', () => {
    const noDomain = new ReadPlanner([{ nodes: [nodeDecl({ type: 'Contact', table: contacts, id: contacts.id, fields: {} })] }], () => null as never);
    expect(() => noDomain.checkSchema(schema, [])).toThrow(/Contact implements Node but is not a node declared with a domain column/);
    const notInSdl = new ReadPlanner([{ nodes: [nodeDecl({ type: 'Contact', table: contacts, id: contacts.id, domain: contacts.domainId, fields: {} })] }], () => null as never);
    const bare = g.buildSchema('type Query { x: Int } type Contact { id: ID! }');
    expect(() => notInSdl.checkSchema(bare, [])).toThrow(/Contact is declared with a domain column but does not implement Node/);
  });
});
