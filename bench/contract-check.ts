// `npx tsx bench/contract-check.ts [level, e.g. 1]`: every read workload sent once to labelmux and once (its baseline
// request) to the contract baseline, each on its own copy of a grown database (BENCH_LEVELS' first, 1k by default),
// and the two answers compared: the JSON with the volatile fields left out (Jotform's `duration` and `limit-left`)
// and the server's address read as one, then the bytes. The contract baseline is meant to answer with the same data
// in the same envelope (bench/baseline-answers.ts); this prints each workload's sizes and the first difference.
import { isDeepStrictEqual } from 'node:util';
import { copyOf, grownLevels } from './grown.js';
import { ADMIN_TOKEN, startBaseline, startLabelmux, stop, waitReady } from './harness.js';
import type { Req } from './workloads.js';
import { grownTarget, workloads } from './workloads.js';

const level = Number(process.argv[2] ?? 1) * 1000;
const PORT = Number(process.env.BENCH_PORT ?? 18_650);

/** The first path at which two JSON values differ, or null. */
function firstDifference(a: unknown, b: unknown, at = '$'): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b))
    return `${at}: ${JSON.stringify(a)?.slice(0, 120)} ≠ ${JSON.stringify(b)?.slice(0, 120)}`;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (!Array.isArray(a) && ka.join() !== kb.join()) return `${at}: keys [${ka.join()}] ≠ [${kb.join()}]`;
  if (Array.isArray(a) && a.length !== (b as unknown[]).length) return `${at}: length ${a.length} ≠ ${(b as unknown[]).length}`;
  for (const k of ka) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    if (d) return d;
  }
  return null;
}

async function main(): Promise<void> {
  const found = (await grownLevels()).find((l) => l.level === level);
  if (!found) throw new Error(`no grown level ${level}`);
  const labelmux = startLabelmux(copyOf(found.db, 'check-labelmux'), PORT);
  const contract = await startBaseline(copyOf(found.db, 'check-contract'), PORT + 1, 'contract');
  await waitReady(`http://127.0.0.1:${PORT}/readyz`, 60_000);
  const send = async (port: number, r: Req) => {
    const res = await fetch(`http://127.0.0.1:${port}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
    const text = (await res.text()).replaceAll(`127.0.0.1:${port}`, 'HOST');
    return { status: res.status, type: res.headers.get('content-type'), text };
  };
  const volatile = (text: string) => {
    const j = JSON.parse(text) as Record<string, unknown>;
    delete j.duration;
    delete j['limit-left'];
    return j;
  };
  let differ = 0;
  try {
    for (const w of workloads(grownTarget(found.info, ADMIN_TOKEN))) {
      if (w.kind !== 'read') continue;
      const [a, b] = [await send(PORT, w.labelmux(0)), await send(PORT + 1, w.baseline(0))];
      const d = a.status !== b.status ? `status ${a.status} ≠ ${b.status}` : a.type !== b.type ? `type ${a.type} ≠ ${b.type}` : firstDifference(volatile(a.text), volatile(b.text));
      if (d) differ++;
      process.stdout.write(`${w.dialect} ${w.name}: ${a.text.length} / ${b.text.length} B${d ? `\n  ${d}` : a.text === b.text ? ', same bytes' : ', same JSON'}\n`);
    }
  } finally {
    await stop(labelmux);
    await stop(contract);
  }
  process.stdout.write(`${differ} of the read workloads differ\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
