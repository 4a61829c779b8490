/** ProfileObject in the read registry (src/read/registry.ts): the node type and `Profile.objects`. */
import { eq } from 'drizzle-orm';
import { connection, fieldsOf, node, type ReadModule } from '../../read/registry.js';
import { profileObjects } from './ingest.table.js';
import type { ProfileObjectRow } from './ingest.repository.js';

declare module '../../read/registry.js' {
  interface NodeRows {
    ProfileObject: ProfileObjectRow;
  }
}

const { reference } = fieldsOf(profileObjects);

export const profileObjectNode = node({
  type: 'ProfileObject',
  table: profileObjects,
  id: profileObjects.id,
  domain: profileObjects.domainId,
  fields: {
    profile: reference({ column: profileObjects.profileId, target: 'Profile' }),
  },
});

export const objectReads: ReadModule = {
  nodes: [profileObjectNode],
  connections: [
    connection({
      parent: 'Profile',
      field: 'objects',
      node: profileObjectNode,
      parentColumn: profileObjects.profileId,
      domainColumn: profileObjects.domainId,
      sort: profileObjects.updatedAt,
      filter: (a: { type?: string | null }) => (a.type ? eq(profileObjects.objectType, a.type) : undefined),
    }),
  ],
};
