import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { badInput, notFound } from '../../errors.js';
import { lastEventIds } from '../events/event.repository.js';
import type { DomainScope } from '../scope.js';
import { countSinks, deleteSinkRow, insertSink, listSinks, sinkById, updateSink, type EventSinkView } from './sink.repository.js';
import type { SinkFilter, SinkKind } from './sink.table.js';
import { isPrivateAddress } from './sink.transport.js';

export const MAX_SINKS = 20;
export const MAX_BATCH = 100;
const MAX_URL = 2048;
const MAX_FILTER = 100;
const SUBJECT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){0,15}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the sink service needs from the process: the SSRF policy, and the dispatcher to tell of changes. */
export interface SinkSettings {
  allowPrivateAddresses: boolean;
  touch(sinkId: string, domainId?: string): void;
}

export interface CreateEventSinkInput {
  kind: SinkKind;
  url?: string | null | undefined;
  subject?: string | null | undefined;
  types?: readonly string[] | null | undefined;
  filter?: { objectTypes?: readonly string[] | null | undefined; profileIds?: readonly string[] | null | undefined } | null | undefined;
  secret?: string | null | undefined;
  fromEventId?: string | null | undefined;
  batchSize?: number | null | undefined;
}

function checkUrl(raw: string, allowPrivate: boolean): string {
  if (raw.length > MAX_URL) throw badInput(`url is longer than ${MAX_URL} characters.`, 'url');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput('url is not a valid absolute URL.', 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput('url must be http:// or https://.', 'url');
  if (url.username || url.password) throw badInput('url must not carry credentials; the body is signed with the sink secret instead.', 'url');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host)))) {
    throw badInput(`url points at a private address (${host}); this server only delivers to public addresses (PROFILEGRAPH_SINK_ALLOW_PRIVATE_ADDRESSES).`, 'url');
  }
  return url.toString();
}

function list(values: readonly string[] | null | undefined, field: string, check: (v: string) => boolean): string[] {
  if (!values) return [];
  if (values.length > MAX_FILTER) throw badInput(`${field}: at most ${MAX_FILTER} values.`, field);
  for (const v of values) if (!check(v)) throw badInput(`${field}: "${v.slice(0, 60)}" is not valid.`, field);
  return [...new Set(values)];
}

function parseEventId(raw: string, field: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw badInput(`${field} must be an event id (a positive integer).`, field);
  const n = Number(raw);
  if (n < 1) throw badInput(`${field} must be at least 1.`, field);
  return n;
}

/**
 * Creates a sink; it starts after the domain's newest event (only new events) unless fromEventId
 * names where to start. The secret (given or generated) is in the result and never again.
 */
export async function createEventSink(scope: DomainScope, settings: SinkSettings, input: CreateEventSinkInput): Promise<{ sink: EventSinkView; secret: string }> {
  let url: string | null = null;
  let subject: string | null = null;
  if (input.kind === 'WEBHOOK') {
    if (!input.url) throw badInput('A WEBHOOK sink needs url.', 'url');
    if (input.subject) throw badInput('subject is for NATS sinks.', 'subject');
    url = checkUrl(input.url, settings.allowPrivateAddresses);
  } else if (input.kind === 'NATS') {
    if (!input.subject) throw badInput('A NATS sink needs subject.', 'subject');
    if (input.url) throw badInput('url is for WEBHOOK sinks (the NATS server is the gateway\'s PROFILEGRAPH_NATS_URL).', 'url');
    if (input.subject.length > 200 || !SUBJECT.test(input.subject)) throw badInput('subject must be NATS tokens (letters, digits, "-", "_") separated by ".", no wildcards, ≤ 200 characters.', 'subject');
    subject = input.subject;
  } else throw badInput('kind must be WEBHOOK or NATS.', 'kind');
  const batchSize = input.batchSize ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) throw badInput(`batchSize must be 1–${MAX_BATCH}.`, 'batchSize');
  if (batchSize > 1 && input.kind !== 'WEBHOOK') throw badInput('batchSize is for WEBHOOK sinks (NATS publishes one message per event).', 'batchSize');
  const types = list(input.types, 'types', (v) => /^[A-Z_]{1,40}$/.test(v));
  const filter: SinkFilter = {};
  const objectTypes = list(input.filter?.objectTypes, 'filter.objectTypes', (v) => v.length >= 1 && v.length <= 64 && !v.includes('\u0000'));
  const profileIds = list(input.filter?.profileIds, 'filter.profileIds', (v) => UUID.test(v));
  if (objectTypes.length) filter.objectTypes = objectTypes;
  if (profileIds.length) filter.profileIds = profileIds.map((p) => p.toLowerCase());
  const secret = input.secret ?? `whsec_${randomBytes(32).toString('base64url')}`;
  // eslint-disable-next-line no-control-regex
  if (secret.length < 16 || secret.length > 256 || /[\u0000-\u001f\u007f]/.test(secret)) throw badInput('secret must be 16–256 characters with no control characters (or omit it to get a generated one).', 'secret');
  const created = await scope.database.db.transaction(async (tx) => {
    if ((await countSinks(tx, scope.domain.id)) >= MAX_SINKS) throw badInput(`A domain can have at most ${MAX_SINKS} event sinks.`, 'kind');
    const cursor = input.fromEventId ? parseEventId(input.fromEventId, 'fromEventId') - 1 : ((await lastEventIds(tx, [scope.domain.id])).get(scope.domain.id) ?? 0);
    return insertSink(tx, { domainId: scope.domain.id, kind: input.kind, url, subject, types, filter, secret, cursor, batchSize });
  });
  settings.touch(created.id, scope.domain.id);
  return { sink: created, secret };
}

export const listEventSinks = (scope: DomainScope): Promise<EventSinkView[]> => listSinks(scope.database.db, scope.domain.id);

export async function getEventSink(scope: DomainScope, id: string): Promise<EventSinkView | null> {
  return UUID.test(id) ? sinkById(scope.database.db, scope.domain.id, id) : null;
}

async function change(scope: DomainScope, settings: SinkSettings, id: string, set: Parameters<typeof updateSink>[3]): Promise<EventSinkView> {
  const row = UUID.test(id) ? await updateSink(scope.database.db, scope.domain.id, id, set) : null;
  if (!row) throw notFound('Event sink', id.slice(0, 64));
  settings.touch(row.id, scope.domain.id);
  return row;
}

/** Stops deliveries; the cursor stays where it is, so resuming delivers from the first undelivered event. */
export const pauseEventSink = (scope: DomainScope, settings: SinkSettings, id: string) => change(scope, settings, id, { status: 'PAUSED' });
export const resumeEventSink = (scope: DomainScope, settings: SinkSettings, id: string) => change(scope, settings, id, { status: 'ACTIVE' });
/** Delivers again from event `fromEventId` (inclusive) onwards, with the same idempotency ids as before. */
export const replayEventSink = (scope: DomainScope, settings: SinkSettings, id: string, fromEventId: string) =>
  change(scope, settings, id, { cursor: parseEventId(fromEventId, 'fromEventId') - 1 });

export async function deleteEventSink(scope: DomainScope, settings: SinkSettings, id: string): Promise<boolean> {
  if (!UUID.test(id) || !(await deleteSinkRow(scope.database.db, scope.domain.id, id))) throw notFound('Event sink', id.slice(0, 64));
  settings.touch(id);
  return true;
}
