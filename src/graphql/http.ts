import { sql } from 'drizzle-orm';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { sqlStats } from '../db/database.js';
import { DOWNLOAD_PATH, serveExportFile } from '../modules/export/export.download.js';
import { buildContext, type AppServices, type Context } from './context.js';

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

/**
 * node:http request handler: /graphql through Apollo (no framework in between), /healthz and
 * /readyz for orchestrators, /exports/<job>/<file> downloads. With diagnostics on, each GraphQL request runs inside a SQL-statement counter scope.
 */
export function createHttpHandler(apollo: ApolloServer<Context>, app: AppServices) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz') {
        await app.database.db.execute(sql`select 1`);
        return sendJson(res, 200, { status: 'ready', database: app.database.kind });
      }
      const download = DOWNLOAD_PATH.exec(url.pathname);
      if (download) return await serveExportFile(app, req, res, download);
      if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'Not found. The GraphQL endpoint is /graphql.' });

      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let body: unknown = undefined;
      if (req.method === 'POST') {
        const raw = await readBody(req, app.config.maxBodyBytes);
        if (raw.length > 0 && (headers.get('content-type') ?? '').includes('json')) {
          try {
            body = JSON.parse(raw);
          } catch {
            return sendJson(res, 400, { errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
          }
        } else {
          body = raw;
        }
      }
      const respond = async (): Promise<void> => {
        const result = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
          context: () => buildContext(app, headers.get('authorization')),
        });
        const out: Record<string, string> = {};
        for (const [k, v] of result.headers) out[k] = v;
        res.writeHead(result.status ?? 200, out);
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
        return sendJson(res, 413, { errors: [{ message: `Request body exceeds ${app.config.maxBodyBytes} bytes.`, extensions: { code: 'BAD_REQUEST' } }] });
      }
      app.logger.error({ err }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    }
  };
}
