// Razuna's JSON answers are written in one JSON.stringify when small (output.ts `encode`) and in pieces when
// streamed (`encodePieces`): both must be the same bytes, for every case switch, dates, structs and record sets.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FORMAT, encode, encodePieces, recordSet, struct, type Format, type Outcome } from '../src/dialects/razuna/output.js';

const joined = (o: Outcome, f: Format) => [...encodePieces(o, f).pieces].join('');
const outcomes: Outcome[] = [
  struct({ responsecode: 0, message: 'ok', label_id: '12', at: { date: Date.UTC(2026, 11, 3, 9, 5, 7) } }),
  struct({ __proto__: 'x', Name: 'é "quoted" \u2028' } as Record<string, string>),
  recordSet(['label_id', 'label_text', 'label_path'], []),
  recordSet(['label_id', 'label_text', 'LABEL_DATE'], [['1', 'A/B', { date: 0 }], ['2', '<script>', { date: Date.UTC(2024, 1, 29) }]]),
];

describe('razuna JSON in one piece', () => {
  for (const query of ['row', 'column'] as const) {
    for (const c of ['maintain', 'lower', 'upper'] as const) {
      it(`the same bytes as the pieces: query=${query}, case=${c}`, () => {
        const f: Format = { ...DEFAULT_FORMAT, query, case: c };
        for (const o of outcomes) expect(encode(o, f)).toEqual({ contentType: 'application/json; charset=utf-8', body: joined(o, f) });
      });
    }
  }
});
