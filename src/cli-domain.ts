import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { toAppError } from './errors.js';
import { findDomainByName } from './modules/domain/domain.repository.js';
import { noopNotifier } from './modules/events/notifier.js';
import type { DomainScope } from './modules/scope.js';

/**
 * Runs a CLI command against one domain, straight on the database (DATABASE_URL or the embedded one):
 * opens and always closes it, reports an unknown domain and expected errors as one line, and returns
 * the exit code (1 on errors). Events written have no actor key.
 */
export async function withCliDomain(domainName: string, run: (scope: DomainScope) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const domain = await findDomainByName(database.db, domainName);
    if (!domain) {
      console.error(`Domain "${domainName}" does not exist.`);
      return 1;
    }
    return await run({ database, domain, actorKeyId: null, notifier: noopNotifier });
  } catch (err) {
    const app = toAppError(err);
    console.error(app ? app.message : err instanceof Error ? err.message : String(err));
    return 1;
  } finally {
    await database.close();
  }
}
