import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { LoaderRegistry, type AppServices, type Context } from './context.js';

/** Close codes for subscription sockets whose key is missing/invalid (4401) or not a domain key (4403). */
export const WsClose = { Unauthorized: CloseCode.Unauthorized, Forbidden: CloseCode.Forbidden } as const;

/**
 * graphql-ws on the HTTP server's port and path. The domain API key travels in
 * connectionParams.authorization and is checked once at connect; each operation gets a fresh
 * context (and loaders) so caches never outlive it.
 */
export function attachWebSocket(httpServer: Server, schema: GraphQLSchema, app: AppServices, path = '/graphql') {
  const wss = new WebSocketServer({ server: httpServer, path });
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
        (ctx.extra as { auth?: Context['auth'] }).auth = auth;
        return true;
      },
      context: (ctx): Context => ({
        app,
        auth: (ctx.extra as { auth?: Context['auth'] }).auth ?? { kind: 'anonymous' },
        loaders: new LoaderRegistry(),
      }),
    },
    wss,
    10_000,
  );
  return {
    async close(): Promise<void> {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
