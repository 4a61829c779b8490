/**
 * The explorer's one way to the gateway: GraphQL over HTTP POST with the domain key as a bearer
 * token, graphql-ws for live updates (key in connectionParams.authorization), and the server's
 * capabilities read once by introspection so panels whose fields are absent stay hidden.
 */
import { createClient, type Client } from 'graphql-ws';

export const KEY_STORAGE = 'profilegraph.key';

/** A GraphQL error answer, with the first error's extensions.code. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly errors: { message: string; extensions?: Record<string, unknown> }[] = [],
  ) {
    super(message);
  }
}

/** Which optional server features exist (explorer and identity contracts). */
export interface Capabilities {
  lookupProfiles: boolean;
  layout: boolean;
  insights: boolean;
  similarProfiles: boolean;
  merge: boolean;
  segmentPreview: boolean;
}

export const NO_CAPABILITIES: Capabilities = { lookupProfiles: false, layout: false, insights: false, similarProfiles: false, merge: false, segmentPreview: false };

export class Api {
  private ws: Client | null = null;

  constructor(readonly key: string) {}

  async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${this.key}` },
        body: JSON.stringify({ query, variables }),
      });
    } catch {
      throw new ApiError('The gateway cannot be reached.', 'NETWORK');
    }
    let body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new ApiError(`The gateway answered ${res.status}.`, 'NETWORK');
    }
    if (body.errors?.length) {
      const first = body.errors[0]!;
      throw new ApiError(first.message, String(first.extensions?.code ?? 'ERROR'), body.errors);
    }
    return body.data as T;
  }

  /** Runs a subscription; returns its stop function. */
  subscribe<T>(query: string, variables: Record<string, unknown>, onData: (data: T) => void, onError: (err: ApiError) => void): () => void {
    if (!this.ws) {
      const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
      this.ws = createClient({ url, connectionParams: { authorization: `Bearer ${this.key}` }, lazy: true, retryAttempts: 20 });
    }
    return this.ws.subscribe<T>(
      { query, variables },
      {
        next: (r) => {
          if (r.errors?.length) onError(new ApiError(r.errors[0]!.message, String(r.errors[0]!.extensions?.code ?? 'ERROR')));
          else if (r.data) onData(r.data as T);
        },
        error: (e) => onError(new ApiError(e instanceof Error ? e.message : 'The live connection closed.', 'NETWORK')),
        complete: () => {},
      },
    );
  }

  close(): void {
    void this.ws?.dispose();
    this.ws = null;
  }

  /** Checks the key (UNAUTHENTICATED throws) and reads which optional fields the server has. */
  async signIn(): Promise<{ domain: string; phoneRegion: string; caps: Capabilities }> {
    const d = await this.gql<{ currentDomain: { name: string; defaultPhoneRegion: string } }>('{ currentDomain { name defaultPhoneRegion } }');
    let caps = NO_CAPABILITIES;
    try {
      const t = await this.gql<{ q: Fields; m: Fields; p: Fields }>(
        '{ q: __type(name: "Query") { fields { name } } m: __type(name: "Mutation") { fields { name } } p: __type(name: "Profile") { fields { name } } }',
      );
      const has = (f: Fields, n: string) => Boolean(f?.fields?.some((x) => x.name === n));
      caps = {
        lookupProfiles: has(t.q, 'lookupProfiles'),
        layout: has(t.q, 'profileLayout') && has(t.m, 'putProfileLayout'),
        insights: has(t.p, 'insights'),
        similarProfiles: has(t.q, 'similarProfiles'),
        merge: has(t.m, 'mergeProfiles') && has(t.m, 'unmergeProfiles') && has(t.p, 'merges'),
        segmentPreview: has(t.q, 'segmentPreview'),
      };
    } catch {
      // Introspection refused: only the core panels.
    }
    return { domain: d.currentDomain.name, phoneRegion: d.currentDomain.defaultPhoneRegion, caps };
  }
}

type Fields = { fields: { name: string }[] | null } | null;
