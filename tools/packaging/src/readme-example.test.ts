/** The README example extractor, and every public package's README following the convention. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractReadmeExample } from './readme-example.js';
import { publicPackages } from './workspace.js';

describe('extractReadmeExample', () => {
  it('takes the first js block after "## Example", skipping other languages', () => {
    const md = ['# pkg', '```js', 'before();', '```', '## Example', '', '```sh', 'npm i x', '```', 'text', '```js', 'a();', 'b();', '```', '```js', 'c();', '```'].join('\n');
    expect(extractReadmeExample(md)).toBe('a();\nb();\n');
  });

  it('returns undefined without the heading, with only a ts block, or when the section ends first', () => {
    expect(extractReadmeExample('# x\n```js\na();\n```\n')).toBeUndefined();
    expect(extractReadmeExample('## Example\n```ts\nconst a: number = 1;\n```\n')).toBeUndefined();
    expect(extractReadmeExample('## Example\ntext\n## Next\n```js\na();\n```\n')).toBeUndefined();
    expect(extractReadmeExample('## Example\n```js\nunclosed();\n')).toBeUndefined();
  });

  it('keeps a longer fence open across inner triple backticks', () => {
    expect(extractReadmeExample('## Example\n````js\nconst s = "```";\n````\n')).toBe('const s = "```";\n');
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
      expect(example, `${json.name}: README needs a \`\`\`js block after "## Example"`).toBeDefined();
      expect(example).toMatch(new RegExp(`from '${json.name.replace('/', '\\/')}(/[a-z]+)?'`));
    });
  }
});
