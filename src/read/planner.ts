/**
 * The read planner: the relation registry of every feature module (registry.ts), merged and
 * checked once at start-up, and everything derived from it — the look-ahead page plan (plan.ts),
 * nested connections and their DataLoader fallback (connection.ts), by-id loaders, the field
 * resolvers of every registered node type, and the list of fields the compiled fast path may run.
 *
 * It imports no feature: the composition root (src/graphql/schema.ts) passes the modules'
 * declarations in.
 */
import DataLoader from 'dataloader';
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { mapRow, relationColumns, relationRows, rowsByIds, tableMeta, type IdTable } from '../db/batched.js';
import type { DomainScope } from '../modules/scope.js';
import { resolveConnection, type ConnectionRequest, type RequestLoaders } from './connection.js';
import { pageKey, RawJson } from './execution.js';
import { planPage, wholeRows, type ConnectionInfo, type NodeInfo, type PageInfo, type PagePlan } from './plan.js';
import type { AnyNodeRow, ByIdLoader, NodeFieldDecl, NodeRows, ReadModule, ReadRequest } from './registry.js';
import { graphql } from './selection.js';

const { isInterfaceType, isObjectType } = graphql;

/** The Relay interface of the node types declared with a `domain` column (`node(id)`, `nodes(ids)`). */
export const NODE_INTERFACE = 'Node';

/** What the planner needs of a request context: its per-request loaders and read execution. */
export interface ReadContext {
  readonly loaders: RequestLoaders;
}

/** Process counters of the paths reads took (also in `extensions.diagnostics` per request). */
export interface ReadStats {
  /** Responses produced by the compiled walk. */
  fast: number;
  /** Operations the compiled walk tried and left to graphql-js. */
  fastDeclined: number;
  /** Root pages read with a look-ahead plan. */
  plannedPages: number;
  /** Nested connection pages read through the DataLoader path (one statement per batch). */
  loadedPages: number;
}

type FieldResolver = (source: never, args: never, ctx: never, info: never) => unknown;

class RegistryError extends Error {
  constructor(problems: string[]) {
    super(`read registry: ${problems.join('; ')}`);
  }
}

function keyOfColumn(table: PgTable, column: PgColumn, where: string, problems: string[]): string {
  const { columns, keys } = tableMeta(table);
  const key = keys.find((k) => columns[k] === column);
  if (!key) problems.push(`${where}: column "${column.name}" is not a column of that node's table`);
  return key ?? column.name;
}

export class ReadPlanner<C extends ReadContext = ReadContext> {
  readonly stats: ReadStats = { fast: 0, fastDeclined: 0, plannedPages: 0, loadedPages: 0 };
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pages = new Map<string, PageInfo>();
  private readonly generated: Record<string, Record<string, FieldResolver>> = {};
  /** Node types declared with a `domain` column (Relay nodes), in registration order, and their tables. */
  private readonly relayNodes: NodeInfo[] = [];
  private readonly relayTables: readonly IdTable[];

  /**
   * @param scopeOf the caller's domain scope of a request context (throws when it has none)
   */
  constructor(
    modules: readonly ReadModule[],
    private readonly scopeOf: (ctx: C) => DomainScope,
  ) {
    const problems: string[] = [];
    const fields = new Map<string, Map<string, NodeFieldDecl>>();
    for (const m of modules) {
      for (const n of m.nodes ?? []) {
        if (fields.has(n.type)) problems.push(`${n.type} is declared twice`);
        fields.set(n.type, new Map(Object.entries(n.fields)));
      }
    }
    for (const m of modules) {
      for (const e of m.extensions ?? []) {
        const own = fields.get(e.type);
        if (!own) {
          problems.push(`an extension of ${e.type}, which no module declares as a node`);
          continue;
        }
        for (const [name, d] of Object.entries(e.fields)) {
          if (own.has(name)) problems.push(`${e.type}.${name} is declared twice`);
          own.set(name, d);
        }
      }
    }
    for (const m of modules) {
      for (const n of m.nodes ?? []) {
        const declared = fields.get(n.type)!;
        const columns = new Map<string, readonly string[]>();
        const references = new Map<string, string>();
        const { keys } = tableMeta(n.table);
        for (const k of keys) columns.set(k, [k]);
        for (const [name, d] of declared) {
          const where = `${n.type}.${name}`;
          if (d.kind === 'reference') {
            columns.set(name, [keyOfColumn(n.table, d.column, where, problems)]);
            references.set(name, d.target);
          } else if (d.kind === 'subquery') {
            columns.set(name, [keyOfColumn(n.table, n.id, where, problems)]);
          } else {
            columns.set(name, d.columns.map((c) => keyOfColumn(n.table, c, where, problems)));
          }
        }
        const info: NodeInfo = {
          type: n.type,
          decl: n,
          table: n.table,
          idKey: keyOfColumn(n.table, n.id, `${n.type} id`, problems),
          declared,
          columns,
          references,
          connections: new Map(),
        };
        this.nodes.set(n.type, info);
        if (n.domain) {
          keyOfColumn(n.table, n.domain, `${n.type} domain`, problems);
          this.relayNodes.push(info);
        }
      }
    }
    this.relayTables = this.relayNodes.map((n) => ({ table: n.table, id: n.decl.id, domainColumn: n.decl.domain! }));
    for (const m of modules) {
      for (const c of m.connections ?? []) {
        const where = `${c.parent}.${c.field}`;
        const parent = this.nodes.get(c.parent);
        const child = this.nodes.get(c.node.type);
        if (!parent || !child) {
          problems.push(`${where}: ${!parent ? c.parent : c.node.type} is not a registered node type`);
          continue;
        }
        if (parent.declared.has(c.field) || parent.connections.has(c.field)) problems.push(`${where} is declared twice`);
        const sortKey = keyOfColumn(child.table, c.sort, `${where} sort`, problems);
        keyOfColumn(child.table, c.parentColumn, `${where} parent column`, problems);
        keyOfColumn(child.table, c.domainColumn, `${where} domain column`, problems);
        const idKey = child.idKey;
        const values = c.field;
        const info: ConnectionInfo = {
          decl: c,
          parent,
          node: child,
          child: { table: child.table, parentColumn: c.parentColumn, domainColumn: c.domainColumn, sort: c.sort, id: child.decl.id },
          sortKey,
          loaderName: `${values}By${c.parent}`,
          countLoaderName: `${values}CountBy${c.parent}`,
          keyOf: (row) => ({ sort: (row[sortKey] as Date).toISOString(), id: row[idKey] as string }),
        };
        (parent.connections as Map<string, ConnectionInfo>).set(c.field, info);
        (parent.columns as Map<string, readonly string[]>).set(c.field, [parent.idKey]);
      }
      for (const p of m.pages ?? []) {
        const n = this.nodes.get(p.node);
        if (!n) {
          problems.push(`page Query.${p.root}: ${p.node} is not a registered node type`);
          continue;
        }
        if (this.pages.has(p.root)) problems.push(`page Query.${p.root} is declared twice`);
        this.pages.set(p.root, { decl: p, node: n, alwaysKeys: p.always.map((c) => keyOfColumn(n.table, c, `page Query.${p.root}`, problems)) });
      }
    }
    for (const n of this.nodes.values()) {
      for (const [name, target] of n.references) {
        if (!this.nodes.get(target)?.decl.byId) problems.push(`${n.type}.${name}: its target ${target} has no byId loader`);
      }
    }
    if (problems.length > 0) throw new RegistryError(problems);
    this.generate();
  }

  /** The registered node types (for tests generated from the registry). */
  nodeTypes(): readonly NodeInfo[] {
    return [...this.nodes.values()];
  }

  /** Every registered connection. */
  connections(): readonly ConnectionInfo[] {
    return [...this.nodes.values()].flatMap((n) => [...n.connections.values()]);
  }

  /** Every registered root page. */
  pageRoots(): readonly PageInfo[] {
    return [...this.pages.values()];
  }

  /** Query fields that read planned pages (the compiled walk may start there). */
  rootFields(): string[] {
    return [...this.pages.keys()];
  }

  /**
   * `Type.field` resolvers that are synchronous and pure given (source, args, context): declared
   * fields, and connections (synchronous when their page was planned; a promise otherwise, which
   * the compiled walk declines).
   */
  syncFields(): string[] {
    const out: string[] = [];
    for (const n of this.nodes.values()) {
      for (const [name, d] of n.declared) if (d.kind === 'field') out.push(`${n.type}.${name}`);
      for (const name of n.connections.keys()) out.push(`${n.type}.${name}`);
    }
    return out;
  }

  /** The resolvers of every registered node type's declared fields and connections. */
  resolvers(): Record<string, Record<string, FieldResolver>> {
    return this.generated;
  }

  private generate(): void {
    for (const n of this.nodes.values()) {
      const map: Record<string, FieldResolver> = {};
      for (const [name, d] of n.declared) {
        if (d.kind === 'field') map[name] = d.resolve as FieldResolver;
        else if (d.kind === 'resolver') {
          const resolve = d.resolve as (row: unknown, args: unknown, request: ReadRequest) => unknown;
          map[name] = ((row: unknown, args: unknown, ctx: C) => resolve(row, args, this.request(ctx))) as FieldResolver;
        } else if (d.kind === 'subquery') {
          const resolve = d.resolve as (value: unknown, args: unknown, request: ReadRequest, parentId: string) => unknown;
          const load = d.load as (scope: DomainScope, ids: readonly string[], args: unknown) => Promise<Map<string, unknown>>;
          const idKey = n.idKey;
          map[name] = ((row: Record<string, unknown>, args: Record<string, unknown>, ctx: C) => {
            const id = row[idKey] as string;
            const request = this.request(ctx);
            const hit = ctx.loaders.execution.valueOf(row, pageKey(name, args));
            if (hit) return resolve(hit.value, args, request, id);
            const loader = ctx.loaders.get(`${name}By${n.type}:${JSON.stringify(args)}`, () => {
              const scope = this.scopeOf(ctx);
              return new DataLoader<string, unknown>(async (ids) => {
                this.stats.loadedPages++;
                const m = await load(scope, ids, args);
                return ids.map((i) => (m.has(i) ? m.get(i) : null));
              });
            });
            return loader.load(id).then((v) => resolve(v, args, request, id));
          }) as FieldResolver;
        } else {
          const key = n.columns.get(name)![0]!;
          const target = d.target as keyof NodeRows & string;
          map[name] = ((row: Record<string, unknown>, _args: unknown, ctx: C) => {
            const id = row[key] as string | null | undefined;
            return id === null || id === undefined ? null : this.loader(ctx, target).load(id);
          }) as FieldResolver;
        }
      }
      for (const [name, c] of n.connections) {
        map[name] = ((parent: Record<string, unknown>, args: Record<string, unknown>, ctx: C) => resolveConnection(this.connectionRequest(ctx), c, parent, args)) as FieldResolver;
      }
      if (Object.keys(map).length > 0) this.generated[n.type] = map;
    }
    if (this.relayNodes.length > 0) {
      // A Node's concrete type is the table its row was found in, recorded by the anyNode loader.
      this.generated[NODE_INTERFACE] = {
        __resolveType: ((row: object, ctx: C) => ctx.loaders.execution.nodeTypeOf(row)) as FieldResolver,
      };
    }
  }

  /**
   * Checks the registry against the built schema: every field of a registered node type is a column
   * of its table or declared, every declaration names a field, and no other resolver map resolves a
   * registered node type's field (a second resolver the planner would not know about).
   */
  checkSchema(schema: GraphQLSchema, otherResolvers: readonly Record<string, unknown>[]): void {
    const problems: string[] = [];
    for (const n of this.nodes.values()) {
      const type = schema.getType(n.type);
      if (!type || !isObjectType(type)) {
        problems.push(`${n.type} is not an object type of the schema`);
        continue;
      }
      const defs = type.getFields();
      for (const name of Object.keys(defs)) {
        if (!n.columns.has(name)) problems.push(`${n.type}.${name} is neither a column of its table nor declared in a relations file`);
      }
      for (const name of [...n.declared.keys(), ...n.connections.keys()]) {
        if (!defs[name]) problems.push(`${n.type}.${name} is declared but not in the schema`);
      }
      for (const map of otherResolvers) {
        const own = map[n.type] as Record<string, unknown> | undefined;
        for (const name of Object.keys(own ?? {})) problems.push(`${n.type}.${name} has a resolver outside the read registry (declare it in its relations file)`);
      }
    }
    const iface = schema.getType(NODE_INTERFACE);
    const relay = new Set(this.relayNodes.map((n) => n.type));
    const implementing = iface && isInterfaceType(iface) ? schema.getPossibleTypes(iface).map((t) => t.name) : [];
    for (const name of implementing) {
      if (!relay.has(name)) problems.push(`${name} implements ${NODE_INTERFACE} but is not a node declared with a domain column (node(id) could not find it)`);
    }
    for (const name of relay) {
      if (!implementing.includes(name)) problems.push(`${name} is declared with a domain column but does not implement ${NODE_INTERFACE} in the schema`);
    }
    const query = schema.getQueryType();
    for (const p of this.pages.keys()) if (!query?.getFields()[p]) problems.push(`page Query.${p} is not a Query field`);
    if (problems.length > 0) throw new RegistryError(problems);
  }

  private connectionRequest(ctx: C): ConnectionRequest {
    return ctx.loaders.get('readConnectionRequest', () => ({
      loaders: ctx.loaders,
      scope: () => this.scopeOf(ctx),
      onLoad: () => {
        this.stats.loadedPages++;
      },
    }));
  }

  /** What declared resolvers get: the caller's domain scope and the request's loaders. */
  request(ctx: C): ReadRequest {
    return ctx.loaders.get('readRequest', () => {
      const planner = this;
      let scope: DomainScope | undefined;
      const request: ReadRequest = {
        get scope() {
          return (scope ??= planner.scopeOf(ctx));
        },
        memo: (name, make) => ctx.loaders.get(name, make),
        byId: (type) => planner.loader(ctx, type),
        anyNode: () => planner.anyNodeLoader(ctx),
      };
      return request;
    });
  }

  /** The request's by-id DataLoader of a node type (`profilesById`): rows of the caller's domain, null for misses. */
  loader<K extends keyof NodeRows & string>(ctx: C, type: K): ByIdLoader<NodeRows[K]> {
    const n = this.nodes.get(type);
    const byId = n?.decl.byId;
    if (!n || !byId) throw new Error(`${type} has no byId loader in the read registry`);
    return ctx.loaders.get(byId.name, () => {
      const scope = this.scopeOf(ctx);
      const idKey = n.idKey;
      return new DataLoader<string, NodeRows[K] | null>(async (ids) => {
        const rows = (await byId.load(scope, ids)) as Record<string, unknown>[];
        const byKey = new Map(rows.map((r) => [r[idKey] as string, r as NodeRows[K]]));
        return ids.map((id) => byKey.get(id) ?? null);
      });
    });
  }

  /**
   * The request's loader of Relay nodes by id (`nodesById`): every id asked for in one tick is read in
   * ONE statement over every node table (rowsByIds), in the caller's domain. Each row's type is
   * recorded in the request's execution (Node's resolveType reads it) and rows of types with a by-id
   * loader are primed into it, so a nested reference to them needs no statement. Should an id exist in
   * two tables (UUIDs make that practically impossible), the type registered first wins.
   */
  anyNodeLoader(ctx: C): ByIdLoader<AnyNodeRow> {
    return ctx.loaders.get('nodesById', () => {
      const scope = this.scopeOf(ctx);
      const exec = ctx.loaders.execution;
      return new DataLoader<string, AnyNodeRow | null>(async (ids) => {
        const found = await rowsByIds(scope.database.db, scope.domain.id, ids, this.relayTables);
        const byId = new Map<string, { table: number; row: Record<string, unknown> }>();
        for (const f of found) {
          const id = f.row[this.relayNodes[f.table]!.idKey] as string;
          const seen = byId.get(id);
          if (!seen || f.table < seen.table) byId.set(id, f);
        }
        for (const [id, f] of byId) {
          const n = this.relayNodes[f.table]!;
          exec.setNodeType(f.row, n.type);
          if (n.decl.byId) this.loader(ctx, n.type as keyof NodeRows & string).prime(id, f.row as never);
        }
        return ids.map((id) => (byId.get(id)?.row ?? null) as AnyNodeRow | null);
      });
    });
  }

  /**
   * Plans the page of a registered root field for its resolver (`info`): the node columns and
   * nested pages its selection needs, in one statement. In 'graphql-js' mode (tests comparing
   * paths) nothing is planned.
   */
  plan(ctx: C, info: GraphQLResolveInfo): PagePlan {
    const page = this.pages.get(info.fieldName);
    if (!page) throw new Error(`Query.${info.fieldName} is not a registered page`);
    const exec = ctx.loaders.execution;
    if (exec.mode === 'graphql-js') return wholeRows(page.node, false);
    exec.plannedPages++;
    this.stats.plannedPages++;
    const raw = exec.rawRoots !== null && exec.rawRoots.has(info);
    // A plan is a pure function of the field's nodes (its document), the variables and `raw`: cached
    // documents hand out the same nodes, so a hot document is planned once per variables.
    if (info.fieldNodes.length !== 1) return planPage(info, page, raw);
    const key = `${raw ? 1 : 0}${JSON.stringify(info.variableValues)}`;
    let byVariables = this.plans.get(info.fieldNodes[0]!);
    if (!byVariables) this.plans.set(info.fieldNodes[0]!, (byVariables = new Map()));
    let plan = byVariables.get(key);
    if (!plan) {
      plan = planPage(info, page, raw);
      if (byVariables.size >= 32) byVariables.clear();
      byVariables.set(key, plan);
      this.shared.add(plan);
    }
    return plan;
  }

  /** Whether a plan is shared by the requests of its document (so what it determines may be cached with it). */
  isShared(plan: PagePlan): boolean {
    return this.shared.has(plan);
  }

  private readonly plans = new WeakMap<object, Map<string, PagePlan>>();
  private readonly shared = new WeakSet<PagePlan>();

  /** The select-list items of the plan's nested pages, for the parent row whose id is `parentId` (e.g. sql`p.id`). */
  relationColumns(plan: PagePlan, domainId: string, parentId: SQL): SQL[] {
    const out = plan.relations.length > 0 ? relationColumns(domainId, parentId, plan.relations.map((r) => r.sql)) : [];
    for (const v of plan.values) out.push(sql`${v.select(domainId, parentId)} as ${sql.identifier(v.alias)}`);
    return out;
  }

  /**
   * Raw page rows (node columns + relation JSON) → typed rows with their nested pages attached to
   * the request's execution. Whole rows (plan.prime) are primed into the by-id loader, as copies
   * without the prefetched pages (a nested selection through the loader may ask other columns).
   */
  rows<R>(ctx: C, plan: PagePlan, raw: readonly Record<string, unknown>[]): R[] {
    const exec = ctx.loaders.execution;
    const table = plan.node.table;
    const rows = raw.map((r) => {
      const row = mapRow<Record<string, unknown>>(table, r);
      for (const v of plan.values) exec.setValue(row, v.key, r[v.alias] ?? null);
      for (const rel of plan.relations) {
        if (rel.sql.raw) {
          const text = r[rel.sql.alias];
          exec.setPage(row, rel.key, { raw: new RawJson(typeof text === 'string' ? text : null), rows: [], limit: rel.sql.limit, cursor: rel.cursor, count: null });
        } else {
          exec.setPage(row, rel.key, {
            rows: relationRows(rel.conn.child.table, rel.sql.keys, r[rel.sql.alias]),
            limit: rel.sql.limit,
            cursor: rel.cursor,
            count: rel.sql.count ? Number(r[`${rel.sql.alias}_count`]) : null,
          });
        }
      }
      return row;
    });
    if (plan.prime && plan.node.decl.byId) {
      const loader = this.loader(ctx, plan.node.type as keyof NodeRows & string) as ByIdLoader<unknown>;
      const keys = tableMeta(table).keys;
      for (const r of rows) {
        const copy: Record<string, unknown> = {};
        for (const k of keys) copy[k] = r[k];
        loader.prime(r[plan.node.idKey] as string, copy);
      }
    }
    return rows as R[];
  }
}
