/**
 * The composition root: opens the adapters that the configuration picks (embedded defaults here;
 * the scale-out engines plug in behind the same ports) and wires the pipeline and the consumer.
 * Nothing else in the code knows which adapter runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { EventLog } from './log/port.js';
import type { Store } from './store/port.js';
import type { Warehouse } from './warehouse/port.js';
import { openSqliteLog } from './log/sqlite.js';
import { openSqliteStore } from './store/sqlite.js';
import { openDuckDbWarehouse } from './warehouse/duckdb.js';
import { createPipeline, type Pipeline } from './consumer/pipeline.js';
import { createConsumer, type Consumer } from './consumer/consumer.js';
import { readServerInfo } from './server-info.js';
import { openFsObjects, type FsObjects } from './objects/fs.js';
import { createNotifier, type Notifier } from './notify/notifier.js';

export interface App {
  config: Config;
  logger: Logger;
  log: EventLog;
  store: Store;
  warehouse: Warehouse;
  objects: FsObjects;
  notifier: Notifier;
  pipeline: Pipeline;
  consumer: Consumer;
  /** Where this server is reached, for links in notifications (set once the server listens). */
  baseUrl: string;
  close(): Promise<void>;
}

export class DataDirBusyError extends Error {}

export interface AppOptions {
  /** The clock of the pipeline (the hot window, the far-future rule); tests set it to their data's time. */
  now?: () => number;
}

export async function openApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const warehouse = await openWarehouse(config);
  const log = openSqliteLog({ file: path.join(config.dataDir, 'log.sqlite'), sync: config.logSync });
  const store = openSqliteStore({ file: path.join(config.dataDir, 'store.sqlite'), sync: config.logSync });
  const objects = await openFsObjects(path.join(config.dataDir, 'buckets'));
  const notifier = createNotifier(config.notify, store, logger);
  const pipeline = createPipeline({
    store, warehouse, currency: config.currency, timeZone: config.timeZone, hotDays: config.hotDays, logger, now: options.now,
  });
  const consumer = createConsumer({ log, pipeline, logger, batchRows: config.consumer.batchRows, batchMs: config.consumer.batchMs });
  let closed = false;
  return {
    config, logger, log, store, warehouse, objects, notifier, pipeline, consumer,
    baseUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
    async close() {
      if (closed) return;
      closed = true;
      await consumer.stop();
      await notifier.close();
      await objects.close();
      await Promise.all([log.close(), store.close(), warehouse.close()]);
    },
  };
}

async function openWarehouse(config: Config): Promise<Warehouse> {
  const file = path.join(config.dataDir, 'warehouse.duckdb');
  try {
    return await openDuckDbWarehouse({ file, timeZone: config.timeZone, memoryLimit: config.warehouseMemory });
  } catch (error) {
    if (/lock/i.test(String(error))) {
      const server = readServerInfo(config.dataDir);
      const holder = server ? `a storepulse server (pid ${server.pid}) at ${server.url}` : 'another storepulse process';
      throw new DataDirBusyError(`The data dir ${config.dataDir} is in use by ${holder}. Stop it first, or talk to its API.`);
    }
    throw error;
  }
}
