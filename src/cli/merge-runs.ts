/**
 * `xmrbench merge-runs`: the gather of a scatter–gather search. Runs of the same queries over
 * disjoint parts of a collection (the shards of `xmrbench index search --shard I/N`, or any
 * retriever run per partition) become one run of the k best per query by score, ranked as
 * trec_eval ranks (score descending, ties by docno descending). A document that appears in two
 * inputs for the same query is refused: the parts must be disjoint.
 *
 * Exactness: scores are written in their shortest round-trip form, so the merge sees the scores the
 * search computed, and the merged run equals the single search's — except where documents of
 * different inputs tie exactly at the k-th score, where the single search keeps the lower store rows
 * and the merge keeps the earlier input's.
 */
import type { Argv, CommandModule } from 'yargs';
import { XmrError } from '../errors.js';
import { readRun, writeRun } from '../data/trec/index.js';
import { RunBuilder } from '../data/trec/run.js';
import { positiveInteger } from '../args.js';

interface MergeArgs {
  runs: string[];
  k: number;
  out: string;
  tag: string;
}

export const mergeRunsCommand: CommandModule<object, MergeArgs> = {
  command: 'merge-runs <runs..>',
  describe: 'Merge runs over disjoint parts of a collection into the k best per query (the gather of a sharded search)',
  builder: (y: Argv) =>
    y
      .positional('runs', { type: 'string', array: true, describe: 'TREC runs (.gz allowed), in part order' })
      .option('k', { type: 'number', default: 1000, describe: 'Results per query in the merged run' })
      .option('out', { type: 'string', demandOption: true, describe: 'The merged run (.gz for gzip)' })
      .option('tag', { type: 'string', default: 'merged', describe: 'TREC run tag' })
      .example('$0 merge-runs run.0.trec run.1.trec run.2.trec run.3.trec --k 100 --out run.trec', 'The four tasks of `index search --shard I/4`') as unknown as Argv<MergeArgs>,
  handler: async (a) => {
    const k = positiveInteger(a.k, 'k');
    if (a.runs.length < 1) throw new XmrError('E_USAGE', 'name at least one run');
    // Per query: every row of every run, in run order, with the run it came from.
    const rows = new Map<string, { docno: string; score: number; from: number }[]>();
    for (let r = 0; r < a.runs.length; r++) {
      const run = await readRun(a.runs[r]!);
      for (let q = 0; q < run.size; q++) {
        const qid = run.queries.get(q);
        const list = rows.get(qid) ?? [];
        for (let i = run.offsets[q]!; i < run.offsets[q + 1]!; i++) list.push({ docno: run.docnos.get(i), score: run.scores[i]!, from: r });
        rows.set(qid, list);
      }
    }
    const b = new RunBuilder();
    for (const [qid, list] of rows) {
      const seen = new Map<string, number>();
      for (const row of list) {
        const other = seen.get(row.docno);
        if (other !== undefined && other !== row.from)
          throw new XmrError('E_DUPLICATE', `document ${row.docno} of query ${qid} is in ${a.runs[other]} and ${a.runs[row.from]}: merge-runs gathers runs over disjoint parts`, { file: a.runs[row.from] });
        seen.set(row.docno, row.from);
      }
      // Array.prototype.sort is stable: equal scores keep run order.
      list.sort((x, y) => y.score - x.score);
      for (const row of list.slice(0, k)) b.add(qid, row.docno, row.score);
    }
    await writeRun(a.out, b.build(), a.tag);
    console.log(`${a.out}: ${rows.size} queries, at most ${k} documents each, from ${a.runs.length} runs`);
  },
};
