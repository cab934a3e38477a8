// Every call the console makes: the admin API (bearer admin token) and the dialects' public APIs (the
// workspace's console key). The admin token and the keys live in this tab's sessionStorage only.

export interface Reply {
  status: number;
  contentType: string;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  body: any;
}

export interface Dialect {
  name: string;
  enabled: boolean;
  base: string;
}

export interface Workspace {
  id: number;
  uuid: string;
  name: string;
}

const TOKEN = 'labelmux.adminToken';
const keyName = (ws: number) => `labelmux.consoleKey.${ws}`;

export async function request(method: string, url: string, init: { headers?: Record<string, string>; json?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: init.json === undefined ? undefined : JSON.stringify(init.json), credentials: 'omit', cache: 'no-store' });
  const text = await res.text();
  let body: any;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, body };
}

/** The message of a failed answer in any of the shapes the server uses. */
export function reason(r: Reply): string {
  const b = r.body;
  const text =
    b?.detail ?? b?.error ?? (typeof b?.message === 'string' && b?.responseCode !== 200 ? b.message : undefined) ?? b?.errors?.[0]?.detail ?? b?.errors?.[0]?.title ?? b?.errors?.[0]?.msg ?? r.text.slice(0, 200);
  return `${r.status}: ${String(text)}`;
}

export class ApiError extends Error {
  constructor(public reply: Reply) {
    super(reason(reply));
  }
}

export const storedToken = (): string | null => sessionStorage.getItem(TOKEN);
export const forgetToken = () => sessionStorage.clear();

export class Session {
  private keys = new Map<number, Promise<string>>();
  dialects: Dialect[] = [];

  constructor(readonly token: string) {}

  /** Checks the token (the workspace list) and remembers it for this tab. */
  async signIn(): Promise<Workspace[]> {
    const r = await this.raw('GET', '/_admin/workspaces');
    if (r.status === 401) throw new Error('The admin token was refused (401). Use LABELMUX_ADMIN_TOKEN or the token the server printed at start.');
    if (r.status === 429) throw new Error('Too many wrong admin tokens from this address: wait a minute and try again (429).');
    if (r.status !== 200) throw new ApiError(r);
    sessionStorage.setItem(TOKEN, this.token);
    this.dialects = (await this.admin('GET', '/_admin/dialects')).dialects;
    return r.body.workspaces;
  }

  raw(method: string, path: string, json?: unknown): Promise<Reply> {
    return request(method, path, { headers: { authorization: `Bearer ${this.token}` }, json });
  }

  /** An admin call that must succeed (2xx): its JSON body. */
  async admin(method: string, path: string, json?: unknown): Promise<any> {
    const r = await this.raw(method, path, json);
    if (r.status >= 300) throw new ApiError(r);
    return r.body;
  }

  dialect(name: string): Dialect | undefined {
    return this.dialects.find((d) => d.name === name && d.enabled);
  }

  /** The workspace's console key: made once per tab and workspace (POST …/console-key), then kept in sessionStorage. */
  key(ws: number): Promise<string> {
    const stored = sessionStorage.getItem(keyName(ws));
    if (stored) return Promise.resolve((JSON.parse(stored) as { key: string }).key);
    let p = this.keys.get(ws);
    if (!p) {
      p = this.admin('POST', `/_admin/workspaces/${ws}/console-key`).then((b) => {
        sessionStorage.setItem(keyName(ws), JSON.stringify({ id: b.api_key.id, key: b.api_key.key }));
        return b.api_key.key as string;
      });
      p.catch(() => this.keys.delete(ws));
      this.keys.set(ws, p);
    }
    return p;
  }

  /** True when the stored console key was revoked (no longer among the workspace's live keys): then it is forgotten. */
  private async keyRefused(ws: number): Promise<boolean> {
    const stored = sessionStorage.getItem(keyName(ws));
    if (!stored) return false;
    const live: { id: number }[] = (await this.admin('GET', `/_admin/workspaces/${ws}/api-keys`)).api_keys;
    if (live.some((k) => k.id === (JSON.parse(stored) as { id: number }).id)) return false;
    sessionStorage.removeItem(keyName(ws));
    this.keys.delete(ws);
    return true;
  }

  /** A Jotform call for the console's writes (the envelope's `content`, or an error with Jotform's message). */
  async jotform(ws: number, method: string, path: string, json?: unknown): Promise<any> {
    const d = this.dialect('jotform');
    if (!d) throw new Error('The console edits labels through the Jotform dialect, which is disabled on this server.');
    let r = await request(method, `${d.base}${path}`, { headers: { apikey: await this.key(ws) }, json });
    if (r.status === 401 && r.body?.message?.startsWith('You\'re not authorized') && (await this.keyRefused(ws))) {
      // The console key was revoked (Members & keys): make a new one and try once more.
      r = await request(method, `${d.base}${path}`, { headers: { apikey: await this.key(ws) }, json });
    }
    if (r.status !== 200 || r.body?.responseCode !== 200) throw new ApiError(r);
    return r.body.content;
  }
}
