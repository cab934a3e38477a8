// Admin routes the console (the browser UI at `/`, docs/console.md) needs beyond the rest of the admin API:
// the label tree one level at a time with counts, search by path, a subtree's size, members and keys, the
// console's own key, which dialects are served where, and the audit feed as a live stream.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Core } from '../core/index.js';
import { dialects } from '../dialects/index.js';
import { errorHandler } from '../http/errors.js';
import { adminErrors } from './errors.js';
import { closeStreams, streamEvents } from './event-stream.js';
import * as map from './mapper.js';
import type { AddressThrottle } from '../http/address-throttle.js';
import { checkToken } from './routes.js';
import * as s from './schemas.js';

export interface ConsoleRoutesOptions {
  core: Core;
  adminToken: string;
  config: Readonly<Config>;
  /** The admin API's count of wrong tokens per address (src/admin/routes.ts). */
  throttle: AddressThrottle;
}

const err = { 400: s.problem, 401: s.problem, 404: s.problem };
const TAGS = ['console'];
const doc = (operationId: string, summary: string, description: string) => ({ operationId, tags: TAGS, summary, description });
const idParam = s.wsParams.shape.id;
const labelParams = z.object({ id: idParam, labelId: idParam });
const count = z.coerce.number().int();
const treeQuery = z.strictObject({
  parent: idParam.optional(),
  offset: count.min(0).max(1_000_000).default(0),
  limit: count.min(1).max(1000).default(200),
});
const searchQuery = z.strictObject({ q: z.string().min(1).max(255).meta({ examples: ['demo'] }), limit: count.min(1).max(200).default(50) });
const streamQuery = z.strictObject({
  after: count.min(0).optional(),
  last: count.min(0).max(1000).default(50),
  // The stream ends after this many seconds (a client reconnects after the last event it saw); 0 sends what is there and ends.
  seconds: count.min(0).max(3600).default(300).meta({ examples: [0] }),
});

const treeNode = z
  .object({ id: z.int(), parent_id: z.int().nullable(), name: z.string(), color: z.string().nullable(), children: z.int(), assignments: z.int() })
  .register(s.registry, { id: 'TreeNode', description: 'A label of one tree level: how many children and assignments it has.' });
const labelPath = z.object({ id: z.int(), parent_id: z.int().nullable(), name: z.string(), path: z.string() }).register(s.registry, { id: 'LabelPath' });
const memberInfo = z.object({ user_id: z.int(), email: z.string(), name: z.string(), role: z.string() }).register(s.registry, { id: 'MemberInfo' });
const dialectInfo = z.object({ name: z.string(), enabled: z.boolean(), base: z.string() }).register(s.registry, { id: 'DialectInfo', description: '`base`: the path a client puts after the server address (prefix and vendor mount).' });

function routes(root: FastifyInstance, { core, config }: ConsoleRoutesOptions): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const c = core.console;

  app.get('/dialects', { schema: { ...doc('listDialects', 'Dialects and where they are served', 'Every dialect of this build, whether it is enabled and its base path.'), response: { 200: z.object({ dialects: z.array(dialectInfo) }), ...err } } }, async () => ({
    dialects: dialects.map((d) => ({ name: d.name, enabled: config.dialects[d.name].enabled, base: `${config.dialects[d.name].prefix}${d.mount}` })),
  }));

  app.get('/workspaces/:id/label-tree', { schema: { ...doc('listLabelLevel', 'One level of the label tree', 'The children of `parent` (the top level without it), ordered by case-folded name, one page (`offset`, `limit` ≤ 1000), each with its numbers of children and assignments. 404 for an unknown workspace or parent.'), params: s.wsParams, querystring: treeQuery, response: { 200: z.object({ labels: z.array(treeNode) }), ...err } } }, async (req) => ({
    labels: (await c.tree(req.params.id, req.query.parent ?? null, req.query.offset, req.query.limit)).map((n) => ({ id: n.id, parent_id: n.parentId, name: n.name, color: n.color, children: n.children, assignments: n.assignments })),
  }));

  app.get('/workspaces/:id/label-search', { config: { heavy: true }, schema: { ...doc('searchLabels', 'Search labels by name or path', 'Labels whose path (ancestors\' names and its own, joined by `/`) contains `q`, ignoring case, ordered by path: the first `limit` (≤ 200) and the number of matches.'), params: s.wsParams, querystring: searchQuery, response: { 200: z.object({ labels: z.array(labelPath), total: z.int() }), ...err } } }, async (req) => {
    const found = await c.search(req.params.id, req.query.q, req.query.limit);
    return { labels: found.labels.map((l) => ({ id: l.id, parent_id: l.parentId, name: l.name, path: l.path })), total: Number(found.total) };
  });

  app.get('/workspaces/:id/labels/:labelId/subtree', { schema: { ...doc('labelSubtree', 'What deleting a label removes', 'The number of labels in the label\'s subtree (itself included) and of their assignments.'), params: labelParams, response: { 200: z.object({ labels: z.int(), assignments: z.int() }), ...err } } }, async (req) =>
    c.subtree(req.params.id, req.params.labelId));

  app.get('/workspaces/:id/members', { schema: { ...doc('listMembers', 'List members', 'The workspace\'s members with their email, name and role.'), params: s.wsParams, response: { 200: z.object({ members: z.array(memberInfo) }), ...err } } }, async (req) => ({
    members: (await c.members(req.params.id)).map((m) => ({ user_id: m.userId, email: m.email, name: m.name, role: m.role })),
  }));

  app.get('/workspaces/:id/api-keys', { schema: { ...doc('listWorkspaceKeys', 'List the workspace\'s keys', 'Live keys bound to the workspace (the key itself is never shown again).'), params: s.wsParams, response: { 200: z.object({ api_keys: z.array(s.apiKey) }), ...err } } }, async (req) => ({
    api_keys: (await c.keys(req.params.id)).map((k) => map.apiKey(k)),
  }));

  app.post('/workspaces/:id/console-key', { schema: { ...doc('createConsoleKey', 'A key for the console', 'A new workspace key named `console` for the user console@labelmux.local (created on first use, made an admin member of the workspace when it is not a member). The key is shown only in this answer.'), params: s.wsParams, response: { 201: z.object({ api_key: s.apiKey }), ...err } } }, async (req, reply) => {
    const { info, key } = await c.consoleKey(req.params.id);
    return reply.code(201).send({ api_key: map.apiKey(info, key) });
  });

  app.get('/workspaces/:id/events/stream', { schema: { ...doc('streamEvents', 'The audit feed, live', 'Server-sent events (`text/event-stream`): each audit event after the event id `after` (without it: the `last` most recent events, 50 by default) as `id: <event id>` and `data: <Event JSON>`, then new ones as they are recorded (the store is read every 250 ms, so writes made through any instance sharing the database appear). A comment line every 15 s keeps proxies from closing the stream; it ends after `seconds` (default 300; 0: the events there are, then the end), and a client reconnects with `after` set to the last event id it saw.'), params: s.wsParams, querystring: streamQuery, response: { 200: z.string().meta({ description: 'text/event-stream' }), ...err } } }, async (req, reply) => {
    const start = await c.eventCursor(req.params.id, req.query.last);
    return streamEvents(req, reply, (after) => core.admin.listEvents(req.params.id, after, 100).then((es) => es.map(map.event)), req.query.after ?? start, req.query.seconds * 1000);
  });
}

export const consoleAdminPlugin: FastifyPluginAsync<ConsoleRoutesOptions> = async (app, opts) => {
  app.setErrorHandler(errorHandler(adminErrors));
  app.addHook('onRequest', checkToken(opts.adminToken, opts.throttle));
  app.addHook('preClose', async () => closeStreams());
  routes(app, opts);
};
