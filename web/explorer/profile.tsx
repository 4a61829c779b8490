/**
 * The profile page: panels in the domain's layout order (profileLayout when the server has it).
 * The card edits with optimistic concurrency (updateProfile's expectedVersion: a CONFLICT shows the
 * other change); the page follows the profile live through graphql-ws (profileEvents for this id)
 * and marks what arrived since it was opened.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { useSession } from './context.js';
import { ContactChart } from './chart.js';
import { IdentityPanel } from './identity.js';

const ADDR = 'address1 address2 city state province postalCode country';
export const STANDARD_FIELDS = [
  'firstName', 'middleName', 'lastName', 'businessName', 'accountNumber', 'birthDate', 'gender', 'partyType',
  'phoneNumber', 'mobilePhoneNumber', 'homePhoneNumber', 'businessPhoneNumber', 'emailAddress', 'personalEmailAddress', 'businessEmailAddress', 'additionalInformation',
] as const;
export const ADDRESS_FIELDS = ['address', 'shippingAddress', 'mailingAddress', 'billingAddress'] as const;
const ADDRESS_PARTS = ['address1', 'address2', 'city', 'state', 'province', 'postalCode', 'country'] as const;
export const DEFAULT_PANELS = ['CARD', 'INSIGHTS', 'ADDRESSES', 'ATTRIBUTES', 'TIMELINE', 'CONTACT_CHART', 'CASES', 'ORDERS', 'CALCULATED', 'SEGMENTS', 'IDENTITY'] as const;
const CASE_STATUSES = ['OPEN', 'IN_PROGRESS', 'PENDING', 'RESOLVED', 'CLOSED'];
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];

type Address = Partial<Record<(typeof ADDRESS_PARTS)[number], string | null>>;
export interface Contact { id: string; contactId: string; channel: string; direction: string | null; initiatedAt: string; durationSeconds: number | null; queue: string | null; queueWaitSeconds: number | null; agentId: string | null }
interface Case { id: string; caseId: string; title: string; status: string; priority: string | null; createdAt: string; version: number }
interface Order { id: string; orderId: string; status: string | null; totalPrice: string | null; currency: string | null; orderedAt: string; items: { title: string; sku: string | null; price: string | null; quantity: number }[] }
interface Insight { kind: string; severity: string; facts: { key: string; value: string }[] }
export interface Merge { id: string; mergedProfileIds: string[]; createdAt: string; origin: string; unmergedAt: string | null }
export interface Profile {
  id: string;
  version: number;
  fullName: string | null;
  inferred: boolean;
  createdAt: string;
  updatedAt: string;
  attributes: { key: string; value: string }[];
  contacts: { totalCount: number; nodes: Contact[] };
  cases: { totalCount: number; nodes: Case[] };
  orders: { totalCount: number; nodes: Order[] };
  calculatedAttributes: { name: string; value: string | null; type: string; lastObjectAt: string | null }[];
  segments: string[];
  insights?: Insight[];
  merges?: Merge[];
  [field: string]: unknown;
}

function profileQuery(caps: { insights: boolean; merge: boolean }): string {
  return `query($id: ID!) { profile(id: $id) {
    id version fullName inferred createdAt updatedAt ${STANDARD_FIELDS.join(' ')}
    ${ADDRESS_FIELDS.map((a) => `${a} { ${ADDR} }`).join(' ')}
    attributes { key value }
    contacts(first: 100) { totalCount nodes { id contactId channel direction initiatedAt durationSeconds queue queueWaitSeconds agentId } }
    cases(first: 50) { totalCount nodes { id caseId title status priority createdAt version } }
    orders(first: 50) { totalCount nodes { id orderId status totalPrice currency orderedAt items { title sku price quantity } } }
    calculatedAttributes { name value type lastObjectAt }
    segments
    ${caps.insights ? 'insights { kind severity facts { key value } }' : ''}
    ${caps.merge ? 'merges { id mergedProfileIds createdAt origin unmergedAt }' : ''}
  } }`;
}

export function ProfilePage({ id }: { id: string }) {
  const { api, i18n, caps } = useSession();
  const [profile, setProfile] = useState<Profile | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [panels, setPanels] = useState<string[]>([...DEFAULT_PANELS]);
  const [updates, setUpdates] = useState(0);
  const [live, setLive] = useState(false);
  const opened = useMemo(() => new Date(), [id]);
  const seen = useRef<Set<string> | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const query = useMemo(() => profileQuery(caps), [caps]);

  async function load(): Promise<void> {
    try {
      const d = await api.gql<{ profile: Profile | null }>(query, { id });
      if (d.profile && !seen.current) seen.current = new Set([...d.profile.contacts.nodes, ...d.profile.cases.nodes, ...d.profile.orders.nodes].map((o) => o.id));
      setProfile(d.profile);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'BAD_USER_INPUT') setProfile(null);
      else setError((err as Error).message);
    }
  }

  useEffect(() => {
    void load().then(() => heading.current?.focus());
    if (caps.layout) api.gql<{ profileLayout: { panels: string[] } }>('{ profileLayout { panels } }').then((d) => setPanels(d.profileLayout.panels), () => {});
    // Live: every event of this profile (contacts, cases, orders, edits, merges) reloads it.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = api.subscribe<{ profileEvents: { id: string } }>(
      'subscription($ids: [ID!]) { profileEvents(profileIds: $ids) { id type objectType objectId } }',
      { ids: [id] },
      () => {
        setUpdates((n) => n + 1);
        clearTimeout(timer);
        timer = setTimeout(() => void load(), 100);
      },
      () => setLive(false),
    );
    setLive(true);
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [id]);

  if (error) return <p role="alert" class="error">{i18n.t('error', { msg: error })}</p>;
  if (profile === undefined) return <p>{i18n.t('loading')}</p>;
  if (profile === null) return <p role="alert">{i18n.t('notFound')}</p>;
  const isNew = (objectId: string) => seen.current !== null && !seen.current.has(objectId);
  const panel = (name: string) => {
    switch (name) {
      case 'CARD': return <CardPanel key={name} profile={profile} reload={load} />;
      case 'ADDRESSES': return <AddressesPanel key={name} profile={profile} />;
      case 'ATTRIBUTES': return <AttributesPanel key={name} profile={profile} />;
      case 'INSIGHTS': return caps.insights ? <InsightsPanel key={name} insights={profile.insights ?? []} /> : null;
      case 'TIMELINE': return <TimelinePanel key={name} contacts={profile.contacts} isNew={isNew} />;
      case 'CONTACT_CHART': return <Panel key={name} id="chart" title={i18n.t('chart')}><ContactChart contacts={profile.contacts.nodes} /></Panel>;
      case 'CASES': return <CasesPanel key={name} profile={profile} isNew={isNew} />;
      case 'ORDERS': return <OrdersPanel key={name} orders={profile.orders} isNew={isNew} />;
      case 'CALCULATED': return <CalculatedPanel key={name} values={profile.calculatedAttributes} />;
      case 'SEGMENTS': return <Panel key={name} id="segments" title={i18n.t('segmentsOf')}>{profile.segments.length ? <ul class="tags">{profile.segments.map((s) => <li class="tag" key={s}><a href={`#/segments/${encodeURIComponent(s)}`}>{s}</a></li>)}</ul> : <p class="muted">{i18n.t('none')}</p>}</Panel>;
      case 'IDENTITY': return caps.similarProfiles || caps.merge ? <IdentityPanel key={name} profile={profile} reload={load} /> : null;
      default: return null;
    }
  };
  return (
    <article class="profile" aria-labelledby="profile-name">
      <div class="profile-head">
        <a href="#/" class="back">← {i18n.t('back')}</a>
        <h1 id="profile-name" ref={heading} tabIndex={-1}>{profile.fullName || (profile.businessName as string | null) || profile.id}</h1>
        {profile.inferred && <span class="tag">{i18n.t('inferred')}</span>}
        <span class={live ? 'live on' : 'live'}>{i18n.t('live')}</span>
        <p class="since" role="status" data-updates={updates}>
          {updates === 1 ? i18n.t('sinceOne', { at: i18n.timeOf(opened) }) : updates ? i18n.t('since', { n: i18n.num(updates), at: i18n.timeOf(opened) }) : i18n.t('sinceNone', { at: i18n.timeOf(opened) })}
        </p>
      </div>
      <div class="panels">{panels.map(panel)}</div>
    </article>
  );
}

export function Panel({ id, title, children, actions }: { id: string; title: string; children: preact.ComponentChildren; actions?: preact.ComponentChildren }) {
  return (
    <section class={`panel panel-${id}`} aria-labelledby={`panel-${id}`}>
      <div class="panel-title"><h2 id={`panel-${id}`}>{title}</h2>{actions}</div>
      {children}
    </section>
  );
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** The values the edit form starts from and sends (strings; '' clears). */
type Draft = { fields: Record<string, string>; addresses: Record<string, Record<string, string>>; attributes: { key: string; value: string }[] };

function draftOf(p: Profile): Draft {
  return {
    fields: Object.fromEntries(STANDARD_FIELDS.map((f) => [f, text(p[f])])),
    addresses: Object.fromEntries(ADDRESS_FIELDS.map((a) => [a, Object.fromEntries(ADDRESS_PARTS.map((k) => [k, text((p[a] as Address | null)?.[k])]))])),
    attributes: p.attributes.map((a) => ({ ...a })),
  };
}

/** The partial ProfileInput of what the draft changed against its base. */
function changesOf(base: Draft, draft: Draft): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const f of STANDARD_FIELDS) if (base.fields[f] !== draft.fields[f]) input[f] = draft.fields[f] === '' ? null : draft.fields[f];
  for (const a of ADDRESS_FIELDS) {
    if (ADDRESS_PARTS.some((k) => base.addresses[a]![k] !== draft.addresses[a]![k])) {
      input[a] = Object.fromEntries(ADDRESS_PARTS.map((k) => [k, draft.addresses[a]![k] || null]));
    }
  }
  const attrs: { key: string; value: string | null }[] = [];
  const now = new Map(draft.attributes.filter((a) => a.key.trim()).map((a) => [a.key.trim(), a.value]));
  for (const [k, v] of now) if (base.attributes.find((a) => a.key === k)?.value !== v) attrs.push({ key: k, value: v });
  for (const a of base.attributes) if (!now.has(a.key)) attrs.push({ key: a.key, value: null });
  if (attrs.length) input.attributes = attrs;
  return input;
}

/** Field paths whose value differs between two drafts (for the conflict view). */
function differences(a: Draft, b: Draft): { field: string; theirs: string; mine: string }[] {
  const out: { field: string; theirs: string; mine: string }[] = [];
  for (const f of STANDARD_FIELDS) if (a.fields[f] !== b.fields[f]) out.push({ field: f, theirs: b.fields[f]!, mine: a.fields[f]! });
  for (const ad of ADDRESS_FIELDS) for (const k of ADDRESS_PARTS) if (a.addresses[ad]![k] !== b.addresses[ad]![k]) out.push({ field: `${ad}.${k}`, theirs: b.addresses[ad]![k]!, mine: a.addresses[ad]![k]! });
  const keys = new Set([...a.attributes, ...b.attributes].map((x) => x.key));
  for (const k of keys) {
    const x = a.attributes.find((v) => v.key === k)?.value ?? '';
    const y = b.attributes.find((v) => v.key === k)?.value ?? '';
    if (x !== y) out.push({ field: `attributes.${k}`, theirs: y, mine: x });
  }
  return out;
}

function CardPanel({ profile, reload }: { profile: Profile; reload: () => Promise<void> }) {
  const { api, i18n } = useSession();
  const [editing, setEditing] = useState<{ base: Draft; version: number; draft: Draft } | null>(null);
  const [conflict, setConflict] = useState<{ current: Profile; changes: { field: string; theirs: string; mine: string }[] } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function start(): void {
    const base = draftOf(profile);
    setEditing({ base, version: profile.version, draft: draftOf(profile) });
    setConflict(null);
    setMessage(null);
    setError(null);
    requestAnimationFrame(() => document.getElementById('edit-firstName')?.focus());
  }

  async function save(e?: Event): Promise<void> {
    e?.preventDefault();
    if (!editing) return;
    const input = changesOf(editing.base, editing.draft);
    setError(null);
    try {
      await api.gql('mutation($id: ID!, $input: ProfileInput!, $v: Int) { updateProfile(id: $id, input: $input, expectedVersion: $v) { id version } }', { id: profile.id, input, v: editing.version });
      setEditing(null);
      setConflict(null);
      setMessage(i18n.t('saved'));
      await reload();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        // Show what the other session changed since this edit began, next to the values typed here.
        const d = await api.gql<{ profile: Profile }>(`query($id: ID!) { profile(id: $id) { id version fullName inferred createdAt updatedAt ${STANDARD_FIELDS.join(' ')} ${ADDRESS_FIELDS.map((a) => `${a} { ${ADDR} }`).join(' ')} attributes { key value } } }`, { id: profile.id });
        const theirs = draftOf(d.profile);
        const changes = differences(editing.base, theirs).map((c) => ({ field: c.field, theirs: c.theirs, mine: valueAt(editing.draft, c.field) }));
        setConflict({ current: d.profile, changes });
      } else setError((err as Error).message);
    }
  }

  function keepMine(): void {
    if (!editing || !conflict) return;
    // Rebase: the other change becomes the base; this edit's own changes are sent against its version.
    const theirs = draftOf(conflict.current as Profile);
    const mineChanged = new Set(differences(editing.base, editing.draft).map((c) => c.field));
    const draft = draftOf(conflict.current as Profile);
    for (const f of STANDARD_FIELDS) if (mineChanged.has(f)) draft.fields[f] = editing.draft.fields[f]!;
    for (const a of ADDRESS_FIELDS) for (const k of ADDRESS_PARTS) if (mineChanged.has(`${a}.${k}`)) draft.addresses[a]![k] = editing.draft.addresses[a]![k]!;
    const attrs = new Map(draft.attributes.map((x) => [x.key, x.value]));
    for (const f of mineChanged) if (f.startsWith('attributes.')) {
      const k = f.slice('attributes.'.length);
      const v = editing.draft.attributes.find((x) => x.key === k);
      if (v) attrs.set(k, v.value);
      else attrs.delete(k);
    }
    draft.attributes = [...attrs].map(([key, value]) => ({ key, value }));
    setEditing({ base: theirs, version: conflict.current.version, draft });
    setConflict(null);
  }

  const actions = !editing && <button type="button" onClick={start}>{i18n.t('edit')}</button>;
  if (!editing) {
    const shown = STANDARD_FIELDS.filter((f) => text(profile[f]) !== '');
    return (
      <Panel id="card" title={i18n.t('card')} actions={actions}>
        <dl class="fields">
          {shown.map((f) => (
            <div key={f}><dt>{i18n.label(f)}</dt><dd data-field={f}>{f === 'birthDate' ? i18n.dateOf(text(profile[f])) : f === 'gender' || f === 'partyType' ? i18n.label(text(profile[f])) : text(profile[f])}</dd></div>
          ))}
        </dl>
        <p class="muted small">{i18n.t('version', { v: profile.version })} · {i18n.dateTimeOf(profile.updatedAt)}</p>
        {message && <p role="status" class="ok">{message}</p>}
      </Panel>
    );
  }
  const set = (f: string, v: string) => setEditing({ ...editing, draft: { ...editing.draft, fields: { ...editing.draft.fields, [f]: v } } });
  const setAddr = (a: string, k: string, v: string) => setEditing({ ...editing, draft: { ...editing.draft, addresses: { ...editing.draft.addresses, [a]: { ...editing.draft.addresses[a]!, [k]: v } } } });
  const setAttr = (i: number, part: 'key' | 'value', v: string) => setEditing({ ...editing, draft: { ...editing.draft, attributes: editing.draft.attributes.map((a, j) => (j === i ? { ...a, [part]: v } : a)) } });
  return (
    <Panel id="card" title={i18n.t('card')}>
      <form class="edit" onSubmit={(e) => void save(e)}>
        {conflict && (
          <div role="alert" class="conflict">
            <strong>{i18n.t('conflictTitle')}</strong> ({i18n.t('version', { v: conflict.current.version })})
            <ul>{conflict.changes.length ? conflict.changes.map((c) => <li key={c.field} data-conflict-field={c.field}>{i18n.t('conflictField', { field: fieldLabel(i18n, c.field), theirs: c.theirs, mine: c.mine })}</li>) : <li>{i18n.t('conflictNone')}</li>}</ul>
            <button type="button" onClick={keepMine}>{i18n.t('keepMine')}</button>{' '}
            <button type="button" class="secondary" onClick={() => { setEditing(null); setConflict(null); void reload(); }}>{i18n.t('discardMine')}</button>
          </div>
        )}
        <div class="grid">
          {STANDARD_FIELDS.map((f) => (
            <div class="field" key={f}>
              <label for={`edit-${f}`}>{i18n.label(f)}</label>
              {f === 'gender' || f === 'partyType' ? (
                <select id={`edit-${f}`} value={editing.draft.fields[f]} onChange={(e) => set(f, (e.currentTarget as HTMLSelectElement).value)}>
                  <option value="">—</option>
                  {(f === 'gender' ? ['MALE', 'FEMALE', 'UNSPECIFIED'] : ['INDIVIDUAL', 'BUSINESS', 'OTHER']).map((v) => <option key={v} value={v}>{i18n.label(v)}</option>)}
                </select>
              ) : (
                <input id={`edit-${f}`} type={f === 'birthDate' ? 'date' : 'text'} value={editing.draft.fields[f]} onInput={(e) => set(f, (e.currentTarget as HTMLInputElement).value)} />
              )}
            </div>
          ))}
        </div>
        {ADDRESS_FIELDS.map((a) => (
          <fieldset key={a}>
            <legend>{i18n.t(a)}</legend>
            <div class="grid">
              {ADDRESS_PARTS.map((k) => (
                <div class="field" key={k}>
                  <label for={`edit-${a}-${k}`}>{i18n.label(k)}</label>
                  <input id={`edit-${a}-${k}`} value={editing.draft.addresses[a]![k]} onInput={(e) => setAddr(a, k, (e.currentTarget as HTMLInputElement).value)} />
                </div>
              ))}
            </div>
          </fieldset>
        ))}
        <fieldset>
          <legend>{i18n.t('attributes')}</legend>
          {editing.draft.attributes.map((a, i) => (
            <div class="row" key={i}>
              <label class="sr" for={`attr-key-${i}`}>{i18n.t('attrKey')}</label>
              <input id={`attr-key-${i}`} placeholder={i18n.t('attrKey')} value={a.key} onInput={(e) => setAttr(i, 'key', (e.currentTarget as HTMLInputElement).value)} />
              <label class="sr" for={`attr-value-${i}`}>{i18n.t('attrValue')}</label>
              <input id={`attr-value-${i}`} placeholder={i18n.t('attrValue')} value={a.value} onInput={(e) => setAttr(i, 'value', (e.currentTarget as HTMLInputElement).value)} />
              <button type="button" class="secondary" onClick={() => setEditing({ ...editing, draft: { ...editing.draft, attributes: editing.draft.attributes.filter((_, j) => j !== i) } })}>{i18n.t('remove')}</button>
            </div>
          ))}
          <button type="button" class="secondary" onClick={() => setEditing({ ...editing, draft: { ...editing.draft, attributes: [...editing.draft.attributes, { key: '', value: '' }] } })}>{i18n.t('addAttribute')}</button>
        </fieldset>
        {error && <p role="alert" class="error">{i18n.t('error', { msg: error })}</p>}
        <div class="row">
          <button type="submit" disabled={Boolean(conflict)}>{i18n.t('save')}</button>
          <button type="button" class="secondary" onClick={() => { setEditing(null); setConflict(null); }}>{i18n.t('cancel')}</button>
        </div>
      </form>
    </Panel>
  );
}

function valueAt(d: Draft, path: string): string {
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (!tail) return d.fields[head] ?? '';
  if (head === 'attributes') return d.attributes.find((a) => a.key === tail)?.value ?? '';
  return d.addresses[head]?.[tail] ?? '';
}

function fieldLabel(i18n: { label(n: string): string; t(k: 'attributes'): string }, path: string): string {
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (!tail) return i18n.label(head);
  if (head === 'attributes') return `${i18n.t('attributes')} ${tail}`;
  return `${i18n.label(head)} ${i18n.label(tail)}`;
}

function AddressesPanel({ profile }: { profile: Profile }) {
  const { i18n } = useSession();
  const filled = ADDRESS_FIELDS.filter((a) => ADDRESS_PARTS.some((k) => text((profile[a] as Address | null)?.[k])));
  return (
    <Panel id="addresses" title={i18n.t('addresses')}>
      {filled.length === 0 ? <p class="muted">{i18n.t('none')}</p> : (
        <dl class="fields">
          {filled.map((a) => {
            const v = profile[a] as Address;
            return <div key={a}><dt>{i18n.t(a)}</dt><dd><address>{[v.address1, v.address2, [v.postalCode, v.city].filter(Boolean).join(' '), v.state ?? v.province, v.country].filter(Boolean).join(', ')}</address></dd></div>;
          })}
        </dl>
      )}
    </Panel>
  );
}

function AttributesPanel({ profile }: { profile: Profile }) {
  const { i18n } = useSession();
  return (
    <Panel id="attributes" title={i18n.t('attributes')}>
      {profile.attributes.length === 0 ? <p class="muted">{i18n.t('none')}</p> : (
        <dl class="fields">{profile.attributes.map((a) => <div key={a.key}><dt>{a.key}</dt><dd data-attribute={a.key}>{a.value}</dd></div>)}</dl>
      )}
    </Panel>
  );
}

function InsightsPanel({ insights }: { insights: Insight[] }) {
  const { i18n } = useSession();
  return (
    <Panel id="insights" title={i18n.t('insights')}>
      {insights.length === 0 ? <p class="muted">{i18n.t('noInsights')}</p> : (
        <ul class="insights">
          {insights.map((x, i) => (
            <li key={i} class={`sev-${x.severity.toLowerCase()}`}>
              <strong>{x.kind}</strong> <span class="tag">{i18n.label(x.severity)}</span>
              <ul class="facts">{x.facts.map((f) => <li key={f.key}>{f.key}: {factValue(i18n, f.value)}</li>)}</ul>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function factValue(i18n: { num(n: number): string; dateTimeOf(s: string): string }, json: string): string {
  try {
    const v = JSON.parse(json) as unknown;
    if (typeof v === 'number') return i18n.num(v);
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return i18n.dateTimeOf(v);
    return typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    return json;
  }
}

function TimelinePanel({ contacts, isNew }: { contacts: Profile['contacts']; isNew: (id: string) => boolean }) {
  const { i18n } = useSession();
  return (
    <Panel id="timeline" title={`${i18n.t('timeline')} (${i18n.num(contacts.totalCount)})`}>
      {contacts.nodes.length === 0 ? <p class="muted">{i18n.t('none')}</p> : (
        <table class="timeline">
          <thead><tr><th scope="col">{i18n.t('initiatedAt')}</th><th scope="col">{i18n.t('channel')}</th><th scope="col">{i18n.t('direction')}</th><th scope="col">{i18n.t('queue')}</th><th scope="col">{i18n.t('queueTime')}</th><th scope="col">{i18n.t('duration')}</th><th scope="col">{i18n.t('agent')}</th></tr></thead>
          <tbody>
            {contacts.nodes.map((c) => (
              <tr key={c.id} data-contact-id={c.contactId} class={isNew(c.id) ? 'new' : undefined}>
                <td>{i18n.dateTimeOf(c.initiatedAt)}{isNew(c.id) && <span class="badge">{i18n.t('newBadge')}</span>}</td>
                <td><span class={`ch ch-${c.channel.toLowerCase()}`}>{i18n.label(c.channel)}</span></td>
                <td>{c.direction ? i18n.label(c.direction) : ''}</td>
                <td>{c.queue ?? ''}</td>
                <td>{i18n.duration(c.queueWaitSeconds)}</td>
                <td>{i18n.duration(c.durationSeconds)}</td>
                <td>{c.agentId ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

function CasesPanel({ profile, isNew }: { profile: Profile; isNew: (id: string) => boolean }) {
  const { api, i18n } = useSession();
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState('MEDIUM');
  const [error, setError] = useState<string | null>(null);
  async function create(e: Event): Promise<void> {
    e.preventDefault();
    if (!title.trim()) return;
    try {
      await api.gql('mutation($input: CreateCaseInput!) { createCase(input: $input) { case { id } } }', { input: { profileId: profile.id, title: title.trim(), priority } });
      setTitle('');
    } catch (err) {
      setError((err as Error).message);
    }
  }
  async function setStatus(c: Case, status: string): Promise<void> {
    try {
      await api.gql('mutation($id: ID!, $input: UpdateCaseInput!, $v: Int) { updateCase(id: $id, input: $input, expectedVersion: $v) { id status version } }', { id: c.id, input: { status }, v: c.version });
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <Panel id="cases" title={`${i18n.t('cases')} (${i18n.num(profile.cases.totalCount)})`}>
      <ul class="cases">
        {profile.cases.nodes.map((c) => (
          <li key={c.id} class={isNew(c.id) ? 'new' : undefined} data-case-id={c.caseId}>
            <span class="case-title">{c.title}</span> {c.priority && <span class={`tag prio-${c.priority.toLowerCase()}`}>{i18n.label(c.priority)}</span>}
            {isNew(c.id) && <span class="badge">{i18n.t('newBadge')}</span>}
            <span class="muted small"> {c.caseId} · {i18n.dateTimeOf(c.createdAt)}</span>
            <label class="sr" for={`case-status-${c.id}`}>{i18n.t('status')} {c.title}</label>
            <select id={`case-status-${c.id}`} value={c.status} onChange={(e) => void setStatus(c, (e.currentTarget as HTMLSelectElement).value)}>
              {CASE_STATUSES.map((s) => <option key={s} value={s}>{i18n.label(s)}</option>)}
            </select>
          </li>
        ))}
      </ul>
      <form class="row" onSubmit={(e) => void create(e)} aria-label={i18n.t('newCase')}>
        <label for="case-title">{i18n.t('caseTitle')}</label>
        <input id="case-title" value={title} onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} />
        <label for="case-priority">{i18n.t('priority')}</label>
        <select id="case-priority" value={priority} onChange={(e) => setPriority((e.currentTarget as HTMLSelectElement).value)}>
          {PRIORITIES.map((p) => <option key={p} value={p}>{i18n.label(p)}</option>)}
        </select>
        <button type="submit">{i18n.t('createCase')}</button>
      </form>
      {error && <p role="alert" class="error">{i18n.t('error', { msg: error })}</p>}
    </Panel>
  );
}

function OrdersPanel({ orders, isNew }: { orders: Profile['orders']; isNew: (id: string) => boolean }) {
  const { i18n } = useSession();
  return (
    <Panel id="orders" title={`${i18n.t('orders')} (${i18n.num(orders.totalCount)})`}>
      {orders.nodes.length === 0 ? <p class="muted">{i18n.t('none')}</p> : (
        <ul class="orders">
          {orders.nodes.map((o) => (
            <li key={o.id} class={isNew(o.id) ? 'new' : undefined}>
              <details>
                <summary><strong>{o.orderId}</strong> · {i18n.dateTimeOf(o.orderedAt)} · <span data-money>{i18n.money(o.totalPrice, o.currency)}</span> {o.status && <span class="tag">{o.status}</span>}{isNew(o.id) && <span class="badge">{i18n.t('newBadge')}</span>}</summary>
                <table>
                  <thead><tr><th scope="col">{i18n.t('items')}</th><th scope="col">SKU</th><th scope="col">{i18n.t('quantity')}</th><th scope="col">{i18n.t('price')}</th></tr></thead>
                  <tbody>{o.items.map((it, i) => <tr key={i}><td>{it.title}</td><td>{it.sku ?? ''}</td><td>{i18n.num(it.quantity)}</td><td>{i18n.money(it.price, o.currency)}</td></tr>)}</tbody>
                </table>
              </details>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function CalculatedPanel({ values }: { values: Profile['calculatedAttributes'] }) {
  const { i18n } = useSession();
  const show = (v: Profile['calculatedAttributes'][number]) => {
    if (v.value === null) return '—';
    if (/^-?\d+(\.\d+)?$/.test(v.value)) return i18n.num(Number(v.value));
    if (/^\d{4}-\d\d-\d\dT/.test(v.value)) return i18n.dateTimeOf(v.value);
    return v.value;
  };
  return (
    <Panel id="calculated" title={i18n.t('calculated')}>
      {values.length === 0 ? <p class="muted">{i18n.t('none')}</p> : <dl class="fields">{values.map((v) => <div key={v.name}><dt>{v.name}</dt><dd>{show(v)}</dd></div>)}</dl>}
    </Panel>
  );
}
