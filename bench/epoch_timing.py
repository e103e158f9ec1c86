"""The PyTorch competitors' timing loop (bench/torch_*.py), in one place so both time alike.

One warm-up epoch (discarded), then epochs until `seconds` have passed — at least one, at most 50.
The script's directory is on sys.path when Python runs a script, so the competitors import this file
wherever the package is installed (package.json ships bench/*.py).
"""
import time


def time_epochs(epoch, seconds):
    """`epoch()` returns (seconds, loss). Returns (warm-up loss, epoch seconds, epoch losses)."""
    warm_up = epoch()[1]
    times, losses = [], []
    start = time.perf_counter()
    while not times or (time.perf_counter() - start < seconds and len(times) < 50):
        t, l = epoch()
        times.append(t)
        losses.append(l)
    return warm_up, times, losses
