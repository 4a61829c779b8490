import { createRequire } from 'node:module';
import type { FieldNode, GraphQLObjectType, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

// The graphql instance the schema and Apollo run on (CommonJS under Node). Importing 'graphql' here
// could load its ESM build as a second instance under vitest, whose type checks then reject the
// schema's types ("from another module or realm").
export const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');
const { getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, isAbstractType, Kind } = graphql;

export type SelectionScope = Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'variableValues'>;

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

/**
 * Field nodes selected on `type` in the selection sets (fragments, inline fragments, @skip/@include),
 * by field name, or with `byResponseKey` by response key (alias or name) like graphql-js does.
 */
export function collectFields(info: SelectionScope, type: GraphQLObjectType, sets: readonly SelectionSetNode[], byResponseKey = false): Map<string, FieldNode[]> {
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

/** The selection sets of field nodes. */
export function subSets(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
}
