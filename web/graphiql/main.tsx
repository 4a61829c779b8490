/**
 * GraphiQL for browsers at GET /graphql, bundled from npm (no CDN). Queries and mutations go over
 * HTTP POST, subscriptions over graphql-ws; both carry the Authorization header of the headers
 * editor (prefilled from the explorer's session key), graphql-ws in connectionParams.authorization.
 */
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createClient, type Client } from 'graphql-ws';
import { parse, getOperationAST } from 'graphql';
import 'graphiql/style.css';
import './graphiql.css';

declare const EDITOR_WORKER: string;
declare const JSON_WORKER: string;
declare const GRAPHQL_WORKER: string;

// Monaco's language workers, built by web/build.mjs as separate files (worker-src 'self').
(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_id: string, label: string): Worker {
    const url = label === 'json' ? JSON_WORKER : label === 'graphql' ? GRAPHQL_WORKER : EDITOR_WORKER;
    return new Worker(url, { type: 'module' });
  },
};

type Params = { query: string; variables?: unknown; operationName?: string | null };
type Opts = { headers?: Record<string, unknown> };

const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
const sockets = new Map<string, Client>();

/** One graphql-ws client per Authorization value typed in the headers editor. */
function socketFor(authorization: string): Client {
  let client = sockets.get(authorization);
  if (!client) {
    client = createClient({ url: wsUrl, connectionParams: { authorization }, lazy: true });
    sockets.set(authorization, client);
  }
  return client;
}

function authorizationOf(headers: Record<string, unknown> | undefined): string {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === 'authorization' && typeof v === 'string') return v;
  return '';
}

function isSubscription(p: Params): boolean {
  try {
    return getOperationAST(parse(p.query), p.operationName ?? undefined)?.operation === 'subscription';
  } catch {
    return false;
  }
}

async function* subscribe(p: Params, authorization: string): AsyncGenerator<unknown> {
  const it = socketFor(authorization).iterate({ query: p.query, variables: (p.variables ?? {}) as Record<string, unknown>, operationName: p.operationName ?? undefined });
  try {
    for await (const r of it) yield r;
  } finally {
    await it.return?.();
  }
}

const fetcher = (p: Params, opts?: Opts) => {
  const authorization = authorizationOf(opts?.headers);
  if (isSubscription(p)) return subscribe(p, authorization);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  for (const [k, v] of Object.entries(opts?.headers ?? {})) if (typeof v === 'string') headers[k] = v;
  return fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(p) }).then((r) => r.json());
};

const key = sessionStorage.getItem('profilegraph.key');
const initialHeaders = JSON.stringify({ authorization: key ? `Bearer ${key}` : 'Bearer <your domain API key>' }, null, 2);
const defaultQuery = `# profilegraph GraphiQL: put your domain API key in the Headers tab below.
{
  profiles(first: 5) {
    nodes { id fullName phoneNumber emailAddress }
  }
}
`;

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL fetcher={fetcher as never} initialHeaders={initialHeaders} defaultQuery={defaultQuery} shouldPersistHeaders={false} isHeadersEditorEnabled defaultEditorToolsVisibility="headers" />,
);
