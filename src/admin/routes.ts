// The admin API: provisioning and operations, bearer admin token, problem+json errors.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CoreError } from '../core/index.js';
import type { Core } from '../core/index.js';
import { sha256 } from '../core/index.js';
import { AddressThrottle } from '../http/address-throttle.js';
import { errorHandler, send } from '../http/errors.js';
import { retypeResponses, type DocumentOptions } from '../http/openapi.js';
import type { ResetHooks } from '../http/reset-hooks.js';
import { adminErrors, problem } from './errors.js';
import { documentStream } from './event-stream.js';
import * as map from './mapper.js';
import { sandboxRoutes } from './sandbox-routes.js';
import * as s from './schemas.js';

export interface AdminOptions {
  core: Core;
  adminToken: string;
  /** What POST /_admin/reset runs after the database reset (the app's, then those given in AppDeps). */
  resetHooks: ResetHooks;
  /** Wrong admin tokens counted per address, shared with the sandbox's admin routes. */
  throttle: AddressThrottle;
}

const IMPORT_LIMIT = 64 * 1024 * 1024;
const err = { 400: s.problem, 401: s.problem, 404: s.problem, 409: s.problem };
/** Routes with a body also answer 413 (too large) and 415 (not JSON) with a problem document. */
const bodyErr = { ...err, 413: s.problem, 415: s.problem };
const TAGS = { ws: ['workspaces'], users: ['users and keys'], data: ['resources, events, export'] } as const;
/** OpenAPI metadata of a route (not used at run time). */
const doc = (operationId: string, tags: readonly string[], summary: string, description?: string) => ({
  operationId,
  tags: [...tags],
  summary,
  ...(description !== undefined && { description }),
});

/** The admin API's OpenAPI document: bearer admin token, problem+json errors. */
export const adminDocument: DocumentOptions = {
  title: 'labelmux admin API',
  description:
    'Provisioning and operations over the shared core. Every route needs `Authorization: Bearer <admin token>` (LABELMUX_ADMIN_TOKEN, or the token printed at start). Errors are RFC 9457 `application/problem+json` documents: 400 invalid input, 401 missing or bad admin token, 404 unknown id, 409 conflict.',
  registry: s.registry,
  securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token (LABELMUX_ADMIN_TOKEN).' } },
  security: [{ adminToken: [] }],
  tags: [
    { name: 'workspaces', description: 'Workspaces and their members' },
    { name: 'users and keys', description: 'Users and API keys' },
    { name: 'resources, events, export', description: 'Resources to assign labels to, the audit trail, whole-workspace export and import' },
    { name: 'sandbox', description: 'For test suites: reset to the fixtures, delete a workspace, the fixture document\'s JSON Schema (docs/fixtures.md); the request journal, fault rules and clock (docs/sandbox.md)' },
    { name: 'server', description: 'What this server is: version, commit, Node.js, dialects, store, uptime' },
    { name: 'console', description: 'What the console at / reads beyond the routes above: one level of the label tree with counts, path search, subtree counts, members, keys, the console\'s own key and the live audit stream (docs/console.md)' },
  ],
  finish: (d) => {
    retypeResponses(d, (status) => status >= '400', 'application/problem+json');
    s.documentExamples(d);
    documentStream(d);
  },
};

/**
 * Constant-time comparison of the presented bearer token with the configured one. An address that keeps
 * presenting wrong tokens is refused (429) before the comparison, whatever it presents (http/address-throttle.ts).
 */
export const checkToken = (token: string, throttle: AddressThrottle) => {
  const expected = Buffer.from(sha256(token), 'hex');
  return async (req: FastifyRequest) => {
    req.dialect = 'admin';
    if (req.routeOptions.config.adminPublic) return;
    throttle.check(req.ip);
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m || !timingSafeEqual(Buffer.from(sha256(m[1]!), 'hex'), expected)) {
      throttle.fail(req.ip);
      throw new CoreError('UNAUTHENTICATED', 'a valid admin token is required (Authorization: Bearer <LABELMUX_ADMIN_TOKEN>)');
    }
  };
};

function routes(root: FastifyInstance, { admin }: Core): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post('/workspaces', { schema: { ...doc('createWorkspace', TAGS.ws, 'Create a workspace'), body: s.createWorkspaceBody, response: { 201: z.object({ workspace: s.workspace }), ...bodyErr } } }, async (req, reply) =>
    reply.code(201).send({ workspace: map.workspace(await admin.createWorkspace(req.body.name)) }));

  app.get('/workspaces', { schema: { ...doc('listWorkspaces', TAGS.ws, 'List workspaces'), response: { 200: z.object({ workspaces: z.array(s.workspace) }), ...err } } }, async () => ({
    workspaces: (await admin.listWorkspaces()).map(map.workspace),
  }));

  app.post('/users', { schema: { ...doc('createUser', TAGS.users, 'Create a user', 'The email is unique (case-insensitive; 409 if taken). The password (8–1024 characters) is for limbo\'s /oauth/token.'), body: s.createUserBody, response: { 201: z.object({ user: s.user }), ...bodyErr } } }, async (req, reply) =>
    reply.code(201).send({ user: map.user(await admin.createUser(req.body)) }));

  app.delete('/users/:id', { schema: { ...doc('deleteUser', TAGS.users, 'Delete a user', 'Their labels stay (created_by becomes null); their keys stop working at once.'), params: s.wsParams, response: { 204: z.null(), ...err } } }, async (req, reply) => {
    await admin.deleteUser(req.params.id);
    return reply.code(204).send(null);
  });

  app.put('/workspaces/:id/members/:userId', { schema: { ...doc('setMember', TAGS.ws, 'Add a member or change their role'), params: s.memberParams, body: s.setMemberBody, response: { 200: z.object({ member: s.member }), ...bodyErr } } }, async (req) => ({
    member: map.member(await admin.setMember(req.params.id, req.params.userId, req.body.role)),
  }));

  app.delete('/workspaces/:id/members/:userId', { schema: { ...doc('removeMember', TAGS.ws, 'Remove a member', 'The user\'s keys for this workspace are revoked at once and their user-wide keys no longer reach it; their labels stay. 404 when the user is not a member.'), params: s.memberParams, response: { 204: z.null(), ...err } } }, async (req, reply) => {
    await admin.removeMember(req.params.id, req.params.userId);
    return reply.code(204).send(null);
  });

  app.post('/api-keys', { schema: { ...doc('createApiKey', TAGS.users, 'Create an API key', 'The key is shown only in this answer (only its SHA-256 is stored). Without workspace_id the key is user-wide (workspace_id null in the answer). `key` chooses its value (32 lowercase hex; 409 when taken), else it is random.'), body: s.createKeyBody, response: { 201: z.object({ api_key: s.apiKey }), ...bodyErr } } }, async (req, reply) => {
    const { info, key } = await admin.createApiKey({ userId: req.body.user_id, workspaceId: req.body.workspace_id ?? null, ...(req.body.name !== undefined && { name: req.body.name }), key: req.body.key });
    return reply.code(201).send({ api_key: map.apiKey(info, key) });
  });

  app.delete('/api-keys/:id', { schema: { ...doc('revokeApiKey', TAGS.users, 'Revoke an API key'), params: s.wsParams, response: { 204: z.null(), ...err } } }, async (req, reply) => {
    await admin.revokeApiKey(req.params.id);
    return reply.code(204).send(null);
  });

  app.put('/workspaces/:id/resources', { schema: { ...doc('upsertResources', TAGS.data, 'Register or update resources', 'Resources are what labels are assigned to: (type, id) is unique per workspace. At most 10,000 per call.'), params: s.wsParams, body: s.upsertResourcesBody, response: { 200: z.object({ upserted: z.int() }), ...bodyErr } } }, async (req) => ({
    upserted: await admin.upsertResources(req.params.id, req.body.resources.map(({ id, ...r }) => ({ ...r, externalId: id }))),
  }));

  app.get('/workspaces/:id/events', { schema: { ...doc('listEvents', TAGS.data, 'List audit events', 'Oldest first, after the event id `after`. `dialect` names the front end that made the change (or `admin`).'), params: s.wsParams, querystring: s.eventsQuery, response: { 200: z.object({ events: z.array(s.event) }), ...err } } }, async (req) => ({
    events: (await admin.listEvents(req.params.id, req.query.after, req.query.limit)).map(map.event),
  }));

  app.get('/workspaces/:id/export', { config: { heavy: true }, schema: { ...doc('exportWorkspace', TAGS.data, 'Export a workspace', 'Labels and resources as one labelmux-workspace document; importing it into an empty workspace restores it exactly.'), params: s.wsParams, response: { 200: s.workspaceExport, ...err } } }, async (req) => admin.exportWorkspace(req.params.id));

  app.post('/workspaces/:id/import', { bodyLimit: IMPORT_LIMIT, schema: { ...doc('importWorkspace', TAGS.data, 'Import into an empty workspace', 'The document from the export route, up to 64 MiB. Label ids are kept when every one is free in this database (a restore into another database); otherwise (a clone beside the original) every label gets a new id and parents, assignments and product links follow. `label_ids` maps each document id to the stored one.'), params: s.wsParams, body: s.workspaceExport, response: { 200: z.object({ imported: z.object({ labels: z.int(), resources: z.int(), label_ids: z.record(z.string(), z.int()) }) }), ...bodyErr } } }, async (req) => {
    const ids = await admin.importWorkspace(req.params.id, req.body);
    return { imported: { labels: req.body.labels.length, resources: req.body.resources.length, label_ids: Object.fromEntries(ids) } };
  });
}

export const adminPlugin: FastifyPluginAsync<AdminOptions> = async (app, opts) => {
  app.setErrorHandler(errorHandler(adminErrors));
  app.addHook('onRequest', checkToken(opts.adminToken, opts.throttle));
  app.setNotFoundHandler((_req, reply) => send(reply, problem(404, 'no such admin route')));
  // First in the document: the examples' runners take deletions last in reverse order, so the reset comes last of all.
  sandboxRoutes(app, opts.core, opts.resetHooks);
  routes(app, opts.core);
};
