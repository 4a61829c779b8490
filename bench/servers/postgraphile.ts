/**
 * PostGraphile v5 (Amber preset) over the same tables, as a benchmark child. Start with
 * `node --import ./bench/polyfill.mjs --import tsx` (v5 needs Promise.withResolvers, Node 22+).
 * Counts SQL statements by wrapping pg.Client#query; answers an IPC 'stats' message with the count.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { exitOnSignal, ready } from './common.js';

let statements = 0;
const origQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: unknown, ...args: unknown[]) {
  statements++;
  return origQuery.apply(this, args);
};

const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL!, max: 10 });
const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ pool, schemas: ['public'] })],
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
  grafast: { explain: false },
});
const serv = pgl.createServ(grafserv);
process.on('message', (m) => {
  if (m === 'stats') process.send?.({ statements });
});
const server = createServer();
serv.addTo(server).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
await pgl.getSchema();
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`));
exitOnSignal(async () => {
  server.close();
  server.closeIdleConnections();
  await pgl.release();
  await pool.end();
});
