// Domain rules shared by every dialect: what a valid name, colour, time span or resource reference is.
import { invalid } from './errors.js';
import type { Action } from './errors.js';
import { CoreError } from './errors.js';
import type { Actor, Role } from './types.js';

export const NAME_MAX = 255;
const CONTROL = /\p{Cc}/u;
const HEX_COLOR = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;
const RESOURCE_TYPE = /^[a-z][a-z0-9_]{0,31}$/;

/** Length in characters (code points), the way a person counts them. */
export const charLength = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

export function normalizeName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw invalid('name', 'required', 'name is required');
  if (charLength(name) > NAME_MAX) throw invalid('name', 'too_long', `name must be at most ${NAME_MAX} characters`);
  if (CONTROL.test(name)) throw invalid('name', 'control_chars', 'name must not contain control characters');
  return name;
}

/**
 * The color of a label created without one, whichever dialect creates it (Livestorm documents this default;
 * the others are silent), so every dialect shows the same color for the same label.
 */
export const DEFAULT_COLOR = '#6366f1';
/** The color a label shows: rows written before every new label got DEFAULT_COLOR (color null) show it too. */
export const shownColor = (stored: string | null): string => stored ?? DEFAULT_COLOR;

/** `#rgb` is expanded to `#rrggbb`; colours are stored lowercase. */
export function normalizeColor(raw: string): string {
  if (!HEX_COLOR.test(raw)) throw invalid('color', 'format', 'color must be a hex color like #22c55e');
  const hex = raw.slice(1).toLowerCase();
  return hex.length === 3 ? `#${[...hex].map((c) => c + c).join('')}` : `#${hex}`;
}

export function checkSpan(startsAt: number | null, endsAt: number | null): void {
  if (endsAt !== null && startsAt === null) throw invalid('ends_at', 'requires_start', 'ends_at needs starts_at');
  if (startsAt !== null && endsAt !== null && endsAt < startsAt) throw invalid('ends_at', 'before_start', 'ends_at must not be before starts_at');
}

export function checkResourceRef(type: string, externalId: string): void {
  if (!RESOURCE_TYPE.test(type)) throw invalid('type', 'format', 'type must match [a-z][a-z0-9_]{0,31}');
  if (externalId === '' || charLength(externalId) > NAME_MAX || CONTROL.test(externalId)) {
    throw invalid('id', 'format', `resource id must be 1-${NAME_MAX} characters without control characters`);
  }
}

const MAY: Record<Action, readonly Role[]> = {
  read: ['owner', 'admin', 'member', 'viewer'],
  assign: ['owner', 'admin', 'member'],
  create: ['owner', 'admin'],
  update: ['owner', 'admin'],
  delete: ['owner', 'admin'],
};

export function assertMay(actor: Actor, action: Action): void {
  if (!MAY[action].includes(actor.role)) {
    throw new CoreError('FORBIDDEN', `role ${actor.role} may not ${action} labels`, { action });
  }
}
