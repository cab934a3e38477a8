// Shared by the sandbox tests: one read and one create per dialect, as each vendor's clients send them, and
// the admin calls of the sandbox routes.
import type { InjectOptions } from 'fastify';
import { ADMIN_TOKEN, type Tenant, type TestApp } from './helper.js';

export const JSONAPI = 'application/vnd.api+json';
export const DIALECTS = ['jotform', 'razuna', 'livestorm', 'devtodev', 'limbo'] as const;
export type DialectName = (typeof DIALECTS)[number];
export const T0 = Date.UTC(2026, 10, 22, 12) / 1000;

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A read (list labels) and a create, per dialect, with the tenant's owner key. */
export function requests(ten: Tenant, d: DialectName, name = 'Faulted'): { read: InjectOptions; create: InjectOptions } {
  const key = ten.keys.owner;
  switch (d) {
    case 'jotform':
      return {
        read: { method: 'GET', url: '/API/user/labels', headers: { apikey: key } },
        create: { method: 'POST', url: '/API/v1/label', headers: { apikey: key, 'content-type': 'application/json' }, payload: JSON.stringify({ name }) },
      };
    case 'razuna':
      return {
        read: { method: 'GET', url: `/global/api2/label.cfc?method=getall&api_key=${ten.workspaceId}-${key}` },
        create: { method: 'POST', url: '/global/api2/label.cfc', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ method: 'setlabel', label_text: name, api_key: `${ten.workspaceId}-${key}` }) },
      };
    case 'livestorm':
      return {
        read: { method: 'GET', url: `/api/workspaces/${ten.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${key}` } },
        create: { method: 'POST', url: `/api/workspaces/${ten.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${key}`, 'content-type': 'application/json' }, payload: JSON.stringify({ name }) },
      };
    case 'devtodev':
      return {
        read: { method: 'POST', url: '/api/v1/labels/get', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ user_token: key, app_id: ten.uuid }) },
        create: {
          method: 'POST',
          url: '/api/v1/labels/create',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ user_token: key, app_id: ten.uuid, labels: [{ name, category: 'Releases', start_date: T0 }] }),
        },
      };
    case 'limbo':
      return {
        read: { method: 'GET', url: '/api/v1/labels', headers: { authorization: `Bearer ${key}`, accept: JSONAPI } },
        create: {
          method: 'POST',
          url: '/api/v1/labels',
          headers: { authorization: `Bearer ${key}`, accept: JSONAPI, 'content-type': JSONAPI },
          payload: JSON.stringify({ data: { type: 'labels', attributes: { name }, relationships: { company: { data: { type: 'companies', id: String(ten.workspaceId) } } } } }),
        },
      };
  }
}

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** An admin call with the admin token (JSON body when given). */
export function admin(t: TestApp, method: InjectOptions['method'], url: string, body?: unknown) {
  return t.app.inject({ method, url, headers: body === undefined ? ADMIN : { ...ADMIN, 'content-type': 'application/json' }, ...(body !== undefined && { payload: JSON.stringify(body) }) });
}

/** Labels in a workspace, read through the admin export. */
export async function labelCount(t: TestApp, ws: number): Promise<number> {
  return ((await admin(t, 'GET', `/_admin/workspaces/${ws}/export`)).json() as { labels: unknown[] }).labels.length;
}
