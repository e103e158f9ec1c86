/**
 * Saved baselines for `xmrbench regress --baseline FILE`: a report of an earlier run (its build B's
 * measurements become build A), accepted only when it was measured on a machine like this one —
 * timings from another CPU, core count, memory, platform, Node or ISA path say nothing about a
 * change in the code — unless forced.
 */
import { readFileSync } from 'node:fs';
import { XmrError } from '../../errors.js';
import { REGRESS_SCHEMA, REGRESS_SCHEMA_VERSION, type PerformanceReport } from './report.js';
import type { MachineStamp } from '../machine.js';

/** The stamp fields that must agree, in the order differences are reported. */
export const STAMP_FIELDS = ['cpu', 'cores', 'memoryGiB', 'platform', 'node', 'isa'] as const;

/**
 * Reads a baseline report; a file that is not one is a usage error naming it (the command line
 * named the wrong file: exit 2, never confused with a regression's exit 1).
 */
export function readBaseline(file: string): PerformanceReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new XmrError('E_USAGE', `--baseline: ${(e as Error).message}`);
  }
  let report: PerformanceReport;
  try {
    report = JSON.parse(text) as PerformanceReport;
  } catch (e) {
    throw new XmrError('E_USAGE', `not JSON: ${(e as Error).message}`, { file });
  }
  if (report?.schema !== REGRESS_SCHEMA || report.kind !== 'performance') {
    throw new XmrError('E_USAGE', `not a saved xmrbench regress result (schema ${JSON.stringify(report?.schema)}, expected ${REGRESS_SCHEMA} of kind performance)`, { file });
  }
  if (report.schemaVersion !== REGRESS_SCHEMA_VERSION) {
    throw new XmrError('E_USAGE', `schema version ${report.schemaVersion}, this xmrbench reads ${REGRESS_SCHEMA_VERSION}`, { file });
  }
  if (!report.b?.machine || !Array.isArray(report.series) || report.series.some((s) => !Array.isArray(s.b) || s.b.length === 0)) {
    throw new XmrError('E_USAGE', 'has no measurements of its build B to compare with', { file });
  }
  return report;
}

/** The fields in which two machine stamps differ, as `field: saved ≠ here` phrases. */
export function stampDifferences(saved: MachineStamp, here: MachineStamp): string[] {
  const out: string[] = [];
  for (const f of STAMP_FIELDS) {
    if (saved[f] !== here[f]) out.push(`${f}: ${JSON.stringify(saved[f])} ≠ ${JSON.stringify(here[f])}`);
  }
  return out;
}

/** Throws a usage error naming every differing field unless `force`. */
export function checkSameMachine(file: string, saved: MachineStamp, here: MachineStamp, force: boolean): void {
  const diff = stampDifferences(saved, here);
  if (diff.length > 0 && !force) {
    throw new XmrError('E_USAGE', `--baseline ${file} was measured on another machine (${diff.join('; ')}); timings are comparable only on the same one — pass --force to compare anyway`);
  }
}
