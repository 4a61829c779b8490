import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { AppServices } from '../../graphql/context.js';
import { UUID } from '../../graphql/pagination.js';
import { jobById } from '../jobs/job.repository.js';
import { exportFilePath, publicExportResult } from './export.service.js';

/** `/exports/<job id>/<file name>` (the name still percent-encoded, as it came in the URL). */
export const DOWNLOAD_PATH = /^\/exports\/([0-9a-f-]{36})\/([^/]+)$/i;

/** Longest file name part accepted in a download URL (export file names are far shorter). */
const MAX_NAME = 255;

const SECURITY_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

function fail(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The URL's file name part, decoded; null when it is too long or not valid percent-encoding. */
function decodeName(raw: string): string | null {
  if (raw.length > MAX_NAME * 3) return null;
  try {
    const name = decodeURIComponent(raw);
    return name.length <= MAX_NAME ? name : null;
  } catch {
    return null;
  }
}

/**
 * GET (or HEAD) /exports/<job id>/<file>: streams a finished export's file to the domain that made it
 * (Authorization: Bearer <domain key>). Another domain's job, an unknown file or an unfinished job
 * is 404 — nothing tells a caller that another domain's job exists. The file is looked up by name in
 * the job's result and opened under the caller's own domain folder, so the URL never chooses a path.
 * Range requests are not supported: the whole file is sent (`accept-ranges: none`).
 */
export async function serveExportFile(app: AppServices, req: IncomingMessage, res: ServerResponse, match: RegExpExecArray): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'Use GET or HEAD.', { allow: 'GET, HEAD' });
  const auth = await app.authenticator.authenticate(req.headers.authorization);
  if (auth.kind !== 'domain') {
    const message = 'Send the domain API key that started the export: Authorization: Bearer <key>.';
    return auth.kind === 'admin' ? fail(res, 403, message) : fail(res, 401, message, { 'www-authenticate': 'Bearer' });
  }
  const [, jobId, rawName] = match;
  const name = decodeName(rawName!);
  if (name === null) return fail(res, 400, 'The file name in the download path is not valid.');
  const job = UUID.test(jobId!) ? await jobById(app.database.db, auth.domain.id, jobId!) : null;
  const result = job?.kind === 'EXPORT' && job.status === 'SUCCEEDED' ? publicExportResult(job.result) : null;
  const file = result?.files.find((f) => f.name === name);
  const location = file ? exportFilePath({ exportDir: app.config.exportDir }, auth.domain.id, job!.id, file.name) : null;
  if (!file || !location) return fail(res, 404, 'No such export file for this domain (is the job finished?).');
  // Opened once: the size sent is the size of the file streamed, even if it is replaced meanwhile.
  const handle = await open(location, 'r').catch(() => null);
  const info = handle ? await handle.stat().catch(() => null) : null;
  if (!handle || !info?.isFile()) {
    await handle?.close();
    return fail(res, 410, 'The export file is no longer on the server; start the export again.');
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': file.name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'content-length': info.size,
    'content-disposition': `attachment; filename="${file.name}"`,
    'accept-ranges': 'none',
  });
  if (req.method === 'HEAD') {
    await handle.close();
    return void res.end();
  }
  // pipeline closes the file when the client goes away mid-download (pipe() would keep it open).
  await pipeline(handle.createReadStream(), res).catch((err: unknown) => {
    if ((err as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') app.logger.warn({ err, jobId }, 'export download failed');
    res.destroy();
  });
}
