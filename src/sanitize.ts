/**
 * Input sanitation shared by every entry point (GraphQL over HTTP and graphql-ws, imports, jobs,
 * the CLI): text that Postgres or a B-tree index cannot hold is refused here, with the offending
 * field named, before any SQL runs.
 *
 * Limits (documented in the README's "Limits" table):
 * - no NUL character (U+0000): Postgres `text` and `jsonb` cannot store it;
 * - well-formed UTF-16 (no lone surrogate): it cannot be encoded as UTF-8;
 * - one string value at most MAX_STRING_CHARS characters (field-specific limits, e.g. 255 for
 *   profile fields, are checked by the services and are smaller);
 * - JSON values nested at most MAX_JSON_DEPTH levels;
 * - a key value (search key, UNIQUE key, contact/case/order id) at most MAX_KEY_BYTES bytes of UTF-8,
 *   well within Postgres's B-tree row limit (~2.7 kB).
 */
import { badInput, type AppError } from './errors.js';

export const MAX_STRING_CHARS = 256 * 1024;
export const MAX_JSON_DEPTH = 32;
export const MAX_KEY_BYTES = 512;

/** What is wrong with one string, or null when it is acceptable. */
export function stringProblem(s: string, maxChars = MAX_STRING_CHARS): string | null {
  if (s.length > maxChars) return `is ${s.length} characters long; at most ${maxChars} are allowed`;
  if (s.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored; remove it';
  if (!s.isWellFormed()) return 'contains a lone UTF-16 surrogate (not valid Unicode); send well-formed text';
  return null;
}

export interface InputProblem {
  /** Where, e.g. `input.attributes[2].value` or `object.name`. */
  path: string;
  problem: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const join = (path: string, key: string): string => (IDENT.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key.slice(0, 40))}]`);

/**
 * The first problem in a JSON-like value (strings, object keys, arrays, nesting), walked without
 * recursion so a hostile nesting depth cannot overflow the stack. Null when the value is clean.
 */
export function findInputProblem(value: unknown, path: string): InputProblem | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path, depth: 0 }];
  while (stack.length > 0) {
    const { v, path: p, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = stringProblem(v);
      if (problem) return { path: p, problem };
      continue;
    }
    if (v === null || typeof v !== 'object' || v instanceof Date) continue;
    if (depth >= MAX_JSON_DEPTH) return { path: p, problem: `is nested deeper than ${MAX_JSON_DEPTH} levels` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${p}[${i}]`, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, child] = entries[i]!;
      const keyProblem = stringProblem(k, 1024);
      if (keyProblem) return { path: p, problem: `has a property name that ${keyProblem}` };
      stack.push({ v: child, path: join(p, k), depth: depth + 1 });
    }
  }
  return null;
}

/** The BAD_USER_INPUT error for a problem, naming the field. */
export function inputError(p: InputProblem): AppError {
  return badInput(`${p.path || 'The value'} ${p.problem}.`, p.path);
}

/** Throws BAD_USER_INPUT (field named) when the value holds text that cannot be stored. */
export function assertCleanInput(value: unknown, path: string): void {
  const p = findInputProblem(value, path);
  if (p) throw inputError(p);
}

/** Null when a key value fits the index limit, else what is wrong (for a message or a dead letter). */
export function keyValueProblem(keyName: string, value: string): string | null {
  const bytes = Buffer.byteLength(value);
  return bytes > MAX_KEY_BYTES ? `key "${keyName}" value is ${bytes} bytes long; at most ${MAX_KEY_BYTES} bytes are allowed for a key value` : null;
}
