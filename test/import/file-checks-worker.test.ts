import { setParseInWorker } from './fixtures';
import './file-checks.test';

// Runs the whole-file and row checks again with CSV parsed in a worker thread, which must fail
// and reject the same way.
setParseInWorker(true);
