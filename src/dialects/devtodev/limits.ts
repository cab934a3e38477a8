// devtodev's creation limits: at most 30 labels per request (code 7), and daily limits per token (code 8)
// and per app (code 9); the error table maps LIMIT_EXCEEDED by these rules' names.
import type { CreationLimits } from '../../core/index.js';
import { MAX_PER_REQUEST } from './schemas.js';

/** The daily counters' scopes in the store (kept as they are: a day's counts survive an upgrade). */
export const DEVTODEV_COUNTERS = { token: 'devtodev-token', app: 'devtodev-app' } as const;

/** Per token: per API key (or per user without one) across every app the key reaches; per app: per workspace. */
export const devtodevLimits = (tokenPerDay: number, appPerDay: number, perRequest = MAX_PER_REQUEST): CreationLimits => ({
  perRequest,
  daily: [
    { rule: 'token', per: 'key', scope: DEVTODEV_COUNTERS.token, limit: tokenPerDay },
    { rule: 'app', per: 'workspace', scope: DEVTODEV_COUNTERS.app, limit: appPerDay },
  ],
});
