/**
 * Every benchmark workload, in the order `xmrbench bench --help` lists them. A workload is one
 * file of this folder exporting its definition (src/bench/workload.ts); adding one here gives it
 * its subcommand, options and help.
 */
import { codeswitchWorkload } from './codeswitch.js';
import { evalWorkload } from './eval.js';
import { imageTextWorkload } from './image-text.js';
import { imageTowerTrainWorkload } from './image-tower-train.js';
import { perturbWorkload } from './perturb.js';
import { significanceWorkload } from './significance.js';
import { skipgramWorkload } from './skipgram.js';
import { storeWorkload } from './store.js';
import { tokenizeWorkload } from './tokenize.js';
import { topkWorkload } from './topk.js';
import { trainWorkload } from './train.js';
import { onnxImageWorkload, onnxTextWorkload } from './onnx.js';
import { annWorkload } from './ann.js';
import type { RegisteredWorkload } from './workload.js';

export const workloads: readonly RegisteredWorkload[] = [topkWorkload, tokenizeWorkload, perturbWorkload, evalWorkload, significanceWorkload, codeswitchWorkload, trainWorkload, imageTextWorkload, onnxTextWorkload, onnxImageWorkload, imageTowerTrainWorkload, skipgramWorkload, storeWorkload, annWorkload];
