// What the journal shows of a request must not carry a credential: API keys (Jotform `APIKEY`/`apiKey`,
// Razuna `api_key`, devtodev `user_token`, Livestorm and limbo bearer keys), limbo's access and refresh
// tokens, passwords and client secrets, the admin token. Three passes, so a secret a dialect sends in an
// unexpected place is caught too: by header name, by parameter or member name (query strings, form and
// JSON text), and by value (every secret the request presented is replaced wherever it appears again).

export const REDACTED = '[redacted]';

/** Member and parameter names whose values are secrets (compared case-insensitively). */
const SECRET_NAMES = 'apikey|api_key|user_token|password|client_secret|access_token|refresh_token|token|key|secret';
const SECRET_NAME = new RegExp(`^(?:${SECRET_NAMES})$`, 'i');
/** A JSON member with a string value: `"password": "…"`. */
const JSON_MEMBER = new RegExp(`("(?:${SECRET_NAMES})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
/** A query or form parameter: `api_key=…`. */
const PARAM = new RegExp(`(^|[?&])((?:${SECRET_NAMES})=)[^&#]*`, 'gi');
const SECRET_HEADERS = new Set(['apikey', 'x-api-key', 'cookie', 'proxy-authorization', 'set-cookie']);
/** Values this short are no credential (`1`, `true`): replacing them everywhere would garble the entry. */
const MIN_SECRET = 8;

export type Headers = Record<string, string | string[] | undefined>;

/** Adds `v` to `out` when it can be a credential, with the bare key inside it. */
function add(out: string[], v: unknown): void {
  if (typeof v !== 'string' || v.length < MIN_SECRET) return;
  out.push(v);
  // Razuna's `<workspaceId>-<key>` and Livestorm's `lnx_<key>` hold the bare key too.
  const bare = /^(?:\d+-|lnx_)(.{8,})$/.exec(v)?.[1];
  if (bare) out.push(bare);
}

/** The credentials a request presents in its headers and URL, as they would reappear in its body or answer. */
export function secretsOf(headers: Headers, url: string): string[] {
  const out: string[] = [];
  const auth = headers.authorization;
  if (typeof auth === 'string') add(out, /^\S+\s+(\S+)/.exec(auth)?.[1] ?? auth);
  for (const h of SECRET_HEADERS) add(out, headers[h]);
  const q = url.indexOf('?');
  if (q >= 0) for (const [k, v] of new URLSearchParams(url.slice(q + 1))) if (SECRET_NAME.test(k)) add(out, v);
  return out;
}

/** The credentials among a parsed body's members (form or JSON: `password`, `user_token`, …). */
export function bodySecrets(body: unknown): string[] {
  const out: string[] = [];
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) {
    for (const [k, v] of Object.entries(body)) if (SECRET_NAME.test(k)) for (const x of [v].flat()) add(out, x);
  }
  return out;
}

/** Text with secret members and parameters blanked, and every known secret value replaced. */
export function redactText(text: string, secrets: readonly string[]): string {
  // The patterns need a `"` (a JSON member) or a `=` (a parameter): most header values have neither.
  let out = text.includes('"') ? text.replace(JSON_MEMBER, `$1"${REDACTED}"`) : text;
  if (out.includes('=')) out = out.replace(PARAM, `$1$2${REDACTED}`);
  for (const s of secrets) if (out.includes(s)) out = out.replaceAll(s, REDACTED);
  return out;
}

/** Request headers as recorded: credentials blanked (an Authorization header keeps its scheme). */
export function redactHeaders(headers: Headers, secrets: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (name === 'authorization' && typeof value === 'string') out[name] = `${/^\S+\s/.test(value) ? value.split(/\s/, 1)[0] + ' ' : ''}${REDACTED}`;
    else if (SECRET_HEADERS.has(name)) out[name] = REDACTED;
    else out[name] = Array.isArray(value) ? value.map((v) => redactText(v, secrets)) : redactText(value, secrets);
  }
  return out;
}
