// Request document compliance, in the order and with the texts of laravel-json-api/spec: resource
// documents (POST/PATCH a label) and relationship documents (to-one company, to-many products).
import { errorObject, JsonApiError, type ErrorObject } from './errors.js';

export const TYPES = { labels: 'labels', companies: 'companies', products: 'products' } as const;
const KNOWN_TYPES = new Set<string>(Object.values(TYPES));

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const nonCompliant = (detail: string, pointer: string) => errorObject(400, 'Non-Compliant JSON:API Document', detail, { pointer });
const join = (path: string, member: string) => `${path.replace(/\/$/, '')}/${member}`;
const required = (path: string, member: string) => nonCompliant(`The member ${member} is required.`, path || '/');
const notObject = (path: string, member: string) => nonCompliant(`The member ${member} must be an object.`, join(path, member));
const notString = (path: string, member: string) => nonCompliant(`The member ${member} must be a string.`, join(path, member));
const empty = (path: string, member: string) => nonCompliant(`The member ${member} cannot be empty.`, join(path, member));

export interface Identifier {
  type: string;
  id: string;
}

/** A relation the document may carry: its name, the type it holds, and whether it is to-many. */
interface Relation {
  name: string;
  type: string;
  many: boolean;
}
export const COMPANY: Relation = { name: 'company', type: TYPES.companies, many: false };
export const PRODUCTS: Relation = { name: 'products', type: TYPES.products, many: true };

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/'));
const memberOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** A resource identifier at `path` (e.g. /data/relationships/company/data or /data/0). */
function identifier(value: unknown, path: string, relation: Relation, errors: ErrorObject[]): Identifier | null {
  if (!isObject(value)) return (errors.push(notObject(parentOf(path), memberOf(path))), null);
  const before = errors.length;
  const type = value.type;
  if (!('type' in value)) errors.push(required(path, 'type'));
  else if (typeof type !== 'string') errors.push(notString(path, 'type'));
  else if (type === '') errors.push(empty(path, 'type'));
  else if (!KNOWN_TYPES.has(type)) errors.push(errorObject(400, 'Not Supported', `Resource type ${type} is not recognised.`, { pointer: join(path, 'type') }));
  const id = value.id;
  if (!('id' in value)) errors.push(required(path, 'id'));
  else if (typeof id !== 'string') errors.push(notString(path, 'id'));
  else if (id === '') errors.push(empty(path, 'id'));
  if ('attributes' in value || 'relationships' in value) {
    errors.push(nonCompliant(`The member ${memberOf(path)} must be a resource identifier.`, path));
  }
  if (errors.length > before) return null;
  if (type !== relation.type) {
    // In a list the pointer is the item; a to-one inside /relationships points at the relationship.
    const pointer = /\/\d+$/.test(path) ? path : path.includes('/relationships/') ? parentOf(path) : path;
    const kind = relation.many ? 'to-many' : 'to-one';
    errors.push(errorObject(422, 'Unprocessable Entity', `The ${relation.name} field must be a ${kind} relationship containing ${relation.type} resources.`, { pointer }));
    return null;
  }
  return { type: type as string, id: id as string };
}

/** A relationship object at `path` ('' for a relationship endpoint's whole document). */
export function relationship(value: unknown, path: string, relation: Relation, errors: ErrorObject[]): Identifier | null | Identifier[] | undefined {
  if (!isObject(value)) return (errors.push(notObject(parentOf(path), memberOf(path))), undefined);
  if (!('data' in value)) return (errors.push(required(path, 'data')), undefined);
  const data = value.data;
  const at = path === '' ? '' : parentOf(path);
  const member = path === '' ? 'data' : memberOf(path);
  if (!relation.many) {
    if (Array.isArray(data)) return (errors.push(nonCompliant(`The field ${relation.name} must be a to-one relation.`, join(at, member))), undefined);
    return data === null ? null : (identifier(data, join(path, 'data'), relation, errors) ?? undefined);
  }
  if (isObject(data) && ('type' in data || 'id' in data)) {
    return (errors.push(nonCompliant(`The field ${relation.name} must be a to-many relation.`, join(at, member))), undefined);
  }
  if (!Array.isArray(data)) return (errors.push(nonCompliant('The member data must be an array.', join(path, 'data'))), undefined);
  const out = data.map((item, i) => identifier(item, `${join(path, 'data')}/${i}`, relation, errors));
  return out.every((x): x is Identifier => x !== null) ? out : undefined;
}

/** Throws the collected errors, if any. */
export const check = (errors: ErrorObject[]): void => {
  if (errors.length > 0) throw new JsonApiError(errors);
};

export interface ResourceDocument {
  attributes: Json;
  relationships: Json;
}

/**
 * `{"data":{"type":…, ["id":…], "attributes":{…}, "relationships":{…}}}`: data, type (409 on another
 * type), a client id on create (403) or the URL's id on update (409), then attribute and relationship names.
 */
export function resourceDocument(doc: Json, type: string, expectedId: string | null, fields: { attributes: readonly string[]; relationships: readonly string[] }): ResourceDocument {
  if (!('data' in doc)) throw new JsonApiError([required('/', 'data')]);
  const data = doc.data;
  if (!isObject(data)) throw new JsonApiError([notObject('/', 'data')]);
  if (!('type' in data)) throw new JsonApiError([required('/data', 'type')]);
  if (typeof data.type !== 'string') throw new JsonApiError([notString('/data', 'type')]);
  if (data.type === '') throw new JsonApiError([empty('/data', 'type')]);
  if (data.type !== type) throw new JsonApiError([errorObject(409, 'Not Supported', `Resource type ${data.type} is not supported by this endpoint.`, { pointer: '/data/type' })]);

  const errors: ErrorObject[] = [];
  idMember(data, type, expectedId, errors);
  const attributes = 'attributes' in data ? data.attributes : {};
  const relationships = 'relationships' in data ? data.relationships : {};
  if (isObject(attributes) && isObject(relationships)) {
    for (const k of Object.keys(attributes)) if (k in relationships) errors.push(nonCompliant(`The ${k} field cannot exist as an attribute and a relationship.`, '/data'));
  }
  members(attributes, 'attributes', 'attribute', fields.attributes, errors);
  members(relationships, 'relationships', 'relationship', fields.relationships, errors);
  check(errors);
  return { attributes: attributes as Json, relationships: relationships as Json };
}

function idMember(data: Json, type: string, expectedId: string | null, errors: ErrorObject[]): void {
  if (expectedId === null) {
    if (!('id' in data)) return;
    errors.push(errorObject(403, 'Not Supported', `Resource type ${type} does not support client-generated IDs.`, { pointer: '/data/id' }));
    if (typeof data.id !== 'string') errors.push(notString('/data', 'id'));
    else if (data.id === '') errors.push(empty('/data', 'id'));
    return;
  }
  if (!('id' in data)) errors.push(required('/data', 'id'));
  else if (typeof data.id !== 'string') errors.push(notString('/data', 'id'));
  else if (data.id === '') errors.push(empty('/data', 'id'));
  else if (data.id !== expectedId) errors.push(errorObject(409, 'Not Supported', `Resource id ${data.id} is not supported by this endpoint.`, { pointer: '/data/id' }));
}

function members(value: unknown, member: 'attributes' | 'relationships', kind: string, allowed: readonly string[], errors: ErrorObject[]): void {
  if (!isObject(value)) return void errors.push(notObject('/data', member));
  for (const name of Object.keys(value)) {
    if (name === 'type' || name === 'id') errors.push(nonCompliant(`The member ${member} cannot have a ${name} field.`, `/data/${member}`));
    else if (!allowed.includes(name)) errors.push(nonCompliant(`The field ${name} is not a supported ${kind}.`, `/data/${member}`));
  }
}
