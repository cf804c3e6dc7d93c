/** The dashboard: shell (header, theme toggle, login) and the hash router. */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { authEvent, getKey, keyRefused, setKey, whoami } from './api.js';
import { AlertPage, AlertsPage } from './pages/Alerts.js';
import { FeaturePage } from './pages/Feature.js';
import { ModelPage } from './pages/Model.js';
import { ModelsPage } from './pages/Models.js';
import { RcaListPage, RcaPage } from './pages/Rca.js';
import { type Route, useRoute } from './router.js';
import { type Session, SessionContext } from './session.js';
import { applyTheme, initialTheme, type Theme, ThemeContext } from './theme.js';

function Page(props: { route: Route }) {
  const [a, , c] = props.route.parts;
  if (a === 'models' && props.route.parts.length >= 4 && c === 'features')
    return <FeaturePage route={props.route} />;
  if (a === 'models' && props.route.parts.length >= 4 && c === 'rca') return <RcaPage route={props.route} />;
  if (a === 'models' && props.route.parts.length === 3 && c === 'rca')
    return <RcaListPage route={props.route} />;
  if (a === 'models' && props.route.parts.length >= 2) return <ModelPage route={props.route} />;
  if (a === 'alerts' && props.route.parts.length >= 2) return <AlertPage route={props.route} />;
  if (a === 'alerts') return <AlertsPage route={props.route} />;
  if (a === undefined || a === 'models') return <ModelsPage />;
  return <p role="alert">No page {window.location.hash}</p>;
}

function Login(props: { onDone: () => void }) {
  return (
    <section className="login">
      <h1>Sign in</h1>
      <p>
        This server requires an API key (create one with <code>plumbline keys create --scope read</code>).
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setKey(String(new FormData(e.currentTarget).get('key')).trim());
          props.onDone();
        }}
      >
        <label>
          API key <input name="key" type="password" autoComplete="off" required pattern="plb_.+" />
        </label>
        <button type="submit">Sign in</button>
      </form>
      <p className="muted">The key stays in this tab (sessionStorage) and is sent as a Bearer token.</p>
    </section>
  );
}

function App() {
  const route = useRoute();
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [needKey, setNeedKey] = useState(keyRefused);
  const [epoch, setEpoch] = useState(0);
  const [session, setSession] = useState<Session>({ known: false, scopes: [] });
  useEffect(() => applyTheme(theme, false), [theme]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new sign-in (epoch) asks again
  useEffect(() => {
    let live = true;
    setSession({ known: false, scopes: [] });
    whoami().then(
      (w) => live && setSession({ known: true, scopes: w.scopes }),
      () => undefined, // 401 shows the login page (authEvent); other failures keep the session read-only
    );
    return () => {
      live = false;
    };
  }, [epoch]);
  useEffect(() => {
    const on = () => setNeedKey(true);
    window.addEventListener(authEvent, on);
    if (keyRefused()) on(); // a 401 answered before this listener
    return () => window.removeEventListener(authEvent, on);
  }, []);
  const section = route.parts[0] ?? 'models';
  return (
    <ThemeContext.Provider value={theme}>
      <SessionContext.Provider value={session}>
        <button type="button" className="skip" onClick={() => document.getElementById('main')?.focus()}>
          Skip to content
        </button>
        <header className="top">
          <a className="brand" href="#/">
            Plumbline
          </a>
          <nav aria-label="Main">
            <a href="#/" aria-current={section === 'models' ? 'page' : undefined}>
              Models
            </a>
            <a href="#/alerts" aria-current={section === 'alerts' ? 'page' : undefined}>
              Alerts
            </a>
          </nav>
          <span className="spacer" />
          {session.known && (
            <span className="muted" data-testid="scopes" title="Scopes of this session's API key">
              {getKey() ? `key: ${session.scopes.join(', ')}` : 'no key required'}
            </span>
          )}
          {getKey() && (
            <button
              type="button"
              onClick={() => {
                setKey(null);
                setNeedKey(true);
              }}
            >
              Sign out
            </button>
          )}
          <button
            type="button"
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
            onClick={() => {
              const next = theme === 'dark' ? 'light' : 'dark';
              applyTheme(next, true);
              setTheme(next);
            }}
          >
            {theme === 'dark' ? '☀ Light' : '☾ Dark'}
          </button>
        </header>
        <main id="main" tabIndex={-1}>
          {needKey ? (
            <Login
              onDone={() => {
                setNeedKey(false);
                setEpoch((x) => x + 1);
              }}
            />
          ) : (
            <Page key={epoch} route={route} />
          )}
        </main>
      </SessionContext.Provider>
    </ThemeContext.Provider>
  );
}

performance.mark('plumbline:evaluated'); // the bench reads it: the bundle evaluated
applyTheme(initialTheme(), false);
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
