import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { ExecutionArgs, ExecutionResult, GraphQLError as GraphQLErrorType, GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode, formatError } from '../errors.js';
import type { Auth } from '../modules/domain/auth.js';
import { EventStream, type SlowConsumerError } from '../modules/events/event-stream.js';
import { LoaderRegistry, type AppServices, type Context } from './context.js';
import { DocumentCache, prepareWsOperation } from './guards.js';
import { TrustedDocuments } from './trusted-documents.js';

/**
 * Close codes of sockets: key missing, invalid or revoked — also later, when a key is revoked or
 * its domain deleted while the socket is open (4401); not a domain key (4403); a consumer too slow
 * for its bounded buffer (4413 — not 4429, which graphql-ws already uses for "too many
 * initialisation requests"; the reason says to resume with `after`). A message larger than the body
 * limit closes with 1009 (ws).
 */
export const WsClose = { Unauthorized: CloseCode.Unauthorized, Forbidden: CloseCode.Forbidden, SlowConsumer: 4413 } as const;

/** How often the server pings each socket (ws ping/pong); a socket that misses a pong is dropped. */
export const KEEP_ALIVE_MS = 10_000;

// The schema is built by @graphql-tools (which loads graphql's CommonJS build); graphql refuses a
// schema from "another realm", so execute with that same build even where a bundler (vitest)
// would hand this file the ESM one. graphql-ws (loaded by Node) uses that build too, and checks
// the errors onSubscribe returns with instanceof.
const { createSourceEventStream, execute, GraphQLError } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/** Per-socket state kept on graphql-ws's `extra`. */
type Extra = {
  socket: WebSocket;
  /** The Authorization header the socket connected with (re-checked on every operation and by the sweep). */
  header?: string;
  auth?: Auth;
};

/**
 * Like graphql-js `subscribe`, but each event is executed with its own context (fresh
 * DataLoaders): graphql-ws builds the context once per subscription, and reusing its loaders would
 * serve the previous event's rows. return() reaches the source at once, so unsubscribing or
 * disconnecting frees the subscriber immediately. `release` runs once when the subscription ends,
 * however it ends.
 */
/**
 * Each event's results by subscription group: subscribers of one domain with the same document,
 * operation and variables get the same answer for the same event, so it is executed once for all of
 * them (the hub hands every live subscriber of a domain the same event row object; replays read
 * their own rows and simply do not share). Held weakly: gone with the event row.
 */
const sharedResults = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
const documentIds = new WeakMap<object, number>();
let nextDocumentId = 1;

/** Subscription events delivered, and how many executions they took (fewer when subscribers share a group). */
export interface FanOutStats {
  deliveries: number;
  executions: number;
}

/** The group of a subscription: same domain, same parsed document (DocumentCache hands out one per text), operation and variables. */
function subscriptionGroup(args: ExecutionArgs, domainId: string): string {
  let doc = documentIds.get(args.document);
  if (doc === undefined) documentIds.set(args.document, (doc = nextDocumentId++));
  return `${domainId}\u0000${doc}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
}

async function subscribePerEvent(
  args: ExecutionArgs,
  group: string,
  stats: FanOutStats,
  onOverflow: (err: SlowConsumerError) => void,
  release: () => void,
): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  let released = false;
  const done = () => {
    if (!released) {
      released = true;
      release();
    }
  };
  let source: Awaited<ReturnType<typeof createSourceEventStream>>;
  try {
    source = await createSourceEventStream(args);
  } catch (err) {
    done();
    throw err;
  }
  if (!(Symbol.asyncIterator in source)) {
    done();
    return source as ExecutionResult;
  }
  const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  if (iterator instanceof EventStream) iterator.onOverflow = onOverflow;
  const base = args.contextValue as Context;
  const mapped = {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      const r = await iterator.next();
      if (r.done) {
        done();
        return { value: undefined, done: true };
      }
      const event = r.value;
      stats.deliveries++;
      const run = () => (stats.executions++, execute({ ...args, rootValue: event, contextValue: { ...base, loaders: new LoaderRegistry() } as Context }) as Promise<ExecutionResult> | ExecutionResult);
      if (event === null || typeof event !== 'object') return { value: await run(), done: false };
      let results = sharedResults.get(event);
      if (!results) sharedResults.set(event, (results = new Map()));
      let result = results.get(group);
      if (!result) results.set(group, (result = Promise.resolve(run())));
      return { value: await result, done: false };
    },
    async return(): Promise<IteratorResult<ExecutionResult>> {
      done();
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    async throw(err: unknown): Promise<IteratorResult<ExecutionResult>> {
      done();
      await iterator.return?.();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
    [Symbol.asyncDispose]: async () => {
      done();
      await iterator.return?.();
    },
  };
  return mapped as AsyncGenerator<ExecutionResult>;
}

function bearer(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  return raw.startsWith('Bearer ') ? raw : `Bearer ${raw}`;
}

function wsError(message: string, code: string, extensions: Record<string, unknown> = {}): GraphQLErrorType {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/**
 * graphql-ws on the HTTP server's port and path, through the same operation-validation layer as
 * HTTP (guards.ts: size, depth, aliases, cost on coerced variables, input sanitation) and the same
 * error mapping, so codes match and internals never leak.
 *
 * Auth lifecycle: the domain API key travels in connectionParams.authorization; it is checked at
 * connect, again (through the key cache) for every operation, and by a sweep over open sockets
 * every second and at once after a revocation through this process — a socket whose key was
 * revoked or whose domain was deleted is closed with 4401 and its subscriptions end, within the
 * key cache window on other replicas.
 */
export function attachWebSocket(httpServer: Server, schema: GraphQLSchema, app: AppServices, trusted = TrustedDocuments.none(), path = '/graphql') {
  const wss = new WebSocketServer({ server: httpServer, path, maxPayload: app.config.maxBodyBytes });
  // The socket of each operation's context, so an overflowing subscription can close it.
  const socketOf = new WeakMap<object, WebSocket>();
  const log = (err: unknown) => app.logger.error({ err }, 'unexpected error in a websocket operation');
  const documents = new DocumentCache();
  const sockets = new Set<Extra>();
  /** Live subscriptions per domain on this instance. */
  const perDomain = new Map<string, number>();
  const limits = app.config;
  const fanOut: FanOutStats = { deliveries: 0, executions: 0 };

  const closeRevoked = (extra: Extra, auth: Auth): boolean => {
    if (auth.kind === 'domain' && extra.auth?.kind === 'domain' && auth.domain.id === extra.auth.domain.id) return false;
    const socket = extra.socket;
    if (auth.kind === 'admin') socket.close(WsClose.Forbidden, 'Subscriptions need a domain API key, not the admin token');
    else socket.close(WsClose.Unauthorized, 'API key revoked or its domain deleted; reconnect with a valid key');
    sockets.delete(extra);
    // A client that stopped reading never completes the closing handshake.
    setTimeout(() => socket.terminate(), 5_000).unref();
    return true;
  };

  // Re-checks every open socket's key (one lookup per distinct key, through the key cache).
  let sweeping = false;
  const sweep = async () => {
    if (sweeping || sockets.size === 0) return;
    sweeping = true;
    try {
      const byHeader = new Map<string, Extra[]>();
      for (const extra of sockets) {
        if (!extra.header) continue;
        const list = byHeader.get(extra.header);
        if (list) list.push(extra);
        else byHeader.set(extra.header, [extra]);
      }
      for (const [header, extras] of byHeader) {
        const auth = await app.authenticator.authenticate(header);
        for (const extra of extras) closeRevoked(extra, auth);
      }
    } catch (err) {
      // The database may be briefly unreachable (failover): keep the sockets, try again next tick.
      app.logger.warn({ err }, 'could not re-check websocket keys');
    } finally {
      sweeping = false;
    }
  };
  const sweepTimer = setInterval(() => void sweep(), 1_000);
  sweepTimer.unref();
  const stopListening = app.authenticator.onInvalidate(() => void sweep());

  const disposable = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      onConnect: async (ctx) => {
        const header = bearer(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization);
        const auth = await app.authenticator.authenticate(header);
        if (auth.kind === 'anonymous' || auth.kind === 'invalid') {
          ctx.extra.socket.close(WsClose.Unauthorized, auth.kind === 'anonymous' ? 'Missing API key in connectionParams.authorization' : 'Invalid or revoked API key');
          return false;
        }
        if (auth.kind !== 'domain') {
          ctx.extra.socket.close(WsClose.Forbidden, 'Subscriptions need a domain API key, not the admin token');
          return false;
        }
        ctx.extra.header = header;
        ctx.extra.auth = auth;
        sockets.add(ctx.extra);
        return true;
      },
      onClose: (ctx) => {
        sockets.delete(ctx.extra);
      },
      onSubscribe: async (ctx, _id, payload) => {
        const extra = ctx.extra;
        // Counted before any await: messages that arrive together are all registered by then.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) {
          return [
            wsError(`This socket already runs ${limits.maxSubscriptionsPerSocket} operations; complete some or open another socket.`, ErrorCode.LIMIT_EXCEEDED, {
              limit: limits.maxSubscriptionsPerSocket,
            }),
          ];
        }
        // Every operation re-checks the key (cached): a revoked key or deleted domain ends the socket.
        const auth = await app.authenticator.authenticate(extra.header);
        if (closeRevoked(extra, auth) || auth.kind !== 'domain') return [wsError('Invalid or revoked API key.', ErrorCode.UNAUTHENTICATED)];
        const prepared = prepareWsOperation(schema, documents, payload, limits, trusted);
        if ('errors' in prepared) return prepared.errors;
        const contextValue: Context = { app, auth, loaders: new LoaderRegistry() };
        socketOf.set(contextValue, extra.socket);
        return { ...prepared.args, contextValue };
      },
      subscribe: async (args) => {
        const context = args.contextValue as Context;
        const socket = socketOf.get(context);
        const domainId = context.auth.kind === 'domain' ? context.auth.domain.id : '';
        const active = perDomain.get(domainId) ?? 0;
        if (active >= limits.maxSubscriptionsPerDomain) {
          return {
            errors: [
              wsError(`This domain already has ${limits.maxSubscriptionsPerDomain} live subscriptions on this server; end some first.`, ErrorCode.LIMIT_EXCEEDED, {
                limit: limits.maxSubscriptionsPerDomain,
              }),
            ],
          };
        }
        perDomain.set(domainId, active + 1);
        const release = () => {
          const n = (perDomain.get(domainId) ?? 1) - 1;
          if (n <= 0) perDomain.delete(domainId);
          else perDomain.set(domainId, n);
        };
        return subscribePerEvent(
          args,
          subscriptionGroup(args, domainId),
          fanOut,
          (err) => {
            if (!socket) return;
            app.logger.warn({ capacity: err.capacity, lastDeliveredId: err.lastDeliveredId }, 'closing a slow subscriber');
            socket.close(WsClose.SlowConsumer, `Too slow: over ${err.capacity} events buffered. Resubscribe with after = last event id you processed`);
            setTimeout(() => socket.terminate(), 5_000).unref();
          },
          release,
        );
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e, log)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e, log)),
    },
    wss,
    KEEP_ALIVE_MS,
  );
  return {
    /** Live subscriptions per domain id on this instance (for tests and metrics). */
    subscriptionsPerDomain: perDomain as ReadonlyMap<string, number>,
    /** Events delivered to subscriptions and the executions they took (tests, metrics). */
    fanOut: fanOut as Readonly<FanOutStats>,
    async close(): Promise<void> {
      clearInterval(sweepTimer);
      stopListening();
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
