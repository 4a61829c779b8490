/** searchProfiles in the read registry (src/read/registry.ts): a planned page of profiles. */
import type { ReadModule } from '../../read/registry.js';
import { profiles } from '../profile/profile.table.js';

export const searchReads: ReadModule = {
  // Ordered by id (stable cursors); each edge also carries the keys it matched.
  pages: [{ root: 'searchProfiles', node: 'Profile', always: [profiles.id], edgeFields: ['matchedKeys'] }],
};
