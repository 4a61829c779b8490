import type PgBoss from 'pg-boss';
import type { Database } from '../../db/database.js';

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
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) return { rows: [...(await pg.unsafe(text, values.map(toParam)))] };
      // A reserved connection: postgres.js refuses BEGIN/COMMIT text on a pooled one.
      const conn = await pg.reserve();
      let result: unknown[];
      try {
        result = await conn.unsafe(text).simple();
      } finally {
        conn.release();
      }
      // Several statements come back as one result array per statement; keep the last (like `pg`).
      const last = result.length > 0 && Array.isArray(result[0]) ? (result.at(-1) as unknown[]) : result;
      return { rows: [...last] };
    },
  };
}

/** What `pg` does and postgres.js does not: undefined is NULL, plain objects are sent as JSON text. */
function toParam(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value) && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}
