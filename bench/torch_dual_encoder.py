#!/usr/bin/env python3
"""The dual encoder and its InfoNCE training step in PyTorch on the CPU: the reference that
src/bench/train.ts times xmrbench's native trainer against (same model, loss, batches and optimiser).

Model: E = nn.EmbeddingBag(V, d, mode='mean', sparse=True) (masked mean pooling over ragged
sequences given as ids + offsets), optional W = nn.Linear(d, d', bias=False), then F.normalize.
Loss: InfoNCE with in-batch negatives, logits = q·dᵀ/τ, cross-entropy on the diagonal
(van den Oord et al. 2018). Optimiser: SparseAdam on E (lazy rows, as the native trainer), Adam on W.
With --adv fgsm: δ = ε·sign(∂L/∂m) on the pooled means (equal to the mean of the token-level FGSM
perturbation, see native/include/xmr/trainer.h), loss = L(x) + λ·L(x + δ).

Usage: torch_dual_encoder.py POOL_IDS POOL_OFFSETS STEPS_Q STEPS_D VOCAB DIM OUT_DIM BATCH THREADS TAU ADV EPS SECONDS [sparse|dense|noopt]
(dense: sparse=False and plain Adam on every row of E; noopt: sparse gradients but no optimiser
step, a lower bound on PyTorch's step time, since SparseAdam's coalescing dominates it)
(the binary files are int32/uint32 little-endian written by src/bench/train.ts). Prints JSON: epoch times.
"""
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from epoch_timing import time_epochs


def main():
    (ids_f, off_f, q_f, d_f, vocab, dim, out_dim, batch, threads, tau, adv, eps, seconds) = sys.argv[1:14]
    mode = sys.argv[14] if len(sys.argv) > 14 else 'sparse'
    sparse = mode in ('sparse', 'noopt')
    optimise = mode != 'noopt'  # noopt: forward + backward only, a lower bound on PyTorch's step time
    vocab, dim, out_dim, batch, threads = int(vocab), int(dim), int(out_dim), int(batch), int(threads)
    tau, eps, seconds = float(tau), float(eps), float(seconds)
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    ids = torch.from_numpy(np.fromfile(ids_f, dtype='<i4').astype(np.int64))
    offsets = np.fromfile(off_f, dtype='<u4').astype(np.int64)
    qsel = np.fromfile(q_f, dtype='<i4').astype(np.int64)
    dsel = np.fromfile(d_f, dtype='<i4').astype(np.int64)
    steps = len(qsel) // batch

    # Pre-slice every batch's flat ids and bag offsets (outside the timed region, like the native side
    # whose batches are index arrays into one pool).
    def bags(sel):
        parts, offs, at = [], [], 0
        for s in sel:
            a, b = offsets[s], offsets[s + 1]
            parts.append(ids[a:b])
            offs.append(at)
            at += b - a
        return torch.cat(parts), torch.tensor(offs, dtype=torch.int64)

    batches = []
    for s in range(steps):
        qb = bags(qsel[s * batch:(s + 1) * batch])
        db = bags(dsel[s * batch:(s + 1) * batch])
        batches.append((qb, db))

    emb = torch.nn.EmbeddingBag(vocab, dim, mode='mean', sparse=sparse)
    torch.nn.init.normal_(emb.weight, std=0.1)
    proj = torch.nn.Linear(dim, out_dim, bias=False) if out_dim > 0 else None
    opt_e = (torch.optim.SparseAdam if sparse else torch.optim.Adam)(list(emb.parameters()), lr=5e-3)
    opt_w = torch.optim.Adam(list(proj.parameters()), lr=5e-3) if proj is not None else None
    labels = torch.arange(batch)

    def encode(m):
        u = proj(m) if proj is not None else m
        return F.normalize(u, dim=-1)

    def loss_of(mq, md):
        return F.cross_entropy(encode(mq) @ encode(md).T / tau, labels)

    def step(qb, db):
        opt_e.zero_grad(set_to_none=True)
        if opt_w is not None:
            opt_w.zero_grad(set_to_none=True)
        mq = emb(*qb)
        md = emb(*db)
        if adv == 'fgsm':
            mq.retain_grad()
            md.retain_grad()
            clean = loss_of(mq, md)
            clean.backward(retain_graph=True)
            dq = eps * mq.grad.sign()
            dd = eps * md.grad.sign()
            loss = clean + loss_of(mq + dq, md + dd)
            # the clean gradient is already accumulated; add the adversarial term's
            (loss - clean).backward()
        else:
            loss = loss_of(mq, md)
            loss.backward()
        if optimise:
            opt_e.step()
            if opt_w is not None:
                opt_w.step()
        return float(loss)

    def epoch():
        t0 = time.perf_counter()
        last = 0.0
        for qb, db in batches:
            last = step(qb, db)
        return time.perf_counter() - t0, last

    _, times, losses = time_epochs(epoch, seconds)
    print(json.dumps({'torch': torch.__version__, 'mode': mode, 'threads': torch.get_num_threads(), 'steps': steps, 'seconds': times, 'lastLoss': losses[-1]}))


if __name__ == '__main__':
    main()
