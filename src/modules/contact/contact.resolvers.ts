import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { profileConnection } from '../../graphql/nested.js';
import { attributeList } from '../attributes.js';
import type { ProfileRow } from '../profile/profile.repository.js';
import { profileLoader } from '../profile/profile.service.js';
import { contactsPerProfile, countContactsPerProfile, type ContactRow } from './contact.repository.js';
import { getContact, recordContact } from './contact.service.js';

export const contactResolvers: Resolvers = {
  Query: {
    contact: (_p, { id }, ctx) => getContact(domainScope(ctx), id),
  },
  Mutation: {
    recordContact: async (_p, { input }, ctx) => {
      const scope = domainScope(ctx);
      const result = await recordContact(scope, input);
      const loader = profileLoader(ctx, scope);
      const profile = result.profile ?? (result.contact.profileId ? await loader.load(result.contact.profileId) : null);
      const candidates = await loader.loadMany(result.candidateIds);
      return {
        contact: result.contact,
        profile,
        association: result.association,
        candidates: candidates.filter((c): c is ProfileRow => !!c && !(c instanceof Error)),
        created: result.created,
      };
    },
  },
  Profile: {
    contacts: (profile, args, ctx) => {
      const scope = domainScope(ctx);
      return profileConnection<ContactRow>(
        ctx,
        'contacts',
        profile,
        args,
        (c) => c.initiatedAt,
        (ids, limit, after) => contactsPerProfile(scope.database.db, scope.domain.id, ids, limit, after, args.channel),
        (ids) => countContactsPerProfile(scope.database.db, scope.domain.id, ids, args.channel),
      );
    },
  },
  Contact: {
    durationSeconds: (c) => (c.disconnectedAt ? Math.round((c.disconnectedAt.getTime() - c.initiatedAt.getTime()) / 1000) : null),
    attributes: (c) => attributeList(c.attributes),
    attribute: (c, { key }) => c.attributes[key] ?? null,
    profile: (c, _a, ctx) => (c.profileId ? profileLoader(ctx, domainScope(ctx)).load(c.profileId) : null),
  },
  ContactConnection: {
    totalCount: (c) => c.totalCount(),
  },
};
