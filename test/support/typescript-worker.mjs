// A worker thread's entry for TypeScript modules: worker threads do not inherit the tsx
// loader their parent runs under, so this registers it, then imports the module named in
// workerData.entry (the module reads the rest of workerData itself).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
