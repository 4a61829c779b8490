/**
 * What every `profilegraph` command shares: opening the database (DATABASE_URL, or the embedded one in
 * PROFILEGRAPH_DATA_DIR) and always closing it, resolving a domain, turning expected failures into one
 * line on stderr, exit codes, and the progress bar. Commands run straight on the database; the events
 * they write have no actor key.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { loadConfig, type Config } from './config.js';
import type { Database } from './db/database.js';
import { toAppError } from './errors.js';
import type { DomainRow } from './modules/domain/domain.repository.js';
import type { DomainService } from './modules/domain/domain.service.js';
import type { DomainScope } from './modules/scope.js';

// The database side loads only when a command uses it, so `--help` and usage errors answer fast.

/** Exit codes of the CLI (documented in the README's "CLI" section). */
export const ExitCode = {
  OK: 0,
  /** Bad input, unknown domain, missing file, database error. */
  ERROR: 1,
  /** The command finished but some rows were bad (the good ones landed). */
  PARTIAL: 2,
  /** Unknown command or option, missing argument (BSD sysexits EX_USAGE). */
  USAGE: 64,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An expected failure: its message is printed as is (one line, no stack) and the command exits 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/**
 * The one line to print for a failure. Expected errors (CliError, AppError, caller-fault Postgres
 * errors) keep their message; anything else is reduced to its first line, so no stack trace is ever
 * shown unless LOG_LEVEL is debug or trace.
 */
export function describeError(err: unknown): string {
  if (err instanceof CliError) return err.message;
  const app = toAppError(err);
  if (app) return app.message;
  const message = err instanceof Error ? err.message || err.name : String(err);
  // drizzle wraps driver errors as "Failed query: <SQL>\nparams: …": the driver's reason is the news.
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (message.startsWith('Failed query') && cause instanceof Error) return `database error: ${describeError(cause)}`;
  return message.split('\n')[0]!.trim() || 'unknown error';
}

/** Prints a failure to stderr and returns exit code 1. */
export function reportError(err: unknown): ExitCode {
  let level: string | undefined;
  try {
    level = loadConfig().logLevel;
  } catch {
    level = undefined;
  }
  if ((level === 'debug' || level === 'trace') && err instanceof Error && err.stack) console.error(err.stack);
  else console.error(`error: ${describeError(err)}`);
  return ExitCode.ERROR;
}

async function configOrThrow(): Promise<Config> {
  const { loadConfig } = await import('./config.js');
  try {
    return loadConfig();
  } catch (err) {
    // loadConfig lists every problem, one per line: worth keeping whole.
    throw new CliError((err as Error).message);
  }
}

/** Runs `run` with the database open, always closing it; failures become one line and exit 1. */
export async function withCliDatabase(run: (database: Database, config: Config) => Promise<number>): Promise<number> {
  let database: Database;
  let config: Config;
  try {
    config = await configOrThrow();
    const { openDatabase } = await import('./db/database.js');
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  } catch (err) {
    if (err instanceof CliError) return reportError(err);
    const where = config!.databaseUrl ? 'DATABASE_URL' : `the embedded database in ${config!.dataDir}`;
    return reportError(new CliError(`cannot open ${where}: ${describeError(err)}`));
  }
  try {
    return await run(database, config);
  } catch (err) {
    return reportError(err);
  } finally {
    await database.close();
  }
}

/** The domain named, or a CliError that says how to find or create one. */
export async function requireCliDomain(database: Database, name: string): Promise<DomainRow> {
  const { findDomainByName } = await import('./modules/domain/domain.repository.js');
  const domain = await findDomainByName(database.db, name);
  if (!domain) throw new CliError(`domain "${name}" does not exist (see "profilegraph domain list", or create it with "profilegraph domain create ${name}").`);
  return domain;
}

/** Runs `run` with a scope on one domain (see withCliDatabase). */
export async function withCliDomain(domainName: string, run: (scope: DomainScope, config: Config) => Promise<number>): Promise<number> {
  return withCliDatabase(async (database, config) => {
    const domain = await requireCliDomain(database, domainName);
    const { noopNotifier } = await import('./modules/events/notifier.js');
    return run({ database, domain, actorKeyId: null, notifier: noopNotifier }, config);
  });
}

/**
 * The domain service on a CLI database (no admin token: the CLI is trusted, it holds the database).
 * A deleted domain's export folder and import uploads go with it, as through the API; its queued
 * jobs lose their rows and stop (the CLI runs no job queue).
 */
export async function cliDomainService(database: Database, config: Config): Promise<DomainService> {
  const [{ DomainService }, { Authenticator }] = await Promise.all([import('./modules/domain/domain.service.js'), import('./modules/domain/auth.js')]);
  return new DomainService(database, new Authenticator(database, undefined, 0), { exportDir: config.exportDir, importDir: config.importDir });
}

/** Informational output (stderr, so stdout stays clean for results); silenced by --quiet. */
export function info(quiet: boolean | undefined, message: string): void {
  if (!quiet) console.error(message);
}

/** A progress bar on stderr (drawn only when stderr is a terminal), or none with --quiet. */
export function progressBar(format: string, quiet: boolean | undefined): cliProgress.SingleBar | null {
  if (quiet) return null;
  return new cliProgress.SingleBar({ format, hideCursor: true, stream: process.stderr, clearOnComplete: false }, cliProgress.Presets.shades_classic);
}

/** True when the module at `moduleUrl` is the script node was started with (also through symlinks). */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
