// Generated clients beyond openapi-fetch (test/sdk.test.ts): for each committed document, the clients
// swagger-typescript-api and oazapfts make from it (test/sdk/<generator>/<name>.ts, committed) must be
// current, must typecheck together with the calls the flows make on them, and must drive each dialect
// through create → read → assign → list → delete against a listening server, every response checked
// against the document (test/sdk/conformance.ts). Regenerate: `npx tsx test/sdk/generate.ts`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_NAMES } from '../scripts/openapi.js';
import { ADMIN_TOKEN, buildTestApp, type TestApp } from './helper.js';
import { DOCUMENTS, EXPECTED_OPERATIONS, type Env, type Flows } from './sdk/flows.js';
import { flows as oazapfts } from './sdk/flows.oazapfts.js';
import { flows as swaggerTypescriptApi } from './sdk/flows.swagger-typescript-api.js';
import { GENERATORS, generateClients, SDK_DIR, type Generator } from './sdk/generate.js';

const FLOWS: Record<Generator, Flows> = { 'swagger-typescript-api': swaggerTypescriptApi, oazapfts };

describe('generated clients', () => {
  it('cover every document', () => {
    expect(DOCUMENTS).toEqual(DOCUMENT_NAMES);
  });

  it('are what the generators make from openapi/*.json (run `npx tsx test/sdk/generate.ts` after `npm run openapi`)', async () => {
    const fresh = await generateClients();
    const committed = GENERATORS.flatMap((g) => readdirSync(join(SDK_DIR, g)).map((f) => `${g}/${f}`));
    expect(committed.sort()).toEqual([...fresh.keys()].sort());
    for (const [file, text] of fresh) expect(readFileSync(join(SDK_DIR, file), 'utf8'), `test/sdk/${file} is stale`).toBe(text);
  });

  // `npm run typecheck` covers these files too; this makes the test answer on its own for a freshly
  // generated client (duplicate identifiers, a parameter the flows do not pass, a changed response type).
  it('typecheck with the calls the flows make on them (tsc over test/sdk/flows.*.ts and what they import)', () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(SDK_DIR, '..', '..', 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } })!;
    const program = ts.createProgram(GENERATORS.map((g) => join(SDK_DIR, `flows.${g}.ts`)), { ...config.options, noEmit: true });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => {
      const at = d.file ? `${relative(join(SDK_DIR, '..', '..'), d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
      return at + ts.flattenDiagnosticMessageText(d.messageText, '\n');
    });
    expect(errors).toEqual([]);
  });
});

let t: TestApp;
let env: Env;
beforeAll(async () => {
  t = await buildTestApp();
  env = { origin: await t.app.listen({ port: 0, host: '127.0.0.1' }), adminToken: ADMIN_TOKEN };
});
afterAll(() => t.close());

describe.each(GENERATORS)('%s clients against a listening server', (generator) => {
  it.each(DOCUMENT_NAMES)('%s: create → read → assign → list → delete, every answer as documented', async (name) => {
    expect(await FLOWS[generator][name](env)).toEqual(EXPECTED_OPERATIONS[name]);
  });
});
