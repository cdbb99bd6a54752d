import { parentPort } from 'node:worker_threads';
import { pageFormat } from '../sources/page-formats.js';
import { preparePageWire, toErrorWire } from './prepared-page.js';

/**
 * A page-preparation thread (page-preparer.ts): splits, parses, canonicalizes and hashes the pages
 * it is sent, while the main thread writes earlier pages to the store. It touches no store and no
 * network; what it receives is provider data and is checked here exactly as on the main thread.
 */
parentPort!.on('message', ({ id, format, body }: { id: number; format: string; body: string }) => {
  try {
    const page = preparePageWire(pageFormat(format), body);
    parentPort!.postMessage({ id, page }, [page.digests.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ id, error: toErrorWire(error) });
  }
});
