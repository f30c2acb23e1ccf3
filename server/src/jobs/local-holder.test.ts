import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { holderIdOf, isDeadLocalHolder, localHolderId, setLocalNodeName } from './local-holder.js';

describe('local lease holders', () => {
  it('names this process by host, pid, boot, start time and pid namespace', () => {
    expect(localHolderId()).toMatch(new RegExp(`^${hostname()}:${process.pid}:[0-9a-f]{12}:\\d+:\\d+$`));
    expect(isDeadLocalHolder(localHolderId())).toBe(false);
    expect(isDeadLocalHolder(`${localHolderId()}:a1b2c3`)).toBe(false);
  });

  it('tells a killed process of this host from a live one', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      const holder = holderIdOf(child.pid ?? -1);
      expect(isDeadLocalHolder(holder)).toBe(false);
      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(isDeadLocalHolder(holder)).toBe(true);
      expect(isDeadLocalHolder(`${holder}:worker7`)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('sees a reused pid (same pid, other start time) and a holder from before a reboot as dead', () => {
    const [host, pid, boot, start, namespace] = localHolderId().split(':');
    expect(isDeadLocalHolder([host, pid, boot, String(Number(start) - 1), namespace].join(':'))).toBe(true);
    expect(isDeadLocalHolder([host, pid, '000000000000', start, namespace].join(':'))).toBe(true);
  });

  it('never declares dead a holder of another host, another pid namespace or an unknown form: those wait for expiry', () => {
    const [, pid, boot, start, namespace] = localHolderId().split(':');
    expect(isDeadLocalHolder(['other-host', '999999', boot, start, namespace].join(':'))).toBe(false);
    expect(isDeadLocalHolder([hostname(), '999999', boot, start, '1'].join(':'))).toBe(false);
    expect(isDeadLocalHolder(`${hostname()}:${pid}`)).toBe(false);
    expect(isDeadLocalHolder('')).toBe(false);
  });

  it('PIER_NODE_NAME replaces the host name: one name is one node (a dead process is seen), another name is another host (never guessed dead)', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      setLocalNodeName('node-b');
      expect(localHolderId()).toMatch(new RegExp(`^node-b:${process.pid}:`));
      const sameNode = holderIdOf(child.pid ?? -1);
      const otherNode = sameNode.replace(/^node-b:/, 'node-a:');
      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(isDeadLocalHolder(sameNode)).toBe(true);
      expect(isDeadLocalHolder(otherNode)).toBe(false);
    } finally {
      child.kill('SIGKILL');
      setLocalNodeName(undefined);
    }
    expect(localHolderId()).toMatch(new RegExp(`^${hostname()}:`));
  });
});
