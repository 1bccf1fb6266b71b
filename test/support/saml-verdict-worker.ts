import { parentPort, workerData } from 'node:worker_threads';
import { contextsOf, judge, type DifferentialSetup, type Judgement } from './saml-verdicts.js';

/**
 * A worker thread of the differential test: judges the batches of [base, mutated XML] it
 * is sent, against the connections of the setup it was started with.
 */
const setup = (workerData as { setup: DifferentialSetup }).setup;
const contexts = contextsOf(setup);

parentPort!.on('message', (batch: { id: number; items: Array<[number, string]> }) => {
  void (async () => {
    const results: Judgement[] = [];
    for (const [index, xml] of batch.items) {
      const base = setup.bases[index]!;
      results.push(await judge(base, contexts[base.connection]!, xml));
    }
    parentPort!.postMessage({ id: batch.id, results });
  })();
});
