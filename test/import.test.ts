import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let key: string;

const SUGGEST = `query($h: [String!]!, $t: String) { suggestMapping(headers: $h, typeName: $t) { columns { header field target contentType recognized } objectType warnings } }`;
const PUT_TYPE = `mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`;
const IMPORT = `mutation($input: ImportCsvInput!) { importCsv(input: $input) { counts { rows attached createdProfiles unchanged failed } errors { line reason } } }`;

beforeAll(async () => {
  s = await startTestServer();
  key = (await s.createDomain()).key;
});
afterAll(async () => {
  await s?.close();
});

describe('suggestMapping', () => {
  it('maps common English and Japanese headers and sends unknown columns to attributes', async () => {
    const r = await s.gql(SUGGEST, { h: ['E-mail', 'email_address', 'メールアドレス', 'Tel', 'mobile', '電話番号', 'Shoe size'] }, key);
    const cols = r.data!.suggestMapping.columns;
    expect(cols.map((c: { target: string }) => c.target)).toEqual([
      '_profile.EmailAddress',
      '_profile.Attributes.email_address',
      '_profile.Attributes.メールアドレス',
      '_profile.PhoneNumber',
      '_profile.MobilePhoneNumber',
      '_profile.Attributes.電話番号',
      '_profile.Attributes.Shoe size',
    ]);
    expect(cols[0].contentType).toBe('EMAIL_ADDRESS');
    expect(cols[6].recognized).toBe(false);
    expect(r.data!.suggestMapping.warnings.join(' ')).toMatch(/email_address/);
    const jp = await s.gql(SUGGEST, { h: ['メールアドレス', '電話番号', '姓', '名'] }, key);
    expect(jp.data!.suggestMapping.columns.map((c: { target: string }) => c.target)).toEqual(['_profile.EmailAddress', '_profile.PhoneNumber', '_profile.LastName', '_profile.FirstName']);
  });
});

describe('importCsv', () => {
  it('imports the README example: good rows land, bad rows are reported by line, re-running changes nothing', async () => {
    const csv = readFileSync(new URL('../examples/customers.csv', import.meta.url), 'utf8');
    const headers = csv.replace(/^\uFEFF/, '').split('\n')[0]!.split(',');
    const suggestion = await s.gql(SUGGEST, { h: headers, t: 'Customers' }, key);
    const type = suggestion.data!.suggestMapping.objectType;
    expect(type.keys[0]).toMatchObject({ identifiers: ['UNIQUE'], fieldNames: ['Customer_ID'] });
    const put = await s.gql(PUT_TYPE, { input: type }, key);
    expect(put.errors).toBeUndefined();

    const first = await s.gql(IMPORT, { input: { objectType: 'Customers', content: csv } }, key);
    expect(first.errors).toBeUndefined();
    expect(first.data!.importCsv.counts).toEqual({ rows: 7, attached: 0, createdProfiles: 3, unchanged: 0, failed: 4 });
    const errs = first.data!.importCsv.errors;
    expect(errs.map((e: { line: number }) => e.line)).toEqual([5, 6, 7, 8]);
    expect(errs[0].reason).toMatch(/e-mail/);
    expect(errs[1].reason).toMatch(/expected 10 columns, found 9/);
    expect(errs[2].reason).toMatch(/phone/);
    expect(errs[3].reason).toMatch(/UNIQUE key/);

    const ada = await s.gql(`{ searchProfiles(key: "_email", values: ["ada@example.com"]) { nodes { firstName lastName phoneNumber birthDate gender address { postalCode } attribute(key: "Favourite Store") additionalInformation } } }`, {}, key);
    expect(ada.data!.searchProfiles.nodes).toEqual([
      { firstName: 'Ada', lastName: 'Lovelace', phoneNumber: '+12065550100', birthDate: '1815-12-10', gender: 'FEMALE', address: { postalCode: '98101' }, attribute: 'Downtown', additionalInformation: 'Prefers e-mail, not phone' },
    ]);
    const alan = await s.gql(`{ searchProfiles(key: "_phone", values: ["+442079460000"]) { nodes { firstName gender additionalInformation } } }`, {}, key);
    expect(alan.data!.searchProfiles.nodes).toEqual([{ firstName: 'Alan', gender: 'MALE', additionalInformation: 'Multi-line\nnote with "quotes"' }]);

    const again = await s.gql(IMPORT, { input: { objectType: 'Customers', content: csv } }, key);
    expect(again.data!.importCsv.counts).toEqual({ rows: 7, attached: 0, createdProfiles: 0, unchanged: 3, failed: 4 });
    const all = await s.gql(`{ profiles(first: 100) { nodes { id version } } }`, {}, key);
    expect(all.data!.profiles.nodes).toHaveLength(3);
    expect(all.data!.profiles.nodes.every((p: { version: number }) => p.version === 1)).toBe(true);
    // The rows refused again are the same dead letters, seen twice — not new ones.
    const dead = await s.gql(`{ deadLetters(objectType: "Customers", first: 50) { nodes { reason occurrences createdAt lastSeenAt } } }`, {}, key);
    const nodes = dead.data!.deadLetters.nodes as { reason: string; occurrences: number; createdAt: string; lastSeenAt: string }[];
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((d) => d.occurrences === 2 && d.lastSeenAt >= d.createdAt)).toBe(true);
  });

  it('reads Shift_JIS files (auto-detected) with Japanese headers', async () => {
    const { key } = await s.createDomain(undefined, { defaultPhoneRegion: 'JP' });
    const bytes = readFileSync(new URL('./fixtures/customers-sjis.csv', import.meta.url));
    const headers = new TextDecoder('shift_jis').decode(bytes).split('\n')[0]!.split(',');
    const suggestion = await s.gql(SUGGEST, { h: headers, t: 'JpCustomers' }, key);
    expect((await s.gql(PUT_TYPE, { input: suggestion.data!.suggestMapping.objectType }, key)).errors).toBeUndefined();
    const r = await s.gql(IMPORT, { input: { objectType: 'JpCustomers', contentBase64: bytes.toString('base64') } }, key);
    expect(r.data!.importCsv.counts).toMatchObject({ rows: 2, createdProfiles: 2, failed: 0 });
    const taro = await s.gql(`{ searchProfiles(key: "_phone", values: ["+81312345678"]) { nodes { lastName firstName gender accountNumber address { state postalCode } } } }`, {}, key);
    expect(taro.data!.searchProfiles.nodes).toEqual([{ lastName: '山田', firstName: '太郎', gender: 'MALE', accountNumber: 'J-001', address: { state: '東京都', postalCode: '100-0001' } }]);
  });

  it('rejects an unknown object type and missing content', async () => {
    const r = await s.gql(IMPORT, { input: { objectType: 'Nope', content: 'a,b\n1,2\n' } }, key);
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const none = await s.gql(IMPORT, { input: { objectType: 'Customers' } }, key);
    expect(none.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
