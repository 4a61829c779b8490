import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import type { ProfileRow } from '../profile/profile.repository.js';
import { getContact, recordContact } from './contact.service.js';

/** Contact's fields and Profile.contacts resolve from the read registry (contact.relations.ts). */
export const contactResolvers: Resolvers = {
  Query: {
    contact: (_p, { id }, ctx) => getContact(domainScope(ctx), id),
  },
  Mutation: {
    recordContact: async (_p, { input }, ctx) => {
      const scope = domainScope(ctx);
      const result = await recordContact(scope, input);
      const profiles = ctx.app.reads.loader(ctx, 'Profile');
      const profile = result.profile ?? (result.contact.profileId ? await profiles.load(result.contact.profileId) : null);
      const candidates = await profiles.loadMany(result.candidateIds);
      return {
        contact: result.contact,
        profile,
        association: result.association,
        candidates: candidates.filter((c): c is ProfileRow => !!c && !(c instanceof Error)),
        created: result.created,
      };
    },
  },
};
