/**
 * The industry templates (`applyTemplate(AIRLINE | HOTEL | RETAIL)`): for each, the custom
 * attributes it expects (documented, never written), its calculated attributes
 * (`calculated/templates.ts`) and its segments (text form, built on those calculated attributes,
 * standard fields, `attributes.<name>` and objects). Static data: `test/templates.test.ts` checks
 * every segment parses and installs.
 */
import { TEMPLATE_CALCULATED_ATTRIBUTES, type Industry, type TemplateDefinition } from '../calculated/templates.js';

export type { Industry };
export const INDUSTRIES: readonly Industry[] = ['AIRLINE', 'HOTEL', 'RETAIL'];

/** An `attributes.<name>` key the template's segments or calculated attributes read. */
export interface TemplateCustomAttribute {
  /** `profile` (profile attributes) or the object type whose `attributes.<name>` is read (`_ctr`). */
  objectType: 'profile' | '_ctr' | '_case' | '_order';
  name: string;
  description: string;
}

export interface TemplateSegment {
  name: string;
  description: string;
  /** The rule's text form (`segmentFromText`). */
  text: string;
}

export interface IndustryTemplateSpec {
  industry: Industry;
  description: string;
  customAttributes: readonly TemplateCustomAttribute[];
  calculatedAttributes: readonly TemplateDefinition[];
  segments: readonly TemplateSegment[];
}

const tier = (what: string): TemplateCustomAttribute => ({ objectType: 'profile', name: 'tier', description: `Loyalty tier of the ${what} (e.g. "silver", "gold", "platinum"; lower case).` });
const loyaltyNumber = (programme: string): TemplateCustomAttribute => ({ objectType: 'profile', name: 'loyaltyNumber', description: `Membership number in the ${programme}; present only for members.` });

export const TEMPLATES: Readonly<Record<Industry, IndustryTemplateSpec>> = {
  AIRLINE: {
    industry: 'AIRLINE',
    description: 'Airline: bookings as orders (totalPrice, orderedAt), disruption contacts by contact attribute "reason", frequent-flyer tiers.',
    customAttributes: [
      tier('frequent-flyer programme'),
      loyaltyNumber('frequent-flyer programme'),
      { objectType: 'profile', name: 'homeAirport', description: 'IATA code of the usual departure airport (e.g. "SEA").' },
      { objectType: '_ctr', name: 'reason', description: 'Why the passenger contacted: "delay", "cancellation" and "missed-connection" count as disruptions.' },
    ],
    calculatedAttributes: TEMPLATE_CALCULATED_ATTRIBUTES.AIRLINE,
    segments: [
      { name: 'frequentFlyers', description: 'At least 4 bookings in the last 365 days, or a gold or platinum tier.', text: "count(_order within 365 days) >= 4 or attributes.tier in ('gold', 'platinum')" },
      { name: 'lapsedTravellers', description: 'Booked before, but not in the last 365 days.', text: 'has _order and has no _order within 365 days' },
      { name: 'disruptedTravellers', description: 'Contacted about a delay, cancellation or missed connection in the last 7 days.', text: "calculated.recentlyDisrupted = 'true'" },
      { name: 'highValueTravellers', description: 'Bookings totalling 5,000 or more in the last 365 days.', text: 'calculated.bookingValue365d >= 5000' },
    ],
  },
  HOTEL: {
    industry: 'HOTEL',
    description: 'Hotel: reservations as orders (totalPrice, orderedAt), complaints as cases with reason "complaint", loyalty tiers.',
    customAttributes: [
      tier('hotel loyalty programme'),
      loyaltyNumber('hotel loyalty programme'),
      { objectType: 'profile', name: 'roomPreference', description: 'Preferred room type for agents (e.g. "king", "twin", "suite").' },
    ],
    calculatedAttributes: TEMPLATE_CALCULATED_ATTRIBUTES.HOTEL,
    segments: [
      { name: 'loyalGuests', description: 'At least 3 stays in the last 365 days, or a gold or platinum tier.', text: "calculated.stays365d >= 3 or attributes.tier in ('gold', 'platinum')" },
      { name: 'recentStays', description: 'A reservation in the last 30 days.', text: 'has _order within 30 days' },
      { name: 'unhappyGuests', description: 'At least one complaint case in the last 90 days.', text: 'calculated.complaintCases90d >= 1' },
    ],
  },
  RETAIL: {
    industry: 'RETAIL',
    description: 'Retail: orders (totalPrice, orderedAt), returns as cases with reason "return", a loyalty card.',
    customAttributes: [
      loyaltyNumber('loyalty card programme'),
      { objectType: 'profile', name: 'preferredStore', description: 'Store identifier the customer shops at most (for agents and campaigns).' },
    ],
    calculatedAttributes: TEMPLATE_CALCULATED_ATTRIBUTES.RETAIL,
    segments: [
      { name: 'highValueCustomers', description: 'Orders totalling more than 1,000 in the last 365 days.', text: "calculated.highValueCustomer = 'true'" },
      { name: 'recentBuyers', description: 'An order in the last 30 days.', text: 'has _order within 30 days' },
      { name: 'atRiskCustomers', description: 'At least 2 orders ever, none in the last 90 days.', text: 'calculated.orderCount >= 2 and has no _order within 90 days' },
      { name: 'loyaltyMembers', description: 'Holds a loyalty card (attributes.loyaltyNumber present).', text: 'attributes.loyaltyNumber exists' },
    ],
  },
};
