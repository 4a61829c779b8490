/** `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded database. */
import { loadConfig } from '../config.js';
import { openDatabase } from './database.js';

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
console.log(`Migrations applied (${database.kind}${database.kind === 'pglite' ? ` at ${config.dataDir}` : ''}).`);
await database.close();
