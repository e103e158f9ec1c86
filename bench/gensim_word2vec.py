#!/usr/bin/env python3
"""Skip-gram with negative sampling in gensim (Debian's python3-gensim): the reference that
src/bench/skipgram.ts times xmrbench's native trainer against, on the same corpus and hyper-parameters.

Model: gensim.models.Word2Vec(sg=1, hs=0, negative, window, sample, min_count, vector_size, epochs,
workers, seed), alpha = LR and min_alpha = LR·1e-4 (word2vec.c's floor, which the native trainer
uses; gensim's default min_alpha is 1e-4 absolute), through gensim's corpus_file path (its fastest:
one Cython reader per worker, no Python queue), built then trained; only train() is timed.

Usage: gensim_word2vec.py CORPUS DIM WINDOW NEGATIVE SAMPLE MIN_COUNT EPOCHS WORKERS SEED LR PAIRS
(CORPUS: one sentence per line, tokens separated by single spaces; PAIRS: a JSON file of
[[word, word], ...]). Prints JSON: gensim's version, train seconds, gensim's effective and raw word
counts, and the cosine of each pair (null when a word is out of the vocabulary).
"""
import json
import sys
import time

import numpy as np
import gensim
from gensim.models import Word2Vec


def main():
    corpus, dim, window, negative, sample, min_count, epochs, workers, seed, lr, pairs_f = sys.argv[1:12]
    dim, window, negative, min_count, epochs, workers, seed = (int(x) for x in (dim, window, negative, min_count, epochs, workers, seed))
    sample, lr = float(sample), float(lr)
    model = Word2Vec(vector_size=dim, window=window, negative=negative, hs=0, sg=1, sample=sample, min_count=min_count,
                     workers=workers, seed=seed, alpha=lr, min_alpha=lr * 1e-4)
    model.build_vocab(corpus_file=corpus)
    t0 = time.perf_counter()
    effective, raw = model.train(corpus_file=corpus, total_examples=model.corpus_count, total_words=model.corpus_total_words, epochs=epochs)
    seconds = time.perf_counter() - t0
    kv = model.wv
    cosines = []
    for a, b in json.load(open(pairs_f, encoding='utf-8')):
        if a in kv.key_to_index and b in kv.key_to_index:
            x, y = kv[a].astype(np.float64), kv[b].astype(np.float64)
            cosines.append(float(x @ y / np.sqrt((x @ x) * (y @ y))))
        else:
            cosines.append(None)
    print(json.dumps({'gensim': gensim.__version__, 'seconds': seconds, 'effectiveWords': effective, 'rawWords': raw,
                      'vocabulary': len(kv.key_to_index), 'cosines': cosines}))


if __name__ == '__main__':
    main()
