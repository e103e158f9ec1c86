/**
 * The stamp every benchmark result carries, so numbers from different runs are comparable only
 * when they should be: date, CPU, cores, memory, Node, the addon's ISA path and build.
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { isaPath } from '../search/topk.js';
import { native } from '../native.js';

export interface MachineStamp {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  isa: string;
  addonFingerprint: string;
  build: string;
}

function cpuModel(): string {
  const fromOs = os.cpus()[0]?.model;
  if (fromOs && fromOs !== 'unknown') return fromOs.trim();
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function machineStamp(): MachineStamp {
  return {
    date: new Date().toISOString(),
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    isa: isaPath(),
    addonFingerprint: native().sourceFingerprint.slice(0, 12),
    build: 'cmake-js Release -O3, ISA chosen at run time',
  };
}
