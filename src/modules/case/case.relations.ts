/** Case in the read registry (src/read/registry.ts): the node type and `Profile.cases`. */
import { eq } from 'drizzle-orm';
import { connection, fieldsOf, node, type ReadModule } from '../../read/registry.js';
import { attributeList } from '../attributes.js';
import { cases } from './case.table.js';
import type { CaseRow } from './case.repository.js';

declare module '../../read/registry.js' {
  interface NodeRows {
    Case: CaseRow;
  }
}

const { field, reference } = fieldsOf(cases);

export const caseNode = node({
  type: 'Case',
  table: cases,
  id: cases.id,
  domain: cases.domainId,
  fields: {
    attributes: field({ columns: [cases.attributes], resolve: (c) => attributeList(c.attributes) }),
    attribute: field({ columns: [cases.attributes], resolve: (c, { key }: { key: string }) => c.attributes[key] ?? null }),
    profile: reference({ column: cases.profileId, target: 'Profile' }),
  },
});

export const caseReads: ReadModule = {
  nodes: [caseNode],
  connections: [
    connection({
      parent: 'Profile',
      field: 'cases',
      node: caseNode,
      parentColumn: cases.profileId,
      domainColumn: cases.domainId,
      sort: cases.createdAt,
      filter: (a: { status?: string | null }) => (a.status ? eq(cases.status, a.status) : undefined),
    }),
  ],
};
