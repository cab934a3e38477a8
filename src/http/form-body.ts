// One parser for `application/x-www-form-urlencoded` bodies, shared by every front end that takes forms
// (Jotform, Razuna, limbo's /oauth/token). It decodes in the charset the Content-Type declares, as servlet
// engines and PHP do: percent-escapes become bytes first, then the bytes become text in that charset, so
// Apache HttpClient's `Caf%E9` with `charset=ISO-8859-1` is `Café` (querystring and URLSearchParams
// only know UTF-8 and would keep `%E9` as text).
//
// Rules: pairs split on `&`, name and value on the first `=`, `+` is a space; a `%` not followed by two
// hex digits is kept as it is (as PHP and WHATWG URL parsing do); bytes that are not valid in the charset
// (e.g. a lone `%E9` read as UTF-8) become U+FFFD, as Tomcat and TextDecoder do. Charsets are WHATWG
// labels (utf-8, iso-8859-1 — read as windows-1252, as browsers do —, windows-1252, …); UTF-16 labels
// mean UTF-8 (WHATWG "get an output encoding"); an unknown charset is 415 naming it. Without a charset:
// UTF-8. Repeated names give an array, as @fastify/formbody did. The parse is one pass over the body;
// at most MAX_FIELDS fields (413 beyond) and MAX_NAME characters per name (400 beyond).
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const MAX_FIELDS = 1000;
export const MAX_NAME = 1024;

/** A body problem the front end renders in its own shape (`transportProblem` keeps the message). */
export class FormBodyError extends Error {
  readonly code = 'LABELMUX_FORM_BODY';
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface FormBodyOptions {
  /**
   * Jotform: a body declared as a form whose first non-space byte is `{` or `[` is JSON text (the official
   * Python client sends JSON through urllib, whose default Content-Type is the form one), parsed by
   * Fastify's JSON parser. A real form body never starts with those bytes unescaped.
   */
  jsonText?: boolean;
}

export type FormFields = Record<string, string | string[]>;

const decoders = new Map<string, TextDecoder>();

/** The `charset` parameter of a Content-Type header (lowercased, quotes removed), or undefined. */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  for (const part of contentType.split(';').slice(1)) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    return part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return undefined;
}

/** The decoder for a charset label; a label TextDecoder does not know (or its `replacement` encoding) is 415. */
export function decoderFor(charset = 'utf-8'): TextDecoder {
  const known = decoders.get(charset);
  if (known) return known;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    throw new FormBodyError(415, `Unsupported charset "${charset.slice(0, 64)}" in Content-Type`);
  }
  if (decoder.encoding === 'replacement') throw new FormBodyError(415, `Unsupported charset "${charset.slice(0, 64)}" in Content-Type`);
  if (decoder.encoding.startsWith('utf-16')) decoder = new TextDecoder('utf-8');
  if (decoders.size < 64) decoders.set(charset, decoder);
  return decoder;
}

const PLUS = 0x2b;
const PERCENT = 0x25;
const hex = (b: number) => (b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x41 && b <= 0x46 ? b - 0x37 : b >= 0x61 && b <= 0x66 ? b - 0x57 : -1);

/** Bytes [start, end) with `+` → space and `%hh` → the byte, decoded as text. */
function text(body: Buffer, start: number, end: number, decoder: TextDecoder, scratch: Buffer): string {
  let plain = true;
  for (let i = start; i < end && plain; i++) plain = body[i] !== PLUS && body[i] !== PERCENT;
  if (plain) return decoder.decode(body.subarray(start, end));
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = body[i]!;
    if (b === PLUS) scratch[n++] = 0x20;
    else if (b === PERCENT && i + 2 < end && hex(body[i + 1]!) >= 0 && hex(body[i + 2]!) >= 0) {
      scratch[n++] = hex(body[i + 1]!) * 16 + hex(body[i + 2]!);
      i += 2;
    } else scratch[n++] = b;
  }
  return decoder.decode(scratch.subarray(0, n));
}

/** Parses a urlencoded body in the given charset (see the rules at the top of this file). */
export function parseForm(body: Buffer, charset?: string): FormFields {
  const decoder = decoderFor(charset);
  const fields: FormFields = Object.create(null) as FormFields;
  const scratch = Buffer.allocUnsafe(body.length);
  let count = 0;
  for (let start = 0; start <= body.length; ) {
    let end = body.indexOf(0x26, start); // '&'
    if (end < 0) end = body.length;
    if (end > start) {
      if (++count > MAX_FIELDS) throw new FormBodyError(413, `Too many form fields (at most ${MAX_FIELDS})`);
      let eq = body.indexOf(0x3d, start); // '='
      if (eq < 0 || eq > end) eq = end;
      const name = text(body, start, eq, decoder, scratch);
      if (name.length > MAX_NAME) throw new FormBodyError(400, `A form field name is too long (at most ${MAX_NAME} characters)`);
      const value = eq < end ? text(body, eq + 1, end, decoder, scratch) : '';
      const prior = fields[name];
      fields[name] = prior === undefined ? value : Array.isArray(prior) ? (prior.push(value), prior) : [prior, value];
    }
    start = end + 1;
  }
  return fields;
}

/** The first byte that is not JSON whitespace. */
const firstByte = (body: Buffer): number | undefined => {
  for (const b of body) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return b;
  return undefined;
};

/** Registers the form parser in a front end's scope (replacing @fastify/formbody). */
export function registerFormBody(app: FastifyInstance, opts: FormBodyOptions = {}): void {
  const json = opts.jsonText ? app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error') : undefined;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (req: FastifyRequest, body: Buffer, done) => {
    try {
      const charset = charsetOf(req.headers['content-type']);
      const first = json && firstByte(body);
      if (json && (first === 0x7b || first === 0x5b)) return json(req, decoderFor(charset).decode(body), done);
      done(null, parseForm(body, charset));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}
