/**
 * `profilegraph migrate` (also `npm run migrate`): applies pending drizzle/ migrations to
 * DATABASE_URL, or to the embedded database in PROFILEGRAPH_DATA_DIR. Opening the database is what
 * migrates it (on Postgres under an advisory lock, so replicas starting together never race); the
 * gateway does the same at start.
 */
import { ExitCode, withCliDatabase } from '../cli-domain.js';

export async function migrateCommand(): Promise<number> {
  return withCliDatabase(async (database, config) => {
    console.log(`Migrations applied (${database.kind}${database.kind === 'pglite' ? ` at ${config.dataDir}` : ''}).`);
    return ExitCode.OK;
  });
}
