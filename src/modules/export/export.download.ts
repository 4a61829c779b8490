import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices } from '../../graphql/context.js';
import { UUID } from '../../graphql/pagination.js';
import { jobById } from '../jobs/job.repository.js';
import type { ExportResult } from './export.service.js';

/** `/exports/<job id>/<file name>` */
export const DOWNLOAD_PATH = /^\/exports\/([0-9a-f-]{36})\/([^/]+)$/i;

function fail(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * GET /exports/<job id>/<file>: streams a finished export's file to the domain that made it
 * (Authorization: Bearer <domain key>). Another domain's job, an unknown file or an unfinished job
 * is 404 — nothing tells a caller that another domain's job exists.
 */
export async function serveExportFile(app: AppServices, req: IncomingMessage, res: ServerResponse, match: RegExpExecArray): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'Use GET.');
  const auth = await app.authenticator.authenticate(req.headers.authorization);
  if (auth.kind !== 'domain') return fail(res, auth.kind === 'admin' ? 403 : 401, 'Send the domain API key that started the export: Authorization: Bearer <key>.');
  const [, jobId, name] = match;
  const job = UUID.test(jobId!) ? await jobById(app.database.db, auth.domain.id, jobId!) : null;
  const result = job?.kind === 'EXPORT' && job.status === 'SUCCEEDED' ? (job.result as ExportResult | null) : null;
  const file = result?.files.find((f) => path.basename(f.path) === name);
  if (!file) return fail(res, 404, 'No such export file for this domain (is the job finished?).');
  const info = await stat(file.path).catch(() => null);
  if (!info) return fail(res, 410, 'The export file is no longer on the server; start the export again.');
  res.writeHead(200, {
    'content-type': name!.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'content-length': info.size,
    'content-disposition': `attachment; filename="${name}"`,
  });
  if (req.method === 'HEAD') return void res.end();
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file.path);
    stream.on('error', reject);
    res.on('close', resolve);
    stream.pipe(res);
  });
}
