import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { DocumentNode, FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { sqlStats } from '../db/database.js';
import type { ReadPlanner } from '../read/planner.js';
import { LoaderRegistry, type AppServices, type Context } from './context.js';
import { executeFast, READ_PATH_HEADER, serializeResult, type Diagnostics, type FastSets } from './fastpath.js';
import { checkOperation, type GuardLimits } from './guards.js';
import { responseTypeFor } from './media.js';
import { sha256 } from './trusted-documents.js';

/**
 * The hot lane: a POST whose document the compiled read path has already answered is served
 * without Apollo's request pipeline (its plugin hooks, query hashing, header maps, content-type
 * parsing), which costs more than the read itself for a small look-up. A document enters the lane
 * only after Apollo parsed, validated and answered it on the compiled path; from then on a request
 * for it runs the same parts in the same order — authentication, `checkOperation` (variables, depth,
 * cost, input sanitation), `executeFast`, `stringifyResult` — and writes what Apollo would have
 * written, byte for byte (test/hot-lane.test.ts).
 *
 * Only the plain success is answered here. Anything else — an unknown or non-domain key, a guard
 * refusal, a variable that does not coerce, an operation the walk declines, an Accept header that
 * needs negotiation, a persisted-query hash that does not match — falls through to Apollo, which
 * runs the request from the start and answers it exactly as before (reads have no side effects, so
 * work the lane did is simply dropped).
 */

interface HotDocument {
  readonly document: DocumentNode;
  readonly hash: string;
  readonly fragments: readonly FragmentDefinitionNode[];
  /** Operations by name ('' = the document's only operation). */
  readonly operations: ReadonlyMap<string, OperationDefinitionNode>;
}

export interface HotRequest {
  headers: IncomingHttpHeaders;
  body: unknown;
}

export class HotLane {
  private readonly byText = new Map<string, HotDocument>();
  private readonly byHash = new Map<string, HotDocument>();
  private readonly sets: FastSets;
  /** Requests answered here (tests and diagnostics). */
  served = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly app: AppServices,
    planner: ReadPlanner<Context>,
    private readonly limits: GuardLimits,
    private readonly max = 500,
  ) {
    this.sets = { rootFields: new Set(planner.rootFields()), syncFields: new Set(planner.syncFields()) };
  }

  /** Called by the fast-path plugin when Apollo answered `query` on the compiled path. */
  remember(query: string | undefined, document: DocumentNode): void {
    if (query === undefined || this.byText.has(query)) return;
    if (this.byText.size >= this.max) {
      const [oldestText, oldest] = this.byText.entries().next().value!;
      this.byText.delete(oldestText);
      this.byHash.delete(oldest.hash);
    }
    const operations = new Map<string, OperationDefinitionNode>();
    const fragments: FragmentDefinitionNode[] = [];
    for (const d of document.definitions) {
      if (d.kind === 'OperationDefinition') operations.set(d.name?.value ?? '', d);
      else if (d.kind === 'FragmentDefinition') fragments.push(d);
    }
    if (operations.size === 1) {
      const only = operations.values().next().value!;
      operations.set('', only);
    } else {
      operations.delete('');
    }
    const entry: HotDocument = { document, hash: sha256(query), fragments, operations };
    this.byText.set(query, entry);
    this.byHash.set(entry.hash, entry);
  }

  /** Whether the lane knows this document text (http.ts skips re-scanning a known text). */
  knows(query: unknown): boolean {
    return typeof query === 'string' && this.byText.has(query);
  }

  /** Answers the request and returns true, or returns false having written nothing. */
  async serve(req: HotRequest, res: ServerResponse): Promise<boolean> {
    const body = req.body as { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: unknown } | null;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
    const doc = this.lookup(body.query, body.extensions);
    if (!doc) return false;
    const name = body.operationName;
    if (name !== undefined && name !== null && typeof name !== 'string') return false;
    const operation = doc.operations.get(name ?? '');
    if (!operation || operation.operation !== 'query') return false;
    const variables = body.variables;
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return false;
    const contentType = responseTypeFor(req.headers.accept);
    if (!contentType) return false;
    if (this.app.config.diagnostics && req.headers[READ_PATH_HEADER] !== undefined) return false;

    const authorization = req.headers.authorization;
    const auth = await this.app.authenticator.authenticate(authorization);
    if (auth.kind !== 'domain') return false;
    const vars = (variables ?? undefined) as Record<string, unknown> | undefined;
    let coerced: Record<string, unknown>;
    try {
      coerced = checkOperation(this.schema, doc.document, operation, vars, this.limits);
    } catch {
      return false;
    }
    const before = sqlStats.getStore()?.statements ?? 0;
    const ctx: Context = { app: this.app, auth, loaders: new LoaderRegistry() };
    const data = await executeFast(this.schema, operation, doc.fragments, vars, ctx, this.sets, coerced);
    if (data === 'skip' || data === 'declined') return false;
    this.served++;
    let out: Buffer;
    if (this.app.config.diagnostics) {
      const store = sqlStats.getStore();
      const diagnostics: Diagnostics = { sqlStatements: store?.statements ?? 0, operationStatements: (store?.statements ?? 0) - before, path: 'fast', lane: 'hot' };
      out = serializeResult({ data, extensions: { diagnostics } });
    } else {
      out = serializeResult({ data });
    }
    res.writeHead(200, { 'content-type': contentType, 'content-length': out.length });
    res.end(out);
    return true;
  }

  private lookup(query: unknown, extensions: unknown): HotDocument | undefined {
    const persisted = extensions && typeof extensions === 'object' ? (extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } }).persistedQuery : undefined;
    if (typeof query === 'string') {
      const doc = this.byText.get(query);
      // A hash sent with the text must be the text's (else Apollo answers "provided sha does not match").
      if (doc && persisted !== undefined && (persisted?.version !== 1 || persisted.sha256Hash !== doc.hash)) return undefined;
      return doc;
    }
    if (query !== undefined || !persisted || persisted.version !== 1 || typeof persisted.sha256Hash !== 'string') return undefined;
    return this.byHash.get(persisted.sha256Hash);
  }
}
