// Crash safety of the real server process: concurrent writes through every dialect, SIGKILL at a random
// moment, restart on the same file, repeated. After every kill the database file must hold every write that
// was acknowledged with a 2xx, intact; nothing that was not asked for; no half-written change (a label
// without its creation event, an assignment without its label or event); and pass PRAGMA integrity_check.
//
// Each worker owns the labels it creates and changes them one request at a time, so the expected state of
// every label is known exactly, except for the one request per worker that was in flight at the kill: that
// one may or may not have happened, but if it did, it happened whole. After each restart the model takes in
// what the in-flight requests actually did, and the next cycle starts from an exact model again.
//
// CI: 10 cycles (each a server start, 0.3–1.2 s of load, a kill, a check). LABELMUX_SOAK=1 runs 100
// (LABELMUX_SOAK_CYCLES=<n> to choose), with longer load windows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { call, kill, provision, type Reply, type Server, sleep, startServer } from './process-helper.js';

const SOAK = process.env.LABELMUX_SOAK === '1';
const CYCLES = SOAK ? Number(process.env.LABELMUX_SOAK_CYCLES ?? 100) : 10;
const WORKERS = 6;
const LOAD_MS: [number, number] = SOAK ? [300, 4000] : [300, 1200];
const SEED = Number(process.env.LABELMUX_SEED ?? 20261122);
const ITEMS = 8;
/** devtodev's daily creation limits are not what this test is about. */
const ENV = { LABELMUX_DEVTODEV_TOKEN_DAILY_LIMIT: '10000000', LABELMUX_DEVTODEV_APP_DAILY_LIMIT: '10000000' }; // library items 1..8 registered up front

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with LABELMUX_SEED. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Via = 'livestorm' | 'jotform' | 'razuna' | 'devtodev' | 'limbo';
interface LabelModel {
  id: number;
  name: string;
  /** Expected colour; undefined when the creating dialect sets none and nothing changed it. */
  color?: string;
  deleted: boolean;
  /** Library item ids (livestorm) and form ids (jotform) acknowledged as assigned. */
  items: Set<string>;
  forms: Set<string>;
}
type Pending =
  | { kind: 'create'; name: string; color?: string; via: Via }
  | { kind: 'update'; id: number; color: string }
  | { kind: 'delete'; id: number }
  | { kind: 'assign-item'; id: number; item: string }
  | { kind: 'assign-form'; id: number; form: string };

interface Tenant {
  workspaceId: number;
  uuid: string;
  key: string;
}

const stats = { acked: 0, refusedByCrash: 0, inFlightApplied: 0, inFlightLost: 0, cycles: 0, byVia: {} as Record<string, number> };

class Worker {
  readonly labels = new Map<number, LabelModel>();
  pending: Pending | null = null;
  private seq = 0;
  constructor(
    readonly n: number,
    private readonly random: () => number,
  ) {}

  private live() {
    return [...this.labels.values()].filter((l) => !l.deleted);
  }

  /** One request; resolves when it was answered (acknowledged or refused), throws when the connection died. */
  async step(port: number, t: Tenant, vias: Via[]): Promise<void> {
    const live = this.live();
    const r = this.random();
    const pick = () => live[Math.floor(this.random() * live.length)]!;
    if (live.length < 3 || r < 0.45) return this.create(port, t, vias[Math.floor(this.random() * vias.length)]!);
    if (r < 0.6) return this.update(port, t, pick());
    if (r < 0.75) return this.assignItem(port, t, pick());
    if (r < 0.85) return this.assignForm(port, t, pick());
    return this.remove(port, t, pick());
  }

  private ack(reply: Reply, ok: boolean, what: string) {
    expect(reply.status, `${what}: no 5xx while the server runs (${JSON.stringify(reply.json)})`).toBeLessThan(500);
    expect(ok, `${what} was refused: ${reply.status} ${JSON.stringify(reply.json)}`).toBe(true);
    stats.acked++;
    this.pending = null;
  }

  private async create(port: number, t: Tenant, via: Via) {
    const name = `w${this.n}-${++this.seq}-${via}`;
    const color = via === 'livestorm' || via === 'jotform' ? `#${Math.floor(this.random() * 0xffffff).toString(16).padStart(6, '0')}` : undefined;
    this.pending = { kind: 'create', name, ...(color !== undefined && { color }), via };
    let id: number;
    if (via === 'livestorm') {
      const res = await call(port, 'POST', `/api/workspaces/${t.workspaceId}/labels`, { headers: { authorization: `Bearer lnx_${t.key}` }, body: { name, color } });
      this.ack(res, res.status === 201, 'livestorm create');
      id = res.json.label.id;
    } else if (via === 'jotform') {
      const res = await call(port, 'POST', '/API/label', { headers: { apikey: t.key }, body: { name, color } });
      this.ack(res, res.status === 200, 'jotform create');
      id = Number(res.json.content.id);
    } else if (via === 'razuna') {
      const res = await call(port, 'GET', `/global/api2/label.cfc?method=setlabel&api_key=${t.key}&label_text=${encodeURIComponent(name)}`);
      this.ack(res, res.status === 200 && res.json.responsecode === 0, 'razuna setlabel');
      id = Number(res.json.label_id);
    } else if (via === 'devtodev') {
      const body = { user_token: t.key, app_id: t.uuid, labels: [{ name, category: 'Crash tests', start_date: 1_795_000_000 + this.seq }] };
      const res = await call(port, 'POST', '/api/v1/labels/create', { body });
      this.ack(res, res.status === 200, 'devtodev create');
      id = res.json.data.labels[0].id;
    } else {
      const body = { data: { type: 'labels', attributes: { name }, relationships: { company: { data: { type: 'companies', id: String(t.workspaceId) } } } } };
      const headers = { authorization: `Bearer ${t.key}`, accept: 'application/vnd.api+json', 'content-type': 'application/vnd.api+json' };
      const res = await call(port, 'POST', '/api/v1/labels', { headers, body });
      this.ack(res, res.status === 201, 'limbo create');
      id = Number(res.json.data.id);
    }
    stats.byVia[via] = (stats.byVia[via] ?? 0) + 1;
    this.labels.set(id, { id, name, ...(color !== undefined && { color }), deleted: false, items: new Set(), forms: new Set() });
  }

  private async update(port: number, t: Tenant, l: LabelModel) {
    const color = `#${Math.floor(this.random() * 0xffffff).toString(16).padStart(6, '0')}`;
    this.pending = { kind: 'update', id: l.id, color };
    if (this.random() < 0.5) {
      const res = await call(port, 'PATCH', `/api/workspaces/${t.workspaceId}/labels/${l.id}`, { headers: { authorization: `Bearer lnx_${t.key}` }, body: { color } });
      this.ack(res, res.status === 200, 'livestorm update');
    } else {
      const res = await call(port, 'PUT', `/API/label/${l.id}`, { headers: { apikey: t.key }, body: { color } });
      this.ack(res, res.status === 200, 'jotform update');
    }
    l.color = color;
  }

  private async assignItem(port: number, t: Tenant, l: LabelModel) {
    const item = String(1 + Math.floor(this.random() * ITEMS));
    this.pending = { kind: 'assign-item', id: l.id, item };
    const res = await call(port, 'POST', `/api/workspaces/${t.workspaceId}/library/${item}/labels`, { headers: { authorization: `Bearer lnx_${t.key}` }, body: { label_id: l.id } });
    this.ack(res, res.status === 200, 'livestorm assign');
    l.items.add(item);
  }

  private async assignForm(port: number, t: Tenant, l: LabelModel) {
    const form = `2300000000${Math.floor(this.random() * 50)}`;
    this.pending = { kind: 'assign-form', id: l.id, form };
    const res = await call(port, 'PUT', `/API/label/${l.id}/add-resources`, { headers: { apikey: t.key }, body: { resources: [{ id: form, type: 'form' }] } });
    this.ack(res, res.status === 200, 'jotform add-resources');
    l.forms.add(form);
  }

  private async remove(port: number, t: Tenant, l: LabelModel) {
    this.pending = { kind: 'delete', id: l.id };
    const r = this.random();
    if (r < 0.4) {
      const res = await call(port, 'DELETE', `/api/workspaces/${t.workspaceId}/labels/${l.id}`, { headers: { authorization: `Bearer lnx_${t.key}` } });
      this.ack(res, res.status === 200, 'livestorm delete');
    } else if (r < 0.7) {
      const res = await call(port, 'DELETE', `/API/label/${l.id}`, { headers: { apikey: t.key } });
      this.ack(res, res.status === 200, 'jotform delete');
    } else {
      const res = await call(port, 'GET', `/global/api2/label.cfc?method=remove&api_key=${t.key}&label_id=${l.id}`);
      this.ack(res, res.status === 200 && res.json.responsecode === 0, 'razuna remove');
    }
    l.deleted = true;
  }
}

interface Row {
  id: number;
  name: string;
  color: string | null;
}

/** Reads the killed server's file as it was left (read-only: the WAL is left for the next start to recover). */
function inspect(dbPath: string, workspaceId: number) {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const foreignKeys = db.pragma('foreign_key_check') as unknown[];
    const labels = new Map((db.prepare('SELECT id, name, color FROM labels WHERE workspace_id = ?').all(workspaceId) as Row[]).map((r) => [r.id, r]));
    const assigned = db
      .prepare('SELECT a.label_id AS label, r.type, r.external_id AS ext FROM assignments a JOIN resources r ON r.id = a.resource_id WHERE r.workspace_id = ?')
      .all(workspaceId) as { label: number; type: string; ext: string }[];
    const halfWrites = {
      labelsWithoutCreationEvent: db
        .prepare(`SELECT l.id FROM labels l WHERE (SELECT count(*) FROM events e WHERE e.label_id = l.id AND e.action = 'label.created') <> 1`)
        .all(),
      assignmentsWithoutLabel: db.prepare('SELECT a.label_id FROM assignments a LEFT JOIN labels l ON l.id = a.label_id WHERE l.id IS NULL').all(),
      assignmentsWithoutEvent: db
        .prepare(`SELECT a.label_id FROM assignments a WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.label_id = a.label_id AND e.action = 'label.assigned')`)
        .all(),
      deletedLabelsStillThere: db.prepare(`SELECT e.label_id FROM events e JOIN labels l ON l.id = e.label_id WHERE e.action = 'label.deleted'`).all(),
    };
    return { integrity, foreignKeys, labels, assigned, halfWrites };
  } finally {
    db.close();
  }
}

/** Checks the file against the workers' models, then folds what the in-flight requests did into them. */
function verifyAndReconcile(dbPath: string, t: Tenant, workers: Worker[]) {
  const db = inspect(dbPath, t.workspaceId);
  expect(db.integrity, 'PRAGMA integrity_check').toBe('ok');
  expect(db.foreignKeys, 'PRAGMA foreign_key_check').toEqual([]);
  expect(db.halfWrites).toEqual({ labelsWithoutCreationEvent: [], assignmentsWithoutLabel: [], assignmentsWithoutEvent: [], deletedLabelsStillThere: [] });
  const has = (label: number, type: string, ext: string) => db.assigned.some((a) => a.label === label && a.type === type && a.ext === ext);
  const known = new Set<number>();
  for (const w of workers) {
    const p = w.pending;
    for (const l of w.labels.values()) {
      known.add(l.id);
      const row = db.labels.get(l.id);
      const inFlight = p !== null && 'id' in p && p.id === l.id ? p : null;
      if (l.deleted) {
        expect(row, `label ${l.id} (${l.name}) was deleted with a 2xx but is back`).toBeUndefined();
        continue;
      }
      if (!row) {
        expect(inFlight?.kind, `acknowledged label ${l.id} (${l.name}) is missing`).toBe('delete');
        l.deleted = true;
        stats.inFlightApplied++;
        continue;
      }
      expect(row.name).toBe(l.name);
      if (inFlight?.kind === 'update' && row.color === inFlight.color && l.color !== inFlight.color) {
        l.color = inFlight.color; // the in-flight update happened
        stats.inFlightApplied++;
      } else if (l.color !== undefined) {
        expect(row.color, `colour of label ${l.id}`).toBe(l.color);
      }
      for (const item of l.items) expect(has(l.id, 'library_item', item), `assignment of ${l.id} to item ${item}`).toBe(true);
      for (const form of l.forms) expect(has(l.id, 'form', form), `assignment of ${l.id} to form ${form}`).toBe(true);
      if (inFlight?.kind === 'assign-item' && has(l.id, 'library_item', inFlight.item)) l.items.add(inFlight.item);
      if (inFlight?.kind === 'assign-form' && has(l.id, 'form', inFlight.form)) l.forms.add(inFlight.form);
      if (inFlight?.kind === 'delete') stats.inFlightLost++;
    }
    if (p?.kind === 'create') {
      const row = [...db.labels.values()].find((r) => r.name === p.name);
      if (row) {
        if (p.color !== undefined) expect(row.color).toBe(p.color);
        w.labels.set(row.id, { id: row.id, name: row.name, ...(p.color !== undefined && { color: p.color }), deleted: false, items: new Set(), forms: new Set() });
        known.add(row.id);
        stats.inFlightApplied++;
      } else stats.inFlightLost++;
    }
    w.pending = null;
  }
  // Nothing that nobody asked for: every label is a worker's (acknowledged or in flight) or devtodev's category.
  const strangers = [...db.labels.values()].filter((r) => !known.has(r.id) && r.name !== 'Crash tests');
  expect(strangers).toEqual([]);
}

describe('crash safety: SIGKILL during concurrent writes through every dialect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'labelmux-crash-'));
  let server: Server | undefined;
  afterAll(async () => {
    await kill(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it(`loses no acknowledged write and leaves no half-write over ${CYCLES} kill/restart cycles`, async () => {
    const dbPath = join(dir, 'labelmux.db');
    const random = prng(SEED);
    server = await startServer(dbPath, ENV);
    const t = await provision(server.port, 'Crash tests');
    const items = Array.from({ length: ITEMS }, (_, i) => ({ type: 'library_item', id: String(i + 1), name: `Item ${i + 1}` }));
    const put = await call(server.port, 'PUT', `/_admin/workspaces/${t.workspaceId}/resources`, { headers: { authorization: 'Bearer reliability-admin-token-0123456789' }, body: { resources: items } });
    expect(put.status).toBe(200);
    // limbo joins when its routes are there (the registry decides; the probe asks the running server).
    const probe = await call(server.port, 'GET', '/api/v1/companies', { headers: { authorization: `Bearer ${t.key}`, accept: 'application/vnd.api+json' } });
    const vias: Via[] = ['livestorm', 'jotform', 'razuna', 'devtodev', ...(probe.status === 200 ? (['limbo'] as const) : [])];

    const workers = Array.from({ length: WORKERS }, (_, i) => new Worker(i, prng(SEED + i + 1)));
    const started = Date.now();
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      if (cycle > 1) server = await startServer(dbPath, ENV);
      const port = server.port;
      let stop = false;
      let failure: unknown;
      const loops = workers.map(async (w) => {
        while (!stop) {
          try {
            await w.step(port, t, vias);
          } catch (e) {
            if (e instanceof Error && /ECONNRESET|ECONNREFUSED|socket hang up|cut short|EPIPE/.test(`${e.message} ${(e as NodeJS.ErrnoException).code ?? ''}`)) {
              stats.refusedByCrash++;
              return; // the server is gone: this worker's in-flight request stays pending
            }
            failure ??= e; // an assertion failed while the server was up: stop this worker, report after the kill
            return;
          }
        }
      });
      await sleep(LOAD_MS[0] + random() * (LOAD_MS[1] - LOAD_MS[0]));
      server.child.kill('SIGKILL');
      expect(await server.exited(10_000)).toEqual({ code: null, signal: 'SIGKILL' });
      stop = true;
      await Promise.all(loops);
      if (failure) throw failure;
      verifyAndReconcile(dbPath, t, workers);
      stats.cycles++;
    }
    // The last restart must serve what the file holds: one label read back through the API.
    server = await startServer(dbPath, ENV);
    const list = await call(server.port, 'GET', `/api/workspaces/${t.workspaceId}/labels`, { headers: { authorization: `Bearer lnx_${t.key}` } });
    const live = workers.flatMap((w) => [...w.labels.values()].filter((l) => !l.deleted).map((l) => l.id));
    expect(list.status).toBe(200);
    expect(list.json.labels.map((l: { id: number }) => l.id)).toEqual(expect.arrayContaining(live));
    await kill(server);
    console.info(`crash safety: ${JSON.stringify({ ...stats, vias, seconds: Math.round((Date.now() - started) / 1000) })}`);
    expect(stats.acked).toBeGreaterThan(CYCLES * 10);
  }, SOAK ? 3_600_000 : 240_000);
});
