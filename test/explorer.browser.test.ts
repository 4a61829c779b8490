/// <reference lib="dom" />
/**
 * The explorer in a real browser: playwright-core driving Debian's `chromium` package against a
 * started gateway (PGlite, or Postgres with TEST_DATABASE_URL). One browser for the file, pages
 * reused. Screenshots go to docs/screenshots/ when UPDATE_SCREENSHOTS=1 (the README shows them),
 * else to a temporary folder. Tests of panels whose server fields are not in this build's schema
 * are skipped, naming the missing field.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventHub } from '../src/modules/events/event-hub.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { ensureWebBuilt } from './helpers/web.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) console.warn(`explorer browser tests skipped: no browser at ${CHROMIUM}; install Debian's "chromium" package (apt-get install -y chromium) or set CHROMIUM_PATH`);

/** The SDL of this build: a panel's test runs only when its server fields exist. */
const SDL = readdirSync(path.resolve(import.meta.dirname, '../schema')).map((f) => readFileSync(path.resolve(import.meta.dirname, '../schema', f), 'utf8')).join('\n');
const missing = (...fields: string[]) => fields.filter((f) => !new RegExp(`\\b${f.split('.').pop()}\\s*[(:]`).test(SDL));
function needs(...fields: string[]): { skip: boolean; note: string } {
  const absent = missing(...fields);
  return { skip: absent.length > 0, note: absent.length ? ` [skipped: the server has no ${absent.join(', ')} yet]` : '' };
}

const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '../docs/screenshots') : mkdtempSync(path.join(tmpdir(), 'explorer-shots-'));
mkdirSync(SHOTS, { recursive: true });

let s: TestServer;
let browser: Browser;
let context: BrowserContext;
let base: string;
let key: string;
let ada: string;
let grace: string;
const problems: string[] = [];
const visited = new Set<string>();

/** A page whose console errors, uncaught exceptions and failed requests are collected. */
async function newPage(ctx = context): Promise<Page> {
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${page.url()}: console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  // a request the page itself cancelled (a superseded search, a navigation) is ERR_ABORTED: not a failure
  page.on('requestfailed', (r) => {
    if (!r.url().startsWith('blob:') && r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`${page.url()}: request failed ${r.url()} ${r.failure()?.errorText}`);
  });
  return page;
}

async function gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await s.gql<T>(query, variables, key);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data as T;
}

/** Axe-like basics: html lang, one h1, every control labelled, every button named, focusable things visible. */
async function checkA11y(page: Page): Promise<void> {
  visited.add(new URL(page.url()).pathname + new URL(page.url()).hash);
  const issues = await page.evaluate(() => {
    const out: string[] = [];
    if (!document.documentElement.lang) out.push('html has no lang');
    if (document.querySelectorAll('h1').length !== 1) out.push(`${document.querySelectorAll('h1').length} h1 elements`);
    for (const el of Array.from(document.querySelectorAll('input, select, textarea'))) {
      const c = el as HTMLInputElement;
      if (c.type === 'hidden') continue;
      if (!(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby')) out.push(`unlabelled ${c.tagName.toLowerCase()}#${c.id}`);
    }
    for (const b of Array.from(document.querySelectorAll('button, a[href]'))) {
      if (!(b.textContent ?? '').trim() && !b.getAttribute('aria-label')) out.push(`unnamed ${b.tagName.toLowerCase()} ${b.outerHTML.slice(0, 60)}`);
    }
    const ids = Array.from(document.querySelectorAll('[id]')).map((e) => e.id);
    const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (dup.length) out.push(`duplicate ids ${dup.join(',')}`);
    return out;
  });
  expect(issues, page.url()).toEqual([]);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, hash = ''): Promise<void> {
  await page.goto(`${base}#key=${key}`);
  await page.locator('#search-box').waitFor();
  if (hash) {
    await page.evaluate((h) => { location.hash = h; }, hash);
  }
}

beforeAll(async () => {
  if (!haveBrowser) return;
  ensureWebBuilt();
  s = await startTestServer({ diagnostics: false });
  base = s.url.replace(/graphql$/, '');
  key = (await s.createDomain(undefined, { defaultPhoneRegion: 'US' })).key;
  ada = (await gql(`mutation { createProfile(input: { firstName: "Ada", lastName: "Lovelace", phoneNumber: "+12065550100", emailAddress: "ada@example.com", accountNumber: "ACC-1",
    address: { address1: "12 Analytical St", city: "London", postalCode: "N1", country: "GB" }, attributes: [{ key: "tier", value: "gold" }] }) { id } }`)).createProfile.id;
  grace = (await gql(`mutation { createProfile(input: { firstName: "Grace", lastName: "Hopper", phoneNumber: "+12065550101", emailAddress: "grace@example.com" }) { id } }`)).createProfile.id;
  const day = 86_400_000;
  const now = Date.now();
  for (const [i, channel] of (['VOICE', 'CHAT', 'VOICE', 'EMAIL', 'VOICE'] as const).entries()) {
    await gql(`mutation($input: RecordContactInput!) { recordContact(input: $input) { created } }`, {
      input: { contactId: `c-${i}`, profileId: ada, channel, direction: 'INBOUND', initiatedAt: new Date(now - (i * 5 + 1) * day).toISOString(), disconnectedAt: new Date(now - (i * 5 + 1) * day + 245_000).toISOString(), queue: 'Support', queueWaitSeconds: 30 + i, agentId: `agent-${i}` },
    });
  }
  await gql(`mutation { createCase(input: { profileId: "${ada}", title: "Broken engine", priority: HIGH }) { created } }`);
  await gql(`mutation { recordOrder(input: { orderId: "ORD-1", profileId: "${ada}", totalPrice: "12000", currency: "JPY", status: "SHIPPED", items: [{ title: "Punch cards", sku: "PC-1", price: "6000", quantity: 2 }] }) { created } }`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 900 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe.skipIf(!haveBrowser)('the explorer in Chromium', () => {
  let page: Page;

  it('signs in with the key from the URL fragment, keeps it out of the address bar, and lists the customers', async () => {
    page = await newPage();
    await signIn(page);
    expect(page.url()).not.toContain(key);
    expect(await page.evaluate(() => sessionStorage.getItem('profilegraph.key'))).toBe(key);
    await expect.poll(() => page.locator('ul.profiles a.name').allTextContents()).toEqual(expect.arrayContaining(['Ada Lovelace', 'Grace Hopper']));
    await checkA11y(page);
  });

  it('search by phone in another format finds the caller', async () => {
    await page.locator('#search-box').fill('(206) 555-0100');
    await page.keyboard.press('Enter');
    const results = page.locator('#results-title + ul.profiles li, section[aria-labelledby="results-title"] ul.profiles li');
    await expect.poll(() => results.count()).toBe(1);
    expect(await results.first().locator('a.name').textContent()).toBe('Ada Lovelace');
    expect(await results.first().locator('.tag').allTextContents()).toContain('_phone');
    await shot(page, 'search');
    // and by e-mail in another case
    await page.locator('#search-box').fill('GRACE@example.com');
    await page.keyboard.press('Enter');
    await expect.poll(() => results.first().locator('a.name').textContent()).toBe('Grace Hopper');
    await checkA11y(page);
  });

  it('keyboard only: search, open the result, reach and use the card', async () => {
    const kb = await newPage();
    await signIn(kb);
    // the search box has the focus on arrival
    expect(await kb.evaluate(() => document.activeElement?.id)).toBe('search-box');
    await kb.keyboard.type('206-555-0100');
    await kb.keyboard.press('Enter');
    await kb.locator('section[aria-labelledby="results-title"] ul.profiles a.name').first().waitFor();
    // Tab from the box: the search button, then the first result
    const order: string[] = [];
    for (let i = 0; i < 2; i++) {
      await kb.keyboard.press('Tab');
      order.push(await kb.evaluate(() => (document.activeElement?.textContent ?? '').trim()));
    }
    expect(order).toEqual(['Search', 'Ada Lovelace']);
    await kb.keyboard.press('Enter');
    await kb.locator('#profile-name').waitFor();
    await expect.poll(() => kb.evaluate(() => document.activeElement?.id)).toBe('profile-name');
    // next stops: the Edit button of the card
    let reached = '';
    for (let i = 0; i < 5 && reached !== 'Edit'; i++) {
      await kb.keyboard.press('Tab');
      reached = await kb.evaluate(() => (document.activeElement?.textContent ?? '').trim());
    }
    expect(reached).toBe('Edit');
    await kb.keyboard.press('Enter');
    await expect.poll(() => kb.evaluate(() => document.activeElement?.id)).toBe('edit-firstName');
    await checkA11y(kb);
    await kb.keyboard.press('Tab');
    expect(await kb.evaluate(() => document.activeElement?.id)).toBe('edit-middleName');
    await kb.keyboard.type('Augusta');
    // Enter in a field submits the form
    await kb.keyboard.press('Enter');
    await kb.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await gql(`{ profile(id: "${ada}") { middleName } }`)).profile.middleName).toBe('Augusta');
    await kb.close();
  });

  it('edit and conflict: a stale version shows the other session\'s change, then saves over it', async () => {
    const one = await newPage();
    const two = await newPage(await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 900 } }));
    for (const p of [one, two]) {
      await signIn(p, `#/profile/${grace}`);
      await p.locator('#profile-name').waitFor();
      await p.getByRole('button', { name: 'Edit' }).click();
    }
    await one.getByLabel('Account number').fill('ACC-ONE');
    await two.getByLabel('Last name', { exact: true }).fill('Hopper-Murray');
    await two.getByRole('button', { name: 'Save', exact: true }).click();
    await two.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await one.getByRole('button', { name: 'Save', exact: true }).click();
    const alert = one.locator('.conflict');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Someone else changed this profile');
    expect(await alert.locator('[data-conflict-field="lastName"]').textContent()).toContain('Hopper-Murray');
    await shot(one, 'conflict');
    await one.getByRole('button', { name: 'Save mine over it' }).click();
    await one.getByRole('button', { name: 'Save', exact: true }).click();
    await one.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const p = (await gql(`{ profile(id: "${grace}") { lastName accountNumber version } }`)).profile;
    expect(p).toMatchObject({ lastName: 'Hopper-Murray', accountNumber: 'ACC-ONE', version: 3 });
    // the other session follows live
    await expect.poll(() => two.locator('[data-field="accountNumber"]').textContent()).toBe('ACC-ONE');
    await one.close();
    await two.context().close();
  });

  it('a contact recorded through the API appears live, without a reload, marked new', async () => {
    const subscribers = () => (s.app.services.notifier as EventHub).stats().subscribers;
    await expect.poll(subscribers).toBe(0); // the earlier pages' subscriptions have ended
    await signIn(page, `#/profile/${ada}`);
    await page.locator('tr[data-contact-id="c-0"]').waitFor();
    await page.evaluate(() => { (window as any).__notReloaded = true; });
    // The page's subscription is registered before the write (wait on the hub, not on time).
    await expect.poll(subscribers).toBe(1);
    await gql(`mutation($input: RecordContactInput!) { recordContact(input: $input) { created } }`, {
      input: { contactId: 'c-live', profileId: ada, channel: 'CHAT', direction: 'INBOUND', initiatedAt: new Date().toISOString(), queue: 'Live', agentId: 'agent-live' },
    });
    const row = page.locator('tr[data-contact-id="c-live"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('.badge').textContent()).toBe('new');
    expect(await page.locator('.since').textContent()).toMatch(/^1 update since you opened this at/);
    expect(await page.evaluate(() => (window as any).__notReloaded)).toBe(true);
    await checkA11y(page);
    await shot(page, 'profile');
  });

  it('cases: create one and change its status from the card', async () => {
    await page.getByLabel('Title', { exact: true }).fill('Needs a callback');
    await page.getByRole('button', { name: 'Create case' }).click();
    const item = page.locator('ul.cases li', { hasText: 'Needs a callback' });
    await item.waitFor();
    await item.locator('select').selectOption('RESOLVED');
    await expect.poll(async () => (await gql(`{ profile(id: "${ada}") { cases(first: 5) { nodes { title status } } } }`)).profile.cases.nodes.find((c: any) => c.title === 'Needs a callback')?.status).toBe('RESOLVED');
  });

  it('renders Japanese: text, dates, currency and durations for the locale', async () => {
    await page.getByLabel('Language').selectOption('ja');
    try {
    await page.locator('html[lang="ja"]').waitFor();
    expect(await page.locator('nav[aria-label="main"]').textContent()).toContain('顧客');
    expect(await page.locator('#panel-timeline').textContent()).toContain('コンタクト履歴');
    const when = await page.locator('tr[data-contact-id="c-0"] td').first().textContent();
    expect(when).toMatch(/\d{4}\/\d{1,2}\/\d{1,2}/);
    expect(await page.locator('tr[data-contact-id="c-0"] td').nth(5).textContent()).toMatch(/^4\s?分\s?5\s?秒$/);
    expect(await page.locator('[data-money]').first().textContent()).toMatch(/^[￥¥]12,000$/);
    expect(await page.locator('.panel-timeline thead').textContent()).toContain('待ち時間');
    await checkA11y(page);
    await shot(page, 'profile-ja');
    } finally {
      await page.locator('header select').selectOption('en');
      await page.locator('html[lang="en"]').waitFor();
    }
  });

  it('segments page: counts the rule as it is typed, saves it, lists members, exports a snapshot', async () => {
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByLabel('Name', { exact: true }).fill('gold');
    await page.getByLabel('Rule').fill("attributes.tier = 'gold'");
    await expect.poll(() => page.locator('#segment-check').textContent()).toBe('1 profiles match');
    await page.getByLabel('Rule').fill("attributes.tier = = 'gold'");
    await expect.poll(() => page.locator('#segment-check').getAttribute('class')).toBe('error');
    await page.getByLabel('Rule').fill("attributes.tier = 'gold' or lastName = 'Hopper-Murray'");
    await expect.poll(() => page.locator('#segment-check').textContent()).toBe('2 profiles match');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await expect.poll(() => page.locator('ul.profiles a.name').allTextContents()).toEqual(expect.arrayContaining(['Ada Augusta Lovelace', 'Grace Hopper-Murray']));
    await page.getByRole('button', { name: 'Export snapshot (CSV)' }).click();
    const download = page.getByRole('button', { name: /^Download profile\.csv \(2 rows\)$/ });
    await download.waitFor({ timeout: 20_000 });
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toBe('gold-profile.csv');
    await checkA11y(page);
    await shot(page, 'segments');
  });

  it('GraphiQL at /graphql loads from this server with the session key in its headers, and runs a query', async () => {
    const g = await newPage();
    await signIn(g);
    await g.goto(s.url);
    await g.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    await g.getByText('Headers', { exact: true }).click();
    await expect.poll(async () => (await g.locator('.graphiql-editor-tool').textContent())?.replace(/\s+/g, ' ')).toContain(`Bearer ${key}`);
    await g.locator('.graphiql-execute-button').click();
    await expect.poll(async () => (await g.locator('.result-window').textContent())?.replace(/\s+/g, ' '), { timeout: 15_000 }).toContain('Ada Augusta Lovelace');
    visited.add('/graphql');
    await shot(g, 'graphiql');
    await g.close();
  });

  const lookup = needs('lookupProfiles');
  it.skipIf(lookup.skip)(`search by name in any order through lookupProfiles${lookup.note}`, async () => {
    await signIn(page, '#/');
    await page.locator('#search-box').fill('lovelace ada');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('section[aria-labelledby="results-title"] ul.profiles a.name').first().textContent()).toBe('Ada Augusta Lovelace');
  });

  const insights = needs('Profile.insights');
  it.skipIf(insights.skip)(`insights panel shows the facts behind each insight${insights.note}`, async () => {
    await signIn(page, `#/profile/${ada}`);
    await page.locator('#panel-insights').waitFor();
    expect(await page.locator('.panel-insights').textContent()).toMatch(/OPEN_HIGH_PRIORITY_CASE|FREQUENT_CALLER|VIP|Nothing stands out/);
  });

  const layout = needs('profileLayout', 'putProfileLayout');
  it.skipIf(layout.skip)(`layout page saves the panel order through the API and the profile page follows it${layout.note}`, async () => {
    await signIn(page, '#/layout');
    await page.getByRole('button', { name: 'Move up: Orders' }).click();
    await page.getByRole('button', { name: 'Save layout' }).click();
    await page.getByRole('status').filter({ hasText: 'Layout saved.' }).waitFor();
    const saved = (await gql(`{ profileLayout { panels } }`)).profileLayout.panels as string[];
    expect(saved.indexOf('ORDERS')).toBeLessThan(saved.indexOf('CASES'));
    await checkA11y(page);
  });

  const merge = needs('similarProfiles', 'mergeProfiles', 'unmergeProfiles', 'Profile.merges');
  it.skipIf(merge.skip)(`identity: a suggested duplicate is merged after a dry-run preview, then the merge is undone${merge.note}`, async () => {
    const dup = (await gql(`mutation { createProfile(input: { firstName: "Ada", lastName: "Lovelace", emailAddress: "ada@example.com", phoneNumber: "+12065550100" }) { id } }`)).createProfile.id;
    await signIn(page, `#/profile/${ada}`);
    const match = page.locator(`[data-match="${dup}"]`);
    await match.waitFor({ timeout: 15_000 });
    await match.getByRole('button', { name: 'Merge into this profile' }).click();
    await page.getByRole('region', { name: 'Preview of the merge' }).waitFor();
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Merged.' }).waitFor();
    expect((await gql(`{ profile(id: "${dup}") { id } }`)).profile).toBeNull();
    await shot(page, 'merge');
    await page.getByRole('button', { name: 'Undo merge' }).first().click();
    await page.getByRole('status').filter({ hasText: 'Merge undone.' }).waitFor();
    expect((await gql(`{ profile(id: "${dup}") { id } }`)).profile.id).toBe(dup);
  });

  it('no console errors, failed requests or CSP violations on any page', () => {
    expect(visited.size).toBeGreaterThanOrEqual(4);
    expect(problems).toEqual([]);
  });
});
