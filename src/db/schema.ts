/** Every table, for drizzle's typed queries. Each module owns its table file. */
export * from '../modules/domain/domain.table.js';
export * from '../modules/profile/profile.table.js';
export * from '../modules/contact/contact.table.js';
export * from '../modules/case/case.table.js';
export * from '../modules/order/order.table.js';
export * from '../modules/events/event.table.js';
export * from '../modules/object-type/object-type.table.js';
export * from '../modules/ingest/ingest.table.js';
export * from '../modules/jobs/job.table.js';
export * from '../modules/calculated/calculated.table.js';
export * from '../modules/segment/segment.table.js';
export * from '../modules/layout/layout.table.js';
export * from '../modules/merge/merge.table.js';
export * from '../modules/inbound/inbound.table.js';
export * from '../modules/sink/sink.table.js';
export * from '../modules/identity/identity.table.js';
