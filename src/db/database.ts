import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Query, SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** The drizzle database, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything queries can run on: the pool or a transaction. */
export type Executor = Db | Tx;

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/** Per-request SQL statement counter, read by the diagnostics extension and the statement-count test. */
export const sqlStats = new AsyncLocalStorage<{ statements: number }>();
const logger = {
  logQuery(): void {
    const store = sqlStats.getStore();
    if (store) store.statements++;
  },
};

/** What a LISTEN reports. */
export interface ListenHandlers {
  /** A NOTIFY payload on the channel. */
  onPayload(payload: string): void;
  /**
   * LISTEN is in effect again after its connection was lost and re-established: notifications
   * sent in between were never delivered, so whatever they would have triggered must be re-read.
   */
  onRelisten?(): void;
  /** An attempt to LISTEN again failed (the database is unreachable); it is retried with backoff. */
  onRelistenError?(err: unknown): void;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Db;
  /**
   * LISTEN on a channel (Postgres only; PGlite delivers in process), on a dedicated connection
   * that is re-established after any loss for as long as the database is open. Resolves once
   * listening; returns the unlisten function.
   */
  listen?(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const CONNECTION_CODES = new Set([
  // postgres.js: the socket closed or could not be opened in time (not CONNECTION_ENDED: we ended it).
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  // Node sockets.
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // Postgres: administrator/crash shutdown, starting up or shutting down.
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * True when `err` (or an error it wraps, as drizzle's "Failed query" does) means the database
 * session is gone rather than that the statement was wrong: a terminated backend, a failover, a
 * network cut, a database refusing connections. Whatever of an open transaction ran is rolled
 * back with the session; only a statement outside a transaction, or a COMMIT, whose answer was
 * lost may have taken effect. So a read may be retried on a new connection, and a write only when
 * repeating it is harmless.
 */
export function isConnectionError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, severity } = e as { code?: unknown; severity?: unknown };
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
    // A FATAL error ends the session whatever its code (e.g. "database is not accepting connections").
    if (severity === 'FATAL' || severity === 'PANIC') return true;
  }
  return false;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Exponential backoff with jitter: ~base·2^attempt, at most `max` ms. */
export function backoffMs(attempt: number, base = 100, max = 2_000): number {
  const ms = Math.min(max, base * 2 ** Math.min(attempt, 16));
  return Math.round(ms / 2 + (Math.random() * ms) / 2);
}

/** Rows of a raw `execute`, whichever driver ran it (postgres.js returns an array, PGlite `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

const dialect = new PgDialect();

/**
 * A raw statement built once: `build` gives drizzle SQL with `sql.placeholder(name)` for each value,
 * compiled to text on first use; every run only binds values. For hot statements, where building the
 * text (drizzle walks every chunk of the template) costs more than the rest of the request's Node
 * work. Runs on the pool or in a transaction, on either driver, counted like any statement.
 */
export class Statement<V extends Record<string, unknown> = Record<string, unknown>> {
  private compiled: Query | undefined;
  constructor(private readonly build: () => SQL) {}
  async run<T>(executor: Executor, values: V): Promise<T[]> {
    this.compiled ??= dialect.sqlToQuery(this.build());
    return runCompiled<T>(executor, this.compiled, values);
  }
}

const compiledQueries = new WeakMap<object, Map<string, Query>>();

/**
 * Runs the statement `build()` returns, compiling it to text (and its values) only the first time
 * for (`owner`, `key`): for a statement wholly determined by a long-lived object (e.g. a cached
 * read plan) and a few values named in `key`. The caller guarantees that; nothing is checked.
 */
export async function queryCompiledOnce<T>(executor: Executor, owner: object, key: string, build: () => SQL): Promise<T[]> {
  let byKey = compiledQueries.get(owner);
  if (!byKey) compiledQueries.set(owner, (byKey = new Map()));
  let compiled = byKey.get(key);
  if (!compiled) {
    compiled = dialect.sqlToQuery(build());
    if (byKey.size >= 64) byKey.clear();
    byKey.set(key, compiled);
  }
  return runCompiled<T>(executor, compiled);
}

/** Runs an already compiled statement (drizzle's own path for `execute`, minus compiling), binding `values` to its placeholders. */
async function runCompiled<T>(executor: Executor, compiled: Query, values?: Record<string, unknown>): Promise<T[]> {
  return rowsOf<T>(await executor._.session.prepareQuery(compiled, undefined, undefined, false).execute(values));
}

/** Runs a raw SQL statement and returns its rows. */
export async function query<T>(executor: Executor, statement: SQL): Promise<T[]> {
  return rowsOf<T>(await executor.execute(statement));
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  poolSize?: number;
  /** Named (prepared) statements per connection, most recent texts first come; 0 = none. Default 200. */
  preparedStatements?: number;
}

/** Opens Postgres (postgres.js) when a URL is given, else embedded PGlite, and applies migrations. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const database = opts.databaseUrl ? await openPostgres(opts.databaseUrl, opts.poolSize ?? 10, opts.preparedStatements ?? 200) : await openPglite(opts.dataDir);
  return database;
}

async function openPostgres(url: string, poolSize: number, preparedStatements: number): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const { sql } = await import('drizzle-orm');

  // Migrations run on one dedicated connection under an advisory lock, so replicas starting
  // together never race each other.
  const migrationClient = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrationClient`select pg_advisory_lock(7244011)`;
    await migrate(drizzle(migrationClient), { migrationsFolder });
    await migrationClient`select pg_advisory_unlock(7244011)`;
  } finally {
    await migrationClient.end();
  }

  const client = guardTransactions(
    preparing(
      postgres(url, {
        max: poolSize,
        onnotice: () => {},
        connection: { application_name: 'profilegraph' },
        ...RESILIENT,
        prepare: preparedStatements > 0,
        max_prepared: preparedStatements,
      }),
    ),
  );
  const db = drizzle(client, { schema, logger }) as unknown as Db;
  await db.execute(sql`select 1`);
  const listener = new PgListener((options) => postgres(url, options as Parameters<typeof postgres>[1]));
  return {
    kind: 'postgres',
    db,
    listen: (channel, handlers) => listener.listen(channel, handlers),
    async close() {
      await listener.close();
      await client.end({ timeout: 5 });
    },
  };
}

type PgClient = import('postgres').Sql;

/**
 * postgres.js settings for surviving a lost database (failover, terminated backends):
 *
 * - `max_pipeline: 1`: at most one statement queued behind the running one on a connection (the
 *   default is 100). A statement written to a busy connection in the same tick as the server
 *   closes it leaves postgres.js 3.4.9 with a write scheduled, then cancelled but never cleared;
 *   that connection never flushes a write again, so every statement given to it hangs until
 *   connect_timeout, again and again — the pool stays degraded long after the database is back
 *   (cf. porsager/postgres#1209). Deep pipelines made that the common case after a failover.
 *   (0 is not an option: postgres.js then never hands a transaction its connection.)
 * - `backoff`: seconds before a closed connection tries again. The default grows to 20 s after a
 *   handful of failed attempts and only resets on success, so after a failover of a few seconds
 *   each connection would sit out up to 20 s more; capped at 2 s here, jittered.
 * - `connect_timeout`: 10 s instead of 30, so a dead address fails soon enough to be retried.
 */
const RESILIENT = {
  max_pipeline: 1,
  backoff: (attempt: number) => Math.min(2, 0.05 * 2 ** attempt) * (0.5 + Math.random() / 2),
  connect_timeout: 10,
};

/** How long a transaction body's connection error waits for postgres.js to report its connection closed. */
const LOST_TRANSACTION_GRACE_MS = 2_000;

/**
 * postgres.js 3.4.9 is also patched (patches/postgres+3.4.9.patch, applied by `npm ci`: a write on a
 * closed socket settles its queries instead of throwing, teardown clears the write buffer); this
 * guard stays as the second line, and measurably steadies recovery (failover.test.ts).
 *
 * Works around postgres.js 3.4.9 (porsager/postgres#1154, #1208, unfixed upstream): when a transaction's
 * connection is lost, `sql.begin` still sends ROLLBACK on it; the write lands in a setImmediate
 * after the socket was dropped and throws an uncaught TypeError — the whole process dies (a
 * `pg_terminate_backend` of a busy backend is enough). So:
 *
 * - when the transaction body fails because its session is gone, the body's promise is left
 *   pending, so postgres.js sends nothing more on that connection; `begin` still rejects, because
 *   postgres.js races the body against the connection's close. Should the connection not close
 *   within a grace period (the error came from another connection), the error is passed on and
 *   the transaction rolls back as usual;
 * - a BEGIN that fails on a lost connection is retried: none of the transaction ran. (postgres.js
 *   also fails the first statement on a connection re-opened after dying mid-statement with that
 *   statement's old error — without running it — which this retry absorbs for transactions.)
 *
 * Nested transactions (savepoints) are not guarded; the app does not use them.
 */
function guardTransactions(client: PgClient): PgClient {
  const begin = client.begin.bind(client) as (...args: unknown[]) => Promise<unknown>;
  async function guardedBegin(...args: unknown[]): Promise<unknown> {
    const fn = args.pop() as (tx: unknown) => unknown;
    for (let attempt = 0; ; attempt++) {
      let entered = false;
      let settled = false;
      const body = (tx: unknown) => {
        entered = true;
        return Promise.resolve()
          .then(() => fn(tx))
          .catch((err: unknown) => {
            if (!isConnectionError(err)) throw err;
            return new Promise((_resolve, reject) => {
              setTimeout(() => settled || reject(err), LOST_TRANSACTION_GRACE_MS).unref();
            });
          });
      };
      try {
        return await begin(...args, body);
      } catch (err) {
        if (entered || attempt >= 2 || !isConnectionError(err)) throw err;
      } finally {
        settled = true;
      }
      await delay(backoffMs(attempt));
    }
  }
  return new Proxy(client, {
    get: (target, prop, receiver) => (prop === 'begin' ? guardedBegin : Reflect.get(target, prop, receiver)),
  });
}

/**
 * Every parameterised statement as a named (prepared) statement. drizzle runs its queries through
 * `unsafe(text, params, { prepare: false })`, and postgres.js runs an unnamed statement with
 * parameters in two round trips (Parse + Describe, then Bind + Execute) and Postgres parses and plans
 * it every time; a named one is one round trip from its second use. The number of names per
 * connection is bounded by postgres.js's `max_prepared` (a patch, `patches/`): beyond it a new text
 * runs unnamed, so distinct query texts (e.g. a client's many selection shapes) cannot grow memory
 * on either side without bound. With `prepare: false` on the client nothing is prepared.
 */
function preparing(client: PgClient): PgClient {
  type Unsafe = (query: string, args?: unknown, options?: Record<string, unknown>) => unknown;
  type Wrapper = (...args: unknown[]) => Promise<unknown>;
  const wrap = (target: PgClient): PgClient =>
    new Proxy(target, {
      get(t, prop, receiver) {
        if (prop === 'unsafe') {
          const unsafe = (t.unsafe as unknown as Unsafe).bind(t);
          return (query: string, args?: unknown, options?: Record<string, unknown>) => {
            if (args !== undefined && !Array.isArray(args)) return unsafe(query, [], { ...(args as Record<string, unknown>), prepare: true });
            return unsafe(query, args ?? [], { ...options, prepare: true });
          };
        }
        if (prop === 'begin' || prop === 'savepoint') {
          const original = Reflect.get(t, prop, receiver) as Wrapper | undefined;
          if (typeof original !== 'function') return original;
          return (...args: unknown[]) => {
            const fn = args.pop() as (tx: PgClient) => unknown;
            return original.call(t, ...args, (tx: PgClient) => fn(wrap(tx)));
          };
        }
        return Reflect.get(t, prop, receiver);
      },
    });
  return wrap(client);
}

/**
 * LISTEN on a dedicated connection that comes back. postgres.js's own `listen` re-issues LISTEN
 * once after its connection closes and silently gives up if that attempt fails (the database
 * still unreachable), so after a failover the instance would never hear NOTIFY again. Here every
 * loss is followed by attempts with backoff until LISTEN is in effect, then `onRelisten` tells the
 * listeners that notifications may have been missed.
 */
class PgListener {
  private readonly channels = new Map<string, Set<ListenHandlers>>();
  private sql: PgClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private failures = 0;
  private closed = false;

  constructor(private readonly connect: (options: Record<string, unknown>) => PgClient) {}

  async listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('the database is closed');
    const sql = this.client();
    let set = this.channels.get(channel);
    if (!set) {
      // Registered first, so a connection lost during this LISTEN is followed by another.
      set = new Set();
      this.channels.set(channel, set);
      try {
        await sql.unsafe(`listen ${quoteIdent(channel)}`);
      } catch (err) {
        if (set.size === 0) this.channels.delete(channel);
        throw err;
      }
    }
    set.add(handlers);
    return async () => {
      const current = this.channels.get(channel);
      if (!current?.delete(handlers) || current.size > 0) return;
      this.channels.delete(channel);
      if (!this.closed) await sql.unsafe(`unlisten ${quoteIdent(channel)}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.sql?.end({ timeout: 0 });
  }

  private client(): PgClient {
    this.sql ??= this.connect({
      max: 1,
      // One long-lived session: never recycled, so LISTEN is only lost with the connection.
      idle_timeout: 0,
      max_lifetime: null,
      fetch_types: false,
      ...RESILIENT,
      onnotice: () => {},
      connection: { application_name: 'profilegraph-listen' },
      onnotify: (channel: string, payload: string) => {
        for (const h of this.channels.get(channel) ?? []) h.onPayload(payload);
      },
      onclose: () => this.schedule(0),
    });
    return this.sql;
  }

  private schedule(ms: number): void {
    if (this.closed || this.channels.size === 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => void this.relisten(), ms);
    this.timer.unref();
  }

  private async relisten(): Promise<void> {
    this.timer = null;
    this.running = true;
    this.again = false;
    let ok = true;
    try {
      for (const channel of this.channels.keys()) await this.client().unsafe(`listen ${quoteIdent(channel)}`);
    } catch (err) {
      ok = false;
      for (const set of this.channels.values()) for (const h of set) h.onRelistenError?.(err);
    } finally {
      this.running = false;
    }
    if (this.closed) return;
    if (!ok) {
      this.schedule(backoffMs(this.failures++, 250, 5_000));
      return;
    }
    this.failures = 0;
    for (const set of this.channels.values()) for (const h of set) h.onRelisten?.();
    // The connection closed again while LISTEN was being issued: issue it once more.
    if (this.again) this.schedule(0);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = inMemory ? new PGlite() : new PGlite(path.resolve(dataDir, 'pgdata'));
  await client.waitReady;
  const db = drizzle(client, { schema, logger });
  await migrate(db, { migrationsFolder });
  return {
    kind: 'pglite',
    db: db as unknown as Db,
    close: () => client.close(),
  };
}
