/**
 * Calculated attributes in the read registry (src/read/registry.ts): `Profile.calculatedAttributes`
 * and `Profile.calculatedAttribute(name)` are subqueries Postgres computes per profile, so a page
 * of profiles with their calculated attributes stays ONE statement. A value whose window moved on
 * since it was computed (valid_until passed) is recomputed before it is returned.
 */
import DataLoader from 'dataloader';
import { fieldsOf, type ReadRequest } from '../../read/registry.js';
import type { ReadModule } from '../../read/registry.js';
import { profiles } from '../profile/profile.table.js';
import { valuesByProfile, valuesJsonSql, type ValueJson } from './calculated.repository.js';
import { nowOf, refreshProfiles } from './calculated.service.js';
import type { ValueType } from './expression.js';

/** A calculated attribute's value as GraphQL returns it. */
export interface CalculatedValue {
  name: string;
  value: string | null;
  type: ValueType;
  isDataPartial: boolean;
  lastObjectAt: Date | null;
}

/** A numeric's text without trailing fractional zeros ("12.5000" → "12.5", "3.0" → "3"). */
function plainNumber(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  EQUAL_TO: (a, b) => a === b,
  NOT_EQUAL_TO: (a, b) => a !== b,
  GREATER_THAN: (a, b) => a > b,
  GREATER_THAN_OR_EQUAL: (a, b) => a >= b,
  LESS_THAN: (a, b) => a < b,
  LESS_THAN_OR_EQUAL: (a, b) => a <= b,
};

function toValue(j: ValueJson): CalculatedValue {
  let value: string | null;
  const present = j.num !== null || j.txt !== null || j.b !== null || j.tm !== null;
  if (!present && j.st === 'COUNT') {
    // no object in the window: COUNT is 0 (and its threshold is decided on 0)
    value = j.th ? String(COMPARE[j.th.operator]!(0, Number(j.th.value))) : '0';
  } else if (j.t === 'BOOLEAN') value = j.b === null ? null : String(j.b);
  else if (j.t === 'NUMBER') value = j.num === null ? null : plainNumber(j.num);
  else if (j.t === 'DATETIME') value = j.tm === null ? null : new Date(j.tm).toISOString();
  else value = j.txt;
  return { name: j.n, value, type: j.t, isDataPartial: j.p, lastObjectAt: j.l === null ? null : new Date(j.l) };
}

function parse(raw: unknown): ValueJson[] {
  if (raw === null || raw === undefined) return [];
  return (typeof raw === 'string' ? JSON.parse(raw) : raw) as ValueJson[];
}

/**
 * The values, recomputed first when one has expired (a lastDays window moved on): the request's
 * expired profiles are refreshed together (one transaction), then read again in one statement.
 */
function current(raw: unknown, request: ReadRequest, profileId: string, name: string | null): ValueJson[] | Promise<ValueJson[]> {
  const list = parse(raw);
  const now = nowOf(request.scope).getTime();
  if (!list.some((j) => j.u !== null && j.u <= now)) return list;
  const loader = request.memo(`calculatedRefreshedByProfile:${name ?? ''}`, () => {
    const scope = request.scope;
    return new DataLoader<string, string | null>(async (ids) => {
      await refreshProfiles(scope, ids);
      const m = await valuesByProfile(scope.database.db, scope.domain.id, ids, name);
      return ids.map((id) => m.get(id) ?? null);
    });
  });
  return loader.load(profileId).then(parse);
}

const { subquery } = fieldsOf(profiles);

export const calculatedReads: ReadModule = {
  extensions: [
    {
      type: 'Profile',
      fields: {
        calculatedAttributes: subquery({
          select: (domainId, parentId) => valuesJsonSql(domainId, parentId, null),
          load: (scope, ids) => valuesByProfile(scope.database.db, scope.domain.id, ids, null),
          resolve: (raw, _args, request, profileId) => {
            const list = current(raw, request, profileId, null);
            return Array.isArray(list) ? list.map(toValue) : list.then((l) => l.map(toValue));
          },
        }),
        calculatedAttribute: subquery<{ name: string }>({
          select: (domainId, parentId, { name }) => valuesJsonSql(domainId, parentId, name),
          load: (scope, ids, { name }) => valuesByProfile(scope.database.db, scope.domain.id, ids, name),
          resolve: (raw, { name }, request, profileId) => {
            const one = (l: ValueJson[]) => (l[0] ? toValue(l[0]) : null);
            const list = current(raw, request, profileId, name);
            return Array.isArray(list) ? one(list) : list.then(one);
          },
        }),
      },
    },
  ],
};
