/** taggedBlock: the tag selects exactly one block, verbatim, and misuse is an error. */
import { describe, expect, it } from 'vitest';
import { taggedBlock } from './fenced-block.js';

const doc = [
  '# Title',
  '```sh',
  'echo untagged',
  '```',
  '<!-- tested: first -->',
  '```bash',
  '#!/bin/bash',
  '  indented "$1"',
  '',
  'echo ```not a fence```',
  '```',
  'text',
  '<!-- tested: second -->',
  '````yaml',
  'a: 1',
  '```',
  '````',
].join('\n');

describe('taggedBlock', () => {
  it('returns the tagged body verbatim, blank and indented lines included', () => {
    expect(taggedBlock(doc, 'first')).toBe('#!/bin/bash\n  indented "$1"\n\necho ```not a fence```\n');
  });

  it('closes only on a fence of the opening length', () => {
    expect(taggedBlock(doc, 'second')).toBe('a: 1\n```\n');
  });

  it('refuses a missing, repeated, unfenced or unclosed tag', () => {
    expect(() => taggedBlock(doc, 'third')).toThrow('<!-- tested: third -->: expected exactly one in the document, found 0');
    expect(() => taggedBlock(`${doc}\n<!-- tested: first -->\n\`\`\`\nx\n\`\`\``, 'first')).toThrow('found 2');
    expect(() => taggedBlock('<!-- tested: a -->\n\n```\nx\n```', 'a')).toThrow('the next line must open a fenced code block');
    expect(() => taggedBlock('<!-- tested: a -->\n```sh\nx\n', 'a')).toThrow('never closed');
  });
});
