/**
 * The evaluation settings of the study, built from a DDTP-layout dataset (src/data/ddtp/settings.ts):
 * MoIR (X→X), CLIR (X→Y), MLIR (mixed-language queries or corpus, languages drawn per id). The
 * query-side transforms the study applies are in query-transforms.ts, the lexicons in lexicons.ts.
 */
import { ddtpMixedSetting, ddtpSetting, type SettingItem } from '../data/ddtp/settings.js';
import { Qrels } from '../data/trec/qrels.js';
import { XmrError } from '../errors.js';
import type { SettingConfig } from './config.js';

export interface Setting {
  id: string;
  family: SettingConfig['family'];
  queries: SettingItem[];
  corpus: SettingItem[];
  qrels: Qrels;
}

export function loadSetting(dataset: string, s: SettingConfig, mixSeed: number): Setting {
  const mixed = s.queries.length > 1 || s.docs.length > 1;
  const d = mixed ? ddtpMixedSetting(dataset, s.queries, s.docs, mixSeed) : ddtpSetting(dataset, s.queries[0]!, s.docs[0]!);
  if (d.queries.length === 0) throw new XmrError('E_EMPTY', `setting ${s.id}: no query has a relevant document in ${s.docs.join('+')}`, { file: dataset });
  const qrels: Record<string, Record<string, number>> = {};
  for (const [q, docs] of d.qrels) qrels[q] = Object.fromEntries(docs);
  return { id: s.id, family: s.family, queries: d.queries, corpus: d.corpus, qrels: Qrels.fromObject(qrels) };
}
