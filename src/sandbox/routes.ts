// The sandbox's admin routes: /_admin/requests (the journal), /_admin/faults, /_admin/clock. Same token,
// errors and document as the rest of the admin API (src/admin).
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem } from '../admin/errors.js';
import { adminErrors } from '../admin/errors.js';
import { checkToken } from '../admin/routes.js';
import type { AddressThrottle } from '../http/address-throttle.js';
import * as admin from '../admin/schemas.js';
import { errorHandler, send } from '../http/errors.js';
import { durationMs } from './clock.js';
import { pathTest } from './faults.js';
import type { JournalFilter } from './journal.js';
import * as s from './schemas.js';
import type { Sandbox } from './index.js';

export interface SandboxAdminOptions {
  sandbox: Sandbox;
  adminToken: string;
  /** The admin API's count of wrong tokens per address (src/admin/routes.ts). */
  throttle: AddressThrottle;
}

const err = { 400: admin.problem, 401: admin.problem, 404: admin.problem, 409: admin.problem };
const bodyErr = { ...err, 413: admin.problem, 415: admin.problem };
const TAG = ['sandbox'];
const doc = (operationId: string, summary: string, description: string) => ({ operationId, tags: TAG, summary, description });

function filterOf(q: z.infer<typeof s.countQuery>): JournalFilter {
  const f: JournalFilter = {};
  if (q.dialect !== undefined) f.dialect = q.dialect;
  if (q.workspace !== undefined) f.workspace = q.workspace;
  if (q.method !== undefined) f.method = q.method.toUpperCase();
  if (q.path !== undefined) f.path = pathTest(q.path);
  if (q.status !== undefined) f.status = /xx$/i.test(q.status) ? { class: Number(q.status[0]) } : { exact: Number(q.status) };
  if (q.since !== undefined) f.since = /^[0-9]+$/.test(q.since) ? { after: Number(q.since) } : { at: Date.parse(q.since) };
  return f;
}

const FILTERS =
  'Filters (all optional, AND-ed): `dialect`; `workspace` (id); `method`; `path`, a substring of the URL (path and query string) or a regular expression written `/…/`; `status`, exact (`404`) or a class (`4xx`); `since`, an ISO time (entries at or after it) or an entry id (entries after it).';

function journalRoutes(app: FastifyInstance, { journal, journalOn }: Sandbox): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/requests', { schema: { ...doc('listRequests', 'List journaled requests', `Newest first, at most \`limit\` (1–10000, default 100). ${FILTERS} \`enabled\` is false (and the list empty) while the journal is off (LABELMUX_JOURNAL).`), querystring: s.listQuery, response: { 200: z.object({ requests: z.array(s.journalEntry), enabled: z.boolean() }), ...err } } }, async (req) => ({
    requests: journalOn ? journal.list(filterOf(req.query), req.query.limit) : [],
    enabled: journalOn,
  }));
  r.get('/requests/count', { schema: { ...doc('countRequests', 'Count journaled requests', `The same filters as the list. ${FILTERS}`), querystring: s.countQuery, response: { 200: z.object({ count: z.int(), enabled: z.boolean() }), ...err } } }, async (req) => ({
    count: journalOn ? journal.count(filterOf(req.query)) : 0,
    enabled: journalOn,
  }));
  r.delete('/requests', { schema: { ...doc('clearRequests', 'Clear the journal', 'Forgets every journaled request (entry ids keep counting up).'), response: { 204: z.null(), ...err } } }, async (_req, reply) => {
    journal.clear();
    return reply.code(204).send(null);
  });
}

function faultRoutes(app: FastifyInstance, { faults }: Sandbox): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/faults', { schema: { ...doc('addFault', 'Add a fault rule', 'Requests to the dialects that match every given field of `match` get the `action`: `delay` (ms, or a [min, max] range), `error` (a named error in the dialect\'s own shape; `retryAfter` seconds for unavailable and rate_limited, default 1) or `drop` (the connection is closed without an answer). At most `times` times (default: no cap), each time with `probability` (default 1). The fault acts after authentication and validation, before the handler: a faulted request changes nothing.'), body: s.createFaultBody, response: { 201: z.object({ fault: s.faultRule }), ...bodyErr } } }, async (req, reply) => {
    const { match = {}, action, times, probability } = req.body;
    // Methods are compared as requests carry them: upper case.
    if (match.method !== undefined) match.method = match.method.toUpperCase();
    const fault = faults.add({ match, action: action as Parameters<typeof faults.add>[0]['action'], times: times ?? null, probability: probability ?? 1 });
    return reply.code(201).send({ fault });
  });
  r.get('/faults', { schema: { ...doc('listFaults', 'List fault rules', 'In the order they are tried, with how often each fired (spent rules stay listed).'), response: { 200: z.object({ faults: z.array(s.faultRule) }), ...err } } }, async () => ({ faults: faults.list() }));
  r.delete('/faults', { schema: { ...doc('clearFaults', 'Remove every fault rule', 'Requests are served normally again.'), response: { 204: z.null(), ...err } } }, async (_req, reply) => {
    faults.clear();
    return reply.code(204).send(null);
  });
  r.delete('/faults/:id', { schema: { ...doc('removeFault', 'Remove a fault rule', '404 for an unknown id.'), params: s.faultParams, response: { 204: z.null(), ...err } } }, async (req, reply) => {
    if (!faults.remove(req.params.id)) return send(reply, problem(404, `fault ${req.params.id} not found`));
    return reply.code(204).send(null);
  });
}

function clockRoutes(app: FastifyInstance, sandbox: Sandbox): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { clock } = sandbox;
  const state = () => ({ now: new Date(clock.now()).toISOString(), controlled: clock.controlled });
  r.get('/clock', { schema: { ...doc('getClock', 'Read the clock', 'The time the core reads, and whether it stands still (controlled).'), response: { 200: s.clockState, ...err } } }, async () => state());
  r.post('/clock', { schema: { ...doc('moveClock', 'Set or advance the clock', '`{"set": "<ISO time>"}` or `{"advance": "25h"}` (units ms, s, m, h, d; combined like `1d12h`). The clock then stands still at that time until moved again or reset (POST /_admin/reset): started without LABELMUX_CLOCK, it was the real clock until this call.'), body: s.clockBody, response: { 200: s.clockState, ...bodyErr } } }, async (req, reply) => {
    if (!sandbox.coreReadsClock) return send(reply, problem(409, 'this server\'s core does not read the sandbox clock'));
    if (req.body.set !== undefined) clock.set(Date.parse(req.body.set));
    else clock.advance(durationMs(req.body.advance!));
    return state();
  });
}

export const sandboxAdminPlugin: FastifyPluginAsync<SandboxAdminOptions> = async (app, { sandbox, adminToken, throttle }) => {
  app.setErrorHandler(errorHandler(adminErrors));
  app.addHook('onRequest', checkToken(adminToken, throttle));
  journalRoutes(app, sandbox);
  faultRoutes(app, sandbox);
  clockRoutes(app, sandbox);
};
