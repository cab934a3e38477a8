// Multipart bodies are parsed only on the routes that take a body (src/http/multipart.ts): the parser's hooks
// must not run on Jotform's and Razuna's reads. Read from the app's route table with each route's hooks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helper.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.app.close();
});

/** Each printed route ("path (METHOD)") with the hook kinds listed under it. */
function routeHooks(app: TestApp['app']): { route: string; hooks: string[] }[] {
  const out: { route: string; hooks: string[] }[] = [];
  for (const line of app.printRoutes({ includeHooks: true, commonPrefix: false }).split('\n')) {
    const hook = /• \((\w+)\)/.exec(line);
    if (hook) out.at(-1)?.hooks.push(hook[1]!);
    else if (/\((GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)[^)]*\)\s*$/.test(line)) out.push({ route: line.replace(/^[\s│├└─]+/, ''), hooks: [] });
  }
  return out;
}

describe('multipart parsing only where a body can come', () => {
  it('no GET route has the multipart preValidation hook; Razuna POST and Jotform writes have it', () => {
    const routes = routeHooks(t.app);
    const gets = routes.filter((r) => /\(GET\b/.test(r.route));
    expect(gets.length).toBeGreaterThan(10);
    expect(gets.filter((r) => r.hooks.includes('preValidation')).map((r) => r.route)).toEqual([]);
    expect(routes.find((r) => r.route === 'global/api2/label.cfc (POST)')?.hooks).toContain('preValidation');
    expect(routes.filter((r) => /\((POST|PUT|DELETE)\b/.test(r.route) && r.hooks.includes('preValidation')).length).toBeGreaterThan(4);
  });
});
