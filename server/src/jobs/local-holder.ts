import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * The name a process holds leases and job claims under: `host:pid:boot:start:pidns`. A holder
 * that crashed stops renewing and other nodes wait for expiry; a process that restarts on the
 * same host can do better and see at once that a holder of its own host is dead. A pid alone is
 * not enough (pids are reused), so the name also carries the kernel's boot id, the process's
 * start time (clock ticks since boot, /proc/PID/stat field 22) and its pid namespace (two
 * containers can share a host name and a boot id while each has its own pid 1). Where /proc is
 * missing the parts are "-" and every holder is left to expire.
 */
export function localHolderId(): string {
  cached ??= holderIdOf(process.pid);
  return cached;
}

let cached: string | undefined;
let nodeName: string | undefined;

/** PIER_NODE_NAME: names this process's node instead of the host name; called once at start, before any lease or claim. */
export function setLocalNodeName(name: string | undefined): void {
  nodeName = name;
  cached = undefined;
}

/** The holder name of a process of this host (its own, or a child's in tests). */
export function holderIdOf(pid: number): string {
  return [nodeName ?? hostname(), pid, bootId(), startTicks(pid) ?? '-', pidNamespace(pid)].join(':');
}

/**
 * True only when the holder is certainly a dead process of this host: same host, boot and pid
 * namespace, and its pid is gone or now belongs to a process started at another time. Anything
 * else (another host, unknown format, no /proc) is false: wait for the lease to expire.
 */
export function isDeadLocalHolder(holder: string): boolean {
  const [host, pid, boot, start, namespace] = holder.split(':');
  if (!host || !pid || !boot || !start || !namespace) return false;
  const self = localHolderId().split(':');
  if (host !== self[0] || namespace !== self[4] || self[2] === '-' || start === '-' || !/^\d+$/.test(pid)) return false;
  if (holder.startsWith(`${self.slice(0, 5).join(':')}`)) return false; // this very process
  if (boot !== self[2]) return true; // the machine restarted since
  const now = startTicks(Number(pid));
  return now === null || now !== start;
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replaceAll('-', '').slice(0, 12);
  } catch {
    return '-';
  }
}

/** Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses. */
function startTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function pidNamespace(pid: number): string {
  try {
    return /\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/pid`))?.[1] ?? '-';
  } catch {
    return '-';
  }
}
