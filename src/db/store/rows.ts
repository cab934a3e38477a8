// Value conversions every store module shares: JSON columns and the case-folded name key.

/** Case folding used for name uniqueness (ß and SS fold together). */
export const nameKey = (name: string): string => name.normalize('NFC').toUpperCase().toLowerCase();

export const json = (v: unknown): string => JSON.stringify(v);
/** JSON text → value; the empty object, most labels' extras, skips the parser. */
export const parseJson = <T>(s: string | null): T => (s === null ? (null as T) : s === '{}' ? ({} as T) : (JSON.parse(s) as T));
