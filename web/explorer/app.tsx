/**
 * The explorer's shell: sign-in (a domain key from the URL fragment `#key=…` or typed in, kept in
 * sessionStorage), the header (navigation, language), and hash routes:
 * `#/` customers, `#/profile/<id>`, `#/segments`, `#/layout`.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api, ApiError, KEY_STORAGE, type Capabilities } from './api.js';
import { SessionContext, type Session } from './context.js';
import { I18n, initialLocale, LOCALE_STORAGE, type Locale } from './i18n.js';
import { SearchPage } from './search.js';
import { ProfilePage } from './profile.js';
import { SegmentsPage } from './segments.js';
import { LayoutPage } from './layout.js';

function route(): string {
  return location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
}

/** Takes a key handed over in the fragment (never a query string) and removes it from the address bar. */
function keyFromFragment(): string | null {
  const m = /^#key=([^&]+)/.exec(location.hash);
  if (!m) return null;
  const key = decodeURIComponent(m[1]!);
  history.replaceState(null, '', `${location.pathname}#/`);
  return key;
}

export function App() {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const i18n = useMemo(() => new I18n(locale), [locale]);
  const [path, setPath] = useState(route);
  const [signedIn, setSignedIn] = useState<{ api: Api; caps: Capabilities; domain: string } | null>(null);
  const [checking, setChecking] = useState(true);
  const [signInError, setSignInError] = useState<string | null>(null);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = i18n.t('appTitle');
    localStorage.setItem(LOCALE_STORAGE, locale);
  }, [locale]);

  useEffect(() => {
    const onHash = () => setPath(route());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  async function signIn(key: string): Promise<void> {
    setChecking(true);
    setSignInError(null);
    const api = new Api(key.trim());
    try {
      const info = await api.signIn();
      sessionStorage.setItem(KEY_STORAGE, api.key);
      setSignedIn({ api, caps: info.caps, domain: info.domain });
    } catch (err) {
      sessionStorage.removeItem(KEY_STORAGE);
      setSignInError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setChecking(false);
    }
  }

  useEffect(() => {
    const key = keyFromFragment() ?? sessionStorage.getItem(KEY_STORAGE);
    if (key) void signIn(key);
    else setChecking(false);
  }, []);

  function signOut(): void {
    sessionStorage.removeItem(KEY_STORAGE);
    signedIn?.api.close();
    setSignedIn(null);
    location.hash = '#/';
  }

  const session: Session | null = signedIn
    ? { ...signedIn, i18n, navigate: (hash: string) => { location.hash = hash; } }
    : null;

  const languages = (
    <label class="lang">
      {i18n.t('language')}{' '}
      <select value={locale} onChange={(e) => setLocale((e.currentTarget as HTMLSelectElement).value as Locale)}>
        <option value="en">English</option>
        <option value="ja">日本語</option>
      </select>
    </label>
  );

  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>{i18n.t('skip')}</a>
      <header class="top">
        <span class="brand">{i18n.t('appTitle')}</span>
        {session && (
          <nav aria-label="main">
            <a href="#/" aria-current={path === '/' ? 'page' : undefined}>{i18n.t('navCustomers')}</a>
            <a href="#/segments" aria-current={path.startsWith('/segments') ? 'page' : undefined}>{i18n.t('navSegments')}</a>
            {session.caps.layout && <a href="#/layout" aria-current={path === '/layout' ? 'page' : undefined}>{i18n.t('navLayout')}</a>}
            {/* Same tab: sessionStorage (the key) is per tab, and GraphiQL prefills its header from it. */}
            <a href="/graphql">{i18n.t('navGraphiql')}</a>
          </nav>
        )}
        <span class="spacer" />
        {session && <span class="domain">{i18n.t('domain')}: <strong>{session.domain}</strong></span>}
        {languages}
        {session && <button type="button" onClick={signOut}>{i18n.t('signOut')}</button>}
      </header>
      <main id="main" tabIndex={-1}>
        {checking ? (
          <p>{i18n.t('loading')}</p>
        ) : !session ? (
          <SignIn i18n={i18n} error={signInError} onKey={(k) => void signIn(k)} />
        ) : (
          <SessionContext.Provider value={session}>
            <Routes path={path} />
          </SessionContext.Provider>
        )}
      </main>
    </>
  );
}

function Routes({ path }: { path: string }) {
  const profile = /^\/profile\/([^/]+)$/.exec(path);
  if (profile) return <ProfilePage key={profile[1]} id={decodeURIComponent(profile[1]!)} />;
  if (path.startsWith('/segments')) return <SegmentsPage />;
  if (path === '/layout') return <LayoutPage />;
  return <SearchPage />;
}

function SignIn({ i18n, error, onKey }: { i18n: I18n; error: string | null; onKey: (key: string) => void }) {
  const [key, setKey] = useState('');
  return (
    <form class="panel signin" onSubmit={(e) => { e.preventDefault(); if (key.trim()) onKey(key); }}>
      <h1>{i18n.t('signInTitle')}</h1>
      <p>{i18n.t('signInHelp')}</p>
      <label for="api-key">{i18n.t('apiKey')}</label>
      <input id="api-key" type="password" autoComplete="off" value={key} onInput={(e) => setKey((e.currentTarget as HTMLInputElement).value)} />
      <button type="submit">{i18n.t('signIn')}</button>
      {error && <p role="alert" class="error">{i18n.t('badKey', { msg: error })}</p>}
    </form>
  );
}
