/** `npm run seed [-- --domain NAME --profiles N]`: loads the demo domain into DATABASE_URL or the embedded database. */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { Authenticator } from '../modules/domain/auth.js';
import { DomainService } from '../modules/domain/domain.service.js';
import { seedDemo } from './demo.js';

const { values } = parseArgs({ options: { domain: { type: 'string', default: 'demo' }, profiles: { type: 'string', default: '300' } } });
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const started = Date.now();
  const result = await seedDemo(database, new DomainService(database, new Authenticator(database, undefined, 0)), {
    domain: values.domain,
    count: Number(values.profiles),
  });
  console.log(`Seeded domain "${result.domain}" with ${result.profiles} profiles in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  console.log(`API key (shown once): ${result.apiKey}`);
  console.log(
    `Example: curl -s http://localhost:${config.port}/graphql -H 'content-type: application/json' -H 'authorization: Bearer ${result.apiKey}' -d '{"query":"{ profiles(first: 5) { nodes { fullName phoneNumber contacts(first: 3) { nodes { channel initiatedAt } } } } }"}'`,
  );
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await database.close();
}
