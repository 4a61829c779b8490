/** Contact in the read registry (src/read/registry.ts): the node type and `Profile.contacts`. */
import { eq } from 'drizzle-orm';
import { connection, fieldsOf, node, type ReadModule } from '../../read/registry.js';
import { attributeList } from '../attributes.js';
import { contacts } from './contact.table.js';
import type { ContactRow } from './contact.repository.js';

declare module '../../read/registry.js' {
  interface NodeRows {
    Contact: ContactRow;
  }
}

const { field, reference } = fieldsOf(contacts);

export const contactNode = node({
  type: 'Contact',
  table: contacts,
  id: contacts.id,
  domain: contacts.domainId,
  fields: {
    durationSeconds: field({
      columns: [contacts.initiatedAt, contacts.disconnectedAt],
      resolve: (c) => (c.disconnectedAt ? Math.round((c.disconnectedAt.getTime() - c.initiatedAt.getTime()) / 1000) : null),
    }),
    attributes: field({ columns: [contacts.attributes], resolve: (c) => attributeList(c.attributes) }),
    attribute: field({ columns: [contacts.attributes], resolve: (c, { key }: { key: string }) => c.attributes[key] ?? null }),
    profile: reference({ column: contacts.profileId, target: 'Profile' }),
  },
});

export const contactReads: ReadModule = {
  nodes: [contactNode],
  connections: [
    connection({
      parent: 'Profile',
      field: 'contacts',
      node: contactNode,
      parentColumn: contacts.profileId,
      domainColumn: contacts.domainId,
      sort: contacts.initiatedAt,
      filter: (a: { channel?: string | null }) => (a.channel ? eq(contacts.channel, a.channel) : undefined),
    }),
  ],
};
