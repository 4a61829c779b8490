/**
 * Profile.segments in the read registry (src/read/registry.ts): the names of the segments a profile
 * is in now, evaluated on demand for a whole page of profiles at once (a per-request DataLoader:
 * the domain's segments, then one statement for the page — never one per profile).
 */
import DataLoader from 'dataloader';
import { fieldsOf, type ReadModule, type ReadRequest } from '../../read/registry.js';
import { profiles } from '../profile/profile.table.js';
import { segmentNamesOfProfiles } from './segment.service.js';

const { resolver } = fieldsOf(profiles);

function segmentsOf(request: ReadRequest, profileId: string): Promise<string[]> {
  const loader = request.memo(
    'segmentNamesByProfile',
    () =>
      new DataLoader<string, string[]>(async (ids) => {
        const names = await segmentNamesOfProfiles(request.scope, ids);
        return ids.map((id) => names.get(id) ?? []);
      }),
  );
  return loader.load(profileId);
}

export const segmentReads: ReadModule = {
  extensions: [
    {
      type: 'Profile',
      fields: {
        // Exact now: evaluated on demand, not read from the stored membership (which the maintainer
        // updates just after writes). Two statements per page: the domain's segments, one evaluation.
        segments: resolver({ columns: [profiles.id], resolve: (p, _args, request) => segmentsOf(request, p.id), statements: 2 }),
      },
    },
  ],
};
