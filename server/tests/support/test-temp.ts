import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

// Vitest globalSetup of the server-bound projects (vitest.config.ts): one temp folder per run for
// the test databases' data dirs (databases.ts), removed when the run ends. A test that stops early,
// a drop that races a late writer (blobs written after the rm), or a run cut short no longer
// leaves pier-test-sqlite-* folders in /tmp. The folder name carries the run's process id, so a
// later run removes the folders of runs that were killed; runs of other checkouts at the same time
// keep theirs.

declare module 'vitest' {
  interface ProvidedContext {
    pierTestTemp: string;
  }
}

const PREFIX = 'pier-test-run-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export default function setup(project: TestProject) {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(/^pier-test-run-(\d+)-/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) rmSync(path.join(tmpdir(), name), { recursive: true, force: true });
  }
  const dir = mkdtempSync(path.join(tmpdir(), `${PREFIX}${process.pid}-`));
  project.provide('pierTestTemp', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
