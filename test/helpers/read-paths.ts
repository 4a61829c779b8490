/**
 * Runs a GraphQL read on a chosen read path (the x-profilegraph-read-path header, honoured with
 * diagnostics on) and returns the response's `data` exactly as the server wrote it, byte for byte,
 * with the path that answered and its statement counts (extensions.diagnostics).
 */
import type { GqlResult } from './server.js';

/** auto: every optimisation allowed (compiled walk over planned pages); planned: look-ahead, graphql-js completes; graphql-js: DataLoaders only. */
export type ReadMode = 'auto' | 'planned' | 'graphql-js';

export interface PathResult {
  body: GqlResult;
  /** The response's `data` member as the server's text (not re-serialized). */
  dataText: string;
  path: 'fast' | 'planned' | 'graphql-js';
  /** SQL statements the operation ran (the API key lookup excluded). */
  statements: number;
}

export async function readAs(url: string, mode: ReadMode, query: string, variables: Record<string, unknown>, token: string): Promise<PathResult> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(mode === 'auto' ? {} : { 'x-profilegraph-read-path': mode }) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  const body = JSON.parse(text) as GqlResult;
  // Apollo writes errors, data, extensions in that order; diagnostics are the last member.
  const start = text.indexOf('"data":');
  const end = text.lastIndexOf(',"extensions":{"diagnostics":');
  if (!text.startsWith('{"data":') || end < 0) throw new Error(`unexpected response: ${text.slice(0, 500)}`);
  const diagnostics = body.extensions!['diagnostics'] as { path: PathResult['path']; operationStatements: number };
  return { body, dataText: text.slice(start + '"data":'.length, end), path: diagnostics.path, statements: diagnostics.operationStatements };
}
