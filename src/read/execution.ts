/**
 * The read planner's per-request state: one object per GraphQL request (per event for
 * subscriptions), made with the request's loaders (src/graphql/context.ts LoaderRegistry) and
 * passed explicitly. It carries what the look-ahead, the nested resolvers, the compiled fast path
 * and stringifyResult hand each other within one request; nothing of a request lives in a module.
 */
import type { Keyset } from '../modules/pagination.js';

/** Which read paths a request may take: all (default), the planner without the compiled walk, or plain graphql-js with DataLoaders. */
export type ReadMode = 'auto' | 'planned' | 'graphql-js';

/**
 * Which path answered: the compiled walk over a planned page ('fast'), graphql-js over a planned
 * page ('planned'), or graphql-js with DataLoaders only ('graphql-js').
 */
export type ReadPath = 'fast' | 'planned' | 'graphql-js';

/**
 * JSON text written by Postgres for a `nodes` list, spliced into the response by the fast path;
 * null when Postgres found a value it could not write (the fast path then steps aside).
 */
export class RawJson {
  constructor(readonly text: string | null) {}
}

/** A nested page read together with its parent row (see plan.ts). */
export interface PrefetchedPage {
  /** Rows (limit + 1 of them, to tell whether more follow), or `raw` instead. */
  rows: unknown[];
  raw?: RawJson;
  limit: number;
  cursor: Keyset | null;
  /** totalCount when it was read with the page, else null (counted on demand). */
  count: number | null;
}

export class ReadExecution {
  mode: ReadMode = 'auto';
  /** Root pages read with a look-ahead plan in this request. */
  plannedPages = 0;
  /** Set when the compiled walk produced the response. */
  fast = false;
  /**
   * The root resolver infos the compiled walk is running: only their plans may have Postgres write
   * `nodes` lists as final JSON text (graphql-js, re-running the same roots after the walk stepped
   * aside, gets other info objects and so rows).
   */
  rawRoots: ReadonlySet<object> | null = null;
  /** JSON texts written by Postgres, spliced into the response text by stringifyResult. */
  rawTexts: string[] = [];
  private pages: WeakMap<object, Map<string, PrefetchedPage>> | null = null;
  /** The GraphQL type of each row a Relay `node` lookup returned (the table it was found in). */
  private nodeTypes: WeakMap<object, string> | null = null;
  private values: WeakMap<object, Map<string, unknown>> | null = null;

  get path(): ReadPath {
    return this.fast ? 'fast' : this.plannedPages > 0 ? 'planned' : 'graphql-js';
  }

  /** Attaches a nested page, read with `parent`, under the field's key (see pageKey). */
  setPage(parent: object, key: string, page: PrefetchedPage): void {
    this.pages ??= new WeakMap();
    let m = this.pages.get(parent);
    if (!m) this.pages.set(parent, (m = new Map()));
    m.set(key, page);
  }

  pageOf(parent: object, key: string): PrefetchedPage | undefined {
    return this.pages?.get(parent)?.get(key);
  }

  /** Records the type of a row found by a Relay `node` lookup. */
  setNodeType(row: object, type: string): void {
    (this.nodeTypes ??= new WeakMap()).set(row, type);
  }

  /** The type of a row found by a Relay `node` lookup (undefined for any other value). */
  nodeTypeOf(row: object): string | undefined {
    return this.nodeTypes?.get(row);
  }

  /** Attaches a subquery field's value, read with `parent`, under the field's key (see pageKey). */
  setValue(parent: object, key: string, value: unknown): void {
    this.values ??= new WeakMap();
    let m = this.values.get(parent);
    if (!m) this.values.set(parent, (m = new Map()));
    m.set(key, value);
  }

  /** A subquery field's prefetched value ({ value }), or undefined when it was not read with the parent. */
  valueOf(parent: object, key: string): { value: unknown } | undefined {
    const m = this.values?.get(parent);
    return m && m.has(key) ? { value: m.get(key) } : undefined;
  }
}

/** The key of one nested page of a parent: the field and its (coerced) arguments. */
export function pageKey(field: string, args: Record<string, unknown>): string {
  // The same args object comes back for every parent of a page (and, in a cached compiled walk,
  // for every request): remember its text.
  let byField = pageKeys.get(args);
  if (!byField) pageKeys.set(args, (byField = new Map()));
  let key = byField.get(field);
  if (key === undefined) byField.set(field, (key = `${field}:${JSON.stringify(args)}`));
  return key;
}
const pageKeys = new WeakMap<object, Map<string, string>>();
