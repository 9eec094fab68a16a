/**
 * The event log's writer thread (see sqlite-writer.ts): id lookups, entry inserts and the COMMIT,
 * with group commit; it starts the checkpoint thread and catches up on the WAL past its bound.
 * Plain JavaScript: a worker thread does not inherit the TypeScript loader.
 */
// Group commit: every batch of a message, and of the messages waiting behind it, shares one
// transaction and so one COMMIT. Each batch keeps its own entry.
const { Worker, receiveMessageOnPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 0');
db.pragma('journal_size_limit = ' + workerData.journalSizeLimit);
const port = workerData.port;
const pageSize = db.pragma('page_size', { simple: true });

const checkpointer = new Worker(workerData.checkpointerFile, { workerData: { driver: workerData.driver, file: workerData.file, synchronous: workerData.synchronous, intervalMs: workerData.intervalMs } });
let checkpointerRunning = true;
const checkpointerStopped = (error) => {
  if (!checkpointerRunning) return;
  checkpointerRunning = false;
  if (error) {
    db.pragma('wal_autocheckpoint = 1000');
    process.emitWarning('event log ' + workerData.file + ': the checkpoint thread failed (' + error + '); the writer checkpoints within its commits instead (slower appends, nothing lost)');
  }
};
checkpointer.on('error', checkpointerStopped);
checkpointer.on('exit', () => checkpointerStopped());

// Frames in the WAL since it last started over, estimated from the bytes committed: the payload's pages and the table and index pages a commit touches.
let walFrames = 0;
function catchUp() {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  // Busy: the checkpoint thread holds the lock; try again later.
  if (result.busy === 0) walFrames = result.log - result.checkpointed;
}
// Right after a background checkpoint only what was committed during it is left to copy: the shortest stall.
checkpointer.on('message', () => {
  if (walFrames >= workerData.maxWalFrames) catchUp();
});
function afterCommit(bytes) {
  walFrames += Math.ceil(bytes / pageSize) + 2;
  if (walFrames >= 2 * workerData.maxWalFrames) catchUp();
}
let bytesInTransaction = 0;
// One statement for a batch's ids; RETURNING yields only the ids new to the log (a repeat within the batch comes back once).
const insertNewIds = db.prepare('INSERT OR IGNORE INTO log_ids (id) SELECT value FROM json_each(?) RETURNING id').pluck();
const insertEntry = db.prepare('INSERT INTO log_entries (received_at, event_count, payload, body_ids) VALUES (?, ?, ?, ?)');

function appendBatch(batch, receivedAt) {
  const { idGenerated, body, eventTexts } = batch;
  const duplicates = [];
  let taken; // undefined: every event is taken (all ids generated)
  if (idGenerated.includes('0')) {
    const ids = body ? JSON.parse(batch.ids).filter((id) => id !== null) : JSON.parse(batch.ids);
    const clientIds = ids.filter((_, index) => idGenerated[index] === '0');
    const newIds = new Set(insertNewIds.all(JSON.stringify(clientIds)));
    // The first occurrence of a new id is taken; a repeat within the batch is a duplicate, like an id seen earlier.
    taken = ids.map((id, index) => idGenerated[index] === '1' || newIds.delete(id));
    taken.forEach((isTaken, index) => { if (!isTaken) duplicates.push(index); });
  }
  const count = idGenerated.length - duplicates.length;
  if (count === 0) return duplicates;
  if (body) {
    const bodyIds = taken ? JSON.parse(batch.ids) : [];
    let next = 0; // the n-th id of the body that is not null belongs to ids[n]
    for (let index = 0; index < bodyIds.length; index += 1) {
      if (bodyIds[index] === null) continue;
      if (!taken[next]) bodyIds[index] = null;
      next += 1;
    }
    const bytes = zlib.deflateRawSync(body.bytes, { level: 1 });
    bytesInTransaction += bytes.length;
    insertEntry.run(receivedAt, count, bytes, '{"format":"' + body.format + '","encoding":"deflate-raw","ids":' + (taken ? JSON.stringify(bodyIds) : batch.ids) + '}');
  } else {
    const payload = '[' + (taken ? eventTexts.filter((_, index) => taken[index]) : eventTexts).join(',') + ']';
    bytesInTransaction += payload.length;
    insertEntry.run(receivedAt, count, payload, null);
  }
  return duplicates;
}

const appendMessages = db.transaction((messages) => {
  const receivedAt = new Date().toISOString();
  return messages.map((message) => message.batches.map((batch) => appendBatch(batch, receivedAt)));
});

port.on('message', (first) => {
  const messages = [];
  let closing = first === 'close';
  if (!closing) messages.push(first);
  for (let waiting = closing ? undefined : receiveMessageOnPort(port); waiting; waiting = receiveMessageOnPort(port)) {
    if (waiting.message === 'close') {
      closing = true;
      break;
    }
    messages.push(waiting.message);
  }
  if (messages.length > 0) {
    bytesInTransaction = 0;
    try {
      const results = appendMessages.immediate(messages);
      messages.forEach((message, index) => port.postMessage({ seq: message.seq, results: results[index] }));
    } catch (error) {
      for (const message of messages) port.postMessage({ seq: message.seq, error: String(error) + '; nothing of it was stored' });
    }
    if (checkpointerRunning) afterCommit(bytesInTransaction);
  }
  if (closing) {
    const finish = () => {
      db.close();
      port.close();
    };
    if (!checkpointerRunning) return finish();
    checkpointer.once('exit', finish);
    checkpointer.postMessage('close');
  }
});
