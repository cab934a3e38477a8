// Jotform label routes: each handler decodes, calls the core once, encodes into the envelope.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CoreError, notFound } from '../../core/index.js';
import type { Core } from '../../core/index.js';
import type { Actor } from '../../core/index.js';
import { parseId } from '../types.js';
import * as map from './mapper.js';
import * as s from './schemas.js';
import { treeJson } from './tree-stream.js';
import { framed, sendStreamed, whileConnected } from '../../http/streamed.js';
import { merge } from '../../core/index.js';
import { inOrder, withMultipart } from '../../http/multipart.js';

const typed = (scope: FastifyInstance) => scope.withTypeProvider<ZodTypeProvider>();
type Typed = ReturnType<typeof typed>;

const err = { 400: s.errorEnvelope, 401: s.errorEnvelope, 403: s.errorEnvelope, 429: s.errorEnvelope };
/** Routes with a body also answer 413 (too large) and 415 (a content type other than JSON or a form). */
const bodyErr = { ...err, 413: s.errorEnvelope, 415: s.errorEnvelope };
const FORMS = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/** OpenAPI metadata of a route (not used at run time); the /API/v1 copies get `V1` operation ids. */
const docs = (v1: boolean) => (operationId: string, summary: string, description: string, body = false) => ({
  operationId: `${operationId}${v1 ? 'V1' : ''}`,
  tags: [v1 ? 'labels (/API/v1)' : 'labels'],
  summary,
  description,
  ...(body && { consumes: FORMS }),
});
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

const JSON_TYPE = 'application/json; charset=utf-8';
/** The envelope's text before its content and, made at the end when the duration is known, after it. */
const envelopeAround = (req: FastifyRequest): [string, () => string] => {
  const text = () => JSON.stringify(ok(req, null));
  const hole = '"content":null';
  const before = text();
  return [before.slice(0, before.indexOf(hole) + hole.length - 4), () => text().split(hole)[1]!];
};

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

/** The body's parent ('' = top level, as is the root's id); undefined when none was sent. */
const parentOf = (raw: string | undefined, actor: Actor): number | null | undefined => {
  if (raw === undefined) return undefined;
  if (raw === '') return null;
  const ref = labelRef(raw, actor);
  return ref.root ? null : ref.id;
};
const labelInput = (b: s.LabelBody, actor: Actor) => {
  const parentId = parentOf(b.parent, actor);
  const out: { name?: string; color?: string; parentId?: number | null } = {};
  if (b.name !== undefined) out.name = b.name;
  if (b.color !== undefined) out.color = b.color;
  if (parentId !== undefined) out.parentId = parentId;
  return out;
};

/** Multipart bodies: the fields the body schemas know, with room to spare; a file part is refused. */
const MULTIPART = { fields: 50, fieldSize: 64 * 1024 };

export function jotformRoutes(root: FastifyInstance, core: Core, v1 = false): void {
  // Reads and writes in scopes of their own, in source order: only writes parse multipart bodies (http/multipart.ts).
  const reads = (routes: (app: Typed) => void) => inOrder(root, (scope) => routes(typed(scope)));
  const writes = (routes: (app: Typed) => void) => withMultipart(root, MULTIPART, (scope) => routes(typed(scope)));
  const doc = docs(v1);
  const { labels, resources } = core;
  type Req = FastifyRequest & { actor: Actor };
  const actor = (req: FastifyRequest) => (req as Req).actor;

  reads((app) => {
    app.get('/user/labels', { config: { heavy: 'holds' }, schema: { ...doc('getUserLabels', 'The label tree', 'The root label (id = the workspace uuid without dashes, name = the workspace name) with every label nested in `sublabels`, siblings ordered by name.'), response: { 200: s.envelope(s.treeLabel), ...err } } }, async (req, reply) => {
      // Written as it is walked (tree-stream.ts): the same bytes as the envelope of map.tree, kept lean in memory.
      const [before, after] = envelopeAround(req);
      return sendStreamed(reply, JSON_TYPE, framed(before, treeJson(actor(req).workspace, whileConnected(labels.pages(actor(req)), req.socket)), after));
    });
  });

  writes((app) => {
    app.post('/label', { schema: { ...doc('createLabel', 'Create a label', '`name` is required; `parent` (or `parent_id`; `parentID` and `parentId` are accepted too) is a label id, or the root id or empty for top level (the default). A label created without a color gets #6366f1. Unknown fields are ignored. Answers 200 with the label, as the vendor.', true), body: s.createLabelBody, response: { 200: s.envelope(s.label), ...bodyErr } } }, async (req) => {
      const input = labelInput(req.body, actor(req));
      const created = await labels.create(actor(req), merge(input, { name: req.body.name }));
      return ok(req, map.label(created, map.rootId(actor(req).workspace)));
    });
  });

  reads((app) => {
    app.get('/label/:id', { schema: { ...doc('getLabel', 'Get a label', 'A missing label, another workspace\'s label and an id that is not a label id all answer 401, like a bad key.'), params: s.idParams, response: { 200: s.envelope(s.label), ...err } } }, async (req) => {
      const ref = labelRef(req.params.id, actor(req));
      if (ref.root) return ok(req, map.rootLabel(actor(req).workspace));
      return ok(req, map.label(await labels.get(actor(req), ref.id), map.rootId(actor(req).workspace)));
    });
  });

  writes((app) => {
    app.put('/label/:id', { schema: { ...doc('updateLabel', 'Rename, recolor or move a label', 'Any of `name`, `color`, `parent` (empty = top level); other fields, such as the rest of a label object read with GET, are ignored. A move under its own subtree is 400; the root label cannot be changed (400).', true), params: s.idParams, body: s.updateLabelBody, response: { 200: s.envelope(s.label), ...bodyErr } } }, async (req) => {
      const id = stored(req.params.id, actor(req), 'cannot be changed');
      return ok(req, map.label(await labels.update(actor(req), id, labelInput(req.body, actor(req))), map.rootId(actor(req).workspace)));
    });

    app.delete('/label/:id', { schema: { ...doc('deleteLabel', 'Delete a label and its subtree', 'The label, all its sublabels and all their assignments; `content` is `true`.'), params: s.idParams, response: { 200: s.envelope(z.literal(true)), ...err } } }, async (req) => {
      await labels.remove(actor(req), [stored(req.params.id, actor(req), 'cannot be deleted')]);
      return ok(req, true as const);
    });

    app.put('/label/:id/add-resources', { schema: { ...doc('addLabelResources', 'Assign the label to resources', 'Resources unknown to the workspace are created. Answers every `{id, type}` given, already-assigned ones included.', true), params: s.idParams, body: s.resourcesBody, response: { 200: s.envelope(z.array(s.resourceRefOut)), ...bodyErr } } }, async (req) => {
      const id = stored(req.params.id, actor(req), 'cannot hold resources');
      const list = req.body.resources.map((r) => ({ type: r.type, externalId: r.id }));
      return ok(req, (await resources.attach(actor(req), id, list, CREATE_UNKNOWN)).map(map.ref));
    });

    app.put('/label/:id/remove-resources', { schema: { ...doc('removeLabelResources', 'Unassign the label from resources', 'Answers the `{id, type}` removed.', true), params: s.idParams, body: s.resourcesBody, response: { 200: s.envelope(z.array(s.resourceRefOut)), ...bodyErr } } }, async (req) => {
      const id = stored(req.params.id, actor(req), 'cannot hold resources');
      const list = req.body.resources.map((r) => ({ type: r.type, externalId: r.id }));
      return ok(req, (await resources.detach(actor(req), id, list)).map(map.ref));
    });
  });

  reads((app) => {
    app.get('/label/:id/resources', { schema: { ...doc('getLabelResources', 'Resources carrying the label', 'One page of the resources the label is assigned to, with their attributes; `resultSet.count` is the number of items in this page.'), params: s.idParams, querystring: s.resourcesQuery, response: { 200: s.resourcesEnvelope, ...err } } }, async (req) => {
      const q = req.query;
      const id = stored(req.params.id, actor(req), 'holds no resources');
      const page = await resources.page(actor(req), {
        labelId: id,
        ...(q.type !== undefined && { type: q.type }),
        ...(q.status !== undefined && { status: q.status }),
        // A direction inside `orderby` wins over the `direction` parameter (see docs/dialects/jotform.md).
        sort: map.ORDER_BY[q.orderby?.field ?? 'created_at'],
        direction: q.orderby?.direction ?? (q.direction === 'DESC' ? 'desc' : 'asc'),
        limit: q.limit,
        offset: q.offset,
      });
      // resultSet.count is the page's size, not a total: no count query.
      return ok(req, page.map(map.resource), { resultSet: { offset: q.offset, limit: q.limit, count: page.length } });
    });
  });
}
