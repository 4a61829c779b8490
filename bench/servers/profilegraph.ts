/**
 * profilegraph as a benchmark child: the real startApp over the bench database, configured like
 * production (diagnostics off, so no per-request AsyncLocalStorage scope). SQL statements are counted
 * process-wide instead (the drizzle logger's counter, pointed at one global store) and reported over
 * IPC like the PostGraphile child.
 */
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { sqlStats } from '../../src/db/database.js';
import { exitOnSignal, ready } from './common.js';

const counter = { statements: 0 };
sqlStats.getStore = () => counter;
process.on('message', (m) => {
  if (m === 'stats') process.send?.({ statements: counter.statements });
});

const url = process.env.BENCH_DATABASE_URL!;
const app = await startApp({
  ...loadConfig({}),
  databaseUrl: url,
  host: '127.0.0.1',
  port: 0,
  adminToken: undefined,
  diagnostics: false,
  logLevel: 'silent',
  seed: 'never',
  // bench:segments backfills definitions inline (timed) instead of through a background job
  ...(process.env.BENCH_CALCULATED_INLINE_BACKFILL ? { calculatedInlineBackfill: Number(process.env.BENCH_CALCULATED_INLINE_BACKFILL) } : {}),
});
exitOnSignal(() => app.close());
ready(app.url);
