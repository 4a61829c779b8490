import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { formatError } from '../errors.js';
import { EventStream, type SlowConsumerError } from '../modules/events/event-stream.js';
import { LoaderRegistry, type AppServices, type Context } from './context.js';

/**
 * Close codes of subscription sockets: key missing/invalid (4401), not a domain key (4403), and a
 * consumer too slow for its bounded buffer (4413 — not 4429, which graphql-ws already uses for
 * "too many initialisation requests"; the reason says to resume with `after`).
 */
export const WsClose = { Unauthorized: CloseCode.Unauthorized, Forbidden: CloseCode.Forbidden, SlowConsumer: 4413 } as const;

/** How often the server pings each socket (ws ping/pong); a socket that misses a pong is dropped. */
export const KEEP_ALIVE_MS = 10_000;

// The schema is built by @graphql-tools (which loads graphql's CommonJS build); graphql refuses a
// schema from "another realm", so execute with that same build even where a bundler (vitest)
// would hand this file the ESM one.
const { createSourceEventStream, execute } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

type Extra = { auth?: Context['auth']; socket: WebSocket };

/**
 * Like graphql-js `subscribe`, but each event is executed with its own context (fresh
 * DataLoaders): graphql-ws builds the context once per subscription, and reusing its loaders would
 * serve the previous event's rows. return() reaches the source at once, so unsubscribing or
 * disconnecting frees the subscriber immediately.
 */
async function subscribePerEvent(args: ExecutionArgs, onOverflow: (err: SlowConsumerError) => void): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
  const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  if (iterator instanceof EventStream) iterator.onOverflow = onOverflow;
  const base = args.contextValue as Context;
  const mapped = {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      const r = await iterator.next();
      if (r.done) return { value: undefined, done: true };
      const contextValue: Context = { ...base, loaders: new LoaderRegistry() };
      return { value: await execute({ ...args, rootValue: r.value, contextValue }), done: false };
    },
    async return(): Promise<IteratorResult<ExecutionResult>> {
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    async throw(err: unknown): Promise<IteratorResult<ExecutionResult>> {
      await iterator.return?.();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
    [Symbol.asyncDispose]: async () => {
      await iterator.return?.();
    },
  };
  return mapped as AsyncGenerator<ExecutionResult>;
}

/**
 * graphql-ws on the HTTP server's port and path. The domain API key travels in
 * connectionParams.authorization and is checked once at connect; each operation gets a fresh
 * context, and each subscription event another one (see subscribePerEvent). Errors go through the
 * same mapping as HTTP, so codes match and internals never leak.
 */
export function attachWebSocket(httpServer: Server, schema: GraphQLSchema, app: AppServices, path = '/graphql') {
  const wss = new WebSocketServer({ server: httpServer, path });
  // The socket of each operation's context, so an overflowing subscription can close it.
  const socketOf = new WeakMap<object, WebSocket>();
  const log = (err: unknown) => app.logger.error({ err }, 'unexpected error in a websocket operation');
  const disposable = useServer<Record<string, unknown> | undefined, { auth?: Context['auth'] }>(
    {
      schema,
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const header = typeof raw === 'string' ? (raw.startsWith('Bearer ') ? raw : `Bearer ${raw}`) : undefined;
        const auth = await app.authenticator.authenticate(header);
        if (auth.kind === 'anonymous' || auth.kind === 'invalid') {
          ctx.extra.socket.close(WsClose.Unauthorized, auth.kind === 'anonymous' ? 'Missing API key in connectionParams.authorization' : 'Invalid or revoked API key');
          return false;
        }
        if (auth.kind !== 'domain') {
          ctx.extra.socket.close(WsClose.Forbidden, 'Subscriptions need a domain API key, not the admin token');
          return false;
        }
        (ctx.extra as Extra).auth = auth;
        return true;
      },
      context: (ctx): Context => {
        const context: Context = { app, auth: (ctx.extra as Extra).auth ?? { kind: 'anonymous' }, loaders: new LoaderRegistry() };
        socketOf.set(context, ctx.extra.socket);
        return context;
      },
      subscribe: (args) => {
        const socket = socketOf.get(args.contextValue as object);
        return subscribePerEvent(args, (err) => {
          if (!socket) return;
          app.logger.warn({ capacity: err.capacity, lastDeliveredId: err.lastDeliveredId }, 'closing a slow subscriber');
          socket.close(WsClose.SlowConsumer, `Too slow: over ${err.capacity} events buffered. Resubscribe with after = last event id you processed`);
          // A client that stopped reading never completes the closing handshake.
          setTimeout(() => socket.terminate(), 5_000).unref();
        });
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e, log)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e, log)),
    },
    wss,
    KEEP_ALIVE_MS,
  );
  return {
    async close(): Promise<void> {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
