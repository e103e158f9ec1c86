/**
 * `xmrbench export --onnx`: writes a trained dual encoder (a `.xde` checkpoint from `xmrbench
 * train`) as an ONNX model folder (model.onnx, tokenizer.json, config.json; src/export) that
 * `xmrbench search --ranker dense --model DIR` and any ONNX sentence-embedding runtime read.
 * The tokenizer and maximum length default to the ones the checkpoint was trained with.
 */
import type { Argv, CommandModule } from 'yargs';
import { XmrError } from '../errors.js';
import { loadDualEncoder } from '../encoders/dual-encoder-model.js';
import { exportOnnx } from '../export/onnx-dual-encoder.js';

interface ExportArgs {
  onnx: boolean;
  model: string;
  out: string;
  tokenizer?: string;
  'max-length'?: number;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export',
  describe: 'Export a trained dual encoder (.xde) as an ONNX model folder (model.onnx + tokenizer.json)',
  builder: (y: Argv) =>
    y
      .option('onnx', { type: 'boolean', default: true, describe: 'Write ONNX (opset 13); the only format so far' })
      .option('model', { type: 'string', demandOption: true, describe: 'The checkpoint (.xde) written by xmrbench train' })
      .option('out', { type: 'string', demandOption: true, describe: 'The folder to write' })
      .option('tokenizer', { type: 'string', describe: "tokenizer.json or vocab.txt (default: the checkpoint's)" })
      .option('max-length', { type: 'number', describe: "Tokens kept per text (default: the checkpoint's, else 128)" })
      .example('$0 export --onnx --model zs.xde --out zs-onnx/', 'Then: xmrbench search --ranker dense --model zs-onnx/ …') as unknown as Argv<ExportArgs>,
  handler: (a) => {
    if (!a.onnx) throw new XmrError('E_CONFIG', 'export writes ONNX only: drop --no-onnx');
    const { model, info } = loadDualEncoder(a.model);
    const trained = info.config.tokenizer as { file?: unknown; maxLength?: unknown } | undefined;
    const tokenizerFile = a.tokenizer ?? (typeof trained?.file === 'string' ? trained.file : undefined);
    if (tokenizerFile === undefined) throw new XmrError('E_CONFIG', 'the checkpoint names no tokenizer: pass --tokenizer FILE', { file: a.model });
    const maxLength = a['max-length'] ?? (typeof trained?.maxLength === 'number' ? trained.maxLength : 128);
    const { files } = exportOnnx(model, a.out, { tokenizerFile, maxLength });
    console.log(`exported ${a.model} (vocabulary ${model.vocabSize}, ${model.outDim} dimensions, max length ${maxLength}) to ${a.out}: ${files.join(', ')}`);
  },
};
