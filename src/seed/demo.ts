import type { Database } from '../db/database.js';
import { recordContact } from '../modules/contact/contact.service.js';
import { createCase } from '../modules/case/case.service.js';
import type { DomainService } from '../modules/domain/domain.service.js';
import { noopNotifier, type EventNotifier } from '../modules/events/notifier.js';
import { recordOrder } from '../modules/order/order.service.js';
import { createProfile } from '../modules/profile/profile.service.js';
import type { DomainScope } from '../modules/scope.js';
import { mulberry32 } from './prng.js';

/** Deterministic randomness so every demo database looks the same. */
function rng(seed: number) {
  const next = mulberry32(seed);
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T };
}

const FIRST = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Mason', 'Sophia', 'Lucas', 'Mia', 'Ethan', 'Yui', 'Haruto', 'Sakura', 'Ren', 'Aoi', 'Sota'];
const LAST = ['Smith', 'Johnson', 'Brown', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Tanaka', 'Suzuki', 'Sato', 'Takahashi', 'Watanabe'];
const CITIES = [
  ['Seattle', 'WA', '98101'],
  ['Austin', 'TX', '73301'],
  ['Boston', 'MA', '02108'],
  ['Denver', 'CO', '80202'],
  ['Portland', 'OR', '97201'],
] as const;
const QUEUES = ['Billing', 'Support', 'Sales', 'Returns'];
const CASES = ['Refund request', 'Damaged item', 'Login problem', 'Change of address', 'Late delivery', 'Warranty claim'];
const PRODUCTS = ['Headphones', 'Coffee grinder', 'Desk lamp', 'Backpack', 'Water bottle', 'Keyboard'];
const CHANNELS = ['VOICE', 'VOICE', 'VOICE', 'CHAT', 'EMAIL', 'TASK'] as const;

export interface SeedResult {
  domain: string;
  apiKey: string;
  profiles: number;
}

/** Creates a demo domain with `count` profiles and their contacts, cases and orders. */
export async function seedDemo(
  database: Database,
  domains: DomainService,
  opts: { domain?: string; count?: number; notifier?: EventNotifier } = {},
): Promise<SeedResult> {
  const name = opts.domain ?? 'demo';
  const count = opts.count ?? 300;
  const created = await domains.create({ name, defaultPhoneRegion: 'US' });
  const scope: DomainScope = { database, domain: created.domain, actorKeyId: created.apiKeyInfo.id, notifier: opts.notifier ?? noopNotifier };
  const r = rng(42);
  const now = Date.now();
  const day = 86_400_000;
  for (let i = 0; i < count; i++) {
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    const [city, state, zip] = r.pick(CITIES);
    const phone = `+1206555${String(1000 + i).padStart(4, '0')}`;
    const profile = await createProfile(scope, {
      firstName: first,
      lastName: last,
      accountNumber: `ACC-${100000 + i}`,
      partyType: 'INDIVIDUAL',
      gender: r.pick(['MALE', 'FEMALE', 'UNSPECIFIED'] as const),
      birthDate: new Date(Date.UTC(1950 + r.int(55), r.int(12), 1 + r.int(28))),
      phoneNumber: phone,
      emailAddress: `${first}.${last}.${i}@example.com`.toLowerCase(),
      address: { address1: `${100 + r.int(900)} ${r.pick(['Pine', 'Oak', 'Maple', 'Cedar'])} St`, city, state, postalCode: zip, country: 'US' },
      attributes: [
        { key: 'tier', value: r.pick(['bronze', 'silver', 'gold']) },
        { key: 'preferredLanguage', value: r.pick(['en', 'en', 'ja', 'es']) },
      ],
    });
    const contacts = 1 + r.int(8);
    for (let c = 0; c < contacts; c++) {
      const start = new Date(now - r.int(90) * day - r.int(day));
      await recordContact(scope, {
        contactId: `ctr-${i}-${c}`,
        profileId: profile.id,
        channel: r.pick(CHANNELS),
        direction: r.next() < 0.8 ? 'INBOUND' : 'OUTBOUND',
        initiatedAt: start,
        disconnectedAt: new Date(start.getTime() + (60 + r.int(900)) * 1000),
        queue: r.pick(QUEUES),
        queueWaitSeconds: r.int(300),
        holdSeconds: r.int(120),
        agentId: `agent-${1 + r.int(20)}`,
      });
    }
    if (r.next() < 0.5) {
      await createCase(scope, {
        profileId: profile.id,
        caseId: `CASE-${10000 + i}`,
        title: r.pick(CASES),
        summary: 'Customer reported the issue by phone.',
        status: r.pick(['OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED'] as const),
        priority: r.pick(['LOW', 'MEDIUM', 'HIGH'] as const),
      });
    }
    const orders = r.int(4);
    for (let o = 0; o < orders; o++) {
      const qty = 1 + r.int(3);
      const price = (10 + r.int(200) + 0.99).toFixed(2);
      await recordOrder(scope, {
        orderId: `ORD-${i}-${o}`,
        profileId: profile.id,
        status: r.pick(['PLACED', 'SHIPPED', 'DELIVERED', 'CANCELLED']),
        totalPrice: (Number(price) * qty).toFixed(2),
        currency: 'USD',
        orderedAt: new Date(now - r.int(180) * day),
        items: [{ title: r.pick(PRODUCTS), price, quantity: qty }],
      });
    }
  }
  return { domain: name, apiKey: created.apiKey, profiles: count };
}
