import { removeTempDirs } from './dirs.js';
import { killTracked } from './processes.js';

/** What a test that starts processes and makes temp dirs undoes after each test: afterEach(cleanUp). */
export function cleanUp(): void {
  killTracked();
  removeTempDirs();
}
