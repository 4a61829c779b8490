/**
 * Look-ahead for a page of nodes (Query.profiles, searchProfiles): reads the GraphQL selection
 * under the root connection and plans ONE statement that returns the node columns the selection
 * needs plus every nested connection page as JSON built by Postgres. The columns come from the
 * relation registry (registry.ts): each selected field's declared columns, or the column of that
 * name. Nested resolvers then return the prefetched page (connection.ts); anything the planner
 * does not plan falls back to the DataLoader path, so the plan is an optimization, never a semantic.
 */
import type { FieldNode, GraphQLObjectType, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import type { SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { tableMeta, type ChildTable, type JsonRelation, type RawField } from '../db/batched.js';
import { cursorTime, decodeCursor, pageSize, type Keyset } from '../modules/pagination.js';
import { pageKey } from './execution.js';
import type { ConnectionDecl, NodeDecl, NodeFieldDecl, PageDecl } from './registry.js';
import { collectFields, graphql, subSets, type SelectionScope } from './selection.js';

const { getArgumentValues, getNamedType, isEnumType, isListType, isNonNullType, isObjectType, Kind } = graphql;

/** What the planner knows about one node type, merged from every module's declarations. */
export interface NodeInfo {
  readonly type: string;
  readonly decl: NodeDecl;
  readonly table: PgTable;
  /** drizzle key of the id column. */
  readonly idKey: string;
  /** Declared fields (the node's own and other modules' extensions). */
  readonly declared: ReadonlyMap<string, NodeFieldDecl>;
  /** Field → the columns (drizzle keys) it needs: declared fields, connections (the id), plain columns. */
  readonly columns: ReadonlyMap<string, readonly string[]>;
  /** Reference fields → target type. */
  readonly references: ReadonlyMap<string, string>;
  /** Connections from this type, by field. */
  readonly connections: ReadonlyMap<string, ConnectionInfo>;
}

export interface ConnectionInfo {
  readonly decl: ConnectionDecl<never>;
  readonly parent: NodeInfo;
  readonly node: NodeInfo;
  readonly child: ChildTable;
  readonly sortKey: string;
  /** DataLoader names, `<values>By<Key>` (+ the arguments). */
  readonly loaderName: string;
  readonly countLoaderName: string;
  /** The keyset (cursor) of a child row. */
  readonly keyOf: (row: Record<string, unknown>) => Keyset;
}

export interface PageInfo {
  readonly decl: PageDecl;
  readonly node: NodeInfo;
  readonly alwaysKeys: readonly string[];
}

export interface PlannedRelation {
  readonly conn: ConnectionInfo;
  /** pageKey(field, args) of the pages this relation fills. */
  readonly key: string;
  readonly sql: JsonRelation;
  readonly cursor: Keyset | null;
}

/** A subquery field (registry SubqueryDecl) read with the page: one select-list item per distinct arguments. */
export interface PlannedValue {
  /** pageKey(field, args). */
  readonly key: string;
  readonly alias: string;
  readonly select: (domainId: string, parentId: SQL) => SQL;
}

export interface PagePlan {
  readonly node: NodeInfo;
  /** Node columns to read (drizzle keys). */
  readonly keys: readonly string[];
  /** Whole rows are read and primed into the node's by-id loader (a nested reference will ask for them). */
  readonly prime: boolean;
  readonly relations: readonly PlannedRelation[];
  readonly values: readonly PlannedValue[];
}

/** The plan of a page read without look-ahead: whole rows, nested connections through DataLoaders. */
export function wholeRows(node: NodeInfo, prime: boolean): PagePlan {
  return { node, keys: tableMeta(node.table).keys, prime, relations: [], values: [] };
}

function objectTypeOf(parent: GraphQLObjectType, field: string): GraphQLObjectType | null {
  const def = parent.getFields()[field];
  const t = def ? getNamedType(def.type) : null;
  return t && isObjectType(t) ? t : null;
}

/** The node selection sets of a connection (nodes { … } and edges { node { … } }); null if it selects fields we don't plan for. */
function connectionNodes(
  info: SelectionScope,
  connType: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  extraConnFields: readonly string[],
  extraEdgeFields: readonly string[],
): { nodes: SelectionSetNode[]; totalCount: boolean } | null {
  const nodes: SelectionSetNode[] = [];
  let totalCount = false;
  for (const [name, fieldNodes] of collectFields(info, connType, sets)) {
    if (name === 'nodes') nodes.push(...subSets(fieldNodes));
    else if (name === 'edges') {
      const edgeType = objectTypeOf(connType, 'edges');
      if (!edgeType) return null;
      for (const [en, enodes] of collectFields(info, edgeType, subSets(fieldNodes))) {
        if (en === 'node') nodes.push(...subSets(enodes));
        else if (en !== 'cursor' && en !== '__typename' && !extraEdgeFields.includes(en)) return null;
      }
    } else if (name === 'totalCount') totalCount = true;
    else if (name !== 'pageInfo' && name !== '__typename' && !extraConnFields.includes(name)) return null;
  }
  return { nodes, totalCount };
}

/**
 * Adds the columns the node selection needs to `into` (false when a field is unknown: then read
 * them all), and the target types of selected references to `targets`.
 */
function columnsFor(info: SelectionScope, type: GraphQLObjectType, node: NodeInfo, sets: readonly SelectionSetNode[], into: Set<string>, targets: Set<string>): boolean {
  for (const name of collectFields(info, type, sets).keys()) {
    if (name === '__typename') continue;
    const cols = node.columns.get(name);
    if (!cols) return false;
    for (const k of cols) into.add(k);
    const target = node.references.get(name);
    if (target) targets.add(target);
  }
  return true;
}

interface Occurrences {
  conn: ConnectionInfo;
  args: Record<string, unknown>;
  nodes: SelectionSetNode[];
  totalCount: boolean;
  ok: boolean;
  occurrences: FieldNode[];
}

/**
 * Plans the page for a root connection field (`info` is its resolver's). `raw`: the compiled walk
 * runs this root, so simple nested `nodes` lists may come back as final JSON text.
 */
export function planPage(info: GraphQLResolveInfo, page: PageInfo, raw: boolean): PagePlan {
  const node = page.node;
  const fallback = wholeRows(node, true);
  const connType = getNamedType(info.returnType);
  if (!isObjectType(connType)) return fallback;
  const conn = connectionNodes(info, connType, subSets(info.fieldNodes), page.decl.connectionFields ?? [], page.decl.edgeFields ?? []);
  const nodeType = objectTypeOf(connType, 'nodes');
  if (!conn || !nodeType) return fallback;

  const keys = new Set<string>(page.alwaysKeys);
  const planned = new Map<string, Occurrences>();
  const values = new Map<string, PlannedValue>();
  let all = false;
  for (const [name, fieldNodes] of collectFields(info, nodeType, conn.nodes)) {
    if (name === '__typename') continue;
    const sub = node.declared.get(name);
    if (sub?.kind === 'subquery') {
      const def = nodeType.getFields()[name]!;
      keys.add(node.idKey);
      for (const fieldNode of fieldNodes) {
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(def, fieldNode, info.variableValues);
        } catch {
          continue; // invalid arguments: the field's own resolver reports the error
        }
        const key = pageKey(name, args);
        if (!values.has(key)) values.set(key, { key, alias: `__v${values.size}`, select: (domainId, parentId) => sub.select(domainId, parentId, args as never) });
      }
      continue;
    }
    const c = node.connections.get(name);
    if (c) {
      const def = nodeType.getFields()[name]!;
      const relType = getNamedType(def.type);
      keys.add(node.idKey);
      // every occurrence (aliases, fragments) with its own arguments
      for (const fieldNode of fieldNodes) {
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(def, fieldNode, info.variableValues);
        } catch {
          continue; // invalid arguments: the field's own resolver reports the error
        }
        const key = pageKey(name, args);
        let p = planned.get(key);
        if (!p) planned.set(key, (p = { conn: c, args, nodes: [], totalCount: false, ok: true, occurrences: [] }));
        p.occurrences.push(fieldNode);
        const cn = isObjectType(relType) && fieldNode.selectionSet ? connectionNodes(info, relType, [fieldNode.selectionSet], [], []) : null;
        if (!cn) p.ok = false;
        else {
          p.nodes.push(...cn.nodes);
          p.totalCount ||= cn.totalCount;
        }
      }
      continue;
    }
    const cols = node.columns.get(name);
    if (cols) for (const k of cols) keys.add(k);
    else all = true;
  }

  const out: PlannedRelation[] = [];
  const targets = new Set<string>();
  for (const [key, p] of planned) {
    if (!p.ok) continue;
    let limit: number;
    let cursor: Keyset | null;
    let after: { at: Date; id: string } | null;
    try {
      limit = pageSize(p.args['first'] as number | null | undefined);
      cursor = decodeCursor(p.args['after'] as string | null | undefined);
      after = cursor ? { at: cursorTime(cursor), id: cursor.id } : null;
    } catch {
      continue; // BAD_USER_INPUT is raised by the nested resolver itself, at its own path
    }
    const c = p.conn;
    const childType = objectTypeOf(getNamedType(nodeType.getFields()[c.decl.field]!.type) as GraphQLObjectType, 'nodes');
    const cols = new Set<string>([c.node.idKey, c.sortKey]);
    const mapped = childType ? columnsFor(info, childType, c.node, p.nodes, cols, targets) : false;
    if (!mapped) for (const t of c.node.references.values()) targets.add(t); // whole rows: any reference may be read
    const rawFields = raw && childType && p.occurrences.length === 1 ? rawFieldsOf(childType, c.node, p.occurrences[0]!) : undefined;
    out.push({
      conn: c,
      key,
      cursor,
      sql: {
        alias: `__r${out.length}`,
        child: c.child,
        keys: mapped ? [...cols] : tableMeta(c.node.table).keys,
        limit,
        after,
        filter: c.decl.filter?.(p.args as never),
        count: p.totalCount,
        raw: rawFields,
      },
    });
  }
  // A nested reference back to this page's node type (`contacts { profile { … } }`) resolves through
  // the by-id loader: read whole rows so it can be primed and answer without a statement.
  if (targets.has(node.type)) all = true;
  return { node, keys: all ? tableMeta(node.table).keys : [...keys], prime: all, relations: out, values: [...values.values()] };
}

/**
 * The leaf fields of `contacts(…) { nodes { a b: c … } }` when that is ALL the occurrence selects (no
 * fragments, directives, arguments, edges, pageInfo, totalCount) and every field is a plain column
 * (no declaration, no resolver) with a type Postgres can write exactly as graphql-js would; else undefined.
 */
function rawFieldsOf(nodeType: GraphQLObjectType, node: NodeInfo, occurrence: FieldNode): RawField[] | undefined {
  const plain = (n: { kind: string; directives?: readonly unknown[] | undefined }) => n.kind === Kind.FIELD && !(n.directives && n.directives.length > 0);
  const sels = occurrence.selectionSet?.selections ?? [];
  const nodesField = sels[0] as FieldNode | undefined;
  if (sels.length !== 1 || !nodesField || !plain(nodesField) || nodesField.name.value !== 'nodes' || nodesField.arguments?.length || !nodesField.selectionSet) return undefined;
  const { columns } = tableMeta(node.table);
  const defs = nodeType.getFields();
  const seen = new Set<string>();
  const out: RawField[] = [];
  for (const sel of nodesField.selectionSet.selections) {
    if (!plain(sel)) return undefined;
    const f = sel as FieldNode;
    const name = f.name.value;
    const responseKey = f.alias?.value ?? name;
    const def = defs[name];
    const col = columns[name];
    if (seen.has(responseKey) || f.arguments?.length || f.selectionSet || !def || def.resolve || !col || node.declared.has(name) || node.connections.has(name)) return undefined;
    seen.add(responseKey);
    const nonNull = isNonNullType(def.type);
    const t = nonNull ? (def.type as { ofType: unknown }).ofType : def.type;
    if (isListType(t)) return undefined;
    const named = t as { name: string };
    const ct = col.columnType;
    let kind: RawField['kind'] | undefined;
    let enumValues: string[] | undefined;
    if ((named.name === 'String' || named.name === 'ID') && (ct === 'PgText' || ct === 'PgUUID')) kind = 'json';
    else if (named.name === 'Int' && ct === 'PgInteger') kind = 'json';
    else if (named.name === 'Boolean' && ct === 'PgBoolean') kind = 'json';
    else if (named.name === 'DateTime' && ct === 'PgTimestamp') kind = 'datetime';
    else if (named.name === 'Decimal' && ct === 'PgNumeric') kind = 'decimal';
    else if (isEnumType(t) && ct === 'PgText') {
      const values = t.getValues();
      if (values.some((v) => v.value !== v.name)) return undefined;
      kind = 'enum';
      enumValues = values.map((v) => v.name);
    }
    if (!kind) return undefined;
    out.push({ responseKey, column: name, kind, enumValues, nonNull });
  }
  return out.length > 0 ? out : undefined;
}
