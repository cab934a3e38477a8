// The limbo/Beat distribution API, JSON:API 1.0 as laravel-json-api serves it (docs/dialects.md and docs/dialects/limbo.md):
// /api/v1 (labels, companies, products) and /oauth/token, as two encapsulated sub-plugins.
//
// Decisions where the spec is silent:
// - Visibility: a credential sees every label of every workspace it grants (an access token or user-wide
//   key: all the user's workspaces; a workspace key: its one), nested and timed labels of other dialects
//   included. Labels created here are top level. Anything not visible answers like a missing thing (404).
// - Products are resources of type `product`. JSON:API needs (type, id) to name one resource, and two
//   companies may both have product "1001": a credential spanning companies (access token, user-wide key)
//   names products `<companyId>-<externalId>`; a workspace key keeps the bare external id. Either form is
//   accepted from either credential (its own form read first); a bare id in linkage is a product of the
//   label's company (product-ids.ts). /products lists every company's products; sort=id orders by
//   company, then external id. Products carry their free attributes (well-formed member names only) after
//   the fixed ones (name, status, created-at, updated-at). Unknown product ids in linkage → 404
//   "The related resource does not exist." pointing at /data/<index>.
// - Moving a label (company change): needs owner/admin in both workspaces; the label becomes top level in
//   the target; every assignment (of any resource type) follows it to the resource with the same type and
//   id there, copied from the source if missing; a label with sub-labels cannot move (422). The move is
//   recorded as `label.moved` in both workspaces' event logs (each log tells its own workspace's story).
// - PATCH `usage` merges: flags not sent keep their values; a label made elsewhere reads as all-true.
//   Unknown flags and non-boolean values are 422. `description` null/"" is stored empty and read as null.
// - `filter[name]` and `filter[products][name]` are exact but case-insensitive (MySQL's default collation);
//   `filter[id]` takes a list like `filter[label-ids]` (both given: intersected); `has-company=false` is
//   empty (every label has a company). Empty `sort`/`include`/`page[…]` values count as absent (Laravel's
//   ConvertEmptyStringsToNull); `fields[type]=` asks for no fields. Repeated parameters: the last wins.
//   Unknown all-lowercase parameters are 400 (JSON:API reserves them); others are ignored but kept in links.
// - The `products` relationship is read-only inside a label document (403, JSON:API's "unsupported
//   update"); change it through /relationships/products. Company PATCH on the relationship answers 204.
// - Relationship linkage lists hold at most 1000 ids (422). Read-only attributes (created-at, updated-at)
//   sent back by a client are ignored.
// - OAuth: opaque tokens (32 random bytes for access, 48 for refresh, base64url), stored as SHA-256;
//   refresh tokens live 30 days and rotate on use. From the 5th failed password grant for an email (known
//   or not) from one client address within 15 minutes, each failure locks that (address, email) pair for 1 s,
//   2 s, 4 s … (max 15 min); attempts while locked (even with the right password) answer 429 `slow_down` with
//   Retry-After; a success resets. Failures elsewhere never lock the email for another address. An address
//   with too many failures of any kind is refused before its body is read (http/address-throttle.ts). `username` is accepted for `email`.
// - Order of checks: 401 → 406 → (route) 415 → query 400 → document 400/409/403 → 422 → 404 / 403 (role).
//   Unknown routes under /api/v1 answer the 404 document without authentication; a known path with a
//   method it does not take answers 405 with `Allow` like Laravel (OPTIONS: 200 with `Allow`), also where
//   devtodev shares the mount (`POST /labels/123`; `POST /labels/foo` stays devtodev's unknown operation).
// - Requests are not tied to one workspace, so `req.actor` stays null (logs carry no workspace); the
//   principal is `req.limboPrincipal`.
// - Errors outside the spec: 403 "This action is unauthorized." (role), 413 "Payload Too Large", 422
//   "The name has already been taken." (sibling-unique names), 429 for other limits.
import type { Dialect } from '../types.js';
import { apiPlugin } from './api.js';
import { oauthPlugin } from './oauth.js';
import { limboOpenapi } from './openapi.js';

export const limbo: Dialect = {
  name: 'limbo',
  title: 'limbo/Beat distribution API (JSON:API)',
  description:
    'JSON:API 1.0 (laravel-json-api) labels, companies and products at /api/v1, and OAuth 2 password and refresh grants at /oauth/token. Send and accept `application/vnd.api+json` without media type parameters (406/415 otherwise). `Authorization: Bearer <access token or API key>`.',
  openapi: limboOpenapi,
  mount: '',
  plugin: async (app, opts) => {
    await app.register(apiPlugin, { ...opts, prefix: '/api/v1' });
    await app.register(oauthPlugin, { ...opts, prefix: '/oauth' });
  },
  exampleCurl: (base, demo) => `curl -H 'Authorization: Bearer ${demo.key}' -H 'Accept: application/vnd.api+json' ${base}/api/v1/labels`,
};
