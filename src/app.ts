import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { formatError } from './errors.js';
import type { AppServices, Context } from './graphql/context.js';
import { diagnosticsPlugin, fastReadPlugin, stringifyResult } from './graphql/fastpath.js';
import { guardPlugin } from './graphql/guards.js';
import { createHttpHandler } from './graphql/http.js';
import { WebAssets } from './graphql/web.js';
import { HotLane } from './graphql/hot-lane.js';
import { TrustedDocuments } from './graphql/trusted-documents.js';
import { buildReadPlanner, buildSchema } from './graphql/schema.js';
import type { DuplicateHintProvider } from './modules/insights/insights.service.js';
import { attachWebSocket, type FanOutStats } from './graphql/ws.js';
import { createLogger, type Logger } from './logger.js';
import { pruneEvents } from './modules/events/event.repository.js';
import { pruneMergeJournals } from './modules/merge/merge.repository.js';
import { importJobHandler, type ImportSettings } from './modules/import/import.job.js';
import { Authenticator } from './modules/domain/auth.js';
import { DomainService } from './modules/domain/domain.service.js';
import { startEventHub, type EventHub } from './modules/events/event-hub.js';
import type { EventNotifier } from './modules/events/notifier.js';
import { wakeupBusFor } from './modules/events/wakeup.js';
import { exportJobHandler } from './modules/export/export.service.js';
import { systemClock, type Clock } from './modules/jobs/clock.js';
import { JobRunner } from './modules/jobs/job-runner.js';
import { RetentionService } from './modules/retention/retention.service.js';
import { SegmentMaintainer } from './modules/segment/segment.maintainer.js';
import { InboundWorker } from './modules/inbound/inbound.worker.js';
import { SinkDispatcher } from './modules/sink/sink.dispatcher.js';
import { runBackfill, sweepExpired } from './modules/calculated/calculated.service.js';
import { IdentityMaintainer } from './modules/identity/identity.maintainer.js';
import { scheduledDomains } from './modules/identity/identity.repository.js';
import { duplicateCandidates, matchingJobHandler, startMatchingJob, type AutoMerger } from './modules/identity/identity.service.js';
import { merge as mergeProfilesFor } from './modules/merge/merge.service.js';
import { domainRowById } from './modules/jobs/job.repository.js';

export interface App {
  readonly url: string;
  readonly wsUrl: string;
  readonly services: AppServices;
  readonly httpServer: Server;
  /** Subscription events delivered over graphql-ws and the executions they took. */
  readonly fanOut: Readonly<FanOutStats>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Use an already-open database (tests share one per file). */
  database?: Database;
  logger?: Logger;
  /**
   * Who hears about committed events. By default the app builds and owns an EventHub (LISTEN/NOTIFY
   * on Postgres, in process on PGlite) that also serves subscriptions; one passed in is not closed here.
   */
  notifier?: EventNotifier;
  /** The time of time-based rules (retention); tests pass a ManualClock. */
  clock?: Clock;
  /**
   * Probable duplicates for the insights' PROBABLE_DUPLICATE rule (the identity module's match
   * suggestions); none = the rule is off.
   */
  duplicateHints?: DuplicateHintProvider | null;
  /** Auto-merge of matched profiles (the merge module); without one, groups stay SUGGESTED. */
  autoMerger?: AutoMerger;
}

/**
 * The composition root: config → database → auth → schema → Apollo over node:http with graphql-ws
 * on the same port and path. Everything long-lived joins `close()` (graceful shutdown).
 */
export async function startApp(config: Config, opts: StartOptions = {}): Promise<App> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize, preparedStatements: config.preparedStatements }));
  const authenticator = new Authenticator(database, config.adminToken, config.keyCacheSeconds * 1000);
  const bus = wakeupBusFor(database);
  const notifier: EventNotifier = opts.notifier ?? (await startEventHub(database, bus, { logger }));
  const ownHub: EventHub | null = notifier !== opts.notifier ? (notifier as EventHub) : null;
  const clock = opts.clock ?? systemClock;
  const jobs = new JobRunner(database, notifier, logger, {
    clock,
    work: config.jobWorkers,
    concurrency: config.jobConcurrency,
    pollingIntervalSeconds: config.jobPollSeconds,
  });
  jobs.registerJobHandler('EXPORT', exportJobHandler({ exportDir: config.exportDir }), { maxActivePerDomain: config.maxActiveExports, noun: 'exports' });
  const imports: ImportSettings = { importDir: config.importDir, maxUploadBytes: config.maxBodyBytes };
  jobs.registerJobHandler('IMPORT', importJobHandler(imports), { maxActivePerDomain: config.maxActiveImports, noun: 'imports' });
  jobs.registerJobHandler('CALCULATED_BACKFILL', (ctx) => runBackfill(ctx, ctx.job.params as { name: string; version: number }), { noun: 'calculated attribute backfills' });
  const retention = new RetentionService(database, notifier, clock, logger);
  // Calculated attribute values whose lastDays window moved on (reads recompute them too).
  jobs.registerSchedule('calculated-sweep', config.calculatedSweepCron, async () => {
    const n = await sweepExpired(database, clock.now());
    if (n > 0) logger.info({ recomputed: n }, 'recomputed expired calculated attribute values');
  });
  // Stream events older than a domain's eventRetentionDays go, except a live profile's history.
  jobs.registerSchedule('event-prune', config.eventPruneCron, async () => {
    const pruned = await pruneEvents(database.db, clock.now());
    const journals = await pruneMergeJournals(database.db);
    logger.info({ pruned, journals }, 'pruned old stream events and the journals of merges whose main profile was deleted');
  });
  jobs.registerSchedule('retention-sweep', config.retentionCron, async () => {
    await retention.sweepAll();
  });
  // Live segment membership: from the event log after writes, and a sweep for time windows.
  const segments = await new SegmentMaintainer(database, bus, notifier, clock, { logger }).start();
  jobs.registerSchedule('segment-sweep', config.segmentSweepCron, async () => {
    const r = await segments.sweepAll();
    if (r.changes > 0) logger.info(r, 'segment sweep');
  });
  // Integrations: inbound webhook deliveries into the pipeline, events out to the sinks.
  const inbound = new InboundWorker(database, notifier, clock, { pollMs: config.integrationPollMs, logger }).start();
  const sinks = await new SinkDispatcher(database, bus, {
    pollMs: config.integrationPollMs,
    leaseMs: config.sinkLeaseSeconds * 1000,
    retryBaseMs: config.sinkRetryBaseMs,
    retryMaxMs: config.sinkRetryMaxMs,
    failingAfterMs: config.sinkFailingAfterSeconds * 1000,
    timeoutMs: config.sinkTimeoutMs,
    concurrency: config.sinkConcurrency,
    allowPrivate: config.sinkAllowPrivateAddresses,
    natsUrl: config.natsUrl,
    logger,
  }).start();
  // Identity resolution: on-write matching from the event log, the full job on demand and weekly.
  // Auto-merges above the configured threshold go through the merge module (origin AUTO, undoable).
  const autoMerger: AutoMerger = opts.autoMerger ?? { merge: (scope, input) => mergeProfilesFor(scope, { ...input, origin: 'AUTO' }) };
  const identity = await new IdentityMaintainer(database, bus, notifier, clock, autoMerger, { logger }).start();
  jobs.registerJobHandler('MATCHING', matchingJobHandler({ autoMerger, logger }), { maxActivePerDomain: 1, noun: 'matching jobs' });
  jobs.registerSchedule('matching-weekly', config.matchingCron, async () => {
    for (const domainId of await database.db.transaction((tx) => scheduledDomains(tx))) {
      const domain = await database.db.transaction((tx) => domainRowById(tx, domainId));
      if (!domain) continue;
      try {
        await startMatchingJob({ database, domain, actorKeyId: null, notifier, clock }, jobs);
      } catch (err) {
        logger.warn({ err, domainId }, 'scheduled matching job not started');
      }
    }
  });
  await jobs.start();
  // The insights' PROBABLE_DUPLICATE rule reads the identity module's match suggestions through
  // `duplicateHints` (a DuplicateHintProvider): the SUGGESTED match groups a profile is in.
  const reads = buildReadPlanner({ duplicateHints: opts.duplicateHints ?? duplicateCandidates });
  const services: AppServices = {
    config,
    database,
    authenticator,
    notifier,
    logger,
    domains: new DomainService(database, authenticator, { jobs, exportDir: config.exportDir, importDir: config.importDir }),
    jobs,
    imports,
    clock,
    retention,
    segments,
    inbound,
    sinks,
    identity,
    reads,
  };
  const schema = buildSchema(reads);
  const trusted = config.trustedDocuments ? TrustedDocuments.load(config.trustedDocuments, schema, config.trustedDocumentsOnly) : TrustedDocuments.none();
  const hotLane = new HotLane(schema, services, reads, config);
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // Automatic persisted queries, with the trusted-documents manifest (if any) answering first.
    persistedQueries: { cache: trusted.apolloCache() },
    // Bounds the parser's work; http.ts and ws.ts prescan the same limit (and nesting) before parsing.
    parseOptions: { maxTokens: config.maxTokens },
    stringifyResult, // JSON.stringify + newline, splicing in JSON written by Postgres for the fast path
    formatError: (formatted, error) => formatError(formatted, error, (err) => logger.error({ err }, 'unexpected error')),
    // No cache-control plugin: with a willResolveField hook installed, Apollo wraps every resolver.
    // The diagnostics plugin (statements, read path) only when diagnostics are on: it counts with
    // AsyncLocalStorage and adds a hook to every request.
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginLandingPageDisabled(), guardPlugin(config), fastReadPlugin(reads, (query, document) => hotLane.remember(query, document))].concat(
      config.diagnostics ? [diagnosticsPlugin()] : [],
    ),
  });
  await apollo.start();

  const web = config.explorer || config.graphiql ? WebAssets.load() : undefined;
  if (web && !web.built) logger.warn('the explorer and GraphiQL are not built (web/dist): run `npm run build:web`');
  const httpServer = createServer(createHttpHandler(apollo, services, hotLane, trusted, web));
  // Slow or stalled clients cannot hold sockets open: headers within 20 s, a whole request within 60 s.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 20_000;
  httpServer.requestTimeout = 60_000;
  httpServer.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Malformed HTTP (bad request line, oversized headers): answer 400 and close, never throw.
    if (socket.writable && !socket.destroyed) socket.end(`HTTP/1.1 ${err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400} Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });
  const ws = attachWebSocket(httpServer, schema, services, trusted);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}/graphql`,
    wsUrl: `ws://${host}:${address.port}/graphql`,
    services,
    httpServer,
    fanOut: ws.fanOut,
    close() {
      closing ??= (async () => {
        await ws.close();
        await jobs.stop();
        await segments.close();
        await inbound.close();
        await sinks.close();
        await identity.close();
        await ownHub?.close();
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeIdleConnections();
          // Requests in flight get a grace period; then every socket goes (a client that opened a
          // connection and never sent a request would otherwise hold shutdown for headersTimeout).
          setTimeout(() => httpServer.closeAllConnections(), 5_000).unref();
        });
        await apollo.stop();
        if (!opts.database) await database.close();
      })();
      return closing;
    },
  };
}
