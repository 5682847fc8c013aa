/**
 * Node-only checkpoint file IO (`@anira/model/node`): atomic writes (temp file in
 * the same directory, fsync, rename) and reads with one-line errors.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readCheckpointHeader } from './checkpoint.js';

/** Write `bytes` to `path` atomically. */
export function writeCheckpointFile(path: string, bytes: Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw new Error(`checkpoint: cannot write "${path}": ${(e as Error).message}`);
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/** Read a checkpoint file and verify its header. */
export function readCheckpointFile(path: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new Error(`checkpoint: cannot read "${path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  readCheckpointHeader(bytes);
  return bytes;
}
