import { sql } from 'drizzle-orm';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { sqlStats } from '../db/database.js';
import { DOWNLOAD_PATH, serveExportFile } from '../modules/export/export.download.js';
import { ErrorCode } from '../errors.js';
import { INGEST_PATH, serveIngest } from '../modules/inbound/inbound.http.js';
import { buildContext, type AppServices, type Context } from './context.js';
import { prescanDocument } from './guards.js';
import type { HotLane } from './hot-lane.js';
import { TrustedDocuments } from './trusted-documents.js';
import { JSON_TYPE, requestErrorStatus, responseTypeFor } from './media.js';
import { wantsHtml, type WebAssets } from './web.js';

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string, code: string, extensions: Record<string, unknown> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { ...extensions, code } }] });
}

/** The request target's path and query; a malformed target (`//:99999`, `http://[`) is null, never a throw. */
function parseTarget(raw: string | undefined): { pathname: string; search: string } | null {
  const target = raw ?? '/';
  // Only origin-form targets ("/path?query") are served; anything else is a bad request.
  if (!target.startsWith('/') || target.startsWith('//')) return null;
  try {
    const url = new URL(target, 'http://localhost');
    return { pathname: url.pathname, search: url.search };
  } catch {
    return null;
  }
}

/** A request error refused before Apollo, typed and statused as GraphQL over HTTP says (media.ts). */
function sendRequestError(req: IncomingMessage, res: ServerResponse, message: string, code: string): void {
  const type = responseTypeFor(req.headers.accept) ?? JSON_TYPE;
  const out = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(requestErrorStatus(type, 400, [code]), { 'content-type': type, 'content-length': Buffer.byteLength(out) });
  res.end(out);
}

/** The codes of a GraphQL response's errors (none when it is not one). */
function errorCodes(text: string): unknown[] {
  try {
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[] };
    return Array.isArray(body.errors) ? body.errors.map((e) => e?.extensions?.code) : [];
  } catch {
    return [];
  }
}

/** The GraphQL document text of a request, if it carries one (POST JSON body or GET ?query=). */
function documentText(method: string | undefined, body: unknown, search: string): unknown {
  if (method === 'POST') return body && typeof body === 'object' && !Array.isArray(body) ? (body as { query?: unknown }).query : undefined;
  if (method === 'GET') return new URLSearchParams(search).get('query') ?? undefined;
  return undefined;
}

/** How long /readyz waits for `select 1` before answering 503. */
const READY_TIMEOUT_MS = 2_000;

/**
 * node:http request handler: /graphql through Apollo (no framework in between), /healthz and
 * /readyz for orchestrators, /exports/<job>/<file> downloads, /ingest/<source> webhooks, and (web.ts)
 * the explorer at `/`, its `/assets/`, GraphiQL for a browser's GET /graphql. With diagnostics on,
 * each GraphQL request runs inside a SQL-statement counter scope.
 */
export function createHttpHandler(apollo: ApolloServer<Context>, app: AppServices, hot?: HotLane, trusted = TrustedDocuments.none(), web?: WebAssets) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = parseTarget(req.url);
      if (!url) return sendJson(res, 400, { error: 'Malformed request target; use a path such as /graphql.' });
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz') {
        // Bounded: a probe that hangs (a pool waiting out an outage) is no answer for an orchestrator.
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            app.database.db.execute(sql`select 1`),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer from the database within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
            }),
          ]);
        } catch (err) {
          app.logger.warn({ err }, 'readiness check: database unavailable');
          return sendJson(res, 503, { status: 'unavailable', database: app.database.kind });
        } finally {
          clearTimeout(timer);
        }
        return sendJson(res, 200, { status: 'ready', database: app.database.kind });
      }
      if (web && (req.method === 'GET' || req.method === 'HEAD')) {
        const { explorer, graphiql } = app.config;
        if (url.pathname === '/' && explorer) return web.page(req, res, 'explorer');
        if (url.pathname.startsWith('/assets/') && (explorer || graphiql)) return web.asset(req, res, url.pathname.slice('/assets/'.length));
        // A browser opening /graphql; GraphQL-over-HTTP GETs (a query, or no text/html) go on to Apollo.
        if (url.pathname === '/graphql' && graphiql && wantsHtml(req) && !new URLSearchParams(url.search).has('query')) return web.page(req, res, 'graphiql');
      }
      const download = DOWNLOAD_PATH.exec(url.pathname);
      if (download) return await serveExportFile(app, req, res, download);
      const ingest = INGEST_PATH.exec(url.pathname);
      if (ingest) return await serveIngest(app, req, res, ingest);
      if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'Not found. The GraphQL endpoint is /graphql.' });

      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let body: unknown = undefined;
      if (req.method === 'POST') {
        if (Number(req.headers['content-length'] ?? 0) > app.config.maxBodyBytes) throw new BodyTooLarge();
        const raw = await readBody(req, app.config.maxBodyBytes);
        if (raw.length > 0 && (headers.get('content-type') ?? '').includes('json')) {
          try {
            body = JSON.parse(raw);
          } catch {
            return sendError(res, 400, 'The request body is not valid JSON.', ErrorCode.BAD_REQUEST);
          }
        } else {
          body = raw;
        }
      }
      // Size and nesting of the document are checked before anything parses it (Apollo's parser is
      // recursive: a deeply nested document would overflow its stack).
      const text = documentText(req.method, body, url.search);
      // Only-trusted mode binds the domains' clients; the operator (admin token) may run any document.
      if (typeof text === 'string' && !trusted.allows(text) && (await app.authenticator.authenticate(req.headers.authorization)).kind !== 'admin') {
        const message = 'This server runs only its trusted documents: send the sha256 of one (extensions.persistedQuery.sha256Hash) instead of a document.';
        return sendRequestError(req, res, message, ErrorCode.TRUSTED_DOCUMENT_REQUIRED);
      }
      const known = req.method === 'POST' && hot !== undefined && (text === undefined || hot.knows(text));
      if (typeof text === 'string' && !known) {
        const tooBig = prescanDocument(text, app.config);
        if (tooBig) return sendRequestError(req, res, tooBig.message, ErrorCode.LIMIT_EXCEEDED);
      }
      const respond = async (): Promise<void> => {
        // A document the compiled path already answered: served without Apollo's pipeline, or (any
        // other outcome) handed to Apollo untouched.
        if (known && (await hot!.serve({ headers: req.headers, body }, res))) return;
        const result = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
          context: () => buildContext(app, headers.get('authorization')),
        });
        const out: Record<string, string> = {};
        for (const [k, v] of result.headers) out[k] = v;
        let status = result.status ?? 200;
        if (status === 400 && result.body.kind === 'complete') status = requestErrorStatus(out['content-type'], status, errorCodes(result.body.string));
        res.writeHead(status, out);
        if (result.body.kind === 'complete') {
          res.end(result.body.string);
        } else {
          for await (const chunk of result.body.asyncIterator) res.write(chunk);
          res.end();
        }
      };
      // The per-request statement counter (AsyncLocalStorage: promise hooks on every promise of the
      // request on Node 20) runs only when diagnostics report it.
      if (app.config.diagnostics) await sqlStats.run({ statements: 0 }, respond);
      else await respond();
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        if (!res.headersSent) {
          res.setHeader('connection', 'close');
          sendError(res, 413, `Request body exceeds ${app.config.maxBodyBytes} bytes.`, ErrorCode.LIMIT_EXCEEDED, { limit: app.config.maxBodyBytes });
        }
        return;
      }
      // A client that went away mid-body is not an error of ours.
      if ((err as { code?: string }).code === 'ECONNRESET' || req.destroyed) {
        if (!res.headersSent) res.destroy();
        return;
      }
      app.logger.error({ err }, 'http handler failed');
      if (!res.headersSent) sendError(res, 500, 'Internal server error.', ErrorCode.INTERNAL_SERVER_ERROR);
      else res.end();
    }
  };
}
