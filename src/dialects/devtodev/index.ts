// The devtodev Labels API, mounted at /api/v1/labels (docs/dialects.md and docs/dialects/devtodev.md). Every operation is a POST
// with a JSON body carrying `user_token` (the API key) and `app_id` (the workspace uuid).
//
// Decisions (where the spec is silent):
// - Order of checks: transport (code 3) → user_token (1) → app_id (2) → body fields (4, all bad fields at
//   once; a `labels` array over 30 is listed as code 7 among them) → role (10) → existence (5, 6) → daily
//   limits (8 before 9). Credentials are read in a preValidation hook, since they travel in the body.
// - Only `application/json` is parsed, and a body without Content-Type (devtodevr's, read as JSON). A wrong
//   Content-Type (415) or a too large body (413) is code 3 with status 400 like malformed JSON, as the
//   vendor's table has neither. A 500 is `{"code":0}` with status 500.
// - Bodies are strict: an unknown field is code 4 naming it ("unknown field labels.0.color"); in `filter`
//   the message says it is not a filterable field / not an operator. `null` for an optional field = omitted.
// - Dates are integer Unix seconds 0..253402300799 (no numeric strings). Date filters compare the rendered
//   (whole-second) value; filter lists (`eq`/`neq` arrays) hold at most 1000 values; `delete` takes at most
//   1000 ids (duplicates collapse; the answer lists each once, in request order). `get` is not paginated:
//   the vendor's API has no paging, and the daily creation limits bound the size of an app.
// - Names and categories are trimmed, then cut to 255 characters (description: cut to 1000, not trimmed);
//   a whitespace-only category is "" (no category). Control characters in names are code 4.
// - Category names match ignoring case (the core keeps one top-level name per case-folded name): "releases"
//   on create, edit, move, `filter` and `categories/delete` is the existing "Releases", and answers show the
//   stored spelling. A new category keeps the spelling it was first given.
// - `categories/get` lists top-level untimed labels with at least one child (of any kind), by name (binary
//   order). `categories/delete` accepts exactly those; without a target it deletes the category label and
//   its whole subtree. With a target that exists, every child moves there (an untimed child whose name is
//   taken there is code 4 and nothing changes), then the category is deleted. With a target that does not
//   exist, the category label is renamed in place (same id, colour and assignments; event
//   `category.renamed`). `move_labels_to_category: ""` moves the labels to the top level; a target equal to
//   the category's stored name is code 4, one differing from it only in case renames it (fixes its case).
// - Limits: 30 labels per request (code 7), per UTC day 500 per API key across all apps (code 8) and 200 per
//   app (code 9), configurable; counted in the `counters` table inside the creating transaction, so a
//   rejected request creates and counts nothing. Auto-created categories and edits do not count.
// - An unknown POST under the mount is 404 with code 4 ("unknown operation /x", no credentials needed);
//   other methods there belong to limbo's JSON:API and get its 404 document. A path of limbo's (a numeric
//   label id: `POST /123`, `PUT /123/relationships/company`) with a method limbo does not take is limbo's 405.
import { errorCodes, type FastifyInstance, type FastifyReply, type FastifyRequest, type HookHandlerDoneFunction } from 'fastify';
import { CoreError } from '../../core/index.js';
import type { Core, WorkspaceSelector } from '../../core/index.js';
import { send } from '../../http/errors.js';
import type { Dialect } from '../types.js';
import { JSONAPI_MEDIA_TYPE } from '../../http/jsonapi.js';
import { operations, requestExamples } from '../../http/openapi.js';
import { devtodevErrorHandler, ERROR_CODES, isJsonApiNotFound, notFound, wire } from './errors.js';
import { devtodevRoutes } from './routes.js';
import { devtodevLimits } from './limits.js';
import { registry } from './schemas.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const absent = (v: unknown) => v === undefined || v === null || v === '';

/** `app_id` once the token is good: a workspace uuid (code 2 when missing or malformed). */
const appOf = (appId: unknown): WorkspaceSelector => {
  if (absent(appId)) throw new CoreError('NOT_FOUND', 'app_id is required', { entity: 'workspace', field: 'app_id', rule: 'required' });
  if (typeof appId !== 'string' || !UUID.test(appId)) {
    throw new CoreError('NOT_FOUND', 'app_id must be an app uuid', { entity: 'workspace', field: 'app_id', rule: 'format' });
  }
  return { uuid: appId.toLowerCase() };
};

/**
 * Body must be an object; then `user_token` (code 1) and `app_id` (code 2) make the actor. A callback hook
 * that finishes at once when the key and its workspace are known without a promise (auth.authenticateNow,
 * auth.entered): the usual request. Otherwise the store's answers are awaited.
 */
const authenticate = (core: Core) => {
  const later = async (req: FastifyRequest, token: unknown, appId: unknown) => {
    const key = await core.auth.authenticate(typeof token === 'string' ? token : undefined);
    const app = appOf(appId);
    req.actor = core.auth.entered(key, app, 'devtodev') ?? (await core.auth.enter(key, app, 'devtodev'));
  };
  return (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (req.is404) return done();
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return void send(reply, wire(400, { code: 3, msg: 'body must be a JSON object' }));
    const { user_token: token, app_id: appId } = body as Record<string, unknown>;
    if (absent(token)) throw new CoreError('UNAUTHENTICATED', 'user_token is required', { field: 'user_token', rule: 'required' });
    const key = core.auth.authenticateNow(typeof token === 'string' ? token : undefined);
    if (key === undefined) return void later(req, token, appId).then(() => done(), done);
    const app = appOf(appId);
    const actor = core.auth.entered(key, app, 'devtodev');
    if (actor === undefined) return void core.auth.enter(key, app, 'devtodev').then((a) => ((req.actor = a), done()), done);
    req.actor = actor;
    done();
  };
};

/**
 * devtodev's R client (devtodevr, httr) posts its JSON with no Content-Type at all: httr sends `Content-Type:`
 * empty for a character body, which libcurl drops. A body without a type (or with an empty one) is read as
 * JSON by Fastify's own JSON parser; any other type than application/json stays code 3.
 */
function untypedJson(app: FastifyInstance) {
  const json = app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error');
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) =>
    req.headers['content-type'] === undefined ? json(req, body as string, done) : done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), undefined),
  );
}

const DESCRIPTION = `Chart annotations (a name, a category, a description, a point in time or a span) filed under top-level
category labels. Every operation is a POST with a JSON body carrying \`user_token\` (the API key) and \`app_id\` (the
workspace uuid); a body sent without a \`Content-Type\` (R's httr does so) is read as JSON too. Success: \`{"status_code":200,"data":{…}}\`. Errors: HTTP status = \`status_code\`,
\`{"status_code":N,"errors":[{"code":C,"msg":"…"}]}\`, one error per bad field.

| code | status | meaning |
|---|---|---|
${ERROR_CODES.map((e) => `| ${e.code} | ${e.status} | ${e.meaning} |`).join('\n')}`;

/** Credentials in request examples: the caller's API key and app uuid go here. */
export const EXAMPLE_CREDENTIALS = { user_token: 'YOUR_API_KEY', app_id: 'YOUR_APP_ID' };
/**
 * Examples that work on a fresh app once the credentials are filled in: createLabels makes the category
 * label Releases (1) and the annotations 2 and 3.
 */
const EXAMPLES = Object.fromEntries(
  Object.entries({
    getCategories: {},
    deleteCategory: { category: 'Releases', move_labels_to_category: 'Launches' },
    getLabels: { filter: { category: { eq: 'Releases' } } },
    createLabels: { labels: [{ name: 'Release 2.3', category: 'Releases', start_date: 1790000000 }, { name: 'Release 2.4', category: 'Releases', start_date: 1792000000 }] },
    editLabel: { label: { id: 2, name: 'Release 2.3.1' } },
    deleteLabels: { ids: [2] },
  }).map(([op, body]) => [op, { body: { ...EXAMPLE_CREDENTIALS, ...body } }]),
);

export const devtodev: Dialect = {
  name: 'devtodev',
  title: 'devtodev Labels API',
  description: DESCRIPTION,
  mount: '/api/v1/labels',
  plugin: async (app, { core, config }) => {
    const limits = devtodevLimits(config.devtodevTokenDailyLimit, config.devtodevAppDailyLimit);
    app.removeContentTypeParser('text/plain'); // JSON only, as the vendor
    untypedJson(app);
    app.setErrorHandler(devtodevErrorHandler(app.prefix));
    app.addHook('onRequest', (req, _reply, done) => {
      req.dialect = 'devtodev';
      if (req.headers['content-type'] === '') delete req.headers['content-type']; // an empty type is no type
      done();
    });
    app.addHook('preValidation', authenticate(core));
    // JSON:API forbids media type parameters: the type is set after serialization so no charset is appended.
    app.addHook('onSend', (req, reply, payload, done) => {
      if (isJsonApiNotFound(req)) reply.header('content-type', JSONAPI_MEDIA_TYPE);
      done(null, payload);
    });
    app.setNotFoundHandler((req, reply) => notFound(req, reply, app.prefix));
    devtodevRoutes(app, core, limits);
  },
  openapi: {
    registry,
    // Server /api/v1 and paths /labels/…, as devtodev's documentation writes them (limbo's /api/v1 is another document).
    servers: [{ url: '/api/v1' }],
    // A body over the limit is code 3 with status 400, like malformed JSON: no 413.
    limits: { tooLarge: false },
    tags: [
      { name: 'labels', description: 'Annotations: named points or spans in time, filed under a category' },
      { name: 'categories', description: 'Top-level labels that hold annotations' },
    ],
    finish: (doc) => {
      // The code table as data (x-error-codes), and the 500 every operation may answer with code 0.
      doc['x-error-codes'] = ERROR_CODES.map((e) => ({ ...e }));
      for (const op of operations(doc)) op.responses['500'] = { description: 'Internal error (code 0)', content: op.responses['400'].content };
      requestExamples(doc, EXAMPLES);
    },
  },
  exampleCurl: (base, demo) =>
    `curl -X POST -H 'Content-Type: application/json' -d '{"user_token":"${demo.key}","app_id":"${demo.workspaceUuid}"}' ${base}/api/v1/labels/get`,
};
