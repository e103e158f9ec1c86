/**
 * trec_eval's output (`measure<TAB>qid<TAB>value`, values printed with "%.4f", `all` for the mean), read
 * back under xmrbench's measure names — how the agreement tests and `bench eval` compare the two tools.
 */
import { fromTrecEvalName } from './measures.js';

/**
 * xmrbench measure name → qid (or `all`) → value as printed, for the lines whose measure xmrbench
 * implements (under trec_eval's `-l level` and `-M maxDocs`); other lines are skipped. Two trec_eval
 * names for one xmrbench measure (map and map_cut_100 under -M100) must print the same value.
 */
export function parseTrecEvalOutput(text: string, level = 1, maxDocs = Infinity): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [trec, qid, value] = line.split('\t').map((s) => s.trim());
    if (trec === undefined || qid === undefined || value === undefined) throw new Error(`not a trec_eval output line: ${JSON.stringify(line)}`);
    const name = fromTrecEvalName(trec, level, maxDocs);
    if (name === null) continue;
    if (!out.has(name)) out.set(name, new Map());
    const prev = out.get(name)!.get(qid);
    if (prev !== undefined && prev !== value) throw new Error(`${trec} ${qid} ${value} disagrees with another trec_eval name for ${name}: ${prev}`);
    out.get(name)!.set(qid, value);
  }
  return out;
}
