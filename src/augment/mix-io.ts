/** Reads a `{_id, text}` JSONL file into id → text, rejecting duplicate ids. */
import { XmrError } from '../errors.js';
import { readJsonlBatches, stringField } from './jsonl.js';

export async function readTextsById(file: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const { start, records } of readJsonlBatches(file, 10000)) {
    const ids = stringField(records, '_id', start, file);
    const texts = stringField(records, 'text', start, file);
    ids.forEach((id, i) => {
      if (out.has(id)) throw new XmrError('E_DUPLICATE', `duplicate id ${JSON.stringify(id)} in record ${start + i + 1}`, { file });
      out.set(id, texts[i]!);
    });
  }
  return out;
}
