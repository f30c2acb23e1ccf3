// What bench:api reports per process beyond request timings: memory (RSS from the kernel, the V8 heap
// from scripts/bench/memory-probe.mjs) and CPU, for Pier's nodes and for the PostgreSQL server's
// processes (Linux /proc; 100 clock ticks per second).
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const mb = (bytes) => Math.round(bytes / 1048576);

/** VmRSS and VmHWM (the kernel's peak RSS of the process's life), in bytes. */
function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** [user, system] CPU ms of a process so far. */
export function cpuOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return [Number(fields[11]) * 10, Number(fields[12]) * 10];
}

/** One Pier node's memory now: RSS and heap (MB), and their peaks so far. */
export function memoryOf(pid, probeFile) {
  const { rss, hwm } = rssOf(pid);
  const probe = existsSync(probeFile) ? JSON.parse(readFileSync(probeFile, 'utf8') || '{}') : {};
  return {
    rss_mb: mb(rss),
    rss_peak_mb: mb(hwm),
    heap_used_mb: probe.heapUsed === undefined ? null : mb(probe.heapUsed),
    heap_peak_mb: probe.peakHeapUsed === undefined ? null : mb(probe.peakHeapUsed),
  };
}

/**
 * The PostgreSQL server's processes: the postmaster and its children. `database` picks the backends
 * serving it (their title is `postgres: user database host(port) state`).
 */
function postgresProcesses(postmasterPid) {
  const children = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(stat[1]) !== postmasterPid) continue;
      children.push({ pid: Number(entry), title: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() });
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/**
 * Memory of the backends serving `database`: their proportional share (Pss: shared buffers counted
 * once across the processes that touch them) and their private memory (what each backend holds alone,
 * work_mem, caches), summed, in MB.
 */
export function postgresBackendMemory(postmasterPid, database) {
  let pss = 0;
  let priv = 0;
  let backends = 0;
  for (const p of postgresProcesses(postmasterPid)) {
    if (!p.title.includes(` ${database} `)) continue;
    try {
      const rollup = readFileSync(`/proc/${p.pid}/smaps_rollup`, 'utf8');
      const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
      pss += kb('Pss');
      priv += kb('Private_Clean') + kb('Private_Dirty');
      backends++;
    } catch {
      // gone meanwhile
    }
  }
  return { backends, pss_mb: mb(pss), private_mb: mb(priv) };
}

/** [user, system] CPU ms of the whole PostgreSQL server so far (postmaster, backends, WAL writer, checkpointer…). */
export function postgresCpu(postmasterPid) {
  let user = 0;
  let sys = 0;
  // The postmaster's own time plus its reaped children's (cutime, cstime): a backend or autovacuum
  // worker that exits between two readings moves its CPU there, instead of vanishing from the sum.
  const fields = readFileSync(`/proc/${postmasterPid}/stat`, 'utf8').split(') ')[1].split(' ');
  user += Number(fields[13]) * 10;
  sys += Number(fields[14]) * 10;
  for (const pid of [postmasterPid, ...postgresProcesses(postmasterPid).map((p) => p.pid)]) {
    try {
      const [u, s] = cpuOf(pid);
      user += u;
      sys += s;
    } catch {
      // gone meanwhile: its CPU is in the postmaster's cutime/cstime from now on
    }
  }
  return [user, sys];
}
