/**
 * What Linux says about a process, from /proc: CPU time used so far and resident memory. CPU time is
 * utime + stime (every thread of the process, the JIT and GC threads included), in clock ticks.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ), asked once. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** The resolution of `cpuMs`. */
export const CPU_TICK_MS = 1000 / TICKS_PER_SECOND;

/** CPU time the process has used since it started (user + system), in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (field 14) and stime (field 15) are fields[11] and fields[12].
  return (Number(fields[11]) + Number(fields[12])) * CPU_TICK_MS;
}

/** Resident memory now and at its peak, in MiB. */
export function memoryMiB(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return {
    rssMiB: Math.round((kib('VmRSS') / 1024) * 10) / 10,
    peakRssMiB: Math.round((kib('VmHWM') / 1024) * 10) / 10,
  };
}
