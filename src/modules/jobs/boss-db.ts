import type PgBoss from 'pg-boss';
import { backoffMs, delay, isConnectionError, type Database } from '../../db/database.js';

interface PgliteClient {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(text: string): Promise<{ rows: unknown[] }[]>;
}

interface PostgresJsQuery {
  unsafe(text: string, params?: unknown[]): PromiseLike<unknown[]> & { simple(): PromiseLike<unknown[]> };
}
interface PostgresJsClient extends PostgresJsQuery {
  reserve(): Promise<PostgresJsQuery & { release(): void }>;
}

/**
 * pg-boss's `db` adapter over the app's own connection, so the queue runs on whichever database the
 * app opened (postgres.js pool or embedded PGlite) without a second driver or pool.
 *
 * pg-boss sends parameterless text that may hold several statements (its installer, and
 * `BEGIN; …; COMMIT;` blocks); those go over the simple protocol, which both drivers run as one
 * unit on one connection. Parameterised statements are always single and use the extended protocol.
 */
export function bossDb(database: Database): PgBoss.Db {
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.kind === 'pglite') {
    const pglite = client as PgliteClient;
    return {
      async executeSql(text, values) {
        if (values && values.length > 0) return { rows: (await pglite.query(text, values)).rows };
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      },
    };
  }
  const pg = client as PostgresJsClient;
  const run = async (text: string, values: unknown[] | undefined): Promise<{ rows: unknown[] }> => {
    if (values && values.length > 0) return { rows: [...(await pg.unsafe(text, values.map(toParam)))] };
    // A reserved connection: postgres.js refuses BEGIN/COMMIT text on a pooled one.
    const conn = await pg.reserve();
    let result: unknown[];
    try {
      result = await conn.unsafe(text).simple();
    } catch (err) {
      // postgres.js 3.4.9 puts a released connection back among the open ones even when it was
      // lost meanwhile, and the next statement on it crashes the process (porsager/postgres#1208).
      // A lost connection is already back in the pool's closed set: it is not released.
      if (!isConnectionError(err)) conn.release();
      throw err;
    }
    conn.release();
    // Several statements come back as one result array per statement; keep the last (like `pg`).
    const last = result.length > 0 && Array.isArray(result[0]) ? (result.at(-1) as unknown[]) : result;
    return { rows: [...last] };
  };
  return {
    async executeSql(text, values) {
      // pg-boss's statements are safe to repeat (fetch, complete and fail check the job's state;
      // a BEGIN … COMMIT block that lost its session was rolled back), so a few quick retries
      // absorb a reconnect — postgres.js also fails the first statement on a re-opened connection
      // with the error of the one that died on it. A longer outage fails the statement, as pg-boss
      // expects, and its callers retry on their own schedule.
      for (let attempt = 1; ; attempt++) {
        try {
          return await run(text, values);
        } catch (err) {
          if (!isConnectionError(err) || attempt >= 4) throw err;
        }
        await delay(backoffMs(attempt - 1, 100, 1_000));
      }
    },
  };
}

/** What `pg` does and postgres.js does not: undefined is NULL, plain objects are sent as JSON text. */
function toParam(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value) && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}
