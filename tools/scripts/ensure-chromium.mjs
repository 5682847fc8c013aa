#!/usr/bin/env node
/**
 * The browser tests drive Debian's Chromium (never a browser a tool downloads). On a
 * fresh machine of the project's kind it is not installed yet: install it with
 * apt-get when we can (root, apt-get present), so `pnpm test` works from a fresh
 * clone with no step done by hand. Elsewhere print how to install it and go on; the
 * browser test then fails with the same message.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.ANIRA_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);

const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!hasApt || !isRoot) {
  console.warn(`note: ${CHROMIUM} is missing; the browser tests need Debian Chromium: sudo apt-get install -y chromium`);
  process.exit(0);
}
console.log('installing Debian chromium for the browser tests (apt-get install -y chromium)...');
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
} catch (e) {
  console.warn(`note: installing chromium failed (${e.message.split('\n')[0]}); the browser tests will fail`);
}
