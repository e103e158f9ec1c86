/**
 * NumPy .npy files: byte-identical to numpy's own writer, float16 widened and rounded as numpy
 * does (checked with numpy when /usr/bin/python3 has it), ids beside the matrix, and each refusal
 * (wrong dtype, not 2-D, Fortran order, truncated data, ids that do not fit) naming the file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatNpy, parseNpy, readEmbeddings, readIds, readNpy, writeIds, writeNpy } from '../src/data/npy.js';
import { referenceDir, skipUnlessReference } from './helpers/reference-dir.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'xmr-npy-'));

function numpyHeader(descr: string, fortran: string, shape: string): Uint8Array {
  let h = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  h += ' '.repeat(63 - ((10 + h.length) % 64)) + '\n';
  const out = new Uint8Array(10 + h.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  for (let i = 0; i < h.length; i++) out[10 + i] = h.charCodeAt(i);
  return out;
}

function withData(header: Uint8Array, bytes: number): Uint8Array {
  const out = new Uint8Array(header.length + bytes);
  out.set(header);
  return out;
}

let numpy = false;
try {
  execFileSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' });
  numpy = true;
} catch {
  /* tests that need numpy skip */
}
const noNumpy = numpy ? false : 'numpy not available under /usr/bin/python3';

describe('.npy files', () => {
  it('round-trips float32 and writes what numpy writes', { skip: skipUnlessReference('image-text/images.npy') }, () => {
    const file = path.join(referenceDir, 'image-text/images.npy');
    const m = readNpy(file);
    assert.equal(m.dtype, 'float32');
    assert.deepEqual(Buffer.from(formatNpy(m.data, m.rows, m.cols)), readFileSync(file));
  });

  it('float16: exact widening, round-to-even narrowing, numpy agrees', { skip: noNumpy }, () => {
    const values = Float32Array.from([0, -0, 1, -2.5, 65504, 1e-7, 6.1e-5, 0.1, 1 / 3, 2049, 2051, 70000, -Infinity]);
    const f16 = path.join(tmp, 'half.npy');
    writeNpy(f16, values, 1, values.length, 'float16');
    const fromNumpy = execFileSync('/usr/bin/python3', [
      '-c',
      `import numpy as np, sys, json
a = np.load(sys.argv[1])
assert a.dtype == np.float16 and a.shape == (1, ${values.length})
want = np.array([float(v) for v in json.loads(sys.argv[2])], dtype=np.float32).astype(np.float16).reshape(1, -1)
assert (a.view(np.uint16) == want.view(np.uint16)).all(), (a, want)
np.save(sys.argv[3], want)`,
      f16,
      // As strings: JSON has no −0 or infinities; Python's float() reads '-0' and '-Infinity'.
      JSON.stringify([...values].map((v) => (Object.is(v, -0) ? '-0' : String(v)))),
      path.join(tmp, 'np-half.npy'),
    ]);
    assert.equal(fromNumpy.length, 0);
    const back = readNpy(path.join(tmp, 'np-half.npy'));
    assert.equal(back.dtype, 'float16');
    assert.deepEqual([...back.data.slice(0, 5)], [0, -0, 1, -2.5, 65504]);
    assert.equal(back.data[8], 0.333251953125); // the nearest half to 1/3
    assert.equal(back.data[9], 2048); // 2049 is a tie: to even
    assert.equal(back.data[10], 2052);
    assert.equal(back.data[11], Infinity);
  });

  it('refuses a wrong dtype, shape, Fortran order or data length, naming the file', () => {
    const cases: [string, Uint8Array, string][] = [
      ['f8.npy', withData(numpyHeader('<f8', 'False', '(2, 2)'), 32), "dtype <f8 is not supported: embeddings must be float32 ('<f4') or float16 ('<f2'); in numpy, x.astype('float32')"],
      ['big.npy', withData(numpyHeader('>f4', 'False', '(2, 2)'), 16), "dtype >f4 is not supported: embeddings must be float32 ('<f4') or float16 ('<f2'); in numpy, x.astype('float32')"],
      ['1d.npy', withData(numpyHeader('<f4', 'False', '(4,)'), 16), 'shape (4,) is not 2-D: embeddings must be rows × dimensions'],
      ['3d.npy', withData(numpyHeader('<f4', 'False', '(1, 2, 2)'), 16), 'shape (1, 2, 2) is not 2-D: embeddings must be rows × dimensions'],
      ['fortran.npy', withData(numpyHeader('<f4', 'True', '(2, 2)'), 16), 'the array is in Fortran (column-major) order: save np.ascontiguousarray(x) for C order'],
      ['short.npy', withData(numpyHeader('<f4', 'False', '(2, 2)'), 12), 'holds 12 data bytes, but shape (2, 2) of <f4 needs 16'],
      ['text.npy', new TextEncoder().encode('0.1 0.2\n'), 'not a NumPy .npy file (no \\x93NUMPY magic)'],
    ];
    for (const [name, bytes, message] of cases) {
      const file = path.join(tmp, name);
      writeFileSync(file, bytes);
      assert.throws(() => readNpy(file), { name: 'XmrError', message: `${file}: ${message}` }, name);
    }
    assert.throws(() => readNpy(path.join(tmp, 'absent.npy')), (e: Error & { code?: string }) => e.name === 'XmrError' && e.code === 'E_MISSING' && e.message.startsWith(path.join(tmp, 'absent.npy')));
    assert.throws(() => parseNpy(withData(numpyHeader('<f4', 'False', '(2, 2)'), 16).subarray(0, 8), 'x.npy'), { message: 'x.npy: not a NumPy .npy file (no \\x93NUMPY magic)' });
  });

  it('reads ids beside the matrix, as text or JSON, and checks them', () => {
    const npy = path.join(tmp, 'emb.npy');
    writeNpy(npy, Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2);
    writeIds(path.join(tmp, 'emb.ids.txt'), ['a', 'b', 'c']);
    const e = readEmbeddings(npy);
    assert.deepEqual([e.ids, e.rows, e.cols, [...e.data]], [['a', 'b', 'c'], 3, 2, [1, 2, 3, 4, 5, 6]]);
    writeFileSync(path.join(tmp, 'ids.json'), '[1, 2, "x"]');
    assert.deepEqual(readIds(path.join(tmp, 'ids.json')), ['1', '2', 'x']);
    writeFileSync(path.join(tmp, 'two.txt'), 'a\nb\n');
    assert.throws(() => readEmbeddings(npy, path.join(tmp, 'two.txt')), { name: 'XmrError', message: `${path.join(tmp, 'two.txt')}: 2 ids for 3 rows of ${npy}` });
    writeFileSync(path.join(tmp, 'dup.txt'), 'a\nb\na\n');
    assert.throws(() => readIds(path.join(tmp, 'dup.txt')), { name: 'XmrError', message: `${path.join(tmp, 'dup.txt')}:3: id "a" repeats the one at line 1` });
    writeFileSync(path.join(tmp, 'dup.json'), '["a", "a"]');
    assert.throws(() => readIds(path.join(tmp, 'dup.json')), { name: 'XmrError', message: `${path.join(tmp, 'dup.json')}: $[1]: id "a" repeats the one at $[0]` });
    writeFileSync(path.join(tmp, 'broken.json'), '["a",\n "b" "c"]');
    assert.throws(() => readIds(path.join(tmp, 'broken.json')), { name: 'XmrError', message: `${path.join(tmp, 'broken.json')}:2: invalid JSON at column 6: Expected ',' or ']' after array element` });
    const lone = path.join(tmp, 'lone.npy');
    writeNpy(lone, new Float32Array(2), 1, 2);
    assert.throws(() => readEmbeddings(lone), { name: 'XmrError', message: `${lone}: no ids beside the embeddings: expected ${path.join(tmp, 'lone')}.ids.txt or ${path.join(tmp, 'lone')}.ids.json (one id per row)` });
  });
});
