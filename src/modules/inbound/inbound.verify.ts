/**
 * How each sender signs a webhook, checked in constant time (both sides are hashed to equal-length
 * digests first, so neither the value nor its length leaks through timing).
 *
 *  - SHOPIFY_HMAC: `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(secret, raw body)); delivery id
 *    `X-Shopify-Webhook-Id`.
 *  - HMAC_SHA256: a header (default `X-Signature-256`) = hex HMAC-SHA256(secret, raw body), with or
 *    without a `sha256=` prefix (GitHub's form), or base64; delivery id `Idempotency-Key` (or
 *    `X-Delivery-Id`).
 *  - BEARER_TOKEN: `Authorization: Bearer <secret>`; delivery id as for HMAC_SHA256.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Verification } from './inbound.table.js';

export const DEFAULT_SIGNATURE_HEADER = 'x-signature-256';

function sameSecret(given: string | Buffer, expected: string | Buffer): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export interface SourceSecret {
  verification: Verification;
  signatureHeader: string | null;
  secret: string;
}

/** True when the request carries the source's signature over exactly these body bytes. */
export function verifySignature(source: SourceSecret, headers: IncomingHttpHeaders, body: Buffer): boolean {
  switch (source.verification) {
    case 'SHOPIFY_HMAC': {
      const given = header(headers, 'x-shopify-hmac-sha256');
      if (!given || given.length > 200) return false;
      return sameSecret(given.trim(), createHmac('sha256', source.secret).update(body).digest('base64'));
    }
    case 'HMAC_SHA256': {
      const raw = header(headers, source.signatureHeader ?? DEFAULT_SIGNATURE_HEADER);
      if (!raw || raw.length > 200) return false;
      const given = raw.trim().replace(/^sha256=/i, '');
      const mac = createHmac('sha256', source.secret).update(body).digest();
      return /^[0-9a-f]{64}$/i.test(given) ? sameSecret(given.toLowerCase(), mac.toString('hex')) : sameSecret(given, mac.toString('base64'));
    }
    case 'BEARER_TOKEN': {
      const auth = header(headers, 'authorization');
      const m = auth && auth.length <= 1100 ? /^Bearer\s+(.+)$/i.exec(auth.trim()) : null;
      return m ? sameSecret(m[1]!, source.secret) : false;
    }
  }
}

/** The sender's id for this delivery, when it gives one (used to ignore redeliveries). */
export function deliveryIdOf(verification: Verification, headers: IncomingHttpHeaders): string | undefined {
  if (verification === 'SHOPIFY_HMAC') return header(headers, 'x-shopify-webhook-id');
  return header(headers, 'idempotency-key') ?? header(headers, 'x-delivery-id');
}
