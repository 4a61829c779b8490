import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { AppError, ErrorCode } from '../../errors.js';
import { findActiveKeyByHash, type DomainRow } from './domain.repository.js';

/** Who is calling. Resolved once per request from `Authorization: Bearer <token>`. */
export type Auth =
  | { kind: 'anonymous' }
  | { kind: 'invalid' }
  | { kind: 'admin' }
  | { kind: 'domain'; domain: DomainRow; keyId: string };

export const KEY_PREFIX = 'pgk_';

export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new domain API key: the secret (shown once), its hash (stored) and a display prefix. */
export function generateKey(): { secret: string; hash: string; prefix: string } {
  const secret = KEY_PREFIX + randomBytes(24).toString('base64url');
  return { secret, hash: hashKey(secret), prefix: secret.slice(0, 10) };
}

/**
 * Resolves bearer tokens to callers. Domain keys are looked up by hash; hits are cached for a few
 * seconds (config) so a read costs no extra statement. Revocation and domain changes made through
 * this instance clear the cache at once; other replicas honour them within the cache TTL.
 */
export class Authenticator {
  private readonly cache = new Map<string, { auth: Auth; expires: number }>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly database: Database,
    private readonly adminToken: string | undefined,
    private readonly cacheMs: number,
  ) {}

  async authenticate(header: string | undefined | null): Promise<Auth> {
    if (!header) return { kind: 'anonymous' };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const token = match?.[1];
    if (!token) return { kind: 'invalid' };
    if (this.adminToken && safeEqual(token, this.adminToken)) return { kind: 'admin' };
    if (!token.startsWith(KEY_PREFIX)) return { kind: 'invalid' };
    const hash = hashKey(token);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.expires > now) return hit.auth;
    const found = await findActiveKeyByHash(this.database.db, hash);
    const auth: Auth = found ? { kind: 'domain', domain: found.domain, keyId: found.keyId } : { kind: 'invalid' };
    if (this.cacheMs > 0 && found) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { auth, expires: now + this.cacheMs });
    }
    return auth;
  }

  /** Forgets cached keys (after a revocation or a domain change) and tells listeners (open sockets re-check at once). */
  invalidate(): void {
    this.cache.clear();
    for (const l of this.listeners) l();
  }

  /** Called after every `invalidate`; returns the unsubscribe function. */
  onInvalidate(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How long a validated key is trusted without a database read (0 = never cached). */
  get cacheWindowMs(): number {
    return this.cacheMs;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function requireAdminAuth(auth: Auth): void {
  if (auth.kind === 'admin') return;
  if (auth.kind === 'domain') {
    throw new AppError(ErrorCode.FORBIDDEN, 'This operation needs the admin token; a domain API key cannot manage domains or keys.');
  }
  throw unauthenticated(auth);
}

export function requireDomainAuth(auth: Auth): { domain: DomainRow; keyId: string } {
  if (auth.kind === 'domain') return auth;
  if (auth.kind === 'admin') {
    throw new AppError(ErrorCode.FORBIDDEN, 'The admin token manages domains; use a domain API key (Authorization: Bearer pgk_…) for domain data.');
  }
  throw unauthenticated(auth);
}

function unauthenticated(auth: Auth): AppError {
  return new AppError(
    ErrorCode.UNAUTHENTICATED,
    auth.kind === 'anonymous'
      ? 'Missing API key: send "Authorization: Bearer <key>".'
      : 'Invalid or revoked API key: check the "Authorization: Bearer <key>" header.',
  );
}
