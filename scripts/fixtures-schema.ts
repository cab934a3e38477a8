// Writes docs/fixtures.schema.json, the fixture document's JSON Schema (test/sandbox-fixtures.test.ts checks it
// is current): npx tsx scripts/fixtures-schema.ts
import { writeFileSync } from 'node:fs';
import { fixturesSchemaText } from '../src/admin/fixtures-schema.js';

writeFileSync(new URL('../docs/fixtures.schema.json', import.meta.url), fixturesSchemaText());
