/**
 * The gateway as a process (`npm start`, `profilegraph serve`): configuration, the embedded
 * install's admin token and demo data, the app, signal and last-resort handlers. Without
 * DATABASE_URL it runs on embedded PGlite under PROFILEGRAPH_DATA_DIR, generates an admin token on
 * first run and seeds a demo domain.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startApp, type App } from './app.js';
import { loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { createLogger } from './logger.js';
import { Authenticator } from './modules/domain/auth.js';
import { DomainService } from './modules/domain/domain.service.js';
import { listDomains } from './modules/domain/domain.repository.js';
import { seedDemo } from './seed/demo.js';

/** The embedded install's admin token: read from the data folder, or generated there on first start. */
function embeddedAdminToken(config: Config): { token: string; file: string; created: boolean } {
  const file = path.resolve(config.dataDir, 'admin-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), file, created: false };
  mkdirSync(config.dataDir, { recursive: true });
  const token = `pgadmin_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file, created: true };
}

export interface GatewayOptions {
  /** `true`: load a demo domain even if domains exist; `false`: never; unset: the config's PROFILEGRAPH_SEED. */
  seed?: boolean;
  /** Settings given on the command line, over the environment's (e.g. port, host). */
  overrides?: Partial<Config>;
}

/**
 * Starts the gateway and keeps it running until SIGINT/SIGTERM (then closes it and exits). Returns
 * once it listens; exits the process with 1 on an invalid configuration.
 */
export async function runGateway(options: GatewayOptions = {}): Promise<App> {
  let config: Config;
  try {
    config = { ...loadConfig(), ...options.overrides };
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  if (options.seed === true) config = { ...config, seed: 'always' };
  if (options.seed === false) config = { ...config, seed: 'never' };
  const embedded = !config.databaseUrl;
  // Printed once, when generated; afterwards only where it is kept (logs and terminals are not secret stores).
  let adminTokenNote = '';
  if (embedded && !config.adminToken) {
    const admin = embeddedAdminToken(config);
    config = { ...config, adminToken: admin.token };
    adminTokenNote = admin.created ? `  admin token:        ${admin.token}  (shown once; kept in ${admin.file})` : `  admin token:        in ${admin.file}`;
  }

  const logger = createLogger(config.logLevel);

  // Last resort: a rejection nobody handled is a bug in one request's code path, not a reason to drop
  // every other client — log it and keep serving. An uncaught exception leaves the process in an
  // unknown state: log it and shut down (the orchestrator restarts the process).
  let started: App | undefined;
  let openedDatabase: Database | undefined;
  let stopping = false;
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection (kept running)');
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception; shutting down');
    void shutdown('uncaughtException', 1);
  });
  // Registered before anything starts, so a signal during start-up (seeding, migrations) also closes cleanly.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize, preparedStatements: config.preparedStatements });
  openedDatabase = database;

  const demoKeyFile = path.resolve(config.dataDir, 'demo-api-key');
  const domainsExist = (await listDomains(database.db)).length > 0;
  if (config.seed === 'always' || (config.seed === 'auto' && embedded && !domainsExist)) {
    const domainService = new DomainService(database, new Authenticator(database, undefined, 0));
    const name = domainsExist ? `demo-${Date.now().toString(36)}` : 'demo';
    const started = Date.now();
    const seeded = await seedDemo(database, domainService, { domain: name });
    logger.info({ domain: seeded.domain, profiles: seeded.profiles, ms: Date.now() - started }, 'demo data loaded');
    if (embedded) {
      mkdirSync(config.dataDir, { recursive: true });
      writeFileSync(demoKeyFile, `${seeded.apiKey}\n`, { mode: 0o600 });
    } else {
      console.log(`Demo domain "${seeded.domain}" API key (shown once): ${seeded.apiKey}`);
    }
  }

  const app = await startApp(config, { database, logger });
  started = app;
  const demoKey = embedded && existsSync(demoKeyFile) ? readFileSync(demoKeyFile, 'utf8').trim() : undefined;
  console.log(
    [
      '',
      `profilegraph is listening on ${app.url} (${database.kind}${embedded ? ` at ${path.resolve(config.dataDir)}` : ''})`,
      config.host === '0.0.0.0' || config.host === '::' ? `  bound to all interfaces (HOST=${config.host}); set HOST=127.0.0.1 to accept local connections only` : '',
      adminTokenNote,
      demoKey ? `  demo domain key:    ${demoKey}` : '',
      // The key rides in the fragment: browsers never send it to a server or log it as a query string.
      config.explorer ? `  explorer:           ${app.url.replace(/graphql$/, '')}${demoKey ? `#key=${demoKey}` : ''}` : '',
      demoKey
        ? `  try it:  curl -s ${app.url} -H 'content-type: application/json' -H 'authorization: Bearer ${demoKey}' \\\n            -d '{"query":"{ searchProfiles(key: \\"_phone\\", values: [\\"(206) 555-1000\\"]) { nodes { fullName emailAddress contacts(first: 3) { nodes { channel initiatedAt queue } } } } }"}'`
        : '',
      '',
    ]
      .filter((l) => l !== '')
      .join('\n'),
  );

  async function shutdown(signal: string, code = 0): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 15_000).unref();
    try {
      await started?.close();
      await openedDatabase?.close();
    } catch (err) {
      logger.error({ err }, 'error while shutting down');
      code = code || 1;
    } finally {
      clearTimeout(timer);
      process.exit(code);
    }
  }
  return app;
}
