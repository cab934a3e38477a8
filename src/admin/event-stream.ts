// The audit feed as server-sent events. Each open stream reads the store every 250 ms (one indexed read of
// the events after the last one sent), so changes made through any instance sharing the database appear;
// no in-process notification is trusted. Streams end when the server closes.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OpenApiDocument } from '../http/openapi.js';

const POLL_MS = 250;
/** A comment line this often keeps proxies and browsers from timing the stream out. */
const HEARTBEAT_MS = 15_000;
const PAGE = 100;

const open = new Set<() => void>();

/** Ends every open stream (before the server closes, which would otherwise wait for them). */
export function closeStreams(): void {
  for (const stop of [...open]) stop();
}

/** Sends the events `read` returns after `after`, then new ones as they appear, until the client goes away or `forMs` passes. */
export function streamEvents(req: FastifyRequest, reply: FastifyReply, read: (after: number) => Promise<{ id: number }[]>, after: number, forMs: number): FastifyReply {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', 'x-request-id': req.id });
  res.write(': labelmux audit events\n\n');
  let last = after;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const endAt = Date.now() + forMs;
  let quietSince = Date.now();
  const send = (text: string) => {
    res.write(text);
    quietSince = Date.now();
  };
  const tick = async () => {
    try {
      for (let more = true; more && !stopped; ) {
        const events = await read(last);
        for (const e of events) send(`id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`);
        if (events.length > 0) last = events[events.length - 1]!.id;
        more = events.length === PAGE;
      }
      if (Date.now() - quietSince >= HEARTBEAT_MS) send(': still here\n\n');
    } catch (e) {
      req.log.warn({ err: e }, 'event stream: reading events failed');
      send(`event: problem\ndata: ${JSON.stringify({ detail: 'reading events failed; retrying' })}\n\n`);
    }
    if (Date.now() >= endAt) stop();
    if (!stopped) timer = setTimeout(() => void tick(), POLL_MS);
  };
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    open.delete(stop);
    res.end();
  };
  open.add(stop);
  res.on('close', stop);
  void tick();
  return reply;
}

/** The stream's 200 answer is `text/event-stream` text, not JSON (the route schema can only say "a string"). */
export function documentStream(doc: OpenApiDocument): void {
  const ok = doc.paths?.['/_admin/workspaces/{id}/events/stream']?.get?.responses?.['200'];
  if (ok?.content) ok.content = { 'text/event-stream': { schema: { type: 'string', description: 'Server-sent events: `id: <event id>` and `data: <Event JSON>` per audit event.' } } };
}
