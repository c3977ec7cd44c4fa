/** What every screen reaches: the clients, the session, navigation, and the refusal path. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Clients } from './api';
import type { Route } from './routes';
import type { Session } from './session';

export interface Console {
  clients: Clients;
  session: Session;
  navigate: (route: Route) => void;
  /** The server refused our keys: back to the sign-in form with the reason. */
  refused: (reason: string) => void;
}

export const ConsoleContext = createContext<Console | undefined>(undefined);

export function useConsole(): Console {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside the console');
  return value;
}
