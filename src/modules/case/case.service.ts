import { randomUUID } from 'node:crypto';
import { badInput, conflict, notFound } from '../../errors.js';
import type { CreateCaseInput, UpdateCaseInput } from '../../generated/resolvers-types.js';
import { applyAttributes } from '../attributes.js';
import { maintainValues } from '../calculated/calculated.service.js';
import type { FieldChanges } from '../events/event.repository.js';
import { text } from '../profile/normalize.js';
import { profilesByIds, setSourceKeys } from '../profile/profile.repository.js';
import { isId } from '../profile/profile.service.js';
import { writeTransaction, type DomainScope } from '../scope.js';
import { findCase, insertCase, lockCase, updateCaseRow, type CaseRow, type CaseValues } from './case.repository.js';

export const CASE_OBJECT = 'case';
const CLOSED = new Set(['RESOLVED', 'CLOSED']);

function requireTitle(v: string | null | undefined): string {
  const title = text(v, 'title');
  if (!title) throw badInput('title must not be empty.', 'title');
  return title;
}

/** Creates a case on a profile. Idempotent by caseId: the same caseId on the same profile returns the existing case. */
export async function createCase(scope: DomainScope, input: CreateCaseInput): Promise<{ case: CaseRow; created: boolean }> {
  const caseId = input.caseId === null || input.caseId === undefined ? `CASE-${randomUUID()}` : text(input.caseId, 'caseId');
  if (!caseId) throw badInput('caseId must not be empty (omit it to have one generated).', 'caseId');
  const status = input.status ?? 'OPEN';
  const values: CaseValues = {
    profileId: input.profileId,
    caseId,
    title: requireTitle(input.title),
    summary: text(input.summary, 'summary', 4000) ?? null,
    status,
    reason: text(input.reason, 'reason') ?? null,
    priority: input.priority ?? null,
    createdBy: text(input.createdBy, 'createdBy') ?? null,
    attributes: applyAttributes({}, input.attributes),
    closedAt: CLOSED.has(status) ? new Date() : null,
  };
  return writeTransaction(scope, async (tx, emit) => {
    const [profile] = isId(input.profileId) ? await profilesByIds(tx, scope.domain.id, [input.profileId]) : [];
    if (!profile) throw notFound('Profile', input.profileId);
    const existing = await lockCase(tx, scope.domain.id, caseId, false);
    if (existing) {
      if (existing.profileId !== profile.id) throw conflict(`caseId "${caseId}" already belongs to another profile.`, { field: 'caseId' });
      return { case: existing, created: false };
    }
    const row = await insertCase(tx, scope.domain.id, values);
    await setSourceKeys(tx, scope.domain.id, `obj:_case:${caseId}`, row.profileId, [{ keyName: '_caseId', value: caseId }]);
    await maintainValues(tx, scope, '_case', [row.profileId]);
    emit({ type: 'CASE_CREATED', profileId: row.profileId, objectType: CASE_OBJECT, objectId: row.id });
    return { case: row, created: true };
  });
}

/** Partial update of a case (by id or caseId), with optimistic concurrency when expectedVersion is given. */
export async function updateCase(scope: DomainScope, id: string, input: UpdateCaseInput, expectedVersion?: number | null): Promise<CaseRow> {
  return writeTransaction(scope, async (tx, emit) => {
    const current = await lockCase(tx, scope.domain.id, id, isId(id));
    if (!current) throw notFound('Case', id);
    if (expectedVersion !== null && expectedVersion !== undefined && expectedVersion !== current.version) {
      throw conflict(`Case "${id}" is at version ${current.version}, not ${expectedVersion}: re-read it and retry.`, { currentVersion: current.version });
    }
    const patch: Partial<CaseValues> = {};
    if (input.title !== undefined) patch.title = requireTitle(input.title);
    if (input.summary !== undefined) patch.summary = text(input.summary, 'summary', 4000) ?? null;
    if (input.reason !== undefined) patch.reason = text(input.reason, 'reason') ?? null;
    if (input.priority !== undefined) patch.priority = input.priority ?? null;
    if (input.status !== undefined && input.status !== null) {
      patch.status = input.status;
      if (CLOSED.has(input.status) && !current.closedAt) patch.closedAt = new Date();
      if (!CLOSED.has(input.status)) patch.closedAt = null;
    }
    if (input.status === null) throw badInput('status cannot be cleared; set OPEN, IN_PROGRESS, PENDING, RESOLVED or CLOSED.', 'status');
    if (input.attributes !== undefined) patch.attributes = applyAttributes(current.attributes, input.attributes);
    const changes: FieldChanges = {};
    for (const [k, after] of Object.entries(patch)) {
      const before = (current as unknown as Record<string, unknown>)[k] ?? null;
      if (JSON.stringify(before) !== JSON.stringify(after ?? null)) changes[k] = { before, after: after ?? null };
    }
    if (Object.keys(changes).length === 0) return current;
    const row = await updateCaseRow(tx, scope.domain.id, current.id, patch);
    await maintainValues(tx, scope, '_case', [row.profileId]);
    emit({ type: 'CASE_UPDATED', profileId: row.profileId, objectType: CASE_OBJECT, objectId: row.id, changes });
    return row;
  });
}

export function getCase(scope: DomainScope, id: string): Promise<CaseRow | null> {
  return findCase(scope.database.db, scope.domain.id, id, isId(id));
}
