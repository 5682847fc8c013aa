#!/usr/bin/env node
/** Executable entry of the `anira` command. */
import { buildProgram } from './program.js';

await buildProgram().parseAsync(process.argv);
