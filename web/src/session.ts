/** What the session's API key may do: the dashboard shows write actions only to keys that can use them. */
import { createContext, useContext } from 'react';

/** The session's scopes; `known` is false until `GET /v1/auth/whoami` answered. */
export interface Session {
  known: boolean;
  scopes: readonly string[];
}

/** Until whoami answers, the session may do nothing (no write action flashes into view). */
export const SessionContext = createContext<Session>({ known: false, scopes: [] });

/** True when the session may acknowledge, silence and run RCA (the `admin` scope; routes in src/server/routes). */
export function canWrite(s: Session): boolean {
  return s.known && s.scopes.includes('admin');
}

/** The current session. */
export const useSession = (): Session => useContext(SessionContext);
