/** TREC runs and qrels: reading, writing, the JSON form `{qid: {docno: value}}`. */
export { Interner } from './interner.js';
export { Run, RunBuilder } from './run.js';
export { Qrels, QrelsBuilder } from './qrels.js';
export { readRun, parseRun, readQrels, parseQrels, type ReadRunOptions } from './read.js';
export { formatRun, formatQrels, writeRun, writeQrels } from './write.js';
export { readRunJson, readQrelsJson } from './json.js';
