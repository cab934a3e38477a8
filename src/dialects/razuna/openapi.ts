// The Razuna document's engine-level parts, which no route schema can carry: label.cfc is one URL whose
// `method` parameter picks the operation, parameters are read by the engine (not validated by a schema),
// and the output switches pick JSON (ROW or COLUMN record sets), JSONP or WDDX. Built from METHODS and the
// mapper's column lists, so the document follows the code.
//
// OpenAPI has one operation per path and verb, and a query string is not part of a path, so the nine
// methods cannot be nine operations at the vendor's URL. POST describes its form body as a `oneOf` of one
// schema per method, discriminated by `method`, each with that method's required arguments: generated
// clients get one call whose argument is that union (setassetlabel without asset_id does not typecheck).
// GET stays the generic form (every argument optional) for hand-written URLs.
import type { OpenApiDocument } from '../../http/openapi.js';
import { ASSET_KINDS, LABEL_COLUMNS } from './mapper.js';
import { ASSET_TYPES, METHODS } from './methods.js';

const str = { type: 'string' };
/** Every argument a method may take, with its schema and meaning. */
const ARGS: Record<string, [object, string]> = {
  label_id: [str, 'A label id, or a comma list of ids (getlabel, remove, setassetlabel, removeassetlabel). setlabel: omit or 0 to create.'],
  label_text: [str, 'setlabel: the label\'s name.'],
  label_parent: [str, 'setlabel: the parent label id; 0 = top level; omitted = top level on create, unchanged on update.'],
  asset_id: [str, 'An asset id (getlabelofasset: a comma list).'],
  asset_type: [{ type: 'string', enum: [...ASSET_TYPES] }, 'The asset\'s type (case-insensitive).'],
  append: [{ type: 'string', enum: ['true', 'false', 'yes', 'no', '1', '0'] }, 'setassetlabel: false first removes the asset\'s other labels. Default true.'],
  label_type: [{ type: 'string', enum: Object.keys(ASSET_KINDS) }, 'getassetoflabel: which kind of assets to list. Default assets.'],
  searchfor: [str, 'searchlabel: * for every label, else a case-insensitive substring of the label path.'],
  overridemax: [str, 'searchlabel: 1 lifts the 1000-row cap.'],
};
const SWITCHES: Record<string, [object, string]> = {
  __BDRETURNFORMAT: [{ type: 'string', enum: ['json', 'jsonp', 'wddx', 'plain'] }, 'Output: json (default), jsonp (needs callback), wddx (WDDX 1.0 XML; any other value is WDDX too); plain answers the engine\'s "Expression Error" (EngineError), as Open BlueDragon does for a component result. BDRETURNFORMAT is accepted as well.'],
  __BDQUERYFORMAT: [{ type: 'string', enum: ['row', 'column'] }, 'Record sets in ROW form (default) or COLUMN form. BDQUERYFORMAT is accepted as well.'],
  __BDJSONCASE: [{ type: 'string', enum: ['maintain', 'lower', 'true', 'upper', 'false'] }, 'lower (or true): record-set members, column names and struct keys in lower case (RecordSetLower, CaseChanged); upper (or false): in upper case (CaseChanged); maintain (the default, as any other value): names as they are, record-set members upper case.'],
};

/** Record sets by name: their columns. */
const RECORD_SETS: Record<string, readonly string[]> = {
  Labels: LABEL_COLUMNS,
  AssetLabels: [...LABEL_COLUMNS, 'assetid'],
  ...Object.fromEntries(Object.entries(ASSET_KINDS).map(([kind, k]) => [kind[0]!.toUpperCase() + kind.slice(1), k.columns.map(([c]) => c)])),
  /** A record-set method's login or role error: one row, responsecode "1". */
  Failure: ['responsecode', 'message'],
};

/** Who may call each method, the arguments it also reads, what it answers (the record sets by name). */
const METHOD_DOCS: Record<string, { who: 'admin' | 'write' | 'read'; optional: string[]; answers: string[]; example: Record<string, string> }> = {
  getall: { who: 'admin', optional: [], answers: ['Labels'], example: {} },
  getlabel: { who: 'read', optional: [], answers: ['Labels'], example: { label_id: '1' } },
  setlabel: { who: 'admin', optional: ['label_id', 'label_parent'], answers: [], example: { label_text: 'pictures' } },
  remove: { who: 'admin', optional: [], answers: [], example: { label_id: '1' } },
  setassetlabel: { who: 'write', optional: ['append'], answers: [], example: { label_id: '1', asset_id: 'a1', asset_type: 'img' } },
  removeassetlabel: { who: 'write', optional: [], answers: [], example: { label_id: '1', asset_id: 'a1' } },
  getlabelofasset: { who: 'read', optional: [], answers: ['AssetLabels'], example: { asset_id: 'a1', asset_type: 'img' } },
  getassetoflabel: { who: 'read', optional: ['label_type'], answers: Object.keys(ASSET_KINDS).map((k) => k[0]!.toUpperCase() + k.slice(1)), example: { label_id: '1' } },
  searchlabel: { who: 'admin', optional: ['overridemax'], answers: ['Labels'], example: { searchfor: '*' } },
};
/** The order the POST examples run in on a fresh workspace: create, read, assign, unassign, remove. */
const EXAMPLE_ORDER = ['setlabel', 'getlabel', 'getall', 'searchlabel', 'setassetlabel', 'getlabelofasset', 'getassetoflabel', 'removeassetlabel', 'remove'];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const callName = (method: string) => `${method[0]!.toUpperCase()}${method.slice(1)}Call`;
const docOf = (name: string) => {
  const d = METHOD_DOCS[name];
  if (!d) throw new Error(`razuna: label.cfc method ${name} has no entry in METHOD_DOCS (src/dialects/razuna/openapi.ts)`);
  return d;
};

function recordSetSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [name, columns] of Object.entries(RECORD_SETS)) {
    // Exactly these cells: `unevaluatedItems: false` with min/maxItems rather than `items: false`, which
    // oazapfts types as never[] (all five generators make tuples of this form).
    const exactly = { minItems: columns.length, maxItems: columns.length, unevaluatedItems: false };
    const names = { type: 'array', prefixItems: columns.map((c) => ({ const: c })), ...exactly };
    const row = { type: 'array', prefixItems: columns.map((c) => ({ type: 'string', title: c })), ...exactly };
    out[`${name}Rows`] = {
      description: `${name} record set in ROW form (the default): columns ${columns.join(', ')}; one array of string cells per row.`,
      type: 'object',
      properties: { COLUMNS: names, DATA: { type: 'array', items: row } },
      required: ['COLUMNS', 'DATA'],
      additionalProperties: false,
    };
    out[`${name}Columns`] = {
      description: `${name} record set in COLUMN form (__BDQUERYFORMAT=column): one array of string cells per column.`,
      type: 'object',
      properties: {
        ROWCOUNT: { type: 'integer', minimum: 0 },
        COLUMNS: names,
        DATA: { type: 'object', properties: Object.fromEntries(columns.map((c) => [c, { type: 'array', items: str }])), required: [...columns], additionalProperties: false },
      },
      required: ['ROWCOUNT', 'COLUMNS', 'DATA'],
      additionalProperties: false,
    };
  }
  return out;
}

const cells = { type: 'array', items: str };
const fixedComponents = {
  RecordSetLower: {
    description: 'Any record set with __BDJSONCASE=lower (ROW or COLUMN form with lower-case members).',
    type: 'object',
    properties: { rowcount: { type: 'integer' }, columns: cells, data: { anyOf: [{ type: 'array', items: cells }, { type: 'object', additionalProperties: cells }] } },
    required: ['columns', 'data'],
    additionalProperties: false,
  },
  Status: {
    description: 'A method\'s status: responsecode 0 (success) or 1 (error) and a message; setlabel adds label_id.',
    type: 'object',
    properties: { responsecode: { type: 'integer', enum: [0, 1] }, message: str, label_id: str },
    required: ['responsecode', 'message'],
    additionalProperties: false,
  },
  CaseChanged: {
    description: 'Any record set or status with __BDJSONCASE=upper/false (RESPONSECODE, LABEL_ID, …) or lower/true: the same members with their names in that case.',
    type: 'object',
  },
  EngineError: {
    description: 'The engine\'s own error (missing method, missing argument, JSONP without or with a bad callback, unknown path, transport).',
    type: 'object',
    properties: { message: str, errorcode: str, detail: str },
    required: ['message', 'errorcode', 'detail'],
    additionalProperties: false,
  },
};

/** The JSON answers of one method: its record sets in both forms (and the failure rows) or Status, plus EngineError. */
function answersOf(name: string): string[] {
  const m = METHODS.get(name)!;
  const sets = m.returns === 'recordset' ? [...docOf(name).answers, 'Failure'] : [];
  const status = m.returns === 'struct' || name === 'searchlabel' ? ['Status'] : []; // searchlabel over the cap: a struct
  return [...sets.flatMap((s) => [`${s}Rows`, `${s}Columns`]), ...(sets.length ? ['RecordSetLower'] : []), ...status, 'CaseChanged', 'EngineError'];
}

function callSchema(name: string): object {
  const m = METHODS.get(name)!;
  const d = docOf(name);
  const arg = (a: string) => {
    const [schema, description] = ARGS[a] ?? [str, ''];
    return [a, { ...schema, description }];
  };
  const sw = Object.entries(SWITCHES).map(([k, [schema, description]]) => [k, { ...schema, description }]);
  // The key may travel in the form too: for clients whose generator drops a query key on a call with no
  // query parameters (@hey-api/openapi-ts 0.95 does).
  const key = ['api_key', { type: 'string', description: 'The API key, if not in the query string (the apiKey security scheme; the query wins).' }];
  return {
    title: name,
    description: `${name} (${d.who}). Answers ${answersOf(name).join(', ')}.`,
    type: 'object',
    properties: Object.fromEntries([['method', { type: 'string', const: name }], ...m.required.map(arg), ...d.optional.map(arg), key, ...sw]),
    required: ['method', ...m.required],
  };
}

const answerContent = (schemas: string[]) => ({
  'application/json': { schema: { anyOf: schemas.map(ref) } },
  'application/javascript': { schema: { type: 'string', description: '`<callback>(<json>)` with `__BDRETURNFORMAT=jsonp`' } },
  'text/xml': { schema: { type: 'string', description: 'A WDDX 1.0 packet with __BDRETURNFORMAT=wddx (any other value than json or jsonp)' } },
});
const engineError = (description: string) => ({ description, content: { 'application/json': { schema: ref('EngineError') } } });

const methodTable = (): string =>
  [
    '| method | who | required | optional | JSON answers |',
    '|---|---|---|---|---|',
    ...[...METHODS.values()].map((m) => {
      const d = docOf(m.name);
      return `| ${m.name} | ${d.who} | ${m.required.join(', ') || '—'} | ${d.optional.join(', ') || '—'} | ${answersOf(m.name).join(', ')} |`;
    }),
  ].join('\n');

/** Fills in the label.cfc operations: a typed POST body per method, the generic GET, the three output formats. */
export function razunaDocument(doc: OpenApiDocument): void {
  const names = [...METHODS.values()].map((m) => m.name);
  const calls = Object.fromEntries(names.map((n) => [callName(n), callSchema(n)]));
  const allAnswers = [...new Set(names.flatMap(answersOf))];
  const Call = { description: 'The form fields of one label.cfc call: `method` picks the schema.', oneOf: names.map((n) => ref(callName(n))), discriminator: { propertyName: 'method', mapping: Object.fromEntries(names.map((n) => [n, `#/components/schemas/${callName(n)}`])) } };
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ...recordSetSchemas(), ...fixedComponents, ...calls, Call } };
  doc['x-razuna-methods'] = names.map((n) => ({ name: n, returns: METHODS.get(n)!.returns, required: [...METHODS.get(n)!.required], optional: docOf(n).optional, who: docOf(n).who, answers: answersOf(n) }));
  const item = doc.paths['/label.cfc'];
  const ok = { description: 'Every API-level outcome, errors included (the body tells which).', content: answerContent(allAnswers) };
  const limited = { description: 'Too Many Requests (LABELMUX_RATE_LIMIT): the method\'s error shape, in the requested format.', content: answerContent(allAnswers) };
  const description = `${item.get.description}\n\n${methodTable()}`;
  const queryParams = Object.entries({ ...ARGS, ...SWITCHES }).map(([name, [schema, text]]) => ({ name, in: 'query', required: false, description: text, schema }));
  // Open BlueDragon reads the JSONP callback from the URL only (a form field named callback is an argument).
  const callback = { name: 'callback', in: 'query', required: false, description: 'JSONP (__BDRETURNFORMAT=jsonp): the function name; read from the query string only.', schema: { type: 'string', pattern: '^([A-Za-z_$][\\w$.]*|\\?)$' } };
  const method = { name: 'method', in: 'query', required: true, description: 'The label.cfc method (case-insensitive); the table in the description says what each one takes and answers.', schema: { type: 'string', enum: names }, example: 'getall' };
  item.get = {
    ...item.get,
    tags: ['label.cfc'],
    operationId: 'callGet',
    description: `${description}\n\nEvery argument is optional here; the POST form body is typed per method.`,
    // api_key also as a parameter: generators do not send an apiKey security scheme's query value.
    parameters: [method, { name: 'api_key', in: 'query', required: false, description: 'The API key, `<key>` or `<workspaceId>-<key>` (the apiKey security scheme).', schema: { type: 'string' } }, ...queryParams, callback],
    responses: { 200: ok, 404: engineError('Not found (an unknown path under the mount, or a verb other than GET and POST).'), 429: limited },
  };
  const examples = Object.fromEntries(EXAMPLE_ORDER.filter((n) => METHODS.has(n)).map((n) => [n, { summary: n, value: { method: n, ...docOf(n).example } }]));
  const form = { schema: ref('Call') };
  item.post = {
    ...item.post,
    tags: ['label.cfc'],
    operationId: 'call',
    parameters: [callback],
    description: `${description}\n\nThe form body is one method's call. The same parameters may come from the query string too (the query wins).`,
    requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { ...form, examples }, 'multipart/form-data': form } },
    responses: {
      200: ok,
      400: engineError('A multipart body without a boundary.'),
      404: engineError('Not found (an unknown path under the mount, or a verb other than GET and POST).'),
      413: engineError('The body is larger than the limit.'),
      415: engineError('A form body in a charset labelmux does not know (named in the message).'),
      429: limited,
    },
  };
}

export const razunaOpenapi = {
  servers: [{ url: '/global/api2' }],
  securitySchemes: {
    apiKey: { type: 'apiKey', in: 'query', name: 'api_key', description: '`<key>` or `<workspaceId>-<key>` (the prefix picks the workspace of a user-wide key). A form field api_key works too. A missing or bad key answers "Login not valid!…" in the method\'s shape.' },
  },
  security: [{ apiKey: [] }],
  tags: [{ name: 'label.cfc', description: 'The label.cfc remote methods (one URL, the method parameter picks the operation)' }],
  finish: razunaDocument,
};
