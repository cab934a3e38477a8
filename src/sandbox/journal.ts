// The request journal: what clients of the dialects sent and got, newest first, in a bounded ring buffer of
// this process's memory (LABELMUX_JOURNAL_SIZE entries; the oldest is dropped). A request leaves its entry
// captured, not yet redacted (entry.ts: that would cost a point read more than the read itself); the entry
// is redacted the first time anything reads it, and only the redacted form is kept from then on. Every read
// (list, count, every filter) goes through `shown`, so nothing captured leaves this class unredacted.
// Bodies are kept as text and parsed back to JSON only when listed.
import { redact, type Captured } from './entry.js';

export { BODY_CAP } from './entry.js';

/** An entry as it may be shown: redacted and cut. */
export interface Recorded {
  at: number;
  dialect: string | null;
  operation: string | null;
  method: string;
  url: string;
  requestHeaders: Record<string, string | string[]>;
  /** Body text (JSON text when `requestJson`), or null without a body. */
  requestBody: string | null;
  requestJson: boolean;
  /** null: no answer was sent (a `drop` fault closed the connection). */
  status: number | null;
  responseBody: string | null;
  responseJson: boolean;
  durationMs: number;
  workspaceId: number | null;
  keyId: number | null;
  /** The fault rule that acted on the request (delay, error or drop), if one did. */
  fault: number | null;
}

export interface JournalEntry extends Omit<Recorded, 'at' | 'requestJson' | 'responseJson' | 'requestBody' | 'responseBody'> {
  id: number;
  at: string;
  requestBody: unknown;
  responseBody: unknown;
}

export interface JournalFilter {
  dialect?: string;
  workspace?: number;
  method?: string;
  /** A test of the (redacted) URL: faults.ts pathTest. */
  path?: (url: string) => boolean;
  /** An exact status, or a class: 4 for `4xx`. */
  status?: { exact: number } | { class: number };
  /** Entries at or after this time (ms), or with an id above this one. */
  since?: { at: number } | { after: number };
}

interface Slot extends Recorded {
  id: number;
}
/** In the buffer: captured (until first read), then redacted in its place. */
type Held = { id: number; captured: Captured } | Slot;

/** A body's text as listed: JSON when it was JSON and is whole, else the text. */
function bodyOut(text: string | null, json: boolean): unknown {
  if (text === null) return null;
  if (!json) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const matches = (e: Slot, f: JournalFilter): boolean =>
  (f.dialect === undefined || e.dialect === f.dialect) &&
  (f.workspace === undefined || e.workspaceId === f.workspace) &&
  (f.method === undefined || e.method === f.method) &&
  (f.path === undefined || f.path(e.url)) &&
  (f.status === undefined || ('exact' in f.status ? e.status === f.status.exact : e.status !== null && Math.floor(e.status / 100) === f.status.class)) &&
  (f.since === undefined || ('at' in f.since ? e.at >= f.since.at : e.id > f.since.after));

export class Journal {
  private readonly slots: (Held | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(readonly size: number) {
    this.slots = new Array<Held | undefined>(size);
  }

  /** Keeps a request's capture, numbered. Bodies come cut (entry.ts), so memory stays bounded by size × cap. */
  record(captured: Captured): void {
    this.slots[this.next] = { id: ++this.seq, captured };
    this.next = (this.next + 1) % this.size;
  }

  /** Newest first, each redacted (once: the redacted form replaces the capture). */
  private *newest(): Generator<Slot> {
    for (let i = 1; i <= this.size; i++) {
      const at = (this.next - i + this.size) % this.size;
      const e = this.slots[at];
      if (e === undefined) return;
      yield 'captured' in e ? (this.slots[at] = shown(e.id, e.captured)) : e;
    }
  }

  list(filter: JournalFilter, limit: number): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (const e of this.newest()) {
      if (out.length >= limit) break;
      if (matches(e, filter)) out.push(present(e));
    }
    return out;
  }

  count(filter: JournalFilter): number {
    let n = 0;
    for (const e of this.newest()) if (matches(e, filter)) n++;
    return n;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
  }
}

/** The redacted entry; should redaction ever fail, an entry that shows nothing the request carried. */
function shown(id: number, c: Captured): Slot {
  try {
    return { id, ...redact(c) };
  } catch {
    const hidden = '[not shown: redaction failed]';
    return { id, at: c.at, dialect: c.dialect, operation: c.operation, method: c.method, url: hidden, requestHeaders: {}, requestBody: null, requestJson: false, status: c.status, responseBody: null, responseJson: false, durationMs: c.durationMs, workspaceId: c.workspaceId, keyId: c.keyId, fault: c.fault };
  }
}

function present({ requestJson, responseJson, at, requestBody, responseBody, ...e }: Slot): JournalEntry {
  return { ...e, at: new Date(at).toISOString(), requestBody: bodyOut(requestBody, requestJson), responseBody: bodyOut(responseBody, responseJson) };
}
