/**
 * Entry of the file-reading thread (read-in-thread.ts). Plain JavaScript: a worker thread does not
 * inherit the TypeScript loader. From the sources it registers tsx's CommonJS hook, which loads in
 * a few milliseconds (its ESM hooks start a loader thread of their own, ~150 ms); from a build it
 * imports the compiled module.
 */
const fs = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, 'read-thread.ts');
if (fs.existsSync(source)) {
  require('tsx/cjs/api').register();
  require(source);
} else {
  import('./read-thread.js');
}
