import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExport, waitForJob } from './helpers/jobs.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** Export a domain's profiles as CSV, import the file into a fresh domain: the same customers come back. */
let s: TestServer;

const FIELDS = `accountNumber additionalInformation partyType businessName firstName middleName lastName birthDate gender
  phoneNumber mobilePhoneNumber homePhoneNumber businessPhoneNumber emailAddress personalEmailAddress businessEmailAddress
  address { address1 address2 city state postalCode country } shippingAddress { address1 city postalCode country }
  mailingAddress { city } billingAddress { city } attributes { key value }`;

beforeAll(async () => {
  s = await startTestServer({ exportDir: mkdtempSync(path.join(tmpdir(), 'pg-rt-')), jobPollSeconds: 0.5 });
});
afterAll(async () => {
  await s?.close();
});

describe('export → import round trip', () => {
  it('restores every profile field in another domain', async () => {
    const a = await s.createDomain();
    const b = await s.createDomain();
    for (let i = 0; i < 12; i++) {
      const input: Record<string, unknown> = {
        accountNumber: `ACC-${i}`,
        firstName: i % 2 ? `Jean ${i}` : `山田${i}`,
        lastName: i % 3 ? `O'Neil, "${i}"` : `Smith`,
        middleName: i % 4 ? null : 'Q',
        partyType: i % 2 ? 'INDIVIDUAL' : 'BUSINESS',
        businessName: i % 2 ? null : `Acme ${i}`,
        birthDate: `19${70 + i}-0${1 + (i % 9)}-1${i % 10}`,
        gender: ['MALE', 'FEMALE', 'UNSPECIFIED'][i % 3],
        phoneNumber: `+1206555${String(3000 + i)}`,
        mobilePhoneNumber: i % 2 ? `+8190${String(10000000 + i)}` : null,
        emailAddress: `p${i}@example.com`,
        businessEmailAddress: i % 3 ? null : `p${i}@work.example`,
        additionalInformation: i % 5 ? null : 'Line one\nline two',
        address: { address1: `${i} Main St`, address2: i % 2 ? 'Apt 4' : null, city: 'Seattle', state: 'WA', postalCode: `981${String(i).padStart(2, '0')}`, country: 'US' },
        shippingAddress: i % 2 ? { address1: `${i} Dock Rd`, city: 'Tacoma', postalCode: '98402', country: 'US' } : null,
        mailingAddress: i % 4 ? null : { city: 'Olympia' },
        attributes: [
          { key: 'tier', value: ['gold', 'silver'][i % 2]! },
          ...(i % 3 ? [] : [{ key: 'vip note', value: 'calls at 9, "sharp"' }]),
          // Plain numbers start with + or - but are no formulas: written (and read back) as they are.
          { key: 'balance', value: i % 2 ? `-${i}` : `-${i}.5` },
          { key: 'fax', value: `+1555123${String(4000 + i)}` },
          { key: 'quoted', value: `'${i} o'clock` },
        ],
      };
      const r = await s.gql(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input }, a.key);
      expect(r.errors).toBeUndefined();
    }
    const started = await startExport(s, a.key, { objectTypes: ['profile'], format: 'CSV' });
    expect(started.errors).toBeUndefined();
    const job = await waitForJob(s, a.key, started.data!.startExport.id);
    expect(job.status).toBe('SUCCEEDED');
    const res = await fetch(new URL(s.url).origin + job.export.files[0].downloadPath, { headers: { authorization: `Bearer ${a.key}` } });
    expect(res.status).toBe(200);
    const file = await res.text();
    // The plain numbers went out untouched (no formula-neutralising quote in front of them).
    expect(file).toContain(',-1,');
    expect(file).toContain(',+15551234001,');
    expect(file).not.toMatch(/'[+-]/);

    const headers = file.split(/\r?\n/)[0]!.split(',');
    const suggestion = await s.gql(`query($h: [String!]!) { suggestMapping(headers: $h, typeName: "Restored") { objectType warnings } }`, { h: headers }, b.key);
    expect(suggestion.data!.suggestMapping.warnings).toEqual([]);
    const put = await s.gql(`mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`, { input: suggestion.data!.suggestMapping.objectType }, b.key);
    expect(put.errors).toBeUndefined();
    const imported = await s.gql(`mutation($input: ImportCsvInput!) { importCsv(input: $input) { counts { rows createdProfiles failed } errors { line reason } } }`, { input: { objectType: 'Restored', content: file } }, b.key);
    expect(imported.data!.importCsv).toMatchObject({ counts: { rows: 12, createdProfiles: 12, failed: 0 }, errors: [] });

    const dump = async (key: string) => {
      const r = await s.gql(`{ profiles(first: 50) { nodes { ${FIELDS} } } }`, {}, key);
      expect(r.errors).toBeUndefined();
      return r.data!.profiles.nodes.sort((x: { accountNumber: string }, y: { accountNumber: string }) => x.accountNumber.localeCompare(y.accountNumber));
    };
    expect(await dump(b.key)).toEqual(await dump(a.key));
  });
});
