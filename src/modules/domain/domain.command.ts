/**
 * `profilegraph domain create|list|delete` and `profilegraph key create|list|revoke` (options:
 * src/cli.ts): the admin API's domain and key operations, straight on the database through the same
 * DomainService. A new API key is printed once, alone on stdout (`KEY=$(profilegraph key create …)`),
 * with what it is on stderr; only its hash is stored.
 */
import { cliDomainService, CliError, ExitCode, withCliDatabase } from '../../cli-domain.js';
import type { ApiKeyView } from './domain.repository.js';

export interface DomainCreateOptions {
  phoneRegion?: string;
  expirationDays?: number;
  eventRetentionDays?: number;
}

/** Rows as aligned columns (header first). */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

const day = (d: Date | null): string => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '');

function printNewKey(what: string, key: ApiKeyView, secret: string): void {
  console.error(`${what}. Its API key (id ${key.id}, name "${key.name}") follows; it is shown only this once, store it now:`);
  console.log(secret);
}

export async function domainCreateCommand(name: string, opts: DomainCreateOptions): Promise<number> {
  return withCliDatabase(async (database, config) => {
    const created = await (await cliDomainService(database, config)).create({
      name,
      defaultPhoneRegion: opts.phoneRegion,
      defaultExpirationDays: opts.expirationDays,
      eventRetentionDays: opts.eventRetentionDays,
    });
    printNewKey(`Created domain "${created.domain.name}"`, created.apiKeyInfo, created.apiKey);
    return ExitCode.OK;
  });
}

export async function domainListCommand(): Promise<number> {
  return withCliDatabase(async (database, config) => {
    const domains = await (await cliDomainService(database, config)).list();
    if (domains.length === 0) {
      console.error('No domains yet: create one with "profilegraph domain create <name>".');
      return ExitCode.OK;
    }
    const rows = [['NAME', 'PHONE REGION', 'EXPIRATION DAYS', 'EVENT RETENTION DAYS', 'CREATED']];
    for (const d of domains) {
      rows.push([d.name, d.defaultPhoneRegion ?? '', d.defaultExpirationDays === null ? 'never' : String(d.defaultExpirationDays), String(d.eventRetentionDays), day(d.createdAt)]);
    }
    console.log(table(rows));
    return ExitCode.OK;
  });
}

export async function domainDeleteCommand(name: string, opts: { yes?: boolean }): Promise<number> {
  if (!opts.yes) {
    throw new CliError(`this deletes domain "${name}" with every profile, object, key and event in it, and cannot be undone: run "profilegraph domain delete ${name} --yes" to confirm.`);
  }
  return withCliDatabase(async (database, config) => {
    await (await cliDomainService(database, config)).delete(name);
    console.log(`Deleted domain "${name}".`);
    return ExitCode.OK;
  });
}

export async function keyCreateCommand(opts: { domain: string; name: string }): Promise<number> {
  return withCliDatabase(async (database, config) => {
    const created = await (await cliDomainService(database, config)).createKey(opts.domain, opts.name);
    printNewKey(`Created an API key for domain "${opts.domain}"`, created.apiKeyInfo, created.apiKey);
    return ExitCode.OK;
  });
}

export async function keyListCommand(opts: { domain: string }): Promise<number> {
  return withCliDatabase(async (database, config) => {
    const keys = await (await cliDomainService(database, config)).listKeys(opts.domain);
    const rows = [['ID', 'NAME', 'PREFIX', 'CREATED', 'REVOKED']];
    for (const k of keys) rows.push([k.id, k.name, k.prefix, day(k.createdAt), day(k.revokedAt)]);
    console.log(table(rows));
    return ExitCode.OK;
  });
}

export async function keyRevokeCommand(id: string): Promise<number> {
  return withCliDatabase(async (database, config) => {
    const key = await (await cliDomainService(database, config)).revokeKey(id);
    console.log(`Revoked API key ${key.id} ("${key.name}", ${key.prefix}…) of domain "${key.domain}".`);
    return ExitCode.OK;
  });
}
