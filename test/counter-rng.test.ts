/**
 * The counter-based generator behind the resampling tests: Philox4x32-10 against Random123's
 * known-answer vectors (kat_vectors), xoshiro128** against the reference C implementation
 * (Blackman & Vigna, xoshiro128starstar.c), and the unbiased bounded integers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { philox4x32, stream, Xoshiro128 } from '../src/random.js';

const hex = (x: Uint32Array): string[] => Array.from(x, (v) => v.toString(16).padStart(8, '0'));

describe('counter-based random streams', () => {
  it('Philox4x32-10 reproduces Random123 known answers', () => {
    assert.deepEqual(hex(philox4x32([0, 0, 0, 0], [0, 0])), ['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    const ones = 0xffffffff;
    assert.deepEqual(hex(philox4x32([ones, ones, ones, ones], [ones, ones])), ['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    assert.deepEqual(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])), ['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });

  it('xoshiro128** matches the reference C code from the same state', () => {
    const g = new Xoshiro128(Uint32Array.of(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8));
    assert.deepEqual(Array.from({ length: 6 }, () => g.next()), [3420251723, 3185066667, 563849364, 1028639643, 1020230836, 4237874002]);
  });

  it('stream (seed, b, purpose) depends on each of the three', () => {
    const first = (seed: number, b: number, purpose: number): number => stream(seed, b, purpose).next();
    assert.equal(first(1, 2, 1), first(1, 2, 1));
    const values = new Set([first(1, 2, 1), first(2, 2, 1), first(1, 3, 1), first(1, 2, 2), first(2 ** 40, 2, 1), first(1, 2 ** 40, 1)]);
    assert.equal(values.size, 6);
  });

  it('below(n) is uniform on [0, n)', () => {
    const g = stream(3, 0, 2);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[g.below(7)]!++;
    // chi-square with 6 df: 22.5 is its 0.999 quantile
    const chi2 = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0);
    assert.ok(chi2 < 22.5, `chi-square ${chi2}, counts ${counts.join(' ')}`);
  });
});
