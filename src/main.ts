/**
 * `npm start`: the gateway. Without DATABASE_URL it runs on embedded PGlite under
 * PROFILEGRAPH_DATA_DIR, generates an admin token on first run and seeds a demo domain.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startApp } from './app.js';
import { loadConfig, type Config } from './config.js';
import { openDatabase } from './db/database.js';
import { createLogger } from './logger.js';
import { Authenticator } from './modules/domain/auth.js';
import { DomainService } from './modules/domain/domain.service.js';
import { listDomains } from './modules/domain/domain.repository.js';
import { seedDemo } from './seed/demo.js';

function embeddedAdminToken(config: Config): string {
  const file = path.resolve(config.dataDir, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const token = `pgadmin_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const args = new Set(process.argv.slice(2));
if (args.has('--seed')) config = { ...config, seed: 'always' };
if (args.has('--no-seed')) config = { ...config, seed: 'never' };
const embedded = !config.databaseUrl;
if (embedded && !config.adminToken) config = { ...config, adminToken: embeddedAdminToken(config) };

const logger = createLogger(config.logLevel);
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize });

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
const demoKey = embedded && existsSync(demoKeyFile) ? readFileSync(demoKeyFile, 'utf8').trim() : undefined;
console.log(
  [
    '',
    `profilegraph is listening on ${app.url} (${database.kind}${embedded ? ` at ${path.resolve(config.dataDir)}` : ''})`,
    embedded ? `  admin token:        ${config.adminToken}` : '',
    demoKey ? `  demo domain key:    ${demoKey}` : '',
    demoKey
      ? `  try it:  curl -s ${app.url} -H 'content-type: application/json' -H 'authorization: Bearer ${demoKey}' \\\n            -d '{"query":"{ searchProfiles(key: \\"_phone\\", values: [\\"(206) 555-1000\\"]) { nodes { fullName emailAddress contacts(first: 3) { nodes { channel initiatedAt queue } } } } }"}'`
      : '',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n'),
);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const timer = setTimeout(() => process.exit(1), 15_000).unref();
  try {
    await app.close();
    await database.close();
  } finally {
    clearTimeout(timer);
    process.exit(0);
  }
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
