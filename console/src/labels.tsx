// The Labels tab: search, create, the tree, and the selected label (edit, move, delete, its five formats and
// the resources carrying it). Writes go through the Jotform dialect with the console key, so a refusal shows
// the dialect's own reason (a move under the label's own subtree: "parent: …").
import { useEffect, useState } from 'preact/hooks';
import type { Session, Workspace } from './api.js';
import { Formats } from './formats.js';
import { Resources } from './resources.js';
import { Tree } from './tree.js';

interface PathHit {
  id: number;
  parent_id: number | null;
  name: string;
  path: string;
}
interface Detail {
  id: string;
  name: string;
  color: string | null;
  parent: string;
}

export function Search({ session, ws, label, onPick }: { session: Session; ws: number; label: string; onPick(hit: PathHit): void }) {
  const [text, setText] = useState('');
  const [hits, setHits] = useState<{ labels: PathHit[]; total: number } | null>(null);
  useEffect(() => {
    if (text.trim() === '') return setHits(null);
    let live = true;
    const t = setTimeout(() => {
      session
        .admin('GET', `/_admin/workspaces/${ws}/label-search?${new URLSearchParams({ q: text.trim(), limit: '20' })}`)
        .then((r) => live && setHits(r))
        .catch(() => live && setHits({ labels: [], total: 0 }));
    }, 120);
    return () => ((live = false), clearTimeout(t));
  }, [text, ws]);
  return (
    <div class="search">
      <label>
        {label} <input type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder="name or path" />
      </label>
      {hits && (
        <ul class="hits" aria-live="polite" aria-label={`${hits.total} matches`}>
          {hits.labels.map((h) => (
            <li key={h.id}>
              <button type="button" class="link" onClick={() => (onPick(h), setText(''))}>{h.path}</button>
            </li>
          ))}
          {hits.total > hits.labels.length && <li class="hint">{hits.total - hits.labels.length} more: type more of the name</li>}
          {hits.total === 0 && <li class="hint">No label matches.</li>}
        </ul>
      )}
    </div>
  );
}

export function Labels({ session, ws }: { session: Session; ws: Workspace }) {
  const [selected, setSelected] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const changed = () => setVersion((v) => v + 1);
  const run = async (what: string, f: () => Promise<unknown>) => {
    try {
      await f();
      setMessage({ error: false, text: what });
      changed();
    } catch (e) {
      setMessage({ error: true, text: `${what} refused: ${(e as Error).message}` });
    }
  };
  const move = (id: number, parent: number | null) =>
    run(`Moved label ${id}`, () => session.jotform(ws.id, 'PUT', `/label/${id}`, { parent: parent === null ? '' : String(parent) }));

  useEffect(() => setSelected(null), [ws.id]);
  return (
    <div class="labels">
      <div class="pane tree-pane">
        <Search session={session} ws={ws.id} label="Find a label" onPick={(h) => setSelected(h.id)} />
        <CreateLabel onCreate={(name, color) => run(`Created ${name}`, () => session.jotform(ws.id, 'POST', '/label', { name, color, parent: selected === null ? '' : String(selected) }))} under={selected} />
        {message && <p role={message.error ? 'alert' : 'status'} class={message.error ? 'error' : 'ok'}>{message.text}</p>}
        <Tree session={session} ws={ws.id} selected={selected} onSelect={setSelected} onMove={(id, parent) => void move(id, parent)} version={version} />
      </div>
      <div class="pane detail-pane">
        {selected === null ? (
          <p class="hint">Select a label to edit it and see it in each dialect's format.</p>
        ) : (
          <LabelDetail key={selected} session={session} ws={ws} id={selected} version={version} run={run} move={move} onDeleted={() => setSelected(null)} />
        )}
      </div>
    </div>
  );
}

function CreateLabel({ onCreate, under }: { onCreate(name: string, color: string): void; under: number | null }) {
  const [name, setName] = useState('');
  const [color, setColor] = useState('#6366f1');
  return (
    <form class="row" onSubmit={(e) => (e.preventDefault(), name.trim() && (onCreate(name.trim(), color), setName('')))}>
      <label>
        New label{under === null ? '' : ' (under the selected one)'} <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
      </label>
      <label>
        Color <input type="color" value={color} onInput={(e) => setColor(e.currentTarget.value)} />
      </label>
      <button type="submit">Create</button>
    </form>
  );
}

interface DetailProps {
  session: Session;
  ws: Workspace;
  id: number;
  version: number;
  run(what: string, f: () => Promise<unknown>): Promise<void>;
  move(id: number, parent: number | null): Promise<void>;
  onDeleted(): void;
}

function LabelDetail({ session, ws, id, version, run, move, onDeleted }: DetailProps) {
  const [label, setLabel] = useState<Detail | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const [confirm, setConfirm] = useState<{ labels: number; assignments: number } | null>(null);
  useEffect(() => {
    session
      .jotform(ws.id, 'GET', `/label/${id}`)
      .then((l: Detail) => (setLabel(l), setName(l.name)))
      .catch((e: Error) => setError(e.message));
  }, [id, version]);
  if (error) return <p role="alert" class="error">{error}</p>;
  if (!label) return <p>Loading…</p>;
  const put = (what: string, body: object) => run(what, () => session.jotform(ws.id, 'PUT', `/label/${id}`, body));
  return (
    <section aria-labelledby="label-title">
      <h2 id="label-title">
        <span class="swatch" aria-hidden="true" style={{ background: label.color ?? 'transparent' }} /> {label.name} <small>id {label.id}</small>
      </h2>
      <div class="row">
        <form class="row" onSubmit={(e) => (e.preventDefault(), void put(`Renamed to ${name}`, { name }))}>
          <label>
            Name <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
          </label>
          <button type="submit">Rename</button>
        </form>
        <label>
          Color <input type="color" value={label.color ?? '#6366f1'} onChange={(e) => void put('Recolored', { color: e.currentTarget.value })} />
        </label>
      </div>
      <div class="row">
        <Search session={session} ws={ws.id} label="Move under" onPick={(h) => void move(id, h.id)} />
        <button type="button" onClick={() => void move(id, null)}>Move to top level</button>
        <button type="button" class="danger" onClick={() => session.admin('GET', `/_admin/workspaces/${ws.id}/labels/${id}/subtree`).then(setConfirm, (e: Error) => setError(e.message))}>Delete…</button>
      </div>
      {confirm && (
        <div role="alertdialog" aria-labelledby="confirm-text" class="confirm">
          <p id="confirm-text">
            Delete “{label.name}” with {confirm.labels - 1} label{confirm.labels === 2 ? '' : 's'} below it and {confirm.assignments} assignment{confirm.assignments === 1 ? '' : 's'}?
          </p>
          <button type="button" class="danger" onClick={() => void run(`Deleted ${label.name}`, () => session.jotform(ws.id, 'DELETE', `/label/${id}`)).then(onDeleted)}>Delete</button>{' '}
          <button type="button" onClick={() => setConfirm(null)} autoFocus>Cancel</button>
        </div>
      )}
      <h3>One label, five formats</h3>
      <Formats session={session} ws={ws} labelId={id} name={label.name} version={version} />
      <h3>Resources carrying it</h3>
      <Resources session={session} ws={ws.id} labelId={id} />
    </section>
  );
}
