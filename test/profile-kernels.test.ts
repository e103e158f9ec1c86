/**
 * The kernels `xmrbench profile` places under the roofs (src/bench/profile/kernels.ts): the ONNX
 * encoders (text and image, exported from freshly initialised native models) are among them, each
 * beside its native model on the same work, with a rate, a fraction of the roof and a run per thread
 * count, drawn in the roofline and listed in the summary; each probe's work is counted
 * from its inputs by the formulas the module documents, probes are built only when asked for and
 * free what they made, and an unknown kernel name is refused naming the known ones (a usage error,
 * exit status 2, from the CLI).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkKernelNames, kernelProbes, KERNEL_NAMES } from '../src/bench/profile/kernels.js';
import { runProfile } from '../src/bench/profile/profile.js';
import { profileMarkdown, rooflineSvg } from '../src/bench/profile/render.js';
import { packageRoot } from '../src/native.js';

const profileFolders = () => readdirSync(tmpdir()).filter((f) => f.startsWith('xmrbench-profile-')).sort();

describe('profile kernels', () => {
  it('lists the encoders, native and ONNX, after the other kernels', () => {
    assert.deepEqual(KERNEL_NAMES, ['topk-f32', 'topk-bf16', 'perturb-linf', 'tokenize', 'bm25', 'train', 'encode-native', 'encode-onnx', 'image-native', 'onnx-image']);
  });

  it('refuses an unknown kernel, naming the known ones', () => {
    const message = `kernels: unknown kernel 'topk'; expected some of ${KERNEL_NAMES.join(', ')}`;
    assert.throws(() => checkKernelNames(['bm25', 'topk']), { name: 'RangeError', message });
    assert.throws(() => kernelProbes(true, 1024, ['topk']), { name: 'RangeError', message });
    const r = spawnSync(process.execPath, [path.join(packageRoot, 'bin', 'xmrbench.js'), 'profile', '--quick', '--kernels', 'bm25,topk'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--kernels: unknown kernel 'topk'; expected some of topk-f32, /);
  });

  it('builds only the probes asked for', () => {
    assert.deepEqual(kernelProbes(true, 1024, ['onnx-image', 'perturb-linf']).map((p) => p.name), ['perturb-linf', 'onnx-image']);
    assert.deepEqual(kernelProbes(true, 1024, ['encode-onnx']).map((p) => p.name), ['encode-onnx']);
  });

  it('profiles the text and image encoders natively and through onnxruntime on the same work, then removes their folders', async (t) => {
    // A private TMPDIR (os.tmpdir() reads it at each call), so that another process's profile
    // folders cannot come or go during the listings (seen once, with two suites on one machine).
    const privateTmp = mkdtempSync(path.join(tmpdir(), 'xmr-profile-kernels-test-'));
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    t.after(() => {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      rmSync(privateTmp, { recursive: true, force: true });
    });
    const before = profileFolders();
    assert.deepEqual(before, []);
    const lines: string[] = [];
    const p = await runProfile({ quick: true, kernels: ['encode-native', 'encode-onnx', 'image-native', 'onnx-image'], progress: (l) => lines.push(l) });
    assert.deepEqual(p.kernels.map((k) => k.name), ['encode-native', 'encode-onnx', 'image-native', 'onnx-image']);
    const [nat, onnx, imageNative, image] = p.kernels as [(typeof p.kernels)[0], (typeof p.kernels)[0], (typeof p.kernels)[0], (typeof p.kernels)[0]];
    // Every row: a rate, a positive fraction of its roof, a run at 1 thread and at all cores
    // (intra-op threads for onnxruntime), and the scaling between them. The ONNX rows stay within
    // 1.5 of their roof; the native text encoder may go above it, since its small table of rows can
    // sit in the cache while its roof is the triad bandwidth measured on arrays that do not.
    const cores = p.machine.cores;
    for (const k of p.kernels) {
      assert.deepEqual(k.runs.map((r) => r.threads), cores > 1 ? [1, cores] : [1], k.name);
      for (const run of k.runs) {
        assert.ok(run.rate > 0 && Number.isFinite(run.rate), `${k.name} rate ${run.rate}`);
        assert.ok(run.fraction! > 0 && Number.isFinite(run.fraction), `${k.name} on ${run.threads}: fraction ${run.fraction}`);
        if (k.name.includes('onnx')) assert.ok(run.fraction! <= 1.5, `${k.name} on ${run.threads}: fraction ${run.fraction}`);
      }
      assert.equal(k.scaling, cores > 1 ? k.runs[1]!.rate / k.runs[0]!.rate : null, k.name);
    }
    for (const k of [nat, onnx]) {
      assert.equal(k.bound, 'memory');
      assert.equal(k.unit, 'texts');
      assert.deepEqual([k.params.texts, k.params.dim], [1000, 256]);
      // 2 flops per gathered value over (4·d + id bytes) per token plus the rows written: below 0.5.
      assert.ok(k.intensity! > 0.4 && k.intensity! < 0.5, `intensity ${k.intensity}`);
      for (const run of k.runs) {
        assert.ok(run.rate > 0 && Number.isFinite(run.rate));
        assert.equal(run.fraction, run.bytesPerSecond / run.roof!);
      }
    }
    // T tokens: flops = 2·T·d; bytes = (4·d + 4)·T + 4·n·d natively, (4·d + 8)·T + 4·n·d through ONNX.
    const tokens = (k: typeof nat, idBytes: number) => (k.bytesPerCall - 4 * 1000 * 256) / (4 * 256 + idBytes);
    assert.equal(tokens(nat, 4), nat.flopsPerCall / (2 * 256));
    assert.equal(tokens(onnx, 8), onnx.flopsPerCall / (2 * 256));
    assert.ok(Number.isInteger(tokens(onnx, 8)) && tokens(onnx, 8) >= tokens(nat, 4), 'the ONNX folder adds special tokens, never removes any');
    // The image tower (224 px, patch 16, hidden 256, d = 128) on 16 images: 196 patches of 3·16² = 768
    // values; parameters A (256 × 768), b (256), pos (196 × 256), W (128 × 256).
    for (const k of [imageNative, image]) {
      assert.equal(k.bound, 'compute-f32');
      assert.deepEqual([k.params.images, k.params.hidden, k.params.outDim], [16, 256, 128]);
      assert.equal(k.flopsPerCall, 2 * 16 * (196 * 256 * 768 + 256 * 128));
      assert.equal(k.bytesPerCall, 4 * (16 * 3 * 224 * 224 + (256 * 768 + 256 + 196 * 256 + 128 * 256) + 16 * 128));
      for (const run of k.runs) assert.equal(run.fraction, run.flopsPerSecond / run.roof!);
    }
    assert.equal(image.params.runtime, 'onnxruntime-node (intra-op threads = threads, worker thread)');
    assert.equal(lines.filter((l) => /encode-onnx on \d threads?: [\d.e+]+ texts\/s, [\d.]+% of its roof/.test(l)).length, onnx.runs.length);
    assert.equal(lines.filter((l) => /onnx-image on \d threads?: [\d.e+]+ images\/s, [\d.]+% of its roof/.test(l)).length, image.runs.length);
    assert.deepEqual(profileFolders(), before);
    // The roofline has a point per run and a legend entry per encoder; the summary a row per run.
    const svg = rooflineSvg(p);
    assert.equal(svg.match(/<circle /g)!.length, p.kernels.reduce((s, k) => s + k.runs.length + 1, 0));
    for (const k of p.kernels) assert.ok(svg.includes(`>${k.name}</text>`), `${k.name} in the roofline's legend`);
    const md = profileMarkdown(p, 'xmrbench profile --quick');
    for (const k of p.kernels) for (const run of k.runs) assert.match(md, new RegExp(`\\| ${k.name} \\| ${run.threads} \\| [\\d.]+[kMGT]? ${k.unit}/s \\|`));
  });
});
