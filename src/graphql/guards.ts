import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode, type ValueNode } from 'graphql';
import type { Config } from '../config.js';
import { ErrorCode } from '../errors.js';
import { DEFAULT_PAGE_SIZE } from './pagination.js';

/** What the guard measured for one operation. */
export interface QueryMeasure {
  depth: number;
  aliases: number;
  /** Fields resolved in the worst case: each field counts once per item its parents' pages can hold. */
  cost: number;
}

type AnyType = { name?: string; ofType?: AnyType; getFields?: () => Record<string, { type: AnyType }> };

// Structural unwrapping (no instanceof): graphql can be loaded as both its ESM and CJS builds.
function named(t: AnyType | undefined): AnyType | undefined {
  let cur = t;
  while (cur && cur.ofType) cur = cur.ofType;
  return cur;
}

function intValue(node: ValueNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return typeof v === 'number' ? v : undefined;
  }
  return undefined;
}

/**
 * Measures depth, aliases and cost of an operation using the page sizes it asks for (variables
 * included), so `profiles(first: 100) { contacts(first: 100) }` costs 10,000 contacts, not 2 fields.
 */
export function measure(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  rootType: AnyType | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): QueryMeasure {
  const m: QueryMeasure = { depth: 0, aliases: 0, cost: 0 };
  const walk = (set: SelectionSetNode, parent: AnyType | undefined, depth: number, multiplier: number, seen: Set<string>) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments[sel.name.value];
        if (!frag || seen.has(frag.name.value)) continue;
        walk(frag.selectionSet, schema.getType(frag.typeCondition.name.value) as AnyType, depth, multiplier, new Set([...seen, frag.name.value]));
        continue;
      }
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? (schema.getType(sel.typeCondition.name.value) as AnyType) : parent;
        walk(sel.selectionSet, t, depth, multiplier, seen);
        continue;
      }
      if (sel.name.value.startsWith('__')) continue;
      if (sel.alias) m.aliases++;
      const d = depth + 1;
      m.depth = Math.max(m.depth, d);
      m.cost += multiplier;
      const fieldType = parent?.getFields?.()[sel.name.value]?.type;
      const child = named(fieldType);
      if (!sel.selectionSet) continue;
      const first = intValue(sel.arguments?.find((a) => a.name.value === 'first')?.value, variables);
      const isConnection = child?.name?.endsWith('Connection') ?? false;
      const pageItems = first ?? (isConnection ? DEFAULT_PAGE_SIZE : 1);
      walk(sel.selectionSet, child, d, multiplier * Math.max(1, pageItems), seen);
    }
  };
  walk(selectionSet, rootType, 0, 1, new Set());
  return m;
}

function tooComplex(message: string, m: QueryMeasure): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.LIMIT_EXCEEDED, measured: m, http: { status: 400 } } });
}

/**
 * Apollo plugin enforcing depth, alias and cost limits after the operation is parsed and validated
 * and before anything executes (no SQL runs for a rejected query). Page sizes themselves are capped
 * at 100 by the pagination module.
 */
export function guardPlugin(config: Pick<Config, 'maxDepth' | 'maxCost' | 'maxAliases'>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
          const root =
            operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
          const m = measure(schema, operation.selectionSet, (root ?? undefined) as AnyType | undefined, fragments, request.variables ?? {});
          if (m.depth > config.maxDepth) throw tooComplex(`Query depth ${m.depth} exceeds the limit of ${config.maxDepth}; request fewer nested levels.`, m);
          if (m.aliases > config.maxAliases) throw tooComplex(`Query uses ${m.aliases} aliases; the limit is ${config.maxAliases}.`, m);
          if (m.cost > config.maxCost) {
            throw tooComplex(`Query cost ${m.cost} exceeds the limit of ${config.maxCost}: ask for smaller pages ("first") or fewer nested connections.`, m);
          }
        },
      };
    },
  };
}
