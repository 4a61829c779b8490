import { badInput } from '../../errors.js';
import { requireObjectType, type ObjectTypeView } from '../object-type/object-type.service.js';
import type { ProfileRow } from '../profile/profile.repository.js';
import type { DomainScope } from '../scope.js';
import type { ProfileObjectRow } from './ingest.repository.js';
import { ingestObjects, type IngestRowResult } from './pipeline.js';

export { deadLetterReason } from './rules.js';

/** Objects one putProfileObjects call takes (one pipeline batch). */
export const MAX_BATCH = 500;

export type IngestOutcome = 'ATTACHED' | 'CREATED_PROFILE' | 'DEAD_LETTERED';

export interface IngestResult {
  index: number;
  outcome: IngestOutcome;
  object: ProfileObjectRow | null;
  /** Loaded by the GraphQL layer from `profileId` (read after the write committed). */
  profile: ProfileRow | null;
  profileId: string | null;
  matchedKey: string | null;
  replaced: boolean;
  /** True when an identical object (same UNIQUE key and data) was already stored: nothing was written. */
  unchanged?: boolean;
  reason: string | null;
}

function toResult(scope: DomainScope, r: IngestRowResult): IngestResult {
  return { ...r, object: r.object ? { ...r.object, domainId: scope.domain.id } : null, profile: null };
}

/**
 * Ingests one object: the ingestion pipeline with a batch of one. Objects that cannot be ingested
 * (text that cannot be stored, an over-long key value, no UNIQUE value, no match and no creation,
 * an invalid mapped value, a row the database refuses) are dead-lettered with the reason and
 * reported, not thrown.
 */
export async function putProfileObject(scope: DomainScope, typeName: string, object: Record<string, unknown>, index = 0, typeHint?: ObjectTypeView): Promise<IngestResult> {
  const type = typeHint ?? (await requireObjectType(scope, typeName));
  const [result] = await ingestObjects(scope, type, [{ index, object }]);
  return toResult(scope, result!);
}

/** Batch form: one pipeline batch, decided in order as if put one by one; one bad object never blocks the rest. */
export async function putProfileObjects(scope: DomainScope, typeName: string, objects: readonly Record<string, unknown>[]): Promise<IngestResult[]> {
  if (objects.length > MAX_BATCH) throw badInput(`At most ${MAX_BATCH} objects per call; split the batch (or use an import job).`, 'objects');
  const type = await requireObjectType(scope, typeName);
  const results = await ingestObjects(
    scope,
    type,
    objects.map((object, index) => ({ index, object })),
  );
  return results.map((r) => toResult(scope, r));
}
