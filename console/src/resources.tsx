// Resources carrying a label, a page at a time (Jotform GET /label/:id/resources), with assign and unassign.
import { useEffect, useState } from 'preact/hooks';
import type { Session } from './api.js';

interface Res {
  id: string;
  type: string;
  title: string | null;
}
const PAGE = 20;

export function Resources({ session, ws, labelId }: { session: Session; ws: number; labelId: number }) {
  const [offset, setOffset] = useState(0);
  const [items, setItems] = useState<Res[] | null>(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState('');
  const [type, setType] = useState('form');
  const [rid, setRid] = useState('');
  useEffect(() => {
    session.jotform(ws, 'GET', `/label/${labelId}/resources?offset=${offset}&limit=${PAGE}`).then(setItems, (e: Error) => setError(e.message));
  }, [labelId, offset, version]);
  const change = (path: string, r: { id: string; type: string }) =>
    session.jotform(ws, 'PUT', `/label/${labelId}/${path}`, { resources: [r] }).then(() => (setError(''), setVersion((v) => v + 1)), (e: Error) => setError(e.message));
  return (
    <div>
      {error && <p role="alert" class="error">{error}</p>}
      <form class="row" onSubmit={(e) => (e.preventDefault(), rid.trim() && void change('add-resources', { id: rid.trim(), type }))}>
        <label>
          Type <input value={type} onInput={(e) => setType(e.currentTarget.value)} size={12} />
        </label>
        <label>
          Resource id <input value={rid} onInput={(e) => setRid(e.currentTarget.value)} />
        </label>
        <button type="submit">Assign</button>
      </form>
      {items && items.length === 0 && offset === 0 ? (
        <p class="hint">No resource carries this label.</p>
      ) : (
        <table>
          <thead>
            <tr><th scope="col">Type</th><th scope="col">Id</th><th scope="col">Title</th><th scope="col"><span class="sr">Actions</span></th></tr>
          </thead>
          <tbody>
            {(items ?? []).map((r) => (
              <tr key={`${r.type}:${r.id}`}>
                <td>{r.type}</td><td>{r.id}</td><td>{r.title ?? ''}</td>
                <td><button type="button" aria-label={`Unassign ${r.type} ${r.id}`} onClick={() => void change('remove-resources', { id: r.id, type: r.type })}>Unassign</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="row">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</button>
        <span>from {offset + 1}</span>
        <button type="button" disabled={(items?.length ?? 0) < PAGE} onClick={() => setOffset(offset + PAGE)}>Next</button>
      </div>
    </div>
  );
}
