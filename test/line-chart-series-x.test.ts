// lineChartSvg with per-series x and a log x axis (the recall–throughput plot of `bench ann`): points
// land where their own x says, decades evenly spaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineChartSvg } from '../src/eval/plots/line-chart.js';

const circles = (svg: string) => [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);

test('a series with its own x is drawn at those x, on a log axis decades apart', () => {
  const svg = lineChartSvg({ title: 't', xLabel: 'queries/s', yLabel: 'recall', x: [10, 100, 1000], xLog: true, yRange: [0, 1], series: [{ name: 'a', x: [10, 100, 1000], y: [0, 0.5, 1] }, { name: 'b', x: [31.62], y: [1] }] });
  const [p10, p100, p1000, b] = circles(svg);
  // Plot area 60..470 px wide: 10 at the left edge, 1000 at the right, 100 halfway; √1000 ≈ 31.62 a quarter in.
  assert.deepEqual([p10![0], p100![0], p1000![0]], [60, 265, 470]);
  assert.ok(Math.abs(b![0]! - 162.5) < 0.1, `31.62 at ${b![0]}`);
  assert.deepEqual([p10![1], p1000![1]], [350, 40]);
});

test('without xLog or series x the chart is unchanged: evenly spaced categorical x', () => {
  const svg = lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', x: ['a', 'b', 'c'], yRange: [0, 1], series: [{ name: 's', y: [0, 0.5, 1] }] });
  assert.deepEqual(circles(svg).map((p) => p[0]), [60, 265, 470]);
});
