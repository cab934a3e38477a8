// Whole answers that hold the workspace until written (Jotform's tree, Razuna's record sets; src/http/heavy.ts):
// a big tenant has at most HELD_MAX of them in memory at once, whatever its clients' speed; the next waits for one
// to be written, holding no slot, so paged lists and other routes still get through; a client that takes nothing
// for the stall limit is cut off and frees its place.
import { request, type IncomingMessage } from 'node:http';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { BIG_ANSWER_BYTES, HELD_MAX, registerHeavyReads } from '../src/http/heavy.js';
import { sendStreamed } from '../src/http/streamed.js';

/** An answer of `mb` MB in 64 KB chunks, made as the client takes it. */
function* chunks(mb: number): Generator<string> {
  const chunk = 'x'.repeat(64 * 1024);
  for (let i = 0; i < mb * 16; i++) yield chunk;
}

async function heldApp(options?: { stallMs: number }) {
  const app = Fastify();
  registerHeavyReads(app, undefined, undefined, options);
  const state = { holding: 0, peak: 0, started: 0 };
  // Like the tree: the answer exists (held) from when its handler runs until the response has closed.
  app.get('/held', { config: { heavy: 'holds' } }, async (req, reply) => {
    state.started++;
    state.peak = Math.max(state.peak, ++state.holding);
    reply.raw.once('close', () => state.holding--);
    return sendStreamed(reply, 'text/plain', chunks(Number((req.query as { mb?: string }).mb ?? 32)));
  });
  app.get('/paged', { config: { heavy: true } }, async () => ({ ok: true }));
  app.get('/light', async () => ({ ok: true }));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, state, port: Number(new URL(base).port) };
}

/** A GET whose body is not read until `resume()` (unless `read`); `done` resolves with the bytes read (or on a cut connection). */
function slowGet(port: number, path: string, read = false) {
  let res: IncomingMessage | undefined;
  let bytes = 0;
  let req: ReturnType<typeof request> | undefined;
  const done = new Promise<{ bytes: number; complete: boolean }>((resolve) => {
    req = request({ port, host: '127.0.0.1', path }, (r) => {
      res = r;
      if (!read) r.pause();
      r.on('data', (c: Buffer) => (bytes += c.length));
      r.on('end', () => resolve({ bytes, complete: r.complete }));
      r.on('close', () => resolve({ bytes, complete: r.complete }));
    });
    req.on('error', () => resolve({ bytes, complete: false }));
    req.end();
  });
  return { done, resume: () => ((read = true), res?.resume()), abort: () => req!.destroy() };
}

const until = async (cond: () => boolean) => {
  await expect.poll(cond, { timeout: 20_000 }).toBe(true);
};

describe('whole answers held in memory', () => {
  it(`a big tenant's: at most ${HELD_MAX} at once with slow clients; paged lists and other routes do not wait for them`, async () => {
    const { app, state, port } = await heldApp();
    // One whole answer read to its end makes the tenant big.
    await slowGet(port, `/held?mb=${BIG_ANSWER_BYTES / 2 ** 20 + 1}`, true).done;
    state.peak = 0;
    state.started = 0;

    const slow = Array.from({ length: HELD_MAX + 2 }, () => slowGet(port, '/held'));
    await until(() => state.holding === HELD_MAX);
    // The others wait for a place; meanwhile a paged list and a light route are answered.
    expect((await fetch(`http://127.0.0.1:${port}/paged`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/light`)).status).toBe(200);
    expect(state.started).toBe(HELD_MAX);
    // Each client that reads its answer to the end lets one more start.
    for (const s of slow) s.resume();
    const done = await Promise.all(slow.map((s) => s.done));
    expect(done.every((d) => d.complete && d.bytes === 32 * 2 ** 20)).toBe(true);
    expect(state.started).toBe(HELD_MAX + 2);
    expect(state.peak).toBe(HELD_MAX);
    await app.close();
  }, 60_000);

  it('a client that takes nothing for the stall limit is cut off, and its place freed', async () => {
    const { app, state, port } = await heldApp({ stallMs: 200 });
    await slowGet(port, `/held?mb=${BIG_ANSWER_BYTES / 2 ** 20 + 1}`, true).done;
    // Two clients that never read take both places; a third answer can start only once the server has cut one off
    // (the stalled clients themselves see the end only after the data they left unread).
    state.started = 0;
    const stalled = Array.from({ length: HELD_MAX }, () => slowGet(port, '/held'));
    await until(() => state.started === HELD_MAX);
    expect(await slowGet(port, '/held?mb=1', true).done).toEqual({ bytes: 2 ** 20, complete: true });
    await until(() => state.holding === 0);
    for (const s of stalled) s.abort();
    await app.close();
  }, 60_000);
});
