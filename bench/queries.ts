/**
 * The benchmark's operations, per system. All three return the same data: q1 = the agent-desktop
 * page (50 newest profiles, each with its 10 most recent contacts, cases and orders), q2 = the
 * profile(s) holding a phone number (E.164).
 */
const contactFields = 'channel initiatedAt queue agentId';
const caseFields = 'title status';
const orderFields = 'orderId totalPrice status';

export const profilegraphQ1 = `query Desk {
  profiles(first: 50) {
    nodes {
      id firstName lastName phoneNumber emailAddress
      contacts(first: 10) { nodes { ${contactFields} } }
      cases(first: 10) { nodes { ${caseFields} } }
      orders(first: 10) { nodes { ${orderFields} } }
    }
  }
}`;

export const profilegraphQ2 = `query Phone($phone: String!) {
  searchProfiles(key: "_phone", values: [$phone], first: 10) { nodes { id firstName lastName phoneNumber emailAddress } }
}`;

/**
 * PostGraphile has no tenant scoping of its own, so the domain is passed as a condition at every
 * level (that also lets Postgres use the (domain_id, profile_id, sort, id) indexes). Its `id` is a
 * global Node id; the database id is `rowId`.
 */
export const postgraphileQ1 = `query Desk($domainId: UUID!) {
  allProfiles(first: 50, condition: { domainId: $domainId }, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) {
    nodes {
      rowId firstName lastName phoneNumber emailAddress
      contactsByProfileId(first: 10, condition: { domainId: $domainId }, orderBy: [INITIATED_AT_DESC, ROW_ID_DESC]) { nodes { ${contactFields} } }
      casesByProfileId(first: 10, condition: { domainId: $domainId }, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) { nodes { ${caseFields} } }
      ordersByProfileId(first: 10, condition: { domainId: $domainId }, orderBy: [ORDERED_AT_DESC, ROW_ID_DESC]) { nodes { ${orderFields} } }
    }
  }
}`;

export const postgraphileQ2 = `query Phone($domainId: UUID!, $phone: String!) {
  allProfileKeys(first: 10, condition: { domainId: $domainId, keyName: "_phone", value: $phone }) {
    nodes { profileByProfileId { rowId firstName lastName phoneNumber emailAddress } }
  }
}`;
