// What a test sandbox turns on by default, by setting name. `labelmux serve` and startLabelmux start the
// server as `npm start` does, plus these; a setting this build does not know yet is left out, so the
// defaults take effect the moment the setting exists, with no other change.
import { ConfigError, unknownSettings } from '../config.js';

/** The request journal is on for a test sandbox (off for a plain production start). */
const SANDBOX_DEFAULTS: Readonly<Record<string, string>> = { LABELMUX_JOURNAL: 'on' };

/** Whether `name` is a setting of this build (docs/operations.md, "Settings"). */
export const isSetting = (name: string): boolean => unknownSettings({ [name]: '' }).length === 0;

/** The sandbox defaults that `env` does not set already, among the settings this build has. */
export function sandboxDefaults(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(SANDBOX_DEFAULTS).filter(([name]) => env[name] === undefined && isSetting(name)));
}

/**
 * Refuses settings this build does not have (a misspelling, or a feature it lacks): a test asking for
 * fixtures or a fault clock must not silently run without them. One line per setting, naming the closest.
 */
export function requireSettings(names: readonly string[], who: string): void {
  const unknown = unknownSettings(Object.fromEntries(names.map((n) => [n, ''])));
  if (unknown.length > 0) throw new ConfigError(unknown.map((w) => `${who}: ${w.replace(' and is ignored', '')}`).join('\n'));
}
