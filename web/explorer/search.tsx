/**
 * Search at contact time: one box. With the server's lookupProfiles, it reads the text (phone in any
 * format, e-mail, name, account, any key, id); without it, the page picks a searchProfiles key from
 * the text's shape. Empty: the newest customers. "New caller" is find-or-create from the text.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { useSession } from './context.js';

export interface Row {
  id: string;
  fullName: string | null;
  businessName: string | null;
  phoneNumber: string | null;
  mobilePhoneNumber: string | null;
  emailAddress: string | null;
  accountNumber: string | null;
  updatedAt: string;
}
const ROW = 'id fullName businessName phoneNumber mobilePhoneNumber emailAddress accountNumber updatedAt';

interface Hit {
  profile: Row;
  matchedKeys: string[];
}

type Shape = 'EMAIL' | 'PHONE' | 'ID' | 'NAME';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How the fallback search reads the text. */
export function shapeOf(text: string): Shape {
  if (text.includes('@')) return 'EMAIL';
  if (UUID.test(text)) return 'ID';
  if (/^[+＋]?[\d\s().\-－ー]+$/.test(text) && (text.match(/\d/g)?.length ?? 0) >= 5) return 'PHONE';
  return 'NAME';
}

/** searchProfiles arguments for a text (used when the server has no lookupProfiles). */
function fallbackSearch(text: string): { key: string; values: string[]; additionalKeys: { key: string; values: string[] }[] } {
  const shape = shapeOf(text);
  if (shape === 'EMAIL') return { key: '_email', values: [text], additionalKeys: [] };
  if (shape === 'ID') return { key: '_profileId', values: [text], additionalKeys: [] };
  if (shape === 'PHONE') return { key: '_phone', values: [text], additionalKeys: [{ key: '_account', values: [text] }] };
  return { key: '_fullName', values: [text], additionalKeys: [{ key: '_account', values: [text] }] };
}

let lastQuery = '';

export function SearchPage() {
  const { api, i18n, caps, navigate } = useSession();
  const [text, setText] = useState(lastQuery);
  const [searched, setSearched] = useState<string | null>(null);
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [interpreted, setInterpreted] = useState<string[]>([]);
  const [recent, setRecent] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // The latest search wins: an earlier one answering later (the last query re-run on return to this
  // page, then a new one typed) must not replace its results.
  const latest = useRef(0);

  useEffect(() => {
    input.current?.focus();
    api.gql<{ profiles: { nodes: Row[] } }>(`{ profiles(first: 25) { nodes { ${ROW} } } }`).then((d) => setRecent(d.profiles.nodes), (e: ApiError) => setError(e.message));
    if (lastQuery) void run(lastQuery);
  }, []);

  async function run(q: string): Promise<void> {
    const query = q.trim();
    lastQuery = query;
    if (!query) {
      latest.current++;
      setHits(null);
      setSearched(null);
      return;
    }
    const mine = ++latest.current;
    const stale = () => mine !== latest.current;
    setBusy(true);
    setError(null);
    try {
      if (caps.lookupProfiles) {
        const d = await api.gql<{ lookupProfiles: { interpretedAs: string[]; hits: Hit[] } }>(
          `query($text: String!) { lookupProfiles(text: $text, first: 20) { interpretedAs normalized hits { matchedKeys profile { ${ROW} } } } }`,
          { text: query },
        );
        if (stale()) return;
        setHits(d.lookupProfiles.hits);
        setInterpreted(d.lookupProfiles.interpretedAs);
      } else {
        const args = fallbackSearch(query);
        const d = await api.gql<{ searchProfiles: { edges: { matchedKeys: string[]; node: Row }[] } }>(
          `query($key: String!, $values: [String!]!, $more: [SearchKeyInput!]) { searchProfiles(key: $key, values: $values, additionalKeys: $more, first: 20) { edges { matchedKeys node { ${ROW} } } } }`,
          { key: args.key, values: args.values, more: args.additionalKeys },
        );
        if (stale()) return;
        setHits(d.searchProfiles.edges.map((e) => ({ profile: e.node, matchedKeys: e.matchedKeys })));
        setInterpreted([shapeOf(query)]);
      }
      setSearched(query);
    } catch (err) {
      if (stale()) return;
      // A text the key cannot read (e.g. not a phone number) finds nobody.
      if (err instanceof ApiError && err.code === 'BAD_USER_INPUT') {
        setHits([]);
        setSearched(query);
      } else setError((err as Error).message);
    } finally {
      if (!stale()) setBusy(false);
    }
  }

  async function newCaller(): Promise<void> {
    const q = (searched ?? '').trim();
    const shape = shapeOf(q);
    const input: Record<string, string> = {};
    if (shape === 'EMAIL') input.emailAddress = q;
    else if (shape === 'PHONE') input.phoneNumber = q;
    else {
      const parts = q.split(/\s+/);
      // Japanese names are written family name first.
      if (parts.length > 1 && i18n.locale === 'ja') [input.lastName, input.firstName] = [parts[0]!, parts.slice(1).join(' ')];
      else if (parts.length > 1) [input.firstName, input.lastName] = [parts.slice(0, -1).join(' '), parts[parts.length - 1]!];
      else input.lastName = q;
    }
    try {
      const d = await api.gql<{ findOrCreateProfile: { profile: Row | null; candidates: Row[] } }>(
        `mutation($input: ProfileInput!) { findOrCreateProfile(input: $input) { outcome profile { id } candidates { ${ROW} } } }`,
        { input },
      );
      const p = d.findOrCreateProfile.profile;
      if (p) navigate(`#/profile/${p.id}`);
      else setHits(d.findOrCreateProfile.candidates.map((c) => ({ profile: c, matchedKeys: [] })));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <section aria-labelledby="search-title">
      <form role="search" class="search" onSubmit={(e) => { e.preventDefault(); void run(text); }}>
        <h1 class="search-label"><label id="search-title" for="search-box">{i18n.t('searchLabel')}</label></h1>
        <div class="row">
          <input id="search-box" ref={input} type="search" value={text} aria-describedby="search-help" autoComplete="off"
            onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
          {/* Never disabled while a search runs: a disabled default button turns off implicit submission, so
              Enter pressed during the re-run of the last query would be dropped (the latest search wins anyway). */}
          <button type="submit" aria-busy={busy}>{i18n.t('search')}</button>
        </div>
        <p id="search-help" class="help">{i18n.t('searchHelp')}</p>
      </form>
      {error && <p role="alert" class="error">{i18n.t('error', { msg: error })}</p>}
      <div aria-live="polite">
        {searched !== null && hits && (
          <section class="panel" aria-labelledby="results-title">
            <h2 id="results-title">
              {i18n.t('results', { n: i18n.num(hits.length) })}
              {interpreted.length > 0 && <small class="muted"> · {i18n.t('interpretedAs')}: {interpreted.join(', ')}</small>}
            </h2>
            {hits.length === 0 && <p>{i18n.t('noResults', { q: searched })}</p>}
            <ProfileList rows={hits.map((h) => h.profile)} matched={hits.map((h) => h.matchedKeys)} />
            <button type="button" class="secondary" onClick={() => void newCaller()}>{i18n.t('newCaller', { q: searched })}</button>
          </section>
        )}
      </div>
      {searched === null && recent && (
        <section class="panel" aria-labelledby="recent-title">
          <h2 id="recent-title">{i18n.t('recent')}</h2>
          <ProfileList rows={recent} />
        </section>
      )}
    </section>
  );
}

export function ProfileList({ rows, matched }: { rows: Row[]; matched?: string[][] }) {
  const { i18n } = useSession();
  return (
    <ul class="profiles">
      {rows.map((r, i) => (
        <li key={r.id}>
          <a href={`#/profile/${r.id}`} class="name">{r.fullName || r.businessName || r.emailAddress || r.id}</a>
          <span class="muted">{[r.phoneNumber ?? r.mobilePhoneNumber, r.emailAddress, r.accountNumber].filter(Boolean).join(' · ')}</span>
          {matched?.[i]?.length ? <span class="tags">{i18n.t('matched')}: {matched[i]!.map((k) => <span class="tag" key={k}>{k}</span>)}</span> : null}
        </li>
      ))}
    </ul>
  );
}
