import { badInput, notFound } from '../../errors.js';
import type { PutObjectTypeInput } from '../../generated/resolvers-types.js';
import { deleteObjectsOfType } from '../ingest/ingest.repository.js';
import { writeTransaction, type DomainScope } from '../scope.js';
import {
  countObjectTypes,
  deleteObjectTypeRow,
  findObjectType,
  listObjectTypes,
  upsertObjectType,
  type ObjectTypeRow,
} from './object-type.repository.js';
import type { FieldDefinition, KeyDefinition } from './object-type.table.js';
import { parseSource, parseTarget } from './mapping.js';
import { findTemplate, OBJECT_TYPE_TEMPLATES } from './object-type.templates.js';

/** ACCP's quotas. */
export const MAX_OBJECT_TYPES = 100;
export const MAX_KEYS = 10;
export const MAX_FIELDS = 200;

/** An object type as the API shows it: stored custom types, or a fixed built-in one. */
export type ObjectTypeView = Omit<ObjectTypeRow, 'domainId' | 'createdAt' | 'updatedAt'> & { builtIn: boolean; createdAt: Date | null; updatedAt: Date | null };

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const KEY_NAME = /^(_phone|_email|_account|[A-Za-z][A-Za-z0-9_.-]{0,63})$/;
/** Templates' own keys (`_shopifyCustomerId` …): names starting with "_" are reserved for them. */
const TEMPLATE_KEY_NAME = /^_[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

const builtIn = (
  name: string,
  description: string,
  fields: [string, FieldDefinition['contentType'], string | null][],
  keys: KeyDefinition[],
): ObjectTypeView => ({
  name,
  description,
  fields: fields.map(([f, contentType, target]) => ({ name: f, source: `_source.${f}`, target, contentType })),
  keys,
  allowProfileCreation: true,
  maxObjectsPerProfile: null,
  expirationDays: null,
  sourcePriority: 0,
  builtIn: true,
  createdAt: null,
  updatedAt: null,
});

/**
 * The standard objects as object types of the same mechanism: putProfileObject('_ctr' | '_case' |
 * '_order', json) takes the fields of recordContact / createCase / recordOrder.
 */
export const BUILT_IN_TYPES: readonly ObjectTypeView[] = [
  builtIn(
    '_ctr',
    'Contact records (recordContact): attach by profileId, else the single profile with the phone or e-mail, else an inferred profile.',
    [
      ['contactId', 'STRING', null],
      ['phoneNumber', 'PHONE_NUMBER', '_profile.PhoneNumber'],
      ['emailAddress', 'EMAIL_ADDRESS', '_profile.EmailAddress'],
    ],
    [
      { name: '_ctrContactId', identifiers: ['UNIQUE'], fieldNames: ['contactId'] },
      { name: '_phone', identifiers: ['PROFILE'], fieldNames: ['phoneNumber'] },
      { name: '_email', identifiers: ['PROFILE'], fieldNames: ['emailAddress'] },
    ],
  ),
  builtIn('_case', 'Cases (createCase): attached to profileId.', [['caseId', 'STRING', null]], [{ name: '_caseId', identifiers: ['UNIQUE'], fieldNames: ['caseId'] }]),
  builtIn(
    '_order',
    'Orders (recordOrder): attach by profileId, else by customerPhone / customerEmail.',
    [
      ['orderId', 'STRING', null],
      ['customerPhone', 'PHONE_NUMBER', null],
      ['customerEmail', 'EMAIL_ADDRESS', null],
    ],
    [
      { name: '_orderId', identifiers: ['UNIQUE'], fieldNames: ['orderId'] },
      { name: '_phone', identifiers: ['PROFILE'], fieldNames: ['customerPhone'] },
      { name: '_email', identifiers: ['PROFILE'], fieldNames: ['customerEmail'] },
    ],
  ),
];

const view = (row: ObjectTypeRow): ObjectTypeView => ({ ...row, builtIn: false });

/**
 * The definition a putObjectType input describes: its own fields and keys, or a built-in template's
 * (templateId), with the input's limits and priority applied.
 */
function withTemplate(input: PutObjectTypeInput): { input: PutObjectTypeInput; template: boolean } {
  if (input.templateId === null || input.templateId === undefined) return { input, template: false };
  const t = findTemplate(input.templateId);
  if (!t) throw badInput(`templateId "${String(input.templateId).slice(0, 80)}" is not a template; objectTypeTemplates lists them (${OBJECT_TYPE_TEMPLATES.map((x) => x.id).join(', ')}).`, 'templateId');
  if (input.fields || input.keys) throw badInput('Give either templateId or fields and keys, not both (start from the template, then put the type again with your changes).', 'templateId');
  return {
    input: {
      ...input,
      description: input.description ?? `${t.description} (template ${t.id} v${t.version})`,
      fields: t.fields,
      keys: t.keys,
      allowProfileCreation: input.allowProfileCreation ?? t.allowProfileCreation,
    },
    template: true,
  };
}

/** Validates a definition; every message names the offending field. */
export function validateObjectType(given: PutObjectTypeInput): Omit<ObjectTypeRow, 'domainId' | 'createdAt' | 'updatedAt'> {
  const { input, template } = withTemplate(given);
  if (!NAME.test(input.name)) {
    throw badInput(`name "${input.name}" must start with a letter and use letters, digits, "-" or "_" (≤ 64); names starting with "_" are built-in.`, 'name');
  }
  if (!input.fields) throw badInput('fields: give the fields (or a templateId).', 'fields');
  if (!input.keys) throw badInput('keys: give the keys (or a templateId).', 'keys');
  if (input.fields.length < 1 || input.fields.length > MAX_FIELDS) throw badInput(`fields: give 1–${MAX_FIELDS} fields.`, 'fields');
  const fields: FieldDefinition[] = [];
  const names = new Set<string>();
  const targets = new Set<string>();
  input.fields.forEach((f, i) => {
    const where = `fields[${i}]`;
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(f.name)) throw badInput(`${where}.name "${f.name}" must be letters, digits or "_" (≤ 64).`, `${where}.name`);
    if (names.has(f.name)) throw badInput(`${where}.name "${f.name}" is used twice.`, `${where}.name`);
    names.add(f.name);
    parseSource(f.source, `${where}.source`);
    const target = f.target === null || f.target === undefined || f.target === '' ? null : f.target;
    if (target) {
      parseTarget(target, `${where}.target`);
      if (targets.has(target)) throw badInput(`${where}.target "${target}" is already the target of another field.`, `${where}.target`);
      targets.add(target);
    }
    fields.push({ name: f.name, source: f.source, target, contentType: f.contentType ?? 'STRING' });
  });
  if (input.keys.length < 1 || input.keys.length > MAX_KEYS) throw badInput(`keys: give 1–${MAX_KEYS} keys (exactly one with UNIQUE).`, 'keys');
  const keys: KeyDefinition[] = [];
  const keyNames = new Set<string>();
  input.keys.forEach((k, i) => {
    const where = `keys[${i}]`;
    if (!KEY_NAME.test(k.name) && !(template && TEMPLATE_KEY_NAME.test(k.name))) throw badInput(`${where}.name "${k.name}" must start with a letter (or be _phone, _email or _account).`, `${where}.name`);
    if (keyNames.has(k.name)) throw badInput(`${where}.name "${k.name}" is used twice.`, `${where}.name`);
    keyNames.add(k.name);
    if (k.identifiers.length === 0) throw badInput(`${where}.identifiers must not be empty.`, `${where}.identifiers`);
    if (k.fieldNames.length === 0) throw badInput(`${where}.fieldNames must name at least one field.`, `${where}.fieldNames`);
    for (const fieldName of k.fieldNames) {
      if (!names.has(fieldName)) throw badInput(`${where}.fieldNames: "${fieldName}" is not one of the type's fields.`, `${where}.fieldNames`);
    }
    if (k.identifiers.includes('UNIQUE') && (k.identifiers.includes('LOOKUP_ONLY') || k.identifiers.includes('NEW_ONLY'))) {
      throw badInput(`${where}: a UNIQUE key is always stored; it cannot be LOOKUP_ONLY or NEW_ONLY.`, `${where}.identifiers`);
    }
    keys.push({ name: k.name, identifiers: [...new Set(k.identifiers)], fieldNames: k.fieldNames });
  });
  const unique = keys.filter((k) => k.identifiers.includes('UNIQUE'));
  if (unique.length !== 1) throw badInput(`keys: exactly one key must include UNIQUE (found ${unique.length}); it makes ingestion idempotent.`, 'keys');
  const max = input.maxObjectsPerProfile;
  if (max !== null && max !== undefined && (!Number.isInteger(max) || max < 1 || max > 1000)) {
    throw badInput('maxObjectsPerProfile must be 1–1000 (ACCP allows 1,000 objects per profile), or null.', 'maxObjectsPerProfile');
  }
  const exp = input.expirationDays;
  if (exp !== null && exp !== undefined && (!Number.isInteger(exp) || exp < 1 || exp > 1098)) {
    throw badInput('expirationDays must be 1–1098, or null to keep objects forever.', 'expirationDays');
  }
  const priority = input.sourcePriority ?? 0;
  if (!Number.isInteger(priority) || priority < 0 || priority > 1000) throw badInput('sourcePriority must be 0–1000.', 'sourcePriority');
  return {
    name: input.name,
    description: input.description?.trim() || null,
    fields,
    keys,
    allowProfileCreation: input.allowProfileCreation ?? false,
    maxObjectsPerProfile: max ?? null,
    expirationDays: exp ?? null,
    sourcePriority: priority,
  };
}

export async function putObjectType(scope: DomainScope, input: PutObjectTypeInput): Promise<ObjectTypeView> {
  const values = validateObjectType(input);
  return scope.database.db.transaction(async (tx) => {
    const existing = await findObjectType(tx, scope.domain.id, values.name);
    if (!existing && (await countObjectTypes(tx, scope.domain.id)) >= MAX_OBJECT_TYPES) {
      throw badInput(`A domain can have at most ${MAX_OBJECT_TYPES} object types.`, 'name');
    }
    return view(await upsertObjectType(tx, scope.domain.id, values));
  });
}

export async function getObjectType(scope: DomainScope, name: string): Promise<ObjectTypeView | null> {
  const fixed = BUILT_IN_TYPES.find((t) => t.name === name);
  if (fixed) return fixed;
  const row = await findObjectType(scope.database.db, scope.domain.id, name);
  return row ? view(row) : null;
}

export async function requireObjectType(scope: DomainScope, name: string): Promise<ObjectTypeView> {
  const t = await getObjectType(scope, name);
  if (!t) throw notFound('Object type', name);
  return t;
}

export async function listAllObjectTypes(scope: DomainScope): Promise<ObjectTypeView[]> {
  return [...BUILT_IN_TYPES, ...(await listObjectTypes(scope.database.db, scope.domain.id)).map(view)];
}

export async function deleteObjectType(scope: DomainScope, name: string): Promise<boolean> {
  if (name.startsWith('_')) throw badInput(`"${name}" is a built-in object type and cannot be deleted.`, 'name');
  return writeTransaction(scope, async (tx) => {
    const deleted = await deleteObjectTypeRow(tx, scope.domain.id, name);
    if (!deleted) throw notFound('Object type', name);
    await deleteObjectsOfType(tx, scope.domain.id, name);
    return true;
  });
}
