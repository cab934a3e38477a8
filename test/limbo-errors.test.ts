// limbo's error documents, exactly as the spec gives them: content negotiation (415, 406), invalid JSON and
// non-compliant documents (400), type/id mismatch (409), client ids (403), validation (422), 404, 413.
// Every rejected write is checked to change nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setup, type CallOptions, type Env } from './limbo-helper.js';

let e: Env;
beforeAll(async () => {
  e = await setup();
});
beforeEach(() => e.next());
afterAll(() => e.t.close());

const doc = (...errors: object[]) => ({ jsonapi: { version: '1.0' }, errors });
const err = (status: number, title: string, detail?: string, pointer?: string, code?: string) => ({
  ...(code !== undefined && { code }),
  ...(detail !== undefined && { detail }),
  ...(pointer !== undefined && { source: { pointer } }),
  status: String(status),
  title,
});
const nonCompliant = (detail: string, pointer: string) => err(400, 'Non-Compliant JSON:API Document', detail, pointer);
const unprocessable = (detail: string, pointer: string) => err(422, 'Unprocessable Entity', detail, pointer);
const UNSUPPORTED = err(415, 'Unsupported Media Type', 'The request entity has a media type which the server or resource does not support.');
const NOT_ACCEPTABLE = err(406, 'Not Acceptable', 'The requested resource is capable of generating only content not acceptable according to the Accept headers sent in the request.');

const eventCount = async () => (await e.t.core.admin.listEvents(e.a.workspaceId, 0, 1000)).length;
const company = () => ({ company: { data: { type: 'companies', id: String(e.a.workspaceId) } } });
const create = (attributes: unknown, relationships: unknown = company(), extra: object = {}) => ({ data: { type: 'labels', ...extra, attributes, relationships } });

/** Sends a write and checks status, exact document, and that nothing changed. */
async function rejects(method: string, url: string, opts: CallOptions, status: number, expected: object) {
  const before = await eventCount();
  const res = await e.call(method, url, opts);
  expect(res.statusCode, res.body).toBe(status);
  // Byte for byte: error members in alphabetical order, `status` a string.
  expect(res.body).toBe(JSON.stringify(expected));
  expect(await eventCount()).toBe(before);
  return res;
}

describe('content negotiation', () => {
  it('415 for a body whose Content-Type is not exactly application/vnd.api+json', async () => {
    const body = create({ name: 'x' });
    for (const contentType of ['application/json', 'application/vnd.api+json; charset=utf-8', 'application/vnd.api+json; ext=bulk', 'text/plain', null]) {
      await rejects('POST', '/api/v1/labels', { body, contentType }, 415, doc(UNSUPPORTED));
    }
    const id = await e.label('Target');
    await rejects('PATCH', `/api/v1/labels/${id}`, { body: { data: { type: 'labels', id } }, contentType: 'application/json' }, 415, doc(UNSUPPORTED));
    await rejects('POST', `/api/v1/labels/${id}/relationships/products`, { body: { data: [] }, contentType: 'application/x-www-form-urlencoded' }, 415, doc(UNSUPPORTED));
  });

  it('406 when Accept excludes the JSON:API media type (or only asks for it with parameters)', async () => {
    for (const accept of ['application/json', 'text/html', 'application/vnd.api+json; ext=bulk', 'application/vnd.api+json;q=0']) {
      const res = await e.call('GET', '/api/v1/labels', { accept });
      expect(res.statusCode, accept).toBe(406);
      expect(res.doc).toEqual(doc(NOT_ACCEPTABLE));
    }
    for (const accept of [null, '*/*', 'application/*', 'text/html, application/vnd.api+json', 'application/vnd.api+json;q=0.5', 'application/vnd.api+json; ext=bulk, application/vnd.api+json']) {
      expect((await e.call('GET', '/api/v1/labels', { accept })).statusCode, String(accept)).toBe(200);
    }
  });

  it('answers with Content-Type exactly application/vnd.api+json, errors and 404s included', async () => {
    for (const [method, url] of [['GET', '/api/v1/labels'], ['GET', '/api/v1/labels/999'], ['GET', '/api/v1/nowhere'], ['PUT', '/api/v1/labels']]) {
      const res = await e.call(method!, url!);
      expect(res.headers['content-type']).toBe('application/vnd.api+json');
    }
  });
});

describe('bodies that are not JSON:API documents', () => {
  it('invalid JSON: 400 Invalid JSON', async () => {
    await rejects('POST', '/api/v1/labels', { raw: '{"data":' }, 400, doc(err(400, 'Invalid JSON', 'Syntax error', undefined, '4')));
    await rejects('POST', '/api/v1/labels', {}, 400, doc(err(400, 'Invalid JSON', 'Expecting JSON to decode.')));
    await rejects('POST', '/api/v1/labels', { raw: '[1,2]' }, 400, doc(err(400, 'Invalid JSON', 'Expecting JSON to decode to an object.')));
    await rejects('POST', '/api/v1/labels', { raw: '"data"' }, 400, doc(err(400, 'Invalid JSON', 'Expecting JSON to decode to an object.')));
  });

  it('non-compliant documents: 400 with a pointer', async () => {
    const cases: [unknown, object[]][] = [
      [{}, [nonCompliant('The member data is required.', '/')]],
      [{ data: [] }, [nonCompliant('The member data must be an object.', '/data')]],
      [{ data: null }, [nonCompliant('The member data must be an object.', '/data')]],
      [{ data: { attributes: { name: 'x' } } }, [nonCompliant('The member type is required.', '/data')]],
      [{ data: { type: 5 } }, [nonCompliant('The member type must be a string.', '/data/type')]],
      [{ data: { type: '' } }, [nonCompliant('The member type cannot be empty.', '/data/type')]],
      [{ data: { type: 'labels', attributes: [] } }, [nonCompliant('The member attributes must be an object.', '/data/attributes')]],
      [create({ name: 'x', color: '#fff' }), [nonCompliant('The field color is not a supported attribute.', '/data/attributes')]],
      [create({ name: 'x', type: 'labels' }), [nonCompliant('The member attributes cannot have a type field.', '/data/attributes')]],
      [create({ name: 'x' }, { ...company(), owner: { data: null } }), [nonCompliant('The field owner is not a supported relationship.', '/data/relationships')]],
      [create({ name: 'x' }, 'company'), [nonCompliant('The member relationships must be an object.', '/data/relationships')]],
      [create({ name: 'x' }, { company: 5 }), [nonCompliant('The member company must be an object.', '/data/relationships/company')]],
      [create({ name: 'x' }, { company: {} }), [nonCompliant('The member data is required.', '/data/relationships/company')]],
      [create({ name: 'x' }, { company: { data: [] } }), [nonCompliant('The field company must be a to-one relation.', '/data/relationships/company')]],
      [create({ name: 'x' }, { company: { data: { id: '1' } } }), [nonCompliant('The member type is required.', '/data/relationships/company/data')]],
      [create({ name: 'x' }, { company: { data: { type: 'companies', id: 1 } } }), [nonCompliant('The member id must be a string.', '/data/relationships/company/data/id')]],
      [create({ name: 'x' }, { company: { data: { type: 'nope', id: '1' } } }), [err(400, 'Not Supported', 'Resource type nope is not recognised.', '/data/relationships/company/data/type')]],
      [create({ name: 'x', company: 'y' }, company()), [nonCompliant('The company field cannot exist as an attribute and a relationship.', '/data'), nonCompliant('The field company is not a supported attribute.', '/data/attributes')]],
    ];
    for (const [body, errors] of cases) await rejects('POST', '/api/v1/labels', { body }, 400, doc(...errors));
  });

  it('409 for another resource type, or (on PATCH) another id than the URL', async () => {
    await rejects('POST', '/api/v1/labels', { body: { data: { type: 'products', attributes: { name: 'x' } } } }, 409, doc(err(409, 'Not Supported', 'Resource type products is not supported by this endpoint.', '/data/type')));
    const id = await e.label('Mine');
    const url = `/api/v1/labels/${id}`;
    await rejects('PATCH', url, { body: { data: { type: 'companies', id } } }, 409, doc(err(409, 'Not Supported', 'Resource type companies is not supported by this endpoint.', '/data/type')));
    await rejects('PATCH', url, { body: { data: { type: 'labels', id: '999', attributes: { name: 'y' } } } }, 409, doc(err(409, 'Not Supported', 'Resource id 999 is not supported by this endpoint.', '/data/id')));
    await rejects('PATCH', url, { body: { data: { type: 'labels', attributes: { name: 'y' } } } }, 400, doc(nonCompliant('The member id is required.', '/data')));
    await rejects('PATCH', url, { body: { data: { type: 'labels', id: Number(id) } } }, 400, doc(nonCompliant('The member id must be a string.', '/data/id')));
  });

  it('403 for a client-generated id on POST', async () => {
    await rejects('POST', '/api/v1/labels', { body: create({ name: 'x' }, company(), { id: '77' }) }, 403, doc(err(403, 'Not Supported', 'Resource type labels does not support client-generated IDs.', '/data/id')));
  });

  it('403 for products linkage inside a label document (change it through its relationship)', async () => {
    const body = create({ name: 'x' }, { ...company(), products: { data: [] } });
    await rejects('POST', '/api/v1/labels', { body }, 403, doc(err(403, 'Forbidden', 'The products relationship can only be changed through /relationships/products.', '/data/relationships/products')));
  });
});

describe('validation: 422 with pointers', () => {
  it('name and company are required on create; the spec example, verbatim', async () => {
    await rejects('POST', '/api/v1/labels', { body: create({}) }, 422, doc(unprocessable('The name field is required.', '/data/attributes/name')));
    await rejects('POST', '/api/v1/labels', { body: { data: { type: 'labels', attributes: { name: 'x' } } } }, 422, doc(unprocessable('The company field is required.', '/data/relationships/company')));
    await rejects('POST', '/api/v1/labels', { body: create({ name: '   ' }, { company: { data: null } }) }, 422, doc(unprocessable('The name field is required.', '/data/attributes/name'), unprocessable('The company field is required.', '/data/relationships/company')));
  });

  it('wrong types and sizes in attributes name the field', async () => {
    const cases: [unknown, object[]][] = [
      [{ name: 123 }, [unprocessable('The name field must be a string.', '/data/attributes/name')]],
      [{ name: null }, [unprocessable('The name field is required.', '/data/attributes/name')]],
      [{ name: 'x'.repeat(256) }, [unprocessable('The name field must not be greater than 255 characters.', '/data/attributes/name')]],
      [{ name: 'bad\u0007name' }, [unprocessable('The name field format is invalid.', '/data/attributes/name')]],
      [{ name: 'ok', description: 42 }, [unprocessable('The description field must be a string.', '/data/attributes/description')]],
      [{ name: 'ok', description: 'd'.repeat(10_001) }, [unprocessable('The description field must not be greater than 10000 characters.', '/data/attributes/description')]],
      [{ name: 'ok', usage: true }, [unprocessable('The usage field must be an object.', '/data/attributes/usage')]],
      [{ name: 'ok', usage: [true] }, [unprocessable('The usage field must be an object.', '/data/attributes/usage')]],
      [{ name: 'ok', usage: { download: 'yes' } }, [unprocessable('The usage.download field must be true or false.', '/data/attributes/usage/download')]],
      [
        { name: 'ok', usage: { download: true, stream: false } },
        [unprocessable('The usage.stream field is not a usage flag (download, copy_scan, on_demand_stream, non_interactive_stream).', '/data/attributes/usage/stream')],
      ],
      [
        { name: 5, description: [], usage: { copy_scan: 1 } },
        [
          unprocessable('The name field must be a string.', '/data/attributes/name'),
          unprocessable('The description field must be a string.', '/data/attributes/description'),
          unprocessable('The usage.copy_scan field must be true or false.', '/data/attributes/usage/copy_scan'),
        ],
      ],
    ];
    for (const [attributes, errors] of cases) await rejects('POST', '/api/v1/labels', { body: create(attributes) }, 422, doc(...errors));
    const id = await e.label('Existing');
    await rejects('PATCH', `/api/v1/labels/${id}`, { body: { data: { type: 'labels', id, attributes: { usage: { download: null } } } } }, 422, doc(unprocessable('The usage.download field must be true or false.', '/data/attributes/usage/download')));
    await rejects('PATCH', `/api/v1/labels/${id}`, { body: { data: { type: 'labels', id, relationships: { company: { data: null } } } } }, 422, doc(unprocessable('The company field is required.', '/data/relationships/company')));
  });

  it('a company linkage of another type is 422 on the relationship', async () => {
    const body = create({ name: 'x' }, { company: { data: { type: 'labels', id: '1' } } });
    await rejects('POST', '/api/v1/labels', { body }, 422, doc(unprocessable('The company field must be a to-one relationship containing companies resources.', '/data/relationships/company')));
  });

  it('accepts (and ignores) read-only attributes sent back, and huge but valid names', async () => {
    const res = await e.call('POST', '/api/v1/labels', { body: create({ name: 'é'.repeat(255), 'created-at': '1999-01-01T00:00:00.000000Z' }) });
    expect(res.statusCode).toBe(201);
    expect(res.doc.data.attributes['created-at']).toBe('2026-11-22T10:01:02.000000Z');
  });
});

describe('relationship documents', () => {
  it('products linkage: shape errors are 400, type errors 422 at the index, too many ids 422', async () => {
    const id = await e.label('Rel');
    const url = `/api/v1/labels/${id}/relationships/products`;
    await rejects('POST', url, { body: {} }, 400, doc(nonCompliant('The member data is required.', '/')));
    await rejects('POST', url, { body: { data: { type: 'products', id: '1' } } }, 400, doc(nonCompliant('The field products must be a to-many relation.', '/data')));
    await rejects('POST', url, { body: { data: 'p1' } }, 400, doc(nonCompliant('The member data must be an array.', '/data')));
    await rejects('POST', url, { body: { data: [5] } }, 400, doc(nonCompliant('The member 0 must be an object.', '/data/0')));
    await rejects('POST', url, { body: { data: [{ type: 'products', id: 'p1', attributes: {} }] } }, 400, doc(nonCompliant('The member 0 must be a resource identifier.', '/data/0')));
    await rejects('POST', url, { body: { data: [{ type: 'products', id: '' }] } }, 400, doc(nonCompliant('The member id cannot be empty.', '/data/0/id')));
    await rejects('DELETE', url, { body: { data: [{ type: 'products', id: 'a' }, { type: 'labels', id: '1' }] } }, 422, doc(unprocessable('The products field must be a to-many relationship containing products resources.', '/data/1')));
    const many = { data: Array.from({ length: 1001 }, (_, i) => ({ type: 'products', id: `p${i}` })) };
    await rejects('PATCH', url, { body: many }, 422, doc(unprocessable('The data field must not have more than 1000 items.', '/data')));
  });

  it('company linkage: shape errors are 400', async () => {
    const id = await e.label('Rel');
    const url = `/api/v1/labels/${id}/relationships/company`;
    await rejects('PATCH', url, { body: { data: [] } }, 400, doc(nonCompliant('The field company must be a to-one relation.', '/data')));
    await rejects('PATCH', url, { body: { data: 'x' } }, 400, doc(nonCompliant('The member data must be an object.', '/data')));
    await rejects('PATCH', url, { body: { meta: {} } }, 400, doc(nonCompliant('The member data is required.', '/')));
  });
});

describe('not found and limits', () => {
  it('unknown routes under /api/v1 answer the 404 document (wrong methods on known ones: limbo-methods.test.ts)', async () => {
    const routes = [['GET', '/api/v1/nowhere'], ['GET', '/api/v1/labels/1/owner'], ['PUT', '/api/v1/labels/x'], ['GET', '/api/v1/labels/1/relationships/owner']];
    for (const [method, url] of routes) {
      const res = await e.call(method!, url!, { key: null });
      expect(res.statusCode).toBe(404);
      expect(res.doc).toEqual(doc(err(404, 'Not Found')));
    }
    // devtodev's static POST operations share the mount: other methods on those paths are limbo's label ids.
    expect((await e.call('GET', '/api/v1/labels/get')).doc).toEqual(doc(err(404, 'Not Found')));
    expect((await e.call('DELETE', '/api/v1/labels/create')).doc).toEqual(doc(err(404, 'Not Found')));
  });

  it('a body over 1 MiB is 413 as a JSON:API error document, and nothing is created', async () => {
    const huge = JSON.stringify(create({ name: 'big', description: 'x'.repeat(1024 * 1024) }));
    await rejects('POST', '/api/v1/labels', { raw: huge }, 413, doc(err(413, 'Payload Too Large', 'The request body is larger than the server accepts.')));
    const id = await e.label('Target');
    await rejects('PATCH', `/api/v1/labels/${id}`, { raw: huge }, 413, doc(err(413, 'Payload Too Large', 'The request body is larger than the server accepts.')));
  });

  it('authentication comes first: 401 before 406, 415 or document errors', async () => {
    const res = await e.call('POST', '/api/v1/labels', { key: 'bad', raw: '{', contentType: 'text/plain', accept: 'text/html' });
    expect(res.statusCode).toBe(401);
  });
});
