// One label, five formats: the real answer of each enabled dialect for the selected label, side by side,
// each with a curl line that reproduces it ($KEY stands for the console key shown above the panes).
import { useEffect, useState } from 'preact/hooks';
import { request, type Dialect, type Reply, type Session, type Workspace } from './api.js';
import { Highlighted } from './highlight.js';

interface Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  json?: unknown;
}
interface Pane {
  dialect: string;
  title: string;
  calls: Call[];
  reply?: Reply;
  /** The part shown: the label itself when the answer is a list. */
  shown?: string;
  note?: string;
}

const origin = () => location.origin;
const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

export function curlOf(c: Call, key: string): string {
  const sub = (s: string) => s.replaceAll(key, '$KEY');
  const parts = ['curl'];
  if (c.method !== 'GET') parts.push('-X', c.method);
  for (const [h, v] of Object.entries(c.headers)) parts.push('-H', `"${h}: ${sub(v)}"`);
  // The body in single quotes, the key spliced in as "$KEY" (expanded by the shell).
  if (c.json !== undefined) parts.push('-H', q('Content-Type: application/json'), '-d', JSON.stringify(c.json).split(key).map(q).join('"$KEY"'));
  parts.push(`"${origin()}${sub(c.path)}"`);
  return parts.join(' ');
}

/** The first object below `v` whose id is the label's (as a number or a string). */
function findLabel(v: unknown, id: number): unknown {
  if (Array.isArray(v)) {
    for (const x of v) {
      const f = findLabel(x, id);
      if (f !== undefined) return f;
    }
  } else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.id === id || o.id === String(id)) return o;
    for (const x of Object.values(o)) {
      const f = findLabel(x, id);
      if (f !== undefined) return f;
    }
  }
  return undefined;
}

function panes(d: (n: string) => Dialect | undefined, ws: Workspace, id: number, key: string): Pane[] {
  const out: Pane[] = [];
  const j = d('jotform');
  if (j) out.push({ dialect: 'jotform', title: `Jotform GET ${j.base}/label/${id}`, calls: [{ method: 'GET', path: `${j.base}/label/${id}`, headers: { APIKEY: key } }] });
  const r = d('razuna');
  if (r) out.push({ dialect: 'razuna', title: 'Razuna getlabel', calls: [{ method: 'GET', path: `${r.base}?method=getlabel&api_key=${ws.id}-${key}&label_id=${id}`, headers: {} }] });
  const l = d('livestorm');
  if (l) out.push({ dialect: 'livestorm', title: 'Livestorm: the label in its list', calls: [{ method: 'GET', path: `${l.base}/${ws.id}/labels`, headers: { Authorization: `Bearer lnx_${key}` } }] });
  const t = d('devtodev');
  if (t) {
    const body = { user_token: key, app_id: ws.uuid };
    out.push({ dialect: 'devtodev', title: 'devtodev: label or category', calls: [{ method: 'POST', path: `${t.base}/get`, headers: {}, json: { ...body, filter: { id: { eq: id } } } }, { method: 'POST', path: `${t.base}/categories/get`, headers: {}, json: body }] });
  }
  const b = d('limbo');
  if (b) out.push({ dialect: 'limbo', title: `limbo GET ${b.base}/api/v1/labels/${id}`, calls: [{ method: 'GET', path: `${b.base}/api/v1/labels/${id}`, headers: { Authorization: `Bearer ${key}`, Accept: 'application/vnd.api+json' } }] });
  return out;
}

async function load(p: Pane, id: number, name: string): Promise<Pane> {
  for (const [i, c] of p.calls.entries()) {
    const reply = await request(c.method, c.path, { headers: c.headers, json: c.json });
    const last = i === p.calls.length - 1;
    if (p.dialect === 'livestorm' || p.dialect === 'devtodev') {
      const found = findLabel(reply.body?.labels ?? reply.body?.data ?? reply.body, id);
      if (found !== undefined) return { ...p, calls: [c], reply, shown: JSON.stringify(found), note: i === 0 ? 'the label, picked from the list answer' : 'the category, picked from the list answer' };
      // devtodev lists categories by name only.
      if (Array.isArray(reply.body?.data?.categories) && reply.body.data.categories.includes(name)) return { ...p, calls: [c], reply, shown: reply.text, note: `a category: listed by name ("${name}") in the categories answer` };
      if (!last) continue;
      return { ...p, calls: [c], reply, shown: reply.text, note: 'this label is not in this dialect\'s list (the whole answer is shown)' };
    }
    return { ...p, calls: [c], reply, shown: reply.text };
  }
  return p;
}

export function Formats({ session, ws, labelId, name, version }: { session: Session; ws: Workspace; labelId: number; name: string; version: number }) {
  const [list, setList] = useState<Pane[] | null>(null);
  const [key, setKey] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    setList(null);
    (async () => {
      const k = await session.key(ws.id);
      const loaded = await Promise.all(panes((n) => session.dialect(n), ws, labelId, k).map((p) => load(p, labelId, name)));
      if (!live) return;
      setKey(k);
      setList(loaded);
    })().catch((e: Error) => {
      if (live) setError(e.message);
    });
    return () => void (live = false);
  }, [ws.id, labelId, version]);
  if (error) return <p role="alert" class="error">{error}</p>;
  if (!list) return <p aria-live="polite">Loading the five formats…</p>;
  return (
    <section aria-label="One label, five formats">
      <p class="hint">
        Curl lines use <code>$KEY</code>, this workspace's console key: <code class="secret">export KEY={key}</code>{' '}
        <button type="button" onClick={() => navigator.clipboard?.writeText(`export KEY=${key}`)}>Copy</button>
      </p>
      <div class="formats">
        {list.map((p) => (
          <article class="format" data-dialect={p.dialect} key={p.dialect} aria-label={`${p.dialect} answer`}>
            <h4>{p.title} <span class="status">HTTP {p.reply?.status}</span></h4>
            {p.note && <p class="hint">{p.note}</p>}
            <pre class="wire" tabIndex={0}><Highlighted text={p.shown ?? ''} /></pre>
            <div class="curl">
              <code>{curlOf(p.calls[0]!, key)}</code>
              <button type="button" aria-label={`Copy the ${p.dialect} curl line`} onClick={() => navigator.clipboard?.writeText(curlOf(p.calls[0]!, key))}>Copy</button>
            </div>
          </article>
        ))}
      </div>
    </section>
  );
}
