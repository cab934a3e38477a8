// One parser for `application/x-www-form-urlencoded` bodies, shared by every front end that takes forms
// (Jotform, Razuna, limbo's /oauth/token). It decodes in the charset the Content-Type declares, as servlet
// engines and PHP do: percent-escapes become bytes first, then the bytes become text in that charset, so
// Apache HttpClient's `Caf%E9` with `charset=ISO-8859-1` is `Café` (@fastify/formbody's fast-querystring
// knows only UTF-8 and kept `%E9` as text; URLSearchParams knows only UTF-8 too).
//
// Rules: pairs split on `&`, name and value on the first `=`, `+` is a space; a `%` not followed by two
// hex digits is kept as it is (as PHP and WHATWG URL parsing do); bytes that are not valid in the charset
// (e.g. a lone `%E9` read as UTF-8) become U+FFFD, as Tomcat does. Charsets are those iconv-lite knows
// (utf-8, iso-8859-1, windows-1252, iso-8859-15, shift_jis, …), read as Java reads them (ISO-8859-1 is
// byte = code point); UTF-16 and other labels whose text is not ASCII bytes mean UTF-8 (WHATWG "get an
// output encoding"); an unknown charset is 415 naming it. Without a charset: UTF-8. Repeated names give an array, as @fastify/formbody did.
//
// Bounds, so that a body costs time in proportion to its size and no more: at most MAX_FIELDS fields and
// MAX_SEPARATORS `&` (413 beyond), MAX_NAME characters per name (400 beyond); values are bounded by the body
// limit. Names are kept as they are (`a[b][c]` is one flat name: no nesting is built, so there is no depth to
// bound). The field count is checked while the body arrives (`countFields`): a body with too many fields is
// refused after its first chunk, before the rest is read, buffered or parsed (the rest is drained or the
// connection closed, see unread-body.ts). The parse itself is one pass that stops at the same bounds.
import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import iconv from 'iconv-lite';

export const MAX_FIELDS = 1000;
/** Empty pairs (`&&`) are no fields, but each one is a step of the parse: they are bounded too. */
export const MAX_SEPARATORS = 4 * MAX_FIELDS;
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

/** Text from bytes [start, end) of a buffer, in one charset. */
export type Decoder = (bytes: Buffer, start: number, end: number) => string;

const decoders = new Map<string, Decoder>();

/** Buffer's UTF-8 decoding (invalid sequences → U+FFFD). */
const utf8: Decoder = (b, start, end) => b.toString('utf8', start, end);
/**
 * Charsets whose text is not ASCII bytes: a form body in them could not be split on `&` and `=`, so their
 * labels mean UTF-8 (as WHATWG's "get an output encoding" does for UTF-16).
 */
const NOT_ASCII = /^(utf-?16|utf-?32|ucs-?2|ucs-?4|utf-?7)/;

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

/**
 * iconv-lite's tables, as Java's: ISO-8859-1 is byte = code point (WHATWG would read windows-1252), and
 * windows-1252 has its own 0x80–0x9F (Node 20's TextDecoder reads it as ISO-8859-1).
 */
function makeDecoder(charset: string): Decoder | undefined {
  if (!iconv.encodingExists(charset)) return undefined;
  if (NOT_ASCII.test(charset) || /^utf-?8$/.test(charset)) return utf8;
  return (b, start, end) => iconv.decode(b.subarray(start, end), charset);
}

/** The decoder for a charset label (UTF-8 when none); an unknown label is 415 naming it. */
export function decoderFor(charset = 'utf-8'): Decoder {
  const known = decoders.get(charset);
  if (known) return known;
  const decoder = makeDecoder(charset);
  if (!decoder) throw new FormBodyError(415, `Unsupported charset "${charset.slice(0, 64)}" in Content-Type`);
  if (decoders.size < 64) decoders.set(charset, decoder);
  return decoder;
}

/** A byte outside printable ASCII, or `%` (0x25) or `+` (0x2b): the part needs decoding. */
const NOT_PLAIN = /[^\x20-\x24\x26-\x2a\x2c-\x7e]/;
const PLUS = 0x2b;
const PERCENT = 0x25;
const hex = (b: number) => (b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x41 && b <= 0x46 ? b - 0x37 : b >= 0x61 && b <= 0x66 ? b - 0x57 : -1);

/**
 * Bytes [start, end) with `+` → space and `%hh` → the byte, decoded as text. Printable ASCII without `+` or
 * `%` is the same text in every charset served here (all are ASCII-compatible; UTF-16 means UTF-8), so such a
 * part is read byte for byte (latin1), the common case. Only this part is copied, never the whole body.
 */
function text(body: Buffer, start: number, end: number, decoder: Decoder): string {
  const raw = body.toString('latin1', start, end);
  if (!NOT_PLAIN.test(raw)) return raw;
  const scratch = Buffer.allocUnsafe(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = body[i]!;
    if (b === PLUS) scratch[n++] = 0x20;
    else if (b === PERCENT && i + 2 < end && hex(body[i + 1]!) >= 0 && hex(body[i + 2]!) >= 0) {
      scratch[n++] = hex(body[i + 1]!) * 16 + hex(body[i + 2]!);
      i += 2;
    } else scratch[n++] = b;
  }
  return decoder(scratch, 0, n);
}

/** The first byte that is not JSON whitespace. */
const firstByte = (body: Buffer): number | undefined => {
  for (const b of body) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return b;
  return undefined;
};

/**
 * Built without a stack: a refusal is the client's doing, never logged with one, and Node's stream machinery
 * reads `stack` of every error a stream fails with, which costs more than the rest of the refusal.
 */
const tooManyFields = () => {
  const depth = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new FormBodyError(413, `Too many form fields (at most ${MAX_FIELDS})`);
  } finally {
    Error.stackTraceLimit = depth;
  }
};

/** Parses a urlencoded body in the given charset (see the rules at the top of this file). */
export function parseForm(body: Buffer, charset?: string): FormFields {
  const decoder = decoderFor(charset);
  const fields: FormFields = Object.create(null) as FormFields;
  let count = 0;
  let separators = 0;
  for (let start = 0; start <= body.length; ) {
    let end = body.indexOf(0x26, start); // '&'
    if (end < 0) end = body.length;
    else if (++separators > MAX_SEPARATORS) throw tooManyFields();
    if (end > start) {
      if (++count > MAX_FIELDS) throw tooManyFields();
      const at = body.subarray(start, end).indexOf(0x3d); // '=' within this pair only: the parse stays linear
      const eq = at < 0 ? end : start + at;
      const name = text(body, start, eq, decoder);
      if (name.length > MAX_NAME) throw new FormBodyError(400, `A form field name is too long (at most ${MAX_NAME} characters)`);
      const value = eq < end ? text(body, eq + 1, end, decoder) : '';
      const prior = fields[name];
      fields[name] = prior === undefined ? value : Array.isArray(prior) ? (prior.push(value), prior) : [prior, value];
    }
    start = end + 1;
  }
  return fields;
}

/**
 * A pass-through stream that counts fields and separators as parseForm will, chunk by chunk, and fails with
 * 413 as soon as either bound is passed. `json`: a body whose first non-space byte is `{` or `[` is JSON
 * text (Jotform) and is not counted.
 */
export function countFields(json = false): Transform & { receivedEncodedLength: number } {
  let fields = 0;
  let separators = 0;
  let inField = false;
  let decided = !json;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      counter.receivedEncodedLength += chunk.length;
      if (!decided) {
        const first = firstByte(chunk);
        if (first === undefined) return done(null, chunk);
        decided = true;
        if (first === 0x7b || first === 0x5b) json = true;
        else json = false;
      }
      if (json) return done(null, chunk);
      for (let i = 0; i < chunk.length; ) {
        const amp = chunk.indexOf(0x26, i);
        const end = amp < 0 ? chunk.length : amp;
        if (end > i && !inField) {
          inField = true;
          if (++fields > MAX_FIELDS) return done(tooManyFields());
        }
        if (amp < 0) break;
        inField = false;
        if (++separators > MAX_SEPARATORS) return done(tooManyFields());
        i = amp + 1;
      }
      done(null, chunk);
    },
  }) as Transform & { receivedEncodedLength: number };
  counter.receivedEncodedLength = 0;
  return counter;
}

const FORM = /^\s*application\/x-www-form-urlencoded\s*(;|$)/i;
const isForm = (contentType: string | undefined) => contentType !== undefined && FORM.test(contentType);

/** Registers the form parser in a front end's scope (replacing @fastify/formbody). */
export function registerFormBody(app: FastifyInstance, opts: FormBodyOptions = {}): void {
  const json = opts.jsonText ? app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error') : undefined;
  // Fastify reads the stream this hook returns; the request itself stays unread once the counter fails.
  app.addHook('preParsing', (req, _reply, payload, done) => {
    if (!isForm(req.headers['content-type'])) return done(null, payload);
    const counter = countFields(opts.jsonText);
    // Fastify listens for the counter's error only while it reads the body; a refusal that comes after an
    // answer (a drained body, http/unread-body.ts) has no one to tell and must not become an uncaught error.
    counter.on('error', () => undefined);
    done(null, payload.pipe(counter));
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (req: FastifyRequest, body: Buffer, done) => {
    try {
      const charset = charsetOf(req.headers['content-type']);
      const first = json && firstByte(body);
      if (json && (first === 0x7b || first === 0x5b)) return json(req, decoderFor(charset)(body, 0, body.length), done);
      done(null, parseForm(body, charset));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}
