// Jotform label routes: each handler decodes, calls the core once, encodes into the envelope.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CoreError, notFound } from '../../core/errors.js';
import type { Core } from '../../core/index.js';
import type { Actor } from '../../core/types.js';
import { parseId } from '../types.js';
import * as map from './mapper.js';
import * as s from './schemas.js';

const err = { 400: s.errorEnvelope, 401: s.errorEnvelope, 403: s.errorEnvelope, 429: s.errorEnvelope };
const CREATE_UNKNOWN = { create: true } as const;

/** The success envelope; HTTP status is always 200, as the vendor's. */
export const ok = <T, E extends object = object>(req: FastifyRequest, content: T, extra: E = {} as E) => ({
  responseCode: 200,
  message: 'success',
  content,
  duration: `${(performance.now() - (req.startedAt ?? performance.now())).toFixed(2)}ms`,
  ...extra,
  'limit-left': req.limitLeft ?? 0,
});

type Ref = { root: true } | { root: false; id: number };
/** A path id: the root label's 32-hex id or a positive integer; anything else answers like a missing label. */
const labelRef = (raw: string, actor: Actor): Ref => {
  if (raw === map.rootId(actor.workspace)) return { root: true };
  const id = parseId(raw);
  if (id === null) throw notFound('label', raw);
  return { root: false, id };
};
const stored = (raw: string, actor: Actor, what: string): number => {
  const ref = labelRef(raw, actor);
  if (ref.root) throw new CoreError('VALIDATION', `The root label ${what}`, { field: 'id', rule: 'root' });
  return ref.id;
};

type LabelBody = z.infer<typeof s.labelBody>;
/** `parent` and its aliases; the root's id means top level. */
const parentOf = (b: LabelBody, actor: Actor): number | null | undefined => {
  const raw = b.parent ?? b.parent_id ?? b.parentID ?? b.parentId;
  if (raw === undefined) return undefined;
  const ref = labelRef(raw, actor);
  if (!ref.root) return ref.id;
  return null;
};
const labelInput = (b: LabelBody, actor: Actor) => {
  const parentId = parentOf(b, actor);
  return { ...(b.name !== undefined && { name: b.name }), ...(b.color !== undefined && { color: b.color }), ...(parentId !== undefined && { parentId }) };
};

export function jotformRoutes(root: FastifyInstance, core: Core): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { labels, resources } = core;
  type Req = FastifyRequest & { actor: Actor };
  const actor = (req: FastifyRequest) => (req as Req).actor;

  app.get('/user/labels', { schema: { response: { 200: s.envelope(s.treeLabel), ...err } } }, async (req) =>
    ok(req, map.tree(actor(req).workspace, await labels.list(actor(req)))));

  app.post('/label', { schema: { body: s.labelBody, response: { 200: s.envelope(s.label), ...err } } }, async (req) => {
    const input = labelInput(req.body, actor(req));
    const created = await labels.create(actor(req), { ...input, name: input.name ?? missingName() });
    return ok(req, map.label(created, map.rootId(actor(req).workspace)));
  });

  app.get('/label/:id', { schema: { params: s.idParams, response: { 200: s.envelope(s.label), ...err } } }, async (req) => {
    const ref = labelRef(req.params.id, actor(req));
    if (ref.root) return ok(req, map.rootLabel(actor(req).workspace));
    return ok(req, map.label(await labels.get(actor(req), ref.id), map.rootId(actor(req).workspace)));
  });

  app.put('/label/:id', { schema: { params: s.idParams, body: s.labelBody, response: { 200: s.envelope(s.label), ...err } } }, async (req) => {
    const id = stored(req.params.id, actor(req), 'cannot be changed');
    return ok(req, map.label(await labels.update(actor(req), id, labelInput(req.body, actor(req))), map.rootId(actor(req).workspace)));
  });

  app.delete('/label/:id', { schema: { params: s.idParams, response: { 200: s.envelope(z.literal(true)), ...err } } }, async (req) => {
    await labels.remove(actor(req), [stored(req.params.id, actor(req), 'cannot be deleted')]);
    return ok(req, true as const);
  });

  app.put('/label/:id/add-resources', { schema: { params: s.idParams, body: s.resourcesBody, response: { 200: s.envelope(z.array(s.resourceRefOut)), ...err } } }, async (req) => {
    const id = stored(req.params.id, actor(req), 'cannot hold resources');
    const list = req.body.resources.map((r) => ({ type: r.type, externalId: r.id }));
    return ok(req, (await resources.attach(actor(req), id, list, CREATE_UNKNOWN)).map(map.ref));
  });

  app.put('/label/:id/remove-resources', { schema: { params: s.idParams, body: s.resourcesBody, response: { 200: s.envelope(z.array(s.resourceRefOut)), ...err } } }, async (req) => {
    const id = stored(req.params.id, actor(req), 'cannot hold resources');
    const list = req.body.resources.map((r) => ({ type: r.type, externalId: r.id }));
    return ok(req, (await resources.detach(actor(req), id, list)).map(map.ref));
  });

  app.get('/label/:id/resources', { schema: { params: s.idParams, querystring: s.resourcesQuery, response: { 200: s.resourcesEnvelope, ...err } } }, async (req) => {
    const q = req.query;
    const id = stored(req.params.id, actor(req), 'holds no resources');
    const page = await resources.list(actor(req), {
      labelId: id,
      ...(q.type !== undefined && { type: q.type }),
      ...(q.status !== undefined && { status: q.status }),
      sort: map.ORDER_BY[q.orderby],
      direction: q.direction === 'DESC' ? 'desc' : 'asc',
      limit: q.limit,
      offset: q.offset,
    });
    return ok(req, page.items.map(map.resource), { resultSet: { offset: q.offset, limit: q.limit, count: page.items.length } });
  });
}

const missingName = (): never => {
  throw new CoreError('VALIDATION', 'name is required', { field: 'name', rule: 'required' });
};
