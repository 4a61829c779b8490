/**
 * Ingests stored webhook deliveries through the one pipeline (ingestObjects), oldest first. Woken at
 * once by a delivery received on this instance, and by a poll (every `pollMs`) for deliveries
 * received by other instances, left by a worker that stopped, or waiting for a retry.
 *
 * At least once: a delivery is marked DONE after its objects are ingested; a worker stopped between
 * the two leaves it pending and it is ingested again — harmless, because the type's UNIQUE key makes
 * re-ingesting the same object a no-op (and a dead letter seen again only counts an occurrence).
 */
import { backoffMs, sqlStats, type Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { EventNotifier } from '../events/notifier.js';
import { insertDeadLetters } from '../ingest/ingest.repository.js';
import { MAX_BATCH } from '../ingest/ingest.service.js';
import { ingestObjects } from '../ingest/pipeline.js';
import type { Clock } from '../jobs/clock.js';
import { domainRowById } from '../jobs/job.repository.js';
import { getObjectType } from '../object-type/object-type.service.js';
import type { DomainScope } from '../scope.js';
import { claimPending, markDone, markRetry, pruneDone, sourceForVerification, type DeliveryRow } from './inbound.repository.js';

/** Attempts of a delivery failing with server errors before its objects are dead-lettered. */
const MAX_ATTEMPTS = 10;

export interface InboundWorkerOptions {
  pollMs?: number;
  /** How long a claimed delivery is held before another worker may take it. */
  leaseMs?: number;
  /** Delivery ids are remembered this long after ingestion (duplicates within it are ignored). */
  rememberDays?: number;
  logger?: Logger | undefined;
}

export class InboundWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private lastPrune = 0;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly rememberDays: number;

  constructor(
    private readonly database: Database,
    private readonly notifier: EventNotifier,
    private readonly clock: Clock,
    private readonly opts: InboundWorkerOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 2_000;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.rememberDays = opts.rememberDays ?? 7;
  }

  start(): this {
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
    return this;
  }

  /** Looks for pending deliveries now (after a delivery was stored on this instance). */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = sqlStats.exit(async () => {
      try {
        do {
          this.again = false;
          while (!this.closed && (await this.step())) {
            // more pending
          }
        } while (this.again && !this.closed);
        if (Date.now() - this.lastPrune > 3_600_000) {
          this.lastPrune = Date.now();
          await pruneDone(this.database.db, this.rememberDays);
        }
      } catch (err) {
        this.opts.logger?.warn({ err }, 'inbound deliveries: a pass failed; the poll retries');
      } finally {
        this.running = null;
      }
    });
  }

  /** Resolves when every delivery pending now has been ingested (tests, README checks). */
  async settle(): Promise<void> {
    this.wake();
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async step(): Promise<boolean> {
    const claimed = await claimPending(this.database.db, 20, this.leaseMs);
    for (const d of claimed) {
      if (this.closed) return false;
      try {
        await this.ingest(d);
        await markDone(this.database.db, d.id);
      } catch (err) {
        this.opts.logger?.warn({ err, delivery: d.id, attempts: d.attempts }, 'inbound delivery failed; it is retried');
        if (d.attempts >= MAX_ATTEMPTS) {
          // Not the objects' fault as far as the pipeline could tell, but it will not go through:
          // keep them where an operator looks, and stop retrying.
          await this.giveUp(d).catch((e: unknown) => this.opts.logger?.error({ err: e, delivery: d.id }, 'inbound delivery could not be dead-lettered'));
          continue;
        }
        await markRetry(this.database.db, d.id, 'The delivery could not be ingested (server error); it is retried.', backoffMs(d.attempts, 1_000, 300_000)).catch(() => {});
      }
    }
    return claimed.length > 0;
  }

  private async giveUp(d: DeliveryRow): Promise<void> {
    const source = await sourceForVerification(this.database.db, d.sourceId);
    let items: unknown[] = [];
    try {
      const parsed: unknown = JSON.parse(d.payload ?? 'null');
      items = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      items = [{ _unparsed: (d.payload ?? '').slice(0, 4096) }];
    }
    const reason = `Webhook delivery ${d.deliveryId.slice(0, 100)} failed ${d.attempts} times with a server error; not retried.`;
    await insertDeadLetters(this.database.db, d.domainId, source?.objectType ?? '_webhook', items.map((object) => ({ object, reason })));
    await markDone(this.database.db, d.id);
  }

  private async ingest(d: DeliveryRow): Promise<void> {
    const source = await sourceForVerification(this.database.db, d.sourceId);
    const domain = await domainRowById(this.database.db, d.domainId);
    if (!source || !domain || d.payload === null) return;
    const scope: DomainScope = { database: this.database, domain, actorKeyId: null, notifier: this.notifier, clock: this.clock };
    const parsed: unknown = JSON.parse(d.payload);
    const items = Array.isArray(parsed) ? parsed : [parsed];
    const type = await getObjectType(scope, source.objectType);
    if (!type) {
      await insertDeadLetters(this.database.db, domain.id, source.objectType, items.map((object) => ({ object, reason: `Object type "${source.objectType}" no longer exists; the webhook source ${source.id} still points at it.` })));
      return;
    }
    const bad = items
      .map((object, index) => ({ object, index }))
      .filter(({ object }) => object === null || typeof object !== 'object' || Array.isArray(object));
    await insertDeadLetters(this.database.db, domain.id, type.name, bad.map(({ object, index }) => ({ object, reason: `Item ${index} of webhook delivery ${d.deliveryId.slice(0, 100)} is not a JSON object.` })));
    const rows = items.map((object, index) => ({ index, object: object as Record<string, unknown> })).filter(({ object }) => object !== null && typeof object === 'object' && !Array.isArray(object));
    for (let i = 0; i < rows.length; i += MAX_BATCH) await ingestObjects(scope, type, rows.slice(i, i + MAX_BATCH));
  }
}
