// The admin API: provisioning and operations, bearer admin token, problem+json errors.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CoreError } from '../core/errors.js';
import type { Core } from '../core/index.js';
import { sha256 } from '../core/secrets.js';
import { errorHandler, send } from '../http/errors.js';
import { adminErrors, problem } from './errors.js';
import * as map from './mapper.js';
import * as s from './schemas.js';

export interface AdminOptions {
  core: Core;
  adminToken: string;
}

const IMPORT_LIMIT = 64 * 1024 * 1024;
const err = { 400: s.problem, 401: s.problem, 404: s.problem, 409: s.problem };

/** Constant-time comparison of the presented bearer token with the configured one. */
const checkToken = (token: string) => {
  const expected = Buffer.from(sha256(token), 'hex');
  return async (req: FastifyRequest) => {
    req.dialect = 'admin';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m || !timingSafeEqual(Buffer.from(sha256(m[1]!), 'hex'), expected)) {
      throw new CoreError('UNAUTHENTICATED', 'a valid admin token is required (Authorization: Bearer <LABELMUX_ADMIN_TOKEN>)');
    }
  };
};

function routes(root: FastifyInstance, { admin }: Core): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post('/workspaces', { schema: { body: s.createWorkspaceBody, response: { 201: z.object({ workspace: s.workspace }), ...err } } }, async (req, reply) =>
    reply.code(201).send({ workspace: map.workspace(await admin.createWorkspace(req.body.name)) }));

  app.get('/workspaces', { schema: { response: { 200: z.object({ workspaces: z.array(s.workspace) }), ...err } } }, async () => ({
    workspaces: (await admin.listWorkspaces()).map(map.workspace),
  }));

  app.post('/users', { schema: { body: s.createUserBody, response: { 201: z.object({ user: s.user }), ...err } } }, async (req, reply) =>
    reply.code(201).send({ user: map.user(await admin.createUser(req.body)) }));

  app.delete('/users/:id', { schema: { params: s.wsParams, response: { 204: z.null(), ...err } } }, async (req, reply) => {
    await admin.deleteUser(req.params.id);
    return reply.code(204).send(null);
  });

  app.put('/workspaces/:id/members/:userId', { schema: { params: s.memberParams, body: s.setMemberBody, response: { 200: z.object({ member: s.member }), ...err } } }, async (req) => ({
    member: map.member(await admin.setMember(req.params.id, req.params.userId, req.body.role)),
  }));

  app.post('/api-keys', { schema: { body: s.createKeyBody, response: { 201: z.object({ api_key: s.apiKey }), ...err } } }, async (req, reply) => {
    const { info, key } = await admin.createApiKey({ userId: req.body.user_id, workspaceId: req.body.workspace_id ?? null, ...(req.body.name !== undefined && { name: req.body.name }) });
    return reply.code(201).send({ api_key: map.apiKey(info, key) });
  });

  app.delete('/api-keys/:id', { schema: { params: s.wsParams, response: { 204: z.null(), ...err } } }, async (req, reply) => {
    await admin.revokeApiKey(req.params.id);
    return reply.code(204).send(null);
  });

  app.put('/workspaces/:id/resources', { schema: { params: s.wsParams, body: s.upsertResourcesBody, response: { 200: z.object({ upserted: z.int() }), ...err } } }, async (req) => ({
    upserted: await admin.upsertResources(req.params.id, req.body.resources.map(({ id, ...r }) => ({ ...r, externalId: id }))),
  }));

  app.get('/workspaces/:id/events', { schema: { params: s.wsParams, querystring: s.eventsQuery, response: { 200: z.object({ events: z.array(s.event) }), ...err } } }, async (req) => ({
    events: (await admin.listEvents(req.params.id, req.query.after, req.query.limit)).map(map.event),
  }));

  app.get('/workspaces/:id/export', { schema: { params: s.wsParams, response: { 200: s.workspaceExport, ...err } } }, async (req) => admin.exportWorkspace(req.params.id));

  app.post('/workspaces/:id/import', { bodyLimit: IMPORT_LIMIT, schema: { params: s.wsParams, body: s.workspaceExport, response: { 200: z.object({ imported: z.object({ labels: z.int(), resources: z.int() }) }), ...err } } }, async (req) => {
    await admin.importWorkspace(req.params.id, req.body);
    return { imported: { labels: req.body.labels.length, resources: req.body.resources.length } };
  });
}

export const adminPlugin: FastifyPluginAsync<AdminOptions> = async (app, opts) => {
  app.setErrorHandler(errorHandler(adminErrors));
  app.addHook('onRequest', checkToken(opts.adminToken));
  app.setNotFoundHandler((_req, reply) => send(reply, problem(404, 'no such admin route')));
  routes(app, opts.core);
};
