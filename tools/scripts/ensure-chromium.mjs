#!/usr/bin/env node
/**
 * The browser tests drive Debian's Chromium (never a browser a tool downloads), and
 * the Node WebGPU test runs Dawn on Chromium's SwiftShader Vulkan driver, which needs
 * the Vulkan loader (Debian `libvulkan1`). On a fresh machine of the project's kind
 * neither is installed yet: install them with apt-get when we can (root, apt-get
 * present), so `pnpm test` works from a fresh clone with no step done by hand.
 * Elsewhere print how to install them and go on; the browser test then fails with
 * the same message, and the WebGPU test skips with its reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.ANIRA_CHROMIUM ?? '/usr/bin/chromium';
const hasVulkanLoader = () => process.platform !== 'linux' || spawnSync('sh', ['-c', 'ldconfig -p | grep -q "libvulkan\\.so\\.1 "'], { stdio: 'ignore' }).status === 0;

const missing = [];
if (!existsSync(CHROMIUM)) missing.push('chromium');
if (!hasVulkanLoader()) missing.push('libvulkan1');
if (missing.length === 0) process.exit(0);

const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!hasApt || !isRoot) {
  console.warn(`note: ${missing.join(' and ')} missing; the browser tests need Debian Chromium and the Node WebGPU test its SwiftShader driver: sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(0);
}
console.log(`installing Debian ${missing.join(' ')} for the browser and Node WebGPU tests (apt-get install -y ${missing.join(' ')})...`);
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
} catch (e) {
  console.warn(`note: installing ${missing.join(' ')} failed (${String(e instanceof Error ? e.message : e).split('\n')[0]}); the browser tests will fail and the Node WebGPU test will skip`);
}
