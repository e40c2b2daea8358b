// CPU profiles (over a window the bench chooses: one target's run) and memory figures of a service
// started with `--inspect=127.0.0.1:<port>`, through the DevTools protocol.
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

/** Connects to the inspector of the process listening on `port`. */
export async function connectInspector(port) {
  let targets;
  for (let i = 0; i < 50 && !targets; i++) {
    try {
      targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (!targets?.[0]) throw new Error(`no inspector on port ${port}`);
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl, { perMessageDeflate: false });
  await once(ws, 'open');
  let next = 0;
  const pending = new Map();
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  // the sampling interval of `node --cpu-prof`
  await send('Profiler.setSamplingInterval', { interval: 1000 });
  return {
    start: () => send('Profiler.start'),
    /** Stops profiling; the profile is also written to <tmp>/aragora-profiles/<name>.cpuprofile. */
    async stop(name) {
      const { profile } = await send('Profiler.stop');
      const dir = join(tmpdir(), 'aragora-profiles');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return { profile, file };
    },
    /** process.memoryUsage() of the service, in MB. */
    async memory() {
      const { result } = await send('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      });
      const usage = JSON.parse(result.value);
      return Object.fromEntries(
        Object.entries(usage).map(([k, v]) => [k, Number((v / 1024 / 1024).toFixed(1))]),
      );
    },
    /** A full garbage collection in the service: what stays is live memory. */
    collectGarbage: () => send('HeapProfiler.collectGarbage'),
    close: () => ws.close(),
  };
}
