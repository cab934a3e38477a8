// The workspace's audit feed, live: GET …/events/stream read with fetch (an EventSource cannot send the admin
// token in a header, and the token never goes into a URL). The server reads the store every 250 ms per open
// stream, so changes made through any instance sharing the database appear; on a broken stream the console
// reconnects after the last event it saw.
import { useEffect, useState } from 'preact/hooks';
import type { Session } from './api.js';

interface AuditEvent {
  id: number;
  dialect: string;
  action: string;
  label_id: number | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  at: string;
}
const KEEP = 300;

/** Reads server-sent events from a fetch body; calls `on` with each event's data. */
async function readStream(res: Response, on: (data: string) => void, signal: AbortSignal): Promise<void> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  while (!signal.aborted) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (data && !block.startsWith('event: ')) on(data);
    }
  }
}

export function Events({ session, ws }: { session: Session; ws: number }) {
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [state, setState] = useState('connecting');
  useEffect(() => {
    const stop = new AbortController();
    let last: number | undefined;
    setEvents([]);
    const connect = async () => {
      while (!stop.signal.aborted) {
        try {
          const qs = last === undefined ? 'last=50' : `after=${last}`;
          const res = await fetch(`/_admin/workspaces/${ws}/events/stream?${qs}`, { headers: { authorization: `Bearer ${session.token}` }, signal: stop.signal, cache: 'no-store' });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          setState('live');
          await readStream(res, (data) => {
            const e = JSON.parse(data) as AuditEvent;
            last = e.id;
            setEvents((es) => [e, ...es].slice(0, KEEP));
          }, stop.signal);
        } catch (e) {
          if (stop.signal.aborted) return;
          setState(`reconnecting (${(e as Error).message})`);
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    };
    void connect();
    return () => stop.abort();
  }, [ws]);
  return (
    <section aria-label="Audit events">
      <p class="hint" role="status">Feed: {state}. Newest first; every change through any dialect or the admin API appears here.</p>
      <ol class="events">
        {events.map((e) => (
          <li key={e.id} class="event" data-action={e.action}>
            <div>
              <strong>{e.action}</strong> <span class="badge">{e.dialect}</span> {e.label_id !== null && <span>label {e.label_id}</span>} <time>{e.at}</time> <small>#{e.id}</small>
            </div>
            <Diff before={e.before} after={e.after} />
          </li>
        ))}
      </ol>
    </section>
  );
}

const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

/** The members that differ between before and after (all of them for a creation or a deletion). */
function Diff({ before, after }: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const changed = keys.filter((k) => show(before?.[k]) !== show(after?.[k]));
  if (changed.length === 0) return null;
  return (
    <table class="diff">
      <thead>
        <tr><th scope="col">field</th><th scope="col">before</th><th scope="col">after</th></tr>
      </thead>
      <tbody>
        {changed.map((k) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td class="del">{before ? show(before[k]) : ''}</td>
            <td class="ins">{after ? show(after[k]) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
