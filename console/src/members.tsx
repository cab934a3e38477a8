// Members and keys of a workspace: list members, add one (a new user or an existing user id), list keys,
// create one (shown once) and revoke.
import { useEffect, useState } from 'preact/hooks';
import type { Session } from './api.js';

interface Member { user_id: number; email: string; name: string; role: string }
interface Key { id: number; user_id: number; name: string; created_at: string }

export function Members({ session, ws }: { session: Session; ws: number }) {
  const [members, setMembers] = useState<Member[]>([]);
  const [keys, setKeys] = useState<Key[]>([]);
  const [error, setError] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('member');
  const [keyUser, setKeyUser] = useState('');
  const [keyName, setKeyName] = useState('');
  useEffect(() => {
    Promise.all([session.admin('GET', `/_admin/workspaces/${ws}/members`), session.admin('GET', `/_admin/workspaces/${ws}/api-keys`)]).then(
      ([m, k]) => (setMembers(m.members), setKeys(k.api_keys)),
      (e: Error) => setError(e.message),
    );
  }, [ws, version]);
  const act = (f: () => Promise<unknown>) => f().then(() => (setError(''), setVersion((v) => v + 1)), (e: Error) => setError(e.message));
  const addMember = () =>
    act(async () => {
      const user = (await session.admin('POST', '/_admin/users', { email, name: email.split('@')[0] })).user;
      await session.admin('PUT', `/_admin/workspaces/${ws}/members/${user.id}`, { role });
      setEmail('');
    });
  const createKey = () =>
    act(async () => {
      const k = (await session.admin('POST', '/_admin/api-keys', { user_id: Number(keyUser || members[0]?.user_id), workspace_id: ws, name: keyName })).api_key;
      setShown(k.key);
      setKeyName('');
    });
  return (
    <section aria-label="Members and keys">
      {error && <p role="alert" class="error">{error}</p>}
      <h3>Members</h3>
      <table>
        <thead><tr><th scope="col">User</th><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col"><span class="sr">Actions</span></th></tr></thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.user_id}>
              <td>{m.user_id}</td><td>{m.email}</td><td>{m.name}</td><td>{m.role}</td>
              <td><button type="button" aria-label={`Remove ${m.email}`} onClick={() => void act(() => session.admin('DELETE', `/_admin/workspaces/${ws}/members/${m.user_id}`))}>Remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="row" onSubmit={(e) => (e.preventDefault(), void addMember())}>
        <label>New member's email <input type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} required /></label>
        <label>Role <select value={role} onChange={(e) => setRole(e.currentTarget.value)}>{['owner', 'admin', 'member', 'viewer'].map((r) => <option key={r}>{r}</option>)}</select></label>
        <button type="submit">Add member</button>
      </form>
      <h3>Keys</h3>
      {shown && (
        <div role="status" class="ok">
          New key (shown once, copy it now): <code class="secret">{shown}</code> <button type="button" onClick={() => navigator.clipboard?.writeText(shown)}>Copy</button>{' '}
          <button type="button" onClick={() => setShown(null)}>Done</button>
        </div>
      )}
      <table>
        <thead><tr><th scope="col">Key id</th><th scope="col">Name</th><th scope="col">User</th><th scope="col">Created</th><th scope="col"><span class="sr">Actions</span></th></tr></thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id}>
              <td>{k.id}</td><td>{k.name}</td><td>{k.user_id}</td><td>{k.created_at}</td>
              <td><button type="button" aria-label={`Revoke key ${k.id}`} onClick={() => void act(() => session.admin('DELETE', `/_admin/api-keys/${k.id}`))}>Revoke</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="row" onSubmit={(e) => (e.preventDefault(), void createKey())}>
        <label>For member <select value={keyUser} onChange={(e) => setKeyUser(e.currentTarget.value)}>{members.map((m) => <option key={m.user_id} value={m.user_id}>{m.email}</option>)}</select></label>
        <label>Key name <input value={keyName} onInput={(e) => setKeyName(e.currentTarget.value)} /></label>
        <button type="submit" disabled={members.length === 0}>Create key</button>
      </form>
    </section>
  );
}
