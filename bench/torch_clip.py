#!/usr/bin/env python3
"""CLIP training of the native image tower and text tower in PyTorch on the CPU: the reference that
src/bench/image-tower-train.ts times xmrbench's ImageTextTrainer against (same model, loss, batches,
optimiser and sizes).

Image tower (native/include/xmr/image_tower.h): HWC images cut into non-overlapping P×P patches
flattened in (row, column, channel) order, z = Linear(3P², h)(x) + pos (learned, N × h),
GELU (exact, nn.GELU's default), mean over patches, Linear(h, d, bias=False), F.normalize.
Text tower (the dual encoder): EmbeddingBag(V, dim, mode='mean', sparse=True), Linear(dim, d,
bias=False), F.normalize.
Loss: CLIP's symmetric InfoNCE (Radford et al. 2021) at a fixed τ: logits = t·iᵀ/τ, the mean of
cross-entropy on the diagonal over rows (text→image) and columns (image→text).
Optimiser: SparseAdam on the token embeddings (lazy rows, as the native trainer), Adam on the rest.

Usage: torch_clip.py IDS OFFSETS PIXELS VOCAB DIM SIDE PATCH HIDDEN BATCH THREADS TAU LR SECONDS E W TOWER
(IDS int32, OFFSETS uint32, PIXELS float32 n × SIDE × SIDE × 3, little-endian, written by the
workload; caption s·B + i pairs with image s·B + i; E (V × dim), W (d × dim) and TOWER ([A | b | pos |
W], image_tower.h) float32: the native towers' initial weights, loaded so that the first batch's loss
can be compared with the native trainer's). Prints JSON: the initial loss of batch 0, epoch times and
the losses.
"""
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from epoch_timing import time_epochs


def main():
    ids_f, off_f, px_f, vocab, dim, side, patch, hidden, batch, threads, tau, lr, seconds, e_f, w_f, tower_f = sys.argv[1:17]
    vocab, dim, side, patch, hidden, batch, threads = (int(x) for x in (vocab, dim, side, patch, hidden, batch, threads))
    tau, lr, seconds = float(tau), float(lr), float(seconds)
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    ids = torch.from_numpy(np.fromfile(ids_f, dtype='<i4').astype(np.int64))
    offsets = np.fromfile(off_f, dtype='<u4').astype(np.int64)
    pixels = torch.from_numpy(np.fromfile(px_f, dtype='<f4').reshape(-1, side, side, 3))
    pairs = pixels.shape[0]
    steps = pairs // batch
    cells = side // patch
    n_patches = cells * cells
    k = 3 * patch * patch

    # Each batch's flat caption ids and bag offsets, sliced once outside the timed region (the native
    # side's batches are index arrays into one pool).
    batches = []
    for s in range(steps):
        a, b = offsets[s * batch], offsets[(s + 1) * batch]
        bags = torch.from_numpy(offsets[s * batch:(s + 1) * batch] - a)
        batches.append((ids[a:b], bags, pixels[s * batch:(s + 1) * batch]))

    emb = torch.nn.EmbeddingBag(vocab, dim, mode='mean', sparse=True)
    text_proj = torch.nn.Linear(dim, dim, bias=False)
    patch_embed = torch.nn.Linear(k, hidden)
    pos = torch.nn.Parameter(torch.randn(n_patches, hidden) * 0.02)
    image_proj = torch.nn.Linear(hidden, dim, bias=False)
    with torch.no_grad():
        emb.weight.copy_(torch.from_numpy(np.fromfile(e_f, dtype='<f4').reshape(vocab, dim)))
        text_proj.weight.copy_(torch.from_numpy(np.fromfile(w_f, dtype='<f4').reshape(dim, dim)))
        params = torch.from_numpy(np.fromfile(tower_f, dtype='<f4'))
        blocks = [(patch_embed.weight, hidden * k), (patch_embed.bias, hidden), (pos, n_patches * hidden), (image_proj.weight, dim * hidden)]
        at = 0
        for tensor, size in blocks:
            tensor.copy_(params[at:at + size].view_as(tensor))
            at += size
        assert at == params.numel(), f'{tower_f}: {params.numel()} floats, expected {at}'
    opt_sparse = torch.optim.SparseAdam(list(emb.parameters()), lr=lr)
    dense = [*text_proj.parameters(), *patch_embed.parameters(), pos, *image_proj.parameters()]
    opt_dense = torch.optim.Adam(dense, lr=lr)
    labels = torch.arange(batch)

    def image_embeds(img):
        # n × H × W × 3 → n × (H/P) × P × (W/P) × P × 3 → patches n × N × (P·P·3) in (row, column, channel) order
        x = img.view(-1, cells, patch, cells, patch, 3).permute(0, 1, 3, 2, 4, 5).reshape(-1, n_patches, k)
        a = F.gelu(patch_embed(x) + pos)
        return F.normalize(image_proj(a.mean(dim=1)), dim=-1)

    def loss_of(tok, bags, img):
        t = F.normalize(text_proj(emb(tok, bags)), dim=-1)
        logits = t @ image_embeds(img).T / tau
        return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2

    with torch.no_grad():
        initial = float(loss_of(*batches[0]))

    def step(tok, bags, img):
        opt_sparse.zero_grad(set_to_none=True)
        opt_dense.zero_grad(set_to_none=True)
        loss = loss_of(tok, bags, img)
        loss.backward()
        opt_sparse.step()
        opt_dense.step()
        return float(loss)

    def epoch():
        t0 = time.perf_counter()
        losses = [step(*b) for b in batches]
        return time.perf_counter() - t0, sum(losses) / len(losses)

    first, times, losses = time_epochs(epoch, seconds)
    print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'steps': steps, 'initialLoss': initial, 'seconds': times, 'firstLoss': first, 'lastLoss': losses[-1]}))


if __name__ == '__main__':
    main()
