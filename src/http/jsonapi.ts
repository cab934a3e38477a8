// JSON:API bits shared by front ends that answer under the limbo mount (/api/v1).
export const JSONAPI_MEDIA_TYPE = 'application/vnd.api+json';

/** laravel-json-api's 404 document. */
export const jsonApiNotFound = { jsonapi: { version: '1.0' }, errors: [{ status: '404', title: 'Not Found' }] } as const;
