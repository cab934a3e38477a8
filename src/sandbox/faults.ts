// Fault rules (POST /_admin/faults): which requests to slow down, fail or drop. Rules are tried in the order
// they were added; every matching delay adds up, and the first matching error or drop ends the search.
// `times` caps how often a rule acts (then it stays listed, spent); `probability` is rolled per request.

export const ERROR_NAMES = ['unavailable', 'rate_limited', 'quota', 'server_error', 'unauthorized', 'forbidden', 'not_found'] as const;
export type ErrorName = (typeof ERROR_NAMES)[number];

export interface FaultMatch {
  dialect?: string;
  method?: string;
  /** A substring of the request URL (path and query string), or a pattern written `/…/` (pathTest). */
  path?: string;
  operation?: string;
  workspace?: number;
  keyId?: number;
}

export type FaultAction =
  | { type: 'delay'; ms: number | [number, number] }
  | { type: 'error'; error: ErrorName; retryAfter?: number }
  | { type: 'drop' };

export interface FaultRule {
  id: number;
  match: FaultMatch;
  action: FaultAction;
  /** null: no cap. */
  times: number | null;
  probability: number;
  fired: number;
}

/** A request as the matcher sees it. */
export interface FaultTarget {
  dialect: string | null;
  method: string;
  url: string;
  operation: string | null;
  workspaceId: number | null;
  keyId: number | null;
}

/** What the matched rules ask of one request. */
export interface FaultPlan {
  delayMs: number;
  /** The error or drop rule, if one matched. */
  end: (FaultRule & { action: Exclude<FaultAction, { type: 'delay' }> }) | null;
  /** The last rule that acted (recorded in the journal). */
  ruleId: number;
}

/**
 * Jotform's operations come in /API and /API/v1 twins (`getLabel`, `getLabelV1`): a rule naming the first
 * matches both.
 */
const sameOperation = (want: string, op: string | null) => op !== null && (op === want || op === `${want}V1`);

/**
 * A `path` filter: a value that starts and ends with `/` (3 characters or more) is a regular expression
 * (`/^\/API\/label\/\d+$/`), anything else a substring. Throws SyntaxError for a bad expression.
 */
export function pathTest(text: string): (url: string) => boolean {
  if (text.length >= 3 && text.startsWith('/') && text.endsWith('/')) {
    const re = new RegExp(text.slice(1, -1));
    return (url) => re.test(url);
  }
  return (url) => url.includes(text);
}

interface Compiled extends FaultRule {
  path: ((url: string) => boolean) | null;
}

const matches = (r: Compiled, t: FaultTarget): boolean =>
  matchesBut(r.match, t) && (r.path === null || r.path(t.url));

const matchesBut = (m: FaultMatch, t: FaultTarget): boolean =>
  (m.dialect === undefined || m.dialect === t.dialect) &&
  (m.method === undefined || m.method === t.method) &&
  (m.operation === undefined || sameOperation(m.operation, t.operation)) &&
  (m.workspace === undefined || m.workspace === t.workspaceId) &&
  (m.keyId === undefined || m.keyId === t.keyId);

const pickMs = (ms: number | [number, number]) => (typeof ms === 'number' ? ms : ms[0] + Math.floor(Math.random() * (ms[1] - ms[0] + 1)));

export class Faults {
  private rules: Compiled[] = [];
  private seq = 0;

  /** True when no rule is left to act: the request path skips the matcher altogether. */
  get idle(): boolean {
    return this.rules.length === 0;
  }

  add(rule: Omit<FaultRule, 'id' | 'fired'>): FaultRule {
    const r: Compiled = { id: ++this.seq, ...rule, fired: 0, path: rule.match.path === undefined ? null : pathTest(rule.match.path) };
    this.rules.push(r);
    return wire(r);
  }

  list(): FaultRule[] {
    return this.rules.map(wire);
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** The rules that act on this request (counted as fired), or null when none does. */
  plan(t: FaultTarget, random: () => number = Math.random): FaultPlan | null {
    let plan: FaultPlan | null = null;
    for (const r of this.rules) {
      if ((r.times !== null && r.fired >= r.times) || !matches(r, t)) continue;
      if (r.probability < 1 && random() >= r.probability) continue;
      r.fired++;
      plan ??= { delayMs: 0, end: null, ruleId: r.id };
      plan.ruleId = r.id;
      if (r.action.type === 'delay') plan.delayMs += pickMs(r.action.ms);
      else {
        plan.end = wire(r) as FaultPlan['end'];
        break;
      }
    }
    return plan;
  }
}

const wire = ({ path: _compiled, ...rule }: Compiled): FaultRule => rule;
