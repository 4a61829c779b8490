/**
 * Calculated attributes: definitions per domain and their values per profile, kept exact.
 *
 * - Writes: every write of an object (recordContact, createCase/updateCase, recordOrder, a batch of
 *   custom objects through the ingestion pipeline) calls {@link maintainValues} in its own
 *   transaction: one statement locks the profiles' values, one reads the type's definitions, one
 *   recomputes every definition for the batch's profiles from their source rows (set-based), so a
 *   read right after sees the value.
 * - Definitions: defining or changing one recomputes it for the whole domain — inline when the
 *   domain has few objects of the type, else as a CALCULATED_BACKFILL job with progress; until the
 *   job reaches a profile its value reads `isDataPartial: true`.
 * - Time: a value over `lastDays` stores `valid_until` (its oldest object leaves the window then).
 *   An expired value is recomputed when read (lazily, one statement for the page's expired values)
 *   and by the scheduled sweep ({@link sweepExpired}).
 */
import { AppError, badInput, ErrorCode, notFound } from '../../errors.js';
import type { Database, Executor, Tx } from '../../db/database.js';
import { findObjectType } from '../object-type/object-type.repository.js';
import { text as cleanText } from '../profile/normalize.js';
import type { DomainScope } from '../scope.js';
import {
  analyzeValues,
  countDefinitions,
  countSourceObjects,
  definitionsForWrite,
  deleteDefinition,
  expiredValues,
  findDefinition,
  insertMissingDefinitions,
  listDefinitions,
  lockProfiles,
  lockValuesExclusively,
  markBackfilled,
  profileIdsAfter,
  recomputeValues,
  upsertDefinition,
  countProfiles,
  type ChangedValue,
  type DefinitionRow,
} from './calculated.repository.js';
import { BUILT_IN_FIELDS, checkDefinition, checkName, type DefinitionInput, type DefinitionSpec } from './expression.js';
import { TEMPLATE_CALCULATED_ATTRIBUTES, type Industry } from './templates.js';

export type { DefinitionRow } from './calculated.repository.js';

/** A domain's definitions at most. */
export const MAX_DEFINITIONS = 50;
/** Profiles per statement of a backfill job. */
export const BACKFILL_BATCH = 1_000;

/** The time source of windows: the scope's clock (tests inject one), else the system's. */
export function nowOf(scope: DomainScope): Date {
  return scope.clock ? scope.clock.now() : new Date();
}

/** How definitions are backfilled: inline up to `inlineObjects` objects of the type, else a job on `queue`. */
export interface Backfill {
  queue: { enqueue(scope: DomainScope, kind: 'CALCULATED_BACKFILL', params: Record<string, unknown>): Promise<{ id: string }> };
  inlineObjects: number;
}

export interface PutInput extends DefinitionInput {
  name: string;
  description?: string | null;
}

async function checkObjectType(name: string): Promise<string> {
  if (BUILT_IN_FIELDS[name]) return name;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw badInput(`objectType "${name.slice(0, 80)}" is not an object type name (_ctr, _case, _order or a custom type).`, 'objectType');
  return name;
}

export async function listCalculatedAttributes(scope: DomainScope): Promise<DefinitionRow[]> {
  return listDefinitions(scope.database.db, scope.domain.id);
}

export async function getCalculatedAttribute(scope: DomainScope, name: string): Promise<DefinitionRow | null> {
  return findDefinition(scope.database.db, scope.domain.id, name);
}

/**
 * Defines or replaces a calculated attribute and recomputes it for every profile of the domain:
 * inline for small domains, else through a backfill job (returned definition: `backfillJobId`).
 */
export async function putCalculatedAttribute(scope: DomainScope, input: PutInput, backfill: Backfill | null): Promise<DefinitionRow> {
  const name = checkName(input.name);
  const description = cleanText(input.description, 'description', 1000) ?? null;
  const objectType = await checkObjectType(input.objectType);
  const spec = checkDefinition({ ...input, objectType });
  const db = scope.database.db;
  const custom = !BUILT_IN_FIELDS[objectType];
  const { row, large } = await db.transaction(async (tx) => {
    await lockValuesExclusively(tx, scope.domain.id);
    const existing = await findDefinition(tx, scope.domain.id, name, true);
    if (!existing && (await countDefinitions(tx, scope.domain.id)) >= MAX_DEFINITIONS) {
      throw new AppError(ErrorCode.LIMIT_EXCEEDED, `A domain has at most ${MAX_DEFINITIONS} calculated attributes; delete one first.`, { limit: MAX_DEFINITIONS });
    }
    if (custom && !(await objectTypeExists(tx, scope, objectType))) throw badInput(`objectType "${objectType}" is not an object type of this domain (putObjectType first, or use _ctr, _case, _order).`, 'objectType');
    const large = backfill !== null && (await countSourceObjects(tx, scope.domain.id, objectType)) > backfill.inlineObjects;
    const row = await upsertDefinition(tx, scope.domain.id, { name, description, objectType, spec, backfilled: !large });
    if (!large) await recomputeValues(tx, scope.domain.id, [row], 'all', nowOf(scope));
    return { row, large };
  });
  if (!large || !backfill) return row;
  const job = await backfill.queue.enqueue(scope, 'CALCULATED_BACKFILL', { name, version: row.version });
  await markBackfilled(db, scope.domain.id, name, row.version, job.id);
  return { ...row, backfillJobId: job.id };
}

async function objectTypeExists(tx: Tx, scope: DomainScope, name: string): Promise<boolean> {
  return (await findObjectType(tx, scope.domain.id, name)) !== null;
}

export async function deleteCalculatedAttribute(scope: DomainScope, name: string): Promise<boolean> {
  const deleted = await scope.database.db.transaction(async (tx) => {
    await lockValuesExclusively(tx, scope.domain.id);
    return deleteDefinition(tx, scope.domain.id, name);
  });
  if (!deleted) throw notFound('Calculated attribute', name);
  return true;
}

/**
 * Keeps values exact after objects of `objectType` were written for `profileIds`, in the writing
 * transaction: 2 statements when the domain has no definition for the type (the profiles' locks,
 * the definitions), 3 otherwise (and the recompute), whatever the number of profiles. Returns the
 * (profile, name) values that changed (for live consumers such as segment membership).
 */
export async function maintainValues(tx: Executor, scope: DomainScope, objectType: string, profileIds: Iterable<string | null | undefined>): Promise<ChangedValue[]> {
  const ids = [...new Set([...profileIds].filter((id): id is string => typeof id === 'string'))];
  if (ids.length === 0) return [];
  await lockProfiles(tx, scope.domain.id, ids);
  const defs = await definitionsForWrite(tx, scope.domain.id, objectType);
  return recomputeValues(tx, scope.domain.id, defs, { ids }, nowOf(scope), true);
}

/** Recomputes the values of these profiles whose `valid_until` has passed (a read found them expired). */
export async function refreshProfiles(scope: DomainScope, profileIds: readonly string[]): Promise<void> {
  if (profileIds.length === 0) return;
  const db = scope.database.db;
  const defs = await listDefinitions(db, scope.domain.id);
  const windowed = defs.filter((d) => d.spec.window?.lastDays);
  await db.transaction(async (tx) => {
    await lockValuesExclusively(tx, scope.domain.id);
    await recomputeValues(tx, scope.domain.id, windowed, { ids: profileIds }, nowOf(scope));
  });
}

/**
 * Recomputes every expired value of the domain (segments call this before evaluating a rule over
 * `calculated.<name>`; the sweep calls it for every domain). Returns how many values changed.
 */
export async function refreshExpired(scope: DomainScope): Promise<number> {
  const db = scope.database.db;
  const now = nowOf(scope);
  let total = 0;
  for (let round = 0; round < 1000; round++) {
    const groups = await expiredValues(db, scope.domain.id, now, 10_000);
    if (groups.length === 0) break;
    const defs = await listDefinitions(db, scope.domain.id);
    const changed = await db.transaction(async (tx) => {
      await lockValuesExclusively(tx, scope.domain.id);
      let n = 0;
      for (const g of groups) {
        const def = defs.find((d) => d.name === g.name);
        if (def) n += (await recomputeValues(tx, scope.domain.id, [def], { ids: g.profileIds }, now)).length;
      }
      return n;
    });
    total += changed;
    if (changed === 0) break; // (a definition deleted meanwhile: its values are gone with it)
  }
  return total;
}

/** The backfill job: recomputes one definition version for every profile, in batches, with progress. */
export async function runBackfill(
  ctx: { scope: DomainScope; progress(done: number, total?: number | null): Promise<void>; setCounts(c: Record<string, number>): void; checkpoint(): Promise<void> },
  params: { name: string; version: number },
): Promise<Record<string, unknown>> {
  const { scope } = ctx;
  const db = scope.database.db;
  const total = await countProfiles(db, scope.domain.id);
  let after: string | null = null;
  let done = 0;
  let analyzeAt = 4 * BACKFILL_BATCH;
  await ctx.progress(0, total);
  for (;;) {
    await ctx.checkpoint();
    const def = await findDefinition(db, scope.domain.id, params.name);
    if (!def || def.version !== params.version) return { superseded: true, profiles: done };
    const ids = await profileIdsAfter(db, scope.domain.id, after, BACKFILL_BATCH);
    if (ids.length === 0) break;
    await db.transaction(async (tx) => {
      await lockValuesExclusively(tx, scope.domain.id);
      await recomputeValues(tx, scope.domain.id, [def], { ids }, nowOf(scope));
    });
    done += ids.length;
    after = ids[ids.length - 1]!;
    ctx.setCounts({ profiles: done });
    await ctx.progress(done, total);
    // Statistics follow the table as it fills (each time the job has written twice as much).
    if (done >= analyzeAt) {
      await analyzeValues(db);
      analyzeAt *= 2;
    }
  }
  await analyzeValues(db);
  await markBackfilled(db, scope.domain.id, params.name, params.version, null);
  return { profiles: done };
}

/**
 * The scheduled sweep over every domain: recomputes values whose `valid_until` has passed (reads
 * recompute expired values themselves; the sweep keeps stored values, which SQL readers such as
 * segments use, current). Returns how many values changed.
 */
export async function sweepExpired(database: Database, now: Date): Promise<number> {
  const db = database.db;
  let total = 0;
  for (let round = 0; round < 1000; round++) {
    const groups = await expiredValues(db, null, now, 10_000);
    if (groups.length === 0) break;
    let changed = 0;
    for (const domainId of new Set(groups.map((g) => g.domainId))) {
      const defs = await listDefinitions(db, domainId);
      changed += await db.transaction(async (tx) => {
        await lockValuesExclusively(tx, domainId);
        let n = 0;
        for (const g of groups.filter((x) => x.domainId === domainId)) {
          const def = defs.find((d) => d.name === g.name);
          if (def) n += (await recomputeValues(tx, domainId, [def], { ids: g.profileIds }, now)).length;
        }
        return n;
      });
    }
    total += changed;
    if (changed === 0) break;
  }
  return total;
}

// ------------------------------------------------------------------------------- defaults

interface DefaultDefinition {
  name: string;
  description: string;
  input: DefinitionInput;
}

/** What every new domain gets (deletable; `installDefaultCalculatedAttributes` adds missing ones to an existing domain). */
export const DEFAULT_DEFINITIONS: readonly DefaultDefinition[] = [
  { name: 'mostFrequentChannel', description: 'The channel of most contacts in the last 30 days.', input: { objectType: '_ctr', expression: 'channel', statistic: 'MAX_OCCURRENCE', window: { lastDays: 30 } } },
  { name: 'lastChannel', description: 'The channel of the latest contact.', input: { objectType: '_ctr', expression: 'channel', statistic: 'LAST_OCCURRENCE' } },
  { name: 'lastAgent', description: 'The agent of the latest contact that had one.', input: { objectType: '_ctr', expression: 'agentId', statistic: 'LAST_OCCURRENCE' } },
  {
    name: 'frequentCaller',
    description: 'More than 5 contacts in the last 30 days.',
    input: { objectType: '_ctr', statistic: 'COUNT', window: { lastDays: 30 }, threshold: { operator: 'GREATER_THAN', value: '5' } },
  },
  { name: 'averageQueueWaitSeconds', description: 'Average queue wait of contacts, in seconds.', input: { objectType: '_ctr', expression: 'queueWaitSeconds', statistic: 'AVERAGE' } },
  { name: 'contactCount', description: 'Contacts recorded.', input: { objectType: '_ctr', statistic: 'COUNT' } },
  {
    name: 'openCaseCount',
    description: 'Cases not RESOLVED or CLOSED.',
    input: { objectType: '_case', statistic: 'COUNT', conditions: [{ field: 'status', operator: 'NOT_IN', values: ['RESOLVED', 'CLOSED'] }] },
  },
  { name: 'totalOrderValue', description: 'Sum of the orders’ totalPrice.', input: { objectType: '_order', expression: 'totalPrice', statistic: 'SUM' } },
  { name: 'lastOrderDate', description: 'When the latest order was placed.', input: { objectType: '_order', expression: 'orderedAt', statistic: 'MAXIMUM' } },
];

function defaultRows(): { name: string; description: string; objectType: string; spec: DefinitionSpec }[] {
  return DEFAULT_DEFINITIONS.map((d) => ({ name: d.name, description: d.description, objectType: d.input.objectType, spec: checkDefinition(d.input) }));
}

/** Adds the default definitions to a domain being created (nothing to backfill: it is empty). */
export async function installDefaultsForNewDomain(tx: Executor, domainId: string): Promise<void> {
  await insertMissingDefinitions(tx, domainId, defaultRows());
}

/**
 * The calculated-attribute part of an industry template (templates.ts): adds the template's
 * definitions the domain lacks (by name; an existing definition of that name is kept, so applying
 * a template twice changes nothing) and backfills them. Returns the names added. `applyTemplate`
 * (shared with segments) calls this.
 */
export async function installCalculatedTemplate(scope: DomainScope, industry: Industry, backfill: Backfill | null): Promise<string[]> {
  return installMissing(scope, TEMPLATE_CALCULATED_ATTRIBUTES[industry], backfill);
}

async function installMissing(scope: DomainScope, defs: readonly { name: string; description: string; input: DefinitionInput }[], backfill: Backfill | null): Promise<string[]> {
  const have = new Set((await listDefinitions(scope.database.db, scope.domain.id)).map((d) => d.name));
  const added: string[] = [];
  for (const d of defs) {
    if (have.has(d.name)) continue;
    await putCalculatedAttribute(scope, { name: d.name, description: d.description, ...d.input }, backfill);
    added.push(d.name);
  }
  return added;
}

/**
 * Adds the defaults a domain lacks (by name; existing definitions of the same name are kept) and
 * backfills them. Returns the names added.
 */
export async function installDefaults(scope: DomainScope, backfill: Backfill | null): Promise<string[]> {
  return installMissing(scope, DEFAULT_DEFINITIONS, backfill);
}

/**
 * Recomputes every definition of the domain (all object types) for these profiles in the caller's
 * transaction, under the same locks as {@link maintainValues}: for writes that move objects of
 * several types at once (merging and unmerging profiles).
 */
export async function maintainAllValues(tx: Executor, scope: DomainScope, profileIds: Iterable<string>): Promise<ChangedValue[]> {
  const ids = [...new Set(profileIds)];
  if (ids.length === 0) return [];
  await lockProfiles(tx, scope.domain.id, ids);
  const defs = await listDefinitions(tx, scope.domain.id);
  return recomputeValues(tx, scope.domain.id, defs, { ids }, nowOf(scope));
}
