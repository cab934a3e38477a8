// The baselines' reads, one route per benchmark read: the bare baseline answers each with the rows of its main
// query (as it always has); the contract baseline answers with what the dialect's answer holds — the same fields,
// the related rows (a label's owner or path, each item's labels, the company), the page's total — in the dialect's
// envelope, built as plain objects and serialized by Fastify's default JSON.stringify. Each query is a plain prepared
// statement on the database as labelmux migrates it, so a total is read where that schema keeps it. bench/contract-check.ts
// compares these answers with labelmux's.
import type Database from 'better-sqlite3';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type Row = Record<string, unknown> & { id: number };

const seconds = (ms: unknown) => Math.floor(Number(ms) / 1000);
/** Jotform's "2024-01-01 00:00:03" (UTC). */
const jotDate = (ms: unknown) => new Date(Number(ms)).toISOString().slice(0, 19).replace('T', ' ');
/** limbo's "2024-01-01T00:00:03.000000Z". */
const isoMicro = (ms: unknown) => `${new Date(Number(ms)).toISOString().slice(0, 23)}000Z`;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** Razuna's "January, 1 2024 00:00:12" (UTC). */
const rzDate = (ms: unknown) => {
  const d = new Date(Number(ms));
  return `${MONTHS[d.getUTCMonth()]}, ${d.getUTCDate()} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)}`;
};
const attrs = (r: Row): Record<string, unknown> => JSON.parse(String(r.attributes ?? '{}')) as Record<string, unknown>;
const num = (v: unknown) => Number(v);
const PAGE = 20;

export function dialectRoutes(app: FastifyInstance, db: Database.Database, contract: boolean): void {
  const RESOURCE = 'r.id, r.workspace_id, r.type, r.external_id, r.name, r.status, r.attributes, r.created_at, r.updated_at';
  const q = {
    labelsWithCreator: db.prepare(
      'SELECT l.id, l.name, l.color, u.name AS created_by_name, l.created_at FROM labels l LEFT JOIN users u ON u.id = l.created_by WHERE l.workspace_id = ? ORDER BY l.created_at, l.id',
    ),
    labelsPlain: db.prepare('SELECT id, name, color, created_at FROM labels WHERE workspace_id = ? ORDER BY created_at, id'),
    jotLabel: db.prepare(
      `SELECT l.id, l.parent_id, l.name, l.color, l.created_at, l.updated_at, u.email AS owner, w.uuid
       FROM labels l JOIN workspaces w ON w.id = l.workspace_id LEFT JOIN users u ON u.id = l.created_by WHERE l.id = ?`,
    ),
    label: db.prepare('SELECT id, parent_id, name, color, created_at, updated_at FROM labels WHERE id = ?'),
    workspace: db.prepare('SELECT id, uuid, name, created_at FROM workspaces WHERE id = ?'),
    treeRows: db.prepare(
      'SELECT l.id, l.parent_id, l.name, l.color, l.created_at, l.updated_at, u.email AS owner FROM labels l LEFT JOIN users u ON u.id = l.created_by WHERE l.workspace_id = ? ORDER BY l.name_key, l.id',
    ),
    pathRows: db.prepare('SELECT id, parent_id, name, name_key FROM labels WHERE workspace_id = ?'),
    path: db.prepare(
      `WITH RECURSIVE up(id, parent_id, name, depth) AS (SELECT id, parent_id, name, 0 FROM labels WHERE id = ?
       UNION ALL SELECT l.id, l.parent_id, l.name, up.depth + 1 FROM labels l JOIN up ON l.id = up.parent_id)
       SELECT name FROM up ORDER BY depth DESC`,
    ),
    timed: db.prepare(
      'SELECT l.id, l.name, l.description, p.name AS category, l.starts_at, l.ends_at FROM labels l LEFT JOIN labels p ON p.id = l.parent_id WHERE l.id = ?',
    ),
    span: db.prepare(
      `SELECT l.id, l.name, l.description, p.name AS category, l.starts_at, l.ends_at FROM labels l LEFT JOIN labels p ON p.id = l.parent_id
       WHERE l.workspace_id = ? AND l.starts_at >= ? AND l.starts_at <= ? ORDER BY l.starts_at, l.id`,
    ),
    categories: db.prepare('SELECT name FROM labels WHERE workspace_id = ? AND is_category = 1 ORDER BY name, id'),
    limboLabel: db.prepare('SELECT id, workspace_id, name, description, extras, created_at, updated_at FROM labels WHERE id = ?'),
    limboPage: db.prepare('SELECT id, workspace_id, name, description, extras, created_at, updated_at FROM labels WHERE workspace_id = ? ORDER BY id LIMIT ?'),
    labelsTotal: db.prepare('SELECT sum(count) AS n FROM label_counts WHERE workspace_id = ?'),
    company: db.prepare('SELECT id, name FROM workspaces WHERE id = ?'),
    /** A label's resources of one type, 20 in creation order (the dialects' label pages). */
    labelTyped: db.prepare(
      `SELECT ${RESOURCE} FROM resources r WHERE r.id IN (SELECT a.resource_id FROM assignments a WHERE a.label_id = ? AND a.resource_type = ?) ORDER BY r.created_at, r.id LIMIT ${PAGE}`,
    ),
    labelTypedById: db.prepare(
      `SELECT ${RESOURCE} FROM resources r WHERE r.id IN (SELECT a.resource_id FROM assignments a WHERE a.label_id = ? AND a.resource_type = ?) ORDER BY r.external_id, r.id LIMIT ${PAGE}`,
    ),
    labelAll: db.prepare(`SELECT ${RESOURCE} FROM resources r WHERE r.id IN (SELECT a.resource_id FROM assignments a WHERE a.label_id = ?) ORDER BY r.created_at, r.id LIMIT ${PAGE}`),
    labelAssets: db.prepare(
      `SELECT ${RESOURCE} FROM resources r WHERE r.id IN (SELECT a.resource_id FROM assignments a WHERE a.label_id = ? AND a.resource_type IN ('img', 'vid', 'aud', 'doc')) ORDER BY r.external_id, r.id`,
    ),
    labelTypeTotal: db.prepare('SELECT sum(count) AS n FROM assignment_counts WHERE label_id = ? AND resource_type = ?'),
    typedById: db.prepare(`SELECT ${RESOURCE} FROM resources r WHERE r.workspace_id = ? AND r.type = ? ORDER BY r.external_id, r.id LIMIT ${PAGE}`),
    typedByName: db.prepare(`SELECT ${RESOURCE} FROM resources r WHERE r.workspace_id = ? AND r.type = ? ORDER BY r.name COLLATE NOCASE, r.id LIMIT ${PAGE}`),
    typeTotal: db.prepare('SELECT sum(count) AS n FROM resource_counts WHERE workspace_id = ? AND type = ?'),
    labelsOf: (n: number) =>
      db.prepare(
        `SELECT a.resource_id, l.id, l.name, l.color FROM assignments a JOIN labels l ON l.id = a.label_id WHERE a.resource_id IN (${Array(n).fill('?').join(',')}) ORDER BY a.created_at, a.label_id`,
      ),
    byNameOfUser: db.prepare(
      'SELECT id, workspace_id, name, description, extras, created_at, updated_at FROM labels WHERE workspace_id IN (SELECT workspace_id FROM memberships WHERE user_id = ?) ORDER BY name_key, id LIMIT 20',
    ),
    totalOfUser: db.prepare('SELECT sum(c.count) AS n FROM label_counts c WHERE c.workspace_id IN (SELECT workspace_id FROM memberships WHERE user_id = ?)'),
  };
  const labelsOf = new Map<number, Database.Statement>();
  /** Each resource's labels, in the order they were assigned. */
  const itemLabels = (rows: Row[]) => {
    const out = new Map<number, { id: number; name: string; color: string | null }[]>(rows.map((r) => [r.id, []]));
    if (rows.length === 0) return out;
    let st = labelsOf.get(rows.length);
    if (!st) labelsOf.set(rows.length, (st = q.labelsOf(rows.length)));
    for (const l of st.all(...rows.map((r) => r.id)) as { resource_id: number; id: number; name: string; color: string | null }[])
      out.get(l.resource_id)!.push({ id: l.id, name: l.name, color: l.color });
    return out;
  };
  const total = (st: Database.Statement, ...params: unknown[]) => num((st.get(...params) as { n: number | null }).n ?? 0);

  const ws = (req: FastifyRequest) => Number((req.query as { ws: string }).ws);
  const id = (req: FastifyRequest) => Number((req.params as { id: string }).id);
  const jot = (content: unknown, resultSet?: object) => ({ responseCode: 200, message: 'success', content, duration: '0ms', ...(resultSet && { resultSet }), 'limit-left': 999999999 });
  const rz = (columns: string[], data: unknown[][]) => ({ COLUMNS: columns, DATA: data });
  const dtd = (data: object) => ({ status_code: 200, data: { status: 'complete', ...data } });
  /** A route: the bare baseline's answer (`bare`), or the contract's (`full`). */
  const route = (method: 'get' | 'post', path: string, bare: (req: FastifyRequest) => unknown, full: (req: FastifyRequest) => unknown, type?: string) =>
    app[method](path, {
      // The media type set once the answer is serialized, as labelmux's limbo sets it (set before, Fastify's
      // serializer would add a charset).
      ...(contract && type && { onSend: (_req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (e: null, p: unknown) => void) => (reply.header('content-type', type), done(null, payload)) }),
    }, async (req) => (contract ? full(req) : bare(req)));
  const JSONAPI = 'application/vnd.api+json';

  // Livestorm.
  const item = (r: Row, labels: unknown) => {
    const a = attrs(r);
    return {
      id: /^[1-9][0-9]{0,14}$/.test(String(r.external_id)) ? Number(r.external_id) : r.external_id, workspace_id: r.workspace_id, name: r.name, description: a.description ?? null, mime_type: a.mime_type ?? null, size: a.size ?? null,
      duration: a.duration ?? null, labels, created_at: seconds(r.created_at), updated_at: seconds(r.updated_at),
    };
  };
  const items = (rows: Row[], n: number) => {
    const labels = itemLabels(rows);
    return { items: rows.map((r) => item(r, labels.get(r.id))), total: n };
  };
  route('get', '/b/livestorm/labels', (req) => q.labelsPlain.all(ws(req)), (req) => ({
    labels: (q.labelsWithCreator.all(ws(req)) as Row[]).map((l) => ({ id: l.id, name: l.name, color: l.color, created_by_name: l.created_by_name, created_at: seconds(l.created_at) })),
  }));
  route('get', '/b/livestorm/labels/:id/items', (req) => q.labelTyped.all(id(req), 'library_item'), (req) =>
    items(q.labelTyped.all(id(req), 'library_item') as Row[], total(q.labelTypeTotal, id(req), 'library_item')));
  route('get', '/b/livestorm/library-by-name', (req) => q.typedByName.all(ws(req), 'library_item'), (req) =>
    items(q.typedByName.all(ws(req), 'library_item') as Row[], total(q.typeTotal, ws(req), 'library_item')));

  // Jotform.
  route('get', '/b/jotform/labels/:id', (req) => q.label.get(id(req)), (req) => {
    const l = q.jotLabel.get(id(req)) as Row;
    return jot({
      id: String(l.id), name: l.name, color: l.color, parent: l.parent_id === null ? String(l.uuid).replaceAll('-', '') : String(l.parent_id), owner: l.owner,
      created_at: jotDate(l.created_at), updated_at: jotDate(l.updated_at),
    });
  });
  route('get', '/b/jotform/labels/:id/resources', (req) => q.labelAll.all(id(req)), (req) => {
    const rows = q.labelAll.all(id(req)) as Row[];
    const content = rows.map((r) => ({
      ...attrs(r), id: r.external_id, type: r.type, title: r.name, status: r.status, created_at: jotDate(r.created_at), updated_at: jotDate(r.updated_at),
    }));
    return jot(content, { offset: 0, limit: PAGE, count: rows.length });
  });
  // The whole tree under the workspace's root, siblings by name (case-insensitive), then id.
  route('get', '/b/jotform/tree', (req) => q.labelsPlain.all(ws(req)), (req) => {
    const w = q.workspace.get(ws(req)) as Row;
    const rootId = String(w.uuid).replaceAll('-', '');
    const root = { id: rootId, name: w.name, color: null, parent: null, owner: null, created_at: jotDate(w.created_at), updated_at: jotDate(w.created_at), sublabels: [] as unknown[] };
    const rows = q.treeRows.all(ws(req)) as Row[];
    const nodes = new Map(rows.map((l) => [l.id, {
      id: String(l.id), name: l.name, color: l.color, parent: l.parent_id === null ? rootId : String(l.parent_id), owner: l.owner,
      created_at: jotDate(l.created_at), updated_at: jotDate(l.updated_at), sublabels: [] as unknown[],
    }]));
    for (const l of rows) (l.parent_id === null ? root : (nodes.get(l.parent_id as number) ?? root)).sublabels.push(nodes.get(l.id));
    return jot(root);
  });

  // Razuna.
  route('get', '/b/razuna/labels/:id', (req) => q.label.get(id(req)), (req) => {
    const l = q.label.get(id(req)) as Row;
    const path = (q.path.all(l.id) as { name: string }[]).map((p) => p.name).join('/');
    return rz(['label_id', 'label_text', 'label_path'], [[String(l.id), l.name, path]]);
  });
  // Every label with its path, in the order of the case-folded path, then the path, then the id.
  route('get', '/b/razuna/labels', (req) => q.labelsPlain.all(ws(req)), (req) => {
    const rows = q.pathRows.all(ws(req)) as Row[];
    const byId = new Map(rows.map((l) => [l.id, l]));
    const paths = new Map<number, [string, string]>();
    const pathOf = (l: Row): [string, string] => {
      let p = paths.get(l.id);
      if (p) return p;
      const up = l.parent_id === null ? undefined : byId.get(l.parent_id as number);
      const [key, path] = up ? pathOf(up) : ['', ''];
      p = up ? [`${key}/${String(l.name_key)}`, `${path}/${String(l.name)}`] : [String(l.name_key), String(l.name)];
      paths.set(l.id, p);
      return p;
    };
    const keyed = rows.map((l) => ({ l, p: pathOf(l) }));
    keyed.sort((a, b) => (a.p[0] < b.p[0] ? -1 : a.p[0] > b.p[0] ? 1 : a.p[1] < b.p[1] ? -1 : a.p[1] > b.p[1] ? 1 : a.l.id - b.l.id));
    return rz(['label_id', 'label_text', 'label_path'], keyed.map(({ l, p }) => [String(l.id), l.name, p[1]]));
  });
  const ASSET = ['id', 'filename', 'folder_id_r', 'ext', 'filename_org', 'kind', 'is_available', 'date_create', 'date_change', 'link_kind', 'link_path_url', 'path_to_asset', 'cloud_url'];
  const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  route('get', '/b/razuna/labels/:id/assets', (req) => q.labelAssets.all(id(req)), (req) =>
    rz(ASSET, (q.labelAssets.all(id(req)) as Row[]).map((r) => {
      const a = attrs(r);
      return [String(r.external_id), s(r.name), s(a.folder_id_r), s(a.ext), s(a.filename_org), r.type, s(a.is_available), rzDate(r.created_at), rzDate(r.updated_at),
        s(a.link_kind), s(a.link_path_url), s(a.path_to_asset), s(a.cloud_url)];
    })));

  // devtodev: every call a POST whose JSON body carries the filter.
  const timed = (l: Row) => ({ id: l.id, name: l.name, description: l.description, category: l.category ?? null, start_date: seconds(l.starts_at), end_date: seconds(l.ends_at) });
  type Filter = { filter?: { id?: { eq?: unknown }; start_date?: { gte?: number; lte?: number } } };
  const filter = (req: FastifyRequest) => (req.body as Filter | undefined)?.filter ?? {};
  route('post', '/b/devtodev/get', (req) => q.label.get(Number(filter(req).id?.eq)), (req) => {
    const l = q.timed.get(Number(filter(req).id?.eq)) as Row | undefined;
    return dtd({ labels: l ? [timed(l)] : [] });
  });
  const span = (req: FastifyRequest) => q.span.all(ws(req), Number(filter(req).start_date?.gte) * 1000, Number(filter(req).start_date?.lte) * 1000) as Row[];
  route('post', '/b/devtodev/span', span, (req) => dtd({ labels: span(req).map(timed) }));
  route('post', '/b/devtodev/categories', (req) => q.categories.all(ws(req)), (req) => dtd({ categories: (q.categories.all(ws(req)) as { name: string }[]).map((c) => c.name) }));

  // limbo (JSON:API): links on the address the client used.
  const base = (req: FastifyRequest) => `${req.protocol}://${req.host}/api/v1`;
  const usage = (extras: unknown) => {
    const u = (JSON.parse(String(extras ?? '{}')) as { usage?: Record<string, boolean> }).usage ?? {};
    return { download: u.download ?? true, copy_scan: u.copy_scan ?? true, on_demand_stream: u.on_demand_stream ?? true, non_interactive_stream: u.non_interactive_stream ?? true };
  };
  const limboLabel = (b: string, l: Row, company = false) => {
    const self = `${b}/labels/${l.id}`;
    return {
      type: 'labels', id: String(l.id),
      attributes: { name: l.name, usage: usage(l.extras), description: l.description === '' ? null : l.description, 'created-at': isoMicro(l.created_at), 'updated-at': isoMicro(l.updated_at) },
      relationships: {
        company: { links: { related: `${self}/company`, self: `${self}/relationships/company` }, ...(company && { data: { type: 'companies', id: String(l.workspace_id) } }) },
        products: { links: { related: `${self}/products`, self: `${self}/relationships/products` } },
      },
      links: { self },
    };
  };
  const product = (b: string, r: Row) => {
    const { name, ...rest } = attrs(r);
    void name;
    return {
      type: 'products', id: String(r.external_id),
      attributes: { name: r.name, status: r.status, 'created-at': isoMicro(r.created_at), 'updated-at': isoMicro(r.updated_at), ...rest },
      links: { self: `${b}/products/${r.external_id}` },
    };
  };
  /** The page's meta and links (page 1 of `size`), as limbo writes them. */
  const paged = (req: FastifyRequest, path: string, data: unknown[], n: number, extra: object = {}, query = '') => {
    const last = Math.max(1, Math.ceil(n / PAGE));
    const link = (p: number) => `${req.protocol}://${req.host}${path}?${query}page%5Bnumber%5D=${p}&page%5Bsize%5D=${PAGE}`;
    return {
      data, ...extra,
      meta: { page: { currentPage: 1, from: data.length ? 1 : null, lastPage: last, perPage: PAGE, to: data.length ? data.length : null, total: n } },
      jsonapi: { version: '1.0' },
      links: { first: link(1), last: link(last), ...(last > 1 && { next: link(2) }) },
    };
  };
  route('get', '/b/limbo/labels', (req) => q.limboPage.all(ws(req), PAGE), (req) => {
    const b = base(req);
    const company = req.url.includes('include=company');
    const rows = q.limboPage.all(ws(req), PAGE) as Row[];
    const included = company ? [(({ id: c, name }) => ({ type: 'companies', id: String(c), attributes: { name }, links: { self: `${b}/companies/${c}` } }))(q.company.get(ws(req)) as Row)] : undefined;
    return paged(req, '/api/v1/labels', rows.map((l) => limboLabel(b, l, company)), total(q.labelsTotal, ws(req)), included ? { included } : {}, company ? 'include=company&' : '');
  }, JSONAPI);
  route('get', '/b/limbo/labels/:id', (req) => q.limboLabel.get(id(req)), (req) => {
    const b = base(req);
    return { data: limboLabel(b, q.limboLabel.get(id(req)) as Row), jsonapi: { version: '1.0' }, links: { self: `${b}/labels/${id(req)}` } };
  }, JSONAPI);
  route('get', '/b/limbo/products', (req) => q.typedById.all(ws(req), 'product'), (req) =>
    paged(req, '/api/v1/products', (q.typedById.all(ws(req), 'product') as Row[]).map((r) => product(base(req), r)), total(q.typeTotal, ws(req), 'product')), JSONAPI);
  route('get', '/b/limbo/labels/:id/products', (req) => q.labelTypedById.all(id(req), 'product'), (req) =>
    paged(req, `/api/v1/labels/${id(req)}/products`, (q.labelTypedById.all(id(req), 'product') as Row[]).map((r) => product(base(req), r)), total(q.labelTypeTotal, id(req), 'product')), JSONAPI);
  route('get', '/b/limbo/labels-by-name', (req) => q.byNameOfUser.all(Number((req.query as { user: string }).user)), (req) => {
    const user = Number((req.query as { user: string }).user);
    const b = base(req);
    return paged(req, '/api/v1/labels', (q.byNameOfUser.all(user) as Row[]).map((l) => limboLabel(b, l)), total(q.totalOfUser, user), {}, 'sort=name&');
  }, JSONAPI);
}
