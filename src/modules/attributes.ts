import { badInput } from '../errors.js';

export type Attributes = Record<string, string>;

export const MAX_ATTRIBUTES = 200;

/**
 * Applies `{key, value}` inputs to an attribute map: a value sets, null removes; keys and values
 * are 1–255 characters (ACCP's limits).
 */
export function applyAttributes(
  current: Attributes,
  input: readonly { key: string; value?: string | null }[] | null | undefined,
  field = 'attributes',
): Attributes {
  if (!input) return current;
  const next: Attributes = { ...current };
  for (const { key, value } of input) {
    const k = key.trim();
    if (k.length < 1 || k.length > 255) throw badInput(`${field}: key "${key.slice(0, 40)}" must be 1–255 characters.`, field);
    if (value === null || value === undefined) {
      delete next[k];
      continue;
    }
    if (value.length < 1 || value.length > 255) throw badInput(`${field}: value of "${k}" must be 1–255 characters.`, field);
    next[k] = value;
  }
  if (Object.keys(next).length > MAX_ATTRIBUTES) throw badInput(`${field}: at most ${MAX_ATTRIBUTES} attributes are allowed.`, field);
  return next;
}

/** GraphQL view of an attribute map, sorted by key. */
export function attributeList(attrs: Attributes): { key: string; value: string }[] {
  return Object.keys(attrs)
    .sort()
    .map((key) => ({ key, value: attrs[key] as string }));
}
