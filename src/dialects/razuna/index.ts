// Razuna Label API2 (label.cfc remote methods on Open BlueDragon), mounted at /global/api2/label.cfc
// (docs/dialects.md and docs/dialects/razuna.md).
//
// Decisions where the spec is silent:
// - Parameters: query string, then x-www-form-urlencoded or multipart fields (query wins); names are
//   case-insensitive; a name given more than once (in any case) joins its values with ',', as CFML's URL
//   and FORM scopes do. Other bodies (JSON, text) are read within the body limit and ignored, as the engine
//   ignores them; uploaded files are not parameters. Method names are case-insensitive too.
// - Order of checks, as the engine runs them (OpenBD cfEngine.java): method, output switches (JSONP callback),
//   required arguments, then login and role inside the method. `api_key` is not treated as a required
//   argument: a missing key is "Login not valid!". Switches are read as OpenBD reads them (params.ts): a blank
//   `__BDRETURNFORMAT` is WDDX like any unknown value, `plain` is the engine's "Data not supported" error (answered
//   before the method runs, so it changes nothing; the engine runs the method, then fails to write it); the
//   `__` spelling wins when both are given; `__BDQUERYFORMAT` other than `column` is ROW; `callback` counts
//   only in the query string.
// - Engine errors (missing method, missing argument, JSONP without or with a bad callback) are the engine's
//   struct {message, errorcode:"", detail:""}; a bad callback answers "the CALLBACK parameter is not valid…"
//   and both callback errors are plain JSON. An unknown method is {responsecode:1, message} naming it.
// - Lists (`108,109`): split on ',', items trimmed, empty items dropped. Reading methods treat an item that is
//   not an id as an unknown label (absent); changing methods answer "Label_id '<item>' does not exist…".
//   `remove` ignores unknown ids (the vendor's lenient list removal); setassetlabel/removeassetlabel refuse
//   unknown labels with the same message. An empty list to `remove` names LABEL_ID as not valid.
// - setlabel: label_id empty or 0 creates; an empty label_parent counts as omitted; a label made its own
//   parent gets the circular-reference message. A sibling with the same name (case-insensitive) is an error
//   struct "A label named '<text>' already exists at this level (label_id '<id>')…"; setlabel's own errors
//   echo label_id as given ("0" when omitted), login/role errors do not.
// - asset_type and label_type are case-insensitive and checked ("Parameter ASSET_TYPE is not valid: …");
//   `append` takes CFML booleans (true/false, yes/no, 1/0). getassetoflabel of an unknown label is an empty
//   record set; assets are ordered by name (filename) and capped at 10,000 rows (Razuna has no paging).
//   getlabelofasset answers assets in the order asked, each one's labels by path.
// - Record sets carry every value as a string (ids included, attributes stringified, missing attributes "");
//   structs keep `responsecode` a number. The over-cap searchlabel struct carries responsecode 1.
// - searchlabel: `*` (trimmed) is everything; otherwise a literal case-insensitive substring of the path, so
//   `%` and `_` match themselves; `overridemax` is numeric and only 1 lifts the cap; exactly 1000 hits pass.
// - WDDX: a small hand-written serializer (src/dialects/razuna/wddx.ts) rather than xmlbuilder2 (not
//   installed; a general builder writes "-quoted attributes and would need post-processing to give the
//   byte-exact `'`-quoted form with `<char code='0b'/>` elements). Every C0
//   control character, tab/LF/CR included, is written as <char/> so values round-trip through XML parsers.
// - JSONP bodies escape U+2028, U+2029 and `<` as \uXXXX (still the same JSON value) so they are safe script.
// - Content types: application/json, application/javascript, text/xml (all charset=utf-8). Transport errors
//   keep their HTTP status with an engine error struct: 413 body too large (or a file part), 400 multipart
//   without a boundary. The mount path is exact, as the vendor's (`label.cfc/` is not it); unknown paths and
//   verbs other than GET/POST answer 404 with an engine error struct.
import type { FastifyError, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { isCoreError, type Core, type KeyPrincipal, type WorkspaceSelector } from '../../core/index.js';
import { errorHandler, send } from '../../http/errors.js';
import { registerFormBody } from '../../http/form-body.js';
import { gone } from '../../http/heavy.js';
import { isMultipartRequest, withMultipart } from '../../http/multipart.js';
import { gathered, pacedBy, sendStreamed } from '../../http/streamed.js';
import type { Dialect } from '../types.js';
import { RazunaFault, razunaErrors, wire } from './errors.js';
import { engineError, failure } from './mapper.js';
import { METHODS } from './methods.js';
import { razunaOpenapi } from './openapi.js';
import { DEFAULT_FORMAT, NOT_PLAIN, encodePieces } from './output.js';
import { apiKey, collectParams, outputFormat } from './params.js';

const CALLBACK_PROBLEMS = {
  callback_missing: 'the request must contain a CALLBACK parameter if using JSONP',
  callback_invalid: 'the CALLBACK parameter is not valid: it must be ? or a JavaScript name (letters, digits, _, $ and .)',
} as const;

const METHOD_NAMES = [...METHODS.keys()].join(', ');

/**
 * The engine's part: parameters, output switches, method, required arguments; then the login. A callback hook
 * that finishes at once when the key and its workspace are known without a promise (auth.authenticateNow,
 * auth.entered): the usual request. Otherwise the store's answers are awaited.
 */
const decode = (core: Core) => {
  const later = async (req: FastifyRequest, known: KeyPrincipal | undefined, key: string | undefined, workspace: WorkspaceSelector) => {
    const found = known ?? (await core.auth.authenticate(key));
    req.actor = core.auth.entered(found, workspace, 'razuna') ?? (await core.auth.enter(found, workspace, 'razuna'));
  };
  return (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (req.is404) return done();
    const params = collectParams(req.query, req.body);
    const format = outputFormat(params);
    req.razuna = { params, format: typeof format === 'string' ? DEFAULT_FORMAT : format };
    const name = params.get('method')?.trim();
    if (!name) throw new RazunaFault(engineError('the request must contain a METHOD parameter'));
    if (typeof format === 'string') throw new RazunaFault(engineError(CALLBACK_PROBLEMS[format]));
    const method = METHODS.get(name.toLowerCase());
    if (!method) throw new RazunaFault(failure(`The method '${name}' does not exist in component label.cfc. Available methods: ${METHOD_NAMES}.`));
    req.razuna.method = method;
    const missing = method.required.find((a) => !params.has(a));
    if (missing) throw new RazunaFault(engineError(`The parameter ${missing.toUpperCase()} to function ${method.name} is required but was not passed in.`));
    // Every method's result is a struct or a record set, which `plain` cannot write: the engine runs the method,
    // then fails. The answer is the same without running it, so nothing is written for a request that fails.
    if (format.returns === 'plain') throw new RazunaFault(NOT_PLAIN);
    const { key, workspace } = apiKey(params.get('api_key'));
    const found = core.auth.authenticateNow(key);
    const actor = found && core.auth.entered(found, workspace, 'razuna');
    if (!actor) return void later(req, found, key, workspace).then(() => done(), done);
    req.actor = actor;
    done();
  };
};

/**
 * busboy's parse failures (e.g. `multipart/form-data` without a boundary) carry no HTTP status; raised while
 * the body is read, before the engine ran, they are the client's malformed body, not a server fault.
 */
const malformedMultipart = (error: FastifyError, req: FastifyRequest) =>
  req.razuna === undefined && !error.statusCode && !error.validation && isMultipartRequest(req);

const handleError = (() => {
  const base = errorHandler(razunaErrors);
  return (error: FastifyError | RazunaFault, req: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof RazunaFault) return send(reply, error.render(req));
    if (!isCoreError(error) && malformedMultipart(error, req)) return send(reply, razunaErrors.plain(400, 'Malformed multipart/form-data body', req));
    return base(error, req, reply);
  };
})();

const DESCRIPTION = `Razuna label.cfc remote methods. Parameters in the query string or a form body (query wins), names case-insensitive:
method (${METHOD_NAMES}), api_key (\`<key>\` or \`<workspaceId>-<key>\`) and the method's arguments. Output: JSON (default; record sets in ROW form,
\`__BDQUERYFORMAT=column\` for COLUMN form), \`__BDRETURNFORMAT=jsonp&callback=<name>\`, \`__BDRETURNFORMAT=wddx\`. HTTP 200 for every API outcome.`;

export const razuna: Dialect = {
  name: 'razuna',
  title: 'Razuna Label API2',
  description: DESCRIPTION,
  mount: '/global/api2/label.cfc',
  plugin: async (app, { core }) => {
    app.decorateRequest('razuna', undefined); // on every request from the start: one shape of request object
    app.removeAllContentTypeParsers();
    registerFormBody(app); // decoded in the declared charset (Apache HttpClient posts ISO-8859-1)
    // Any other body is read (within the body limit) and ignored: the engine only reads form fields.
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));
    app.setErrorHandler(handleError);
    app.addHook('onRequest', (req, _reply, done) => {
      req.dialect = 'razuna';
      done();
    });
    app.addHook('preHandler', decode(core));
    app.setNotFoundHandler((req, reply) => send(reply, wire(404, engineError(`Not found: ${req.url.split('?')[0]}`), DEFAULT_FORMAT)));
    const route = {
      url: '',
      schema: { summary: 'Call a label.cfc method', description: DESCRIPTION },
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const { params, format, method } = req.razuna!;
        if (method!.heavy && !(await app.heavy(req, 'holds'))) return gone(reply);
        const outcome = await method!.run(core, req.actor!, params, method!.heavy ? pacedBy(req.socket) : undefined);
        if (outcome === null) return gone(reply); // the client left while the record set was read
        if (!method!.heavy) return send(reply, wire(200, outcome, format));
        // Whole-workspace record sets are written a run of rows at a time (src/http/streamed.ts), same bytes.
        const { contentType, pieces } = encodePieces(outcome, format);
        return sendStreamed(reply.code(200), contentType, gathered(pieces));
      },
    };
    // A GET's body is never read: only POST parses multipart bodies (http/multipart.ts).
    app.route({ ...route, method: 'GET' });
    withMultipart(app, { fields: 100, fieldSize: 256 * 1024 }, (scope) => scope.route({ ...route, method: 'POST' }));
  },
  openapi: razunaOpenapi,
  exampleCurl: (base, demo) => `curl '${base}/global/api2/label.cfc?method=getall&api_key=${demo.workspaceId}-${demo.key}'`,
};
