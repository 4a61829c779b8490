/**
 * The operation-validation layer shared by every GraphQL transport (HTTP through Apollo, graphql-ws):
 *
 * 1. `prescanDocument` — before parsing: token count and bracket nesting, read with graphql's own
 *    lexer (iterative), so a huge or deeply nested document never reaches the recursive parser.
 * 2. parse + validate (Apollo's pipeline on HTTP, `prepareWsOperation` on graphql-ws).
 * 3. `checkOperation` — on the validated operation with its *coerced* variables (defaults included):
 *    depth, aliases and page-size-aware cost measured on the merged field tree (fragments collected
 *    once per selection, as graphql-js executes them, so fan-out through fragments costs what it
 *    resolves, not once per path), stopping as soon as a limit is passed; then input sanitation of
 *    every argument (literals and variables) before any resolver or SQL runs.
 */
import { createRequire } from 'node:module';
import type {
  DocumentNode,
  ExecutionArgs,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError as GraphQLErrorType,
  GraphQLInputType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Config } from '../config.js';
import { ErrorCode } from '../errors.js';
import { findInputProblem, stringProblem, type InputProblem } from '../sanitize.js';
import { DEFAULT_PAGE_SIZE } from './pagination.js';

// The graphql instance the schema runs on (CommonJS under Node): the schema is built by
// @graphql-tools, which loads that build; importing the ESM one too would make two realms.
const g = createRequire(import.meta.url)('graphql') as typeof import('graphql');
const { GraphQLError, Kind, Lexer, Source, TokenKind, getNamedType, isInputObjectType, isListType, isNonNullType, getOperationAST, parse, specifiedRules, validate } = g;
const { getVariableValues, getArgumentValues, getDirectiveValues } = g;

export type GuardLimits = Pick<Config, 'maxDepth' | 'maxCost' | 'maxAliases' | 'maxTokens'>;

/** Bracket nesting ({ [ ( ) allowed in a document: far above maxDepth, far below the parser's stack. */
export const MAX_NESTING = 100;

/** What the guard measured for one operation (partial when it stopped at a limit). */
export interface QueryMeasure {
  depth: number;
  aliases: number;
  /** Fields resolved in the worst case: each field counts once per item its parents' pages can hold. */
  cost: number;
}

function limitError(message: string, extra: Record<string, unknown> = {}): GraphQLErrorType {
  return new GraphQLError(message, { extensions: { code: ErrorCode.LIMIT_EXCEEDED, ...extra, http: { status: 400 } } });
}

/**
 * Rejects documents too large or too deeply nested to parse safely. Reads tokens with graphql's
 * lexer (no recursion); stops at the first limit passed. Lexer errors are left to the parser, which
 * reports them as GRAPHQL_PARSE_FAILED.
 */
export function prescanDocument(query: string, limits: Pick<GuardLimits, 'maxTokens'>): GraphQLErrorType | null {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  let nesting = 0;
  try {
    for (let t = lexer.advance(); t.kind !== TokenKind.EOF; t = lexer.advance()) {
      if (++tokens > limits.maxTokens) {
        return limitError(`The document has more than ${limits.maxTokens} tokens; send a smaller query (or raise PROFILEGRAPH_MAX_TOKENS).`);
      }
      if (t.kind === TokenKind.BRACE_L || t.kind === TokenKind.BRACKET_L || t.kind === TokenKind.PAREN_L) {
        if (++nesting > MAX_NESTING) return limitError(`The document nests brackets more than ${MAX_NESTING} levels deep.`);
      } else if (t.kind === TokenKind.BRACE_R || t.kind === TokenKind.BRACKET_R || t.kind === TokenKind.PAREN_R) nesting--;
    }
  } catch {
    return null;
  }
  return null;
}

type AnyType = { name?: string; ofType?: AnyType; getFields?: () => Record<string, { type: AnyType; args?: readonly unknown[] }> };

function named(t: AnyType | undefined): AnyType | undefined {
  let cur = t;
  while (cur && cur.ofType) cur = cur.ofType;
  return cur;
}

class Stop extends Error {
  constructor(readonly error: GraphQLErrorType) {
    super(error.message);
  }
}

/** Selection visits allowed while measuring one operation: bounds the guard's own CPU whatever the document. */
const WORK_BUDGET = 200_000;

/**
 * Measures an operation on its merged field tree. Field nodes are grouped by response key the way
 * graphql-js executes them (each fragment spread once per selection), and the walk throws a
 * LIMIT_EXCEEDED error the moment depth, aliases or cost pass a limit, so its work is bounded by
 * the limits, never by how often fragments repeat.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  limits: Pick<GuardLimits, 'maxDepth' | 'maxCost' | 'maxAliases'>,
): QueryMeasure {
  const m: QueryMeasure = { depth: 0, aliases: 0, cost: 0 };
  let work = 0;
  const included = (node: FieldNode | { directives?: readonly unknown[] | undefined }): boolean => {
    const n = node as FieldNode;
    if (!n.directives || n.directives.length === 0) return true;
    try {
      if (getDirectiveValues(g.GraphQLSkipDirective, n, variables)?.['if'] === true) return false;
      return getDirectiveValues(g.GraphQLIncludeDirective, n, variables)?.['if'] !== false;
    } catch {
      return true;
    }
  };
  const collect = (sets: readonly { set: SelectionSetNode; type: AnyType | undefined }[]) => {
    const groups = new Map<string, { nodes: FieldNode[]; parent: AnyType | undefined }>();
    const visited = new Set<string>();
    const stack = [...sets].reverse();
    while (stack.length > 0) {
      const { set, type } = stack.pop()!;
      for (const sel of set.selections) {
        if (++work > WORK_BUDGET) throw new Stop(limitError('The query is too complex to plan; simplify its fragments.', { measured: m }));
        if (!included(sel)) continue;
        if (sel.kind === Kind.FIELD) {
          const key = sel.alias?.value ?? sel.name.value;
          const gr = groups.get(key);
          if (gr) gr.nodes.push(sel);
          else groups.set(key, { nodes: [sel], parent: type });
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          stack.push({ set: sel.selectionSet, type: sel.typeCondition ? (schema.getType(sel.typeCondition.name.value) as AnyType | undefined) : type });
        } else {
          const name = sel.name.value;
          const frag = fragments[name];
          if (!frag || visited.has(name)) continue;
          visited.add(name);
          stack.push({ set: frag.selectionSet, type: schema.getType(frag.typeCondition.name.value) as AnyType | undefined });
        }
      }
    }
    return groups;
  };
  const walk = (sets: { set: SelectionSetNode; type: AnyType | undefined }[], depth: number, multiplier: number): void => {
    for (const [key, { nodes, parent }] of collect(sets)) {
      const first = nodes[0]!;
      if (first.name.value.startsWith('__')) continue;
      if (key !== first.name.value) {
        m.aliases++;
        if (m.aliases > limits.maxAliases) throw new Stop(limitError(`Query uses more than ${limits.maxAliases} aliases; the limit is ${limits.maxAliases}.`, { measured: m }));
      }
      const d = depth + 1;
      m.depth = Math.max(m.depth, d);
      if (d > limits.maxDepth) throw new Stop(limitError(`Query depth exceeds the limit of ${limits.maxDepth}; request fewer nested levels.`, { measured: m }));
      m.cost += multiplier;
      if (m.cost > limits.maxCost) {
        throw new Stop(
          limitError(`Query cost exceeds the limit of ${limits.maxCost}: ask for smaller pages ("first") or fewer nested connections.`, { measured: m }),
        );
      }
      const children = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      if (children.length === 0) continue;
      const fieldDef = parent?.getFields?.()[first.name.value];
      const child = named(fieldDef?.type);
      const pageItems = pageSizeOf(fieldDef, first, variables) ?? idsCountOf(fieldDef, first, variables) ?? (child?.name?.endsWith('Connection') ? DEFAULT_PAGE_SIZE : 1);
      walk(
        children.map((set) => ({ set, type: child })),
        d,
        multiplier * Math.max(1, pageItems),
      );
    }
  };
  const root =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  // Depth first, on the document (each fragment's depth computed once): the structural limit is the
  // clearer message when a query is both too deep and too expensive.
  const depth = documentDepth(operation.selectionSet, fragments);
  if (depth > limits.maxDepth) {
    throw limitError(`Query depth ${depth} exceeds the limit of ${limits.maxDepth}; request fewer nested levels.`, { measured: { ...m, depth } });
  }
  try {
    walk([{ set: operation.selectionSet, type: (root ?? undefined) as AnyType | undefined }], 0, 1);
  } catch (err) {
    if (err instanceof Stop) throw err.error;
    throw err;
  }
  return m;
}

/** Field nesting depth of a selection set; each fragment's depth is computed once (memoized). */
function documentDepth(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): number {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (s: SelectionSetNode): number => {
    let max = 0;
    for (const sel of s.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        max = Math.max(max, 1 + (sel.selectionSet ? depthOf(sel.selectionSet) : 0));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, depthOf(sel.selectionSet));
      } else {
        const name = sel.name.value;
        let d = memo.get(name);
        if (d === undefined) {
          const frag = fragments[name];
          // A cycle is a validation error reported elsewhere; count it as nothing here.
          if (!frag || visiting.has(name)) continue;
          visiting.add(name);
          d = depthOf(frag.selectionSet);
          visiting.delete(name);
          memo.set(name, d);
        }
        max = Math.max(max, d);
      }
    }
    return max;
  };
  return depthOf(set);
}

/** The coerced `first` argument of a field (variables and their defaults applied), if any. */
function pageSizeOf(def: { args?: readonly unknown[] } | undefined, node: FieldNode, variables: Record<string, unknown>): number | undefined {
  const arg = node.arguments?.find((a) => a.name.value === 'first');
  if (!arg) return undefined;
  if (def && def.args) {
    try {
      const v = getArgumentValues(def as never, node, variables)['first'];
      return typeof v === 'number' ? v : undefined;
    } catch {
      return undefined;
    }
  }
  return intLiteral(arg.value, variables);
}

/** The number of ids a field's coerced `ids` list argument asks for (`nodes(ids)`: one item each), if any. */
function idsCountOf(def: { args?: readonly unknown[] } | undefined, node: FieldNode, variables: Record<string, unknown>): number | undefined {
  if (!def?.args || !node.arguments?.some((a) => a.name.value === 'ids')) return undefined;
  try {
    const v = getArgumentValues(def as never, node, variables)['ids'];
    return Array.isArray(v) ? v.length : undefined;
  } catch {
    return undefined;
  }
}

function intLiteral(node: ValueNode, variables: Record<string, unknown>): number | undefined {
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return typeof v === 'number' ? v : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Input sanitation of arguments

/** Input fields whose text is a file checked row by row by its consumer (`@rawText` in the SDL). */
function isRawText(type: GraphQLInputType, field: string): boolean {
  const t = getNamedType(type);
  if (!isInputObjectType(t)) return false;
  return !!t.getFields()[field]?.astNode?.directives?.some((d) => d.name.value === 'rawText');
}

/** Walks a coerced input value with its type, skipping @rawText fields; JSON scalars are walked whole. */
function inputValueProblem(value: unknown, type: GraphQLInputType, path: string): InputProblem | null {
  if (value === null || value === undefined) return null;
  const t = isNonNullType(type) ? type.ofType : type;
  if (isListType(t)) {
    if (!Array.isArray(value)) return inputValueProblem(value, t.ofType, path);
    for (let i = 0; i < value.length; i++) {
      const p = inputValueProblem(value[i], t.ofType, `${path}[${i}]`);
      if (p) return p;
    }
    return null;
  }
  if (isInputObjectType(t) && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const ft = t.getFields()[k];
      if (!ft || isRawText(t, k)) continue;
      const p = inputValueProblem(v, ft.type, `${path}.${k}`);
      if (p) return p;
    }
    return null;
  }
  return findInputProblem(value, path);
}

/** String literals of an operation (and its fragments) that cannot be stored; cached per document. */
const literalChecks = new WeakMap<DocumentNode, InputProblem | null>();

function literalProblem(schema: GraphQLSchema, document: DocumentNode): InputProblem | null {
  const hit = literalChecks.get(document);
  if (hit !== undefined) return hit;
  let found: InputProblem | null = null;
  const typeInfo = new g.TypeInfo(schema);
  const args: string[] = [];
  g.visit(
    document,
    g.visitWithTypeInfo(typeInfo, {
      ObjectField(node) {
        const parent = typeInfo.getParentInputType();
        if (parent && isRawText(parent, node.name.value)) return false;
        return undefined;
      },
      Argument: {
        enter(node) {
          args.push(node.name.value);
        },
        leave() {
          args.pop();
        },
      },
      StringValue(node) {
        if (found) return g.BREAK;
        const problem = stringProblem(node.value);
        if (problem) {
          found = { path: args.length > 0 ? `argument "${args[args.length - 1]}"` : 'a string literal', problem };
          return g.BREAK;
        }
        return undefined;
      },
    }),
  );
  literalChecks.set(document, found);
  return found;
}

function inputError(p: InputProblem): GraphQLErrorType {
  return new GraphQLError(`${p.path} ${p.problem}.`, { extensions: { code: ErrorCode.BAD_USER_INPUT, field: p.path, http: { status: 400 } } });
}

/**
 * The checks after validation, shared by every transport: coerces the variables (defaults applied),
 * measures the operation against the limits and sanitises every argument. Throws a GraphQLError
 * (LIMIT_EXCEEDED, BAD_USER_INPUT) — nothing has run yet when it does.
 */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | null | undefined,
  limits: GuardLimits,
): Record<string, unknown> {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, { maxErrors: 1 });
  if (coerced.errors) {
    const e = coerced.errors[0]!;
    throw new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
  }
  const variables = coerced.coerced;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  measureOperation(schema, operation, fragments, variables, limits);
  const literal = literalProblem(schema, document);
  if (literal) throw inputError(literal);
  for (const def of operation.variableDefinitions ?? []) {
    const type = g.typeFromAST(schema, def.type as never) as GraphQLInputType | undefined;
    if (!type) continue;
    const p = inputValueProblem(variables[def.variable.name.value], type, `$${def.variable.name.value}`);
    if (p) throw inputError(p);
  }
  return variables;
}

/**
 * Apollo plugin running `checkOperation` after Apollo parsed and validated the document and before
 * anything executes (no SQL runs for a rejected operation).
 */
export function guardPlugin(limits: GuardLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          checkOperation(schema, document, operation, request.variables, limits);
        },
      };
    },
  };
}

/** Parsed and validated documents by text (bounded), for transports outside Apollo's own cache. */
export class DocumentCache {
  private readonly docs = new Map<string, DocumentNode>();
  constructor(private readonly max = 1000) {}
  get(query: string): DocumentNode | undefined {
    return this.docs.get(query);
  }
  set(query: string, doc: DocumentNode): void {
    if (this.docs.size >= this.max) this.docs.delete(this.docs.keys().next().value!);
    this.docs.set(query, doc);
  }
}

/**
 * The graphql-ws path through the same layer: prescan, parse, validate, pick the operation, then
 * `checkOperation`. Returns the execution arguments, or the errors to send (with codes).
 */
export function prepareWsOperation(
  schema: GraphQLSchema,
  cache: DocumentCache,
  payload: { query?: unknown; variables?: unknown; operationName?: unknown },
  limits: GuardLimits,
  trusted?: { allows(text: string): boolean },
): { args: Omit<ExecutionArgs, 'contextValue'> } | { errors: GraphQLErrorType[] } {
  const query = payload.query;
  if (typeof query !== 'string' || query.length === 0) {
    return { errors: [new GraphQLError('The subscribe message needs a non-empty "query" string.', { extensions: { code: ErrorCode.BAD_REQUEST } })] };
  }
  if (trusted && !trusted.allows(query)) {
    return { errors: [new GraphQLError('This server runs only its trusted documents; this one is not in its manifest.', { extensions: { code: ErrorCode.TRUSTED_DOCUMENT_REQUIRED } })] };
  }
  const variables = payload.variables ?? {};
  if (typeof variables !== 'object' || Array.isArray(variables)) {
    return { errors: [new GraphQLError('"variables" must be an object.', { extensions: { code: ErrorCode.BAD_REQUEST } })] };
  }
  const operationName = typeof payload.operationName === 'string' ? payload.operationName : undefined;
  let document = cache.get(query);
  if (!document) {
    const scan = prescanDocument(query, limits);
    if (scan) return { errors: [scan] };
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (err) {
      const e = err as GraphQLErrorType;
      return { errors: [new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: { code: ErrorCode.GRAPHQL_PARSE_FAILED } })] };
    }
    const errors = validate(schema, document, specifiedRules);
    if (errors.length > 0) {
      return { errors: errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } })) };
    }
    cache.set(query, document);
  }
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    return { errors: [new GraphQLError(operationName ? `Unknown operation named "${operationName}".` : 'Give "operationName": the document has several operations.', { extensions: { code: ErrorCode.BAD_USER_INPUT } })] };
  }
  try {
    checkOperation(schema, document, operation, variables as Record<string, unknown>, limits);
  } catch (err) {
    return { errors: [err as GraphQLErrorType] };
  }
  return { args: { schema, document, operationName, variableValues: variables as Record<string, unknown> } };
}
