// Who is using the studio: read once from GET /api/me and shared by every screen, so each shows
// only what the role may do. A 401 means nobody is signed in (and no key is set): the shell
// then shows the sign-in screen instead of the screens.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, SETTINGS_CHANGED, type Me } from '../api/client';

export type SessionState =
  | { state: 'loading' }
  | { state: 'signed-out'; expired: boolean }
  | { state: 'ready'; me: Me | null }
  | { state: 'error'; error: unknown };

interface Session {
  session: SessionState;
  /** The caller when known (null while loading, signed out, or a server without /api/me). */
  me: Me | null;
  signIn(name: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  reload(): void;
}

const SessionContext = createContext<Session>({
  session: { state: 'ready', me: null }, me: null, signIn: async () => {}, signOut: async () => {}, reload: () => {},
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>({ state: 'loading' });
  const load = useCallback(() => {
    api.me().then((me) => setSession({ state: 'ready', me }), (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) setSession({ state: 'signed-out', expired: e.code === 'auth.session_expired' });
      else setSession({ state: 'error', error: e });
    });
  }, []);
  useEffect(() => {
    load();
    window.addEventListener(SETTINGS_CHANGED, load);
    return () => window.removeEventListener(SETTINGS_CHANGED, load);
  }, [load]);
  const value = useMemo<Session>(() => ({
    session,
    me: session.state === 'ready' ? session.me : null,
    async signIn(name, password) {
      const me = await api.signIn(name, password);
      setSession({ state: 'ready', me });
      window.dispatchEvent(new Event(SETTINGS_CHANGED));
    },
    async signOut() {
      await api.signOut().catch(() => undefined);
      setSession({ state: 'signed-out', expired: false });
    },
    reload: load,
  }), [session, load]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session { return useContext(SessionContext); }
