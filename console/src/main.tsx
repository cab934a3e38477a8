// The labelmux console: sign in with the admin token, pick or create a workspace, then its labels (tree, five
// formats, resources), members and keys, live events, and the sandbox's requests and faults.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { forgetToken, Session, storedToken, type Workspace } from './api.js';
import { Events } from './events.js';
import { Labels } from './labels.js';
import { Members } from './members.js';
import { Faults, Requests } from './sandbox.js';
import './style.css';

const TABS = ['Labels', 'Members & keys', 'Events', 'Requests', 'Faults'] as const;
type Tab = (typeof TABS)[number];

function SignIn({ onIn }: { onIn(s: Session, ws: Workspace[]): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const submit = async (t: string) => {
    const s = new Session(t);
    try {
      onIn(s, await s.signIn());
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => {
    const t = storedToken();
    if (t) void submit(t);
  }, []);
  return (
    <main class="signin">
      <h1>labelmux console</h1>
      <form onSubmit={(e) => (e.preventDefault(), void submit(token))}>
        <label>
          Admin token <input type="password" autoComplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} required autoFocus />
        </label>
        <button type="submit">Sign in</button>
      </form>
      {error && <p role="alert" class="error">{error}</p>}
      <p class="hint">The token stays in this tab's session storage. <a href="/docs">API documentation</a></p>
    </main>
  );
}

function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [workspaces, setWorkspaces] = useState<Workspace[]>([]);
  const [ws, setWs] = useState<Workspace | null>(null);
  const [tab, setTab] = useState<Tab>('Labels');
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  if (!session) return <SignIn onIn={(s, list) => (setSession(s), setWorkspaces(list), setWs(list[0] ?? null))} />;
  const create = async () => {
    try {
      const created: Workspace = (await session.admin('POST', '/_admin/workspaces', { name })).workspace;
      setWorkspaces([...workspaces, created]);
      setWs(created);
      setName('');
      setError('');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div class="app">
      <header>
        <h1>labelmux console</h1>
        <nav aria-label="Elsewhere">
          <a href="/docs">API documentation</a>{' '}
          <button type="button" onClick={() => (forgetToken(), location.reload())}>Sign out</button>
        </nav>
      </header>
      <aside aria-label="Workspaces">
        <h2>Workspaces</h2>
        <ul class="workspaces">
          {workspaces.map((w) => (
            <li key={w.id}>
              <button type="button" aria-current={ws?.id === w.id ? 'true' : undefined} onClick={() => setWs(w)}>
                {w.name} <small>#{w.id}</small>
              </button>
            </li>
          ))}
        </ul>
        <form onSubmit={(e) => (e.preventDefault(), void create())}>
          <label>
            New workspace <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
          </label>
          <button type="submit">Create</button>
        </form>
        {error && <p role="alert" class="error">{error}</p>}
      </aside>
      <main>
        {ws === null ? (
          <p class="hint">Create a workspace to begin.</p>
        ) : (
          <>
            <h2 class="ws-title">{ws.name} <small>id {ws.id} · uuid {ws.uuid}</small></h2>
            <div role="tablist" aria-label="Workspace views" class="tabs">
              {TABS.map((t) => (
                <button type="button" role="tab" key={t} aria-selected={tab === t} id={`tab-${t}`} onClick={() => setTab(t)}>{t}</button>
              ))}
            </div>
            <div role="tabpanel" aria-labelledby={`tab-${tab}`}>
              {tab === 'Labels' && <Labels key={ws.id} session={session} ws={ws} />}
              {tab === 'Members & keys' && <Members key={ws.id} session={session} ws={ws.id} />}
              {tab === 'Events' && <Events key={ws.id} session={session} ws={ws.id} />}
              {tab === 'Requests' && <Requests key={ws.id} session={session} ws={ws.id} />}
              {tab === 'Faults' && <Faults session={session} />}
            </div>
          </>
        )}
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
