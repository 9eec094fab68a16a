/**
 * The event log's checkpoint thread (see sqlite-writer.ts): PASSIVE WAL checkpoints on a timer, which
 * never block the writer. Plain JavaScript: a worker thread does not inherit the TypeScript loader.
 */
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
const timer = setInterval(() => {
  db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage('checkpointed');
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
