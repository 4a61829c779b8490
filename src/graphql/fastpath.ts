import { createRequire } from 'node:module';
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { FieldNode, FragmentDefinitionNode, GraphQLField, GraphQLObjectType, GraphQLOutputType, GraphQLResolveInfo, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Context } from './context.js';
import { collectFields, type SelectionScope } from './lookahead.js';
import { rawAllowed, RawJson } from './nested.js';

// The graphql instance the schema runs on (see lookahead.ts).
const g = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/**
 * A compiled executor for hot read operations, as an Apollo `responseForOperation` hook: after parsing,
 * validation, the guard plugin and authentication, a query whose every field is either a default
 * (property) field or one of `syncFields` (pure, synchronous resolvers) and whose root fields are in
 * `rootFields` runs here instead of in graphql-js. The root resolvers are the real ones (so the
 * look-ahead fetches the whole tree in one statement); the result is then completed by a walk compiled
 * from the selection, with the schema's own serializers, into plain objects (graphql-js builds
 * null-prototype dictionary objects field by field, and JSON.stringify is slow on those).
 *
 * Anything this walk does not handle — an unknown resolver, an abstract type, a promise, a null in a
 * non-null position, any error — returns null, and Apollo executes the operation normally, so errors,
 * paths and partial results are always graphql-js's own. Reads are side-effect free, so re-running on
 * that rare path is safe.
 */

class Unsupported extends Error {}

/** Placeholders for RawJson in the result: a NUL (which JSON.stringify escapes, and Postgres text
 * cannot hold) + a per-process nonce + the index. */
const NONCE = `raw${Math.random().toString(36).slice(2, 10)}:`;
const PLACEHOLDER = new RegExp(`"\\\\u0000${NONCE}(\\d+)\\\\u0000"`, 'g');
const rawTexts = new WeakMap<object, string[]>();

/**
 * Apollo's `stringifyResult`: its default (JSON.stringify + newline), with the JSON texts Postgres
 * wrote for the fast path spliced in place of their placeholders.
 */
export function stringifyResult(value: { data?: unknown }): string {
  const text = JSON.stringify(value);
  const raws = value.data && typeof value.data === 'object' ? rawTexts.get(value.data) : undefined;
  return (raws ? text.replace(PLACEHOLDER, (_m, i: string) => raws[Number(i)]!) : text) + '\n';
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
  ctx: Context;
  /** JSON texts written by Postgres, spliced in by stringifyResult. */
  raws: string[];
  syncFields: ReadonlySet<string>;
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

export interface FastReadOptions {
  /** Query fields whose (async) resolvers may start the fast path, e.g. profiles, searchProfiles. */
  rootFields: readonly string[];
  /** `Type.field` resolvers that are synchronous and pure given (source, args, context). */
  syncFields: readonly string[];
}

/** Runs an operation through the compiled walk; null when it is not applicable (see above). */
export async function executeFast(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragmentList: readonly FragmentDefinitionNode[],
  rawVariables: Record<string, unknown> | undefined,
  ctx: Context,
  opts: { rootFields: ReadonlySet<string>; syncFields: ReadonlySet<string> },
): Promise<Record<string, unknown> | null> {
  if (operation.operation !== 'query') return null;
  const queryType = schema.getQueryType();
  if (!queryType) return null;
  const coerced = g.getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if (coerced.errors) return null;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const f of fragmentList) fragments[f.name.value] = f;
  const c: Compiler = { scope: { schema, fragments, variableValues: coerced.coerced, operation }, ctx, raws: [], syncFields: opts.syncFields };
  try {
    const selected = collectFields(c.scope, queryType, [operation.selectionSet], true);
    const defs = queryType.getFields();
    const roots: { key: string; def: GraphQLField<unknown, Context>; nodes: FieldNode[] }[] = [];
    for (const [key, nodes] of selected) {
      const name = nodes[0]!.name.value;
      const def = defs[name] as GraphQLField<unknown, Context> | undefined;
      if (!def?.resolve || !opts.rootFields.has(name)) return null;
      roots.push({ key, def, nodes });
    }
    if (roots.length === 0) return null;
    // compile every level first: an unsupported selection costs no SQL
    const compiled = roots.map((r) => ({
      ...r,
      args: g.getArgumentValues(r.def as GraphQLField<unknown, unknown>, r.nodes[0]!, c.scope.variableValues),
      info: infoFor(c, queryType, r.def, r.nodes),
      complete: compileType(c, r.def.type, r.nodes),
    }));
    for (const r of compiled) rawAllowed.add(r.info);
    const values = await Promise.all(compiled.map((r) => r.def.resolve!(undefined, r.args, ctx, r.info)));
    const data: Record<string, unknown> = {};
    compiled.forEach((r, i) => {
      data[r.key] = r.complete(values[i]);
    });
    if (c.raws.length > 0) rawTexts.set(data, c.raws);
    return data;
  } catch {
    return null; // Unsupported, or a resolver error: graphql-js runs it and reports errors as usual
  }
}

/** The Apollo plugin: answers supported read operations from executeFast. */
export function fastReadPlugin(opts: FastReadOptions): ApolloServerPlugin<Context> {
  const sets = { rootFields: new Set(opts.rootFields), syncFields: new Set(opts.syncFields) };
  return {
    async requestDidStart() {
      return {
        async responseForOperation(rc): Promise<GraphQLResponse | null> {
          // No operation of that name: graphql-js reports it (OPERATION_RESOLUTION_FAILURE).
          if (!rc.operation) return null;
          const fragments = rc.document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition');
          const data = await executeFast(rc.schema, rc.operation, fragments, rc.request.variables, rc.contextValue, sets);
          if (data === null) return null;
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
        },
      };
    },
  };
}

/**
 * The hot reads: profile pages and searches with their nested contacts/cases/orders (prefetched by
 * the look-ahead, so Profile.contacts/cases/orders return synchronously), and the synchronous field
 * resolvers of those types. Everything else in a query sends it down the normal graphql-js path.
 */
export const PROFILE_READS: FastReadOptions = {
  rootFields: ['profiles', 'searchProfiles'],
  syncFields: [
    'Profile.fullName',
    'Profile.attributes',
    'Profile.attribute',
    'Profile.contacts',
    'Profile.cases',
    'Profile.orders',
    'Contact.durationSeconds',
    'Contact.attributes',
    'Contact.attribute',
    'Case.attributes',
    'Case.attribute',
    'Order.attributes',
    'Order.attribute',
  ],
};
