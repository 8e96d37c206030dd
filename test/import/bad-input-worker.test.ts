import { setParseInWorker } from './fixtures';
import './bad-input.test';

// Runs every case of bad-input.test.ts again with CSV parsed in a worker thread, which must
// reject the same rows with the same lines and fail the same files. run() reads the setting
// when each test runs, after the imported cases are registered.
setParseInWorker(true);
