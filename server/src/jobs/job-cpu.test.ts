import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobCpuRecorder, measureJobStep } from './job-cpu.js';

/** Uses about `ms` milliseconds of this process's CPU (by its CPU clock: the machine may be loaded). */
function spin(ms: number) {
  const start = process.cpuUsage();
  for (;;) {
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return;
  }
}

describe('job CPU accounting', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'job-cpu-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("accounts a job's steps under their own names and leaves the job its own part", async () => {
    const file = path.join(dir, 'steps.json');
    const recorder = jobCpuRecorder(file);
    if (!recorder) throw new Error('a file was given');
    await recorder.measure('event:t', async () => {
      spin(5);
      await measureJobStep('step:heavy', async () => spin(60));
      await measureJobStep('step:light', async () => spin(5));
    });
    recorder.flush();
    const totals = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(totals).sort()).toEqual(['event:t', 'step:heavy', 'step:light']);
    const cpu = (name: string) => totals[name].userMs + totals[name].sysMs;
    expect(totals['step:heavy'].count).toBe(1);
    // The heavy step's CPU is its own, not shared with (nor counted again in) its job.
    expect(cpu('step:heavy')).toBeGreaterThan(40);
    expect(cpu('event:t')).toBeLessThan(30);
    expect(cpu('step:heavy')).toBeGreaterThan(cpu('step:light'));
    // The job's wall time spans its steps.
    expect(totals['event:t'].wallMs).toBeGreaterThanOrEqual(totals['step:heavy'].wallMs + totals['step:light'].wallMs);
  });

  it('runs a step outside a recorded job as plain work', async () => {
    expect(await measureJobStep('step:plain', async () => 7)).toBe(7);
  });
});
