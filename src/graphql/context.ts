import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { requireDomainAuth, type Auth, type Authenticator } from '../modules/domain/auth.js';
import type { DomainService } from '../modules/domain/domain.service.js';
import type { EventNotifier } from '../modules/events/notifier.js';
import type { ImportSettings } from '../modules/import/import.job.js';
import type { JobRunner } from '../modules/jobs/job-runner.js';
import type { Clock } from '../modules/jobs/clock.js';
import type { RetentionService } from '../modules/retention/retention.service.js';
import type { DomainScope } from '../modules/scope.js';
import type { SegmentMaintainer } from '../modules/segment/segment.maintainer.js';
import type { InboundWorker } from '../modules/inbound/inbound.worker.js';
import type { SinkDispatcher } from '../modules/sink/sink.dispatcher.js';
import type { IdentityMaintainer } from '../modules/identity/identity.maintainer.js';
import { ReadExecution } from '../read/execution.js';
import type { ReadPlanner } from '../read/planner.js';

/** Long-lived parts, built once in the composition root. */
export interface AppServices {
  readonly config: Config;
  readonly database: Database;
  readonly authenticator: Authenticator;
  readonly notifier: EventNotifier;
  readonly logger: Logger;
  readonly domains: DomainService;
  /** Domain jobs (imports, exports) and schedules on the Postgres job queue. */
  readonly jobs: JobRunner;
  /** Where import jobs read server-side files and keep uploads. */
  readonly imports: ImportSettings;
  /** The time of time-based rules (retention); tests inject a ManualClock. */
  readonly clock: Clock;
  /** The scheduled retention sweep over every domain. */
  readonly retention: RetentionService;
  /** Live segment membership (event-log driven) and its time sweep. */
  readonly segments: SegmentMaintainer;
  /** Ingests stored inbound webhook deliveries. */
  readonly inbound: InboundWorker;
  /** Delivers events to the domains' event sinks. */
  readonly sinks: SinkDispatcher;
  /** On-write identity matching (event-log driven). */
  readonly identity: IdentityMaintainer;
  /** The read planner over every module's relation registry (src/read), built by the composition root. */
  readonly reads: ReadPlanner<Context>;
}

/**
 * What lives exactly as long as one request — one event for subscriptions (ws.ts makes a new one
 * for each event): the request's DataLoaders, by `<values>By<Key>` name (made on first use from the
 * factories the composition root registered: the read registry's by-id and connection loaders,
 * modules' own), and the read planner's execution state. Nothing crosses requests or tenants.
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, unknown>();
  /** The read planner's per-request state (src/read/execution.ts). */
  readonly execution = new ReadExecution();
  get<T>(name: string, make: () => T): T {
    let loader = this.loaders.get(name) as T | undefined;
    if (loader === undefined) {
      loader = make();
      this.loaders.set(name, loader);
    }
    return loader;
  }
}

export interface Context {
  readonly app: AppServices;
  readonly auth: Auth;
  readonly loaders: LoaderRegistry;
}

export async function buildContext(app: AppServices, authorization: string | undefined | null): Promise<Context> {
  return { app, auth: await app.authenticator.authenticate(authorization), loaders: new LoaderRegistry() };
}

/** The caller's domain scope; UNAUTHENTICATED without a valid domain key, FORBIDDEN for the admin token. */
export function domainScope(ctx: Context): DomainScope {
  const { domain, keyId } = requireDomainAuth(ctx.auth);
  return { database: ctx.app.database, domain, actorKeyId: keyId, notifier: ctx.app.notifier, clock: ctx.app.clock };
}
