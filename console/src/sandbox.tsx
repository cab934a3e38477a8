// The request journal and fault rules (GET/DELETE /_admin/requests, GET/POST/DELETE /_admin/faults). A
// server without them answers 404, and a server whose journal is off (LABELMUX_JOURNAL) says `enabled: false`:
// the tab then says the feature is off.
import { useEffect, useState } from 'preact/hooks';
import type { Session } from './api.js';
import { Highlighted } from './highlight.js';

const off = (what: string, how: string) => <p role="status" class="hint">{what} is off on this server ({how}).</p>;

/** The fault error names the admin API takes (docs/sandbox.md; test/console.test.ts keeps this list in step). */
export const FAULT_ERRORS = ['unavailable', 'rate_limited', 'quota', 'server_error', 'unauthorized', 'forbidden', 'not_found'] as const;

interface Logged {
  id: string | number; at: string; dialect: string; operation: string; method: string; url: string;
  requestHeaders?: unknown; requestBody?: unknown; status: number | null; responseBody?: unknown; durationMs: number; workspaceId?: number | null; keyId?: number | null;
}
const FILTERS = ['dialect', 'workspace', 'method', 'path', 'status', 'since'] as const;

export function Requests({ session, ws }: { session: Session; ws: number }) {
  const [filters, setFilters] = useState<Record<string, string>>({ workspace: String(ws) });
  const [rows, setRows] = useState<Logged[] | 'off' | null>(null);
  const [open, setOpen] = useState<Logged | null>(null);
  const [error, setError] = useState('');
  const load = async () => {
    const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''));
    qs.set('limit', '100');
    const r = await session.raw('GET', `/_admin/requests?${qs}`);
    if (r.status === 404 || (r.status === 200 && r.body.enabled === false)) return setRows('off');
    if (r.status !== 200) return setError(`${r.status}: ${r.text.slice(0, 200)}`);
    setError('');
    setRows(r.body.requests);
  };
  useEffect(() => void load(), [ws]);
  if (rows === 'off') return off('The request journal', 'start it with LABELMUX_JOURNAL=on, as `labelmux serve` does');
  return (
    <section aria-label="Requests">
      <form class="row" onSubmit={(e) => (e.preventDefault(), void load())}>
        {FILTERS.map((f) => (
          <label key={f}>{f} <input size={10} value={filters[f] ?? ''} onInput={(e) => setFilters({ ...filters, [f]: e.currentTarget.value })} /></label>
        ))}
        <button type="submit">Filter</button>
        <button type="button" class="danger" onClick={() => void session.raw('DELETE', '/_admin/requests').then(load)}>Clear the journal</button>
      </form>
      {error && <p role="alert" class="error">{error}</p>}
      <table>
        <thead><tr><th scope="col">At</th><th scope="col">Dialect</th><th scope="col">Operation</th><th scope="col">Request</th><th scope="col">Status</th><th scope="col">ms</th></tr></thead>
        <tbody>
          {(rows ?? []).map((r) => (
            <tr key={r.id}>
              <td>{r.at}</td><td>{r.dialect}</td><td>{r.operation}</td>
              <td><button type="button" class="link" onClick={() => setOpen(r)}>{r.method} {r.url}</button></td>
              <td>{r.status ?? 'dropped'}</td><td>{r.durationMs}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && (
        <div class="formats">
          <article class="format"><h4>Request {open.method} {open.url}</h4><pre class="wire"><Highlighted text={JSON.stringify({ headers: open.requestHeaders, body: open.requestBody })} /></pre></article>
          <article class="format"><h4>Response {open.status ?? '(connection dropped)'}</h4><pre class="wire"><Highlighted text={typeof open.responseBody === 'string' ? open.responseBody : JSON.stringify(open.responseBody)} /></pre></article>
        </div>
      )}
    </section>
  );
}

interface Fault {
  id: string | number;
  match: Record<string, string | number | undefined>;
  action: { type: 'delay'; ms: number } | { type: 'error'; error: unknown } | { type: 'drop' };
  times: number | null; probability: number; fired: number;
}

export function Faults({ session }: { session: Session }) {
  const [faults, setFaults] = useState<Fault[] | 'off' | null>(null);
  const [error, setError] = useState('');
  const [form, setForm] = useState({ dialect: '', method: '', path: '', type: 'error', ms: '500', error: 'unavailable', times: '', probability: '1' });
  const load = async () => {
    const r = await session.raw('GET', '/_admin/faults');
    if (r.status === 404) return setFaults('off');
    if (r.status !== 200) return setError(`${r.status}: ${r.text.slice(0, 200)}`);
    setFaults(r.body.faults);
  };
  useEffect(() => void load(), []);
  if (faults === 'off') return off('Fault injection', 'its admin route answers 404');
  const add = async () => {
    const match = Object.fromEntries((['dialect', 'method', 'path'] as const).filter((k) => form[k] !== '').map((k) => [k, form[k]]));
    const action = form.type === 'delay' ? { type: 'delay', ms: Number(form.ms) } : form.type === 'drop' ? { type: 'drop' } : { type: 'error', error: form.error };
    const body = { match, action, probability: Number(form.probability), ...(form.times !== '' && { times: Number(form.times) }) };
    const r = await session.raw('POST', '/_admin/faults', body);
    if (r.status !== 201) return setError(`${r.status}: ${r.body?.detail ?? r.text.slice(0, 200)}`);
    setError('');
    await load();
  };
  const field = (k: keyof typeof form, label: string) => <label>{label} <input size={8} value={form[k]} onInput={(e) => setForm({ ...form, [k]: e.currentTarget.value })} /></label>;
  return (
    <section aria-label="Faults">
      {error && <p role="alert" class="error">{error}</p>}
      <table>
        <thead><tr><th scope="col">Id</th><th scope="col">Match</th><th scope="col">Action</th><th scope="col">Times</th><th scope="col">Probability</th><th scope="col">Fired</th><th scope="col"><span class="sr">Actions</span></th></tr></thead>
        <tbody>
          {(faults ?? []).map((f) => (
            <tr key={f.id}>
              <td>{f.id}</td><td><code>{JSON.stringify(f.match)}</code></td><td><code>{JSON.stringify(f.action)}</code></td><td>{f.times ?? '∞'}</td><td>{f.probability}</td><td>{f.fired}</td>
              <td><button type="button" aria-label={`Remove fault ${f.id}`} onClick={() => void session.raw('DELETE', `/_admin/faults/${f.id}`).then(load)}>Remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="row" onSubmit={(e) => (e.preventDefault(), void add())}>
        {field('dialect', 'Dialect')}{field('method', 'Method')}{field('path', 'Path')}
        <label>Action <select aria-label="Action" value={form.type} onChange={(e) => setForm({ ...form, type: e.currentTarget.value })}><option>error</option><option>delay</option><option>drop</option></select></label>
        {form.type === 'delay' && field('ms', 'ms')}{form.type === 'error' && (
          <label>Error <select aria-label="Error" value={form.error} onChange={(e) => setForm({ ...form, error: e.currentTarget.value })}>{FAULT_ERRORS.map((n) => <option key={n}>{n}</option>)}</select></label>
        )}
        {field('times', 'Times')}{field('probability', 'Probability')}
        <button type="submit">Add fault</button>
      </form>
    </section>
  );
}
