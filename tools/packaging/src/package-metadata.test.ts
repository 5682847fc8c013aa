/**
 * Every public package.json carries the metadata a registry page and a user need,
 * and peer-depends on tfjs-core (never on a backend) where it uses tfjs; every README
 * says first that its examples are ES modules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicPackages } from './workspace.js';

const packages = publicPackages();
const repoUrl = 'git+https://github.com/anira-ts/anira.git';

describe('package metadata', () => {
  it('finds the seven public packages', () => {
    expect(packages.map((p) => p.json.name)).toEqual(['@anira/cli', '@anira/halting', '@anira/metrics', '@anira/model', '@anira/native', '@anira/tasks', '@anira/tensor']);
  });

  for (const { dir, json } of packages) {
    it(`${json.name} has description, keywords, license, repository, engines and files`, () => {
      expect(json.description?.length ?? 0, 'description').toBeGreaterThan(20);
      expect(json.keywords?.length ?? 0, 'keywords').toBeGreaterThanOrEqual(3);
      expect(new Set(json.keywords).size, 'keywords are unique').toBe(json.keywords?.length);
      expect(json.keywords, 'keywords').toContain('anira');
      expect(json.license).toBe('MIT');
      expect(json.repository).toEqual({ type: 'git', url: repoUrl, directory: dir.slice(dir.indexOf('packages/')) });
      expect(json.engines?.['node']).toBe('>=20.19');
      expect(json.files).toEqual(expect.arrayContaining(['dist', 'README.md']));
      expect(json.version).toMatch(/^\d+\.\d+\.\d+$/);
    });

    it(`${json.name}'s README says in its first lines that the examples are ESM and how to get there from npm init -y`, () => {
      const head = readFileSync(join(dir, 'README.md'), 'utf8').split('\n').slice(0, 10).join('\n');
      expect(head).toContain('npm pkg set type=module');
      expect(head).toContain('"module": "nodenext"');
    });

    it(`${json.name} depends on tfjs only as a peer (libraries) and never on a backend`, () => {
      if (json.name === '@anira/cli') return; // the application chooses and bundles its backends
      const deps = Object.keys(json.dependencies ?? {});
      expect(deps.filter((d) => d.startsWith('@tensorflow/'))).toEqual([]);
      const peers = Object.keys(json.peerDependencies ?? {});
      expect(peers.filter((d) => d.startsWith('@tensorflow/tfjs-backend'))).toEqual([]);
      if (peers.includes('@tensorflow/tfjs-core')) expect(json.peerDependencies?.['@tensorflow/tfjs-core']).toBe('^4.22.0');
    });
  }
});
