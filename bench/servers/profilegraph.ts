/**
 * profilegraph as a benchmark child: the real startApp over the bench database, diagnostics on (the
 * SQL-statement counter runs on every request anyway; diagnostics only adds it to the response).
 */
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { exitOnSignal, ready } from './common.js';

const url = process.env.BENCH_DATABASE_URL!;
const app = await startApp({
  ...loadConfig({}),
  databaseUrl: url,
  host: '127.0.0.1',
  port: 0,
  adminToken: undefined,
  diagnostics: true,
  logLevel: 'silent',
  seed: 'never',
});
exitOnSignal(() => app.close());
ready(app.url);
