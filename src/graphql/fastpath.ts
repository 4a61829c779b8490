import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { DocumentNode, FieldNode, FragmentDefinitionNode, GraphQLField, GraphQLObjectType, GraphQLOutputType, GraphQLResolveInfo, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { sqlStats } from '../db/database.js';
import { RawJson, type ReadExecution } from '../read/execution.js';
import type { ReadPlanner } from '../read/planner.js';
import { collectFields, graphql as g, type SelectionScope } from '../read/selection.js';
import type { Context } from './context.js';

/**
 * A compiled executor for hot read operations, as an Apollo `responseForOperation` hook: after parsing,
 * validation, the guard plugin and authentication, a query whose every field is either a default
 * (property) field or one of `syncFields` (pure, synchronous resolvers: the read registry's declared
 * fields and connections) and whose root fields are in `rootFields` (the registry's planned pages)
 * runs here instead of in graphql-js. The root resolvers are the real ones (so the
 * look-ahead fetches the whole tree in one statement); the result is then completed by a walk compiled
 * from the selection, with the schema's own serializers, into plain objects (graphql-js builds
 * null-prototype dictionary objects field by field, and JSON.stringify is slow on those).
 *
 * Anything this walk does not handle — an unknown resolver, an abstract type, a promise, a null in a
 * non-null position, any error — returns null, and Apollo executes the operation normally, so errors,
 * paths and partial results are always graphql-js's own. Reads are side-effect free, so re-running on
 * that rare path is safe.
 *
 * Which path answered is recorded on the request's execution (`ReadExecution.path`), counted in the
 * planner's stats and, with diagnostics on, reported in `extensions.diagnostics.path`.
 */

class Unsupported extends Error {}

/** Placeholders for RawJson in the result: a NUL (which JSON.stringify escapes, and Postgres text
 * cannot hold) + a per-process nonce + the index. */
const NONCE = `raw${Math.random().toString(36).slice(2, 10)}:`;
const PLACEHOLDER = new RegExp(`"\\\\u0000${NONCE}(\\d+)\\\\u0000"`, 'g');
/**
 * The data object of a compiled response holds its request's execution under this (non-enumerable,
 * so never serialized) key: Apollo hands stringifyResult the response alone.
 */
const EXECUTION = Symbol('profilegraph.readExecution');

/**
 * Apollo's `stringifyResult`: its default (JSON.stringify + newline), with the JSON texts Postgres
 * wrote for the fast path (on the request's execution) spliced in place of their placeholders.
 */
export function stringifyResult(value: { data?: unknown; extensions?: unknown }): string {
  const text = JSON.stringify(value);
  const exec = value.data && typeof value.data === 'object' ? (value.data as { [EXECUTION]?: ReadExecution })[EXECUTION] : undefined;
  const raws = exec?.rawTexts;
  return (raws && raws.length > 0 ? text.replace(PLACEHOLDER, (_m, i: string) => raws[Number(i)]!) : text) + '\n';
}
/**
 * The same response as stringifyResult, as UTF-8 bytes for a socket: the JSON texts Postgres wrote
 * are encoded in place of their placeholders, without building (and re-scanning to measure) one
 * large string — for an agent page that string is most of the response and often two-byte.
 */
export function serializeResult(value: { data?: unknown; extensions?: unknown }): Buffer {
  const text = JSON.stringify(value);
  const exec = value.data && typeof value.data === 'object' ? (value.data as { [EXECUTION]?: ReadExecution })[EXECUTION] : undefined;
  const raws = exec?.rawTexts;
  if (!raws || raws.length === 0) return Buffer.from(text + '\n');
  const parts: Buffer[] = [];
  let last = 0;
  PLACEHOLDER.lastIndex = 0;
  for (let m = PLACEHOLDER.exec(text); m !== null; m = PLACEHOLDER.exec(text)) {
    parts.push(Buffer.from(text.slice(last, m.index)), Buffer.from(raws[Number(m[1])]!));
    last = m.index + m[0].length;
  }
  parts.push(Buffer.from(text.slice(last) + '\n'));
  return Buffer.concat(parts);
}
const UNSUPPORTED = new Unsupported('fast path not applicable');

/** How to complete a value of one output type. */
type Completer = (value: unknown) => unknown;

interface CompiledField {
  key: string;
  typename?: string;
  name: string;
  resolve: ((source: unknown, args: Record<string, unknown>, ctx: Context, info: GraphQLResolveInfo) => unknown) | undefined;
  args: Record<string, unknown>;
  info: GraphQLResolveInfo;
  complete: Completer;
}

interface Compiler {
  scope: SelectionScope & { operation: OperationDefinitionNode };
  /** The request being completed: set right before the (synchronous) completion of a request's roots. */
  ctx: Context;
  /** JSON texts written by Postgres, spliced in by stringifyResult (the request's, set with ctx). */
  raws: string[];
  syncFields: ReadonlySet<string>;
}

/**
 * A root field's compiled completion, kept with its field node when no variable occurs below the
 * root fields (so nothing compiled depends on a request's variables); `null` = the selection is not
 * one the walk runs. Cached documents (Apollo's and the hot lane's) hand out the same nodes, so a hot
 * document is compiled once.
 */
const compiledRoots = new WeakMap<FieldNode, { c: Compiler; complete: Completer } | null>();
const variableFree = new WeakMap<OperationDefinitionNode, boolean>();

/** Whether a variable occurs in an AST node (an argument or a directive). */
function hasVariable(node: unknown): boolean {
  let found = false;
  g.visit(node as FieldNode, {
    Variable() {
      found = true;
      return g.BREAK;
    },
  });
  return found;
}

/** Whether no variable occurs below the operation's root fields (their own arguments aside), fragments included. */
function variablesOnlyAtRoot(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): boolean {
  let known = variableFree.get(operation);
  if (known !== undefined) return known;
  const seen = new Set<string>();
  let found = false;
  const visitSet = (set: { selections: readonly unknown[] } | undefined, atRoot: boolean) => {
    if (!set || found) return;
    for (const sel of set.selections as readonly (FieldNode | { kind: string; name?: { value: string }; selectionSet?: { selections: readonly unknown[] }; directives?: readonly unknown[] })[]) {
      if (found) return;
      if (sel.directives && sel.directives.some(hasVariable)) found = true;
      if (sel.kind === 'Field') {
        const f = sel as FieldNode;
        if (!atRoot && f.arguments && f.arguments.some(hasVariable)) found = true;
        visitSet(f.selectionSet, false);
      } else if (sel.kind === 'InlineFragment') {
        visitSet(sel.selectionSet, atRoot);
      } else if (sel.kind === 'FragmentSpread') {
        const name = sel.name!.value;
        if (seen.has(name)) continue;
        seen.add(name);
        visitSet(fragments[name]?.selectionSet, atRoot);
      }
    }
  };
  visitSet(operation.selectionSet, true);
  known = !found;
  variableFree.set(operation, known);
  return known;
}

function compileType(c: Compiler, type: GraphQLOutputType, fieldNodes: readonly FieldNode[]): Completer {
  if (g.isNonNullType(type)) {
    const inner = compileType(c, type.ofType, fieldNodes);
    return (v) => {
      if (v === null || v === undefined) throw UNSUPPORTED;
      return inner(v);
    };
  }
  if (g.isListType(type)) {
    const inner = compileType(c, type.ofType, fieldNodes);
    return (v) => {
      if (v === null || v === undefined) return null;
      if (!Array.isArray(v)) throw UNSUPPORTED;
      const out = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) out[i] = inner(v[i]);
      return out;
    };
  }
  if (g.isLeafType(type)) {
    return (v) => {
      if (v === null || v === undefined) return null;
      const s = type.serialize(v);
      if (s === undefined) throw UNSUPPORTED;
      // DateTime serializes to a (validated) Date, which JSON.stringify writes as toISOString() through
      // toJSON: the same text, without the slow toJSON path in JSON.stringify.
      return s instanceof Date ? s.toISOString() : s;
    };
  }
  if (!g.isObjectType(type)) throw UNSUPPORTED; // interfaces, unions: leave to graphql-js
  const sets = fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
  const fields = compileFields(c, type, collectFields(c.scope, type, sets, true));
  return (source) => {
    if (source === null || source === undefined) return null;
    return completeObject(c, fields, source);
  };
}

function compileFields(c: Compiler, type: GraphQLObjectType, selected: Map<string, FieldNode[]>): CompiledField[] {
  const defs = type.getFields();
  const out: CompiledField[] = [];
  for (const [key, nodes] of selected) {
    const node = nodes[0]!;
    const name = node.name.value;
    if (name === '__typename') {
      out.push({ key, name, typename: type.name, resolve: undefined, args: {}, info: undefined as never, complete: (v) => v });
      continue;
    }
    const def = defs[name] as GraphQLField<unknown, Context> | undefined;
    if (!def) throw UNSUPPORTED;
    if (def.resolve && !c.syncFields.has(`${type.name}.${name}`)) throw UNSUPPORTED;
    out.push({
      key,
      name,
      resolve: def.resolve as CompiledField['resolve'],
      args: def.args.length > 0 ? g.getArgumentValues(def as GraphQLField<unknown, unknown>, node, c.scope.variableValues) : {},
      info: infoFor(c, type, def, nodes),
      complete: compileType(c, def.type, nodes),
    });
  }
  return out;
}

function infoFor(c: Compiler, parentType: GraphQLObjectType, def: GraphQLField<unknown, Context>, fieldNodes: readonly FieldNode[]): GraphQLResolveInfo {
  return {
    fieldName: def.name,
    fieldNodes,
    returnType: def.type,
    parentType,
    path: { prev: undefined, key: fieldNodes[0]!.alias?.value ?? def.name, typename: parentType.name },
    schema: c.scope.schema,
    fragments: c.scope.fragments,
    rootValue: undefined,
    operation: c.scope.operation,
    variableValues: c.scope.variableValues,
  };
}

function completeObject(c: Compiler, fields: readonly CompiledField[], source: unknown): Record<string, unknown> {
  const ctx = c.ctx;
  const out: Record<string, unknown> = {};
  const src = source as Record<string, unknown>;
  for (const f of fields) {
    if (f.typename !== undefined) {
      out[f.key] = f.typename;
      continue;
    }
    const v = f.resolve ? f.resolve(source, f.args, ctx, f.info) : src[f.name];
    if (v instanceof RawJson) {
      if (v.text === null) throw UNSUPPORTED;
      out[f.key] = `\u0000${NONCE}${c.raws.push(v.text) - 1}\u0000`;
      continue;
    }
    if (typeof v === 'function' || (v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function')) throw UNSUPPORTED;
    out[f.key] = f.complete(v);
  }
  return out;
}

export interface FastSets {
  rootFields: ReadonlySet<string>;
  syncFields: ReadonlySet<string>;
}

/**
 * Runs an operation through the compiled walk: its data, 'skip' when the operation is not one the
 * walk runs (nothing ran), or 'declined' when it stepped aside after starting (see above).
 */
export async function executeFast(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragmentList: readonly FragmentDefinitionNode[],
  rawVariables: Record<string, unknown> | undefined,
  ctx: Context,
  opts: FastSets,
  /** The variables already coerced (by checkOperation), when the caller has them. */
  coercedVariables?: Record<string, unknown>,
): Promise<Record<string, unknown> | 'skip' | 'declined'> {
  if (operation.operation !== 'query') return 'skip';
  const queryType = schema.getQueryType();
  if (!queryType) return 'skip';
  const coerced = coercedVariables ? { coerced: coercedVariables } : g.getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if ('errors' in coerced && coerced.errors) return 'skip';
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const f of fragmentList) fragments[f.name.value] = f;
  const exec = ctx.loaders.execution;
  const c: Compiler = { scope: { schema, fragments, variableValues: coerced.coerced!, operation }, ctx, raws: [], syncFields: opts.syncFields };
  const defs = queryType.getFields();
  const roots: { key: string; def: GraphQLField<unknown, Context>; nodes: FieldNode[] }[] = [];
  try {
    for (const [key, nodes] of collectFields(c.scope, queryType, [operation.selectionSet], true)) {
      const name = nodes[0]!.name.value;
      const def = defs[name] as GraphQLField<unknown, Context> | undefined;
      if (!def?.resolve || !opts.rootFields.has(name)) return 'skip';
      roots.push({ key, def, nodes });
    }
  } catch {
    return 'skip';
  }
  if (roots.length === 0) return 'skip';
  const cacheable = variablesOnlyAtRoot(operation, fragments);
  try {
    // compile every level first: an unsupported selection costs no SQL
    const compiled = roots.map((r) => {
      let entry = cacheable ? compiledRoots.get(r.nodes[0]!) : undefined;
      if (entry === null) throw UNSUPPORTED;
      if (entry === undefined) {
        const own: Compiler = { ...c, raws: [] };
        try {
          entry = { c: own, complete: compileType(own, r.def.type, r.nodes) };
        } catch (err) {
          if (cacheable && err === UNSUPPORTED) compiledRoots.set(r.nodes[0]!, null);
          throw err;
        }
        if (cacheable) compiledRoots.set(r.nodes[0]!, entry);
      }
      return {
        ...r,
        args: g.getArgumentValues(r.def as GraphQLField<unknown, unknown>, r.nodes[0]!, c.scope.variableValues),
        info: infoFor(c, queryType, r.def, r.nodes),
        entry,
      };
    });
    // Only these root resolver calls may have nested nodes written as JSON text by Postgres.
    exec.rawRoots = new Set(compiled.map((r) => r.info));
    const values = await Promise.all(compiled.map((r) => r.def.resolve!(undefined, r.args, ctx, r.info)));
    exec.rawRoots = null;
    const data: Record<string, unknown> = {};
    // Synchronous from here to the end of the loop: no other request can use the compilers meanwhile.
    try {
      compiled.forEach((r, i) => {
        r.entry.c.ctx = ctx;
        r.entry.c.raws = c.raws;
        data[r.key] = r.entry.complete(values[i]);
      });
    } finally {
      // A cached compiler keeps no request alive.
      for (const r of compiled) {
        r.entry.c.ctx = undefined as never;
        r.entry.c.raws = [];
      }
    }
    if (c.raws.length > 0) {
      exec.rawTexts = c.raws;
      Object.defineProperty(data, EXECUTION, { value: exec });
    }
    exec.fast = true;
    return data;
  } catch {
    exec.rawRoots = null;
    return 'declined'; // Unsupported, or a resolver error: graphql-js runs it and reports errors as usual
  }
}

/** The Apollo plugin: answers the read registry's planned pages from executeFast (when the request's mode allows). */
export function fastReadPlugin(planner: ReadPlanner<Context>, onAnswered?: (query: string | undefined, document: DocumentNode) => void): ApolloServerPlugin<Context> {
  const sets: FastSets = { rootFields: new Set(planner.rootFields()), syncFields: new Set(planner.syncFields()) };
  return {
    async requestDidStart() {
      return {
        async responseForOperation(rc): Promise<GraphQLResponse | null> {
          // No operation of that name: graphql-js reports it (OPERATION_RESOLUTION_FAILURE).
          if (!rc.operation || rc.contextValue.loaders.execution.mode !== 'auto') return null;
          const fragments = rc.document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition');
          const data = await executeFast(rc.schema, rc.operation, fragments, rc.request.variables, rc.contextValue, sets);
          if (data === 'skip') return null;
          if (data === 'declined') {
            planner.stats.fastDeclined++;
            return null;
          }
          planner.stats.fast++;
          onAnswered?.(rc.source, rc.document); // the text, also when it came from a persisted-query hash
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
        },
      };
    },
  };
}

/**
 * Request header (honoured only with diagnostics on) choosing the read paths a request may take:
 * `planned` (look-ahead, no compiled walk) or `graphql-js` (no planner: DataLoaders only). Tests use
 * it to compare every path's answer byte for byte.
 */
export const READ_PATH_HEADER = 'x-profilegraph-read-path';

/** What `extensions.diagnostics` holds (PROFILEGRAPH_DIAGNOSTICS). */
export interface Diagnostics {
  /** SQL statements of the whole request (the API key lookup included). */
  sqlStatements: number;
  /** SQL statements run after the operation was resolved (the operation's own work). */
  operationStatements: number;
  /** Which read path answered (see ReadExecution.path). */
  path: 'fast' | 'planned' | 'graphql-js';
  /** Who ran the request: Apollo's pipeline, or the hot lane (hot-lane.ts) for a document it knows. */
  lane: 'apollo' | 'hot';
}

/**
 * Diagnostics (PROFILEGRAPH_DIAGNOSTICS, on in tests): statement counts and the read path in
 * `extensions.diagnostics`, and the READ_PATH_HEADER switch. Not installed in production.
 */
export function diagnosticsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart(rc) {
      const exec = rc.contextValue.loaders.execution;
      const mode = rc.request.http?.headers.get(READ_PATH_HEADER);
      if (mode === 'planned' || mode === 'graphql-js') exec.mode = mode;
      let before = 0;
      return {
        async didResolveOperation() {
          before = sqlStats.getStore()?.statements ?? 0;
        },
        async willSendResponse({ response }) {
          const store = sqlStats.getStore();
          if (store && response.body.kind === 'single') {
            const diagnostics: Diagnostics = { sqlStatements: store.statements, operationStatements: store.statements - before, path: exec.path, lane: 'apollo' };
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, diagnostics };
          }
        },
      };
    },
  };
}
