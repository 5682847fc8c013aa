#!/usr/bin/env node
/**
 * Compiler flags for the addon's BLAS, printed for binding.gyp. It prefers a
 * static pthread OpenBLAS (Debian `libopenblas-pthread-dev`, what `libopenblas-dev`
 * installs), then a static serial one (`libopenblas-serial-dev`), so the built addon
 * needs no BLAS at run time; otherwise it links the shared `-lopenblas`. The pthread
 * build runs on the calling thread once the addon sets its thread count to 1, and
 * takes calls from several worker threads at once; the serial build does not (the
 * addon then runs the products one at a time, see csrc/sgemm.c). ANIRA_BLAS_DIR overrides the
 * search with a folder holding `libopenblas.a` and `cblas.h` (or `include/`).
 *   node scripts/blas-flags.cjs --include | --libs
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const multiarch = `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`;
const candidates = [
  ...(process.env.ANIRA_BLAS_DIR ? [{ lib: process.env.ANIRA_BLAS_DIR, inc: [process.env.ANIRA_BLAS_DIR, join(process.env.ANIRA_BLAS_DIR, 'include')] }] : []),
  ...['openblas-pthread', 'openblas-serial'].map((v) => ({
    lib: `/usr/lib/${multiarch}/${v}`,
    inc: [`/usr/include/${multiarch}/${v}`],
  })),
];
const found = candidates.find((c) => existsSync(join(c.lib, 'libopenblas.a')));
const what = process.argv[2];
if (what === '--include') {
  const inc = found ? found.inc.filter((d) => existsSync(join(d, 'cblas.h'))) : ['/usr/include/openblas', '/usr/include'];
  console.log(inc.join(' '));
} else if (what === '--libs') {
  console.log(found ? `${join(found.lib, 'libopenblas.a')} -lm -lpthread` : '-lopenblas -lm');
} else {
  console.error('usage: blas-flags.cjs --include | --libs');
  process.exit(2);
}
