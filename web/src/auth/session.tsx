import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, get, post, put, setCsrfToken, setSessionLostHandler } from '../api/client.ts';
import type { Role, Session, User } from '../api/types.ts';
import { changeLanguage } from '../i18n/index.ts';

/** What the rest of the app knows about who is signed in. */
export interface SessionState {
  user: User | undefined;
  checking: boolean;
  login: (username: string, password: string, totp?: string) => Promise<void>;
  logout: () => Promise<void>;
  setLocale: (locale: string) => Promise<void>;
}

const Ctx = createContext<SessionState | undefined>(undefined);

const RANK: Record<Role, number> = { auditor: 0, analyst: 1, supervisor: 2, admin: 3 };

/** True when `role` may do what `needed` may (auditor only matches auditor and admin). */
export function hasRole(role: Role | undefined, needed: Role): boolean {
  if (!role) return false;
  if (needed === 'auditor') return role === 'auditor' || role === 'admin';
  if (role === 'auditor') return false;
  return RANK[role] >= RANK[needed];
}

/** Holds the session; asks the server once at start whether a cookie session exists. */
export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const [user, setUser] = useState<User | undefined>(undefined);
  const [checking, setChecking] = useState(true);

  const accept = useCallback(async (s: Session) => {
    setCsrfToken(s.csrfToken);
    setUser(s.user);
    if (s.user.locale) await changeLanguage(s.user.locale);
  }, []);

  useEffect(() => {
    setSessionLostHandler(() => {
      setUser(undefined);
      setCsrfToken('');
    });
    return () => setSessionLostHandler(undefined);
  }, []);

  useEffect(() => {
    get<Session>('/auth/me')
      .then(accept, (e: unknown) => {
        if (!(e instanceof ApiError)) console.error(e);
      })
      .finally(() => setChecking(false));
  }, [accept]);

  const login = useCallback(
    async (username: string, password: string, totp?: string) => {
      const s = await post<Session>('/auth/login', totp ? { username, password, totp } : { username, password });
      await accept(s);
    },
    [accept],
  );

  const logout = useCallback(async () => {
    try {
      await post('/auth/logout');
    } finally {
      setUser(undefined);
      setCsrfToken('');
    }
  }, []);

  const setLocale = useCallback(
    async (locale: string) => {
      await changeLanguage(locale);
      if (user) {
        await put('/me/locale', { locale });
        setUser({ ...user, locale });
      }
    },
    [user],
  );

  return <Ctx.Provider value={{ user, checking, login, logout, setLocale }}>{children}</Ctx.Provider>;
}

/** The session state; only valid inside SessionProvider. */
export function useSession(): SessionState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
