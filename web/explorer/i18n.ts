/**
 * English and Japanese. Text by key; dates, numbers, currencies and durations through Intl for the
 * chosen locale. The choice is kept in localStorage; the default follows the browser.
 */
export type Locale = 'en' | 'ja';
export const LOCALE_STORAGE = 'profilegraph.locale';

const en = {
  appTitle: 'profilegraph explorer',
  skip: 'Skip to content',
  signInTitle: 'Sign in',
  signInHelp: 'Paste a domain API key. It is kept in this browser tab only (session storage).',
  apiKey: 'Domain API key',
  signIn: 'Sign in',
  signOut: 'Sign out',
  badKey: 'This key is not accepted: {msg}',
  navCustomers: 'Customers',
  navSegments: 'Segments',
  navLayout: 'Layout',
  navGraphiql: 'GraphiQL',
  language: 'Language',
  domain: 'Domain',
  searchLabel: 'Find a customer',
  searchHelp: 'Phone (any format), e-mail, name, account number or any search key',
  search: 'Search',
  recent: 'Recent customers',
  results: '{n} found',
  noResults: 'No customer matches “{q}”.',
  matched: 'matched',
  interpretedAs: 'read as',
  newCaller: 'New caller: create a profile from “{q}”',
  created: 'Profile created.',
  open: 'Open',
  back: 'Back to customers',
  loading: 'Loading…',
  error: 'Something went wrong: {msg}',
  notFound: 'This profile does not exist (any more).',
  // card
  card: 'Profile',
  edit: 'Edit',
  save: 'Save',
  cancel: 'Cancel',
  saved: 'Saved.',
  version: 'version {v}',
  inferred: 'inferred',
  conflictTitle: 'Someone else changed this profile while you edited it',
  conflictField: '{field}: now “{theirs}” (you: “{mine}”)',
  conflictNone: 'Their change touched no field you edited.',
  keepMine: 'Save mine over it',
  discardMine: 'Discard my changes',
  addresses: 'Addresses',
  address: 'Address',
  shippingAddress: 'Shipping address',
  mailingAddress: 'Mailing address',
  billingAddress: 'Billing address',
  attributes: 'Custom attributes',
  attrKey: 'Name',
  attrValue: 'Value',
  addAttribute: 'Add attribute',
  remove: 'Remove',
  none: 'None',
  // timeline
  timeline: 'Contacts',
  chart: 'Contacts per channel',
  chartSummary: '{n} contacts over {days} days',
  channel: 'Channel',
  direction: 'Direction',
  initiatedAt: 'When',
  queue: 'Queue',
  queueTime: 'Queue time',
  duration: 'Duration',
  agent: 'Agent',
  // cases and orders
  cases: 'Cases',
  newCase: 'New case',
  caseTitle: 'Title',
  priority: 'Priority',
  status: 'Status',
  createCase: 'Create case',
  orders: 'Orders',
  order: 'Order',
  total: 'Total',
  items: 'Items',
  quantity: 'Qty',
  price: 'Price',
  orderedAt: 'Ordered',
  calculated: 'Calculated attributes',
  segmentsOf: 'Segments',
  insights: 'Insights',
  noInsights: 'Nothing stands out.',
  identity: 'Identity',
  similar: 'Possible duplicates',
  confidence: 'confidence',
  mergeInto: 'Merge into this profile',
  preview: 'Preview of the merge',
  confirmMerge: 'Merge',
  movedObjects: '{n} objects move to this profile',
  mergeHistory: 'Merge history',
  undo: 'Undo merge',
  undone: 'undone {at}',
  merged: 'Merged.',
  unmerged: 'Merge undone.',
  // live
  live: 'live',
  since: '{n} updates since you opened this at {at}',
  sinceOne: '1 update since you opened this at {at}',
  sinceNone: 'No changes since you opened this at {at}',
  newBadge: 'new',
  // segments
  segments: 'Segments',
  segmentName: 'Name',
  segmentRule: 'Rule',
  segmentRuleHelp: "e.g. attributes.tier = 'gold' and count(_order within 30 days) >= 3",
  count: 'Profiles',
  countLive: '{n} profiles match',
  countAfterSave: 'The rule is valid; save to count its profiles.',
  members: 'Members',
  saveSegment: 'Save segment',
  newSegment: 'New segment',
  exportSnapshot: 'Export snapshot (CSV)',
  exporting: 'Exporting…',
  download: 'Download {name} ({rows} rows)',
  // layout
  layout: 'Profile page layout',
  layoutHelp: 'Which panels the profile page shows, in what order, for everyone in this domain.',
  up: 'Move up',
  down: 'Move down',
  shown: 'Shown',
  saveLayout: 'Save layout',
  layoutSaved: 'Layout saved.',
  panel_CARD: 'Profile',
  panel_ADDRESSES: 'Addresses',
  panel_ATTRIBUTES: 'Custom attributes',
  panel_INSIGHTS: 'Insights',
  panel_TIMELINE: 'Contacts',
  panel_CONTACT_CHART: 'Contacts per channel',
  panel_CASES: 'Cases',
  panel_ORDERS: 'Orders',
  panel_CALCULATED: 'Calculated attributes',
  panel_SEGMENTS: 'Segments',
  panel_IDENTITY: 'Identity',
};

type Dict = Record<keyof typeof en, string>;

const ja: Dict = {
  appTitle: 'profilegraph エクスプローラー',
  skip: '本文へ移動',
  signInTitle: 'サインイン',
  signInHelp: 'ドメインの API キーを貼り付けてください。このタブの中だけに保持されます（セッションストレージ）。',
  apiKey: 'ドメイン API キー',
  signIn: 'サインイン',
  signOut: 'サインアウト',
  badKey: 'このキーは使えません: {msg}',
  navCustomers: '顧客',
  navSegments: 'セグメント',
  navLayout: 'レイアウト',
  navGraphiql: 'GraphiQL',
  language: '言語',
  domain: 'ドメイン',
  searchLabel: '顧客を検索',
  searchHelp: '電話番号（形式自由）、メール、氏名、口座番号、または任意の検索キー',
  search: '検索',
  recent: '最近の顧客',
  results: '{n} 件',
  noResults: '「{q}」に一致する顧客はいません。',
  matched: '一致',
  interpretedAs: '解釈',
  newCaller: '新規の発信者: 「{q}」からプロファイルを作成',
  created: 'プロファイルを作成しました。',
  open: '開く',
  back: '顧客一覧に戻る',
  loading: '読み込み中…',
  error: 'エラーが発生しました: {msg}',
  notFound: 'このプロファイルは存在しません。',
  card: 'プロファイル',
  edit: '編集',
  save: '保存',
  cancel: 'キャンセル',
  saved: '保存しました。',
  version: 'バージョン {v}',
  inferred: '推定',
  conflictTitle: '編集中に他の人がこのプロファイルを変更しました',
  conflictField: '{field}: 現在「{theirs}」（あなた: 「{mine}」）',
  conflictNone: '相手の変更はあなたが編集した項目に触れていません。',
  keepMine: '自分の変更で上書き保存',
  discardMine: '自分の変更を破棄',
  addresses: '住所',
  address: '住所',
  shippingAddress: '配送先住所',
  mailingAddress: '郵送先住所',
  billingAddress: '請求先住所',
  attributes: 'カスタム属性',
  attrKey: '名前',
  attrValue: '値',
  addAttribute: '属性を追加',
  remove: '削除',
  none: 'なし',
  timeline: 'コンタクト履歴',
  chart: 'チャネル別コンタクト数',
  chartSummary: '{days} 日間に {n} 件のコンタクト',
  channel: 'チャネル',
  direction: '方向',
  initiatedAt: '日時',
  queue: 'キュー',
  queueTime: '待ち時間',
  duration: '通話時間',
  agent: 'エージェント',
  cases: 'ケース',
  newCase: '新しいケース',
  caseTitle: '件名',
  priority: '優先度',
  status: 'ステータス',
  createCase: 'ケースを作成',
  orders: '注文',
  order: '注文',
  total: '合計',
  items: '商品',
  quantity: '数量',
  price: '価格',
  orderedAt: '注文日時',
  calculated: '計算属性',
  segmentsOf: 'セグメント',
  insights: 'インサイト',
  noInsights: '特記事項はありません。',
  identity: 'ID 解決',
  similar: '重複の可能性',
  confidence: '信頼度',
  mergeInto: 'このプロファイルに統合',
  preview: '統合のプレビュー',
  confirmMerge: '統合する',
  movedObjects: '{n} 件のオブジェクトがこのプロファイルに移動します',
  mergeHistory: '統合履歴',
  undo: '統合を取り消す',
  undone: '{at} に取り消し',
  merged: '統合しました。',
  unmerged: '統合を取り消しました。',
  live: 'ライブ',
  since: '{at} に開いてから {n} 件の更新',
  sinceOne: '{at} に開いてから 1 件の更新',
  sinceNone: '{at} に開いてから変更はありません',
  newBadge: '新着',
  segments: 'セグメント',
  segmentName: '名前',
  segmentRule: 'ルール',
  segmentRuleHelp: "例: attributes.tier = 'gold' and count(_order within 30 days) >= 3",
  count: 'プロファイル数',
  countLive: '{n} 件のプロファイルが一致',
  countAfterSave: 'ルールは有効です。保存すると件数を数えます。',
  members: 'メンバー',
  saveSegment: 'セグメントを保存',
  newSegment: '新しいセグメント',
  exportSnapshot: 'スナップショットをエクスポート (CSV)',
  exporting: 'エクスポート中…',
  download: '{name} をダウンロード（{rows} 行）',
  layout: 'プロファイル画面のレイアウト',
  layoutHelp: 'このドメインの全員に表示するパネルとその順序。',
  up: '上へ',
  down: '下へ',
  shown: '表示',
  saveLayout: 'レイアウトを保存',
  layoutSaved: 'レイアウトを保存しました。',
  panel_CARD: 'プロファイル',
  panel_ADDRESSES: '住所',
  panel_ATTRIBUTES: 'カスタム属性',
  panel_INSIGHTS: 'インサイト',
  panel_TIMELINE: 'コンタクト履歴',
  panel_CONTACT_CHART: 'チャネル別コンタクト数',
  panel_CASES: 'ケース',
  panel_ORDERS: '注文',
  panel_CALCULATED: '計算属性',
  panel_SEGMENTS: 'セグメント',
  panel_IDENTITY: 'ID 解決',
};

export type TextKey = keyof typeof en;

/** Field and enum labels (profile fields, channels, statuses …), per locale. */
const labels: Record<Locale, Record<string, string>> = {
  en: {
    firstName: 'First name', middleName: 'Middle name', lastName: 'Last name', businessName: 'Business name', accountNumber: 'Account number',
    birthDate: 'Birth date', gender: 'Gender', partyType: 'Party type', phoneNumber: 'Phone', mobilePhoneNumber: 'Mobile phone', homePhoneNumber: 'Home phone',
    businessPhoneNumber: 'Business phone', emailAddress: 'E-mail', personalEmailAddress: 'Personal e-mail', businessEmailAddress: 'Business e-mail',
    additionalInformation: 'Notes', address1: 'Street', address2: 'Street (2)', city: 'City', state: 'State', province: 'Province', postalCode: 'Postal code', country: 'Country',
    VOICE: 'Voice', CHAT: 'Chat', EMAIL: 'E-mail', TASK: 'Task', SMS: 'SMS', WEB: 'Web', SOCIAL: 'Social', OTHER: 'Other',
    INBOUND: 'Inbound', OUTBOUND: 'Outbound', TRANSFER: 'Transfer', CALLBACK: 'Callback', API: 'API',
    OPEN: 'Open', IN_PROGRESS: 'In progress', PENDING: 'Pending', RESOLVED: 'Resolved', CLOSED: 'Closed',
    LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High', URGENT: 'Urgent', MALE: 'Male', FEMALE: 'Female', UNSPECIFIED: 'Unspecified', INDIVIDUAL: 'Individual', BUSINESS: 'Business',
    INFO: 'Info', WARNING: 'Warning', CRITICAL: 'Critical',
  },
  ja: {
    firstName: '名', middleName: 'ミドルネーム', lastName: '姓', businessName: '会社名', accountNumber: '口座番号', birthDate: '生年月日', gender: '性別', partyType: '種別',
    phoneNumber: '電話番号', mobilePhoneNumber: '携帯電話', homePhoneNumber: '自宅電話', businessPhoneNumber: '勤務先電話', emailAddress: 'メール', personalEmailAddress: '個人メール',
    businessEmailAddress: '勤務先メール', additionalInformation: 'メモ', address1: '番地', address2: '番地 (2)', city: '市区町村', state: '州', province: '都道府県', postalCode: '郵便番号', country: '国',
    VOICE: '音声', CHAT: 'チャット', EMAIL: 'メール', TASK: 'タスク', SMS: 'SMS', WEB: 'ウェブ', SOCIAL: 'ソーシャル', OTHER: 'その他',
    INBOUND: '着信', OUTBOUND: '発信', TRANSFER: '転送', CALLBACK: 'コールバック', API: 'API',
    OPEN: 'オープン', IN_PROGRESS: '対応中', PENDING: '保留', RESOLVED: '解決済み', CLOSED: 'クローズ',
    LOW: '低', MEDIUM: '中', HIGH: '高', URGENT: '緊急', MALE: '男性', FEMALE: '女性', UNSPECIFIED: '未指定', INDIVIDUAL: '個人', BUSINESS: '法人',
    INFO: '情報', WARNING: '注意', CRITICAL: '重要',
  },
};

const dicts: Record<Locale, Dict> = { en, ja };

export function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_STORAGE);
  if (saved === 'en' || saved === 'ja') return saved;
  return navigator.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/** Everything text and formatting for one locale. */
export class I18n {
  private readonly dateTime: Intl.DateTimeFormat;
  private readonly dateOnly: Intl.DateTimeFormat;
  private readonly time: Intl.DateTimeFormat;
  private readonly number: Intl.NumberFormat;

  constructor(readonly locale: Locale) {
    this.dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    this.dateOnly = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    this.time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
    this.number = new Intl.NumberFormat(locale);
  }

  t(key: TextKey, params: Record<string, string | number> = {}): string {
    return dicts[this.locale][key].replace(/\{(\w+)\}/g, (_, p: string) => String(params[p] ?? ''));
  }

  /** A field name or enum value, translated when known. */
  label(name: string): string {
    return labels[this.locale][name] ?? labels.en[name] ?? name;
  }

  dateTimeOf(iso: string | null | undefined): string {
    return iso ? this.dateTime.format(new Date(iso)) : '';
  }

  /** A calendar date (YYYY-MM-DD), not shifted by the browser's time zone. */
  dateOf(isoDate: string | null | undefined): string {
    return isoDate ? this.dateOnly.format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`)) : '';
  }

  timeOf(d: Date): string {
    return this.time.format(d);
  }

  num(n: number): string {
    return this.number.format(n);
  }

  money(amount: string | number | null | undefined, currency: string | null | undefined): string {
    if (amount === null || amount === undefined || amount === '') return '';
    const n = Number(amount);
    if (!currency) return this.number.format(n);
    try {
      return new Intl.NumberFormat(this.locale, { style: 'currency', currency }).format(n);
    } catch {
      return `${this.number.format(n)} ${currency}`;
    }
  }

  /** Seconds as "4 min 05 s" / "4分5秒" (Intl units). */
  duration(seconds: number | null | undefined): string {
    if (seconds === null || seconds === undefined) return '';
    // "4m 5s" in English; Japanese has no narrow form of its own ("4 分 5 秒" is its short one).
    const display = this.locale === 'ja' ? 'short' : 'narrow';
    const unit = (v: number, u: 'hour' | 'minute' | 'second') => new Intl.NumberFormat(this.locale, { style: 'unit', unit: u, unitDisplay: display }).format(v);
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    const parts: string[] = [];
    if (h) parts.push(unit(h, 'hour'));
    if (m) parts.push(unit(m, 'minute'));
    if (s || parts.length === 0) parts.push(unit(s, 'second'));
    return parts.join(' ');
  }
}
