import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api, Capabilities } from './api.js';
import type { I18n } from './i18n.js';

export interface Session {
  api: Api;
  i18n: I18n;
  caps: Capabilities;
  domain: string;
  navigate(hash: string): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}
