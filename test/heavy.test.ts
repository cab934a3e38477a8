// The heavy-read limit: whole-workspace reads run at most HEAVY_CONCURRENCY at a time, release their slot when
// the answer is serialized (also on errors and aborted requests), and other routes never wait for them.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { HEAVY_CONCURRENCY, registerHeavyReads } from '../src/http/heavy.js';

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

  it('release their slot when the handler fails', async () => {
    const { app } = await appWithProbe();
    const failed = await Promise.all(Array.from({ length: HEAVY_CONCURRENCY * 2 }, () => app.inject('/fails')));
    expect(failed.every((r) => r.statusCode === 500)).toBe(true);
    const after = await Promise.race([app.inject('/tree'), new Promise((r) => setTimeout(() => r('stuck'), 2000))]);
    expect(after).not.toBe('stuck');
    await app.close();
  });
});
