/**
 * Ctrl-C (SIGINT) for the long commands (`train`, `experiment`; `search` while it writes its run), in
 * two stages:
 *
 * 1. The first Ctrl-C fires the command's AbortSignal. Work that polls it ends cleanly and keeps what
 *    is complete: training between chunks of steps (it writes its checkpoint), the study between
 *    steps (a step being trained stops too; finished steps stay cached). The command then prints how
 *    to resume and exits with status 130 (128 + SIGINT, the shell's convention).
 * 2. If the command has not ended `graceMs` later, or on a second Ctrl-C, it stops at once: the
 *    temporary files and folders of this process (src/atomic-write.ts) are removed, the same hint is
 *    printed, and the process ends by SIGINT itself (default action, re-raised), which a shell
 *    reports as status 130 like any program stopped by Ctrl-C. Not `process.exit(130)`: that waits
 *    for the libuv thread pool, i.e. for native work in flight (a top-k search over a large corpus,
 *    an image–text epoch) to finish, measured at 15 s for one large search; a re-raised SIGINT ends
 *    the process while the worker thread runs, and nothing calls back into JavaScript after it. (The
 *    re-raise is also what a caller's shell loop needs to stop: www.cons.org/cracauer/sigint.html.)
 *
 * A JavaScript handler runs only when the event loop turns: during a long synchronous stretch (a
 * BM25 index built over 60,000 documents: 5.5 s, measured) Ctrl-C waits for it. A command with
 * nothing to keep before its output is written therefore listens only while it writes (`search`),
 * and otherwise keeps SIGINT's default action, which ends the process at once.
 */
import { removePendingTemporaries } from '../atomic-write.js';

/** How long the first Ctrl-C waits for a clean stop before stopping at once. */
export const GRACE_MS = 1000;

/** The exit status of a command stopped by Ctrl-C. */
export const INTERRUPTED_STATUS = 130;

export interface Interruption {
  /** Aborted by the first Ctrl-C. */
  readonly signal: AbortSignal;
  /** The line printed on stderr when the command stops this way: `xmrbench: interrupted; HINT`. */
  readonly message: string;
  /** Stops listening (the command ended by itself). */
  dispose(): void;
}

/**
 * Listens for Ctrl-C on behalf of a command; `hint` says how to resume (or that nothing was written).
 * `graceMs` 0: the first Ctrl-C stops at once (a command with nothing worth finishing).
 */
export function onInterrupt(hint: string, graceMs = GRACE_MS): Interruption {
  const controller = new AbortController();
  const message = `xmrbench: interrupted; ${hint}`;
  let timer: NodeJS.Timeout | undefined;
  const stopNow = () => {
    removePendingTemporaries();
    process.stderr.write(`\n${message}\n`);
    process.off('SIGINT', onSigint);
    process.kill(process.pid, 'SIGINT');
  };
  const onSigint = () => {
    if (controller.signal.aborted || graceMs === 0) return stopNow();
    process.stderr.write(`\nxmrbench: stopping (Ctrl-C again to quit at once)…\n`);
    controller.abort();
    timer = setTimeout(stopNow, graceMs);
    timer.unref();
  };
  process.on('SIGINT', onSigint);
  return {
    signal: controller.signal,
    message,
    dispose() {
      clearTimeout(timer);
      process.off('SIGINT', onSigint);
    },
  };
}
