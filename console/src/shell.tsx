/** The page around every screen: the session, the header with its switcher, routing. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { makeClients } from './api';
import { ConsoleContext, type Console } from './context';
import { AppPage } from './pages/app';
import { AppsPage } from './pages/apps';
import { EnvironmentPage } from './pages/environment';
import { SignInPage } from './pages/sign-in';
import { parseRoute, routePath, type Route } from './routes';
import { clearSession, credentialsOf, isAccount, loadSession, localSession, REGIONS, saveSession, type Session } from './session';
import { Link } from './components/ui';

/** Screens load again when who signs or the region changes. */
const sessionKey = (s: Session) => `${credentialsOf(s).accessKeyId}/${s.region}`;

function titleOf(route: Route): string {
  switch (route.name) {
    case 'apps':
      return 'Apps';
    case 'sign-in':
      return 'Sign in';
    case 'app':
      return `App ${route.appId}`;
    case 'environment':
      return `${route.env} · ${route.appId}`;
    case 'not-found':
      return 'Not found';
  }
}

export function Shell() {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.pathname));
  const [session, setSession] = useState<Session>(() => loadSession(sessionStorage));
  const [refusal, setRefusal] = useState<string | undefined>(undefined);
  const [returnTo, setReturnTo] = useState<Route>({ name: 'apps' });

  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    document.title = `${titleOf(route)} — AmplifyBackend console`;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [route]);

  const navigate = useCallback((to: Route) => {
    history.pushState(null, '', routePath(to));
    setRoute(to);
  }, []);

  const current = useRef(route);
  current.current = route;
  const refused = useCallback((reason: string) => {
    setRefusal(reason);
    if (current.current.name === 'sign-in') return;
    setReturnTo(current.current);
    history.pushState(null, '', routePath({ name: 'sign-in' }));
    setRoute({ name: 'sign-in' });
  }, []);

  const changeSession = useCallback((next: Session) => {
    saveSession(sessionStorage, next);
    setSession(next);
  }, []);

  const clients = useMemo(() => makeClients(session, location.origin), [session]);
  const value: Console = useMemo(
    () => ({ clients, session, navigate, refused }),
    [clients, session, navigate, refused],
  );

  return (
    <ConsoleContext.Provider value={value}>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <Link to={{ name: 'apps' }} class="brand">
          AmplifyBackend <span>Studio console</span>
        </Link>
        <SessionBar
          session={session}
          onChange={changeSession}
          onSignIn={() => navigate({ name: 'sign-in' })}
          onSignOut={() => {
            clearSession(sessionStorage);
            setSession(localSession());
            navigate({ name: 'sign-in' });
          }}
        />
      </header>
      <main id="main" tabIndex={-1} key={sessionKey(session)}>
        {route.name === 'apps' && <AppsPage />}
        {route.name === 'sign-in' && (
          <SignInPage
            reason={refusal}
            session={session}
            onSignedIn={(next) => {
              changeSession(next);
              setRefusal(undefined);
              navigate(returnTo);
            }}
          />
        )}
        {route.name === 'app' && <AppPage key={route.appId} appId={route.appId} />}
        {route.name === 'environment' && (
          <EnvironmentPage key={`${route.appId}/${route.env}`} appId={route.appId} env={route.env} tab={route.tab} />
        )}
        {route.name === 'not-found' && (
          <section>
            <h1>Not found</h1>
            <p>
              Nothing lives at <code>{route.path}</code>. <Link to={{ name: 'apps' }}>See every app</Link>.
            </p>
          </section>
        )}
      </main>
    </ConsoleContext.Provider>
  );
}

/** Local development: account and region switcher. Signed in: who, region, sign out. */
function SessionBar({
  session,
  onChange,
  onSignIn,
  onSignOut,
}: {
  session: Session;
  onChange: (s: Session) => void;
  onSignIn: () => void;
  onSignOut: () => void;
}) {
  const [account, setAccount] = useState(session.kind === 'local' ? session.account : '');
  useEffect(() => {
    if (session.kind === 'local') setAccount(session.account);
  }, [session]);
  const regions = REGIONS.includes(session.region) ? REGIONS : [session.region, ...REGIONS];
  return (
    <div class="session">
      {session.kind === 'local' ? (
        <form
          class="switcher"
          onSubmit={(e) => {
            e.preventDefault();
            if (isAccount(account)) onChange({ ...session, account });
          }}
        >
          <label>
            <span class="label">Account</span>
            <input
              name="account"
              value={account}
              inputMode="numeric"
              pattern="\d{12}"
              title="12 digits"
              size={13}
              onInput={(e) => setAccount(e.currentTarget.value)}
              onBlur={() => {
                if (isAccount(account) && account !== session.account) onChange({ ...session, account });
              }}
            />
          </label>
          <button type="submit" class="visually-hidden">Switch account</button>
        </form>
      ) : (
        <span class="who" title="Signed in with this access key">
          {session.accessKeyId}
        </span>
      )}
      <label>
        <span class="label">Region</span>
        <select name="region" value={session.region} onChange={(e) => onChange({ ...session, region: e.currentTarget.value })}>
          {regions.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      {session.kind === 'local' ? (
        <button type="button" class="link" onClick={onSignIn}>
          Sign in
        </button>
      ) : (
        <button type="button" class="link" onClick={onSignOut}>
          Sign out
        </button>
      )}
    </div>
  );
}
