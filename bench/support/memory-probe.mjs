// Loaded into the server process under soak (node --expose-gc --import this file): on the
// soak's request over the IPC channel, it answers the process's memory after a full
// garbage collection, or writes a heap snapshot. Without an IPC channel it does nothing.
import { writeHeapSnapshot } from 'node:v8';

if (process.send) {
  process.channel?.unref();
  process.on('message', (message) => {
    if (message?.type === 'memory') {
      globalThis.gc?.();
      const usage = process.memoryUsage();
      process.send({
        type: 'memory',
        rss: usage.rss,
        heapUsed: usage.heapUsed,
        heapTotal: usage.heapTotal,
        external: usage.external,
        arrayBuffers: usage.arrayBuffers,
      });
    } else if (message?.type === 'snapshot') {
      globalThis.gc?.();
      process.send({ type: 'snapshot', file: writeHeapSnapshot(message.file) });
    }
  });
}
