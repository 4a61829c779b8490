import Negotiator from 'negotiator';

/**
 * GraphQL over HTTP response types. `application/json` is the legacy type (clients that do not ask
 * for the new one get it); with it, a well-formed GraphQL request is answered 200 even when it fails
 * to parse, validate or coerce its variables (the spec's SHOULD), while with
 * `application/graphql-response+json` such request errors are 4xx.
 */
export const JSON_TYPE = 'application/json; charset=utf-8';
export const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/** The type Apollo picks for a single result (its chooseContentTypeForSingleResultResponse), or null when the Accept header allows neither. */
export function responseTypeFor(accept: string | undefined): string | null {
  if (!accept || accept === '*/*' || accept === 'application/json') return JSON_TYPE;
  if (accept === 'application/graphql-response+json') return GRAPHQL_RESPONSE_TYPE;
  const preferred = new Negotiator({ headers: { accept } }).mediaType([JSON_TYPE, GRAPHQL_RESPONSE_TYPE, 'application/json; callback']);
  return preferred === JSON_TYPE || preferred === GRAPHQL_RESPONSE_TYPE ? preferred : null;
}

/** Codes of errors that reject a well-formed request before execution (parse, validation, variables, guards, operation choice, persisted queries). */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'LIMIT_EXCEEDED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'TRUSTED_DOCUMENT_REQUIRED',
]);

/**
 * The status of a GraphQL response with request errors: 400 under the new type, 200 under legacy
 * `application/json` — given the errors' codes (only request errors are turned to 200: a malformed
 * HTTP request stays 400).
 */
export function requestErrorStatus(contentType: string | undefined, status: number, codes: readonly unknown[]): number {
  if (status !== 400 || !contentType?.startsWith('application/json')) return status;
  return codes.length > 0 && codes.every((c) => typeof c === 'string' && REQUEST_ERROR_CODES.has(c)) ? 200 : status;
}
