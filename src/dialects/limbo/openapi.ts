// The limbo document's JSON:API parts, which the route schemas (responses only) cannot carry: request
// documents are decoded by document.ts/attributes.ts, query parameters by query.ts from each endpoint's
// QuerySpec, and every body is `application/vnd.api+json`. Built from the same QuerySpecs and field lists
// the handlers use, so the document follows the code.
import { requestExamples, type OpenApiDocument } from '../../http/openapi.js';
import { DocRegistry } from '../../http/doc-registry.js';
import { JSONAPI_MEDIA_TYPE } from '../../http/jsonapi.js';
import { MAX_LINKAGE, USAGE_FLAGS, DESCRIPTION_MAX } from './attributes.js';
import { COMPANY_LIST, FIELDS_ONLY, LABEL_LIST, LABEL_ONE, LINKAGE_PAGE, NONE, PRODUCT_LIST } from './filters.js';
import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, type QuerySpec } from './query.js';
import * as s from './schemas.js';

/** Named components: the resource objects and the error document the route schemas already use. */
export const registry = new DocRegistry();
registry.add(s.labelResource, { id: 'Label' });
registry.add(s.companyResource, { id: 'Company' });
registry.add(s.productResource, { id: 'Product' });
registry.add(s.errorDoc, { id: 'ErrorDocument', description: 'A JSON:API error document (laravel-json-api): status is a string; source points into the request.' });
registry.add(s.oauthError, { id: 'OAuthError', description: 'RFC 6749 §5.2 error response.' });

const str = { type: 'string' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const identifier = (type: string) => ({ type: 'object', properties: { type: { const: type }, id: str }, required: ['type', 'id'] });
const usage = { type: 'object', properties: Object.fromEntries(USAGE_FLAGS.map((f) => [f, { type: 'boolean' }])), additionalProperties: false };
const attributes = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 255 }, description: { type: ['string', 'null'], maxLength: DESCRIPTION_MAX }, usage },
};
const companyRelationship = { type: 'object', properties: { data: ref('CompanyIdentifier') }, required: ['data'] };

const requestSchemas = {
  CompanyIdentifier: identifier('companies'),
  ProductIdentifier: identifier('products'),
  LabelCreateDocument: {
    description: 'POST /labels: name and company are required; usage defaults to every flag true. Labels are created at the top level.',
    type: 'object',
    properties: {
      data: {
        type: 'object',
        properties: {
          type: { const: 'labels' },
          attributes: { ...attributes, required: ['name'] },
          relationships: { type: 'object', properties: { company: companyRelationship }, required: ['company'] },
        },
        required: ['type', 'attributes', 'relationships'],
      },
    },
    required: ['data'],
  },
  LabelUpdateDocument: {
    description: 'PATCH /labels/{id}: any attributes; usage flags not sent keep their values; a company relationship moves the label (owner/admin in both).',
    type: 'object',
    properties: {
      data: {
        type: 'object',
        properties: { type: { const: 'labels' }, id: str, attributes, relationships: { type: 'object', properties: { company: companyRelationship } } },
        required: ['type', 'id'],
      },
    },
    required: ['data'],
  },
  CompanyLinkage: { type: 'object', properties: { data: ref('CompanyIdentifier') }, required: ['data'] },
  ProductLinkage: { type: 'object', properties: { data: { type: 'array', items: ref('ProductIdentifier'), maxItems: MAX_LINKAGE } }, required: ['data'] },
  TokenRequest: {
    description: 'RFC 6749 §4.3.2 password grant (email, or username, and password) or §6 refresh_token grant.',
    type: 'object',
    properties: { grant_type: { type: 'string', enum: ['password', 'refresh_token'] }, email: str, username: str, password: str, refresh_token: str },
    required: ['grant_type'],
  },
};

/** The query parameters of one endpoint, from the QuerySpec its handler parses with. */
function queryParameters(spec: QuerySpec): object[] {
  const p = (name: string, description: string, schema: object = str) => ({ name, in: 'query', required: false, description, schema });
  const out: object[] = [];
  for (const name of Object.keys(spec.filters ?? {})) {
    if (spec.nested?.[name]) for (const sub of spec.nested[name]) out.push(p(`filter[${name}][${sub}]`, `Exact (case-insensitive) ${sub} of one of the label's ${name}.`));
    else out.push(p(`filter[${name}]`, `Filter on ${name}.`));
  }
  if (spec.sorts) out.push(p('sort', `Comma list of ${spec.sorts.join(', ')}; a leading - sorts descending.`));
  if (spec.page) {
    out.push(p('page[number]', 'Page number, from 1.', { type: 'integer', minimum: 1 }));
    out.push(p('page[size]', `Page size (default ${PAGE_SIZE_DEFAULT}).`, { type: 'integer', minimum: 1, maximum: PAGE_SIZE_MAX }));
  }
  if (spec.includes) out.push(p('include', `Comma list of ${spec.includes.join(', ')}.`));
  for (const [type, fields] of Object.entries(spec.fields ?? {})) out.push(p(`fields[${type}]`, fields ? `Sparse fieldset: comma list of ${fields.join(', ')}.` : 'Sparse fieldset.'));
  return out;
}

export interface Operation {
  operationId: string;
  tag: 'labels' | 'relationships' | 'catalogue';
  summary: string;
  query: QuerySpec;
  body?: keyof typeof requestSchemas;
  description?: string;
}

export const LIMBO_OPERATIONS: Record<string, Record<string, Operation>> = {
  '/api/v1/labels': {
    get: { operationId: 'listLabels', tag: 'labels', summary: 'List labels', query: LABEL_LIST, description: 'Every label the credential sees, in every workspace (company) it grants.' },
    post: { operationId: 'createLabel', tag: 'labels', summary: 'Create a label', query: LABEL_ONE, body: 'LabelCreateDocument' },
  },
  '/api/v1/labels/{id}': {
    get: { operationId: 'getLabel', tag: 'labels', summary: 'Get a label', query: LABEL_ONE },
    patch: { operationId: 'updateLabel', tag: 'labels', summary: 'Update or move a label', query: LABEL_ONE, body: 'LabelUpdateDocument' },
    delete: { operationId: 'deleteLabel', tag: 'labels', summary: 'Delete a label', query: NONE, description: 'Its sub-labels (made through other dialects) and every assignment go with it.' },
  },
  '/api/v1/labels/{id}/company': { get: { operationId: 'getLabelCompany', tag: 'relationships', summary: 'The label\'s company', query: FIELDS_ONLY } },
  '/api/v1/labels/{id}/relationships/company': {
    get: { operationId: 'getLabelCompanyLinkage', tag: 'relationships', summary: 'The label\'s company linkage', query: NONE },
    patch: { operationId: 'setLabelCompany', tag: 'relationships', summary: 'Move the label to another company', query: NONE, body: 'CompanyLinkage' },
  },
  '/api/v1/labels/{id}/products': { get: { operationId: 'getLabelProducts', tag: 'relationships', summary: 'The label\'s products', query: PRODUCT_LIST } },
  '/api/v1/labels/{id}/relationships/products': {
    get: { operationId: 'getLabelProductLinkage', tag: 'relationships', summary: 'The label\'s product linkage', query: LINKAGE_PAGE },
    post: { operationId: 'addLabelProducts', tag: 'relationships', summary: 'Assign the label to products', query: NONE, body: 'ProductLinkage' },
    delete: { operationId: 'removeLabelProducts', tag: 'relationships', summary: 'Unassign the label from products', query: NONE, body: 'ProductLinkage' },
    patch: { operationId: 'replaceLabelProducts', tag: 'relationships', summary: 'Replace the label\'s products', query: NONE, body: 'ProductLinkage' },
  },
  '/api/v1/companies': { get: { operationId: 'listCompanies', tag: 'catalogue', summary: 'List companies (the credential\'s workspaces)', query: COMPANY_LIST } },
  '/api/v1/companies/{id}': { get: { operationId: 'getCompany', tag: 'catalogue', summary: 'Get a company', query: FIELDS_ONLY } },
  '/api/v1/products': { get: { operationId: 'listProducts', tag: 'catalogue', summary: 'List products', query: PRODUCT_LIST } },
  '/api/v1/products/{id}': {
    get: {
      operationId: 'getProduct',
      tag: 'catalogue',
      summary: 'Get a product',
      query: FIELDS_ONLY,
      description: 'A product id is its external id (`1001`) for an API key of one company, and `<companyId>-<externalId>` (`2-1001`) for an access token or a user-wide key, which can reach several companies; both forms are accepted from any credential. A bare id two reachable companies share is 404: use the qualified form.',
    },
  },
};

/** application/json → the JSON:API media type, on every answer of an /api/v1 operation. */
function jsonApiContent(op: OpenApiDocument): void {
  for (const response of Object.values<OpenApiDocument>(op.responses ?? {})) {
    const schema = response.content?.['application/json']?.schema;
    if (schema) response.content = { [JSONAPI_MEDIA_TYPE]: { schema } };
  }
}

/**
 * Examples that work as they are on a fresh server: the demo workspace (company 1), the label createLabel
 * makes (1), product 9001 and the user Ada (both made by the admin API's examples).
 */
const PRODUCTS = { data: [{ type: 'products', id: '9001' }] };
const COMPANY = { data: { type: 'companies', id: '1' } };
const EXAMPLES = {
  createLabel: { body: { data: { type: 'labels', attributes: { name: 'Releases', description: 'Everything released' }, relationships: { company: COMPANY } } } },
  updateLabel: { body: { data: { type: 'labels', id: '1', attributes: { name: 'Releases 2026', usage: { download: false } } } } },
  setLabelCompany: { body: COMPANY },
  addLabelProducts: { body: PRODUCTS },
  removeLabelProducts: { body: PRODUCTS },
  replaceLabelProducts: { body: PRODUCTS },
  getCompany: { path: { id: 1 } },
  getProduct: { path: { id: '9001' } },
  issueToken: { body: { grant_type: 'password', email: 'ada@example.com', password: 'correct horse battery' } },
};

/** A known URL with another verb: Laravel's 405, before authentication (src/http/jsonapi.ts). */
const METHOD_NOT_ALLOWED = {
  description: 'Method Not Allowed: the URL exists, the verb does not (another verb of this path).',
  headers: { Allow: { description: 'The verbs this URL takes, in Laravel\'s order (HEAD with GET).', schema: { type: 'string' } } },
  content: { [JSONAPI_MEDIA_TYPE]: { schema: ref('ErrorDocument') } },
};

export function limboDocument(doc: OpenApiDocument): void {
  doc.components.schemas = { ...doc.components.schemas, ...requestSchemas };
  for (const [path, ops] of Object.entries(LIMBO_OPERATIONS)) {
    for (const [method, o] of Object.entries(ops)) {
      // A route that no longer exists is simply not documented (test/openapi.test.ts lists what is).
      const op = doc.paths[path]?.[method];
      if (!op) continue;
      Object.assign(op, { operationId: o.operationId, summary: o.summary, tags: [o.tag], ...(o.description && { description: o.description }) });
      const pathParams = (op.parameters ?? []).filter((p: OpenApiDocument) => p.in === 'path');
      op.parameters = [...pathParams, ...queryParameters(o.query)];
      if (op.parameters.length === 0) delete op.parameters;
      if (o.body) op.requestBody = { required: true, content: { [JSONAPI_MEDIA_TYPE]: { schema: ref(o.body) } } };
      jsonApiContent(op);
      op.responses['405'] = METHOD_NOT_ALLOWED;
    }
  }
  const token = doc.paths['/oauth/token']?.post;
  if (token) Object.assign(token, {
    operationId: 'issueToken',
    summary: 'Log in or refresh a token',
    tags: ['oauth'],
    security: [],
    requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: ref('TokenRequest') }, 'application/json': { schema: ref('TokenRequest') } } },
  });
  if (token) token.responses['404'] = { description: 'Not Found: an unknown route or verb under /oauth.', content: { 'application/json': { schema: ref('OAuthError') } } };
  requestExamples(doc, EXAMPLES, { id: 1 });
}

export const limboOpenapi = {
  registry,
  securitySchemes: {
    bearer: { type: 'http', scheme: 'bearer', description: 'An access token from POST /oauth/token, or an API key.' },
  },
  security: [{ bearer: [] }],
  tags: [
    { name: 'labels', description: 'Labels (JSON:API resources of type labels)' },
    { name: 'relationships', description: 'A label\'s company and products' },
    { name: 'catalogue', description: 'Companies (workspaces) and products (resources of type product), read-only' },
    { name: 'oauth', description: 'OAuth 2 password and refresh-token grants' },
  ],
  // /oauth/token answers a form in an unknown charset with OAuth's 400 invalid_request, not 415.
  limits: { charset: false },
  finish: limboDocument,
};
