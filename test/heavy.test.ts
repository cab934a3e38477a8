// The heavy-read limit: whole-workspace reads run at most HEAVY_CONCURRENCY at a time, release their slot when
// the answer is serialized (also on errors and aborted requests), and other routes never wait for them.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Fastify, { type FastifyReply } from 'fastify';
import { describe, expect, it } from 'vitest';
import { sendStreamed } from '../src/http/streamed.js';
import { BIG_ANSWER_BYTES, HEAVY_CONCURRENCY, PER_TENANT, registerHeavyReads } from '../src/http/heavy.js';

async function appWithProbe() {
  const app = Fastify();
  registerHeavyReads(app);
  let running = 0;
  let peak = 0;
  const probe = async (ms: number) => {
    peak = Math.max(peak, ++running);
    await new Promise((r) => setTimeout(r, ms));
    running--;
  };
  app.get('/tree', { config: { heavy: true } }, async () => (await probe(20), { ok: true }));
  app.get('/fails', { config: { heavy: true } }, async () => {
    await probe(5);
    throw new Error('boom');
  });
  app.get('/manual', async (req) => (await app.heavy(req), await app.heavy(req), await probe(20), { ok: true }));
  app.get('/light', async () => ({ running }));
  await app.ready();
  return { app, peak: () => peak };
}

describe('heavy reads', () => {
  it(`run at most ${HEAVY_CONCURRENCY} at once, all complete, and light routes do not queue behind them`, async () => {
    const { app, peak } = await appWithProbe();
    const heavy = Array.from({ length: 8 }, (_, i) => app.inject(i % 2 ? '/tree' : '/manual'));
    const light = await app.inject('/light');
    expect(light.json().running).toBeLessThanOrEqual(HEAVY_CONCURRENCY); // answered while heavy ones wait
    const done = await Promise.all(heavy);
    expect(done.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
    expect(peak()).toBe(HEAVY_CONCURRENCY);
    await app.close();
  });

  it('are not kept alive once answered: the slot held until HOLD_MS holds nothing of the request or its answer', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const app = Fastify();
    registerHeavyReads(app);
    const answered: WeakRef<object>[] = [];
    app.get('/tree', { config: { heavy: true } }, async (req) => {
      const answer = { labels: Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `label ${i}` })) };
      answered.push(new WeakRef(req), new WeakRef(answer));
      return answer;
    });
    await app.ready();
    for (let i = 0; i < 5; i++) expect((await app.inject('/tree')).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 10)); // well within HOLD_MS: the slots' timers are still pending
    gc();
    expect(answered.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    await app.close();
  });

  it('release their slot when the handler fails', async () => {
    const { app } = await appWithProbe();
    const failed = await Promise.all(Array.from({ length: HEAVY_CONCURRENCY * 2 }, () => app.inject('/fails')));
    expect(failed.every((r) => r.statusCode === 500)).toBe(true);
    const after = await Promise.race([app.inject('/tree'), new Promise((r) => setTimeout(() => r('stuck'), 2000))]);
    expect(after).not.toBe('stuck');
    await app.close();
  });
});

describe('heavy reads of a big workspace', () => {
  it.each(['whole', 'streamed'])('run alone once one of its answers (%s) was BIG_ANSWER_BYTES or more; small ones still share the slots', async (form) => {
    const app = Fastify();
    registerHeavyReads(app);
    let running = 0;
    let peak = 0;
    const answer = async (bytes: number) => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return 'x'.repeat(bytes);
    };
    // A streamed answer (src/http/streamed.ts) is weighed by what it wrote, in chunks of at most 1 MB.
    const send = async (reply: FastifyReply, bytes: number) =>
      form === 'whole' ? answer(bytes) : sendStreamed(reply, 'text/plain', (await answer(bytes)).match(/[^]{1,1048576}/g) ?? []);
    app.get('/big', { config: { heavy: true } }, async (_req, reply) => send(reply, BIG_ANSWER_BYTES));
    app.get('/small', { config: { heavy: true } }, async (_req, reply) => send(reply, 10));
    await app.ready();

    // Before any answer, a big workspace is not known: two run together (one tenant's share of the slots).
    await Promise.all([app.inject('/big'), app.inject('/big')]);
    expect(peak).toBe(PER_TENANT);
    peak = 0;
    const bigs = await Promise.all(Array.from({ length: 4 }, () => app.inject('/big')));
    expect(bigs.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(peak).toBe(1);
    peak = 0;
    await Promise.all(Array.from({ length: 4 }, () => app.inject('/small')));
    expect(peak).toBe(PER_TENANT);
    await app.close();
  });
});

describe('heavy reads whose client has gone', () => {
  it('are dropped when their turn comes: the handler never runs', async () => {
    const app = Fastify();
    registerHeavyReads(app);
    let ran = 0;
    app.get('/tree', { config: { heavy: true } }, async (req) => {
      ran++;
      await new Promise((r) => setTimeout(r, (req.query as { ms?: string }).ms ? Number((req.query as { ms: string }).ms) : 0));
      return { ok: true };
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    // Fill every slot, then queue one more whose client gives up while it waits.
    const holding = Array.from({ length: HEAVY_CONCURRENCY }, () => fetch(`${base}/tree?ms=300`));
    await new Promise((r) => setTimeout(r, 50));
    const quitter = new AbortController();
    const abandoned = fetch(`${base}/tree`, { signal: quitter.signal }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 50));
    quitter.abort();
    expect(await abandoned).toBe('aborted');
    expect((await Promise.all(holding)).map((r) => r.status)).toEqual(Array(HEAVY_CONCURRENCY).fill(200));
    expect((await fetch(`${base}/tree`)).status).toBe(200);
    expect(ran).toBe(HEAVY_CONCURRENCY + 1); // the abandoned one never ran
    await app.close();
  });
});
