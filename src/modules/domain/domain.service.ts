import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Database, Executor } from '../../db/database.js';
import { AppError, badInput, conflict, ErrorCode, notFound } from '../../errors.js';
import { installDefaultsForNewDomain } from '../calculated/calculated.service.js';
import { domainExportDir } from '../export/export.service.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { ACTIVE_STATUSES, listJobs, type JobRow } from '../jobs/job.repository.js';
import { isValidRegion } from '../profile/normalize.js';
import { generateKey, type Authenticator } from './auth.js';
import {
  deleteDomainById,
  findApiKeyById,
  findDomainByName,
  insertApiKey,
  insertDomain,
  listDomains,
  listApiKeys,
  revokeApiKeyById,
  updateDomainSettings,
  type ApiKeyRow,
  type ApiKeyView,
  type DomainRow,
} from './domain.repository.js';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

export interface DomainSettingsInput {
  defaultExpirationDays?: number | null | undefined;
  defaultPhoneRegion?: string | null | undefined;
  eventRetentionDays?: number | null | undefined;
}

function checkSettings(input: DomainSettingsInput): Partial<Pick<DomainRow, 'defaultExpirationDays' | 'defaultPhoneRegion' | 'eventRetentionDays'>> {
  const out: Partial<Pick<DomainRow, 'defaultExpirationDays' | 'defaultPhoneRegion' | 'eventRetentionDays'>> = {};
  if (input.defaultExpirationDays !== undefined) {
    const d = input.defaultExpirationDays;
    if (d !== null && (!Number.isInteger(d) || d < 1 || d > 1098)) {
      throw badInput('defaultExpirationDays must be 1–1098 days, or null to keep profiles forever.', 'defaultExpirationDays');
    }
    out.defaultExpirationDays = d;
  }
  if (input.defaultPhoneRegion !== undefined && input.defaultPhoneRegion !== null) {
    const r = input.defaultPhoneRegion.toUpperCase();
    if (!isValidRegion(r)) throw badInput(`defaultPhoneRegion "${input.defaultPhoneRegion}" is not an ISO 3166-1 alpha-2 region (e.g. US, JP, GB).`, 'defaultPhoneRegion');
    out.defaultPhoneRegion = r;
  }
  if (input.eventRetentionDays !== undefined && input.eventRetentionDays !== null) {
    const d = input.eventRetentionDays;
    if (!Number.isInteger(d) || d < 1 || d > 3650) throw badInput('eventRetentionDays must be 1–3650.', 'eventRetentionDays');
    out.eventRetentionDays = d;
  }
  return out;
}

export function toApiKeyView(key: ApiKeyRow, domainName: string): ApiKeyView {
  return { id: key.id, name: key.name, prefix: key.prefix, domain: domainName, createdAt: key.createdAt, revokedAt: key.revokedAt };
}

/** What goes with a deleted domain besides its rows. Omitted parts are left alone (the seed, the CLI). */
export interface DomainCleanup {
  /** Stops the domain's queued and running jobs on the queue (their rows go with the domain). */
  jobs?: Pick<JobRunner, 'dequeue'>;
  /** Export files root: `<exportDir>/<domain id>/` is removed. */
  exportDir?: string;
  /** Import files root: the domain's uploads, `<importDir>/.uploads/<domain id>/`, are removed. */
  importDir?: string;
}

/** A domain's queued and running jobs (every page). */
async function activeJobs(db: Executor, domainId: string): Promise<Pick<JobRow, 'id' | 'kind'>[]> {
  const out: Pick<JobRow, 'id' | 'kind'>[] = [];
  const page = 500;
  for (const status of ACTIVE_STATUSES) {
    let after: { at: Date; id: string } | null = null;
    for (;;) {
      const rows = await listJobs(db, domainId, { status }, page, after);
      out.push(...rows.slice(0, page).map((j) => ({ id: j.id, kind: j.kind })));
      if (rows.length <= page) break;
      const last = rows[page - 1]!;
      after = { at: last.createdAt, id: last.id };
    }
  }
  return out;
}

export class DomainService {
  constructor(
    private readonly database: Database,
    private readonly authenticator: Authenticator,
    private readonly cleanup: DomainCleanup = {},
  ) {}

  async create(input: { name: string } & DomainSettingsInput): Promise<{ domain: DomainRow; apiKey: string; apiKeyInfo: ApiKeyView }> {
    if (!NAME.test(input.name)) throw badInput(`Domain name "${input.name}" must be 1–64 letters, digits, "-" or "_".`, 'name');
    const settings = checkSettings(input);
    return this.database.db.transaction(async (tx) => {
      if (await findDomainByName(tx, input.name)) throw conflict(`A domain named "${input.name}" already exists.`, { field: 'name' });
      const domain = await insertDomain(tx, { name: input.name, ...settings });
      const key = generateKey();
      const row = await insertApiKey(tx, { domainId: domain.id, name: 'default', prefix: key.prefix, keyHash: key.hash });
      // the default calculated attributes (deletable; nothing to backfill in an empty domain)
      await installDefaultsForNewDomain(tx, domain.id);
      return { domain, apiKey: key.secret, apiKeyInfo: toApiKeyView(row, domain.name) };
    });
  }

  async require(name: string): Promise<DomainRow> {
    const domain = await findDomainByName(this.database.db, name);
    if (!domain) throw new AppError(ErrorCode.NOT_FOUND, `Domain "${name}" does not exist.`, { name });
    return domain;
  }

  list(): Promise<DomainRow[]> {
    return listDomains(this.database.db);
  }

  find(name: string): Promise<DomainRow | null> {
    return findDomainByName(this.database.db, name);
  }

  async update(name: string, input: DomainSettingsInput): Promise<DomainRow> {
    const domain = await this.require(name);
    const updated = await updateDomainSettings(this.database.db, domain.id, checkSettings(input));
    this.authenticator.invalidate();
    return updated;
  }

  /**
   * Deletes a domain with everything it owns: its rows (one cascading delete, jobs included), its
   * jobs on the queue, its export folder and its import uploads. Rows go first: a running job then
   * finds its row gone, stops at its next check and cleans up after itself (see exportJobHandler),
   * so nothing is written into the domain's folder once it has been removed.
   */
  async delete(name: string): Promise<boolean> {
    const domain = await this.require(name);
    const { deleted, jobs } = await this.database.db.transaction(async (tx) => {
      const active = await activeJobs(tx, domain.id);
      return { deleted: await deleteDomainById(tx, domain.id), jobs: active };
    });
    this.authenticator.invalidate();
    if (!deleted) return false;
    for (const job of jobs) await this.cleanup.jobs?.dequeue(job.kind, job.id);
    const folders = [
      this.cleanup.exportDir === undefined ? null : domainExportDir({ exportDir: this.cleanup.exportDir }, domain.id),
      this.cleanup.importDir === undefined ? null : path.resolve(this.cleanup.importDir, '.uploads', domain.id),
    ].filter((f): f is string => f !== null);
    const removed = await Promise.allSettled(folders.map((f) => rm(f, { recursive: true, force: true })));
    const failed = removed.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return true;
  }

  async createKey(domainName: string, name: string): Promise<{ apiKey: string; apiKeyInfo: ApiKeyView }> {
    const domain = await this.require(domainName);
    const label = name.trim();
    if (label.length < 1 || label.length > 100) throw badInput('API key name must be 1–100 characters.', 'name');
    const key = generateKey();
    const row = await insertApiKey(this.database.db, { domainId: domain.id, name: label, prefix: key.prefix, keyHash: key.hash });
    return { apiKey: key.secret, apiKeyInfo: toApiKeyView(row, domain.name) };
  }

  async listKeys(domainName: string): Promise<ApiKeyView[]> {
    const domain = await this.require(domainName);
    return (await listApiKeys(this.database.db, domain.id)).map((k) => toApiKeyView(k, domain.name));
  }

  async revokeKey(id: string): Promise<ApiKeyView> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('API key', id);
    const revoked = await revokeApiKeyById(this.database.db, id);
    this.authenticator.invalidate();
    if (revoked) return toApiKeyView(revoked.key, revoked.domainName);
    if (await findApiKeyById(this.database.db, id)) throw conflict(`API key "${id}" is already revoked.`);
    throw notFound('API key', id);
  }
}
