import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  // Named (prepared) statements kept per database connection; 0 turns them off (e.g. behind a
  // transaction-mode PgBouncer).
  DATABASE_PREPARED_STATEMENTS: z.coerce.number().int().min(0).max(100000).default(200),
  PROFILEGRAPH_DATA_DIR: z.string().min(1).default('./data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  PROFILEGRAPH_ADMIN_TOKEN: z.string().min(16, 'PROFILEGRAPH_ADMIN_TOKEN must be at least 16 characters').optional(),
  PROFILEGRAPH_SEED: z.enum(['auto', 'always', 'never']).default('auto'),
  PROFILEGRAPH_MAX_DEPTH: z.coerce.number().int().min(2).default(12),
  PROFILEGRAPH_MAX_COST: z.coerce.number().int().min(10).default(20000),
  PROFILEGRAPH_MAX_ALIASES: z.coerce.number().int().min(1).default(30),
  PROFILEGRAPH_MAX_TOKENS: z.coerce.number().int().min(100).default(5000),
  PROFILEGRAPH_MAX_SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().min(1).default(100),
  PROFILEGRAPH_MAX_SUBSCRIPTIONS_PER_DOMAIN: z.coerce.number().int().min(1).default(10000),
  PROFILEGRAPH_KEY_CACHE_SECONDS: z.coerce.number().min(0).default(10),
  PROFILEGRAPH_DIAGNOSTICS: bool.default(false),
  PROFILEGRAPH_TRUSTED_DOCUMENTS: z.string().min(1).optional(),
  PROFILEGRAPH_TRUSTED_DOCUMENTS_ONLY: bool.default(false),
  PROFILEGRAPH_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  PROFILEGRAPH_EXPORT_DIR: z.string().min(1).optional(),
  PROFILEGRAPH_MAX_ACTIVE_EXPORTS: z.coerce.number().int().min(1).default(20),
  PROFILEGRAPH_IMPORT_DIR: z.string().min(1).optional(),
  PROFILEGRAPH_MAX_ACTIVE_IMPORTS: z.coerce.number().int().min(1).default(5),
  PROFILEGRAPH_JOB_WORKERS: bool.default(true),
  PROFILEGRAPH_JOB_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(2),
  PROFILEGRAPH_JOB_POLL_SECONDS: z.coerce.number().min(0.5).default(2),
  PROFILEGRAPH_RETENTION_CRON: z.string().default('17 * * * *'),
  PROFILEGRAPH_SEGMENT_SWEEP_CRON: z.string().default('*/10 * * * *'),
  PROFILEGRAPH_MATCHING_CRON: z.string().default('0 3 * * 0'),
  PROFILEGRAPH_EVENT_PRUNE_CRON: z.string().default('43 3 * * *'),
  PROFILEGRAPH_CALCULATED_SWEEP_CRON: z.string().default('* * * * *'),
  PROFILEGRAPH_CALCULATED_INLINE_BACKFILL: z.coerce.number().int().min(0).default(20_000),
  PROFILEGRAPH_INGEST_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  PROFILEGRAPH_NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  PROFILEGRAPH_SINK_ALLOW_PRIVATE_ADDRESSES: bool.default(false),
  PROFILEGRAPH_SINK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1000),
  PROFILEGRAPH_SINK_RETRY_MAX_MS: z.coerce.number().int().min(1).default(300_000),
  PROFILEGRAPH_SINK_FAILING_AFTER_SECONDS: z.coerce.number().min(0).default(3600),
  PROFILEGRAPH_SINK_LEASE_SECONDS: z.coerce.number().min(0.5).default(30),
  PROFILEGRAPH_SINK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  PROFILEGRAPH_SINK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  PROFILEGRAPH_INTEGRATION_POLL_MS: z.coerce.number().int().min(50).default(2000),
  // The explorer page at / and GraphiQL at GET /graphql for browsers (web/, built by web/build.mjs).
  PROFILEGRAPH_EXPLORER: bool.default(true),
  PROFILEGRAPH_GRAPHIQL: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  databaseUrl: string | undefined;
  poolSize: number;
  /** Named statements per database connection (0 = none). */
  preparedStatements: number;
  dataDir: string;
  host: string;
  port: number;
  adminToken: string | undefined;
  seed: 'auto' | 'always' | 'never';
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  /** Lexical tokens a GraphQL document may have (checked before parsing). */
  maxTokens: number;
  /** Active graphql-ws operations one socket may run. */
  maxSubscriptionsPerSocket: number;
  /** Active graphql-ws subscriptions one domain may hold on one instance. */
  maxSubscriptionsPerDomain: number;
  keyCacheSeconds: number;
  diagnostics: boolean;
  /** A persisted-documents manifest (sha256 → document) clients may reference by hash. */
  trustedDocuments: string | undefined;
  /** Run nothing but the manifest's documents (needs trustedDocuments). */
  trustedDocumentsOnly: boolean;
  maxBodyBytes: number;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** Export files root (default <dataDir>/exports); each domain writes under <exportDir>/<domain id>. */
  exportDir: string;
  /** Exports one domain may have queued or running at once. */
  maxActiveExports: number;
  /** Import files root (default <dataDir>/imports): a domain reads server-side files only from <importDir>/<domain name>. */
  importDir: string;
  /** Queued + running import jobs per domain. */
  maxActiveImports: number;
  /** Run job handlers and schedules in this instance (false: API only; jobs run elsewhere). */
  jobWorkers: boolean;
  jobConcurrency: number;
  jobPollSeconds: number;
  /** Cron (UTC) of the retention sweep; "off" never sweeps. */
  retentionCron: string;
  /** When time-dependent segments are re-evaluated (profiles leaving a window with no write); '' = never. */
  segmentSweepCron: string;
  /** When the full identity-matching job runs for every domain with a scheduled configuration ('' = never; default weekly). */
  matchingCron: string;
  /** When stream events past each domain's eventRetentionDays are pruned ('' = never). */
  eventPruneCron: string;
  /** When calculated attribute values whose window moved on are recomputed ('' = never; reads recompute them anyway). */
  calculatedSweepCron: string;
  /** Up to this many objects of its type, a new or changed calculated attribute is backfilled in the mutation; above, by a job. */
  calculatedInlineBackfill: number;
  /** Largest body POST /ingest/<source> accepts. */
  ingestMaxBodyBytes: number;
  /** The NATS server (JetStream) NATS event sinks publish to. */
  natsUrl: string;
  /**
   * Let webhook sinks deliver to loopback, private, link-local and unique-local addresses. Off by
   * default (a domain could otherwise make the server call its internal network: SSRF); turn on for
   * a self-hosted receiver on the same machine or network.
   */
  sinkAllowPrivateAddresses: boolean;
  /** First retry delay of a failed sink delivery; doubled each attempt up to sinkRetryMaxMs, with jitter. */
  sinkRetryBaseMs: number;
  sinkRetryMaxMs: number;
  /** A sink failing for this long is marked FAILING (it keeps retrying at the longest delay). */
  sinkFailingAfterSeconds: number;
  /** How long an instance holds a sink it delivers for without renewing (another takes over after). */
  sinkLeaseSeconds: number;
  /** Timeout of one webhook delivery. */
  sinkTimeoutMs: number;
  /**
   * Webhook requests one sink has in flight at once (events of different profiles; each profile's
   * events stay in order). 1 delivers strictly one at a time, in event-id order.
   */
  sinkConcurrency: number;
  /** Poll of the inbound worker and the sink dispatcher (besides wake-ups). */
  integrationPollMs: number;
  /** Serve the explorer page at `/` (and its assets). */
  explorer: boolean;
  /** Serve GraphiQL at GET /graphql to browsers (Accept: text/html); off in production if wanted. */
  graphiql: boolean;
};

/** Parses the environment once, failing fast with every problem listed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.PROFILEGRAPH_TRUSTED_DOCUMENTS_ONLY && !e.PROFILEGRAPH_TRUSTED_DOCUMENTS) {
    throw new Error('Invalid configuration:\n  PROFILEGRAPH_TRUSTED_DOCUMENTS_ONLY needs PROFILEGRAPH_TRUSTED_DOCUMENTS (the manifest of the documents that may run).');
  }
  return {
    databaseUrl: e.DATABASE_URL,
    poolSize: e.DATABASE_POOL_SIZE,
    preparedStatements: e.DATABASE_PREPARED_STATEMENTS,
    dataDir: e.PROFILEGRAPH_DATA_DIR,
    host: e.HOST,
    port: e.PORT,
    adminToken: e.PROFILEGRAPH_ADMIN_TOKEN,
    seed: e.PROFILEGRAPH_SEED,
    maxDepth: e.PROFILEGRAPH_MAX_DEPTH,
    maxCost: e.PROFILEGRAPH_MAX_COST,
    maxAliases: e.PROFILEGRAPH_MAX_ALIASES,
    maxTokens: e.PROFILEGRAPH_MAX_TOKENS,
    maxSubscriptionsPerSocket: e.PROFILEGRAPH_MAX_SUBSCRIPTIONS_PER_SOCKET,
    maxSubscriptionsPerDomain: e.PROFILEGRAPH_MAX_SUBSCRIPTIONS_PER_DOMAIN,
    keyCacheSeconds: e.PROFILEGRAPH_KEY_CACHE_SECONDS,
    diagnostics: e.PROFILEGRAPH_DIAGNOSTICS,
    trustedDocuments: e.PROFILEGRAPH_TRUSTED_DOCUMENTS,
    trustedDocumentsOnly: e.PROFILEGRAPH_TRUSTED_DOCUMENTS_ONLY,
    maxBodyBytes: e.PROFILEGRAPH_MAX_BODY_BYTES,
    logLevel: e.LOG_LEVEL,
    exportDir: e.PROFILEGRAPH_EXPORT_DIR ?? path.join(e.PROFILEGRAPH_DATA_DIR, 'exports'),
    maxActiveExports: e.PROFILEGRAPH_MAX_ACTIVE_EXPORTS,
    importDir: e.PROFILEGRAPH_IMPORT_DIR ?? path.join(e.PROFILEGRAPH_DATA_DIR, 'imports'),
    maxActiveImports: e.PROFILEGRAPH_MAX_ACTIVE_IMPORTS,
    jobWorkers: e.PROFILEGRAPH_JOB_WORKERS,
    jobConcurrency: e.PROFILEGRAPH_JOB_CONCURRENCY,
    jobPollSeconds: e.PROFILEGRAPH_JOB_POLL_SECONDS,
    retentionCron: e.PROFILEGRAPH_RETENTION_CRON === 'off' ? '' : e.PROFILEGRAPH_RETENTION_CRON,
    segmentSweepCron: e.PROFILEGRAPH_SEGMENT_SWEEP_CRON === 'off' ? '' : e.PROFILEGRAPH_SEGMENT_SWEEP_CRON,
    matchingCron: e.PROFILEGRAPH_MATCHING_CRON === 'off' ? '' : e.PROFILEGRAPH_MATCHING_CRON,
    eventPruneCron: e.PROFILEGRAPH_EVENT_PRUNE_CRON === 'off' ? '' : e.PROFILEGRAPH_EVENT_PRUNE_CRON,
    calculatedSweepCron: e.PROFILEGRAPH_CALCULATED_SWEEP_CRON === 'off' ? '' : e.PROFILEGRAPH_CALCULATED_SWEEP_CRON,
    calculatedInlineBackfill: e.PROFILEGRAPH_CALCULATED_INLINE_BACKFILL,
    ingestMaxBodyBytes: e.PROFILEGRAPH_INGEST_MAX_BODY_BYTES,
    natsUrl: e.PROFILEGRAPH_NATS_URL,
    sinkAllowPrivateAddresses: e.PROFILEGRAPH_SINK_ALLOW_PRIVATE_ADDRESSES,
    sinkRetryBaseMs: e.PROFILEGRAPH_SINK_RETRY_BASE_MS,
    sinkRetryMaxMs: e.PROFILEGRAPH_SINK_RETRY_MAX_MS,
    sinkFailingAfterSeconds: e.PROFILEGRAPH_SINK_FAILING_AFTER_SECONDS,
    sinkLeaseSeconds: e.PROFILEGRAPH_SINK_LEASE_SECONDS,
    sinkTimeoutMs: e.PROFILEGRAPH_SINK_TIMEOUT_MS,
    sinkConcurrency: e.PROFILEGRAPH_SINK_CONCURRENCY,
    integrationPollMs: e.PROFILEGRAPH_INTEGRATION_POLL_MS,
    explorer: e.PROFILEGRAPH_EXPLORER,
    graphiql: e.PROFILEGRAPH_GRAPHIQL,
  };
}
