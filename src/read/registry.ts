/**
 * The typed relation registry: how each feature module tells the read planner about its GraphQL
 * node types, once, in its own `<feature>.relations.ts`.
 *
 * A declaration says, for every GraphQL field of a node type that is not a plain column, which
 * columns it reads *and* how it resolves — in one object, so the planner's column list and the
 * resolver cannot drift (the resolver's row parameter is typed with exactly the declared columns).
 * From the same declarations the planner builds the one-statement page (look-ahead), the DataLoader
 * fallback, and the field resolvers themselves (src/read/planner.ts); the composition root
 * (src/graphql/schema.ts) hands every module's declarations to the planner, which imports no feature.
 *
 * Fields whose name is a column of the node's table need no declaration: the default resolver
 * reads that column, and the planner selects it. The planner refuses (at start-up) a node type with
 * a field that is neither, and a resolver for a declared field written anywhere but here.
 *
 * Nothing here depends on GraphQL: declarations see rows, arguments, and for the few that load
 * more data a {@link ReadRequest} (the caller's domain scope and the request's DataLoaders).
 */
import type { SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { DomainScope } from '../modules/scope.js';

/** The drizzle columns of table T, by key. */
type ColumnsOf<T extends PgTable> = T['_']['columns'];
/** Any column of table T. */
export type ColumnOf<T extends PgTable> = ColumnsOf<T>[keyof ColumnsOf<T>];
/** The drizzle keys of table T whose columns are among C. */
type KeysOf<T extends PgTable, C> = { [K in keyof ColumnsOf<T>]: ColumnsOf<T>[K] extends C ? K : never }[keyof ColumnsOf<T>];
/** A row of table T. */
export type RowOf<T extends PgTable> = T['$inferSelect'];
/** The part of a row of T that columns C hold: all a declared resolver may read. */
export type RowWith<T extends PgTable, C extends readonly PgColumn[]> = Pick<RowOf<T>, KeysOf<T, C[number]> & keyof RowOf<T>>;

/**
 * Rows of node types by GraphQL type name, for typed by-id loaders (`planner.loader(ctx, 'Profile')`)
 * and the Relay node loader (`anyNode`).
 * Modules add their types by declaration merging in their relations file.
 */
export interface NodeRows {}

/** What a declaration that loads more data gets: the caller's domain and the request's memo. */
export interface ReadRequest {
  readonly scope: DomainScope;
  /** A per-request value (a DataLoader) by `<values>By<Key>` name, made on first use; gone with the request. */
  memo<T>(name: string, make: () => T): T;
  /** The request's by-id DataLoader of a node type (its `byId` declaration). */
  byId<K extends keyof NodeRows & string>(type: K): ByIdLoader<NodeRows[K]>;
  /**
   * The request's loader of rows of any Relay node type (declared with `domain`) by id, in the
   * caller's domain: every id the request asks for is read in one statement; null for misses.
   * Ids must be UUIDs (the caller filters anything else out).
   */
  anyNode(): ByIdLoader<AnyNodeRow>;
}

/** A row of any node type (see {@link ReadRequest.anyNode}). */
export type AnyNodeRow = NodeRows[keyof NodeRows];

/** The part of a DataLoader the registry's by-id loaders expose. */
export interface ByIdLoader<R> {
  load(id: string): Promise<R | null>;
  loadMany(ids: readonly string[]): Promise<(R | null | Error)[]>;
  prime(id: string, row: R): unknown;
}

/** A pure, synchronous field computed from the row's declared columns (the compiled fast path runs it). */
export interface FieldDecl {
  readonly kind: 'field';
  readonly columns: readonly PgColumn[];
  readonly resolve: (row: never, args: never) => unknown;
}

/** A field that loads data (asynchronous): its columns, and its resolver given the request. */
export interface ResolverDecl {
  readonly kind: 'resolver';
  readonly columns: readonly PgColumn[];
  readonly resolve: (row: never, args: never, request: ReadRequest) => unknown;
  /** SQL statements one batch (a whole level of parents) takes; 1 unless declared (test/planner.test.ts counts them). */
  readonly statements?: number;
}

/** A field holding another node by id (`Contact.profile`): loaded through the target's by-id loader. */
export interface ReferenceDecl {
  readonly kind: 'reference';
  readonly column: PgColumn;
  /** GraphQL type name of the target node (registered with `byId`). */
  readonly target: string;
}

/**
 * A field whose value Postgres computes for each parent row with a correlated subquery (e.g.
 * `Profile.calculatedAttributes`): planned into the page's one statement as a select-list item;
 * without a plan, loaded for every parent of the level in one statement.
 */
export interface SubqueryDecl {
  readonly kind: 'subquery';
  /** The select-list expression for the parent whose id is `parentId` (e.g. sql`p.id`) in the caller's domain. */
  readonly select: (domainId: string, parentId: SQL, args: never) => SQL;
  /** The same values for many parents in one statement, by parent id (the DataLoader path). */
  readonly load: (scope: DomainScope, parentIds: readonly string[], args: never) => Promise<Map<string, unknown>>;
  /** The field's value from what `select`/`load` returned (null for a parent they did not return). */
  readonly resolve: (value: unknown, args: never, request: ReadRequest, parentId: string) => unknown;
  /** SQL statements `resolve` adds per level of parents (besides `select`/`load`); 0 unless declared (test/planner.test.ts counts them). */
  readonly statements?: number;
}

export type NodeFieldDecl = FieldDecl | ResolverDecl | ReferenceDecl | SubqueryDecl;

/** Field builders bound to one table, so resolvers are typed with exactly the columns they declare. */
export function fieldsOf<T extends PgTable>(_table: T) {
  return {
    /** A synchronous field: `field({ columns: [t.a, t.b], resolve: (row) => … })` — `row` holds a and b only. */
    field<const C extends readonly ColumnOf<T>[], A = Record<string, never>>(d: { columns: C; resolve: (row: RowWith<T, C>, args: A) => unknown }): FieldDecl {
      return { kind: 'field', columns: d.columns as readonly PgColumn[], resolve: d.resolve as FieldDecl['resolve'] };
    },
    /** An asynchronous field that loads data through the request's loaders. */
    resolver<const C extends readonly ColumnOf<T>[], A = Record<string, never>>(d: {
      columns: C;
      resolve: (row: RowWith<T, C>, args: A, request: ReadRequest) => unknown;
      statements?: number;
    }): ResolverDecl {
      return { kind: 'resolver', columns: d.columns as readonly PgColumn[], resolve: d.resolve as ResolverDecl['resolve'], ...(d.statements ? { statements: d.statements } : {}) };
    },
    /** A value Postgres computes per row (a correlated subquery), planned into the page's statement. */
    subquery<A = Record<string, never>>(d: {
      select: (domainId: string, parentId: SQL, args: A) => SQL;
      load: (scope: DomainScope, parentIds: readonly string[], args: A) => Promise<Map<string, unknown>>;
      resolve: (value: unknown, args: A, request: ReadRequest, parentId: string) => unknown;
      statements?: number;
    }): SubqueryDecl {
      return { kind: 'subquery', select: d.select as SubqueryDecl['select'], load: d.load as SubqueryDecl['load'], resolve: d.resolve as SubqueryDecl['resolve'], ...(d.statements ? { statements: d.statements } : {}) };
    },
    /** Another node by the id in `column` (null column → null). */
    reference(d: { column: ColumnOf<T>; target: keyof NodeRows & string }): ReferenceDecl {
      return { kind: 'reference', column: d.column as PgColumn, target: d.target };
    },
  };
}

/** A GraphQL object type whose parents are rows of one table. */
export interface NodeDecl<T extends PgTable = PgTable> {
  /** The GraphQL type name. */
  readonly type: string;
  readonly table: T;
  readonly id: PgColumn;
  /**
   * The column holding the tenant (domain id). A type with one is a Relay node: `node(id)` /
   * `nodes(ids)` find its rows by id within the caller's domain, and its SDL must implement `Node`
   * (checked at start-up). Its ids must be unique across every such type (UUIDs).
   */
  readonly domain?: PgColumn;
  /** Every field that is not a plain column of `table` (columns need no declaration). */
  readonly fields: Readonly<Record<string, NodeFieldDecl>>;
  /**
   * Rows by id within the caller's domain: gives the request's `<name>` DataLoader (e.g. profilesById),
   * used by references to this type and primed by pages that read whole rows.
   */
  readonly byId?: { readonly name: string; readonly load: (scope: DomainScope, ids: readonly string[]) => Promise<RowOf<T>[]> };
}

export function node<T extends PgTable>(d: NodeDecl<T>): NodeDecl<T> {
  return d;
}

/** Fields one module adds to another module's node type (the SDL's `extend type`). */
export interface ExtensionDecl {
  readonly type: string;
  readonly fields: Readonly<Record<string, NodeFieldDecl>>;
}

/**
 * A connection field from a parent node to the rows of a child table that point at it
 * (`Profile.contacts`): newest first by `sort`, the child's id breaking ties, keyset cursors,
 * `first`/`after` arguments, an optional filter from the other arguments, `totalCount`.
 * The child table needs an index on (domain, parent, sort desc, id desc).
 */
export interface ConnectionDecl<A = never> {
  readonly parent: string;
  readonly field: string;
  readonly node: NodeDecl;
  /** The child column holding the parent's id. */
  readonly parentColumn: PgColumn;
  /** The child column holding the tenant (domain id). */
  readonly domainColumn: PgColumn;
  /** The timestamp the pages are sorted by, newest first. */
  readonly sort: PgColumn;
  /** The field's filter arguments → a condition on the child table (drizzle columns), or none. */
  readonly filter?: (args: A) => SQL | undefined;
}

export function connection<T extends PgTable, A = Record<string, unknown>>(d: {
  parent: string;
  field: string;
  node: NodeDecl<T>;
  parentColumn: ColumnOf<T>;
  domainColumn: ColumnOf<T>;
  sort: ColumnOf<T>;
  filter?: (args: A) => SQL | undefined;
}): ConnectionDecl<A> {
  return d as unknown as ConnectionDecl<A>;
}

/**
 * A root field whose resolver reads a page of nodes through the planner (`Query.profiles`): the
 * look-ahead plans its nested connections into the page's own statement, and the compiled fast
 * path may answer it.
 */
export interface PageDecl {
  /** The Query field. */
  readonly root: string;
  /** The GraphQL node type of the page. */
  readonly node: string;
  /** Columns the root resolver always reads (its keyset). */
  readonly always: readonly PgColumn[];
  /** Fields of the connection / its edges the root resolver fills itself (e.g. matchedKeys). */
  readonly connectionFields?: readonly string[];
  readonly edgeFields?: readonly string[];
}

/** What one feature module declares. */
export interface ReadModule {
  readonly nodes?: readonly NodeDecl[];
  readonly extensions?: readonly ExtensionDecl[];
  readonly connections?: readonly ConnectionDecl<never>[];
  readonly pages?: readonly PageDecl[];
}
