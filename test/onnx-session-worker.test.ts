// onnxruntime's run blocks its thread, so sessions run on a worker: the event loop keeps turning
// during a long run (timers fire), queued runs come back in order with their own results, and a
// session left open does not keep the process alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OnnxGraph } from '../src/export/onnx-writer.js';
import { OnnxSession } from '../src/encoders/onnx-session.js';

const N = 512;

/** y = x · W · W · … (12 MatMuls of N × N): long enough to see timers fire during one run. */
function heavyModel(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-onnx-worker-'));
  const g = new OnnxGraph('heavy');
  g.input('x', 'float32', ['rows', N]);
  g.constant('W', Float32Array.from({ length: N * N }, (_, i) => (i % (N + 1) === 0 ? 1 : 0)), [N, N]); // identity
  let v = 'x';
  for (let i = 0; i < 12; i++) v = g.node('MatMul', [v, 'W'], [`h${i}`]);
  g.node('Identity', [v], ['y']);
  g.output('y', 'float32', ['rows', N]);
  const file = path.join(dir, 'model.onnx');
  g.write(file);
  return file;
}

test('the event loop turns during a run, and queued runs keep their order and results', async () => {
  const session = await OnnxSession.open(heavyModel(), { intraOpThreads: 1 });
  try {
    assert.equal(session.intraOpThreads, 1);
    const x = (k: number) => ({ type: 'float32' as const, data: new Float32Array(N * N).fill(k), dims: [N, N] });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const t0 = performance.now();
    const [a, b] = await Promise.all([session.run({ x: x(1) }, ['y']), session.run({ x: x(2) }, ['y'])]);
    const ms = performance.now() - t0;
    clearInterval(timer);
    assert.equal((a.y!.data as Float32Array)[7], 1);
    assert.equal((b.y!.data as Float32Array)[7], 2);
    assert.deepEqual(b.y!.dims, [N, N]);
    // A blocked loop would fire the interval at most once after the runs; a free one about ms/5 times.
    assert.ok(ticks >= Math.min(10, Math.floor(ms / 20)), `${ticks} timer ticks in ${ms.toFixed(0)} ms`);
  } finally {
    await session.close();
  }
  await assert.rejects(session.run({}, ['y']), /is closed/);
});

test('a session left open does not keep the process alive', () => {
  const file = heavyModel();
  const url = new URL('../src/encoders/onnx-session.js', import.meta.url).href;
  const script = `const { OnnxSession } = await import(${JSON.stringify(url)}); const s = await OnnxSession.open(${JSON.stringify(file)}); const r = await s.run({ x: { type: 'float32', data: new Float32Array(${N}), dims: [1, ${N}] } }, ['y']); console.log(r.y.dims.join('x'));`;
  const main = path.join(path.dirname(file), 'main.mjs');
  writeFileSync(main, script);
  const out = execFileSync(process.execPath, [main], { timeout: 60_000, encoding: 'utf8' });
  assert.equal(out.trim(), `1x${N}`);
});
