import { expect } from 'vitest';
import type { TestServer } from './server.js';

export const JOB_FIELDS = `id kind status params progress { done total } counts { name value } rowErrors { line reason } result error cancelRequested createdAt startedAt finishedAt
  export { format directory rows files { objectType path bytes rows downloadPath } }`;

/** Polls job(id) until it reaches one of `statuses` (default: any final status). */
export async function waitForJob(
  s: TestServer,
  key: string,
  id: string,
  statuses: string[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'],
  timeoutMs = 30_000,
): Promise<Record<string, any>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await s.gql(`query($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`, { id }, key);
    expect(r.errors).toBeUndefined();
    const job = r.data!.job;
    if (job && statuses.includes(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${id} still ${job?.status} after ${timeoutMs} ms: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startExport(s: TestServer, key: string, input: Record<string, unknown>) {
  return s.gql(`mutation($input: StartExportInput!) { startExport(input: $input) { ${JOB_FIELDS} } }`, { input }, key);
}
