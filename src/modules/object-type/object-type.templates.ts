/**
 * Built-in object type templates (ACCP's ListProfileObjectTypeTemplates): the common records of
 * Shopify, Salesforce, Zendesk and ServiceNow expressed in the mapping language of mapping.ts
 * (`_source.<path>` sources, `_profile.<Field>` targets). Each is versioned: a template's fields or
 * keys never change under the same version; `putObjectType(input: { name, templateId })` copies the
 * newest version into the domain's type (recorded in its description), so a later version never
 * changes a type already created.
 *
 * Keys are domain-wide (object-type.graphql): `_shopifyCustomerId` on a Shopify customer and on a
 * Shopify order's `customer.id` puts the order on the customer's profile; `_email` / `_phone` match
 * the profile's own fields.
 */
import type { ContentType, FieldDefinition, KeyDefinition } from './object-type.table.js';

export interface ObjectTypeTemplateSpec {
  /** Stable id, e.g. "shopify-customer". */
  id: string;
  version: number;
  /** The source system (Shopify, Salesforce, Zendesk, ServiceNow). */
  system: string;
  /** The record it maps, as the system names it. */
  record: string;
  description: string;
  fields: FieldDefinition[];
  keys: KeyDefinition[];
  allowProfileCreation: boolean;
}

type F = [name: string, source: string, target: string | null, contentType?: ContentType];
const fields = (list: F[]): FieldDefinition[] => list.map(([name, source, target, contentType]) => ({ name, source, target, contentType: contentType ?? 'STRING' }));

export const OBJECT_TYPE_TEMPLATES: readonly ObjectTypeTemplateSpec[] = [
  {
    id: 'shopify-customer',
    version: 1,
    system: 'Shopify',
    record: 'Customer',
    description: 'Shopify customer (Admin API / customers/create and customers/update webhooks).',
    fields: fields([
      ['id', '_source.id', null],
      ['email', '_source.email', '_profile.EmailAddress', 'EMAIL_ADDRESS'],
      ['phone', '_source.phone', '_profile.PhoneNumber', 'PHONE_NUMBER'],
      ['firstName', '_source.first_name', '_profile.FirstName', 'NAME'],
      ['lastName', '_source.last_name', '_profile.LastName', 'NAME'],
      ['company', '_source.default_address.company', '_profile.BusinessName'],
      ['address1', '_source.default_address.address1', '_profile.Address.Address1'],
      ['address2', '_source.default_address.address2', '_profile.Address.Address2'],
      ['city', '_source.default_address.city', '_profile.Address.City'],
      ['province', '_source.default_address.province', '_profile.Address.Province'],
      ['country', '_source.default_address.country_code', '_profile.Address.Country'],
      ['zip', '_source.default_address.zip', '_profile.Address.PostalCode'],
      ['note', '_source.note', '_profile.AdditionalInformation'],
      ['tags', '_source.tags', '_profile.Attributes.shopifyTags'],
      ['state', '_source.state', '_profile.Attributes.shopifyState'],
      ['currency', '_source.currency', null],
      ['createdAt', '_source.created_at', null],
      ['updatedAt', '_source.updated_at', null],
    ]),
    keys: [
      { name: '_shopifyCustomerId', identifiers: ['UNIQUE', 'PROFILE'], fieldNames: ['id'] },
      { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
      { name: '_phone', identifiers: ['SECONDARY'], fieldNames: ['phone'] },
    ],
    allowProfileCreation: true,
  },
  {
    id: 'shopify-order',
    version: 1,
    system: 'Shopify',
    record: 'Order',
    description: 'Shopify order (Admin API / orders/create and orders/updated webhooks), on the profile of its customer.',
    fields: fields([
      ['id', '_source.id', null],
      ['orderName', '_source.name', null],
      ['customerId', '_source.customer.id', null],
      ['email', '_source.email', '_profile.EmailAddress', 'EMAIL_ADDRESS'],
      ['phone', '_source.phone', '_profile.PhoneNumber', 'PHONE_NUMBER'],
      ['firstName', '_source.customer.first_name', '_profile.FirstName', 'NAME'],
      ['lastName', '_source.customer.last_name', '_profile.LastName', 'NAME'],
      ['shipAddress1', '_source.shipping_address.address1', '_profile.ShippingAddress.Address1'],
      ['shipCity', '_source.shipping_address.city', '_profile.ShippingAddress.City'],
      ['shipProvince', '_source.shipping_address.province', '_profile.ShippingAddress.Province'],
      ['shipCountry', '_source.shipping_address.country_code', '_profile.ShippingAddress.Country'],
      ['shipZip', '_source.shipping_address.zip', '_profile.ShippingAddress.PostalCode'],
      ['billAddress1', '_source.billing_address.address1', '_profile.BillingAddress.Address1'],
      ['billCity', '_source.billing_address.city', '_profile.BillingAddress.City'],
      ['billCountry', '_source.billing_address.country_code', '_profile.BillingAddress.Country'],
      ['billZip', '_source.billing_address.zip', '_profile.BillingAddress.PostalCode'],
      ['totalPrice', '_source.total_price', null, 'NUMBER'],
      ['currency', '_source.currency', null],
      ['financialStatus', '_source.financial_status', null],
      ['createdAt', '_source.created_at', null],
    ]),
    keys: [
      { name: '_shopifyOrderId', identifiers: ['UNIQUE'], fieldNames: ['id'] },
      { name: '_shopifyCustomerId', identifiers: ['PROFILE'], fieldNames: ['customerId'] },
      { name: '_email', identifiers: ['SECONDARY'], fieldNames: ['email'] },
    ],
    allowProfileCreation: true,
  },
  {
    id: 'salesforce-account',
    version: 1,
    system: 'Salesforce',
    record: 'Account',
    description: 'Salesforce Account (REST API sObject record): a business profile.',
    fields: fields([
      ['id', '_source.Id', null],
      ['name', '_source.Name', '_profile.BusinessName'],
      ['accountNumber', '_source.AccountNumber', '_profile.AccountNumber'],
      ['phone', '_source.Phone', '_profile.BusinessPhoneNumber', 'PHONE_NUMBER'],
      ['website', '_source.Website', '_profile.Attributes.website'],
      ['industry', '_source.Industry', '_profile.Attributes.industry'],
      ['billingStreet', '_source.BillingStreet', '_profile.BillingAddress.Address1'],
      ['billingCity', '_source.BillingCity', '_profile.BillingAddress.City'],
      ['billingState', '_source.BillingState', '_profile.BillingAddress.State'],
      ['billingPostalCode', '_source.BillingPostalCode', '_profile.BillingAddress.PostalCode'],
      ['billingCountry', '_source.BillingCountry', '_profile.BillingAddress.Country'],
      ['shippingStreet', '_source.ShippingStreet', '_profile.ShippingAddress.Address1'],
      ['shippingCity', '_source.ShippingCity', '_profile.ShippingAddress.City'],
      ['shippingPostalCode', '_source.ShippingPostalCode', '_profile.ShippingAddress.PostalCode'],
      ['shippingCountry', '_source.ShippingCountry', '_profile.ShippingAddress.Country'],
      ['type', '_source.Type', null],
      ['lastModified', '_source.LastModifiedDate', null],
    ]),
    keys: [
      { name: '_salesforceAccountId', identifiers: ['UNIQUE', 'PROFILE'], fieldNames: ['id'] },
      { name: '_account', identifiers: ['SECONDARY'], fieldNames: ['accountNumber'] },
    ],
    allowProfileCreation: true,
  },
  {
    id: 'salesforce-contact',
    version: 1,
    system: 'Salesforce',
    record: 'Contact',
    description: 'Salesforce Contact (REST API sObject record): a person, with the Account it belongs to as an attribute.',
    fields: fields([
      ['id', '_source.Id', null],
      ['accountId', '_source.AccountId', '_profile.Attributes.salesforceAccountId'],
      ['firstName', '_source.FirstName', '_profile.FirstName', 'NAME'],
      ['lastName', '_source.LastName', '_profile.LastName', 'NAME'],
      ['email', '_source.Email', '_profile.EmailAddress', 'EMAIL_ADDRESS'],
      ['phone', '_source.Phone', '_profile.PhoneNumber', 'PHONE_NUMBER'],
      ['mobilePhone', '_source.MobilePhone', '_profile.MobilePhoneNumber', 'PHONE_NUMBER'],
      ['homePhone', '_source.HomePhone', '_profile.HomePhoneNumber', 'PHONE_NUMBER'],
      ['birthdate', '_source.Birthdate', '_profile.BirthDate'],
      ['title', '_source.Title', '_profile.Attributes.title'],
      ['mailingStreet', '_source.MailingStreet', '_profile.MailingAddress.Address1'],
      ['mailingCity', '_source.MailingCity', '_profile.MailingAddress.City'],
      ['mailingState', '_source.MailingState', '_profile.MailingAddress.State'],
      ['mailingPostalCode', '_source.MailingPostalCode', '_profile.MailingAddress.PostalCode'],
      ['mailingCountry', '_source.MailingCountry', '_profile.MailingAddress.Country'],
      ['lastModified', '_source.LastModifiedDate', null],
    ]),
    keys: [
      { name: '_salesforceContactId', identifiers: ['UNIQUE', 'PROFILE'], fieldNames: ['id'] },
      { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
      { name: '_phone', identifiers: ['SECONDARY'], fieldNames: ['mobilePhone'] },
    ],
    allowProfileCreation: true,
  },
  {
    id: 'zendesk-user',
    version: 1,
    system: 'Zendesk',
    record: 'User',
    description: 'Zendesk Support user (end user) as the Users API returns it.',
    fields: fields([
      ['id', '_source.id', null],
      ['name', '_source.name', '_profile.Attributes.fullName', 'NAME'],
      ['email', '_source.email', '_profile.EmailAddress', 'EMAIL_ADDRESS'],
      ['phone', '_source.phone', '_profile.PhoneNumber', 'PHONE_NUMBER'],
      ['externalId', '_source.external_id', '_profile.AccountNumber'],
      ['organizationId', '_source.organization_id', '_profile.Attributes.zendeskOrganizationId'],
      ['locale', '_source.locale', '_profile.Attributes.locale'],
      ['timeZone', '_source.time_zone', '_profile.Attributes.timeZone'],
      ['notes', '_source.notes', '_profile.AdditionalInformation'],
      ['role', '_source.role', null],
      ['updatedAt', '_source.updated_at', null],
    ]),
    keys: [
      { name: '_zendeskUserId', identifiers: ['UNIQUE', 'PROFILE'], fieldNames: ['id'] },
      { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
      { name: '_account', identifiers: ['SECONDARY'], fieldNames: ['externalId'] },
    ],
    allowProfileCreation: true,
  },
  {
    id: 'zendesk-ticket',
    version: 1,
    system: 'Zendesk',
    record: 'Ticket',
    description: "Zendesk Support ticket, on the profile of its requester (the requester's Zendesk user id).",
    fields: fields([
      ['id', '_source.id', null],
      ['requesterId', '_source.requester_id', null],
      ['subject', '_source.subject', null],
      ['status', '_source.status', null],
      ['priority', '_source.priority', null],
      ['channel', '_source.via.channel', null],
      ['createdAt', '_source.created_at', null],
      ['updatedAt', '_source.updated_at', null],
    ]),
    keys: [
      { name: '_zendeskTicketId', identifiers: ['UNIQUE'], fieldNames: ['id'] },
      { name: '_zendeskUserId', identifiers: ['PROFILE'], fieldNames: ['requesterId'] },
    ],
    allowProfileCreation: true,
  },
  {
    id: 'servicenow-user',
    version: 1,
    system: 'ServiceNow',
    record: 'User (sys_user)',
    description: 'ServiceNow sys_user record (Table API, sysparm_exclude_reference_link=true).',
    fields: fields([
      ['sysId', '_source.sys_id', null],
      ['userName', '_source.user_name', '_profile.AccountNumber'],
      ['firstName', '_source.first_name', '_profile.FirstName', 'NAME'],
      ['lastName', '_source.last_name', '_profile.LastName', 'NAME'],
      ['email', '_source.email', '_profile.EmailAddress', 'EMAIL_ADDRESS'],
      ['phone', '_source.phone', '_profile.BusinessPhoneNumber', 'PHONE_NUMBER'],
      ['mobilePhone', '_source.mobile_phone', '_profile.MobilePhoneNumber', 'PHONE_NUMBER'],
      ['street', '_source.street', '_profile.Address.Address1'],
      ['city', '_source.city', '_profile.Address.City'],
      ['state', '_source.state', '_profile.Address.State'],
      ['zip', '_source.zip', '_profile.Address.PostalCode'],
      ['country', '_source.country', '_profile.Address.Country'],
      ['title', '_source.title', '_profile.Attributes.title'],
      ['updatedOn', '_source.sys_updated_on', null],
    ]),
    keys: [
      { name: '_servicenowUserId', identifiers: ['UNIQUE', 'PROFILE'], fieldNames: ['sysId'] },
      { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
      { name: '_phone', identifiers: ['SECONDARY'], fieldNames: ['mobilePhone'] },
    ],
    allowProfileCreation: true,
  },
  {
    id: 'servicenow-incident',
    version: 1,
    system: 'ServiceNow',
    record: 'Incident',
    description: "ServiceNow incident (Table API), on the profile of its caller (caller_id as the Table API's {link, value} reference).",
    fields: fields([
      ['sysId', '_source.sys_id', null],
      ['number', '_source.number', null],
      // The Table API's default form of a reference field: {"link": …, "value": <sys_id>}.
      ['callerId', '_source.caller_id.value', null],
      ['shortDescription', '_source.short_description', null],
      ['state', '_source.state', null],
      ['priority', '_source.priority', null],
      ['openedAt', '_source.opened_at', null],
    ]),
    keys: [
      { name: '_servicenowIncidentId', identifiers: ['UNIQUE'], fieldNames: ['sysId'] },
      { name: '_servicenowUserId', identifiers: ['PROFILE'], fieldNames: ['callerId'] },
    ],
    allowProfileCreation: true,
  },
];

export function findTemplate(id: string): ObjectTypeTemplateSpec | undefined {
  return OBJECT_TYPE_TEMPLATES.find((t) => t.id === id);
}
