import type { ContentType } from '../object-type/object-type.table.js';
import { cleanHeader } from './csv.js';

/** Header spellings (normalized: NFKC, lower case, no spaces/-/_/.) → profile target and content type. */
const DICTIONARY: [string[], string, ContentType][] = [
  [['email', 'emailaddress', 'mail', 'mailaddress', 'emailaddr', 'メールアドレス', 'メール', 'eメール', 'eメールアドレス'], '_profile.EmailAddress', 'EMAIL_ADDRESS'],
  [['personalemail', 'personalemailaddress', 'privateemail', '個人メール'], '_profile.PersonalEmailAddress', 'EMAIL_ADDRESS'],
  [['workemail', 'businessemail', 'businessemailaddress', '会社メール', '勤務先メール'], '_profile.BusinessEmailAddress', 'EMAIL_ADDRESS'],
  [['phone', 'tel', 'telephone', 'phonenumber', 'phoneno', 'telno', '電話番号', '電話', 'tel番号'], '_profile.PhoneNumber', 'PHONE_NUMBER'],
  [['mobile', 'mobilephone', 'mobilephonenumber', 'mobilenumber', 'cell', 'cellphone', 'cellular', '携帯', '携帯電話', '携帯番号', '携帯電話番号'], '_profile.MobilePhoneNumber', 'PHONE_NUMBER'],
  [['homephone', 'homephonenumber', 'hometel', '自宅電話', '自宅電話番号'], '_profile.HomePhoneNumber', 'PHONE_NUMBER'],
  [['workphone', 'businessphone', 'businessphonenumber', 'officephone', '会社電話', '勤務先電話番号'], '_profile.BusinessPhoneNumber', 'PHONE_NUMBER'],
  [['firstname', 'givenname', 'first', 'fname', 'forename', '名', '下の名前'], '_profile.FirstName', 'NAME'],
  [['middlename', 'middle', 'ミドルネーム'], '_profile.MiddleName', 'NAME'],
  [['additionalinformation', 'additionalinfo', 'note', 'notes', 'remarks', '備考', 'メモ'], '_profile.AdditionalInformation', 'STRING'],
  [['partytype', 'customertype', '顧客区分'], '_profile.PartyType', 'STRING'],
  [['lastname', 'surname', 'familyname', 'last', 'lname', '姓', '苗字', '名字'], '_profile.LastName', 'NAME'],
  [['name', 'fullname', 'customername', '氏名', '名前', 'お名前', '顧客名'], '_profile.Attributes.fullName', 'NAME'],
  [['birthdate', 'dob', 'dateofbirth', 'birthday', '生年月日', '誕生日'], '_profile.BirthDate', 'STRING'],
  [['gender', 'sex', '性別'], '_profile.Gender', 'STRING'],
  [['account', 'accountnumber', 'accountno', 'accountid', 'customerid', 'customernumber', 'customerno', 'memberid', 'memberno', '顧客番号', '顧客id', '会員番号', '会員id'], '_profile.AccountNumber', 'STRING'],
  [['company', 'companyname', 'businessname', 'organization', 'organisation', '会社名', '会社', '勤務先'], '_profile.BusinessName', 'STRING'],
  [['address', 'address1', 'addressline1', 'street', 'streetaddress', '住所', '住所1', '番地'], '_profile.Address.Address1', 'STRING'],
  [['address2', 'addressline2', '住所2', '建物名'], '_profile.Address.Address2', 'STRING'],
  [['address3', 'addressline3', '住所3'], '_profile.Address.Address3', 'STRING'],
  [['address4', 'addressline4', '住所4'], '_profile.Address.Address4', 'STRING'],
  [['city', 'town', 'suburb', '市区町村', '市町村'], '_profile.Address.City', 'STRING'],
  [['state', 'region', 'prefecture', '都道府県', '県'], '_profile.Address.State', 'STRING'],
  [['province'], '_profile.Address.Province', 'STRING'],
  [['county'], '_profile.Address.County', 'STRING'],
  [['country', 'countrycode', '国', '国名'], '_profile.Address.Country', 'STRING'],
  [['zip', 'zipcode', 'postalcode', 'postcode', 'postal', '郵便番号', '〒'], '_profile.Address.PostalCode', 'STRING'],
];

/** Columns of profilegraph's own profile export that describe the record, not the customer. */
const EXPORT_METADATA = new Set(['inferred', 'createdat', 'updatedat', 'version']);
const ADDRESS_PREFIX: Record<string, string> = { address: 'Address', shippingaddress: 'ShippingAddress', mailingaddress: 'MailingAddress', billingaddress: 'BillingAddress' };
const ADDRESS_PART: Record<string, string> = {
  address1: 'Address1',
  address2: 'Address2',
  address3: 'Address3',
  address4: 'Address4',
  city: 'City',
  county: 'County',
  state: 'State',
  province: 'Province',
  country: 'Country',
  postalcode: 'PostalCode',
};

/** profilegraph's export headers: `shippingAddress.city` and `attributes.tier` (or with '_' once cleaned). */
function structuredTarget(header: string): string | null {
  const m = /^(address|shippingaddress|mailingaddress|billingaddress)[._](\w+)$/i.exec(header.trim());
  if (m) {
    const addr = ADDRESS_PREFIX[m[1]!.toLowerCase()];
    const part = ADDRESS_PART[m[2]!.toLowerCase()];
    if (addr && part) return `_profile.${addr}.${part}`;
  }
  const a = /^attributes[._](.+)$/.exec(header.trim());
  if (a && a[1]!.length <= 255) return `_profile.Attributes.${a[1]}`;
  return null;
}

const ID_WORDS = new Set(['id', 'recordid', 'recid', 'uniqueid', 'rowid', 'externalid', 'key', 'uuid']);

export function normalizeHeader(h: string): string {
  return h.normalize('NFKC').trim().toLowerCase().replace(/[\s_\-.・]+/g, '');
}

const lookup = new Map<string, { target: string; contentType: ContentType }>();
for (const [words, target, contentType] of DICTIONARY) for (const w of words) lookup.set(normalizeHeader(w), { target, contentType });

/** The dictionary's profile target and content type for a field or column name, if it knows the name. */
export function dictionaryTarget(name: string): { target: string; contentType: ContentType } | null {
  return lookup.get(normalizeHeader(name)) ?? null;
}

export interface ColumnSuggestion {
  header: string;
  field: string;
  target: string | null;
  contentType: ContentType;
  /** True when the header was recognised; false when it falls back to an attribute. */
  recognized: boolean;
}

export interface MappingSuggestion {
  columns: ColumnSuggestion[];
  /** A complete putObjectType input, to review and submit as is. */
  objectType: {
    name: string;
    description: string;
    fields: { name: string; source: string; target: string | null; contentType: ContentType }[];
    keys: { name: string; identifiers: string[]; fieldNames: string[] }[];
    allowProfileCreation: boolean;
  };
  warnings: string[];
}

function fieldName(header: string, i: number, used: Set<string>): string {
  let base = header
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 50);
  if (!/^[A-Za-z]/.test(base)) base = `col${i + 1}${base ? `_${base}` : ''}`;
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
  used.add(name);
  return name;
}

/**
 * Proposes how CSV columns map onto a profile: "E-mail", "email_address" and "メールアドレス" become
 * the e-mail, "Tel", "mobile" and "電話番号" phones, and so on; unknown columns become attributes.
 * Also proposes keys: an id-like column (or the e-mail, or the phone) as UNIQUE, and the e-mail,
 * phone and account columns as PROFILE keys that match existing profiles.
 */
export function suggestMapping(headers: readonly string[], typeName = 'Imported'): MappingSuggestion {
  const used = new Set<string>();
  const targets = new Set<string>();
  const warnings: string[] = [];
  const columns = headers.map((header, i): ColumnSuggestion => {
    const field = fieldName(header, i, used);
    const structured = structuredTarget(header);
    if (structured && !targets.has(structured)) {
      targets.add(structured);
      return { header, field, target: structured, contentType: 'STRING', recognized: true };
    }
    if (EXPORT_METADATA.has(normalizeHeader(header)) || ID_WORDS.has(normalizeHeader(header))) return { header, field, target: null, contentType: 'STRING', recognized: true };
    const hit = lookup.get(normalizeHeader(header));
    if (hit && !targets.has(hit.target)) {
      targets.add(hit.target);
      return { header, field, target: hit.target, contentType: hit.contentType, recognized: true };
    }
    if (hit) warnings.push(`Column "${header}" looks like ${hit.target}, which another column already fills; it becomes an attribute.`);
    const attr = header.trim().slice(0, 200) || field;
    return { header, field, target: `_profile.Attributes.${attr}`, contentType: 'STRING', recognized: false };
  });
  const byTarget = (t: string) => columns.find((c) => c.target === t);
  const email = byTarget('_profile.EmailAddress');
  const phone = byTarget('_profile.PhoneNumber') ?? byTarget('_profile.MobilePhoneNumber');
  const account = byTarget('_profile.AccountNumber');
  const idColumn = columns.find((c) => ID_WORDS.has(normalizeHeader(c.header)));
  const unique = idColumn ?? account ?? email ?? phone;
  const keys: MappingSuggestion['objectType']['keys'] = [];
  if (unique) keys.push({ name: `${typeName}Id`, identifiers: ['UNIQUE'], fieldNames: [unique.field] });
  else warnings.push('No column identifies a row (id, account, e-mail or phone): add a UNIQUE key before importing, or re-imports will not be idempotent.');
  if (account) keys.push({ name: '_account', identifiers: ['PROFILE'], fieldNames: [account.field] });
  if (email) keys.push({ name: '_email', identifiers: ['PROFILE'], fieldNames: [email.field] });
  if (phone) keys.push({ name: '_phone', identifiers: ['PROFILE'], fieldNames: [phone.field] });
  return {
    columns,
    objectType: {
      name: typeName,
      description: `Imported from CSV columns: ${headers.join(', ')}`.slice(0, 1000),
      // The CSV reader cleans headers ("attributes.tier" → "attributes_tier"), so sources use that form.
      fields: columns.map((c) => ({ name: c.field, source: `_source.${cleanHeader(c.header)}`, target: c.target, contentType: c.contentType })),
      keys,
      allowProfileCreation: true,
    },
    warnings,
  };
}
