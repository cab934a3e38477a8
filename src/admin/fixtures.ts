// Fixture documents from files (JSON or YAML) and objects: checked whole, then loaded as the state resets return
// to. A refused document is one FixturesError naming the element at fault: `workspaces[0].labels[3].parent: no
// label "Foo"`.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { isCoreError, prepareFixtures as planFixtures, type Core, type FixturePlan, type ResetSummary } from '../core/index.js';
import { fixturesDocument } from './fixtures-schema.js';

export class FixturesError extends Error {
  override readonly name = 'FixturesError';
}

/** `workspaces[0].labels[3].parent` from a zod issue path. */
export const elementPath = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || '(document)';

function describe(issue: z.core.$ZodIssue): string {
  const at = elementPath(issue.path);
  if (issue.code === 'unrecognized_keys') return `${at}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_union') return `${at}: ${issue.message === 'Invalid input' ? 'invalid value' : issue.message}`;
  return `${at}: ${issue.message}`;
}

/**
 * Checks a document (already parsed from JSON or YAML) and turns it into rows ready to load, hashing its
 * passwords: FixturesError naming the first bad element otherwise.
 */
export async function prepareFixtures(doc: unknown): Promise<FixturePlan> {
  const parsed = fixturesDocument.safeParse(doc);
  if (!parsed.success) throw new FixturesError(describe(parsed.error.issues[0]!));
  try {
    return await planFixtures(parsed.data);
  } catch (e) {
    if (isCoreError(e) && e.code === 'VALIDATION') throw new FixturesError(e.message);
    throw e;
  }
}

/** A JSON or YAML text as a value (YAML unless the file name ends in .json). */
export function parseFixturesText(text: string, fileName = ''): unknown {
  const yaml = !/\.json$/i.test(fileName);
  try {
    return yaml ? parseYaml(text, { prettyErrors: false, maxAliasCount: 1000 }) : JSON.parse(text);
  } catch (e) {
    throw new FixturesError(`not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Reads a fixtures file (`.json`, or YAML: `.yaml`, `.yml`, anything else) and checks it. */
export async function readFixturesFile(file: string): Promise<FixturePlan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new FixturesError(`cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return prepareFixtures(parseFixturesText(text, file));
}

/**
 * Makes the fixtures (a document, or a plan from readFixturesFile) the state resets return to, and resets the
 * database to them now: everything else in it is deleted. All or nothing.
 */
export async function loadFixtures(core: Core, fixtures: unknown): Promise<ResetSummary> {
  const plan = isPlan(fixtures) ? fixtures : await prepareFixtures(fixtures);
  return core.sandbox.load(plan);
}

const isPlan = (v: unknown): v is FixturePlan => typeof v === 'object' && v !== null && 'assignments' in v && 'keys' in v;
