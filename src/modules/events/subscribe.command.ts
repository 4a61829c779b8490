/**
 * `profilegraph subscribe <document> --url <gateway> --key <key> [--variables JSON] [--count N]
 *  [--timeout S]` (options: src/cli.ts).
 *
 * A graphql-ws client for the terminal and scripts: subscribes to a running gateway (any database,
 * also the embedded one a running `npm start` holds) and prints each result as one JSON line on
 * stdout, as it arrives — `profileEvents`, `segmentMembershipChanged`, any subscription the key may
 * run. Stops after `--count` results (exit 0), when the gateway completes the subscription (0), on
 * SIGINT/SIGTERM (0), when `--timeout` seconds pass first (1), or on an error (1, the gateway's
 * message and code on stderr).
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CliError, ExitCode } from '../../cli-domain.js';

export interface SubscribeCommandOptions {
  url: string;
  key: string;
  variables?: string;
  count?: number;
  timeout?: number;
}

/** http(s)://host/graphql or ws(s)://… → the graphql-ws URL. */
function socketUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`--url "${raw.slice(0, 200)}" is not a URL (e.g. http://localhost:4000/graphql).`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new CliError(`--url must be http(s):// or ws(s)://, not ${url.protocol}`);
  return url.toString();
}

function parseVariables(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError('--variables is not JSON (e.g. \'{"name": "goldBuyers"}\').');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CliError('--variables must be a JSON object.');
  return value as Record<string, unknown>;
}

interface GatewayError {
  message?: string;
  extensions?: { code?: string };
}

function describe(errors: readonly GatewayError[] | GatewayError | unknown): string {
  const list = Array.isArray(errors) ? (errors as GatewayError[]) : [errors as GatewayError];
  return list.map((e) => (e && typeof e === 'object' && 'message' in e ? `${e.message}${e.extensions?.code ? ` (${e.extensions.code})` : ''}` : String(e))).join('; ');
}

export async function subscribeCommand(document: string, opts: SubscribeCommandOptions): Promise<number> {
  const url = socketUrl(opts.url);
  const variables = parseVariables(opts.variables);
  if (!opts.key) throw new CliError('--key is required: a domain API key (pgk_…).');
  let received = 0;
  let closedReason: string | null = null;
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${opts.key}` },
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (event) => {
        const e = event as { code?: number; reason?: string };
        if (e.code !== undefined && e.code !== 1000) closedReason = `the gateway closed the connection (${e.code}${e.reason ? `: ${e.reason}` : ''})`;
      },
    },
  });
  return new Promise<number>((resolve) => {
    let finished = false;
    const finish = (code: number, message?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (message) process.stderr.write(`error: ${message}\n`);
      unsubscribe();
      void client.dispose();
      resolve(code);
    };
    const stop = () => finish(ExitCode.OK);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const timer = opts.timeout ? setTimeout(() => finish(ExitCode.ERROR, `no ${received === 0 ? 'result' : 'further result'} within ${opts.timeout} s (${received} received).`), opts.timeout * 1000) : undefined;
    const unsubscribe = client.subscribe(
      { query: document, ...(variables ? { variables } : {}) },
      {
        next: (result) => {
          if (finished) return;
          process.stdout.write(`${JSON.stringify(result)}\n`);
          if (result.errors?.length) return finish(ExitCode.ERROR, describe(result.errors));
          received++;
          if (opts.count !== undefined && received >= opts.count) finish(ExitCode.OK);
        },
        error: (err) => finish(ExitCode.ERROR, closedReason ?? describe(err instanceof Error ? { message: err.message } : err)),
        complete: () => finish(ExitCode.OK),
      },
    );
  });
}
