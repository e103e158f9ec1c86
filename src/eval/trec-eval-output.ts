/**
 * trec_eval's output (`measure<TAB>qid<TAB>value`, values printed with "%.4f", `all` for the mean), read
 * back under xmrbench's measure names — how the agreement tests and `bench eval` compare the two tools.
 * `xmrbench eval --format trec` prints the same layout, under trec_eval's names where trec_eval has
 * one at its defaults and xmrbench's otherwise (`RR@10`, `P(rel=2)@5`): read it with ownTrecName.
 */
import { countFamily, fromTrecEvalName, parseMeasure } from './measures.js';
import { printfFixed } from './printf.js';

/**
 * How trec_eval prints a measure's values: a count (NumRet, …) as an integer ("%ld"), anything else
 * with "%6.4f" — which prints a NaN (IPrec@0 of a ranking trec_eval -J empties: 0/0, whose sign bit
 * x86 sets) as "  -nan".
 */
export function trecEvalFormat(measure: string): (value: number) => string {
  return countFamily(parseMeasure(measure).family) ? String : (v) => (Number.isNaN(v) ? '  -nan' : printfFixed(v));
}

/** The xmrbench measure of a line of `xmrbench eval --format trec`. */
export function ownTrecName(measure: string): string {
  return fromTrecEvalName(measure) ?? measure;
}

/**
 * xmrbench measure name → qid (or `all`) → value as printed, for the lines whose measure `rename`
 * maps to an xmrbench name (default: trec_eval's names at the default level, fromTrecEvalName;
 * ownTrecName reads `xmrbench eval --format trec`); other lines are skipped. Two trec_eval names for one
 * xmrbench measure (map and map_cut_100 under -M100) must print the same value.
 */
export function parseTrecEvalOutput(text: string, rename: (measure: string) => string | null = (m) => fromTrecEvalName(m)): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [trec, qid, value] = line.split('\t').map((s) => s.trim());
    if (trec === undefined || qid === undefined || value === undefined) throw new Error(`not a trec_eval output line: ${JSON.stringify(line)}`);
    const name = rename(trec);
    if (name === null) continue;
    if (!out.has(name)) out.set(name, new Map());
    const prev = out.get(name)!.get(qid);
    if (prev !== undefined && prev !== value) throw new Error(`${trec} ${qid} ${value} disagrees with another trec_eval name for ${name}: ${prev}`);
    out.get(name)!.set(qid, value);
  }
  return out;
}

/** The first few differences between two parsed outputs (measure, qid, both values); empty when they agree. */
export function outputDifferences(ours: Map<string, Map<string, string>>, theirs: Map<string, Map<string, string>>, max = 5): string[] {
  const out: string[] = [];
  for (const name of new Set([...ours.keys(), ...theirs.keys()])) {
    const a = ours.get(name) ?? new Map<string, string>();
    const b = theirs.get(name) ?? new Map<string, string>();
    for (const qid of new Set([...a.keys(), ...b.keys()])) {
      if (a.get(qid) !== b.get(qid) && out.length < max) out.push(`${name} ${qid}: ${a.get(qid) ?? 'missing'} vs ${b.get(qid) ?? 'missing'}`);
    }
  }
  return out;
}
