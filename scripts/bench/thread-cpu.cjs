// Preload (`node --require ./scripts/bench/thread-cpu.cjs …`): at exit, prints one JSON line to
// stderr with the CPU seconds (user / system) of the main thread and of the whole process, read
// from /proc (Linux). On a shared machine wall clock says little; CPU time per thread does
// (decisions 0053, 0064). The line starts with `thread-cpu ` so it can be found among the output.
const { readFileSync, readdirSync } = require('node:fs');

const ticks = 100; // CLK_TCK on Linux
const stat = (file) => {
  const s = readFileSync(file, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]) / ticks, system: Number(f[12]) / ticks };
};
const at = (name) => {
  try {
    return stat(name);
  } catch {
    return { user: 0, system: 0 };
  }
};
const round = (x) => Math.round(x * 100) / 100;
const start = { main: at(`/proc/self/task/${process.pid}/stat`), process: at('/proc/self/stat') };

process.on('exit', () => {
  const main = at(`/proc/self/task/${process.pid}/stat`);
  const all = at('/proc/self/stat');
  // The other threads one by one in the order they were started, [user, system] each: first V8's
  // platform threads (garbage collection helpers of every isolate), then libuv's pool and the
  // prepare workers (started with the first sync).
  const others = readdirSync('/proc/self/task')
    .filter((tid) => tid !== String(process.pid))
    .sort((a, b) => Number(a) - Number(b))
    .map((tid) => at(`/proc/self/task/${tid}/stat`))
    .map((t) => [round(t.user), round(t.system)]);
  const line = {
    main: { user: round(main.user - start.main.user), system: round(main.system - start.main.system) },
    process: { user: round(all.user - start.process.user), system: round(all.system - start.process.system) },
    others,
  };
  process.stderr.write(`thread-cpu ${JSON.stringify(line)}\n`);
});
