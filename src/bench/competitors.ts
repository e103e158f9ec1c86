/**
 * The competitors' scripts: Python programs in bench/ at the package root, run by /usr/bin/python3
 * (Debian's python3-faiss, python3-torch, python3-gensim) in a child process, never imported. They ship with the
 * package (package.json `files`) and are found through packageRoot, so an installed xmrbench runs
 * them as a clone does; where Python or its module is missing, the workload says so and goes on.
 */
import path from 'node:path';
import { packageRoot } from '../native.js';

export const COMPETITOR_SCRIPTS = {
  /** FAISS IndexFlatIP on the data of `bench topk`. */
  faiss: path.join(packageRoot, 'bench', 'faiss_topk.py'),
  /** The dual encoder and its training step in PyTorch, for `bench train`. */
  torch: path.join(packageRoot, 'bench', 'torch_dual_encoder.py'),
  /** CLIP_benchmark's retrieval recall in PyTorch, for `bench image-text`. */
  torchImageText: path.join(packageRoot, 'bench', 'torch_image_text.py'),
  /** CLIP training of the image tower and its text tower in PyTorch, for `bench image-tower-train`. */
  torchClip: path.join(packageRoot, 'bench', 'torch_clip.py'),
  /** gensim's Word2Vec (skip-gram, negative sampling) on the corpus of `bench skipgram`. */
  gensim: path.join(packageRoot, 'bench', 'gensim_word2vec.py'),
} as const;
