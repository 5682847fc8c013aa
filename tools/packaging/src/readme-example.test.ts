/** The README example extractor, and every public package's README following the convention. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractReadmeExample, extractReadmeExamples } from './readme-example.js';
import { publicPackages } from './workspace.js';

describe('extractReadmeExample', () => {
  it('takes the first ts block after "## Example", skipping other languages', () => {
    const md = ['# pkg', '```ts', 'before();', '```', '## Example', '', '```sh', 'npm i x', '```', 'text', '```ts', 'a();', 'b();', '```', '```ts', 'c();', '```'].join('\n');
    expect(extractReadmeExample(md)).toBe('a();\nb();\n');
  });

  it('returns undefined without the heading, with only a js block, or when the section ends first', () => {
    expect(extractReadmeExample('# x\n```ts\na();\n```\n')).toBeUndefined();
    expect(extractReadmeExample('## Example\n```js\nconst a = 1;\n```\n')).toBeUndefined();
    expect(extractReadmeExample('## Example\ntext\n## Next\n```ts\na();\n```\n')).toBeUndefined();
    expect(extractReadmeExample('## Example\n```ts\nunclosed();\n')).toBeUndefined();
  });

  it('keeps a longer fence open across inner triple backticks', () => {
    expect(extractReadmeExample('## Example\n````ts\nconst s = "```";\n````\n')).toBe('const s = "```";\n');
  });

  it('extractReadmeExamples lists every ts block in order, skipping fenced text inside other blocks', () => {
    const md = ['```ts', 'a();', '```', '```md', '```ts', 'not();', '```', '## x', '```ts no-run', 'b();', '```'].join('\n');
    expect(extractReadmeExamples(md)).toEqual([{ code: 'a();\n', run: true }, { code: 'b();\n', run: false }]);
  });
});

describe('package READMEs', () => {
  for (const { dir, json } of publicPackages()) {
    it(`${json.name} has a README with a runnable-example section`, () => {
      const file = join(dir, 'README.md');
      expect(existsSync(file), `${json.name}: README.md is missing`).toBe(true);
      const md = readFileSync(file, 'utf8');
      expect(md.startsWith(`# ${json.name}\n`), `${json.name}: README must start with "# ${json.name}"`).toBe(true);
      const example = extractReadmeExample(md);
      expect(example, `${json.name}: README needs a \`\`\`ts block after "## Example"`).toBeDefined();
      expect(example).toMatch(new RegExp(`from '${json.name.replace('/', '\\/')}(/[a-z]+)?'`));
    });

    it(`${json.name} README links are absolute (they must work on the npm page)`, () => {
      const md = readFileSync(join(dir, 'README.md'), 'utf8');
      const relative = [...md.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!).filter((u) => !/^(https?:|#)/.test(u));
      expect(relative).toEqual([]);
    });
  }
});
