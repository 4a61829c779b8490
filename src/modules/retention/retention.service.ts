import type { Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { DomainRow } from '../domain/domain.repository.js';
import type { EventNotifier } from '../events/notifier.js';
import { maintainValues } from '../calculated/calculated.service.js';
import type { Clock } from '../jobs/clock.js';
import { PROFILE_OBJECT } from '../profile/profile.service.js';
import { writeTransaction, type DomainScope } from '../scope.js';
import {
  countExpiredObjects,
  countExpiredProfiles,
  deleteExpiredObjects,
  deleteExpiredProfiles,
  domainsWithRetention,
  expiredProfileIds,
  expiringObjectTypes,
} from './retention.repository.js';

const DAY_MS = 86_400_000;
/** Rows deleted per transaction: short transactions, bounded events per commit. */
const BATCH = 500;

export interface TypeRetention {
  objectType: string;
  expirationDays: number;
  cutoff: Date;
  count: number;
}

export interface RetentionPreview {
  at: Date;
  /** null = profiles are kept forever. */
  profileExpirationDays: number | null;
  profileCutoff: Date | null;
  profiles: number;
  sampleProfileIds: string[];
  objects: TypeRetention[];
}

export interface RetentionSweepResult {
  at: Date;
  profilesDeleted: number;
  objects: TypeRetention[];
}

const cutoffOf = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/**
 * What the next sweep would delete at the clock's time: profiles not updated for the domain's
 * defaultExpirationDays (none when it is null), and objects not updated for their type's
 * expirationDays. Counts are exact; `sampleProfileIds` are the first ones the sweep deletes.
 */
export async function retentionPreview(scope: DomainScope, clock: Clock, sampleSize = 20): Promise<RetentionPreview> {
  const at = clock.now();
  const db = scope.database.db;
  const days = scope.domain.defaultExpirationDays;
  const profileCutoff = days === null ? null : cutoffOf(at, days);
  const objects: TypeRetention[] = [];
  for (const t of await expiringObjectTypes(db, scope.domain.id)) {
    const cutoff = cutoffOf(at, t.expirationDays);
    objects.push({ objectType: t.name, expirationDays: t.expirationDays, cutoff, count: await countExpiredObjects(db, scope.domain.id, t.name, cutoff) });
  }
  return {
    at,
    profileExpirationDays: days,
    profileCutoff,
    profiles: profileCutoff ? await countExpiredProfiles(db, scope.domain.id, profileCutoff) : 0,
    sampleProfileIds: profileCutoff && sampleSize > 0 ? await expiredProfileIds(db, scope.domain.id, profileCutoff, Math.min(sampleSize, 100)) : [],
    objects,
  };
}

/**
 * Deletes one domain's expired objects, then its expired profiles (their remaining objects, contacts,
 * cases and orders go with them). Every deletion writes an OBJECT_EXPIRED / PROFILE_EXPIRED event
 * through the outbox, in the transaction that deletes.
 */
export async function sweepDomain(scope: DomainScope, clock: Clock): Promise<RetentionSweepResult> {
  const at = clock.now();
  const db = scope.database.db;
  const objects: TypeRetention[] = [];
  for (const t of await expiringObjectTypes(db, scope.domain.id)) {
    const cutoff = cutoffOf(at, t.expirationDays);
    let count = 0;
    for (;;) {
      const deleted = await writeTransaction(scope, async (tx, emit) => {
        const rows = await deleteExpiredObjects(tx, scope.domain.id, t.name, cutoff, BATCH);
        await maintainValues(tx, { ...scope, clock }, t.name, rows.map((r) => r.profileId));
        for (const r of rows) emit({ type: 'OBJECT_EXPIRED', profileId: r.profileId, objectType: t.name, objectId: r.id });
        return rows.length;
      });
      count += deleted;
      if (deleted < BATCH) break;
    }
    objects.push({ objectType: t.name, expirationDays: t.expirationDays, cutoff, count });
  }
  let profilesDeleted = 0;
  const days = scope.domain.defaultExpirationDays;
  if (days !== null) {
    const cutoff = cutoffOf(at, days);
    for (;;) {
      const deleted = await writeTransaction(scope, async (tx, emit) => {
        const ids = await deleteExpiredProfiles(tx, scope.domain.id, cutoff, BATCH);
        for (const id of ids) emit({ type: 'PROFILE_EXPIRED', profileId: id, objectType: PROFILE_OBJECT, objectId: id });
        return ids.length;
      });
      profilesDeleted += deleted;
      if (deleted < BATCH) break;
    }
  }
  return { at, profilesDeleted, objects };
}

/** The scheduled sweep: every domain that expires anything, one after the other. */
export class RetentionService {
  constructor(
    private readonly database: Database,
    private readonly notifier: EventNotifier,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async sweepAll(): Promise<{ domains: number; profilesDeleted: number; objectsDeleted: number }> {
    let profilesDeleted = 0;
    let objectsDeleted = 0;
    const list: DomainRow[] = await domainsWithRetention(this.database.db);
    for (const domain of list) {
      try {
        const r = await sweepDomain({ database: this.database, domain, actorKeyId: null, notifier: this.notifier }, this.clock);
        profilesDeleted += r.profilesDeleted;
        objectsDeleted += r.objects.reduce((n, o) => n + o.count, 0);
      } catch (err) {
        // One domain's failure must not stop the others' retention.
        this.logger.error({ err, domain: domain.name }, 'retention sweep failed for a domain');
      }
    }
    if (profilesDeleted + objectsDeleted > 0) this.logger.info({ domains: list.length, profilesDeleted, objectsDeleted }, 'retention sweep');
    return { domains: list.length, profilesDeleted, objectsDeleted };
  }
}
