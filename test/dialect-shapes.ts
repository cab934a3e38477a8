// Each dialect's documented error answers, as checks the fuzz, isolation and limits suites share: which
// statuses it may answer with, the exact shape of its error body, and whether an answer is a refusal.
// (Razuna answers API errors with HTTP 200: its refusals are recognised from the body.)
import { z } from 'zod';

export interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

export interface Shape {
  /** Statuses the dialect documents for refusals. */
  statuses: readonly number[];
  /** Whether the answer refuses the request. */
  refused(a: Answer): boolean;
  /** Throws when a refusal is not in the dialect's shape; returns a short description of it. */
  check(a: Answer): string;
}

const json = (a: Answer): unknown => {
  try {
    return JSON.parse(a.body);
  } catch {
    throw new Error(`not JSON (${a.statusCode} ${String(a.headers['content-type'])}): ${a.body.slice(0, 200)}`);
  }
};

function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`${what} is not in the dialect's error shape: ${JSON.stringify(value).slice(0, 300)}\n${z.prettifyError(r.error)}`);
  return r.data;
}

function statusIn(a: Answer, statuses: readonly number[], dialect: string) {
  if (!statuses.includes(a.statusCode)) throw new Error(`${dialect}: undocumented status ${a.statusCode}: ${a.body.slice(0, 300)}`);
}

const jotformEnvelope = z.strictObject({
  responseCode: z.number().int(),
  message: z.string().min(1),
  content: z.literal(''),
  duration: z.string().regex(/^\d+(\.\d+)?ms$/),
  'limit-left': z.number().int().min(0),
  info: z.string().optional(),
});

export const jotform: Shape = {
  statuses: [400, 401, 403, 404, 413, 415, 429],
  refused: (a) => a.statusCode >= 400,
  check(a) {
    statusIn(a, this.statuses, 'jotform');
    const body = checked(jotformEnvelope, json(a), 'jotform error');
    if (body.responseCode !== a.statusCode) throw new Error(`jotform: responseCode ${body.responseCode} differs from HTTP ${a.statusCode}`);
    return `${a.statusCode} ${body.message.slice(0, 60)}`;
  },
};

export const livestorm: Shape = {
  statuses: [400, 401, 403, 404, 409, 413, 415, 429],
  refused: (a) => a.statusCode >= 400,
  check(a) {
    statusIn(a, this.statuses, 'livestorm');
    return `${a.statusCode} ${checked(z.strictObject({ error: z.string().min(1) }), json(a), 'livestorm error').error}`;
  },
};

/** devtodev's code table (docs/dialects.md): which HTTP status each error code travels with. */
const DEVTODEV_STATUS: Record<number, number[]> = { 1: [401], 2: [403], 3: [400], 4: [400, 404], 5: [404], 6: [404], 7: [400], 8: [429], 9: [429], 10: [403], 11: [429] };
const devtodevBody = z.strictObject({
  status_code: z.number().int(),
  errors: z.array(z.strictObject({ code: z.number().int(), msg: z.string().min(1) })).min(1),
});

export const devtodev: Shape = {
  statuses: [400, 401, 403, 404, 429],
  refused: (a) => a.statusCode >= 400,
  check(a) {
    statusIn(a, this.statuses, 'devtodev');
    const body = checked(devtodevBody, json(a), 'devtodev error');
    if (body.status_code !== a.statusCode) throw new Error(`devtodev: status_code ${body.status_code} differs from HTTP ${a.statusCode}`);
    for (const e of body.errors) {
      if (!DEVTODEV_STATUS[e.code]?.includes(a.statusCode)) throw new Error(`devtodev: code ${e.code} with status ${a.statusCode}: ${a.body}`);
    }
    return `${a.statusCode} ${body.errors.map((e) => e.code).join(',')}`;
  },
};

const jsonApiError = z.strictObject({
  jsonapi: z.strictObject({ version: z.literal('1.0') }),
  errors: z
    .array(
      z.strictObject({
        code: z.string().optional(),
        detail: z.string().optional(),
        source: z.strictObject({ parameter: z.string().optional(), pointer: z.string().optional() }).optional(),
        status: z.string().regex(/^[45]\d\d$/),
        title: z.string().min(1),
      }),
    )
    .min(1),
});

export const limbo: Shape = {
  statuses: [400, 401, 403, 404, 406, 409, 413, 415, 422, 429],
  refused: (a) => a.statusCode >= 400,
  check(a) {
    statusIn(a, this.statuses, 'limbo');
    if (a.headers['content-type'] !== 'application/vnd.api+json') throw new Error(`limbo: content type ${String(a.headers['content-type'])}`);
    const body = checked(jsonApiError, json(a), 'limbo error');
    const statuses = new Set(body.errors.map((e) => e.status));
    if (statuses.size === 1 && !statuses.has(String(a.statusCode))) throw new Error(`limbo: error status ${[...statuses][0]} under HTTP ${a.statusCode}`);
    return `${a.statusCode} ${body.errors.map((e) => e.title).join(',')}`;
  },
};

/** limbo's POST /oauth/token speaks OAuth 2.0 (RFC 6749 §5.2), not JSON:API. */
export const oauth: Shape = {
  statuses: [400, 404, 413, 429],
  refused: (a) => a.statusCode >= 400,
  check(a) {
    statusIn(a, this.statuses, 'oauth');
    const body = checked(z.strictObject({ error: z.string().regex(/^[a-z_]+$/), error_description: z.string().min(1) }), json(a), 'oauth error');
    return `${a.statusCode} ${body.error}`;
  },
};

/** Razuna's three answers (record set, struct, engine error) in any of its output formats, as plain values. */
export function razunaValue(a: Answer): { kind: 'recordset'; columns: string[]; firstRow: string[] } | { kind: 'struct'; fields: Record<string, unknown> } {
  const type = String(a.headers['content-type'] ?? '');
  if (type.startsWith('text/xml')) {
    const rs = /^<wddxPacket version='1\.0'><header><\/header><data><recordset rowCount='(\d+)' fieldNames='([^']*)'>/.exec(a.body);
    if (rs) {
      const columns = rs[2]!.split(',');
      const first = [...a.body.matchAll(/<field name='[^']*'><(string|dateTime)>([^<]*)<\/\1>/g)].map((m) => m[2]!);
      return { kind: 'recordset', columns, firstRow: first };
    }
    if (!/^<wddxPacket version='1\.0'><header><\/header><data><struct>.*<\/struct><\/data><\/wddxPacket>$/s.test(a.body)) throw new Error(`razuna: not a WDDX packet: ${a.body.slice(0, 200)}`);
    // String values may hold control characters as <char code='0b'/> elements.
    const vars = [...a.body.matchAll(/<var name='([^']+)'><(number|string)>((?:[^<]|<char code='[0-9a-f]{2}'\/>)*)<\/\2><\/var>/g)];
    const fields = Object.fromEntries(vars.map((m) => [m[1]!, m[2] === 'number' ? Number(m[3]) : m[3]]));
    return { kind: 'struct', fields };
  }
  let text = a.body;
  if (type.startsWith('application/javascript')) {
    const m = /^([A-Za-z_$][\w$.]*|\?)\(([\s\S]*)\)$/.exec(text);
    if (!m) throw new Error(`razuna: not JSONP: ${text.slice(0, 200)}`);
    text = m[2]!;
  } else if (!type.startsWith('application/json')) throw new Error(`razuna: content type ${type}`);
  const v = JSON.parse(text) as Record<string, unknown>;
  // __BDJSONCASE changes the case of column names and struct keys: compare them in lower case.
  const columns = ((v.COLUMNS ?? v.columns) as string[] | undefined)?.map((c) => c.toLowerCase());
  if (Array.isArray(columns)) {
    const data = (v.DATA ?? v.data) as unknown;
    const byColumn = Array.isArray(data) ? {} : Object.fromEntries(Object.entries(data as Record<string, string[]>).map(([c, values]) => [c.toLowerCase(), values]));
    const firstRow = Array.isArray(data) ? ((data[0] as string[] | undefined) ?? []) : columns.map((c) => ((byColumn as Record<string, string[]>)[c] ?? [])[0] ?? '');
    return { kind: 'recordset', columns, firstRow };
  }
  return { kind: 'struct', fields: Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase(), x])) };
}

const razunaStruct = z.union([
  z.looseObject({ responsecode: z.literal(1), message: z.string().min(1) }),
  // The engine's own errors: errorcode and detail are '' except for __BDRETURNFORMAT=plain's expression error.
  z.strictObject({ message: z.string().min(1), errorcode: z.string(), detail: z.string() }),
]);

export const razuna: Shape = {
  statuses: [200, 400, 404, 413, 415, 429],
  refused(a) {
    if (a.statusCode >= 400) return true;
    const v = razunaValue(a);
    if (v.kind === 'recordset') return v.columns.join(',') === 'responsecode,message';
    return v.fields.responsecode !== 0;
  },
  check(a) {
    statusIn(a, this.statuses, 'razuna');
    const v = razunaValue(a);
    if (v.kind === 'recordset') {
      if (v.columns.join(',') !== 'responsecode,message' || v.firstRow[0] !== '1') throw new Error(`razuna: error record set ${a.body.slice(0, 200)}`);
      return `${a.statusCode} rows ${v.firstRow[1]?.slice(0, 50)}`;
    }
    const s = checked(razunaStruct, v.fields, 'razuna error');
    return `${a.statusCode} ${s.message.slice(0, 60)}`;
  },
};

export const SHAPES: Record<string, Shape> = { jotform, livestorm, devtodev, limbo, razuna };
