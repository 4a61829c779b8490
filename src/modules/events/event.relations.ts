/** Profile.history in the read registry (src/read/registry.ts): a field the events module adds to Profile. */
import { fieldsOf, type ReadModule } from '../../read/registry.js';
import { profiles } from '../profile/profile.table.js';
import { profileHistory } from './history.js';

const { resolver } = fieldsOf(profiles);

export const eventReads: ReadModule = {
  extensions: [
    {
      type: 'Profile',
      fields: {
        // One statement for a whole page of profiles' histories (DataLoader); needs only the id.
        history: resolver({
          columns: [profiles.id],
          resolve: (p, args: { first?: number | null; after?: string | null }, request) => profileHistory(request, p.id, args),
        }),
      },
    },
  ],
};
