#!/usr/bin/env node
// Runs the built CLI (dist/) when present, else the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
let mod;
if (existsSync(built)) {
  mod = await import(built);
} else {
  const { tsImport } = await import('tsx/esm/api');
  mod = await tsImport('../src/cli.ts', import.meta.url);
}
process.exitCode = await mod.runCli(process.argv.slice(2));
