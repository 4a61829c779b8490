import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isConnectionError } from './db/database.js';

/** The closed set of `extensions.code` values profilegraph returns. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The database connection was lost (failover, restart): the operation may not have completed; retry it. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The request itself is malformed (not JSON, no query, wrong shape). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The document is not valid GraphQL syntax. */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** The document does not fit the schema. */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** An operation name that is not in the document. */
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  /** Apollo: persisted query hash unknown. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  /** This server runs only its trusted (persisted) documents, and the request sent another. */
  TRUSTED_DOCUMENT_REQUIRED: 'TRUSTED_DOCUMENT_REQUIRED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * An expected failure with a message a person can act on. Services throw these; formatError below
 * is the one place they become client errors. Anything else is an internal error and is never shown.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badInput = (message: string, field?: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
export const notFound = (what: string, id: string) => new AppError(ErrorCode.NOT_FOUND, `${what} "${id}" was not found in this domain.`, { id });
export const conflict = (message: string, details: Record<string, unknown> = {}) => new AppError(ErrorCode.CONFLICT, message, details);

/** Postgres error codes that are the caller's fault, with what to tell them. */
function fromPostgres(err: unknown): AppError | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === '23505') return conflict('A record with the same identifier was written concurrently; retry the operation.');
  if (code === '22P02' || code === '22007' || code === '22008') return badInput('A value has an invalid format.');
  // a write that refers to a row a concurrent transaction deleted (a profile deleted or merged away)
  if (code === '23503') return conflict('The write refers to a record that was deleted (or merged into another profile) concurrently; re-read and retry.');
  if (code === '40001' || code === '40P01') return conflict('The operation conflicted with a concurrent change; retry it.');
  return null;
}

/** Maps any thrown value to the AppError it stands for, or null when it is internal. */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  // Apollo wraps errors thrown while building the context (e.g. the key lookup) as originalError.
  const inner = (err as { originalError?: unknown } | null)?.originalError;
  if (inner instanceof AppError) return inner;
  if (isConnectionError(err) || isConnectionError(inner)) {
    return new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The database connection was lost (a restart or failover); retry in a few seconds.', {
      retryable: true,
    });
  }
  return fromPostgres(err) ?? fromPostgres((err as { cause?: unknown } | null)?.cause);
}

/** A GraphQLError from either build of graphql (ESM or CJS), by shape. */
function isGraphQLError(err: unknown): err is { message: string; originalError?: unknown } {
  return err instanceof Error && err.name === 'GraphQLError';
}

/**
 * Apollo's formatError: the one place errors are mapped for clients. Known errors keep their code;
 * GraphQL's own (parse/validation/variables) pass through; anything else becomes a generic internal
 * error so no stack trace, SQL or driver message ever reaches a client.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, log: (err: unknown) => void): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const app = toAppError(original);
  if (app) {
    return { message: app.message, locations: formatted.locations, path: formatted.path, extensions: { ...app.details, code: app.code } };
  }
  // GraphQL's own errors (syntax, validation, variable coercion, query guards) already carry a code
  // and a message meant for the client. Checked by code, not instanceof: graphql may be loaded twice
  // (ESM and CJS builds) and instanceof fails across the copies.
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    const { stacktrace: _s, http: _h, ...ext } = formatted.extensions ?? {};
    return { ...formatted, extensions: ext };
  }
  // graphql-js's own errors with no underlying exception (variable coercion during execution,
  // e.g. an object where a list was declared): the client's input, with a message meant for it.
  if (isGraphQLError(error) && !error.originalError) {
    return { message: error.message, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  log(original);
  return {
    message: 'Internal server error. It has been logged; retry, and report it if it persists.',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
