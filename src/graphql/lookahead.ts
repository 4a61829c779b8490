import { createRequire } from 'node:module';
import type { FieldNode, GraphQLObjectType, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import type { SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { relationRows, tableMeta, type JsonRelation, type RawField } from '../db/batched.js';
import { rawAllowed, RawJson, setPrefetched, prefetchKey, type PrefetchedPage } from './nested.js';
import { cursorTime, decodeCursor, pageSize, type Keyset } from './pagination.js';

// The graphql instance the schema and Apollo run on (CommonJS under Node). Importing 'graphql' here
// could load its ESM build as a second instance under vitest, whose type checks then reject the
// schema's types ("from another module or realm").
const { getArgumentValues, getDirectiveValues, getNamedType, GraphQLIncludeDirective, GraphQLSkipDirective, isAbstractType, isEnumType, isListType, isNonNullType, isObjectType, Kind } =
  createRequire(import.meta.url)('graphql') as typeof import('graphql');

/**
 * Look-ahead for a page of profiles: reads the GraphQL selection under a profiles connection
 * (Query.profiles, searchProfiles) and plans ONE statement that returns the profile columns the
 * query uses plus every nested contacts/cases/orders page as JSON built by Postgres. Nested resolvers
 * then return the prefetched page (nested.ts profileConnection); anything the planner does not
 * understand falls back to the DataLoader path, so the plan is an optimization, never a semantic.
 */

/** A profile-owned table reachable as a connection field on Profile. */
export interface NestedRelation {
  /** Field on Profile, e.g. "contacts". */
  field: string;
  table: PgTable;
  /** drizzle key of the sort timestamp (newest first). */
  sortKey: string;
  /** GraphQL fields of the node type that are not columns → columns their resolvers read. */
  computed: Record<string, readonly string[]>;
  /** Extra condition from the field's arguments, on the table aliased `t`. */
  filter?: (args: Record<string, unknown>) => SQL | undefined;
}

export interface PlannedRelation {
  relation: NestedRelation;
  key: string;
  sql: JsonRelation;
  cursor: Keyset | null;
}

export interface ProfileTreePlan {
  /** Profile columns to read (drizzle keys); all of them when the selection has a field we do not map. */
  keys: string[];
  all: boolean;
  relations: PlannedRelation[];
}

type Sets = SelectionSetNode[];

function included(info: SelectionScope, node: FieldNode | { directives?: readonly unknown[] | undefined }): boolean {
  const n = node as FieldNode;
  if (!n.directives || n.directives.length === 0) return true;
  const skip = getDirectiveValues(GraphQLSkipDirective, n, info.variableValues);
  if (skip?.['if'] === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, n, info.variableValues);
  return include?.['if'] !== false;
}

function applies(info: SelectionScope, typeName: string | undefined, type: GraphQLObjectType): boolean {
  if (!typeName || typeName === type.name) return true;
  const cond = info.schema.getType(typeName);
  return !!cond && isAbstractType(cond) && info.schema.isSubType(cond, type);
}

export type SelectionScope = Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'variableValues'>;

/**
 * Field nodes selected on `type` in the selection sets (fragments, inline fragments, @skip/@include),
 * by field name, or with `byResponseKey` by response key (alias or name) like graphql-js does.
 */
export function collectFields(info: SelectionScope, type: GraphQLObjectType, sets: Sets, byResponseKey = false): Map<string, FieldNode[]> {
  const out = new Map<string, FieldNode[]>();
  // Each fragment is expanded once per collection, as graphql-js does: a fragment spread twice adds
  // nothing the first spread did not, and expanding it per path is exponential in chained fragments.
  const visited = new Set<string>();
  const visit = (set: SelectionSetNode): void => {
    for (const sel of set.selections) {
      if (!included(info, sel)) continue;
      if (sel.kind === Kind.FIELD) {
        const name = byResponseKey ? (sel.alias?.value ?? sel.name.value) : sel.name.value;
        const list = out.get(name);
        if (list) list.push(sel);
        else out.set(name, [sel]);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (applies(info, sel.typeCondition?.name.value, type)) visit(sel.selectionSet);
      } else {
        const name = sel.name.value;
        const frag = info.fragments[name];
        if (!frag || visited.has(name) || !applies(info, frag.typeCondition.name.value, type)) continue;
        visited.add(name);
        visit(frag.selectionSet);
      }
    }
  };
  for (const s of sets) visit(s);
  return out;
}

function subSets(nodes: readonly FieldNode[]): Sets {
  return nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
}

function objectTypeOf(parent: GraphQLObjectType, field: string): GraphQLObjectType | null {
  const def = parent.getFields()[field];
  const t = def ? getNamedType(def.type) : null;
  return t && isObjectType(t) ? t : null;
}

/** The node selection sets of a connection (nodes { … } and edges { node { … } }); null if it selects fields we don't plan for. */
function connectionNodes(info: GraphQLResolveInfo, connType: GraphQLObjectType, sets: Sets, extraConnFields: readonly string[], extraEdgeFields: readonly string[]): { nodes: Sets; totalCount: boolean } | null {
  const nodes: Sets = [];
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

/** Columns (drizzle keys) the node selection needs; null = all (a field we cannot map). */
function columnsFor(info: GraphQLResolveInfo, type: GraphQLObjectType, table: PgTable, computed: Record<string, readonly string[]>, sets: Sets, into: Set<string>, skip: ReadonlySet<string> = new Set()): boolean {
  const { columns } = tableMeta(table);
  for (const name of collectFields(info, type, sets).keys()) {
    if (name === '__typename' || skip.has(name)) continue;
    const extra = computed[name];
    if (extra) for (const k of extra) into.add(k);
    else if (columns[name]) into.add(name);
    else return false;
  }
  return true;
}

/**
 * Plans the profile page for a connection field (`info` is the Query.profiles / searchProfiles
 * resolver's). `profileComputed` maps Profile fields that are not columns to the columns they need.
 */
export function planProfileTree(
  info: GraphQLResolveInfo,
  profileTable: PgTable,
  profileComputed: Record<string, readonly string[]>,
  relations: readonly NestedRelation[],
  extraConnFields: readonly string[] = [],
  extraEdgeFields: readonly string[] = [],
): ProfileTreePlan {
  const allKeys = tableMeta(profileTable).keys;
  const fallback: ProfileTreePlan = { keys: allKeys, all: true, relations: [] };
  const connType = getNamedType(info.returnType);
  if (!isObjectType(connType)) return fallback;
  const conn = connectionNodes(info, connType, subSets(info.fieldNodes), extraConnFields, extraEdgeFields);
  const profileType = objectTypeOf(connType, 'nodes');
  if (!conn || !profileType) return fallback;

  const keys = new Set<string>(['id', 'createdAt']);
  const byField = new Map(relations.map((r) => [r.field, r]));
  const planned = new Map<string, { relation: NestedRelation; args: Record<string, unknown>; nodes: Sets; totalCount: boolean; ok: boolean; occurrences: FieldNode[] }>();
  let all = false;
  for (const [name, fieldNodes] of collectFields(info, profileType, conn.nodes)) {
    if (name === '__typename') continue;
    const relation = byField.get(name);
    if (relation) {
      const def = profileType.getFields()[name]!;
      const relType = getNamedType(def.type);
      // every occurrence (aliases, fragments) with its own arguments
      for (const node of fieldNodes) {
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(def, node, info.variableValues);
        } catch {
          continue; // invalid arguments: the field's own resolver reports the error
        }
        const key = prefetchKey(name, args);
        let p = planned.get(key);
        if (!p) planned.set(key, (p = { relation, args, nodes: [], totalCount: false, ok: true, occurrences: [] }));
        p.occurrences.push(node);
        const c = isObjectType(relType) && node.selectionSet ? connectionNodes(info, relType, [node.selectionSet], [], []) : null;
        if (!c) p.ok = false;
        else {
          p.nodes.push(...c.nodes);
          p.totalCount ||= c.totalCount;
        }
      }
      continue;
    }
    const extra = profileComputed[name];
    if (extra) for (const k of extra) keys.add(k);
    else if (tableMeta(profileTable).columns[name]) keys.add(name);
    else all = true;
  }

  const out: PlannedRelation[] = [];
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
    const nodeType = objectTypeOf(getNamedType(profileType.getFields()[p.relation.field]!.type) as GraphQLObjectType, 'nodes');
    const cols = new Set<string>(['id', p.relation.sortKey]);
    const mapped = nodeType ? columnsFor(info, nodeType, p.relation.table, p.relation.computed, p.nodes, cols) : false;
    const raw = nodeType && p.occurrences.length === 1 && rawAllowed.has(info) ? rawFieldsOf(nodeType, p.relation.table, p.occurrences[0]!) : undefined;
    out.push({
      relation: p.relation,
      key,
      cursor,
      sql: {
        alias: `__r${out.length}`,
        table: p.relation.table,
        sortKey: p.relation.sortKey,
        keys: mapped ? [...cols] : tableMeta(p.relation.table).keys,
        limit,
        after,
        filter: p.relation.filter?.(p.args),
        count: p.totalCount,
        raw,
      },
    });
  }
  // A nested `profile { … }` resolves through the profile loader: read whole rows so it can be primed.
  if (out.some((r) => r.sql.keys.includes('profileId'))) all = true;
  return { keys: all ? allKeys : [...keys], all, relations: out };
}

/**
 * The leaf fields of `contacts(…) { nodes { a b: c … } }` when that is ALL the occurrence selects (no
 * fragments, directives, arguments, edges, pageInfo, totalCount) and every field is a column read by
 * the default resolver with a type Postgres can write exactly as graphql-js would; else undefined.
 */
function rawFieldsOf(nodeType: GraphQLObjectType, table: PgTable, occurrence: FieldNode): RawField[] | undefined {
  const plain = (n: { kind: string; directives?: readonly unknown[] | undefined }) => n.kind === Kind.FIELD && !(n.directives && n.directives.length > 0);
  const sels = occurrence.selectionSet?.selections ?? [];
  const nodesField = sels[0] as FieldNode | undefined;
  if (sels.length !== 1 || !nodesField || !plain(nodesField) || nodesField.name.value !== 'nodes' || nodesField.arguments?.length || !nodesField.selectionSet) return undefined;
  const { columns } = tableMeta(table);
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
    if (seen.has(responseKey) || f.arguments?.length || f.selectionSet || !def || def.resolve || !col) return undefined;
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

/** Turns the planned relation columns of each raw profile row into prefetched pages on that row. */
export function attachPrefetched(plan: ProfileTreePlan, raw: Record<string, unknown>, row: object): void {
  for (const r of plan.relations) {
    if (r.sql.raw) {
      const text = raw[r.sql.alias];
      setPrefetched(row, r.key, { raw: new RawJson(typeof text === 'string' ? text : null), rows: [], limit: r.sql.limit, cursor: r.cursor, count: null });
      continue;
    }
    const page: PrefetchedPage<unknown> = {
      rows: relationRows(r.sql.table, r.sql.keys, raw[r.sql.alias]),
      limit: r.sql.limit,
      cursor: r.cursor,
      count: r.sql.count ? Number(raw[`${r.sql.alias}_count`]) : null,
    };
    setPrefetched(row, r.key, page);
  }
}
