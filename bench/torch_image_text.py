"""PyTorch side of the image-text workload (bench/image-text.ts): CLIP_benchmark's retrieval recall
computed the way its recall_at_k does it -- scores = texts @ images.T, torch.topk -- in both
directions, timed over `runs` repetitions. Prints JSON: torch version, threads, seconds per run,
the share spent in the matmul, and the per-query hits at each k (to check both sides agree).

usage: torch_image_text.py images.npy texts.npy text_image.npy threads runs k1,k2,...
"""
import json
import sys
import time

import numpy as np
import torch


def main():
    images_file, texts_file, index_file, threads, runs, ks = sys.argv[1:7]
    torch.set_num_threads(int(threads))
    ks = [int(k) for k in ks.split(',')]
    kmax = max(ks)
    images = torch.from_numpy(np.load(images_file))
    texts = torch.from_numpy(np.load(texts_file))
    text_image = torch.from_numpy(np.load(index_file).astype(np.int64).reshape(-1))
    image_ids = torch.arange(images.shape[0])

    def run():
        t0 = time.perf_counter()
        scores = texts @ images.T
        matmul.append(time.perf_counter() - t0)
        t2i = torch.topk(scores, kmax, dim=1)[1]
        i2t = torch.topk(scores.T, kmax, dim=1)[1]
        t2i_hit = t2i == text_image[:, None]
        i2t_hit = text_image[i2t] == image_ids[:, None]
        return {
            'hits': {
                f't2i@{k}': t2i_hit[:, :k].any(dim=1).to(torch.int8) for k in ks
            } | {f'i2t@{k}': i2t_hit[:, :k].any(dim=1).to(torch.int8) for k in ks}
        }

    matmul = []
    with torch.no_grad():
        out = run()  # warm-up
        matmul.clear()
        seconds = []
        for _ in range(int(runs)):
            t0 = time.perf_counter()
            out = run()
            seconds.append(time.perf_counter() - t0)
    print(json.dumps({
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'seconds': seconds,
        'matmul_seconds': matmul,
        'hits': {name: v.tolist() for name, v in out['hits'].items()},
    }))


if __name__ == '__main__':
    main()
