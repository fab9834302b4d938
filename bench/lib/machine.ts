// What a bench result was measured on: numbers from a shared 2-core box mean little without it.
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  date: string;
  cores: number;
  cpu: string;
  memGiB: number;
  node: string;
  load1: number;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    date: new Date().toISOString().slice(0, 10),
    cores: c.length,
    cpu: c[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    load1: Math.round(loadavg()[0] * 10) / 10,
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cores} cores (${m.cpu}), ${m.memGiB} GiB RAM, Node ${m.node}; 1-min load average ${m.load1} at start`;
}
