// What a child process costs, read from Linux's /proc (tests and benches measure the server this way).
import { readFileSync } from "node:fs";

/** CPU ms the process has used so far, from /proc/<pid>/stat (utime + stime, 100 ticks a second). */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** The process's resident memory in MB, from /proc/<pid>/status. */
export const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
