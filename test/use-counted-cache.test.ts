/**
 * The study's dense rankers are held in a UseCountedCache (src/experiment/use-counted-cache.ts):
 * dropped after the last step announced to use them, kept when never announced.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UseCountedCache } from '../src/experiment/use-counted-cache.js';

test('a value goes after the last announced use, not before', () => {
  const c = new UseCountedCache<string>();
  c.expect('a');
  c.expect('a');
  c.expect('b');
  c.set('a', 'ranker a');
  c.set('b', 'ranker b');
  c.done('a');
  assert.equal(c.get('a'), 'ranker a', 'one use of a is still to come');
  c.done('b');
  assert.equal(c.get('b'), undefined);
  assert.equal(c.size, 1);
  c.done('a');
  assert.equal(c.get('a'), undefined);
  assert.equal(c.size, 0);
});

test('a use finished before the value was made (a cached step) still counts', () => {
  const c = new UseCountedCache<number>();
  c.expect('k');
  c.expect('k');
  c.done('k'); // read from the cache: the value was never made
  c.set('k', 1);
  assert.equal(c.get('k'), 1);
  c.done('k');
  assert.equal(c.size, 0);
});

test('a key never announced is kept; done on it changes nothing', () => {
  const c = new UseCountedCache<number>();
  c.set('x', 7);
  c.done('x');
  c.done('x');
  assert.equal(c.get('x'), 7);
  assert.equal(c.size, 1);
});
