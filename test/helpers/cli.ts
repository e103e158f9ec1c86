/**
 * This checkout's `xmrbench` as a child process, awaited: resolves with its stdout and stderr, rejects
 * (with them) on a non-zero exit, and gives up after two minutes. For tests that run commands in
 * sequence and assert on what they print.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/native.js';

const run = promisify(execFile);

export const cli = (args: string[]) => run(process.execPath, [path.join(packageRoot, 'bin', 'xmrbench.js'), ...args], { encoding: 'utf8', timeout: 120_000 });
