/**
 * Profile in the read registry (src/read/registry.ts): the node type, its fields that are not
 * columns, its by-id loader, and the `profiles` page. Other modules add Profile's connections
 * (contacts, cases, orders, objects) and fields (history) in their own relations files.
 */
import { fieldsOf, node, type ReadModule } from '../../read/registry.js';
import { attributeList } from '../attributes.js';
import { profilesByIds, type ProfileRow } from './profile.repository.js';
import { fullName, isId } from './profile.service.js';
import { profiles } from './profile.table.js';

declare module '../../read/registry.js' {
  interface NodeRows {
    Profile: ProfileRow;
  }
}

const { field } = fieldsOf(profiles);

export const profileNode = node({
  type: 'Profile',
  table: profiles,
  id: profiles.id,
  domain: profiles.domainId,
  fields: {
    fullName: field({ columns: [profiles.firstName, profiles.middleName, profiles.lastName], resolve: (p) => fullName(p) }),
    attributes: field({ columns: [profiles.attributes], resolve: (p) => attributeList(p.attributes) }),
    attribute: field({ columns: [profiles.attributes], resolve: (p, { key }: { key: string }) => p.attributes[key] ?? null }),
  },
  byId: { name: 'profilesById', load: (scope, ids) => profilesByIds(scope.database.db, scope.domain.id, ids.filter(isId)) },
});

export const profileReads: ReadModule = {
  nodes: [profileNode],
  // Query.profiles: newest first, keyset (createdAt, id).
  pages: [{ root: 'profiles', node: 'Profile', always: [profiles.id, profiles.createdAt] }],
};
