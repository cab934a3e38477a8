// Blocks marked `<!-- not run -->` because they repeat one that runs: the code generators' command lines on
// the dialect pages are docs/dialects/limbo.md's (run by test/docs-commands.test.ts) with the dialect's name.
import { describe, expect, it } from 'vitest';
import { notRunBlocks, shellBlocks } from './doc-blocks.js';
import { ROOT } from './process-helper.js';

const GENERATORS = /npx swagger-typescript-api generate/;

describe("the generators' command lines of the dialect pages", () => {
  const ran = shellBlocks(ROOT, 'docs/dialects/limbo.md').filter((b) => GENERATORS.test(b.code));

  it('run on limbo.md', () => {
    expect(ran).toHaveLength(1);
  });

  for (const dialect of ['jotform', 'razuna', 'livestorm', 'devtodev']) {
    it(`are limbo.md's with the name changed on ${dialect}.md`, () => {
      const file = `docs/dialects/${dialect}.md`;
      const marked = notRunBlocks(ROOT, file).filter((b) => GENERATORS.test(b.code));
      expect(marked, `${file}: one generators block, marked not run`).toHaveLength(1);
      expect(marked[0]!.reason).toMatch(/limbo\.md/);
      expect(marked[0]!.code).toBe(ran[0]!.code.replaceAll('limbo', dialect));
    });
  }
});
