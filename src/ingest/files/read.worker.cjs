/**
 * Entry of the file-reading thread (read-in-thread.ts). Plain JavaScript: a worker thread does not
 * inherit the TypeScript loader. From the sources it registers tsx's CommonJS hook, which starts in
 * a few milliseconds (its ESM hooks start a loader thread of their own, ~150 ms), and loads modules
 * with require; from a build it imports the compiled modules.
 */
const fs = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, 'read-thread.ts');
if (fs.existsSync(source)) {
  require('tsx/cjs/api').register();
  require(source).runReadThread(async () => require(path.join(__dirname, 'index.ts')));
} else {
  import('./read-thread.js').then((thread) => thread.runReadThread(() => import('./index.js')));
}
