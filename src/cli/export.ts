/**
 * `xmrbench export --onnx`: writes a trained model as an ONNX model folder (src/export):
 * - a dual encoder (a `.xde` checkpoint from `xmrbench train`): model.onnx, tokenizer.json,
 *   config.json, which `xmrbench search --ranker dense --model DIR` and any ONNX sentence-embedding
 *   runtime read; the tokenizer and maximum length default to the ones the checkpoint was trained with;
 * - an image tower (a `.xit` checkpoint): model.onnx, preprocessor_config.json, config.json, which the
 *   ONNX image encoder reads;
 * - the study's CLIP pair (`--model text.xde --tower tower.xit`): the two folders OUT/text and
 *   OUT/image.
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { XmrError } from '../errors.js';
import { loadDualEncoder } from '../encoders/dual-encoder-model.js';
import { readImageTowerFile } from '../encoders/image-tower-model.js';
import { exportOnnx } from '../export/onnx-dual-encoder.js';
import { exportImageTowerOnnx } from '../export/onnx-image-tower.js';

interface ExportArgs {
  onnx: boolean;
  model: string;
  tower?: string;
  out: string;
  tokenizer?: string;
  'max-length'?: number;
}

function exportText(a: ExportArgs, out: string): void {
  const { model, info } = loadDualEncoder(a.model);
  const trained = info.config.tokenizer as { file?: unknown; maxLength?: unknown } | undefined;
  const tokenizerFile = a.tokenizer ?? (typeof trained?.file === 'string' ? trained.file : undefined);
  if (tokenizerFile === undefined) throw new XmrError('E_CONFIG', 'the checkpoint names no tokenizer: pass --tokenizer FILE', { file: a.model });
  const maxLength = a['max-length'] ?? (typeof trained?.maxLength === 'number' ? trained.maxLength : 128);
  const { files } = exportOnnx(model, out, { tokenizerFile, maxLength });
  console.log(`exported ${a.model} (vocabulary ${model.vocabSize}, ${model.outDim} dimensions, max length ${maxLength}) to ${out}: ${files.join(', ')}`);
}

function exportTower(file: string, out: string): void {
  const { model } = readImageTowerFile(file);
  const s = model.shape;
  const { files } = exportImageTowerOnnx(model, out);
  console.log(`exported ${file} (${s.height} × ${s.width} images, patch ${s.patch}, hidden ${s.hidden}, ${s.outDim} dimensions) to ${out}: ${files.join(', ')}`);
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export',
  describe: 'Export a trained dual encoder (.xde), image tower (.xit) or CLIP pair as ONNX model folders',
  builder: (y: Argv) =>
    y
      .option('onnx', { type: 'boolean', default: true, describe: 'Write ONNX (opset 13); the only format so far' })
      .option('model', { type: 'string', demandOption: true, describe: 'The checkpoint: a dual encoder (.xde) from xmrbench train or an image tower (.xit)' })
      .option('tower', { type: 'string', describe: 'With a .xde --model: the image tower (.xit) trained with it; writes OUT/text and OUT/image' })
      .option('out', { type: 'string', demandOption: true, describe: 'The folder to write' })
      .option('tokenizer', { type: 'string', describe: "tokenizer.json or vocab.txt (default: the checkpoint's)" })
      .option('max-length', { type: 'number', describe: "Tokens kept per text (default: the checkpoint's, else 128)" })
      .example('$0 export --onnx --model zs.xde --out zs-onnx/', 'Then: xmrbench search --ranker dense --model zs-onnx/ …')
      .example('$0 export --onnx --model tower.xit --out tower-onnx/', 'An image tower, for the ONNX image encoder')
      .example('$0 export --onnx --model clip/text.xde --tower clip/tower.xit --out clip-onnx/', 'The CLIP pair: clip-onnx/text and clip-onnx/image') as unknown as Argv<ExportArgs>,
  handler: (a) => {
    if (!a.onnx) throw new XmrError('E_CONFIG', 'export writes ONNX only: drop --no-onnx');
    if (a.model.endsWith('.xit')) {
      if (a.tower !== undefined) throw new XmrError('E_CONFIG', '--tower goes with a dual encoder (.xde) as --model, not with an image tower', { file: a.model });
      exportTower(a.model, a.out);
      return;
    }
    if (a.tower === undefined) {
      exportText(a, a.out);
      return;
    }
    exportText(a, path.join(a.out, 'text'));
    exportTower(a.tower, path.join(a.out, 'image'));
  },
};
