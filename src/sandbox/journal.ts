// The request journal: what clients of the dialects sent and got, newest first, in a bounded ring buffer of
// this process's memory (LABELMUX_JOURNAL_SIZE entries; the oldest is dropped). Entries are redacted when
// recorded (redact.ts) and kept as text; bodies are parsed back to JSON only when listed.

/** Longest request or response body kept, in characters; the rest is cut and the entry says so. */
export const BODY_CAP = 16 * 1024;

/** What the recorder hands over for one answered (or dropped) request, already redacted and cut. */
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
  private readonly slots: (Slot | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(readonly size: number) {
    this.slots = new Array<Slot | undefined>(size);
  }

  /** Keeps `r` itself (no copy: the recorder hands over a fresh object), numbered. */
  record(r: Recorded): void {
    // Bodies come cut to BODY_CAP (hooks.ts), so memory stays bounded by size × cap.
    const slot = r as Slot;
    slot.id = ++this.seq;
    this.slots[this.next] = slot;
    this.next = (this.next + 1) % this.size;
  }

  /** Newest first. */
  private *newest(): Generator<Slot> {
    for (let i = 1; i <= this.size; i++) {
      const e = this.slots[(this.next - i + this.size) % this.size];
      if (e === undefined) return;
      yield e;
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

function present({ requestJson, responseJson, at, requestBody, responseBody, ...e }: Slot): JournalEntry {
  return { ...e, at: new Date(at).toISOString(), requestBody: bodyOut(requestBody, requestJson), responseBody: bodyOut(responseBody, responseJson) };
}
