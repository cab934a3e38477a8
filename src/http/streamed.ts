// Whole-workspace answers written as they are made (Livestorm's label list, Jotform's tree, Razuna's getall):
// a page of labels is read, serialized with the route's own serializer and written before the next is read,
// so the process holds one page and the socket's buffer instead of the whole answer (a 100,000-label answer
// was ~270 MB of objects and one 10–18 MB string). The bytes are those the route sent whole; the answer goes
// out chunked, without Content-Length, unless it ends within its first AHEAD chunks (a small workspace's list:
// one page and its end), which are sent whole, with their length, without a stream's cost.
//
// Backpressure: the chunks are pulled by Node's pipe into the response, which stops pulling while the
// socket's buffer is full; the store reads no page meanwhile. A client that goes away destroys the stream,
// which ends the generators (and so the page reads).
//
// Between two chunks (and two pages of a list gathered whole, whileConnected), the answer gives the event loop a
// turn and checks the heap budget (heavy-gc.ts). The store's reads are synchronous on SQLite, so without the turn a
// client that reads fast got the whole 100,000-label answer in one stretch of 0.7–2 s during which nothing else was
// answered; and its garbage is collected before it takes the process past its memory target.
//
// Errors: the first chunks (up to AHEAD + 1: a page each for a list) are made before the status is sent, so a failure
// there is answered by the dialect's error handler as before. A failure after that cannot change the status
// any more: Fastify logs it ("response terminated with an error with headers already sent") and closes the
// connection without the final chunk, so the client sees a truncated answer, never a complete-looking one.
import { Readable } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';
import fastJson from 'fast-json-stringify';
import type { z } from 'zod';
import { toJsonSchema } from './compilers.js';
import { withinHeapBudget } from './heavy-gc.js';

/** fast-json-stringify for one item of a list route's schema: the bytes the whole route's serializer writes for it. */
export const itemSerializer = <T>(schema: z.ZodType): ((item: T) => string) =>
  fastJson(toJsonSchema(schema) as unknown as Parameters<typeof fastJson>[0]) as (item: T) => string;

/** Characters written between two turns of a streamed answer. */
const TURN_AFTER = 64 * 1024;

/** What a whole answer does between two of its pieces: keep to the heap budget, let other requests in. */
async function between(): Promise<void> {
  withinHeapBudget();
  await turn();
}

/** Chunks made before anything is sent: an answer that ends within them is sent whole. */
const AHEAD = 2;

/**
 * `chunks` whole, if they end within the first AHEAD; else a readable of them, once AHEAD + 1 are made:
 * whatever fails up to then rejects here, before anything is sent. The readable buffers one chunk ahead at most.
 * Made ahead or streamed, every TURN_AFTER characters the answer gives other requests a turn (between()).
 */
export async function streamOf(chunks: AsyncIterable<string> | Iterable<string>): Promise<Readable | string> {
  const it = Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]();
  let since = 0;
  const paced = async (chunk: string) => {
    // A small answer goes out in one go, as a whole one did (its end, and onResponse, right after its head).
    if ((since += chunk.length) < TURN_AFTER) return;
    since = 0;
    await between();
  };
  const first: string[] = [];
  for (;;) {
    const n = await it.next();
    if (n.done) return first.join('');
    first.push(n.value);
    await paced(n.value);
    if (first.length > AHEAD) break;
  }
  // `written` (characters so far) lets the heavy-read slots weigh the answer once it has ended (heavy.ts).
  const stream: Readable & { written?: number } = Readable.from(all(), { highWaterMark: 1 });
  stream.written = first.reduce((sum, chunk) => sum + chunk.length, 0);
  async function* all(): AsyncGenerator<string> {
    try {
      const head = first.join('');
      first.length = 0;
      yield head;
      for (let n = await it.next(); !n.done; n = await it.next()) {
        stream.written! += n.value.length;
        yield n.value;
        await paced(n.value);
      }
    } finally {
      await it.return?.(); // a client gone mid-answer: stop reading pages
    }
  }
  return stream;
}

/**
 * `prefix`, the pages' items each serialized by `item` and separated by commas, then `suffix()`: one chunk
 * per page (the first with the prefix, the last with the suffix).
 */
export async function* jsonList<T>(prefix: string, pages: AsyncIterable<T[]>, item: (x: T) => string, suffix: () => string): AsyncGenerator<string> {
  let head = prefix;
  let sep = '';
  for await (const page of pages) {
    let out = head;
    for (const x of page) {
      out += sep + item(x);
      sep = ',';
    }
    head = '';
    yield out;
  }
  yield head + suffix();
}

/** `prefix`, then the chunks of `body`, then `suffix()` (made once the body is done), glued to the first and last chunk. */
export async function* framed(prefix: string, body: AsyncIterable<string>, suffix: () => string): AsyncGenerator<string> {
  let head = prefix;
  for await (const chunk of body) {
    yield head + chunk;
    head = '';
  }
  yield head + suffix();
}

/**
 * The pages while the client is still there: a read that must gather every page before its first byte
 * (Jotform's tree) stops at the next page once the client has gone, rather than finish for nobody.
 */
export async function* whileConnected<T>(pages: AsyncIterable<T>, socket: { destroyed: boolean }): AsyncGenerator<T> {
  for await (const page of pages) {
    if (socket.destroyed) return;
    yield page;
    await between();
  }
}

/**
 * The pace of a whole-workspace read gathered before its first byte (Razuna's record sets): between two pages,
 * the heap budget and a turn for other requests; false once the client has gone, so the read stops.
 */
export const pacedBy =
  (socket: { destroyed: boolean }) =>
  async (): Promise<boolean> => {
    if (socket.destroyed) return false;
    await between();
    return !socket.destroyed;
  };

/** Small pieces gathered into chunks of at least `min` characters (fewer, larger writes to the socket). */
export function* gathered(pieces: Iterable<string>, min = 64 * 1024): Generator<string> {
  let out = '';
  for (const piece of pieces) {
    out += piece;
    if (out.length >= min) {
      yield out;
      out = '';
    }
  }
  if (out !== '') yield out;
}

/**
 * Sends a streamed answer of `type` and resolves with the reply (what an async handler returns after
 * sending); typed `never` because the route's response schema types the whole body, not a stream.
 */
export async function sendStreamed(reply: { type(t: string): { send(p: unknown): unknown } }, type: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<never> {
  const stream = await streamOf(chunks);
  return reply.type(type).send(stream) as never;
}
