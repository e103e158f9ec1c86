/**
 * xmrbench's library API. Everything a script needs is exported from here; the CLI (src/cli) and
 * benchmarks (bench/) are built on the same functions.
 */
export { topK, topKSync, toBf16, isaPath, Bf16Docs } from './search/topk.js';
export type { Metric, TopKOptions, TopKResult } from './search/topk.js';
export type { IsaName } from './native.js';
export { XmrError } from './errors.js';
export type { XmrErrorCode } from './errors.js';
