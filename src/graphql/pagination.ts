/** Cursor pagination lives with the modules (src/modules/pagination.ts); re-exported for the GraphQL layer. */
export * from '../modules/pagination.js';
