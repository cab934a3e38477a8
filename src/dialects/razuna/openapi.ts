// The Razuna document's engine-level parts, which no route schema can carry: label.cfc is one URL whose
// `method` parameter picks the operation, parameters are read by the engine (not validated by a schema),
// and the output switches pick JSON (ROW or COLUMN record sets), JSONP or WDDX. Built from METHODS and the
// mapper's column lists, so the document follows the code.
import type { OpenApiDocument } from '../../http/openapi.js';
import { ASSET_KINDS, LABEL_COLUMNS } from './mapper.js';
import { ASSET_TYPES, METHODS } from './methods.js';

/** Who may call each method and what its arguments mean (../shared/spec/razuna.md#methods). */
const METHOD_DOCS: Record<string, { who: 'admin' | 'write' | 'read'; args: string; answers: string }> = {
  getall: { who: 'admin', args: '—', answers: `record set ${LABEL_COLUMNS.join(',')}, ordered by path` },
  getlabel: { who: 'read', args: 'label_id (one id or a comma list)', answers: 'the same columns; unknown ids are absent' },
  setlabel: { who: 'admin', args: 'label_text; label_id (omit or 0 to create); label_parent (0 = top level)', answers: 'struct responsecode,message,label_id' },
  remove: { who: 'admin', args: 'label_id (one or a comma list)', answers: 'struct; subtrees and their assignments go too' },
  setassetlabel: { who: 'write', args: 'label_id (list), asset_id, asset_type, append (default true; false replaces the asset\'s labels)', answers: 'struct' },
  removeassetlabel: { who: 'write', args: 'label_id (list), asset_id (any type)', answers: 'struct' },
  getlabelofasset: { who: 'read', args: 'asset_id (list), asset_type', answers: `record set ${[...LABEL_COLUMNS, 'assetid'].join(',')}` },
  getassetoflabel: { who: 'read', args: 'label_id, label_type (assets, folders, collections)', answers: 'record set of the assets (columns per label_type, see x-razuna-asset-columns)' },
  searchlabel: { who: 'admin', args: 'searchfor (* = all; else a case-insensitive substring of the path), overridemax (1 lifts the 1000-row cap)', answers: `record set ${LABEL_COLUMNS.join(',')}, or a struct over the cap` },
};

const str = { type: 'string' };
const params: [string, object, string][] = [
  ['api_key', str, '`<key>` or `<workspaceId>-<key>` (the prefix picks the workspace of a user-wide key). A missing or bad key answers "Login not valid!…" in the method\'s shape.'],
  ['label_id', str, 'A label id, or a comma list of ids (getlabel, remove, setassetlabel, removeassetlabel). setlabel: omit or 0 to create.'],
  ['label_text', str, 'setlabel: the label\'s name.'],
  ['label_parent', str, 'setlabel: the parent label id; 0 = top level; omitted = top level on create, unchanged on update.'],
  ['asset_id', str, 'An asset id (getlabelofasset: a comma list).'],
  ['asset_type', { type: 'string', enum: [...ASSET_TYPES] }, 'The asset\'s type (case-insensitive).'],
  ['append', { type: 'string', enum: ['true', 'false', 'yes', 'no', '1', '0'] }, 'setassetlabel: false first removes the asset\'s other labels. Default true.'],
  ['label_type', { type: 'string', enum: Object.keys(ASSET_KINDS) }, 'getassetoflabel: which kind of assets to list. Default assets.'],
  ['searchfor', str, 'searchlabel: * for every label, else a case-insensitive substring of the label path.'],
  ['overridemax', str, 'searchlabel: 1 lifts the 1000-row cap.'],
  ['__BDRETURNFORMAT', { type: 'string', enum: ['json', 'jsonp', 'wddx'] }, 'Output: json (default), jsonp (needs callback), wddx (WDDX 1.0 XML; any other value is WDDX too). BDRETURNFORMAT is accepted as well.'],
  ['__BDQUERYFORMAT', { type: 'string', enum: ['row', 'column'] }, 'Record sets in ROW form (default) or COLUMN form. BDQUERYFORMAT is accepted as well.'],
  ['__BDJSONCASE', { type: 'string', enum: ['lower'] }, 'lower: record-set members columns/data/rowcount in lower case.'],
  ['callback', { type: 'string', pattern: '^([A-Za-z_$][\\w$.]*|\\?)$' }, 'JSONP: the function name.'],
];

const methodParam = {
  name: 'method',
  in: 'query',
  required: true,
  description: 'The label.cfc method (case-insensitive); the table in the operation description says what each one takes and answers.',
  schema: { type: 'string', enum: [...METHODS.values()].map((m) => m.name) },
};

const cells = { type: 'array', items: str };
const components = {
  RecordSetRow: {
    description: 'A record set in ROW form (the default): column names and one array of string cells per row.',
    type: 'object',
    properties: { COLUMNS: cells, DATA: { type: 'array', items: cells } },
    required: ['COLUMNS', 'DATA'],
    additionalProperties: false,
  },
  RecordSetColumn: {
    description: 'A record set in COLUMN form (__BDQUERYFORMAT=column): one array of cells per column.',
    type: 'object',
    properties: { ROWCOUNT: { type: 'integer' }, COLUMNS: cells, DATA: { type: 'object', additionalProperties: cells } },
    required: ['ROWCOUNT', 'COLUMNS', 'DATA'],
    additionalProperties: false,
  },
  RecordSetLower: {
    description: 'A record set with __BDJSONCASE=lower (ROW or COLUMN form with lower-case members).',
    type: 'object',
    properties: { rowcount: { type: 'integer' }, columns: cells, data: { anyOf: [{ type: 'array', items: cells }, { type: 'object', additionalProperties: cells }] } },
    required: ['columns', 'data'],
    additionalProperties: false,
  },
  Struct: {
    description: 'A method\'s status: responsecode 0 (success) or 1 (error) and a message; setlabel adds label_id.',
    type: 'object',
    properties: { responsecode: { type: 'integer', enum: [0, 1] }, message: str, label_id: str },
    required: ['responsecode', 'message'],
    additionalProperties: false,
  },
  EngineError: {
    description: 'The engine\'s own error (missing method, missing argument, JSONP without or with a bad callback, unknown path).',
    type: 'object',
    properties: { message: str, errorcode: { const: '' }, detail: { const: '' } },
    required: ['message', 'errorcode', 'detail'],
    additionalProperties: false,
  },
};

const ref = (name: keyof typeof components) => ({ $ref: `#/components/schemas/${name}` });
const answer = {
  description: 'Every API-level outcome, errors included (the body tells which).',
  content: {
    'application/json': { schema: { anyOf: [ref('RecordSetRow'), ref('RecordSetColumn'), ref('RecordSetLower'), ref('Struct'), ref('EngineError')] } },
    'application/javascript': { schema: { type: 'string', description: '`<callback>(<json>)` with `__BDRETURNFORMAT=jsonp`' } },
    'text/xml': { schema: { type: 'string', description: 'A WDDX 1.0 packet with __BDRETURNFORMAT=wddx' } },
  },
};
const engineError = (description: string) => ({ description, content: { 'application/json': { schema: ref('EngineError') } } });

const methodTable = [
  '| method | who | arguments | answers |',
  '|---|---|---|---|',
  ...[...METHODS.values()].map((m) => {
    const d = METHOD_DOCS[m.name];
    return `| ${m.name} | ${d?.who ?? ''} | ${d?.args ?? m.required.join(', ')} | ${d?.answers ?? m.returns} |`;
  }),
].join('\n');

/** Fills in the label.cfc operations: parameters, form bodies, the three output formats and the method table. */
export function razunaDocument(doc: OpenApiDocument): void {
  const queryParams = params.map(([name, schema, description]) => ({ name, in: 'query', required: false, description, schema }));
  const formFields = Object.fromEntries([['method', methodParam.schema], ...params.map(([name, schema, description]) => [name, { ...schema, description }])]);
  const form = { schema: { type: 'object', properties: formFields, required: ['method'] } };
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ...components } };
  doc['x-razuna-methods'] = [...METHODS.values()].map((m) => ({ name: m.name, returns: m.returns, required: [...m.required], who: METHOD_DOCS[m.name]?.who }));
  doc['x-razuna-asset-columns'] = Object.fromEntries(Object.entries(ASSET_KINDS).map(([kind, k]) => [kind, { types: k.types, columns: k.columns.map(([c]) => c) }]));
  const item = doc.paths['/global/api2/label.cfc'];
  const common = {
    tags: ['label.cfc'],
    responses: {
      200: answer,
      400: engineError('A multipart body without a boundary.'),
      404: engineError('Not found (an unknown path under the mount, or a verb other than GET and POST).'),
      413: engineError('The body is larger than the limit.'),
    },
  };
  const description = `${item.get.description}\n\n${methodTable}`;
  item.get = { ...item.get, ...common, operationId: 'callGet', description, parameters: [methodParam, ...queryParams] };
  item.post = {
    ...item.post,
    ...common,
    operationId: 'callPost',
    description: `${description}\n\nThe same parameters may come from the query string too (the query wins).`,
    requestBody: { required: true, content: { 'application/x-www-form-urlencoded': form, 'multipart/form-data': form } },
  };
}
