import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { DomainRow, ApiKeyView } from '../modules/domain/domain.repository.js';
import type { ProfileRow } from '../modules/profile/profile.repository.js';
import type { NestedConnection } from '../read/connection.js';
import type { ObjectTypeView } from '../modules/object-type/object-type.service.js';
import type { FieldDefinition, KeyDefinition } from '../modules/object-type/object-type.table.js';
import type { ObjectTypeTemplateSpec } from '../modules/object-type/object-type.templates.js';
import type { DetectionResult } from '../modules/object-type/object-type.detect.js';
import type { IngestSourceView } from '../modules/inbound/inbound.repository.js';
import type { EventSinkView } from '../modules/sink/sink.repository.js';
import type { ProfileObjectRow, DeadLetterRow } from '../modules/ingest/ingest.repository.js';
import type { IngestResult } from '../modules/ingest/ingest.service.js';
import type { ContactRow } from '../modules/contact/contact.repository.js';
import type { CaseRow } from '../modules/case/case.repository.js';
import type { OrderRow } from '../modules/order/order.repository.js';
import type { AddressValue } from '../modules/profile/profile.table.js';
import type { OrderItemValue } from '../modules/order/order.table.js';
import type { EventRow } from '../modules/events/event.repository.js';
import type { HistoryConnection } from '../modules/events/history.js';
import type { JobRow } from '../modules/jobs/job.repository.js';
import type { DefinitionRow } from '../modules/calculated/calculated.repository.js';
import type { CalculatedValue } from '../modules/calculated/calculated.relations.js';
import type { LoadedSegment } from '../modules/segment/segment.service.js';
import type { IndustryTemplateSpec } from '../modules/template/template.catalog.js';
import type { TemplateDefinition } from '../modules/calculated/templates.js';
import type { Context } from '../graphql/context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date, YYYY-MM-DD. */
  Date: { input: Date; output: string | Date; }
  /** An ISO-8601 timestamp with offset, e.g. 2026-05-01T09:30:00Z. */
  DateTime: { input: Date; output: Date; }
  /** A decimal number as a string, exact (money): "129.90". */
  Decimal: { input: string; output: string; }
  /** Any JSON object. */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
};

export type Address = {
  __typename?: 'Address';
  address1?: Maybe<Scalars['String']['output']>;
  address2?: Maybe<Scalars['String']['output']>;
  address3?: Maybe<Scalars['String']['output']>;
  address4?: Maybe<Scalars['String']['output']>;
  city?: Maybe<Scalars['String']['output']>;
  country?: Maybe<Scalars['String']['output']>;
  county?: Maybe<Scalars['String']['output']>;
  postalCode?: Maybe<Scalars['String']['output']>;
  province?: Maybe<Scalars['String']['output']>;
  state?: Maybe<Scalars['String']['output']>;
};

export type AddressInput = {
  address1?: InputMaybe<Scalars['String']['input']>;
  address2?: InputMaybe<Scalars['String']['input']>;
  address3?: InputMaybe<Scalars['String']['input']>;
  address4?: InputMaybe<Scalars['String']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  country?: InputMaybe<Scalars['String']['input']>;
  county?: InputMaybe<Scalars['String']['input']>;
  postalCode?: InputMaybe<Scalars['String']['input']>;
  province?: InputMaybe<Scalars['String']['input']>;
  state?: InputMaybe<Scalars['String']['input']>;
};

/** An API key's metadata; the secret itself is shown only once, when the key is created. */
export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  domain: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** The first characters of the key, to tell keys apart. */
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type Association =
  /** Several profiles matched; attached to none (see candidates). */
  | 'AMBIGUOUS'
  /** Attached to the profileId given. */
  | 'BY_PROFILE_ID'
  /** No profile matched; an inferred profile was created. */
  | 'CREATED_PROFILE'
  /** Already recorded; kept on its profile. */
  | 'EXISTING'
  /** Exactly one profile matched the phone or e-mail. */
  | 'MATCHED'
  /** No profile matched and none was created. */
  | 'UNMATCHED';

/** A custom attribute: free-form key/value pair (1–255 characters each). */
export type Attribute = {
  __typename?: 'Attribute';
  key: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type AttributeInput = {
  key: Scalars['String']['input'];
  /** null removes the attribute (in updates). */
  value?: InputMaybe<Scalars['String']['input']>;
};

/** A calculated attribute definition of this domain. */
export type CalculatedAttributeDefinition = {
  __typename?: 'CalculatedAttributeDefinition';
  /** The backfill job (job(id)) when the definition was backfilled by a job. */
  backfillJobId?: Maybe<Scalars['ID']['output']>;
  /** False while a backfill job recomputes the values of a changed definition (see backfillJobId). */
  backfilled: Scalars['Boolean']['output'];
  conditions: Array<CalculatedCondition>;
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  expression?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  objectType: Scalars['String']['output'];
  statistic: CalculatedStatistic;
  threshold?: Maybe<CalculatedThreshold>;
  /** The type of the values (BOOLEAN with a threshold). */
  type: CalculatedValueType;
  updatedAt: Scalars['DateTime']['output'];
  /** Grows with every change of the definition. */
  version: Scalars['Int']['output'];
  window?: Maybe<CalculatedWindow>;
};

/** A calculated attribute's current value for a profile. */
export type CalculatedAttributeValue = {
  __typename?: 'CalculatedAttributeValue';
  /** True while the definition is being backfilled and this profile's value is not recomputed yet. */
  isDataPartial: Scalars['Boolean']['output'];
  /** The time of the newest object the value counts. */
  lastObjectAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  type: CalculatedValueType;
  /**
   * The value as text: a number in plain decimal notation, a string, `true`/`false`, or a time in
   * ISO 8601. A profile with no object in the window reads 0 for COUNT and null otherwise.
   */
  value?: Maybe<Scalars['String']['output']>;
};

export type CalculatedCondition = {
  __typename?: 'CalculatedCondition';
  field: Scalars['String']['output'];
  operator: CalculatedConditionOperator;
  values: Array<Scalars['String']['output']>;
};

/**
 * A filter on the objects: a field of the object type (built-in fields, `attributes.<name>` of
 * contacts/cases/orders, or a key of a custom object) compared with `values` (times in ISO 8601).
 */
export type CalculatedConditionInput = {
  field: Scalars['String']['input'];
  operator: CalculatedConditionOperator;
  values?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type CalculatedConditionOperator =
  | 'BEGINS_WITH'
  | 'CONTAINS'
  | 'EQUALS'
  | 'EXISTS'
  | 'GT'
  | 'GTE'
  | 'IN'
  | 'LT'
  | 'LTE'
  | 'NOT_EQUALS'
  | 'NOT_EXISTS'
  | 'NOT_IN';

/** How a calculated attribute summarises the expression over the objects in its window. */
export type CalculatedStatistic =
  /** Rounded to 4 decimals. */
  | 'AVERAGE'
  /** Objects (with a value, when an expression is given). */
  | 'COUNT'
  /** The value of the oldest object (by the object's time) that has one. */
  | 'FIRST_OCCURRENCE'
  /** The value of the newest object that has one. */
  | 'LAST_OCCURRENCE'
  | 'MAXIMUM'
  /** The most frequent value; a tie goes to the value seen most recently. */
  | 'MAX_OCCURRENCE'
  | 'MINIMUM'
  | 'SUM';

export type CalculatedThreshold = {
  __typename?: 'CalculatedThreshold';
  operator: CalculatedThresholdOperator;
  value: Scalars['String']['output'];
};

/** Turns the statistic into a boolean: statistic <operator> value. */
export type CalculatedThresholdInput = {
  operator: CalculatedThresholdOperator;
  value: Scalars['String']['input'];
};

export type CalculatedThresholdOperator =
  | 'EQUAL_TO'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL'
  | 'NOT_EQUAL_TO';

/** The type of a calculated attribute's value. */
export type CalculatedValueType =
  | 'BOOLEAN'
  | 'DATETIME'
  | 'NUMBER'
  | 'STRING';

export type CalculatedWindow = {
  __typename?: 'CalculatedWindow';
  from?: Maybe<Scalars['DateTime']['output']>;
  lastDays?: Maybe<Scalars['Int']['output']>;
  lastObjects?: Maybe<Scalars['Int']['output']>;
  to?: Maybe<Scalars['DateTime']['output']>;
};

/**
 * Which objects count, by the object's time (contacts: initiatedAt, cases: createdAt, orders:
 * orderedAt, custom objects: their last ingestion). Give one of lastDays, from/to, or lastObjects;
 * no window (or an empty one) counts every object.
 */
export type CalculatedWindowInput = {
  /** From this time (inclusive). */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  /** Objects of the last N days (1–3660), sliding: an object leaves the window N days after its time, with no new write. */
  lastDays?: InputMaybe<Scalars['Int']['input']>;
  /** The N newest objects (1–1000) that pass the conditions. */
  lastObjects?: InputMaybe<Scalars['Int']['input']>;
  /** Until this time (exclusive). */
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

export type Case = Node & {
  __typename?: 'Case';
  attribute?: Maybe<Scalars['String']['output']>;
  attributes: Array<Attribute>;
  caseId: Scalars['String']['output'];
  /** Set when the case becomes RESOLVED or CLOSED. */
  closedAt?: Maybe<Scalars['DateTime']['output']>;
  createdAt: Scalars['DateTime']['output'];
  createdBy?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  priority?: Maybe<CasePriority>;
  profile: Profile;
  reason?: Maybe<Scalars['String']['output']>;
  status: CaseStatus;
  summary?: Maybe<Scalars['String']['output']>;
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  version: Scalars['Int']['output'];
};


export type CaseAttributeArgs = {
  key: Scalars['String']['input'];
};

export type CaseConnection = {
  __typename?: 'CaseConnection';
  edges: Array<CaseEdge>;
  nodes: Array<Case>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type CaseEdge = {
  __typename?: 'CaseEdge';
  cursor: Scalars['String']['output'];
  node: Case;
};

export type CasePriority =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM'
  | 'URGENT';

export type CaseStatus =
  | 'CLOSED'
  | 'IN_PROGRESS'
  | 'OPEN'
  | 'PENDING'
  | 'RESOLVED';

export type ColumnSuggestion = {
  __typename?: 'ColumnSuggestion';
  contentType: ContentType;
  /** The object type field the column becomes. */
  field: Scalars['String']['output'];
  header: Scalars['String']['output'];
  /** False when the header was not recognised and falls back to an attribute. */
  recognized: Scalars['Boolean']['output'];
  /** Where the value goes on the profile (unknown columns become attributes). */
  target?: Maybe<Scalars['String']['output']>;
};

/** A contact record (call, chat, e-mail, task …), ACCP's CTR. */
export type Contact = Node & {
  __typename?: 'Contact';
  agentId?: Maybe<Scalars['String']['output']>;
  attribute?: Maybe<Scalars['String']['output']>;
  attributes: Array<Attribute>;
  channel: ContactChannel;
  contactId: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  direction?: Maybe<ContactDirection>;
  disconnectedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Seconds between initiation and disconnect, when both are known. */
  durationSeconds?: Maybe<Scalars['Int']['output']>;
  emailAddress?: Maybe<Scalars['String']['output']>;
  holdSeconds?: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  initiatedAt: Scalars['DateTime']['output'];
  phoneNumber?: Maybe<Scalars['String']['output']>;
  /** The profile this contact belongs to; null when it could not be associated. */
  profile?: Maybe<Profile>;
  queue?: Maybe<Scalars['String']['output']>;
  queueWaitSeconds?: Maybe<Scalars['Int']['output']>;
  updatedAt: Scalars['DateTime']['output'];
};


/** A contact record (call, chat, e-mail, task …), ACCP's CTR. */
export type ContactAttributeArgs = {
  key: Scalars['String']['input'];
};

export type ContactChannel =
  | 'CHAT'
  | 'EMAIL'
  | 'OTHER'
  | 'SMS'
  | 'SOCIAL'
  | 'TASK'
  | 'VOICE'
  | 'WEB';

export type ContactConnection = {
  __typename?: 'ContactConnection';
  edges: Array<ContactEdge>;
  nodes: Array<Contact>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ContactDirection =
  | 'API'
  | 'CALLBACK'
  | 'INBOUND'
  | 'OUTBOUND'
  | 'TRANSFER';

export type ContactEdge = {
  __typename?: 'ContactEdge';
  cursor: Scalars['String']['output'];
  node: Contact;
};

/** How a field's values are normalized for matching and search. */
export type ContentType =
  /** Lower-cased. */
  | 'EMAIL_ADDRESS'
  /** Lower-cased, spaces collapsed, full-width folded. */
  | 'NAME'
  | 'NUMBER'
  /** Normalized to E.164 with the domain's default region: "+15551234567" matches "(555)-123-4567". */
  | 'PHONE_NUMBER'
  | 'STRING';

export type CreateApiKeyPayload = {
  __typename?: 'CreateApiKeyPayload';
  /** The secret. Store it now: it is not shown again. */
  apiKey: Scalars['String']['output'];
  apiKeyInfo: ApiKey;
};

export type CreateCaseInput = {
  attributes?: InputMaybe<Array<AttributeInput>>;
  /** Unique in the domain; generated when omitted. Creating the same caseId again returns the existing case. */
  caseId?: InputMaybe<Scalars['String']['input']>;
  createdBy?: InputMaybe<Scalars['String']['input']>;
  priority?: InputMaybe<CasePriority>;
  profileId: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<CaseStatus>;
  summary?: InputMaybe<Scalars['String']['input']>;
  title: Scalars['String']['input'];
};

export type CreateCasePayload = {
  __typename?: 'CreateCasePayload';
  case: Case;
  /** False when a case with this caseId already existed. */
  created: Scalars['Boolean']['output'];
};

export type CreateDomainInput = {
  /** 1–1098, or null to keep profiles forever (the default). */
  defaultExpirationDays?: InputMaybe<Scalars['Int']['input']>;
  defaultPhoneRegion?: InputMaybe<Scalars['String']['input']>;
  eventRetentionDays?: InputMaybe<Scalars['Int']['input']>;
  /** Letters, digits, '-' and '_', 1–64 characters. Cannot change later. */
  name: Scalars['String']['input'];
};

export type CreateDomainPayload = {
  __typename?: 'CreateDomainPayload';
  /** The domain's first API key. Store it now: it is not shown again. */
  apiKey: Scalars['String']['output'];
  apiKeyInfo: ApiKey;
  domain: Domain;
};

export type CreateEventSinkInput = {
  /** WEBHOOK only, 1–100 (default 1): send up to this many events per request as a JSON array, signed the same way. */
  batchSize?: InputMaybe<Scalars['Int']['input']>;
  filter?: InputMaybe<EventSinkFilterInput>;
  /** Start with this event id (replaying history); default: only events after now. */
  fromEventId?: InputMaybe<Scalars['ID']['input']>;
  kind: EventSinkKind;
  /** Signing secret (16–256 characters); omitted, one is generated. Shown only in this payload. */
  secret?: InputMaybe<Scalars['String']['input']>;
  /** NATS: e.g. "crm.profile-events" (a JetStream stream must capture it). */
  subject?: InputMaybe<Scalars['String']['input']>;
  /** Only these event types (default: all). */
  types?: InputMaybe<Array<EventType>>;
  /** WEBHOOK: http:// or https:// (private addresses only when the server allows them). */
  url?: InputMaybe<Scalars['String']['input']>;
};

export type CreateEventSinkPayload = {
  __typename?: 'CreateEventSinkPayload';
  /** The signing secret, shown only here. */
  secret: Scalars['String']['output'];
  sink: EventSink;
};

export type CreateIngestSourceInput = {
  /** An existing object type (e.g. one made from the shopify-customer template). */
  objectType: Scalars['String']['input'];
  /** The shared secret (16–256 characters), e.g. your Shopify app's secret; omitted, one is generated. */
  secret?: InputMaybe<Scalars['String']['input']>;
  /** HMAC_SHA256 only (default X-Signature-256). */
  signatureHeader?: InputMaybe<Scalars['String']['input']>;
  verification: IngestVerification;
};

export type CreateIngestSourcePayload = {
  __typename?: 'CreateIngestSourcePayload';
  /** The secret, shown only here: reads never return it. */
  secret: Scalars['String']['output'];
  source: IngestSource;
};

export type CsvEncoding =
  /** UTF-8 (with or without BOM), else Shift_JIS when the bytes are not valid UTF-8. */
  | 'AUTO'
  | 'SHIFT_JIS'
  | 'UTF_8';

export type DeadLetter = {
  __typename?: 'DeadLetter';
  /** When it was first refused. */
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** When it was last refused. */
  lastSeenAt: Scalars['DateTime']['output'];
  /**
   * The object as received, with NUL characters and lone surrogates replaced by U+FFFD. An object over
   * 16 KiB of JSON is kept as a preview: { "_truncated": true, "_bytes": <its size>, "_preview": "<its
   * first 4 KiB of JSON>" }.
   */
  object: Scalars['JSONObject']['output'];
  objectType: Scalars['String']['output'];
  /** How often this same object was refused for this same reason (re-run imports, redeliveries add here, not new dead letters). */
  occurrences: Scalars['Int']['output'];
  /** Why it was not ingested (the field or key named). */
  reason: Scalars['String']['output'];
};

export type DeadLetterConnection = {
  __typename?: 'DeadLetterConnection';
  edges: Array<DeadLetterEdge>;
  nodes: Array<DeadLetter>;
  pageInfo: PageInfo;
};

export type DeadLetterEdge = {
  __typename?: 'DeadLetterEdge';
  cursor: Scalars['String']['output'];
  node: DeadLetter;
};

export type DeleteProfilePayload = {
  __typename?: 'DeleteProfilePayload';
  deleted: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
};

/** A proposed field: where it comes from, where it goes, and how sure the proposal is. */
export type DetectedField = {
  __typename?: 'DetectedField';
  /** 0–1: dictionary and value shape agreeing is near 1; structure alone is lower. */
  confidence: Scalars['Float']['output'];
  contentType: ContentType;
  name: Scalars['String']['output'];
  /** Why the field was mapped this way (the dictionary word, the value shape, or the structure). */
  reason: Scalars['String']['output'];
  source: Scalars['String']['output'];
  target?: Maybe<Scalars['String']['output']>;
};

export type DetectedKey = {
  __typename?: 'DetectedKey';
  confidence: Scalars['Float']['output'];
  fieldNames: Array<Scalars['String']['output']>;
  identifiers: Array<KeyIdentifier>;
  name: Scalars['String']['output'];
  reason: Scalars['String']['output'];
};

/** What detectObjectType proposes; objectType is a complete putObjectType input to review and submit. */
export type DetectedObjectType = {
  __typename?: 'DetectedObjectType';
  fields: Array<DetectedField>;
  keys: Array<DetectedKey>;
  /** A putObjectType input (name "Detected"): rename it, adjust, and submit. */
  objectType: Scalars['JSONObject']['output'];
  warnings: Array<Scalars['String']['output']>;
};

/** A domain is a tenant: its profiles, objects and keys are invisible to every other domain. */
export type Domain = {
  __typename?: 'Domain';
  createdAt: Scalars['DateTime']['output'];
  /** Profiles not updated for this many days are deleted by the retention sweep. null = keep forever. */
  defaultExpirationDays?: Maybe<Scalars['Int']['output']>;
  /** Region (ISO 3166-1 alpha-2) used to read phone numbers written without a country code. */
  defaultPhoneRegion: Scalars['String']['output'];
  /** Days the event stream keeps events for replay. */
  eventRetentionDays: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

/**
 * An outbound stream of the domain's events, in order per profile (strictly in event-id order with
 * PROFILEGRAPH_SINK_CONCURRENCY=1 or batchSize > 1), at least once; every delivery of an event to a sink carries the same idempotency id (Idempotency-Key header,
 * Nats-Msg-Id), so a receiver that dedupes by it sees each event exactly once.
 */
export type EventSink = {
  __typename?: 'EventSink';
  /** WEBHOOK: events per request (1: one event per body; more: a JSON array, batches in event-id order). */
  batchSize: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Events delivered since the sink was created. */
  delivered: Scalars['Float']['output'];
  /** When the current run of failures began (null while deliveries succeed). */
  failingSince?: Maybe<Scalars['DateTime']['output']>;
  filter: EventSinkFilter;
  id: Scalars['ID']['output'];
  kind: EventSinkKind;
  lastError?: Maybe<Scalars['String']['output']>;
  lastErrorAt?: Maybe<Scalars['DateTime']['output']>;
  /** The last event id delivered (or skipped by types and filter); the next delivery is after it. */
  position: Scalars['ID']['output'];
  status: EventSinkStatus;
  subject?: Maybe<Scalars['String']['output']>;
  /** Event types delivered (empty: all). */
  types: Array<EventType>;
  url?: Maybe<Scalars['String']['output']>;
};

export type EventSinkFilter = {
  __typename?: 'EventSinkFilter';
  objectTypes: Array<Scalars['String']['output']>;
  profileIds: Array<Scalars['ID']['output']>;
};

export type EventSinkFilterInput = {
  /** Only events whose objectType is one of these (profile, contact, case, order, segment, or a custom object type). */
  objectTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Only events of these profiles. */
  profileIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type EventSinkKind =
  /** Publish each event to a NATS JetStream subject (the server's PROFILEGRAPH_NATS_URL), Nats-Msg-Id = the idempotency id. */
  | 'NATS'
  /** POST each event to url, signed: Profilegraph-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>. */
  | 'WEBHOOK';

export type EventSinkStatus =
  | 'ACTIVE'
  /** Deliveries have failed for longer than the server's limit (lastError says why); retries go on at the longest delay, and the first success makes it ACTIVE again. */
  | 'FAILING'
  | 'PAUSED';

/** What happened, as recorded in the domain's event log. */
export type EventType =
  | 'CASE_CREATED'
  | 'CASE_UPDATED'
  | 'CONTACT_RECORDED'
  /** Profiles were merged into this one (on the main profile, objectType "merge", objectId the merge id), or this profile was merged into another (on the merged profile). */
  | 'MERGED'
  /** The retention sweep deleted an object older than its object type's expirationDays. */
  | 'OBJECT_EXPIRED'
  /** An object of a custom object type was ingested (putProfileObject, imports). */
  | 'OBJECT_INGESTED'
  | 'ORDER_RECORDED'
  | 'PROFILE_CREATED'
  | 'PROFILE_DELETED'
  /** The retention sweep deleted the profile (not updated for the domain's defaultExpirationDays). */
  | 'PROFILE_EXPIRED'
  | 'PROFILE_UPDATED'
  /** A profile entered a segment (objectType "segment", objectId its name). */
  | 'SEGMENT_ENTERED'
  /** A profile left a segment. */
  | 'SEGMENT_EXITED'
  /** A merge was undone (on the main profile and on every restored profile). */
  | 'UNMERGED';

export type ExportFile = {
  __typename?: 'ExportFile';
  bytes: Scalars['Float']['output'];
  /** Download it over HTTP: GET <server>/exports/<job id>/<file> with the same domain API key. */
  downloadPath: Scalars['String']['output'];
  /** The file's name (`profile.csv`), the last part of downloadPath. */
  name: Scalars['String']['output'];
  objectType: Scalars['String']['output'];
  /**
   * The file's name, like `name`: server paths are not shown.
   * @deprecated Server paths are not shown to API clients; use name, and downloadPath to fetch the file.
   */
  path: Scalars['String']['output'];
  rows: Scalars['Int']['output'];
};

export type ExportFormat =
  /** RFC 4180 with a header row; see the README for the columns of each kind. */
  | 'CSV'
  /** One JSON object per line, nested values kept nested. */
  | 'JSONL';

export type ExportResult = {
  __typename?: 'ExportResult';
  /**
   * The job's download folder, `/exports/<job id>/`: each file's downloadPath is this plus its name.
   * @deprecated Server paths are not shown to API clients; use each file's downloadPath.
   */
  directory: Scalars['String']['output'];
  files: Array<ExportFile>;
  format: ExportFormat;
  /** Rows written in all. */
  rows: Scalars['Int']['output'];
};

/** One changed field. before/after are JSON-encoded values (null when the field was empty). */
export type FieldChange = {
  __typename?: 'FieldChange';
  after?: Maybe<Scalars['String']['output']>;
  before?: Maybe<Scalars['String']['output']>;
  field: Scalars['String']['output'];
};

export type FindOrCreateOutcome =
  /** Several profiles matched; none is returned, see candidates. */
  | 'AMBIGUOUS'
  /** Nothing matched; a profile was created from the input. */
  | 'CREATED'
  /** Exactly one profile matched; it is returned. */
  | 'MATCHED';

export type FindOrCreateProfilePayload = {
  __typename?: 'FindOrCreateProfilePayload';
  candidates: Array<Profile>;
  created: Scalars['Boolean']['output'];
  matchedKeys: Array<Scalars['String']['output']>;
  outcome: FindOrCreateOutcome;
  profile?: Maybe<Profile>;
};

export type Gender =
  | 'FEMALE'
  | 'MALE'
  | 'UNSPECIFIED';

export type ImportCounts = {
  __typename?: 'ImportCounts';
  attached: Scalars['Int']['output'];
  createdProfiles: Scalars['Int']['output'];
  failed: Scalars['Int']['output'];
  rows: Scalars['Int']['output'];
  /** Rows identical to what was already stored (re-runs). */
  unchanged: Scalars['Int']['output'];
};

export type ImportCsvInput = {
  /** CSV text (UTF-8). Rows holding text that cannot be stored (NUL, lone surrogates) are reported by line. */
  content?: InputMaybe<Scalars['String']['input']>;
  /** CSV bytes, base64: use this for Shift_JIS files. */
  contentBase64?: InputMaybe<Scalars['String']['input']>;
  /** Validate every row and count, writing nothing (no objects, profiles, dead letters or events). */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** Bytes' encoding (contentBase64); content is text and needs none. */
  encoding?: InputMaybe<CsvEncoding>;
  objectType: Scalars['String']['input'];
};

export type ImportResult = {
  __typename?: 'ImportResult';
  counts: ImportCounts;
  /** The first 1,000 bad rows with line numbers; counts.failed has the total. */
  errors: Array<ImportRowError>;
};

export type ImportRowError = {
  __typename?: 'ImportRowError';
  /** 1-based line number in the file (the header is line 1). */
  line: Scalars['Int']['output'];
  reason: Scalars['String']['output'];
};

/** An industry template: custom attributes it expects, calculated attributes and segments. */
export type IndustryTemplate =
  | 'AIRLINE'
  | 'HOTEL'
  | 'RETAIL';

/** What a template holds, to show before applying it. */
export type IndustryTemplateInfo = {
  __typename?: 'IndustryTemplateInfo';
  calculatedAttributes: Array<TemplateCalculatedAttribute>;
  customAttributes: Array<TemplateCustomAttribute>;
  description: Scalars['String']['output'];
  segments: Array<TemplateSegment>;
  template: IndustryTemplate;
};

export type IngestOutcome =
  /** Attached to an existing profile (by a PROFILE or SECONDARY key, or the object's earlier profile). */
  | 'ATTACHED'
  /** No profile matched; one was created from the object (allowProfileCreation). */
  | 'CREATED_PROFILE'
  /** Could not be ingested; stored in the dead-letter table with the reason. */
  | 'DEAD_LETTERED';

/** An inbound webhook endpoint: deliveries POSTed to path are ingested into objectType. */
export type IngestSource = {
  __typename?: 'IngestSource';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  objectType: Scalars['String']['output'];
  /** Where the sender posts: /ingest/<id> on this server. */
  path: Scalars['String']['output'];
  /** HMAC_SHA256 only: the header carrying the signature. */
  signatureHeader?: Maybe<Scalars['String']['output']>;
  verification: IngestVerification;
};

/** How POST /ingest/<source id> checks that a delivery comes from the sender. */
export type IngestVerification =
  /** Authorization: Bearer <secret>; Idempotency-Key or X-Delivery-Id dedupes. */
  | 'BEARER_TOKEN'
  /** A header (signatureHeader, default X-Signature-256) = hex (optionally "sha256="-prefixed) or base64 HMAC-SHA256 of the body; Idempotency-Key or X-Delivery-Id dedupes. */
  | 'HMAC_SHA256'
  /** Shopify webhooks: X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256 of the body with the app's secret; X-Shopify-Webhook-Id dedupes. */
  | 'SHOPIFY_HMAC';

/**
 * A rule-based observation about a profile, explained by its facts. Kinds and their facts:
 * - FREQUENT_CALLER (INFO): more than 5 contacts in the last 30 days, or the window and threshold of the
 *   domain's frequentCaller calculated attribute when it is "COUNT of contacts in N days GREATER_THAN M"
 *   — contactsInWindow, windowDays, threshold, rule ("calculated:frequentCaller" or "default").
 * - OPEN_HIGH_PRIORITY_CASE (WARNING; CRITICAL when one is URGENT): open (not RESOLVED/CLOSED) HIGH or
 *   URGENT cases — openHighPriorityCases, and of the newest: caseId, title, priority, status, openedAt.
 * - NO_RECENT_CONTACT (INFO): the last contact is older than noContactDays — lastContactAt,
 *   daysSinceLastContact, thresholdDays. (A profile never contacted gets none.)
 * - VIP (INFO): orders (not cancelled) in one currency total at least vipOrderTotal — totalOrderValue,
 *   currency, orderCount, threshold.
 * - PROBABLE_DUPLICATE (WARNING): identity matching suggests other profiles — candidateProfileIds,
 *   confidence, matchedFields.
 */
export type Insight = {
  __typename?: 'Insight';
  facts: Array<InsightFact>;
  /** FREQUENT_CALLER | OPEN_HIGH_PRIORITY_CASE | NO_RECENT_CONTACT | VIP | PROBABLE_DUPLICATE | ... */
  kind: Scalars['String']['output'];
  /** INFO | WARNING | CRITICAL */
  severity: Scalars['String']['output'];
};

/** One fact behind an insight. */
export type InsightFact = {
  __typename?: 'InsightFact';
  /** stable key the page translates, e.g. contactsInWindow */
  key: Scalars['String']['output'];
  /** JSON-encoded value (number, string, date) */
  value: Scalars['String']['output'];
};

/**
 * A long-running job of this domain (import, export). Jobs run on a Postgres job queue; poll `job(id)`
 * for status and progress. Running jobs can be cancelled with cancelJob.
 */
export type Job = {
  __typename?: 'Job';
  /** True once cancelJob was called; a running job stops at its next checkpoint. */
  cancelRequested: Scalars['Boolean']['output'];
  counts: Array<JobCount>;
  createdAt: Scalars['DateTime']['output'];
  /** Why the job failed. */
  error?: Maybe<Scalars['String']['output']>;
  /** The files of a succeeded export; null for other jobs and before the export has finished. */
  export?: Maybe<ExportResult>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  kind: JobKind;
  /** What the job was started with. */
  params: Scalars['JSONObject']['output'];
  progress: JobProgress;
  /** What a succeeded job produced (kind-specific; exports also have the typed `export` field). */
  result?: Maybe<Scalars['JSONObject']['output']>;
  /** The first 1,000 bad rows. */
  rowErrors: Array<JobRowError>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: JobStatus;
};

export type JobConnection = {
  __typename?: 'JobConnection';
  edges: Array<JobEdge>;
  nodes: Array<Job>;
  pageInfo: PageInfo;
};

/** A kind-specific count (rows seen, written, failed …). */
export type JobCount = {
  __typename?: 'JobCount';
  name: Scalars['String']['output'];
  value: Scalars['Int']['output'];
};

export type JobEdge = {
  __typename?: 'JobEdge';
  cursor: Scalars['String']['output'];
  node: Job;
};

export type JobKind =
  /** Recomputes a changed calculated attribute for every profile of a large domain. */
  | 'CALCULATED_BACKFILL'
  | 'EXPORT'
  | 'IMPORT'
  /** The full identity-resolution matching job (runMatchingJob, and the weekly schedule). */
  | 'MATCHING';

export type JobProgress = {
  __typename?: 'JobProgress';
  /** Units done (rows, for imports and exports). */
  done: Scalars['Int']['output'];
  /** Units in all, when known. */
  total?: Maybe<Scalars['Int']['output']>;
};

export type JobRowError = {
  __typename?: 'JobRowError';
  /** 1-based line (imports) or row number (exports) of the bad row. */
  line: Scalars['Int']['output'];
  reason: Scalars['String']['output'];
};

export type JobStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

/**
 * What a key does (PRODUCT.md): UNIQUE identifies the object (re-ingesting replaces it); PROFILE
 * identifies a profile; SECONDARY is tried only after every PROFILE key failed; LOOKUP_ONLY is used
 * to match but not stored; NEW_ONLY is stored only when this object created the profile.
 */
export type KeyIdentifier =
  | 'LOOKUP_ONLY'
  | 'NEW_ONLY'
  | 'PROFILE'
  | 'SECONDARY'
  | 'UNIQUE';

export type LogicalOperator =
  | 'AND'
  | 'OR';

/** A profile the explorer's search box found, with what matched. */
export type LookupHit = {
  __typename?: 'LookupHit';
  /** which keys/fields matched, e.g. ["_phone"], ["_email"], ["name"], ["_account"] */
  matchedKeys: Array<Scalars['String']['output']>;
  profile: Profile;
};

export type LookupResult = {
  __typename?: 'LookupResult';
  /** exact identifier matches first (id, phone, e-mail, keys), then name matches; at most `first` */
  hits: Array<LookupHit>;
  /** how the text was read: PHONE | EMAIL | NAME | KEY | ID */
  interpretedAs: Array<Scalars['String']['output']>;
  /** the normalised value searched for (E.164 phone, lower-cased e-mail, …) */
  normalized?: Maybe<Scalars['String']['output']>;
};

export type MappingSuggestion = {
  __typename?: 'MappingSuggestion';
  columns: Array<ColumnSuggestion>;
  /** A complete putObjectType input: review it, then submit it as is. */
  objectType: Scalars['JSONObject']['output'];
  warnings: Array<Scalars['String']['output']>;
};

/** What a rule attribute compares (normalised: case, width, kana, diacritics, nicknames, E.164, address abbreviations). */
export type MatchAttributeType =
  | 'ACCOUNT_NUMBER'
  /** address1, address2, city, postal code and country together */
  | 'ADDRESS'
  /** custom attributes named in fields (any of them) */
  | 'ATTRIBUTE'
  | 'BIRTH_DATE'
  | 'BUSINESS_NAME'
  /** any of the listed e-mail fields (default all three: a business e-mail may match a personal one) */
  | 'EMAIL'
  | 'FIRST_NAME'
  | 'LAST_NAME'
  | 'MIDDLE_NAME'
  /** any of the listed phone fields (default all four) */
  | 'PHONE';

/** How an auto-merge resolves a field the profiles disagree on. */
export type MatchConflictResolution =
  /** the most recently updated profile's value */
  | 'RECENCY'
  /** the value from the first source in sourcePriority */
  | 'SOURCE';

export type MatchField = {
  __typename?: 'MatchField';
  /** e.g. emailAddress, firstName, lastName, phone, birthDate, address */
  field: Scalars['String']['output'];
  /** EXACT | FUZZY | DIFFERENT | MISSING (or a rule name) */
  level: Scalars['String']['output'];
  /** log2 Bayes factor contributed */
  weight: Scalars['Float']['output'];
};

export type MatchGroup = {
  __typename?: 'MatchGroup';
  confidence: Scalars['Float']['output'];
  createdAt: Scalars['DateTime']['output'];
  fields: Array<MatchField>;
  id: Scalars['ID']['output'];
  /** the merge that folded the group (auto-merge) */
  mergeId?: Maybe<Scalars['String']['output']>;
  method: Scalars['String']['output'];
  profiles: Array<Profile>;
  /** SUGGESTED | MERGED | DISMISSED */
  status: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type MatchGroupConnection = {
  __typename?: 'MatchGroupConnection';
  edges: Array<MatchGroupEdge>;
  nodes: Array<MatchGroup>;
  pageInfo: PageInfo;
};

export type MatchGroupEdge = {
  __typename?: 'MatchGroupEdge';
  cursor: Scalars['String']['output'];
  node: MatchGroup;
};

export type MatchRule = {
  __typename?: 'MatchRule';
  attributes: Array<MatchRuleAttribute>;
  /** 1-based; a match by this level is reported as method RULE:<level> */
  level: Scalars['Int']['output'];
};

export type MatchRuleAttribute = {
  __typename?: 'MatchRuleAttribute';
  fields: Array<Scalars['String']['output']>;
  type: MatchAttributeType;
};

export type MatchRuleAttributeInput = {
  /** EMAIL: emailAddress, personalEmailAddress, businessEmailAddress; PHONE: phoneNumber, mobilePhoneNumber, homePhoneNumber, businessPhoneNumber; ATTRIBUTE: custom attribute keys (1..10). Others take none. */
  fields?: InputMaybe<Array<Scalars['String']['input']>>;
  type: MatchAttributeType;
};

/** One rule level: profiles match when they agree on every attribute (an AND). */
export type MatchRuleInput = {
  attributes: Array<MatchRuleAttributeInput>;
};

export type MatchingConfig = {
  __typename?: 'MatchingConfig';
  autoMergeThreshold?: Maybe<Scalars['Float']['output']>;
  compareAttributes: Array<Scalars['String']['output']>;
  conflictResolution: MatchConflictResolution;
  emailPlusTags: Scalars['Boolean']['output'];
  emailProviderDots: Scalars['Boolean']['output'];
  enabled: Scalars['Boolean']['output'];
  lowCardinalityLimit: Scalars['Int']['output'];
  onWrite: Scalars['Boolean']['output'];
  probabilistic: Scalars['Boolean']['output'];
  rules: Array<MatchRule>;
  scheduled: Scalars['Boolean']['output'];
  sourcePriority: Array<Scalars['String']['output']>;
  suggestThreshold: Scalars['Float']['output'];
  /** true once a full matching job has trained the probabilistic model on this domain's profiles */
  trained: Scalars['Boolean']['output'];
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** 0 while the domain has no configuration (these are the defaults) */
  version: Scalars['Int']['output'];
};

export type MatchingConfigInput = {
  /** groups at or above this confidence (0..1, ≥ suggestThreshold) are merged automatically; null = never (default) */
  autoMergeThreshold?: InputMaybe<Scalars['Float']['input']>;
  /** custom attribute keys the probabilistic model also compares (≤ 20) */
  compareAttributes?: InputMaybe<Array<Scalars['String']['input']>>;
  conflictResolution?: InputMaybe<MatchConflictResolution>;
  /** e-mail: ignore a +tag of the local part */
  emailPlusTags?: InputMaybe<Scalars['Boolean']['input']>;
  /** e-mail: ignore dots of the local part at gmail.com / googlemail.com */
  emailProviderDots?: InputMaybe<Scalars['Boolean']['input']>;
  /** match on write and on schedule (default true once configured) */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** a rule key whose every value is shared by more than this many profiles is skipped (2..100000, default 500) */
  lowCardinalityLimit?: InputMaybe<Scalars['Int']['input']>;
  /** check each created or changed profile right after the write (default true) */
  onWrite?: InputMaybe<Scalars['Boolean']['input']>;
  /** Fellegi–Sunter matching on names, birth date, e-mail, phone, address, account and business name (default true) */
  probabilistic?: InputMaybe<Scalars['Boolean']['input']>;
  /** up to 15 ordered rule levels, each an AND of 1..15 attributes */
  rules?: InputMaybe<Array<MatchRuleInput>>;
  /** run the full matching job on the weekly schedule (default true) */
  scheduled?: InputMaybe<Scalars['Boolean']['input']>;
  /** object-type / source names for SOURCE, first wins (≤ 50) */
  sourcePriority?: InputMaybe<Array<Scalars['String']['input']>>;
  /** groups at or above this confidence (0..1, default 0.8) are suggested */
  suggestThreshold?: InputMaybe<Scalars['Float']['input']>;
};

/** How mergeProfiles picks a field's value among the profiles when fieldSources does not name one. */
export type MergeConflictResolution =
  /** The value of the most recently updated profile that has one (ties: the main profile, then the order of profileIdsToMerge). */
  | 'RECENCY'
  /**
   * The value of the profile whose best source comes first in sourcePriority. A profile's sources are
   * the object types it holds objects of (`_ctr`, `_case`, `_order`, custom types) and `manual` for
   * a field a person set; a profile with no listed source ranks last; ties fall back to RECENCY.
   */
  | 'SOURCE';

export type MergeFieldSourceInput = {
  /** profile field name, e.g. firstName, emailAddress, address (a whole address), attributes (the whole map); address.city is NOT allowed: use address */
  field: Scalars['String']['input'];
  profileId: Scalars['ID']['input'];
};

export type MergeProfilesInput = {
  conflictResolution?: InputMaybe<MergeConflictResolution>;
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** per-field choice of the source profile; fields not listed follow conflictResolution */
  fieldSources?: InputMaybe<Array<MergeFieldSourceInput>>;
  mainProfileId: Scalars['ID']['input'];
  /** 1..20 other profiles folded into the main one */
  profileIdsToMerge: Array<Scalars['ID']['input']>;
  /** with SOURCE: object-type / source names, first wins (at most 50) */
  sourcePriority?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type MergeProfilesPayload = {
  __typename?: 'MergeProfilesPayload';
  dryRun: Scalars['Boolean']['output'];
  /** null for a dry run */
  merge?: Maybe<ProfileMerge>;
  movedObjects: Array<MovedObject>;
  result: MergedProfilePreview;
};

/** The main profile as it is (or, for a dry run, would be) after the merge — plain values, not the Profile type */
export type MergedProfilePreview = {
  __typename?: 'MergedProfilePreview';
  /** every standard field, addresses and attributes as the Profile type would show them */
  fields: Scalars['JSONObject']['output'];
  id: Scalars['ID']['output'];
  version: Scalars['Int']['output'];
};

export type MovedObject = {
  __typename?: 'MovedObject';
  fromProfileId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  /** contact | case | order | object:<type> */
  kind: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  _noop?: Maybe<Scalars['Boolean']['output']>;
  /**
   * Installs a template's calculated attributes and segments that the domain lacks (by name; existing
   * ones are kept). Idempotent: applying it again installs nothing and reports everything as existing.
   */
  applyTemplate: TemplateResult;
  /**
   * Cancels a queued or running job of this domain (a running job stops at its next checkpoint; rows
   * already written by an import stay). Cancelling a finished job changes nothing. NOT_FOUND for an
   * unknown id or another domain's job.
   */
  cancelJob: Job;
  /** Admin: issue another API key for a domain. */
  createApiKey: CreateApiKeyPayload;
  createCase: CreateCasePayload;
  /** Admin: create a domain and its first API key. */
  createDomain: CreateDomainPayload;
  createEventSink: CreateEventSinkPayload;
  /**
   * Creates an inbound webhook endpoint, POST /ingest/<id>: one JSON object or an array (≤ 500) per
   * delivery, answered 202 once stored; objects are ingested through the pipeline moments later (bad
   * ones dead-lettered with the reason); a repeated delivery id is ignored.
   */
  createIngestSource: CreateIngestSourcePayload;
  createProfile: Profile;
  /** Deletes a calculated attribute and its values (NOT_FOUND when there is none). */
  deleteCalculatedAttribute: Scalars['Boolean']['output'];
  /** Admin: delete a domain and purge every row of it. */
  deleteDomain: Scalars['Boolean']['output'];
  deleteEventSink: Scalars['Boolean']['output'];
  deleteIngestSource: Scalars['Boolean']['output'];
  /** Deletes an object type with all its objects. */
  deleteObjectType: Scalars['Boolean']['output'];
  /** Deletes the profile with its contacts, cases and orders. */
  deleteProfile: DeleteProfilePayload;
  /** Deletes a segment (false when there is none); refused with CONFLICT while others reference it. */
  deleteSegment: Scalars['Boolean']['output'];
  /** Marks a SUGGESTED group as not one person: later jobs and writes do not suggest the same profiles again. NOT_FOUND for an unknown id or another domain's group; CONFLICT for a MERGED group. */
  dismissMatch: MatchGroup;
  /**
   * New-caller flow: find the profile by the input's phone and email (any match); create it from the
   * input when nothing matches.
   */
  findOrCreateProfile: FindOrCreateProfilePayload;
  /** Imports CSV content into an object type now (up to the request size limit); large files: the CLI or an import job. */
  importCsv: ImportResult;
  /**
   * Adds the default calculated attributes this domain lacks (new domains get them at creation):
   * mostFrequentChannel, lastChannel, lastAgent, frequentCaller, averageQueueWaitSeconds,
   * contactCount, openCaseCount, totalOrderValue, lastOrderDate. Returns the names added.
   */
  installDefaultCalculatedAttributes: Array<Scalars['String']['output']>;
  /**
   * Folds 1–20 profiles into a main one, in one transaction: fields resolved per fieldSources, else by
   * conflictResolution; keys and every object (contacts, cases, orders, custom objects) move to the
   * main profile; the others are removed (kept in the merge journal). dryRun returns the result and
   * the objects that would move and writes nothing.
   */
  mergeProfiles: MergeProfilesPayload;
  /** Stops deliveries; resumeEventSink continues from the first event not yet delivered. */
  pauseEventSink: EventSink;
  /**
   * Defines or replaces a calculated attribute and recomputes it for every profile from the objects
   * already stored: in this call for small domains, else by a backfill job (backfillJobId).
   */
  putCalculatedAttribute: CalculatedAttributeDefinition;
  /** Replaces this domain's matching configuration (fields left out take their defaults). */
  putMatchingConfig: MatchingConfig;
  /** Creates or replaces an object type (existing objects keep their data; new keys apply to new ingestion). */
  putObjectType: ObjectType;
  /**
   * Saves the domain's profile page layout: panels in order, panels left out are hidden. Each panel
   * at most once; CARD is required. Errors: BAD_USER_INPUT with extensions.reason DUPLICATE_PANEL or
   * CARD_REQUIRED.
   */
  putProfileLayout: ProfileLayout;
  /**
   * Ingests one object of an object type: matches it to a profile with the type's keys (PRODUCT.md's
   * algorithm), writes its mapped fields to the profile (never over fields a person set by hand), and
   * stores it. Idempotent on the UNIQUE key. Built-in types: _ctr, _case, _order.
   */
  putProfileObject: PutProfileObjectResult;
  /** Up to 500 objects; each is ingested (or dead-lettered) on its own, so one bad object never blocks the rest. */
  putProfileObjects: PutProfileObjectsPayload;
  /** Creates or replaces a segment (a bad rule is refused with the path of the offending clause). */
  putSegment: Segment;
  recordContact: RecordContactPayload;
  recordOrder: RecordOrderPayload;
  /** Delivers again from fromEventId (inclusive), with the same idempotency ids as the first time. */
  replayEventSink: EventSink;
  resumeEventSink: EventSink;
  /** Admin: revoke an API key; it stops working at once on this instance. */
  revokeApiKey: ApiKey;
  /** starts the full matching job; progress through the existing Job type */
  runMatchingJob: Job;
  /**
   * Runs the retention sweep for this domain now (it also runs on a schedule for every domain).
   * Each deleted profile writes a PROFILE_EXPIRED event, each deleted object an OBJECT_EXPIRED event.
   */
  runRetentionSweep: RetentionSweepResult;
  /**
   * Starts an export job: each object type's records, streamed to one file each in this domain's
   * export folder. Poll job(id) for progress and the files; cancel with cancelJob. A domain can have a
   * limited number of exports queued or running at once (LIMIT_EXCEEDED past it).
   */
  startExport: Job;
  /**
   * Starts an import job (large files): poll importJob(id) for status, progress, counts and line-numbered
   * bad rows; cancelJob(id) stops it (rows already written stay; re-running is idempotent).
   */
  startImport: Job;
  /** Undoes a merge exactly (see the README's "Merging profiles" for the rules). */
  unmergeProfiles: UnmergeProfilesPayload;
  /** Partial update; omitted fields are kept. With expectedVersion, a stale version fails with CONFLICT. */
  updateCase: Case;
  /** Admin: change a domain's settings (omitted fields are kept; null expiration keeps forever). */
  updateDomain: Domain;
  /** Partial update. With expectedVersion, fails with CONFLICT if the profile changed since. */
  updateProfile: Profile;
};


export type MutationApplyTemplateArgs = {
  template: IndustryTemplate;
};


export type MutationCancelJobArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateApiKeyArgs = {
  domain: Scalars['String']['input'];
  name: Scalars['String']['input'];
};


export type MutationCreateCaseArgs = {
  input: CreateCaseInput;
};


export type MutationCreateDomainArgs = {
  input: CreateDomainInput;
};


export type MutationCreateEventSinkArgs = {
  input: CreateEventSinkInput;
};


export type MutationCreateIngestSourceArgs = {
  input: CreateIngestSourceInput;
};


export type MutationCreateProfileArgs = {
  input: ProfileInput;
};


export type MutationDeleteCalculatedAttributeArgs = {
  name: Scalars['String']['input'];
};


export type MutationDeleteDomainArgs = {
  name: Scalars['String']['input'];
};


export type MutationDeleteEventSinkArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteIngestSourceArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteObjectTypeArgs = {
  name: Scalars['String']['input'];
};


export type MutationDeleteProfileArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


export type MutationDeleteSegmentArgs = {
  name: Scalars['String']['input'];
};


export type MutationDismissMatchArgs = {
  id: Scalars['ID']['input'];
};


export type MutationFindOrCreateProfileArgs = {
  input: ProfileInput;
};


export type MutationImportCsvArgs = {
  input: ImportCsvInput;
};


export type MutationMergeProfilesArgs = {
  input: MergeProfilesInput;
};


export type MutationPauseEventSinkArgs = {
  id: Scalars['ID']['input'];
};


export type MutationPutCalculatedAttributeArgs = {
  input: PutCalculatedAttributeInput;
};


export type MutationPutMatchingConfigArgs = {
  input: MatchingConfigInput;
};


export type MutationPutObjectTypeArgs = {
  input: PutObjectTypeInput;
};


export type MutationPutProfileLayoutArgs = {
  panels: Array<ProfilePanel>;
};


export type MutationPutProfileObjectArgs = {
  object: Scalars['JSONObject']['input'];
  objectType: Scalars['String']['input'];
};


export type MutationPutProfileObjectsArgs = {
  objectType: Scalars['String']['input'];
  objects: Array<Scalars['JSONObject']['input']>;
};


export type MutationPutSegmentArgs = {
  input: PutSegmentInput;
};


export type MutationRecordContactArgs = {
  input: RecordContactInput;
};


export type MutationRecordOrderArgs = {
  input: RecordOrderInput;
};


export type MutationReplayEventSinkArgs = {
  fromEventId: Scalars['ID']['input'];
  id: Scalars['ID']['input'];
};


export type MutationResumeEventSinkArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStartExportArgs = {
  input: StartExportInput;
};


export type MutationStartImportArgs = {
  input: StartImportInput;
};


export type MutationUnmergeProfilesArgs = {
  mergeId: Scalars['ID']['input'];
};


export type MutationUpdateCaseArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  input: UpdateCaseInput;
};


export type MutationUpdateDomainArgs = {
  input: UpdateDomainInput;
  name: Scalars['String']['input'];
};


export type MutationUpdateProfileArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  input: ProfileInput;
};

/**
 * An object with a globally unique id (Relay's Global Object Identification). Profiles, contacts,
 * cases, orders and profile objects are nodes: their `id`, a UUID unique across all of these types,
 * refetches them with `node(id)` whatever their type.
 */
export type Node = {
  /** The object's id (a UUID, unique across every Node type). */
  id: Scalars['ID']['output'];
};

export type ObjectType = {
  __typename?: 'ObjectType';
  allowProfileCreation: Scalars['Boolean']['output'];
  /** Built-in types (_ctr, _case, _order) are fixed; their objects are contacts, cases and orders. */
  builtIn: Scalars['Boolean']['output'];
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  /** Objects not updated for this many days are deleted by the retention sweep; null keeps them. */
  expirationDays?: Maybe<Scalars['Int']['output']>;
  fields: Array<ObjectTypeField>;
  keys: Array<ObjectTypeKey>;
  /** Data limit: at most this many objects of the type per profile; the newest are kept. */
  maxObjectsPerProfile?: Maybe<Scalars['Int']['output']>;
  name: Scalars['String']['output'];
  /** When two object types write the same profile field, the higher priority wins. */
  sourcePriority: Scalars['Int']['output'];
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type ObjectTypeField = {
  __typename?: 'ObjectTypeField';
  contentType: ContentType;
  name: Scalars['String']['output'];
  /** _source.path.to.value, or a template such as "{{_source.first}} {{_source.last}}". */
  source: Scalars['String']['output'];
  /** _profile.EmailAddress, _profile.Address.PostalCode, _profile.Attributes.x — or null to keep it on the object only. */
  target?: Maybe<Scalars['String']['output']>;
};

export type ObjectTypeFieldInput = {
  contentType?: InputMaybe<ContentType>;
  name: Scalars['String']['input'];
  source: Scalars['String']['input'];
  target?: InputMaybe<Scalars['String']['input']>;
};

export type ObjectTypeKey = {
  __typename?: 'ObjectTypeKey';
  fieldNames: Array<Scalars['String']['output']>;
  identifiers: Array<KeyIdentifier>;
  /** Key names are domain-wide: the same name in two object types links their objects into one profile. _phone, _email and _account match profiles' own fields. */
  name: Scalars['String']['output'];
};

export type ObjectTypeKeyInput = {
  fieldNames: Array<Scalars['String']['input']>;
  identifiers: Array<KeyIdentifier>;
  name: Scalars['String']['input'];
};

/** A built-in, versioned mapping for a common system's record (ACCP's object type templates). */
export type ObjectTypeTemplate = {
  __typename?: 'ObjectTypeTemplate';
  allowProfileCreation: Scalars['Boolean']['output'];
  description: Scalars['String']['output'];
  fields: Array<ObjectTypeField>;
  /** Pass as putObjectType(input: { name, templateId }). */
  id: Scalars['String']['output'];
  keys: Array<ObjectTypeKey>;
  /** The system's record name (Customer, Order, Account, Contact, User, Ticket, Incident). */
  record: Scalars['String']['output'];
  /** Shopify, Salesforce, Zendesk or ServiceNow. */
  system: Scalars['String']['output'];
  /** Bumped whenever the template's fields or keys change; a type keeps the version it was created from. */
  version: Scalars['Int']['output'];
};

export type Order = Node & {
  __typename?: 'Order';
  attribute?: Maybe<Scalars['String']['output']>;
  attributes: Array<Attribute>;
  cancelledAt?: Maybe<Scalars['DateTime']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** ISO 4217 code, e.g. USD, JPY. */
  currency?: Maybe<Scalars['String']['output']>;
  fulfillmentStatus?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  items: Array<OrderItem>;
  orderId: Scalars['String']['output'];
  orderedAt: Scalars['DateTime']['output'];
  profile: Profile;
  status?: Maybe<Scalars['String']['output']>;
  totalPrice?: Maybe<Scalars['Decimal']['output']>;
  updatedAt: Scalars['DateTime']['output'];
};


export type OrderAttributeArgs = {
  key: Scalars['String']['input'];
};

export type OrderConnection = {
  __typename?: 'OrderConnection';
  edges: Array<OrderEdge>;
  nodes: Array<Order>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type OrderEdge = {
  __typename?: 'OrderEdge';
  cursor: Scalars['String']['output'];
  node: Order;
};

export type OrderItem = {
  __typename?: 'OrderItem';
  price?: Maybe<Scalars['Decimal']['output']>;
  quantity: Scalars['Int']['output'];
  sku?: Maybe<Scalars['String']['output']>;
  title: Scalars['String']['output'];
};

export type OrderItemInput = {
  price?: InputMaybe<Scalars['Decimal']['input']>;
  quantity?: InputMaybe<Scalars['Int']['input']>;
  sku?: InputMaybe<Scalars['String']['input']>;
  title: Scalars['String']['input'];
};

/** Relay page information. */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type PartyType =
  | 'BUSINESS'
  | 'INDIVIDUAL'
  | 'OTHER';

/** A unified customer profile (the ACCP standard field set). */
export type Profile = Node & {
  __typename?: 'Profile';
  accountNumber?: Maybe<Scalars['String']['output']>;
  additionalInformation?: Maybe<Scalars['String']['output']>;
  address?: Maybe<Address>;
  attribute?: Maybe<Scalars['String']['output']>;
  attributes: Array<Attribute>;
  billingAddress?: Maybe<Address>;
  birthDate?: Maybe<Scalars['Date']['output']>;
  businessEmailAddress?: Maybe<Scalars['String']['output']>;
  businessName?: Maybe<Scalars['String']['output']>;
  businessPhoneNumber?: Maybe<Scalars['String']['output']>;
  /** One calculated attribute (null when the domain has none of that name). */
  calculatedAttribute?: Maybe<CalculatedAttributeValue>;
  /** Every calculated attribute of the domain for this profile, by name. */
  calculatedAttributes: Array<CalculatedAttributeValue>;
  /** Cases, newest first. */
  cases: CaseConnection;
  /** Contact history, newest first. */
  contacts: ContactConnection;
  createdAt: Scalars['DateTime']['output'];
  emailAddress?: Maybe<Scalars['String']['output']>;
  firstName?: Maybe<Scalars['String']['output']>;
  /** First, middle and last name joined. */
  fullName?: Maybe<Scalars['String']['output']>;
  gender?: Maybe<Gender>;
  /** The profile's changes, newest first. Kept as long as the profile exists. */
  history: ProfileHistoryConnection;
  homePhoneNumber?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** True when the profile was created automatically from a contact or order of an unknown customer. */
  inferred: Scalars['Boolean']['output'];
  /** Rule-based insights with their facts (see Insight). noContactDays: 1–3650 (default 90); vipOrderTotal: 0–1e12 (default 1000). */
  insights: Array<Insight>;
  lastName?: Maybe<Scalars['String']['output']>;
  mailingAddress?: Maybe<Address>;
  /** merges this profile was the main profile of, newest first */
  merges: Array<ProfileMerge>;
  middleName?: Maybe<Scalars['String']['output']>;
  mobilePhoneNumber?: Maybe<Scalars['String']['output']>;
  /** Objects of custom object types, newest first; all types when type is omitted. */
  objects: ProfileObjectConnection;
  /** Orders, newest first. */
  orders: OrderConnection;
  partyType?: Maybe<PartyType>;
  personalEmailAddress?: Maybe<Scalars['String']['output']>;
  /** Phone numbers are stored in E.164 (+15551234567). */
  phoneNumber?: Maybe<Scalars['String']['output']>;
  /** Names of the segments the profile is in now, sorted. */
  segments: Array<Scalars['String']['output']>;
  shippingAddress?: Maybe<Address>;
  updatedAt: Scalars['DateTime']['output'];
  /** Bumped on every change; pass it as expectedVersion to update safely. */
  version: Scalars['Int']['output'];
};


/** A unified customer profile (the ACCP standard field set). */
export type ProfileAttributeArgs = {
  key: Scalars['String']['input'];
};


/** A unified customer profile (the ACCP standard field set). */
export type ProfileCalculatedAttributeArgs = {
  name: Scalars['String']['input'];
};


/** A unified customer profile (the ACCP standard field set). */
export type ProfileCasesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<CaseStatus>;
};


/** A unified customer profile (the ACCP standard field set). */
export type ProfileContactsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  channel?: InputMaybe<ContactChannel>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A unified customer profile (the ACCP standard field set). */
export type ProfileHistoryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A unified customer profile (the ACCP standard field set). */
export type ProfileInsightsArgs = {
  noContactDays?: InputMaybe<Scalars['Int']['input']>;
  vipOrderTotal?: InputMaybe<Scalars['Float']['input']>;
};


/** A unified customer profile (the ACCP standard field set). */
export type ProfileObjectsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  type?: InputMaybe<Scalars['String']['input']>;
};


/** A unified customer profile (the ACCP standard field set). */
export type ProfileOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ProfileConnection = {
  __typename?: 'ProfileConnection';
  edges: Array<ProfileEdge>;
  nodes: Array<Profile>;
  pageInfo: PageInfo;
};

export type ProfileEdge = {
  __typename?: 'ProfileEdge';
  cursor: Scalars['String']['output'];
  node: Profile;
};

/** An entry of the domain's event stream. */
export type ProfileEvent = {
  __typename?: 'ProfileEvent';
  /** The API key that made the change (null for system changes). */
  actor?: Maybe<Scalars['ID']['output']>;
  changes: Array<FieldChange>;
  /** Per-domain, gapless and increasing in commit order; pass the last one you processed as `after` to resume. */
  id: Scalars['ID']['output'];
  objectId?: Maybe<Scalars['String']['output']>;
  /** profile, contact, case or order. */
  objectType?: Maybe<Scalars['String']['output']>;
  occurredAt: Scalars['DateTime']['output'];
  profileId?: Maybe<Scalars['ID']['output']>;
  type: EventType;
};

/** How a history record changed the profile (ACCP's history record types). */
export type ProfileHistoryAction =
  | 'CREATED'
  | 'DELETED'
  /** The retention sweep removed the profile, or one of its objects, after its expiration period. */
  | 'EXPIRED'
  /** A contact, case, order or custom object was recorded for (or updated on) the profile. */
  | 'INGESTED'
  | 'MERGED'
  | 'UNMERGED'
  | 'UPDATED';

export type ProfileHistoryConnection = {
  __typename?: 'ProfileHistoryConnection';
  edges: Array<ProfileHistoryEdge>;
  nodes: Array<ProfileHistoryRecord>;
  pageInfo: PageInfo;
};

export type ProfileHistoryEdge = {
  __typename?: 'ProfileHistoryEdge';
  cursor: Scalars['String']['output'];
  node: ProfileHistoryRecord;
};

/** One change of a profile or its objects, with who made it. */
export type ProfileHistoryRecord = {
  __typename?: 'ProfileHistoryRecord';
  action: ProfileHistoryAction;
  actor?: Maybe<Scalars['ID']['output']>;
  changes: Array<FieldChange>;
  eventType: EventType;
  /** The event id. */
  id: Scalars['ID']['output'];
  objectId?: Maybe<Scalars['String']['output']>;
  objectType?: Maybe<Scalars['String']['output']>;
  occurredAt: Scalars['DateTime']['output'];
};

/**
 * Profile fields. In createProfile, omitted fields are empty. In updateProfile, omitted fields are
 * kept and an explicit null clears the field.
 */
export type ProfileInput = {
  accountNumber?: InputMaybe<Scalars['String']['input']>;
  additionalInformation?: InputMaybe<Scalars['String']['input']>;
  address?: InputMaybe<AddressInput>;
  /** Set or (value null, in updates) remove attributes; attributes not listed are kept. */
  attributes?: InputMaybe<Array<AttributeInput>>;
  billingAddress?: InputMaybe<AddressInput>;
  birthDate?: InputMaybe<Scalars['Date']['input']>;
  businessEmailAddress?: InputMaybe<Scalars['String']['input']>;
  businessName?: InputMaybe<Scalars['String']['input']>;
  businessPhoneNumber?: InputMaybe<Scalars['String']['input']>;
  emailAddress?: InputMaybe<Scalars['String']['input']>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  gender?: InputMaybe<Gender>;
  homePhoneNumber?: InputMaybe<Scalars['String']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  mailingAddress?: InputMaybe<AddressInput>;
  middleName?: InputMaybe<Scalars['String']['input']>;
  mobilePhoneNumber?: InputMaybe<Scalars['String']['input']>;
  partyType?: InputMaybe<PartyType>;
  personalEmailAddress?: InputMaybe<Scalars['String']['input']>;
  phoneNumber?: InputMaybe<Scalars['String']['input']>;
  shippingAddress?: InputMaybe<AddressInput>;
};

/** The domain's layout of the explorer's profile page: the panels shown, in order. */
export type ProfileLayout = {
  __typename?: 'ProfileLayout';
  panels: Array<ProfilePanel>;
  /** null when the domain never saved one (default order) */
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type ProfileMatch = {
  __typename?: 'ProfileMatch';
  /** 0..1 */
  confidence: Scalars['Float']['output'];
  fields: Array<MatchField>;
  /** RULE:<n> or PROBABILISTIC */
  method: Scalars['String']['output'];
  profile: Profile;
};

/** One merge: the main profile and the profiles folded into it. */
export type ProfileMerge = {
  __typename?: 'ProfileMerge';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  mainProfileId: Scalars['ID']['output'];
  mergedProfileIds: Array<Scalars['ID']['output']>;
  /** MANUAL | AUTO (auto-merge by the matcher) */
  origin: Scalars['String']['output'];
  /** set when the merge was undone */
  unmergedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** An object of a custom object type, attached to one profile. */
export type ProfileObject = Node & {
  __typename?: 'ProfileObject';
  createdAt: Scalars['DateTime']['output'];
  /** The object as ingested. */
  data: Scalars['JSONObject']['output'];
  id: Scalars['ID']['output'];
  objectType: Scalars['String']['output'];
  profile: Profile;
  /** The value of the type's UNIQUE key. */
  uniqueKey: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type ProfileObjectConnection = {
  __typename?: 'ProfileObjectConnection';
  edges: Array<ProfileObjectEdge>;
  nodes: Array<ProfileObject>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ProfileObjectEdge = {
  __typename?: 'ProfileObjectEdge';
  cursor: Scalars['String']['output'];
  node: ProfileObject;
};

/** A panel of the explorer's profile page. */
export type ProfilePanel =
  | 'ADDRESSES'
  | 'ATTRIBUTES'
  | 'CALCULATED'
  | 'CARD'
  | 'CASES'
  | 'CONTACT_CHART'
  | 'IDENTITY'
  | 'INSIGHTS'
  | 'ORDERS'
  | 'SEGMENTS'
  | 'TIMELINE';

export type ProfileSearchConnection = {
  __typename?: 'ProfileSearchConnection';
  edges: Array<ProfileSearchEdge>;
  nodes: Array<Profile>;
  pageInfo: PageInfo;
};

export type ProfileSearchEdge = {
  __typename?: 'ProfileSearchEdge';
  cursor: Scalars['String']['output'];
  /** The search keys this profile matched. */
  matchedKeys: Array<Scalars['String']['output']>;
  node: Profile;
};

export type PutCalculatedAttributeInput = {
  /** All must hold for an object to count (at most 10). */
  conditions?: InputMaybe<Array<CalculatedConditionInput>>;
  description?: InputMaybe<Scalars['String']['input']>;
  /**
   * A field (`channel`, `totalPrice`, `attributes.tier`, a custom object's key), or arithmetic with
   * + - * / and parentheses over at most two fields and numbers, e.g. `disconnectedAt - initiatedAt`
   * (two times subtracted give seconds). Only COUNT may omit it (then it counts objects).
   */
  expression?: InputMaybe<Scalars['String']['input']>;
  /** 1–64 letters, digits or _, starting with a letter; the attribute's identity in this domain. */
  name: Scalars['String']['input'];
  /** _ctr (contacts), _case, _order, or a custom object type of this domain. */
  objectType: Scalars['String']['input'];
  statistic: CalculatedStatistic;
  threshold?: InputMaybe<CalculatedThresholdInput>;
  window?: InputMaybe<CalculatedWindowInput>;
};

export type PutObjectTypeInput = {
  /** Default false (a template's own setting when templateId is given). */
  allowProfileCreation?: InputMaybe<Scalars['Boolean']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  expirationDays?: InputMaybe<Scalars['Int']['input']>;
  /** Required unless templateId is given. */
  fields?: InputMaybe<Array<ObjectTypeFieldInput>>;
  /** Required unless templateId is given. Exactly one key must include UNIQUE. */
  keys?: InputMaybe<Array<ObjectTypeKeyInput>>;
  maxObjectsPerProfile?: InputMaybe<Scalars['Int']['input']>;
  /** Letters, digits, '-' and '_', starting with a letter (names starting with '_' are built-in). */
  name: Scalars['String']['input'];
  sourcePriority?: InputMaybe<Scalars['Int']['input']>;
  /**
   * Start from a built-in template (objectTypeTemplates, e.g. "shopify-customer"): its fields, keys,
   * description and allowProfileCreation are used, so give neither fields nor keys.
   */
  templateId?: InputMaybe<Scalars['String']['input']>;
};

export type PutProfileObjectResult = {
  __typename?: 'PutProfileObjectResult';
  /** Position in the batch (0 for a single put). */
  index: Scalars['Int']['output'];
  /** The key that found the profile, when one did. */
  matchedKey?: Maybe<Scalars['String']['output']>;
  object?: Maybe<ProfileObject>;
  outcome: IngestOutcome;
  profile?: Maybe<Profile>;
  /** Why the object was dead-lettered. */
  reason?: Maybe<Scalars['String']['output']>;
  /** True when an object with the same UNIQUE key existed and was replaced. */
  replaced: Scalars['Boolean']['output'];
};

export type PutProfileObjectsPayload = {
  __typename?: 'PutProfileObjectsPayload';
  attached: Scalars['Int']['output'];
  createdProfiles: Scalars['Int']['output'];
  deadLettered: Scalars['Int']['output'];
  results: Array<PutProfileObjectResult>;
};

export type PutSegmentInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** A letter, then letters, digits, _ or - (at most 64); unique in the domain. An existing name is replaced. */
  name: Scalars['String']['input'];
  /** The rule as a tree; or give `text` instead. */
  rule?: InputMaybe<SegmentRuleInput>;
  /** The rule in its text form, e.g. "attributes.tier = 'gold' and count(_order within 30 days) >= 3". */
  text?: InputMaybe<Scalars['String']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /** Admin: a domain's API keys (without secrets). */
  apiKeys: Array<ApiKey>;
  calculatedAttributeDefinition?: Maybe<CalculatedAttributeDefinition>;
  calculatedAttributeDefinitions: Array<CalculatedAttributeDefinition>;
  /** A case by its id or its caseId. */
  case?: Maybe<Case>;
  /** A contact by its id or by its contactId. */
  contact?: Maybe<Contact>;
  /** The domain the calling API key belongs to. */
  currentDomain: Domain;
  deadLetters: DeadLetterConnection;
  /**
   * Proposes an object type from 1–5 sample objects (ACCP's DetectProfileObjectType): fields, targets,
   * content types and keys, each with a confidence and a reason. Runs locally from a dictionary of
   * field names (English and Japanese), the shape of the values and the structure of the objects.
   */
  detectObjectType: DetectedObjectType;
  /** Admin: one domain by name. */
  domainByName?: Maybe<Domain>;
  /** Admin: every domain. */
  domains: Array<Domain>;
  eventSink?: Maybe<EventSink>;
  eventSinks: Array<EventSink>;
  /** Liveness of the API itself; needs no key. */
  health: Scalars['String']['output'];
  /** An import job of this domain (null for an unknown id, another domain's job, or a job of another kind). */
  importJob?: Maybe<Job>;
  /** Every industry template's contents. */
  industryTemplates: Array<IndustryTemplateInfo>;
  ingestSources: Array<IngestSource>;
  /** One of this domain's jobs; null for an unknown id or another domain's job. */
  job?: Maybe<Job>;
  /** This domain's jobs, newest first. */
  jobs: JobConnection;
  /**
   * phone in any format (domain default region), e-mail, name (first/last, any order, case/diacritics/kana-insensitive where possible), account number or any search key value, or a profile id.
   * text: 1–200 characters; first: 1–100 (default 20).
   */
  lookupProfiles: LookupResult;
  /** Match groups at or above minConfidence, most confident first; status filters (SUGGESTED | MERGED | DISMISSED). */
  matches: MatchGroupConnection;
  /** This domain's matching configuration (the defaults, not enabled, until putMatchingConfig). */
  matchingConfig: MatchingConfig;
  /**
   * The object with this id in the caller's domain, whatever its type; null when there is none (an
   * unknown id, one that is not a UUID, or another domain's object).
   */
  node?: Maybe<Node>;
  /**
   * The objects with these ids (at most 100), in the same order, with null where `node(id)` would
   * answer null. Every id of the request is read in one statement.
   */
  nodes: Array<Maybe<Node>>;
  objectType?: Maybe<ObjectType>;
  /** The built-in object type templates (Shopify, Salesforce, Zendesk, ServiceNow). */
  objectTypeTemplates: Array<ObjectTypeTemplate>;
  /** The domain's object types, built-in ones first. */
  objectTypes: Array<ObjectType>;
  /** An order by its id or its orderId. */
  order?: Maybe<Order>;
  profile?: Maybe<Profile>;
  /** The domain's profile page layout (the default order when none was saved). */
  profileLayout: ProfileLayout;
  profileMerge?: Maybe<ProfileMerge>;
  /**
   * The active merge that folded this profile id into another one (null when it was not merged
   * away). `profile(id)` of a merged-away id returns null, like a deleted one; this tells where it went.
   */
  profileMergedInto?: Maybe<ProfileMerge>;
  profileObject?: Maybe<ProfileObject>;
  /** Profiles of the domain, newest first. */
  profiles: ProfileConnection;
  /** Dry run of the retention sweep for this domain: counts and a sample, nothing deleted. */
  retentionPreview: RetentionPreview;
  /**
   * Profiles matching key=values; additionalKeys (≤4) are combined with operator (default OR).
   * Within one key any value matches.
   */
  searchProfiles: ProfileSearchConnection;
  segment?: Maybe<Segment>;
  /** Parses a rule's text form into the rule tree (checked; errors give the position). */
  segmentFromText: Scalars['JSONObject']['output'];
  /** Whether each of up to 100 profiles is in the segment now (unknown ids: false). */
  segmentMembership: Array<SegmentMembership>;
  /**
   * An unsaved rule's text form, checked against the domain like putSegment and counted (nothing is
   * stored): what a rule editor shows as it is typed.
   */
  segmentPreview: SegmentPreview;
  /** Every segment of the domain, by name. */
  segments: Array<Segment>;
  /** Profiles that may be the same person as this one (≤ 50), most likely first. NOT_FOUND for an unknown id or another domain's profile. */
  similarProfiles: Array<ProfileMatch>;
  /**
   * Proposes a mapping for CSV headers: "E-mail"/"email_address"/"メールアドレス" → e-mail,
   * "Tel"/"mobile"/"電話番号" → phones, …; unknown columns → attributes; plus keys.
   */
  suggestMapping: MappingSuggestion;
};


export type QueryApiKeysArgs = {
  domain: Scalars['String']['input'];
};


export type QueryCalculatedAttributeDefinitionArgs = {
  name: Scalars['String']['input'];
};


export type QueryCaseArgs = {
  id: Scalars['ID']['input'];
};


export type QueryContactArgs = {
  id: Scalars['ID']['input'];
};


export type QueryDeadLettersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  objectType?: InputMaybe<Scalars['String']['input']>;
};


export type QueryDetectObjectTypeArgs = {
  samples: Array<Scalars['JSONObject']['input']>;
};


export type QueryDomainByNameArgs = {
  name: Scalars['String']['input'];
};


export type QueryEventSinkArgs = {
  id: Scalars['ID']['input'];
};


export type QueryImportJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryJobsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  kind?: InputMaybe<JobKind>;
  status?: InputMaybe<JobStatus>;
};


export type QueryLookupProfilesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  text: Scalars['String']['input'];
};


export type QueryMatchesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  minConfidence?: InputMaybe<Scalars['Float']['input']>;
  status?: InputMaybe<Scalars['String']['input']>;
};


export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type QueryObjectTypeArgs = {
  name: Scalars['String']['input'];
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProfileArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProfileMergeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProfileMergedIntoArgs = {
  profileId: Scalars['ID']['input'];
};


export type QueryProfileObjectArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProfilesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryRetentionPreviewArgs = {
  sampleSize?: InputMaybe<Scalars['Int']['input']>;
};


export type QuerySearchProfilesArgs = {
  additionalKeys?: InputMaybe<Array<SearchKeyInput>>;
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  key: Scalars['String']['input'];
  operator?: InputMaybe<LogicalOperator>;
  values: Array<Scalars['String']['input']>;
};


export type QuerySegmentArgs = {
  name: Scalars['String']['input'];
};


export type QuerySegmentFromTextArgs = {
  text: Scalars['String']['input'];
};


export type QuerySegmentMembershipArgs = {
  name: Scalars['String']['input'];
  profileIds: Array<Scalars['ID']['input']>;
};


export type QuerySegmentPreviewArgs = {
  text: Scalars['String']['input'];
};


export type QuerySimilarProfilesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  profileId: Scalars['ID']['input'];
};


export type QuerySuggestMappingArgs = {
  headers: Array<Scalars['String']['input']>;
  typeName?: InputMaybe<Scalars['String']['input']>;
};

export type RecordContactInput = {
  agentId?: InputMaybe<Scalars['String']['input']>;
  /** Create an inferred profile when no profile matches (default true). */
  allowProfileCreation?: InputMaybe<Scalars['Boolean']['input']>;
  attributes?: InputMaybe<Array<AttributeInput>>;
  channel: ContactChannel;
  /** Your system's id for the contact; recording the same contactId again replaces the record. */
  contactId: Scalars['String']['input'];
  direction?: InputMaybe<ContactDirection>;
  disconnectedAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** The customer's e-mail address, used to find the profile. */
  emailAddress?: InputMaybe<Scalars['String']['input']>;
  /** Name for an inferred profile, when one is created. */
  firstName?: InputMaybe<Scalars['String']['input']>;
  holdSeconds?: InputMaybe<Scalars['Int']['input']>;
  initiatedAt: Scalars['DateTime']['input'];
  lastName?: InputMaybe<Scalars['String']['input']>;
  /** The customer's phone number, used to find the profile. */
  phoneNumber?: InputMaybe<Scalars['String']['input']>;
  /** Attach to this profile. Without it the contact is matched by phoneNumber / emailAddress. */
  profileId?: InputMaybe<Scalars['ID']['input']>;
  queue?: InputMaybe<Scalars['String']['input']>;
  queueWaitSeconds?: InputMaybe<Scalars['Int']['input']>;
};

export type RecordContactPayload = {
  __typename?: 'RecordContactPayload';
  association: Association;
  /** The profiles that matched when association is AMBIGUOUS. */
  candidates: Array<Profile>;
  contact: Contact;
  /** False when a contact with this contactId already existed and was replaced. */
  created: Scalars['Boolean']['output'];
  profile?: Maybe<Profile>;
};

export type RecordOrderInput = {
  /** Create an inferred profile when no profile matches (default true). */
  allowProfileCreation?: InputMaybe<Scalars['Boolean']['input']>;
  attributes?: InputMaybe<Array<AttributeInput>>;
  cancelledAt?: InputMaybe<Scalars['DateTime']['input']>;
  currency?: InputMaybe<Scalars['String']['input']>;
  customerEmail?: InputMaybe<Scalars['String']['input']>;
  customerPhone?: InputMaybe<Scalars['String']['input']>;
  fulfillmentStatus?: InputMaybe<Scalars['String']['input']>;
  items?: InputMaybe<Array<OrderItemInput>>;
  /** Unique in the domain; recording the same orderId again replaces the order. */
  orderId: Scalars['String']['input'];
  /** When the order was placed (default: now). */
  orderedAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Attach to this profile. Without it the order is matched by customerPhone / customerEmail. */
  profileId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<Scalars['String']['input']>;
  totalPrice?: InputMaybe<Scalars['Decimal']['input']>;
};

export type RecordOrderPayload = {
  __typename?: 'RecordOrderPayload';
  association: Association;
  /** False when an order with this orderId already existed and was replaced. */
  created: Scalars['Boolean']['output'];
  order: Order;
};

/** What the next retention sweep would delete in this domain, at the time in `at`. */
export type RetentionPreview = {
  __typename?: 'RetentionPreview';
  at: Scalars['DateTime']['output'];
  objects: Array<RetentionTypeCount>;
  /** Profiles not updated since this time expire (null when kept forever). */
  profileCutoff?: Maybe<Scalars['DateTime']['output']>;
  /** The domain's defaultExpirationDays; null = profiles are kept forever. */
  profileExpirationDays?: Maybe<Scalars['Int']['output']>;
  /** Profiles the sweep would delete (with their contacts, cases, orders and objects). */
  profiles: Scalars['Int']['output'];
  /** The first profiles the sweep would delete, oldest first. */
  sampleProfileIds: Array<Scalars['ID']['output']>;
};

export type RetentionSweepResult = {
  __typename?: 'RetentionSweepResult';
  at: Scalars['DateTime']['output'];
  objects: Array<RetentionTypeCount>;
  profilesDeleted: Scalars['Int']['output'];
};

/** Objects of one object type that retention deletes (or would delete). */
export type RetentionTypeCount = {
  __typename?: 'RetentionTypeCount';
  count: Scalars['Int']['output'];
  /** Objects not updated since this time expire. */
  cutoff: Scalars['DateTime']['output'];
  expirationDays: Scalars['Int']['output'];
  objectType: Scalars['String']['output'];
};

/**
 * A search key and its values. Keys: _phone (any phone field, normalized to E.164 with the
 * domain's default region), _email (any email field, case-insensitive), _account, _profileId,
 * _fullName (case- and space-insensitive), _ctrContactId, _caseId, _orderId, attributes.<name> (exact), and the key names of the
 * domain's object types (normalized by their fields' content types; a key over several fields takes
 * "a|b").
 */
export type SearchKeyInput = {
  key: Scalars['String']['input'];
  values: Array<Scalars['String']['input']>;
};

/** A named group of profiles defined by a rule, evaluated when read. */
export type Segment = {
  __typename?: 'Segment';
  /** Profiles in the segment now (one SQL statement). */
  count: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  /** The segment's profiles now, newest first, with the same cursors as `profiles` (one SQL statement). */
  members: SegmentMemberConnection;
  name: Scalars['String']['output'];
  /** The rule tree in canonical form (the shape of SegmentRuleInput): pass it back to putSegment as is. */
  rule: Scalars['JSONObject']['output'];
  /** The rule's text form; segmentFromText(text) gives `rule` back. */
  text: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  version: Scalars['Int']['output'];
};


/** A named group of profiles defined by a rule, evaluated when read. */
export type SegmentMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/**
 * One comparison. On the profile: `field` is a standard field (firstName, birthDate, createdAt …),
 * `address.<part>` (also shippingAddress, mailingAddress, billingAddress), `attributes.<name>` or
 * `calculated.<name>`. With `objectType` (`_ctr`, `_case`, `_order` or a custom type) it is about the
 * profile's objects, optionally only those of the last `withinDays` days: no field with EXISTS /
 * NOT_EXISTS ("has an order"), `count`, `sum(<field>)`, `min(…)`, `max(…)`, `avg(…)`, or an object
 * field ("has a contact whose channel = VOICE").
 */
export type SegmentConditionInput = {
  field?: InputMaybe<Scalars['String']['input']>;
  objectType?: InputMaybe<Scalars['String']['input']>;
  operator: SegmentOperator;
  /** Values as strings: numbers ("3", "12.5"), dates (YYYY-MM-DD) or text; up to 50. */
  values?: InputMaybe<Array<Scalars['String']['input']>>;
  withinDays?: InputMaybe<Scalars['Int']['input']>;
};

export type SegmentMemberConnection = {
  __typename?: 'SegmentMemberConnection';
  edges: Array<SegmentMemberEdge>;
  nodes: Array<Profile>;
  pageInfo: PageInfo;
};

export type SegmentMemberEdge = {
  __typename?: 'SegmentMemberEdge';
  cursor: Scalars['String']['output'];
  node: Profile;
};

export type SegmentMembership = {
  __typename?: 'SegmentMembership';
  member: Scalars['Boolean']['output'];
  profileId: Scalars['ID']['output'];
};

/** A profile entered or left a segment (SEGMENT_ENTERED / SEGMENT_EXITED in the event log). */
export type SegmentMembershipChange = {
  __typename?: 'SegmentMembershipChange';
  entered: Scalars['Boolean']['output'];
  /** The event id: pass the last one you processed as `after` to resume. */
  id: Scalars['ID']['output'];
  occurredAt: Scalars['DateTime']['output'];
  profileId: Scalars['ID']['output'];
  segment: Scalars['String']['output'];
};

/** How a segment condition compares a field with its values (see the README for what each takes). */
export type SegmentOperator =
  | 'AFTER'
  | 'BEFORE'
  | 'BEGINS_WITH'
  | 'BETWEEN'
  | 'CONTAINS'
  | 'ENDS_WITH'
  | 'EQUALS'
  | 'EXISTS'
  | 'GT'
  | 'GTE'
  | 'IN'
  | 'LT'
  | 'LTE'
  | 'NOT_BETWEEN'
  | 'NOT_EXISTS'
  | 'NOT_IN'
  | 'ON'
  | 'WITHIN_LAST_DAYS';

/** An unsaved rule, checked and counted (segmentPreview). */
export type SegmentPreview = {
  __typename?: 'SegmentPreview';
  /** Profiles the rule matches now (one SQL statement). */
  count: Scalars['Int']['output'];
  /** The rule tree in canonical form. */
  rule: Scalars['JSONObject']['output'];
  /** The canonical text form. */
  text: Scalars['String']['output'];
};

/** A rule: exactly one of all / any / none (groups), segment (another segment's rule) or condition. */
export type SegmentRuleInput = {
  all?: InputMaybe<Array<SegmentRuleInput>>;
  any?: InputMaybe<Array<SegmentRuleInput>>;
  condition?: InputMaybe<SegmentConditionInput>;
  none?: InputMaybe<Array<SegmentRuleInput>>;
  segment?: InputMaybe<Scalars['String']['input']>;
};

export type StartExportInput = {
  format?: InputMaybe<ExportFormat>;
  /** Only records updated at or after this time. */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  /** profile, contact, case, order, or the name of a custom object type; one file each. */
  objectTypes: Array<Scalars['String']['input']>;
  /** Only the profiles in this segment (evaluated as the export reads): objectTypes must be ["profile"]. */
  segment?: InputMaybe<Scalars['String']['input']>;
  /** Only records updated before this time. */
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

export type StartImportInput = {
  /** CSV text uploaded with the request (UTF-8). Bad rows are reported by line. */
  content?: InputMaybe<Scalars['String']['input']>;
  /** CSV bytes uploaded with the request, base64 (any supported encoding). */
  contentBase64?: InputMaybe<Scalars['String']['input']>;
  /** Validate every row and count, writing nothing (no objects, profiles, dead letters or events). */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** Bytes' encoding (path, contentBase64); content is text and needs none. */
  encoding?: InputMaybe<CsvEncoding>;
  objectType: Scalars['String']['input'];
  /** A CSV in this domain's import folder (<PROFILEGRAPH_IMPORT_DIR>/<domain name>/), relative to it. */
  path?: InputMaybe<Scalars['String']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  _noop?: Maybe<Scalars['Boolean']['output']>;
  /**
   * The domain's event stream, optionally filtered. With `after` (an event id), every retained event
   * after it is replayed first, then the stream continues live without gaps or duplicates. A client
   * that falls more than 1,000 events behind is disconnected (close code 4413); resubscribe with
   * `after` = the last id it processed.
   */
  profileEvents: ProfileEvent;
  /**
   * The profile's current state after every change to it or to its contacts, cases and orders.
   * Each delivery is the state when the change is processed: under load, quick successive changes may
   * both show the later state (states never go backwards; the last one is the newest). Fails with
   * NOT_FOUND if the profile does not exist; completes when the profile is deleted.
   */
  profileUpdated: Profile;
  /**
   * Profiles entering and leaving the segment, as writes (and time passing through a window) move
   * them. With `after` (an event id), retained changes after it are replayed first, then it continues
   * live without gaps or duplicates.
   */
  segmentMembershipChanged: SegmentMembershipChange;
};


export type SubscriptionProfileEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  profileIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  types?: InputMaybe<Array<EventType>>;
};


export type SubscriptionProfileUpdatedArgs = {
  id: Scalars['ID']['input'];
};


export type SubscriptionSegmentMembershipChangedArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
};

/** A calculated attribute a template installs (the same parts as putCalculatedAttribute's input). */
export type TemplateCalculatedAttribute = {
  __typename?: 'TemplateCalculatedAttribute';
  conditions: Array<CalculatedCondition>;
  description: Scalars['String']['output'];
  expression?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  objectType: Scalars['String']['output'];
  statistic: CalculatedStatistic;
  threshold?: Maybe<CalculatedThreshold>;
  window?: Maybe<CalculatedWindow>;
};

/** An `attributes.<name>` key a template's segments or calculated attributes read (documented; nothing is written to profiles). */
export type TemplateCustomAttribute = {
  __typename?: 'TemplateCustomAttribute';
  description: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** `profile` (profile attributes) or the object type whose attributes hold it (`_ctr`). */
  objectType: Scalars['String']['output'];
};

/** What applyTemplate did: installed now, or already present by name (kept as it was). */
export type TemplateResult = {
  __typename?: 'TemplateResult';
  calculatedAttributesExisting: Array<Scalars['String']['output']>;
  calculatedAttributesInstalled: Array<Scalars['String']['output']>;
  /** False when everything already existed and nothing was written. */
  changed: Scalars['Boolean']['output'];
  /** The attributes.<name> keys the template expects on profiles and contacts (documentation only). */
  customAttributes: Array<TemplateCustomAttribute>;
  segmentsExisting: Array<Scalars['String']['output']>;
  segmentsInstalled: Array<Scalars['String']['output']>;
  template: IndustryTemplate;
};

/** A segment a template installs, with its rule's text form. */
export type TemplateSegment = {
  __typename?: 'TemplateSegment';
  description: Scalars['String']['output'];
  name: Scalars['String']['output'];
  text: Scalars['String']['output'];
};

export type UnmergeProfilesPayload = {
  __typename?: 'UnmergeProfilesPayload';
  merge: ProfileMerge;
  restoredProfileIds: Array<Scalars['ID']['output']>;
};

export type UpdateCaseInput = {
  attributes?: InputMaybe<Array<AttributeInput>>;
  priority?: InputMaybe<CasePriority>;
  reason?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<CaseStatus>;
  summary?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateDomainInput = {
  defaultExpirationDays?: InputMaybe<Scalars['Int']['input']>;
  defaultPhoneRegion?: InputMaybe<Scalars['String']['input']>;
  eventRetentionDays?: InputMaybe<Scalars['Int']['input']>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;




/** Mapping of interface types */
export type ResolversInterfaceTypes<_RefType extends Record<string, unknown>> = ResolversObject<{
  Node:
    | ( CaseRow )
    | ( ContactRow )
    | ( OrderRow )
    | ( ProfileRow )
    | ( ProfileObjectRow )
  ;
}>;

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Address: ResolverTypeWrapper<AddressValue>;
  AddressInput: AddressInput;
  ApiKey: ResolverTypeWrapper<ApiKeyView>;
  Association: Association;
  Attribute: ResolverTypeWrapper<Attribute>;
  AttributeInput: AttributeInput;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CalculatedAttributeDefinition: ResolverTypeWrapper<DefinitionRow>;
  CalculatedAttributeValue: ResolverTypeWrapper<CalculatedValue>;
  CalculatedCondition: ResolverTypeWrapper<CalculatedCondition>;
  CalculatedConditionInput: CalculatedConditionInput;
  CalculatedConditionOperator: CalculatedConditionOperator;
  CalculatedStatistic: CalculatedStatistic;
  CalculatedThreshold: ResolverTypeWrapper<CalculatedThreshold>;
  CalculatedThresholdInput: CalculatedThresholdInput;
  CalculatedThresholdOperator: CalculatedThresholdOperator;
  CalculatedValueType: CalculatedValueType;
  CalculatedWindow: ResolverTypeWrapper<CalculatedWindow>;
  CalculatedWindowInput: CalculatedWindowInput;
  Case: ResolverTypeWrapper<CaseRow>;
  CaseConnection: ResolverTypeWrapper<NestedConnection>;
  CaseEdge: ResolverTypeWrapper<Omit<CaseEdge, 'node'> & { node: ResolversTypes['Case'] }>;
  CasePriority: CasePriority;
  CaseStatus: CaseStatus;
  ColumnSuggestion: ResolverTypeWrapper<ColumnSuggestion>;
  Contact: ResolverTypeWrapper<ContactRow>;
  ContactChannel: ContactChannel;
  ContactConnection: ResolverTypeWrapper<NestedConnection>;
  ContactDirection: ContactDirection;
  ContactEdge: ResolverTypeWrapper<Omit<ContactEdge, 'node'> & { node: ResolversTypes['Contact'] }>;
  ContentType: ContentType;
  CreateApiKeyPayload: ResolverTypeWrapper<Omit<CreateApiKeyPayload, 'apiKeyInfo'> & { apiKeyInfo: ResolversTypes['ApiKey'] }>;
  CreateCaseInput: CreateCaseInput;
  CreateCasePayload: ResolverTypeWrapper<Omit<CreateCasePayload, 'case'> & { case: ResolversTypes['Case'] }>;
  CreateDomainInput: CreateDomainInput;
  CreateDomainPayload: ResolverTypeWrapper<Omit<CreateDomainPayload, 'apiKeyInfo' | 'domain'> & { apiKeyInfo: ResolversTypes['ApiKey'], domain: ResolversTypes['Domain'] }>;
  CreateEventSinkInput: CreateEventSinkInput;
  CreateEventSinkPayload: ResolverTypeWrapper<Omit<CreateEventSinkPayload, 'sink'> & { sink: ResolversTypes['EventSink'] }>;
  CreateIngestSourceInput: CreateIngestSourceInput;
  CreateIngestSourcePayload: ResolverTypeWrapper<Omit<CreateIngestSourcePayload, 'source'> & { source: ResolversTypes['IngestSource'] }>;
  CsvEncoding: CsvEncoding;
  Date: ResolverTypeWrapper<Scalars['Date']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeadLetter: ResolverTypeWrapper<DeadLetterRow>;
  DeadLetterConnection: ResolverTypeWrapper<Omit<DeadLetterConnection, 'edges' | 'nodes'> & { edges: Array<ResolversTypes['DeadLetterEdge']>, nodes: Array<ResolversTypes['DeadLetter']> }>;
  DeadLetterEdge: ResolverTypeWrapper<Omit<DeadLetterEdge, 'node'> & { node: ResolversTypes['DeadLetter'] }>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  DeleteProfilePayload: ResolverTypeWrapper<DeleteProfilePayload>;
  DetectedField: ResolverTypeWrapper<DetectedField>;
  DetectedKey: ResolverTypeWrapper<DetectedKey>;
  DetectedObjectType: ResolverTypeWrapper<DetectionResult>;
  Domain: ResolverTypeWrapper<DomainRow>;
  EventSink: ResolverTypeWrapper<EventSinkView>;
  EventSinkFilter: ResolverTypeWrapper<EventSinkFilter>;
  EventSinkFilterInput: EventSinkFilterInput;
  EventSinkKind: EventSinkKind;
  EventSinkStatus: EventSinkStatus;
  EventType: EventType;
  ExportFile: ResolverTypeWrapper<ExportFile>;
  ExportFormat: ExportFormat;
  ExportResult: ResolverTypeWrapper<ExportResult>;
  FieldChange: ResolverTypeWrapper<FieldChange>;
  FindOrCreateOutcome: FindOrCreateOutcome;
  FindOrCreateProfilePayload: ResolverTypeWrapper<Omit<FindOrCreateProfilePayload, 'candidates' | 'profile'> & { candidates: Array<ResolversTypes['Profile']>, profile?: Maybe<ResolversTypes['Profile']> }>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Gender: Gender;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ImportCounts: ResolverTypeWrapper<ImportCounts>;
  ImportCsvInput: ImportCsvInput;
  ImportResult: ResolverTypeWrapper<ImportResult>;
  ImportRowError: ResolverTypeWrapper<ImportRowError>;
  IndustryTemplate: IndustryTemplate;
  IndustryTemplateInfo: ResolverTypeWrapper<IndustryTemplateSpec>;
  IngestOutcome: IngestOutcome;
  IngestSource: ResolverTypeWrapper<IngestSourceView>;
  IngestVerification: IngestVerification;
  Insight: ResolverTypeWrapper<Insight>;
  InsightFact: ResolverTypeWrapper<InsightFact>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  JSONObject: ResolverTypeWrapper<Scalars['JSONObject']['output']>;
  Job: ResolverTypeWrapper<JobRow>;
  JobConnection: ResolverTypeWrapper<Omit<JobConnection, 'edges' | 'nodes'> & { edges: Array<ResolversTypes['JobEdge']>, nodes: Array<ResolversTypes['Job']> }>;
  JobCount: ResolverTypeWrapper<JobCount>;
  JobEdge: ResolverTypeWrapper<Omit<JobEdge, 'node'> & { node: ResolversTypes['Job'] }>;
  JobKind: JobKind;
  JobProgress: ResolverTypeWrapper<JobProgress>;
  JobRowError: ResolverTypeWrapper<JobRowError>;
  JobStatus: JobStatus;
  KeyIdentifier: KeyIdentifier;
  LogicalOperator: LogicalOperator;
  LookupHit: ResolverTypeWrapper<Omit<LookupHit, 'profile'> & { profile: ResolversTypes['Profile'] }>;
  LookupResult: ResolverTypeWrapper<Omit<LookupResult, 'hits'> & { hits: Array<ResolversTypes['LookupHit']> }>;
  MappingSuggestion: ResolverTypeWrapper<MappingSuggestion>;
  MatchAttributeType: MatchAttributeType;
  MatchConflictResolution: MatchConflictResolution;
  MatchField: ResolverTypeWrapper<MatchField>;
  MatchGroup: ResolverTypeWrapper<Omit<MatchGroup, 'profiles'> & { profiles: Array<ResolversTypes['Profile']> }>;
  MatchGroupConnection: ResolverTypeWrapper<Omit<MatchGroupConnection, 'edges' | 'nodes'> & { edges: Array<ResolversTypes['MatchGroupEdge']>, nodes: Array<ResolversTypes['MatchGroup']> }>;
  MatchGroupEdge: ResolverTypeWrapper<Omit<MatchGroupEdge, 'node'> & { node: ResolversTypes['MatchGroup'] }>;
  MatchRule: ResolverTypeWrapper<MatchRule>;
  MatchRuleAttribute: ResolverTypeWrapper<MatchRuleAttribute>;
  MatchRuleAttributeInput: MatchRuleAttributeInput;
  MatchRuleInput: MatchRuleInput;
  MatchingConfig: ResolverTypeWrapper<MatchingConfig>;
  MatchingConfigInput: MatchingConfigInput;
  MergeConflictResolution: MergeConflictResolution;
  MergeFieldSourceInput: MergeFieldSourceInput;
  MergeProfilesInput: MergeProfilesInput;
  MergeProfilesPayload: ResolverTypeWrapper<MergeProfilesPayload>;
  MergedProfilePreview: ResolverTypeWrapper<MergedProfilePreview>;
  MovedObject: ResolverTypeWrapper<MovedObject>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Node: ResolverTypeWrapper<ResolversInterfaceTypes<ResolversTypes>['Node']>;
  ObjectType: ResolverTypeWrapper<ObjectTypeView>;
  ObjectTypeField: ResolverTypeWrapper<FieldDefinition>;
  ObjectTypeFieldInput: ObjectTypeFieldInput;
  ObjectTypeKey: ResolverTypeWrapper<KeyDefinition>;
  ObjectTypeKeyInput: ObjectTypeKeyInput;
  ObjectTypeTemplate: ResolverTypeWrapper<ObjectTypeTemplateSpec>;
  Order: ResolverTypeWrapper<OrderRow>;
  OrderConnection: ResolverTypeWrapper<NestedConnection>;
  OrderEdge: ResolverTypeWrapper<Omit<OrderEdge, 'node'> & { node: ResolversTypes['Order'] }>;
  OrderItem: ResolverTypeWrapper<OrderItemValue>;
  OrderItemInput: OrderItemInput;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PartyType: PartyType;
  Profile: ResolverTypeWrapper<ProfileRow>;
  ProfileConnection: ResolverTypeWrapper<Omit<ProfileConnection, 'edges' | 'nodes'> & { edges: Array<ResolversTypes['ProfileEdge']>, nodes: Array<ResolversTypes['Profile']> }>;
  ProfileEdge: ResolverTypeWrapper<Omit<ProfileEdge, 'node'> & { node: ResolversTypes['Profile'] }>;
  ProfileEvent: ResolverTypeWrapper<EventRow>;
  ProfileHistoryAction: ProfileHistoryAction;
  ProfileHistoryConnection: ResolverTypeWrapper<HistoryConnection>;
  ProfileHistoryEdge: ResolverTypeWrapper<Omit<ProfileHistoryEdge, 'node'> & { node: ResolversTypes['ProfileHistoryRecord'] }>;
  ProfileHistoryRecord: ResolverTypeWrapper<EventRow>;
  ProfileInput: ProfileInput;
  ProfileLayout: ResolverTypeWrapper<ProfileLayout>;
  ProfileMatch: ResolverTypeWrapper<Omit<ProfileMatch, 'profile'> & { profile: ResolversTypes['Profile'] }>;
  ProfileMerge: ResolverTypeWrapper<ProfileMerge>;
  ProfileObject: ResolverTypeWrapper<ProfileObjectRow>;
  ProfileObjectConnection: ResolverTypeWrapper<NestedConnection>;
  ProfileObjectEdge: ResolverTypeWrapper<Omit<ProfileObjectEdge, 'node'> & { node: ResolversTypes['ProfileObject'] }>;
  ProfilePanel: ProfilePanel;
  ProfileSearchConnection: ResolverTypeWrapper<Omit<ProfileSearchConnection, 'edges' | 'nodes'> & { edges: Array<ResolversTypes['ProfileSearchEdge']>, nodes: Array<ResolversTypes['Profile']> }>;
  ProfileSearchEdge: ResolverTypeWrapper<Omit<ProfileSearchEdge, 'node'> & { node: ResolversTypes['Profile'] }>;
  PutCalculatedAttributeInput: PutCalculatedAttributeInput;
  PutObjectTypeInput: PutObjectTypeInput;
  PutProfileObjectResult: ResolverTypeWrapper<IngestResult>;
  PutProfileObjectsPayload: ResolverTypeWrapper<Omit<PutProfileObjectsPayload, 'results'> & { results: Array<ResolversTypes['PutProfileObjectResult']> }>;
  PutSegmentInput: PutSegmentInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecordContactInput: RecordContactInput;
  RecordContactPayload: ResolverTypeWrapper<Omit<RecordContactPayload, 'candidates' | 'contact' | 'profile'> & { candidates: Array<ResolversTypes['Profile']>, contact: ResolversTypes['Contact'], profile?: Maybe<ResolversTypes['Profile']> }>;
  RecordOrderInput: RecordOrderInput;
  RecordOrderPayload: ResolverTypeWrapper<Omit<RecordOrderPayload, 'order'> & { order: ResolversTypes['Order'] }>;
  RetentionPreview: ResolverTypeWrapper<RetentionPreview>;
  RetentionSweepResult: ResolverTypeWrapper<RetentionSweepResult>;
  RetentionTypeCount: ResolverTypeWrapper<RetentionTypeCount>;
  SearchKeyInput: SearchKeyInput;
  Segment: ResolverTypeWrapper<LoadedSegment>;
  SegmentConditionInput: SegmentConditionInput;
  SegmentMemberConnection: ResolverTypeWrapper<Omit<SegmentMemberConnection, 'edges' | 'nodes'> & { edges: Array<ResolversTypes['SegmentMemberEdge']>, nodes: Array<ResolversTypes['Profile']> }>;
  SegmentMemberEdge: ResolverTypeWrapper<Omit<SegmentMemberEdge, 'node'> & { node: ResolversTypes['Profile'] }>;
  SegmentMembership: ResolverTypeWrapper<SegmentMembership>;
  SegmentMembershipChange: ResolverTypeWrapper<EventRow>;
  SegmentOperator: SegmentOperator;
  SegmentPreview: ResolverTypeWrapper<SegmentPreview>;
  SegmentRuleInput: SegmentRuleInput;
  StartExportInput: StartExportInput;
  StartImportInput: StartImportInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TemplateCalculatedAttribute: ResolverTypeWrapper<TemplateDefinition>;
  TemplateCustomAttribute: ResolverTypeWrapper<TemplateCustomAttribute>;
  TemplateResult: ResolverTypeWrapper<TemplateResult>;
  TemplateSegment: ResolverTypeWrapper<TemplateSegment>;
  UnmergeProfilesPayload: ResolverTypeWrapper<UnmergeProfilesPayload>;
  UpdateCaseInput: UpdateCaseInput;
  UpdateDomainInput: UpdateDomainInput;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Address: AddressValue;
  AddressInput: AddressInput;
  ApiKey: ApiKeyView;
  Attribute: Attribute;
  AttributeInput: AttributeInput;
  Boolean: Scalars['Boolean']['output'];
  CalculatedAttributeDefinition: DefinitionRow;
  CalculatedAttributeValue: CalculatedValue;
  CalculatedCondition: CalculatedCondition;
  CalculatedConditionInput: CalculatedConditionInput;
  CalculatedThreshold: CalculatedThreshold;
  CalculatedThresholdInput: CalculatedThresholdInput;
  CalculatedWindow: CalculatedWindow;
  CalculatedWindowInput: CalculatedWindowInput;
  Case: CaseRow;
  CaseConnection: NestedConnection;
  CaseEdge: Omit<CaseEdge, 'node'> & { node: ResolversParentTypes['Case'] };
  ColumnSuggestion: ColumnSuggestion;
  Contact: ContactRow;
  ContactConnection: NestedConnection;
  ContactEdge: Omit<ContactEdge, 'node'> & { node: ResolversParentTypes['Contact'] };
  CreateApiKeyPayload: Omit<CreateApiKeyPayload, 'apiKeyInfo'> & { apiKeyInfo: ResolversParentTypes['ApiKey'] };
  CreateCaseInput: CreateCaseInput;
  CreateCasePayload: Omit<CreateCasePayload, 'case'> & { case: ResolversParentTypes['Case'] };
  CreateDomainInput: CreateDomainInput;
  CreateDomainPayload: Omit<CreateDomainPayload, 'apiKeyInfo' | 'domain'> & { apiKeyInfo: ResolversParentTypes['ApiKey'], domain: ResolversParentTypes['Domain'] };
  CreateEventSinkInput: CreateEventSinkInput;
  CreateEventSinkPayload: Omit<CreateEventSinkPayload, 'sink'> & { sink: ResolversParentTypes['EventSink'] };
  CreateIngestSourceInput: CreateIngestSourceInput;
  CreateIngestSourcePayload: Omit<CreateIngestSourcePayload, 'source'> & { source: ResolversParentTypes['IngestSource'] };
  Date: Scalars['Date']['output'];
  DateTime: Scalars['DateTime']['output'];
  DeadLetter: DeadLetterRow;
  DeadLetterConnection: Omit<DeadLetterConnection, 'edges' | 'nodes'> & { edges: Array<ResolversParentTypes['DeadLetterEdge']>, nodes: Array<ResolversParentTypes['DeadLetter']> };
  DeadLetterEdge: Omit<DeadLetterEdge, 'node'> & { node: ResolversParentTypes['DeadLetter'] };
  Decimal: Scalars['Decimal']['output'];
  DeleteProfilePayload: DeleteProfilePayload;
  DetectedField: DetectedField;
  DetectedKey: DetectedKey;
  DetectedObjectType: DetectionResult;
  Domain: DomainRow;
  EventSink: EventSinkView;
  EventSinkFilter: EventSinkFilter;
  EventSinkFilterInput: EventSinkFilterInput;
  ExportFile: ExportFile;
  ExportResult: ExportResult;
  FieldChange: FieldChange;
  FindOrCreateProfilePayload: Omit<FindOrCreateProfilePayload, 'candidates' | 'profile'> & { candidates: Array<ResolversParentTypes['Profile']>, profile?: Maybe<ResolversParentTypes['Profile']> };
  Float: Scalars['Float']['output'];
  ID: Scalars['ID']['output'];
  ImportCounts: ImportCounts;
  ImportCsvInput: ImportCsvInput;
  ImportResult: ImportResult;
  ImportRowError: ImportRowError;
  IndustryTemplateInfo: IndustryTemplateSpec;
  IngestSource: IngestSourceView;
  Insight: Insight;
  InsightFact: InsightFact;
  Int: Scalars['Int']['output'];
  JSONObject: Scalars['JSONObject']['output'];
  Job: JobRow;
  JobConnection: Omit<JobConnection, 'edges' | 'nodes'> & { edges: Array<ResolversParentTypes['JobEdge']>, nodes: Array<ResolversParentTypes['Job']> };
  JobCount: JobCount;
  JobEdge: Omit<JobEdge, 'node'> & { node: ResolversParentTypes['Job'] };
  JobProgress: JobProgress;
  JobRowError: JobRowError;
  LookupHit: Omit<LookupHit, 'profile'> & { profile: ResolversParentTypes['Profile'] };
  LookupResult: Omit<LookupResult, 'hits'> & { hits: Array<ResolversParentTypes['LookupHit']> };
  MappingSuggestion: MappingSuggestion;
  MatchField: MatchField;
  MatchGroup: Omit<MatchGroup, 'profiles'> & { profiles: Array<ResolversParentTypes['Profile']> };
  MatchGroupConnection: Omit<MatchGroupConnection, 'edges' | 'nodes'> & { edges: Array<ResolversParentTypes['MatchGroupEdge']>, nodes: Array<ResolversParentTypes['MatchGroup']> };
  MatchGroupEdge: Omit<MatchGroupEdge, 'node'> & { node: ResolversParentTypes['MatchGroup'] };
  MatchRule: MatchRule;
  MatchRuleAttribute: MatchRuleAttribute;
  MatchRuleAttributeInput: MatchRuleAttributeInput;
  MatchRuleInput: MatchRuleInput;
  MatchingConfig: MatchingConfig;
  MatchingConfigInput: MatchingConfigInput;
  MergeFieldSourceInput: MergeFieldSourceInput;
  MergeProfilesInput: MergeProfilesInput;
  MergeProfilesPayload: MergeProfilesPayload;
  MergedProfilePreview: MergedProfilePreview;
  MovedObject: MovedObject;
  Mutation: Record<PropertyKey, never>;
  Node: ResolversInterfaceTypes<ResolversParentTypes>['Node'];
  ObjectType: ObjectTypeView;
  ObjectTypeField: FieldDefinition;
  ObjectTypeFieldInput: ObjectTypeFieldInput;
  ObjectTypeKey: KeyDefinition;
  ObjectTypeKeyInput: ObjectTypeKeyInput;
  ObjectTypeTemplate: ObjectTypeTemplateSpec;
  Order: OrderRow;
  OrderConnection: NestedConnection;
  OrderEdge: Omit<OrderEdge, 'node'> & { node: ResolversParentTypes['Order'] };
  OrderItem: OrderItemValue;
  OrderItemInput: OrderItemInput;
  PageInfo: PageInfo;
  Profile: ProfileRow;
  ProfileConnection: Omit<ProfileConnection, 'edges' | 'nodes'> & { edges: Array<ResolversParentTypes['ProfileEdge']>, nodes: Array<ResolversParentTypes['Profile']> };
  ProfileEdge: Omit<ProfileEdge, 'node'> & { node: ResolversParentTypes['Profile'] };
  ProfileEvent: EventRow;
  ProfileHistoryConnection: HistoryConnection;
  ProfileHistoryEdge: Omit<ProfileHistoryEdge, 'node'> & { node: ResolversParentTypes['ProfileHistoryRecord'] };
  ProfileHistoryRecord: EventRow;
  ProfileInput: ProfileInput;
  ProfileLayout: ProfileLayout;
  ProfileMatch: Omit<ProfileMatch, 'profile'> & { profile: ResolversParentTypes['Profile'] };
  ProfileMerge: ProfileMerge;
  ProfileObject: ProfileObjectRow;
  ProfileObjectConnection: NestedConnection;
  ProfileObjectEdge: Omit<ProfileObjectEdge, 'node'> & { node: ResolversParentTypes['ProfileObject'] };
  ProfileSearchConnection: Omit<ProfileSearchConnection, 'edges' | 'nodes'> & { edges: Array<ResolversParentTypes['ProfileSearchEdge']>, nodes: Array<ResolversParentTypes['Profile']> };
  ProfileSearchEdge: Omit<ProfileSearchEdge, 'node'> & { node: ResolversParentTypes['Profile'] };
  PutCalculatedAttributeInput: PutCalculatedAttributeInput;
  PutObjectTypeInput: PutObjectTypeInput;
  PutProfileObjectResult: IngestResult;
  PutProfileObjectsPayload: Omit<PutProfileObjectsPayload, 'results'> & { results: Array<ResolversParentTypes['PutProfileObjectResult']> };
  PutSegmentInput: PutSegmentInput;
  Query: Record<PropertyKey, never>;
  RecordContactInput: RecordContactInput;
  RecordContactPayload: Omit<RecordContactPayload, 'candidates' | 'contact' | 'profile'> & { candidates: Array<ResolversParentTypes['Profile']>, contact: ResolversParentTypes['Contact'], profile?: Maybe<ResolversParentTypes['Profile']> };
  RecordOrderInput: RecordOrderInput;
  RecordOrderPayload: Omit<RecordOrderPayload, 'order'> & { order: ResolversParentTypes['Order'] };
  RetentionPreview: RetentionPreview;
  RetentionSweepResult: RetentionSweepResult;
  RetentionTypeCount: RetentionTypeCount;
  SearchKeyInput: SearchKeyInput;
  Segment: LoadedSegment;
  SegmentConditionInput: SegmentConditionInput;
  SegmentMemberConnection: Omit<SegmentMemberConnection, 'edges' | 'nodes'> & { edges: Array<ResolversParentTypes['SegmentMemberEdge']>, nodes: Array<ResolversParentTypes['Profile']> };
  SegmentMemberEdge: Omit<SegmentMemberEdge, 'node'> & { node: ResolversParentTypes['Profile'] };
  SegmentMembership: SegmentMembership;
  SegmentMembershipChange: EventRow;
  SegmentPreview: SegmentPreview;
  SegmentRuleInput: SegmentRuleInput;
  StartExportInput: StartExportInput;
  StartImportInput: StartImportInput;
  String: Scalars['String']['output'];
  Subscription: Record<PropertyKey, never>;
  TemplateCalculatedAttribute: TemplateDefinition;
  TemplateCustomAttribute: TemplateCustomAttribute;
  TemplateResult: TemplateResult;
  TemplateSegment: TemplateSegment;
  UnmergeProfilesPayload: UnmergeProfilesPayload;
  UpdateCaseInput: UpdateCaseInput;
  UpdateDomainInput: UpdateDomainInput;
}>;

export type RawTextDirectiveArgs = { };

export type RawTextDirectiveResolver<Result, Parent, ContextType = Context, Args = RawTextDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AddressResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Address'] = ResolversParentTypes['Address']> = ResolversObject<{
  address1?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  address2?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  address3?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  address4?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  city?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  country?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  county?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  postalCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  province?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  state?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ApiKeyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ApiKey'] = ResolversParentTypes['ApiKey']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  domain?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type AttributeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Attribute'] = ResolversParentTypes['Attribute']> = ResolversObject<{
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CalculatedAttributeDefinitionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CalculatedAttributeDefinition'] = ResolversParentTypes['CalculatedAttributeDefinition']> = ResolversObject<{
  backfillJobId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  backfilled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  conditions?: Resolver<Array<ResolversTypes['CalculatedCondition']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  expression?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  objectType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  statistic?: Resolver<ResolversTypes['CalculatedStatistic'], ParentType, ContextType>;
  threshold?: Resolver<Maybe<ResolversTypes['CalculatedThreshold']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['CalculatedValueType'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  window?: Resolver<Maybe<ResolversTypes['CalculatedWindow']>, ParentType, ContextType>;
}>;

export type CalculatedAttributeValueResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CalculatedAttributeValue'] = ResolversParentTypes['CalculatedAttributeValue']> = ResolversObject<{
  isDataPartial?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  lastObjectAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['CalculatedValueType'], ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type CalculatedConditionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CalculatedCondition'] = ResolversParentTypes['CalculatedCondition']> = ResolversObject<{
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  operator?: Resolver<ResolversTypes['CalculatedConditionOperator'], ParentType, ContextType>;
  values?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type CalculatedThresholdResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CalculatedThreshold'] = ResolversParentTypes['CalculatedThreshold']> = ResolversObject<{
  operator?: Resolver<ResolversTypes['CalculatedThresholdOperator'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CalculatedWindowResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CalculatedWindow'] = ResolversParentTypes['CalculatedWindow']> = ResolversObject<{
  from?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lastDays?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  lastObjects?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  to?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type CaseResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Case'] = ResolversParentTypes['Case']> = ResolversObject<{
  attribute?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType, RequireFields<CaseAttributeArgs, 'key'>>;
  attributes?: Resolver<Array<ResolversTypes['Attribute']>, ParentType, ContextType>;
  caseId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  closedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  priority?: Resolver<Maybe<ResolversTypes['CasePriority']>, ParentType, ContextType>;
  profile?: Resolver<ResolversTypes['Profile'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['CaseStatus'], ParentType, ContextType>;
  summary?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type CaseConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CaseConnection'] = ResolversParentTypes['CaseConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['CaseEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Case']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type CaseEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CaseEdge'] = ResolversParentTypes['CaseEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Case'], ParentType, ContextType>;
}>;

export type ColumnSuggestionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ColumnSuggestion'] = ResolversParentTypes['ColumnSuggestion']> = ResolversObject<{
  contentType?: Resolver<ResolversTypes['ContentType'], ParentType, ContextType>;
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  header?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  recognized?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  target?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ContactResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Contact'] = ResolversParentTypes['Contact']> = ResolversObject<{
  agentId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  attribute?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType, RequireFields<ContactAttributeArgs, 'key'>>;
  attributes?: Resolver<Array<ResolversTypes['Attribute']>, ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['ContactChannel'], ParentType, ContextType>;
  contactId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  direction?: Resolver<Maybe<ResolversTypes['ContactDirection']>, ParentType, ContextType>;
  disconnectedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  durationSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  emailAddress?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  holdSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  initiatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  phoneNumber?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  profile?: Resolver<Maybe<ResolversTypes['Profile']>, ParentType, ContextType>;
  queue?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  queueWaitSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ContactConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ContactConnection'] = ResolversParentTypes['ContactConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ContactEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Contact']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ContactEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ContactEdge'] = ResolversParentTypes['ContactEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Contact'], ParentType, ContextType>;
}>;

export type CreateApiKeyPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreateApiKeyPayload'] = ResolversParentTypes['CreateApiKeyPayload']> = ResolversObject<{
  apiKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  apiKeyInfo?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType>;
}>;

export type CreateCasePayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreateCasePayload'] = ResolversParentTypes['CreateCasePayload']> = ResolversObject<{
  case?: Resolver<ResolversTypes['Case'], ParentType, ContextType>;
  created?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type CreateDomainPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreateDomainPayload'] = ResolversParentTypes['CreateDomainPayload']> = ResolversObject<{
  apiKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  apiKeyInfo?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType>;
  domain?: Resolver<ResolversTypes['Domain'], ParentType, ContextType>;
}>;

export type CreateEventSinkPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreateEventSinkPayload'] = ResolversParentTypes['CreateEventSinkPayload']> = ResolversObject<{
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sink?: Resolver<ResolversTypes['EventSink'], ParentType, ContextType>;
}>;

export type CreateIngestSourcePayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreateIngestSourcePayload'] = ResolversParentTypes['CreateIngestSourcePayload']> = ResolversObject<{
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['IngestSource'], ParentType, ContextType>;
}>;

export interface DateScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Date'], any> {
  name: 'Date';
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeadLetterResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DeadLetter'] = ResolversParentTypes['DeadLetter']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastSeenAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  object?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>;
  objectType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  occurrences?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type DeadLetterConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DeadLetterConnection'] = ResolversParentTypes['DeadLetterConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['DeadLetterEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['DeadLetter']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type DeadLetterEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DeadLetterEdge'] = ResolversParentTypes['DeadLetterEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['DeadLetter'], ParentType, ContextType>;
}>;

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type DeleteProfilePayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DeleteProfilePayload'] = ResolversParentTypes['DeleteProfilePayload']> = ResolversObject<{
  deleted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type DetectedFieldResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DetectedField'] = ResolversParentTypes['DetectedField']> = ResolversObject<{
  confidence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  contentType?: Resolver<ResolversTypes['ContentType'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  target?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type DetectedKeyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DetectedKey'] = ResolversParentTypes['DetectedKey']> = ResolversObject<{
  confidence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  fieldNames?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  identifiers?: Resolver<Array<ResolversTypes['KeyIdentifier']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type DetectedObjectTypeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DetectedObjectType'] = ResolversParentTypes['DetectedObjectType']> = ResolversObject<{
  fields?: Resolver<Array<ResolversTypes['DetectedField']>, ParentType, ContextType>;
  keys?: Resolver<Array<ResolversTypes['DetectedKey']>, ParentType, ContextType>;
  objectType?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>;
  warnings?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type DomainResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Domain'] = ResolversParentTypes['Domain']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  defaultExpirationDays?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  defaultPhoneRegion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  eventRetentionDays?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type EventSinkResolvers<ContextType = Context, ParentType extends ResolversParentTypes['EventSink'] = ResolversParentTypes['EventSink']> = ResolversObject<{
  batchSize?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  delivered?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  failingSince?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  filter?: Resolver<ResolversTypes['EventSinkFilter'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['EventSinkKind'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastErrorAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  position?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['EventSinkStatus'], ParentType, ContextType>;
  subject?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  types?: Resolver<Array<ResolversTypes['EventType']>, ParentType, ContextType>;
  url?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type EventSinkFilterResolvers<ContextType = Context, ParentType extends ResolversParentTypes['EventSinkFilter'] = ResolversParentTypes['EventSinkFilter']> = ResolversObject<{
  objectTypes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  profileIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type ExportFileResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ExportFile'] = ResolversParentTypes['ExportFile']> = ResolversObject<{
  bytes?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  downloadPath?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  objectType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  path?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rows?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ExportResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ExportResult'] = ResolversParentTypes['ExportResult']> = ResolversObject<{
  directory?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  files?: Resolver<Array<ResolversTypes['ExportFile']>, ParentType, ContextType>;
  format?: Resolver<ResolversTypes['ExportFormat'], ParentType, ContextType>;
  rows?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type FieldChangeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['FieldChange'] = ResolversParentTypes['FieldChange']> = ResolversObject<{
  after?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  before?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type FindOrCreateProfilePayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['FindOrCreateProfilePayload'] = ResolversParentTypes['FindOrCreateProfilePayload']> = ResolversObject<{
  candidates?: Resolver<Array<ResolversTypes['Profile']>, ParentType, ContextType>;
  created?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  matchedKeys?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['FindOrCreateOutcome'], ParentType, ContextType>;
  profile?: Resolver<Maybe<ResolversTypes['Profile']>, ParentType, ContextType>;
}>;

export type ImportCountsResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ImportCounts'] = ResolversParentTypes['ImportCounts']> = ResolversObject<{
  attached?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdProfiles?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  failed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  rows?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unchanged?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ImportResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ImportResult'] = ResolversParentTypes['ImportResult']> = ResolversObject<{
  counts?: Resolver<ResolversTypes['ImportCounts'], ParentType, ContextType>;
  errors?: Resolver<Array<ResolversTypes['ImportRowError']>, ParentType, ContextType>;
}>;

export type ImportRowErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ImportRowError'] = ResolversParentTypes['ImportRowError']> = ResolversObject<{
  line?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type IndustryTemplateInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['IndustryTemplateInfo'] = ResolversParentTypes['IndustryTemplateInfo']> = ResolversObject<{
  calculatedAttributes?: Resolver<Array<ResolversTypes['TemplateCalculatedAttribute']>, ParentType, ContextType>;
  customAttributes?: Resolver<Array<ResolversTypes['TemplateCustomAttribute']>, ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  segments?: Resolver<Array<ResolversTypes['TemplateSegment']>, ParentType, ContextType>;
  template?: Resolver<ResolversTypes['IndustryTemplate'], ParentType, ContextType>;
}>;

export type IngestSourceResolvers<ContextType = Context, ParentType extends ResolversParentTypes['IngestSource'] = ResolversParentTypes['IngestSource']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  objectType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  path?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  signatureHeader?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  verification?: Resolver<ResolversTypes['IngestVerification'], ParentType, ContextType>;
}>;

export type InsightResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Insight'] = ResolversParentTypes['Insight']> = ResolversObject<{
  facts?: Resolver<Array<ResolversTypes['InsightFact']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  severity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type InsightFactResolvers<ContextType = Context, ParentType extends ResolversParentTypes['InsightFact'] = ResolversParentTypes['InsightFact']> = ResolversObject<{
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface JsonObjectScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSONObject'], any> {
  name: 'JSONObject';
}

export type JobResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Job'] = ResolversParentTypes['Job']> = ResolversObject<{
  cancelRequested?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  counts?: Resolver<Array<ResolversTypes['JobCount']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  export?: Resolver<Maybe<ResolversTypes['ExportResult']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['JobKind'], ParentType, ContextType>;
  params?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>;
  progress?: Resolver<ResolversTypes['JobProgress'], ParentType, ContextType>;
  result?: Resolver<Maybe<ResolversTypes['JSONObject']>, ParentType, ContextType>;
  rowErrors?: Resolver<Array<ResolversTypes['JobRowError']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['JobStatus'], ParentType, ContextType>;
}>;

export type JobConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['JobConnection'] = ResolversParentTypes['JobConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['JobEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Job']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type JobCountResolvers<ContextType = Context, ParentType extends ResolversParentTypes['JobCount'] = ResolversParentTypes['JobCount']> = ResolversObject<{
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type JobEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['JobEdge'] = ResolversParentTypes['JobEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Job'], ParentType, ContextType>;
}>;

export type JobProgressResolvers<ContextType = Context, ParentType extends ResolversParentTypes['JobProgress'] = ResolversParentTypes['JobProgress']> = ResolversObject<{
  done?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  total?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type JobRowErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['JobRowError'] = ResolversParentTypes['JobRowError']> = ResolversObject<{
  line?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type LookupHitResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LookupHit'] = ResolversParentTypes['LookupHit']> = ResolversObject<{
  matchedKeys?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  profile?: Resolver<ResolversTypes['Profile'], ParentType, ContextType>;
}>;

export type LookupResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LookupResult'] = ResolversParentTypes['LookupResult']> = ResolversObject<{
  hits?: Resolver<Array<ResolversTypes['LookupHit']>, ParentType, ContextType>;
  interpretedAs?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  normalized?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type MappingSuggestionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MappingSuggestion'] = ResolversParentTypes['MappingSuggestion']> = ResolversObject<{
  columns?: Resolver<Array<ResolversTypes['ColumnSuggestion']>, ParentType, ContextType>;
  objectType?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>;
  warnings?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type MatchFieldResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MatchField'] = ResolversParentTypes['MatchField']> = ResolversObject<{
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  level?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  weight?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type MatchGroupResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MatchGroup'] = ResolversParentTypes['MatchGroup']> = ResolversObject<{
  confidence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  fields?: Resolver<Array<ResolversTypes['MatchField']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mergeId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  method?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  profiles?: Resolver<Array<ResolversTypes['Profile']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type MatchGroupConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MatchGroupConnection'] = ResolversParentTypes['MatchGroupConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['MatchGroupEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['MatchGroup']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type MatchGroupEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MatchGroupEdge'] = ResolversParentTypes['MatchGroupEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['MatchGroup'], ParentType, ContextType>;
}>;

export type MatchRuleResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MatchRule'] = ResolversParentTypes['MatchRule']> = ResolversObject<{
  attributes?: Resolver<Array<ResolversTypes['MatchRuleAttribute']>, ParentType, ContextType>;
  level?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MatchRuleAttributeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MatchRuleAttribute'] = ResolversParentTypes['MatchRuleAttribute']> = ResolversObject<{
  fields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['MatchAttributeType'], ParentType, ContextType>;
}>;

export type MatchingConfigResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MatchingConfig'] = ResolversParentTypes['MatchingConfig']> = ResolversObject<{
  autoMergeThreshold?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  compareAttributes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  conflictResolution?: Resolver<ResolversTypes['MatchConflictResolution'], ParentType, ContextType>;
  emailPlusTags?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  emailProviderDots?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  lowCardinalityLimit?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  onWrite?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  probabilistic?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  rules?: Resolver<Array<ResolversTypes['MatchRule']>, ParentType, ContextType>;
  scheduled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  sourcePriority?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  suggestThreshold?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  trained?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MergeProfilesPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MergeProfilesPayload'] = ResolversParentTypes['MergeProfilesPayload']> = ResolversObject<{
  dryRun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  merge?: Resolver<Maybe<ResolversTypes['ProfileMerge']>, ParentType, ContextType>;
  movedObjects?: Resolver<Array<ResolversTypes['MovedObject']>, ParentType, ContextType>;
  result?: Resolver<ResolversTypes['MergedProfilePreview'], ParentType, ContextType>;
}>;

export type MergedProfilePreviewResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MergedProfilePreview'] = ResolversParentTypes['MergedProfilePreview']> = ResolversObject<{
  fields?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MovedObjectResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MovedObject'] = ResolversParentTypes['MovedObject']> = ResolversObject<{
  fromProfileId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  _noop?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  applyTemplate?: Resolver<ResolversTypes['TemplateResult'], ParentType, ContextType, RequireFields<MutationApplyTemplateArgs, 'template'>>;
  cancelJob?: Resolver<ResolversTypes['Job'], ParentType, ContextType, RequireFields<MutationCancelJobArgs, 'id'>>;
  createApiKey?: Resolver<ResolversTypes['CreateApiKeyPayload'], ParentType, ContextType, RequireFields<MutationCreateApiKeyArgs, 'domain' | 'name'>>;
  createCase?: Resolver<ResolversTypes['CreateCasePayload'], ParentType, ContextType, RequireFields<MutationCreateCaseArgs, 'input'>>;
  createDomain?: Resolver<ResolversTypes['CreateDomainPayload'], ParentType, ContextType, RequireFields<MutationCreateDomainArgs, 'input'>>;
  createEventSink?: Resolver<ResolversTypes['CreateEventSinkPayload'], ParentType, ContextType, RequireFields<MutationCreateEventSinkArgs, 'input'>>;
  createIngestSource?: Resolver<ResolversTypes['CreateIngestSourcePayload'], ParentType, ContextType, RequireFields<MutationCreateIngestSourceArgs, 'input'>>;
  createProfile?: Resolver<ResolversTypes['Profile'], ParentType, ContextType, RequireFields<MutationCreateProfileArgs, 'input'>>;
  deleteCalculatedAttribute?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteCalculatedAttributeArgs, 'name'>>;
  deleteDomain?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteDomainArgs, 'name'>>;
  deleteEventSink?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteEventSinkArgs, 'id'>>;
  deleteIngestSource?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteIngestSourceArgs, 'id'>>;
  deleteObjectType?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteObjectTypeArgs, 'name'>>;
  deleteProfile?: Resolver<ResolversTypes['DeleteProfilePayload'], ParentType, ContextType, RequireFields<MutationDeleteProfileArgs, 'id'>>;
  deleteSegment?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteSegmentArgs, 'name'>>;
  dismissMatch?: Resolver<ResolversTypes['MatchGroup'], ParentType, ContextType, RequireFields<MutationDismissMatchArgs, 'id'>>;
  findOrCreateProfile?: Resolver<ResolversTypes['FindOrCreateProfilePayload'], ParentType, ContextType, RequireFields<MutationFindOrCreateProfileArgs, 'input'>>;
  importCsv?: Resolver<ResolversTypes['ImportResult'], ParentType, ContextType, RequireFields<MutationImportCsvArgs, 'input'>>;
  installDefaultCalculatedAttributes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  mergeProfiles?: Resolver<ResolversTypes['MergeProfilesPayload'], ParentType, ContextType, RequireFields<MutationMergeProfilesArgs, 'input'>>;
  pauseEventSink?: Resolver<ResolversTypes['EventSink'], ParentType, ContextType, RequireFields<MutationPauseEventSinkArgs, 'id'>>;
  putCalculatedAttribute?: Resolver<ResolversTypes['CalculatedAttributeDefinition'], ParentType, ContextType, RequireFields<MutationPutCalculatedAttributeArgs, 'input'>>;
  putMatchingConfig?: Resolver<ResolversTypes['MatchingConfig'], ParentType, ContextType, RequireFields<MutationPutMatchingConfigArgs, 'input'>>;
  putObjectType?: Resolver<ResolversTypes['ObjectType'], ParentType, ContextType, RequireFields<MutationPutObjectTypeArgs, 'input'>>;
  putProfileLayout?: Resolver<ResolversTypes['ProfileLayout'], ParentType, ContextType, RequireFields<MutationPutProfileLayoutArgs, 'panels'>>;
  putProfileObject?: Resolver<ResolversTypes['PutProfileObjectResult'], ParentType, ContextType, RequireFields<MutationPutProfileObjectArgs, 'object' | 'objectType'>>;
  putProfileObjects?: Resolver<ResolversTypes['PutProfileObjectsPayload'], ParentType, ContextType, RequireFields<MutationPutProfileObjectsArgs, 'objectType' | 'objects'>>;
  putSegment?: Resolver<ResolversTypes['Segment'], ParentType, ContextType, RequireFields<MutationPutSegmentArgs, 'input'>>;
  recordContact?: Resolver<ResolversTypes['RecordContactPayload'], ParentType, ContextType, RequireFields<MutationRecordContactArgs, 'input'>>;
  recordOrder?: Resolver<ResolversTypes['RecordOrderPayload'], ParentType, ContextType, RequireFields<MutationRecordOrderArgs, 'input'>>;
  replayEventSink?: Resolver<ResolversTypes['EventSink'], ParentType, ContextType, RequireFields<MutationReplayEventSinkArgs, 'fromEventId' | 'id'>>;
  resumeEventSink?: Resolver<ResolversTypes['EventSink'], ParentType, ContextType, RequireFields<MutationResumeEventSinkArgs, 'id'>>;
  revokeApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'id'>>;
  runMatchingJob?: Resolver<ResolversTypes['Job'], ParentType, ContextType>;
  runRetentionSweep?: Resolver<ResolversTypes['RetentionSweepResult'], ParentType, ContextType>;
  startExport?: Resolver<ResolversTypes['Job'], ParentType, ContextType, RequireFields<MutationStartExportArgs, 'input'>>;
  startImport?: Resolver<ResolversTypes['Job'], ParentType, ContextType, RequireFields<MutationStartImportArgs, 'input'>>;
  unmergeProfiles?: Resolver<ResolversTypes['UnmergeProfilesPayload'], ParentType, ContextType, RequireFields<MutationUnmergeProfilesArgs, 'mergeId'>>;
  updateCase?: Resolver<ResolversTypes['Case'], ParentType, ContextType, RequireFields<MutationUpdateCaseArgs, 'id' | 'input'>>;
  updateDomain?: Resolver<ResolversTypes['Domain'], ParentType, ContextType, RequireFields<MutationUpdateDomainArgs, 'input' | 'name'>>;
  updateProfile?: Resolver<ResolversTypes['Profile'], ParentType, ContextType, RequireFields<MutationUpdateProfileArgs, 'id' | 'input'>>;
}>;

export type NodeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Node'] = ResolversParentTypes['Node']> = ResolversObject<{
  __resolveType: TypeResolveFn<'Case' | 'Contact' | 'Order' | 'Profile' | 'ProfileObject', ParentType, ContextType>;
}>;

export type ObjectTypeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ObjectType'] = ResolversParentTypes['ObjectType']> = ResolversObject<{
  allowProfileCreation?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  builtIn?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  expirationDays?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  fields?: Resolver<Array<ResolversTypes['ObjectTypeField']>, ParentType, ContextType>;
  keys?: Resolver<Array<ResolversTypes['ObjectTypeKey']>, ParentType, ContextType>;
  maxObjectsPerProfile?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sourcePriority?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type ObjectTypeFieldResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ObjectTypeField'] = ResolversParentTypes['ObjectTypeField']> = ResolversObject<{
  contentType?: Resolver<ResolversTypes['ContentType'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  target?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ObjectTypeKeyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ObjectTypeKey'] = ResolversParentTypes['ObjectTypeKey']> = ResolversObject<{
  fieldNames?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  identifiers?: Resolver<Array<ResolversTypes['KeyIdentifier']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ObjectTypeTemplateResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ObjectTypeTemplate'] = ResolversParentTypes['ObjectTypeTemplate']> = ResolversObject<{
  allowProfileCreation?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  fields?: Resolver<Array<ResolversTypes['ObjectTypeField']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  keys?: Resolver<Array<ResolversTypes['ObjectTypeKey']>, ParentType, ContextType>;
  record?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  system?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type OrderResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order']> = ResolversObject<{
  attribute?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType, RequireFields<OrderAttributeArgs, 'key'>>;
  attributes?: Resolver<Array<ResolversTypes['Attribute']>, ParentType, ContextType>;
  cancelledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  currency?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  fulfillmentStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['OrderItem']>, ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orderedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  profile?: Resolver<ResolversTypes['Profile'], ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  totalPrice?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type OrderConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OrderConnection'] = ResolversParentTypes['OrderConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['OrderEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Order']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type OrderEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OrderEdge'] = ResolversParentTypes['OrderEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
}>;

export type OrderItemResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OrderItem'] = ResolversParentTypes['OrderItem']> = ResolversObject<{
  price?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ProfileResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Profile'] = ResolversParentTypes['Profile']> = ResolversObject<{
  accountNumber?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  additionalInformation?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  address?: Resolver<Maybe<ResolversTypes['Address']>, ParentType, ContextType>;
  attribute?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType, RequireFields<ProfileAttributeArgs, 'key'>>;
  attributes?: Resolver<Array<ResolversTypes['Attribute']>, ParentType, ContextType>;
  billingAddress?: Resolver<Maybe<ResolversTypes['Address']>, ParentType, ContextType>;
  birthDate?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  businessEmailAddress?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  businessName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  businessPhoneNumber?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  calculatedAttribute?: Resolver<Maybe<ResolversTypes['CalculatedAttributeValue']>, ParentType, ContextType, RequireFields<ProfileCalculatedAttributeArgs, 'name'>>;
  calculatedAttributes?: Resolver<Array<ResolversTypes['CalculatedAttributeValue']>, ParentType, ContextType>;
  cases?: Resolver<ResolversTypes['CaseConnection'], ParentType, ContextType, Partial<ProfileCasesArgs>>;
  contacts?: Resolver<ResolversTypes['ContactConnection'], ParentType, ContextType, Partial<ProfileContactsArgs>>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  emailAddress?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  firstName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  fullName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  gender?: Resolver<Maybe<ResolversTypes['Gender']>, ParentType, ContextType>;
  history?: Resolver<ResolversTypes['ProfileHistoryConnection'], ParentType, ContextType, Partial<ProfileHistoryArgs>>;
  homePhoneNumber?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inferred?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  insights?: Resolver<Array<ResolversTypes['Insight']>, ParentType, ContextType, RequireFields<ProfileInsightsArgs, 'noContactDays' | 'vipOrderTotal'>>;
  lastName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  mailingAddress?: Resolver<Maybe<ResolversTypes['Address']>, ParentType, ContextType>;
  merges?: Resolver<Array<ResolversTypes['ProfileMerge']>, ParentType, ContextType>;
  middleName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  mobilePhoneNumber?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  objects?: Resolver<ResolversTypes['ProfileObjectConnection'], ParentType, ContextType, Partial<ProfileObjectsArgs>>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, Partial<ProfileOrdersArgs>>;
  partyType?: Resolver<Maybe<ResolversTypes['PartyType']>, ParentType, ContextType>;
  personalEmailAddress?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  phoneNumber?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  segments?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  shippingAddress?: Resolver<Maybe<ResolversTypes['Address']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ProfileConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileConnection'] = ResolversParentTypes['ProfileConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ProfileEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Profile']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type ProfileEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileEdge'] = ResolversParentTypes['ProfileEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Profile'], ParentType, ContextType>;
}>;

export type ProfileEventResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileEvent'] = ResolversParentTypes['ProfileEvent']> = ResolversObject<{
  actor?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  changes?: Resolver<Array<ResolversTypes['FieldChange']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  objectId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  objectType?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  profileId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['EventType'], ParentType, ContextType>;
}>;

export type ProfileHistoryConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileHistoryConnection'] = ResolversParentTypes['ProfileHistoryConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ProfileHistoryEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['ProfileHistoryRecord']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type ProfileHistoryEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileHistoryEdge'] = ResolversParentTypes['ProfileHistoryEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['ProfileHistoryRecord'], ParentType, ContextType>;
}>;

export type ProfileHistoryRecordResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileHistoryRecord'] = ResolversParentTypes['ProfileHistoryRecord']> = ResolversObject<{
  action?: Resolver<ResolversTypes['ProfileHistoryAction'], ParentType, ContextType>;
  actor?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  changes?: Resolver<Array<ResolversTypes['FieldChange']>, ParentType, ContextType>;
  eventType?: Resolver<ResolversTypes['EventType'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  objectId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  objectType?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type ProfileLayoutResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileLayout'] = ResolversParentTypes['ProfileLayout']> = ResolversObject<{
  panels?: Resolver<Array<ResolversTypes['ProfilePanel']>, ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type ProfileMatchResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileMatch'] = ResolversParentTypes['ProfileMatch']> = ResolversObject<{
  confidence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  fields?: Resolver<Array<ResolversTypes['MatchField']>, ParentType, ContextType>;
  method?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  profile?: Resolver<ResolversTypes['Profile'], ParentType, ContextType>;
}>;

export type ProfileMergeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileMerge'] = ResolversParentTypes['ProfileMerge']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mainProfileId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mergedProfileIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  origin?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  unmergedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type ProfileObjectResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileObject'] = ResolversParentTypes['ProfileObject']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  data?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  objectType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  profile?: Resolver<ResolversTypes['Profile'], ParentType, ContextType>;
  uniqueKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ProfileObjectConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileObjectConnection'] = ResolversParentTypes['ProfileObjectConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ProfileObjectEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['ProfileObject']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ProfileObjectEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileObjectEdge'] = ResolversParentTypes['ProfileObjectEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['ProfileObject'], ParentType, ContextType>;
}>;

export type ProfileSearchConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileSearchConnection'] = ResolversParentTypes['ProfileSearchConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ProfileSearchEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Profile']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type ProfileSearchEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProfileSearchEdge'] = ResolversParentTypes['ProfileSearchEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  matchedKeys?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Profile'], ParentType, ContextType>;
}>;

export type PutProfileObjectResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PutProfileObjectResult'] = ResolversParentTypes['PutProfileObjectResult']> = ResolversObject<{
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  matchedKey?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  object?: Resolver<Maybe<ResolversTypes['ProfileObject']>, ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['IngestOutcome'], ParentType, ContextType>;
  profile?: Resolver<Maybe<ResolversTypes['Profile']>, ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  replaced?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type PutProfileObjectsPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PutProfileObjectsPayload'] = ResolversParentTypes['PutProfileObjectsPayload']> = ResolversObject<{
  attached?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdProfiles?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  deadLettered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  results?: Resolver<Array<ResolversTypes['PutProfileObjectResult']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  apiKeys?: Resolver<Array<ResolversTypes['ApiKey']>, ParentType, ContextType, RequireFields<QueryApiKeysArgs, 'domain'>>;
  calculatedAttributeDefinition?: Resolver<Maybe<ResolversTypes['CalculatedAttributeDefinition']>, ParentType, ContextType, RequireFields<QueryCalculatedAttributeDefinitionArgs, 'name'>>;
  calculatedAttributeDefinitions?: Resolver<Array<ResolversTypes['CalculatedAttributeDefinition']>, ParentType, ContextType>;
  case?: Resolver<Maybe<ResolversTypes['Case']>, ParentType, ContextType, RequireFields<QueryCaseArgs, 'id'>>;
  contact?: Resolver<Maybe<ResolversTypes['Contact']>, ParentType, ContextType, RequireFields<QueryContactArgs, 'id'>>;
  currentDomain?: Resolver<ResolversTypes['Domain'], ParentType, ContextType>;
  deadLetters?: Resolver<ResolversTypes['DeadLetterConnection'], ParentType, ContextType, Partial<QueryDeadLettersArgs>>;
  detectObjectType?: Resolver<ResolversTypes['DetectedObjectType'], ParentType, ContextType, RequireFields<QueryDetectObjectTypeArgs, 'samples'>>;
  domainByName?: Resolver<Maybe<ResolversTypes['Domain']>, ParentType, ContextType, RequireFields<QueryDomainByNameArgs, 'name'>>;
  domains?: Resolver<Array<ResolversTypes['Domain']>, ParentType, ContextType>;
  eventSink?: Resolver<Maybe<ResolversTypes['EventSink']>, ParentType, ContextType, RequireFields<QueryEventSinkArgs, 'id'>>;
  eventSinks?: Resolver<Array<ResolversTypes['EventSink']>, ParentType, ContextType>;
  health?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  importJob?: Resolver<Maybe<ResolversTypes['Job']>, ParentType, ContextType, RequireFields<QueryImportJobArgs, 'id'>>;
  industryTemplates?: Resolver<Array<ResolversTypes['IndustryTemplateInfo']>, ParentType, ContextType>;
  ingestSources?: Resolver<Array<ResolversTypes['IngestSource']>, ParentType, ContextType>;
  job?: Resolver<Maybe<ResolversTypes['Job']>, ParentType, ContextType, RequireFields<QueryJobArgs, 'id'>>;
  jobs?: Resolver<ResolversTypes['JobConnection'], ParentType, ContextType, Partial<QueryJobsArgs>>;
  lookupProfiles?: Resolver<ResolversTypes['LookupResult'], ParentType, ContextType, RequireFields<QueryLookupProfilesArgs, 'first' | 'text'>>;
  matches?: Resolver<ResolversTypes['MatchGroupConnection'], ParentType, ContextType, RequireFields<QueryMatchesArgs, 'minConfidence'>>;
  matchingConfig?: Resolver<ResolversTypes['MatchingConfig'], ParentType, ContextType>;
  node?: Resolver<Maybe<ResolversTypes['Node']>, ParentType, ContextType, RequireFields<QueryNodeArgs, 'id'>>;
  nodes?: Resolver<Array<Maybe<ResolversTypes['Node']>>, ParentType, ContextType, RequireFields<QueryNodesArgs, 'ids'>>;
  objectType?: Resolver<Maybe<ResolversTypes['ObjectType']>, ParentType, ContextType, RequireFields<QueryObjectTypeArgs, 'name'>>;
  objectTypeTemplates?: Resolver<Array<ResolversTypes['ObjectTypeTemplate']>, ParentType, ContextType>;
  objectTypes?: Resolver<Array<ResolversTypes['ObjectType']>, ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'id'>>;
  profile?: Resolver<Maybe<ResolversTypes['Profile']>, ParentType, ContextType, RequireFields<QueryProfileArgs, 'id'>>;
  profileLayout?: Resolver<ResolversTypes['ProfileLayout'], ParentType, ContextType>;
  profileMerge?: Resolver<Maybe<ResolversTypes['ProfileMerge']>, ParentType, ContextType, RequireFields<QueryProfileMergeArgs, 'id'>>;
  profileMergedInto?: Resolver<Maybe<ResolversTypes['ProfileMerge']>, ParentType, ContextType, RequireFields<QueryProfileMergedIntoArgs, 'profileId'>>;
  profileObject?: Resolver<Maybe<ResolversTypes['ProfileObject']>, ParentType, ContextType, RequireFields<QueryProfileObjectArgs, 'id'>>;
  profiles?: Resolver<ResolversTypes['ProfileConnection'], ParentType, ContextType, Partial<QueryProfilesArgs>>;
  retentionPreview?: Resolver<ResolversTypes['RetentionPreview'], ParentType, ContextType, RequireFields<QueryRetentionPreviewArgs, 'sampleSize'>>;
  searchProfiles?: Resolver<ResolversTypes['ProfileSearchConnection'], ParentType, ContextType, RequireFields<QuerySearchProfilesArgs, 'key' | 'operator' | 'values'>>;
  segment?: Resolver<Maybe<ResolversTypes['Segment']>, ParentType, ContextType, RequireFields<QuerySegmentArgs, 'name'>>;
  segmentFromText?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType, RequireFields<QuerySegmentFromTextArgs, 'text'>>;
  segmentMembership?: Resolver<Array<ResolversTypes['SegmentMembership']>, ParentType, ContextType, RequireFields<QuerySegmentMembershipArgs, 'name' | 'profileIds'>>;
  segmentPreview?: Resolver<ResolversTypes['SegmentPreview'], ParentType, ContextType, RequireFields<QuerySegmentPreviewArgs, 'text'>>;
  segments?: Resolver<Array<ResolversTypes['Segment']>, ParentType, ContextType>;
  similarProfiles?: Resolver<Array<ResolversTypes['ProfileMatch']>, ParentType, ContextType, RequireFields<QuerySimilarProfilesArgs, 'first' | 'profileId'>>;
  suggestMapping?: Resolver<ResolversTypes['MappingSuggestion'], ParentType, ContextType, RequireFields<QuerySuggestMappingArgs, 'headers' | 'typeName'>>;
}>;

export type RecordContactPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RecordContactPayload'] = ResolversParentTypes['RecordContactPayload']> = ResolversObject<{
  association?: Resolver<ResolversTypes['Association'], ParentType, ContextType>;
  candidates?: Resolver<Array<ResolversTypes['Profile']>, ParentType, ContextType>;
  contact?: Resolver<ResolversTypes['Contact'], ParentType, ContextType>;
  created?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  profile?: Resolver<Maybe<ResolversTypes['Profile']>, ParentType, ContextType>;
}>;

export type RecordOrderPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RecordOrderPayload'] = ResolversParentTypes['RecordOrderPayload']> = ResolversObject<{
  association?: Resolver<ResolversTypes['Association'], ParentType, ContextType>;
  created?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  order?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
}>;

export type RetentionPreviewResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RetentionPreview'] = ResolversParentTypes['RetentionPreview']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  objects?: Resolver<Array<ResolversTypes['RetentionTypeCount']>, ParentType, ContextType>;
  profileCutoff?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  profileExpirationDays?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  profiles?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sampleProfileIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type RetentionSweepResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RetentionSweepResult'] = ResolversParentTypes['RetentionSweepResult']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  objects?: Resolver<Array<ResolversTypes['RetentionTypeCount']>, ParentType, ContextType>;
  profilesDeleted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type RetentionTypeCountResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RetentionTypeCount'] = ResolversParentTypes['RetentionTypeCount']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cutoff?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  expirationDays?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  objectType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type SegmentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Segment'] = ResolversParentTypes['Segment']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  members?: Resolver<ResolversTypes['SegmentMemberConnection'], ParentType, ContextType, Partial<SegmentMembersArgs>>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rule?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type SegmentMemberConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SegmentMemberConnection'] = ResolversParentTypes['SegmentMemberConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['SegmentMemberEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Profile']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type SegmentMemberEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SegmentMemberEdge'] = ResolversParentTypes['SegmentMemberEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Profile'], ParentType, ContextType>;
}>;

export type SegmentMembershipResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SegmentMembership'] = ResolversParentTypes['SegmentMembership']> = ResolversObject<{
  member?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  profileId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type SegmentMembershipChangeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SegmentMembershipChange'] = ResolversParentTypes['SegmentMembershipChange']> = ResolversObject<{
  entered?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  profileId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  segment?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type SegmentPreviewResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SegmentPreview'] = ResolversParentTypes['SegmentPreview']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  rule?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  _noop?: SubscriptionResolver<Maybe<ResolversTypes['Boolean']>, "_noop", ParentType, ContextType>;
  profileEvents?: SubscriptionResolver<ResolversTypes['ProfileEvent'], "profileEvents", ParentType, ContextType, Partial<SubscriptionProfileEventsArgs>>;
  profileUpdated?: SubscriptionResolver<ResolversTypes['Profile'], "profileUpdated", ParentType, ContextType, RequireFields<SubscriptionProfileUpdatedArgs, 'id'>>;
  segmentMembershipChanged?: SubscriptionResolver<ResolversTypes['SegmentMembershipChange'], "segmentMembershipChanged", ParentType, ContextType, RequireFields<SubscriptionSegmentMembershipChangedArgs, 'name'>>;
}>;

export type TemplateCalculatedAttributeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TemplateCalculatedAttribute'] = ResolversParentTypes['TemplateCalculatedAttribute']> = ResolversObject<{
  conditions?: Resolver<Array<ResolversTypes['CalculatedCondition']>, ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expression?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  objectType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  statistic?: Resolver<ResolversTypes['CalculatedStatistic'], ParentType, ContextType>;
  threshold?: Resolver<Maybe<ResolversTypes['CalculatedThreshold']>, ParentType, ContextType>;
  window?: Resolver<Maybe<ResolversTypes['CalculatedWindow']>, ParentType, ContextType>;
}>;

export type TemplateCustomAttributeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TemplateCustomAttribute'] = ResolversParentTypes['TemplateCustomAttribute']> = ResolversObject<{
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  objectType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type TemplateResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TemplateResult'] = ResolversParentTypes['TemplateResult']> = ResolversObject<{
  calculatedAttributesExisting?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  calculatedAttributesInstalled?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  changed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  customAttributes?: Resolver<Array<ResolversTypes['TemplateCustomAttribute']>, ParentType, ContextType>;
  segmentsExisting?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  segmentsInstalled?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  template?: Resolver<ResolversTypes['IndustryTemplate'], ParentType, ContextType>;
}>;

export type TemplateSegmentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TemplateSegment'] = ResolversParentTypes['TemplateSegment']> = ResolversObject<{
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type UnmergeProfilesPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UnmergeProfilesPayload'] = ResolversParentTypes['UnmergeProfilesPayload']> = ResolversObject<{
  merge?: Resolver<ResolversTypes['ProfileMerge'], ParentType, ContextType>;
  restoredProfileIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Address?: AddressResolvers<ContextType>;
  ApiKey?: ApiKeyResolvers<ContextType>;
  Attribute?: AttributeResolvers<ContextType>;
  CalculatedAttributeDefinition?: CalculatedAttributeDefinitionResolvers<ContextType>;
  CalculatedAttributeValue?: CalculatedAttributeValueResolvers<ContextType>;
  CalculatedCondition?: CalculatedConditionResolvers<ContextType>;
  CalculatedThreshold?: CalculatedThresholdResolvers<ContextType>;
  CalculatedWindow?: CalculatedWindowResolvers<ContextType>;
  Case?: CaseResolvers<ContextType>;
  CaseConnection?: CaseConnectionResolvers<ContextType>;
  CaseEdge?: CaseEdgeResolvers<ContextType>;
  ColumnSuggestion?: ColumnSuggestionResolvers<ContextType>;
  Contact?: ContactResolvers<ContextType>;
  ContactConnection?: ContactConnectionResolvers<ContextType>;
  ContactEdge?: ContactEdgeResolvers<ContextType>;
  CreateApiKeyPayload?: CreateApiKeyPayloadResolvers<ContextType>;
  CreateCasePayload?: CreateCasePayloadResolvers<ContextType>;
  CreateDomainPayload?: CreateDomainPayloadResolvers<ContextType>;
  CreateEventSinkPayload?: CreateEventSinkPayloadResolvers<ContextType>;
  CreateIngestSourcePayload?: CreateIngestSourcePayloadResolvers<ContextType>;
  Date?: GraphQLScalarType;
  DateTime?: GraphQLScalarType;
  DeadLetter?: DeadLetterResolvers<ContextType>;
  DeadLetterConnection?: DeadLetterConnectionResolvers<ContextType>;
  DeadLetterEdge?: DeadLetterEdgeResolvers<ContextType>;
  Decimal?: GraphQLScalarType;
  DeleteProfilePayload?: DeleteProfilePayloadResolvers<ContextType>;
  DetectedField?: DetectedFieldResolvers<ContextType>;
  DetectedKey?: DetectedKeyResolvers<ContextType>;
  DetectedObjectType?: DetectedObjectTypeResolvers<ContextType>;
  Domain?: DomainResolvers<ContextType>;
  EventSink?: EventSinkResolvers<ContextType>;
  EventSinkFilter?: EventSinkFilterResolvers<ContextType>;
  ExportFile?: ExportFileResolvers<ContextType>;
  ExportResult?: ExportResultResolvers<ContextType>;
  FieldChange?: FieldChangeResolvers<ContextType>;
  FindOrCreateProfilePayload?: FindOrCreateProfilePayloadResolvers<ContextType>;
  ImportCounts?: ImportCountsResolvers<ContextType>;
  ImportResult?: ImportResultResolvers<ContextType>;
  ImportRowError?: ImportRowErrorResolvers<ContextType>;
  IndustryTemplateInfo?: IndustryTemplateInfoResolvers<ContextType>;
  IngestSource?: IngestSourceResolvers<ContextType>;
  Insight?: InsightResolvers<ContextType>;
  InsightFact?: InsightFactResolvers<ContextType>;
  JSONObject?: GraphQLScalarType;
  Job?: JobResolvers<ContextType>;
  JobConnection?: JobConnectionResolvers<ContextType>;
  JobCount?: JobCountResolvers<ContextType>;
  JobEdge?: JobEdgeResolvers<ContextType>;
  JobProgress?: JobProgressResolvers<ContextType>;
  JobRowError?: JobRowErrorResolvers<ContextType>;
  LookupHit?: LookupHitResolvers<ContextType>;
  LookupResult?: LookupResultResolvers<ContextType>;
  MappingSuggestion?: MappingSuggestionResolvers<ContextType>;
  MatchField?: MatchFieldResolvers<ContextType>;
  MatchGroup?: MatchGroupResolvers<ContextType>;
  MatchGroupConnection?: MatchGroupConnectionResolvers<ContextType>;
  MatchGroupEdge?: MatchGroupEdgeResolvers<ContextType>;
  MatchRule?: MatchRuleResolvers<ContextType>;
  MatchRuleAttribute?: MatchRuleAttributeResolvers<ContextType>;
  MatchingConfig?: MatchingConfigResolvers<ContextType>;
  MergeProfilesPayload?: MergeProfilesPayloadResolvers<ContextType>;
  MergedProfilePreview?: MergedProfilePreviewResolvers<ContextType>;
  MovedObject?: MovedObjectResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Node?: NodeResolvers<ContextType>;
  ObjectType?: ObjectTypeResolvers<ContextType>;
  ObjectTypeField?: ObjectTypeFieldResolvers<ContextType>;
  ObjectTypeKey?: ObjectTypeKeyResolvers<ContextType>;
  ObjectTypeTemplate?: ObjectTypeTemplateResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderConnection?: OrderConnectionResolvers<ContextType>;
  OrderEdge?: OrderEdgeResolvers<ContextType>;
  OrderItem?: OrderItemResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Profile?: ProfileResolvers<ContextType>;
  ProfileConnection?: ProfileConnectionResolvers<ContextType>;
  ProfileEdge?: ProfileEdgeResolvers<ContextType>;
  ProfileEvent?: ProfileEventResolvers<ContextType>;
  ProfileHistoryConnection?: ProfileHistoryConnectionResolvers<ContextType>;
  ProfileHistoryEdge?: ProfileHistoryEdgeResolvers<ContextType>;
  ProfileHistoryRecord?: ProfileHistoryRecordResolvers<ContextType>;
  ProfileLayout?: ProfileLayoutResolvers<ContextType>;
  ProfileMatch?: ProfileMatchResolvers<ContextType>;
  ProfileMerge?: ProfileMergeResolvers<ContextType>;
  ProfileObject?: ProfileObjectResolvers<ContextType>;
  ProfileObjectConnection?: ProfileObjectConnectionResolvers<ContextType>;
  ProfileObjectEdge?: ProfileObjectEdgeResolvers<ContextType>;
  ProfileSearchConnection?: ProfileSearchConnectionResolvers<ContextType>;
  ProfileSearchEdge?: ProfileSearchEdgeResolvers<ContextType>;
  PutProfileObjectResult?: PutProfileObjectResultResolvers<ContextType>;
  PutProfileObjectsPayload?: PutProfileObjectsPayloadResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RecordContactPayload?: RecordContactPayloadResolvers<ContextType>;
  RecordOrderPayload?: RecordOrderPayloadResolvers<ContextType>;
  RetentionPreview?: RetentionPreviewResolvers<ContextType>;
  RetentionSweepResult?: RetentionSweepResultResolvers<ContextType>;
  RetentionTypeCount?: RetentionTypeCountResolvers<ContextType>;
  Segment?: SegmentResolvers<ContextType>;
  SegmentMemberConnection?: SegmentMemberConnectionResolvers<ContextType>;
  SegmentMemberEdge?: SegmentMemberEdgeResolvers<ContextType>;
  SegmentMembership?: SegmentMembershipResolvers<ContextType>;
  SegmentMembershipChange?: SegmentMembershipChangeResolvers<ContextType>;
  SegmentPreview?: SegmentPreviewResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  TemplateCalculatedAttribute?: TemplateCalculatedAttributeResolvers<ContextType>;
  TemplateCustomAttribute?: TemplateCustomAttributeResolvers<ContextType>;
  TemplateResult?: TemplateResultResolvers<ContextType>;
  TemplateSegment?: TemplateSegmentResolvers<ContextType>;
  UnmergeProfilesPayload?: UnmergeProfilesPayloadResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = Context> = ResolversObject<{
  rawText?: RawTextDirectiveResolver<any, any, ContextType>;
}>;
