/**
 * The `profilegraph` command line: bin/profilegraph, `npm run cli -- <command> …`, and
 * `npm run import -- …` for `import`. This file defines the program (commands, options, help, exit
 * codes); each command's implementation lives in its feature folder (`<concept>.command.ts`), shared
 * helpers in cli-domain.ts. Commands other than `serve` work straight on the database (DATABASE_URL,
 * or the embedded one in PROFILEGRAPH_DATA_DIR).
 *
 * Exit codes: 0 success; 1 error (bad input, unknown domain, missing file, database error);
 * 2 finished but some rows were bad (the good ones landed); 64 usage error (unknown command or
 * option, missing argument). Errors are one line on stderr, never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ExitCode, isMainModule, reportError } from './cli-domain.js';

// Command implementations load when their command runs: help and usage errors stay fast.
const domainCommands = () => import('./modules/domain/domain.command.js');

/** What a run of the program ended with. */
interface RunState {
  code: number;
  /** `serve` started the gateway: the process must keep running. */
  keepAlive: boolean;
}

const EXIT_CODES = `
Exit codes:
  0   success
  1   error: bad input, unknown domain, missing or unreadable file, database error
  2   finished, but some rows were bad (the good ones landed; bad rows are listed with their line)
  64  usage error: unknown command or option, missing argument

Environment: DATABASE_URL (Postgres; unset = embedded PGlite in PROFILEGRAPH_DATA_DIR, default ./data).`;

function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return n;
  };
}

function exportFormat(value: string): 'JSONL' | 'CSV' {
  const v = value.toUpperCase();
  if (v !== 'JSONL' && v !== 'CSV') throw new InvalidArgumentError('expected jsonl or csv.');
  return v;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The full name of a command, e.g. "profilegraph domain create". */
function fullName(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Every command, depth first. */
function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap((c) => allCommands(c as Command))];
}

const packageVersion = (): string => {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

export function buildProgram(state: RunState): Command {
  const done = (run: Promise<number>) => run.then((code) => void (state.code = code));
  const program = new Command('profilegraph')
    .description('Customer-profiles GraphQL gateway over your own Postgres (or embedded PGlite): run it and manage its data.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .allowExcessArguments(false)
    .addHelpText('after', EXIT_CODES);

  program
    .command('serve')
    .description('Start the GraphQL gateway (HTTP and graphql-ws at /graphql).')
    .option('--seed', 'load a demo domain at start even if domains exist')
    .option('--no-seed', 'never load the demo domain (default: only on a new embedded database)')
    .option('--port <port>', 'listen port (default: PORT, or 4000)', wholeNumber(0, 65535))
    .option('--host <address>', 'listen address (default: HOST, or 127.0.0.1)')
    .action(async (opts: { seed?: boolean; port?: number; host?: string }) => {
      const { runGateway } = await import('./gateway.js');
      await runGateway({
        seed: opts.seed,
        overrides: { ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.host !== undefined ? { host: opts.host } : {}) },
      });
      state.keepAlive = true;
    });

  program
    .command('migrate')
    .description('Apply pending database migrations (the gateway also does this at start).')
    .action(async () => done((await import('./db/migrate.js')).migrateCommand()));

  program
    .command('import')
    .summary('Import a CSV file into an object type (mapped automatically, or with --mapping).')
    .description(
      'Import a CSV file into an object type: headers are mapped automatically and the type is created if it does not exist (or apply a reviewed --mapping). Bad rows are listed by line; good rows land; re-running the file changes nothing.',
    )
    .argument('<file>', 'CSV file (UTF-8 with or without BOM, or Shift_JIS)')
    .option('-d, --domain <name>', 'domain to import into (required unless --suggest)')
    .option('-t, --type <ObjectType>', 'object type name (default: from the file name, customers.csv → Customers)')
    .option('-m, --mapping <type.json>', 'putObjectType input (or --suggest output) to create or replace the type with before importing')
    .option('--suggest', 'print the proposed mapping for the file\'s headers as JSON and exit (needs no database)')
    .option('-n, --dry-run', 'validate every row (parsing, values, key values) and list the bad ones by line, writing nothing')
    .addOption(new Option('--encoding <encoding>', 'file encoding').choices(['auto', 'utf-8', 'shift_jis']).default('auto'))
    .option('-q, --quiet', 'no progress bar or mapping on stderr (the summary is still printed)')
    .action((file: string, opts: { domain?: string; type?: string; mapping?: string; suggest?: boolean; dryRun?: boolean; encoding: 'auto' | 'utf-8' | 'shift_jis'; quiet?: boolean }, cmd: Command) => {
      if (!opts.suggest && !opts.domain) cmd.error("error: required option '-d, --domain <name>' not specified (only --suggest works without it)", { exitCode: ExitCode.USAGE });
      if (opts.suggest && (opts.mapping || opts.dryRun)) cmd.error('error: --suggest only prints a mapping; it cannot be combined with --mapping or --dry-run', { exitCode: ExitCode.USAGE });
      return done(import('./modules/import/import.command.js').then((m) => m.importCommand(file, opts)));
    });

  program
    .command('export')
    .summary('Export profiles, contacts, cases, orders or objects to JSONL or CSV.')
    .description('Export a domain\'s profiles, contacts, cases, orders or custom objects to JSONL or CSV files (the same format as export jobs).')
    .requiredOption('-d, --domain <name>', 'domain to export')
    .requiredOption('-t, --type <type>', 'profile, contact, case, order or an object type name; repeat for several (then --out is a folder)', collect)
    .option('-f, --format <format>', 'jsonl or csv', exportFormat, 'JSONL' as const)
    .option('--from <ISO date>', 'only records updated at or after this time')
    .option('--to <ISO date>', 'only records updated before this time')
    .requiredOption('-o, --out <path>', 'output file (one --type) or folder (several)')
    .option('-q, --quiet', 'no progress bar')
    .action((opts: { domain: string; type: string[]; format: 'JSONL' | 'CSV'; from?: string; to?: string; out: string; quiet?: boolean }) => done(import('./modules/export/export.command.js').then((m) => m.exportCommand(opts))));

  program
    .command('subscribe')
    .summary('Print a running gateway\'s subscription results as JSON lines (graphql-ws).')
    .description(
      'Subscribe to a running gateway over graphql-ws with a domain API key and print each result as one JSON line on stdout as it arrives ' +
        '(profileEvents, segmentMembershipChanged, …). Works against any gateway, also `npm start` on the embedded database.',
    )
    .argument('<document>', "the subscription, e.g. 'subscription { profileEvents(after: \"0\") { id type profileId } }'")
    .option('-u, --url <url>', 'the gateway\'s GraphQL URL (http, https, ws or wss)', 'http://localhost:4000/graphql')
    .requiredOption('-k, --key <key>', 'a domain API key (pgk_…)')
    .option('--variables <json>', 'variables as a JSON object')
    .option('-n, --count <n>', 'stop (exit 0) after this many results', wholeNumber(1, 1_000_000))
    .option('--timeout <seconds>', 'exit 1 when this many seconds pass first', wholeNumber(1, 86_400))
    .action((document: string, opts: { url: string; key: string; variables?: string; count?: number; timeout?: number }) =>
      done(import('./modules/events/subscribe.command.js').then((m) => m.subscribeCommand(document, opts))),
    );

  program
    .command('merge')
    .summary('Merge profiles into a main one (or preview it with --dry-run).')
    .description(
      'Fold 1–20 profiles into a main profile: fields resolved per --field, else by --conflict; keys, contacts, cases, orders and objects move to the main profile. Prints the result as JSON; undo with "profilegraph unmerge".',
    )
    .requiredOption('-d, --domain <name>', 'domain of the profiles')
    .requiredOption('--main <profileId>', 'the profile that remains')
    .requiredOption('--merge <profileId>', 'a profile folded into the main one; repeat for several (at most 20)', collect)
    .option('--field <field=profileId>', 'take this field from that profile, e.g. firstName=<id>; repeatable', collect)
    .addOption(new Option('--conflict <rule>', 'how other fields are chosen').choices(['recency', 'source']).default('recency'))
    .option('--source-priority <name>', 'with --conflict source: an object type (or "manual"), first wins; repeatable', collect)
    .option('-n, --dry-run', 'print the resulting profile and the objects that would move, writing nothing')
    .action((opts: { domain: string; main: string; merge: string[]; field?: string[]; conflict: string; sourcePriority?: string[]; dryRun?: boolean }) =>
      done(import('./modules/merge/merge.command.js').then((m) => m.mergeCommand({ ...opts, conflict: opts.conflict === 'source' ? 'SOURCE' : 'RECENCY' }))),
    );

  program
    .command('unmerge')
    .description('Undo a merge (by the merge id "merge" printed): the merged profiles come back exactly as they were.')
    .argument('<mergeId>', 'merge id')
    .requiredOption('-d, --domain <name>', 'domain of the merge')
    .action((mergeId: string, opts: { domain: string }) => done(import('./modules/merge/merge.command.js').then((m) => m.unmergeCommand(mergeId, opts))));

  const domain = program.command('domain').description('Create, list and delete domains (tenants).');
  domain
    .command('create')
    .description('Create a domain and print its first API key (once, alone on stdout).')
    .argument('<name>', 'domain name: 1–64 letters, digits, "-" or "_"')
    .option('--phone-region <region>', 'ISO 3166-1 region for phone numbers without a country code (default US)')
    .option('--expiration-days <days>', 'delete profiles not updated for this many days (default: keep forever)', wholeNumber(1, 1098))
    .option('--event-retention-days <days>', 'keep stream events of deleted profiles this long (default 30)', wholeNumber(1, 3650))
    .action((name: string, opts: { phoneRegion?: string; expirationDays?: number; eventRetentionDays?: number }) => done(domainCommands().then((m) => m.domainCreateCommand(name, opts))));
  domain
    .command('list')
    .description('List domains with their settings.')
    .action(() => done(domainCommands().then((m) => m.domainListCommand())));
  domain
    .command('delete')
    .description('Delete a domain with all its profiles, objects, keys and events.')
    .argument('<name>', 'domain name')
    .option('-y, --yes', 'confirm the deletion (required)')
    .action((name: string, opts: { yes?: boolean }) => done(domainCommands().then((m) => m.domainDeleteCommand(name, opts))));

  const key = program.command('key').description("Create, list and revoke a domain's API keys.");
  key
    .command('create')
    .description('Create an API key for a domain and print it (once, alone on stdout).')
    .requiredOption('-d, --domain <name>', 'domain the key belongs to')
    .option('--name <label>', 'label telling keys apart, e.g. crm-sync', 'cli')
    .action((opts: { domain: string; name: string }) => done(domainCommands().then((m) => m.keyCreateCommand(opts))));
  key
    .command('list')
    .description("List a domain's API keys (ids, names, prefixes; never the keys).")
    .requiredOption('-d, --domain <name>', 'domain')
    .action((opts: { domain: string }) => done(domainCommands().then((m) => m.keyListCommand(opts))));
  key
    .command('revoke')
    .description('Revoke an API key by id (from "key create" or "key list"); requests with it fail at once.')
    .argument('<id>', 'key id')
    .action((id: string) => done(domainCommands().then((m) => m.keyRevokeCommand(id))));

  for (const cmd of allCommands(program)) {
    cmd.exitOverride().allowExcessArguments(false);
    // After a usage error: the usage line, not the whole help.
    cmd.showHelpAfterError(`usage: ${fullName(cmd)} ${cmd.usage()}  (see "${fullName(cmd)} --help")`);
  }
  return program;
}

/** Runs the program on `argv` (arguments after the script) and returns how it ended. */
export async function runCli(argv: readonly string[]): Promise<RunState> {
  const state: RunState = { code: ExitCode.OK, keepAlive: false };
  try {
    await buildProgram(state).parseAsync([...argv], { from: 'user' });
  } catch (err) {
    // Commander ends help and version output with exit code 0, and every usage error otherwise.
    if (err instanceof CommanderError) state.code = err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    else state.code = reportError(err);
  }
  return state;
}

/** Runs the program and ends the process with its exit code (unless the gateway is now running). */
export async function runCliMain(argv: readonly string[]): Promise<void> {
  const { code, keepAlive } = await runCli(argv);
  if (keepAlive) return;
  process.exitCode = code;
  // A finished command exits even if a library left a handle open; output is flushed first.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}

if (isMainModule(import.meta.url)) await runCliMain(process.argv.slice(2));
