import { parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { readCsvRecords, type CsvItem } from './csv-records';
import { SourceParseError } from './source-error';

/*
 * CSV parsing in a worker thread. The worker runs readCsvRecords and posts each batch of records
 * to the importing thread, which maps and writes them meanwhile. On two free cores the parsing
 * then costs the importing thread only the decoding of each batch.
 */

interface CsvWorkerData {
  path: string;
  maxRecordBytes: number;
}

type CsvWorkerMessage =
  | { kind: 'records'; bytes: number; records: string }
  | { kind: 'done'; bytes: number }
  | { kind: 'failed'; error: WireError };

/** An error on the wire, rebuilt as a SourceParseError where it was one. */
interface WireError {
  message: string;
  parse?: { file: string; line: number | undefined; reason: string };
}

// Batches posted but not yet taken by the importing thread. A batch contains the records of one
// chunk read (64 KiB), so the records between the threads stay a few hundred KiB.
const maxBatchesInFlight = 4;

/**
 * Yields the same records and errors as readCsvRecords, parsed in a worker thread. The worker
 * waits once `maxBatchesInFlight` batches are not yet taken, so memory stays flat however large
 * the file.
 */
export async function* readCsvRecordsInWorker(
  path: string,
  maxRecordBytes: number,
  onBytes: (bytes: number) => void,
): AsyncGenerator<CsvItem[]> {
  const worker = startCsvWorker({ path, maxRecordBytes });
  const next = receiveMessages(worker);
  try {
    for (;;) {
      const message = await next();
      if (message.kind === 'failed') throw fromWireError(message.error);
      onBytes(message.bytes);
      if (message.kind === 'done') return;
      // JSON text keeps every string exactly, lone surrogates included.
      yield JSON.parse(message.records) as CsvItem[];
      worker.postMessage('taken');
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * Starts this module in a worker thread, through tsx when it runs from source, because a worker
 * thread does not inherit the module loader of the thread that starts it.
 */
function startCsvWorker(data: CsvWorkerData): Worker {
  const loader = __filename.endsWith('.ts') ? "require('tsx/cjs');" : '';
  const code = `${loader} require(${JSON.stringify(__filename)}).runCsvWorker();`;
  return new Worker(code, { eval: true, workerData: data });
}

/** Queues the worker's messages, and turns its crash or early exit into a failure. */
function receiveMessages(worker: Worker): () => Promise<CsvWorkerMessage> {
  const queue: CsvWorkerMessage[] = [];
  let waiting: ((message: CsvWorkerMessage) => void) | undefined;
  const receive = (message: CsvWorkerMessage) => {
    const resolve = waiting;
    waiting = undefined;
    if (resolve) resolve(message);
    else queue.push(message);
  };
  worker.on('message', receive);
  worker.on('error', (error) => receive({ kind: 'failed', error: { message: error.message } }));
  worker.on('exit', (code) =>
    receive({ kind: 'failed', error: { message: `CSV worker exited with code ${code}` } }),
  );
  return () => {
    const queued = queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => (waiting = resolve));
  };
}

function fromWireError(error: WireError): Error {
  if (!error.parse) return new Error(`CSV worker failed: ${error.message}`);
  return new SourceParseError(error.parse.file, error.parse.line, error.parse.reason);
}

/** Runs the worker side on the data and port of the current worker thread. */
export function runCsvWorker(): void {
  if (!parentPort) throw new Error('runCsvWorker must run in a worker thread');
  void postRecords(parentPort, workerData as CsvWorkerData);
}

async function postRecords(port: MessagePort, data: CsvWorkerData): Promise<void> {
  let inFlight = 0;
  let resumeAfterTake: (() => void) | undefined;
  port.on('message', () => {
    inFlight -= 1;
    resumeAfterTake?.();
  });
  let bytes = 0;
  const post = (message: CsvWorkerMessage) => port.postMessage(message);
  try {
    for await (const batch of readCsvRecords(data.path, data.maxRecordBytes, (read) => {
      bytes = read;
    })) {
      post({ kind: 'records', bytes, records: JSON.stringify(batch) });
      inFlight += 1;
      while (inFlight >= maxBatchesInFlight) {
        await new Promise<void>((resolve) => (resumeAfterTake = resolve));
      }
    }
    post({ kind: 'done', bytes });
  } catch (error) {
    post({ kind: 'failed', error: toWireError(error) });
  }
}

function toWireError(error: unknown): WireError {
  if (!(error instanceof SourceParseError)) return { message: String(error) };
  return {
    message: error.message,
    parse: { file: error.file, line: error.line, reason: error.reason },
  };
}
