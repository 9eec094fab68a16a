/**
 * The notifier against real local peers: an SMTP server (smtp-server) and an HTTP webhook receiver
 * (node:http), both on loopback. The store is a small in-test recorder of addNotification: the
 * SQLite store itself is tested by the store contract suite.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNotifier, type Notifier } from '../../src/notify/notifier.js';
import type { NotificationInput, NotificationRecord, Store } from '../../src/store/port.js';

const silent = pino({ level: 'silent' });
const FAST = { attempts: 3, baseDelayMs: 1 };

class NotificationRecorder implements Pick<Store, 'addNotification'> {
  readonly records: NotificationRecord[] = [];
  async addNotification(input: NotificationInput): Promise<NotificationRecord> {
    const record = { ...input, id: this.records.length + 1, created_at: new Date().toISOString() };
    this.records.push(record);
    return record;
  }
}

interface ReceivedMail { from: string; to: string[]; raw: string }

async function startSmtp(reject?: { message: string; code: number }) {
  const mails: ReceivedMail[] = [];
  let attempts = 0;
  const server = new SMTPServer({
    authOptional: true,
    // Its built-in certificate has expired: no STARTTLS on loopback.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        attempts += 1;
        if (reject) return callback(Object.assign(new Error(reject.message), { responseCode: reject.code }));
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function startWebhook(statuses: number[]) {
  const bodies: unknown[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push({ contentType: request.headers['content-type'], json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const status = statuses[Math.min(bodies.length - 1, statuses.length - 1)];
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver broke');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/T000/B000/secret`,
    bodies: bodies as Array<{ contentType: string; json: Record<string, unknown> }>,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('notifier', () => {
  let store: NotificationRecorder;
  let notifier: Notifier | undefined;
  const cleanups: Array<() => Promise<void>> = [];

  beforeEach(() => {
    store = new NotificationRecorder();
  });
  afterEach(async () => {
    await notifier?.close();
    notifier = undefined;
    while (cleanups.length) await cleanups.pop()!();
  });

  it('with nothing configured, logs and stores the notification', async () => {
    notifier = createNotifier({}, store, silent, { retry: FAST });
    const record = await notifier.notify({ job: 'inbox', level: 'info', message: 'inbox ran successfully: a.csv, 3 rows' });
    expect(notifier.channels).toEqual(['log']);
    expect(record.deliveries).toEqual({ log: 'sent' });
    expect(store.records).toEqual([expect.objectContaining({ job: 'inbox', level: 'info', link: null, message: 'inbox ran successfully: a.csv, 3 rows' })]);
  });

  it('emails and posts the webhook, and records both as sent', async () => {
    const smtp = await startSmtp();
    const hook = await startWebhook([200]);
    cleanups.push(smtp.close, hook.close);
    notifier = createNotifier({ smtpUrl: smtp.url, email: 'owner@shop.example', webhookUrl: hook.url }, store, silent,
      { retry: FAST, smtpTransport: { secure: false, ignoreTLS: true } });

    const message = 'weekly-report ran successfully: 7 days, 1,234 orders\nsellers: 3';
    const link = 'http://127.0.0.1:8080/public/Sales_Report.pdf';
    const record = await notifier.notify({ job: 'weekly-report', level: 'info', message, link });

    expect(record.deliveries).toEqual({ log: 'sent', email: 'sent', webhook: 'sent' });
    expect(store.records).toHaveLength(1);
    expect(store.records[0]).toMatchObject({ job: 'weekly-report', link, message });

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail.to).toEqual(['owner@shop.example']);
    expect(mail.raw).toMatch(/^Subject: weekly-report ran successfully: 7 days, 1,234 orders\r?$/m);
    expect(mail.raw).toContain(link);
    expect(mail.raw).toContain('sellers: 3');

    expect(hook.bodies).toHaveLength(1);
    expect(hook.bodies[0].contentType).toBe('application/json');
    expect(hook.bodies[0].json).toMatchObject({ text: `${message}\n\n${link}`, job: 'weekly-report', level: 'info', message, link });
  });

  it('retries a webhook that answers 500, records it as failed, and still resolves', async () => {
    const hook = await startWebhook([500]);
    cleanups.push(hook.close);
    const waits: number[] = [];
    notifier = createNotifier({ webhookUrl: hook.url }, store, silent,
      { retry: { attempts: 3, baseDelayMs: 500 }, sleep: async (ms) => { waits.push(ms); } });

    const record = await notifier.notify({ job: 'inbox', level: 'error', message: 'inbox failed due to bad header' });

    expect(hook.bodies).toHaveLength(3);
    expect(waits).toEqual([500, 1000]);
    expect(record.deliveries.log).toBe('sent');
    expect(record.deliveries.webhook).toMatch(/^failed: webhook at 127\.0\.0\.1:\d+ answered HTTP 500: receiver broke$/);
    expect(record.deliveries.webhook).not.toContain('secret');
    expect(store.records[0].deliveries).toEqual(record.deliveries);
  });

  it('a webhook that recovers on the second try is recorded as sent', async () => {
    const hook = await startWebhook([503, 200]);
    cleanups.push(hook.close);
    notifier = createNotifier({ webhookUrl: hook.url }, store, silent, { retry: FAST });
    const record = await notifier.notify({ job: null, level: 'info', message: 'hello' });
    expect(hook.bodies).toHaveLength(2);
    expect(record.deliveries.webhook).toBe('sent');
  });

  it('records refused connections on email and webhook as failed after the configured attempts', async () => {
    const port = await closedPort();
    const waits: number[] = [];
    notifier = createNotifier({ smtpUrl: `smtp://127.0.0.1:${port}`, email: 'owner@shop.example', webhookUrl: `http://127.0.0.1:${port}/hook` },
      store, silent, { retry: { attempts: 2, baseDelayMs: 7 }, sleep: async (ms) => { waits.push(ms); }, smtpTransport: { secure: false, ignoreTLS: true } });

    const record = await notifier.notify({ job: 'lake', level: 'error', message: 'lake failed due to disk full' });

    expect(record.deliveries.log).toBe('sent');
    expect(record.deliveries.email).toMatch(/^failed: .*ECONNREFUSED/);
    expect(record.deliveries.webhook).toMatch(/^failed: .*ECONNREFUSED/);
    // One wait per channel between its two attempts.
    expect(waits).toEqual([7, 7]);
    expect(store.records).toHaveLength(1);
  });

  it('retries an SMTP server that rejects the message, then records the rejection', async () => {
    const smtp = await startSmtp({ message: 'mailbox full', code: 552 });
    cleanups.push(smtp.close);
    notifier = createNotifier({ smtpUrl: smtp.url, email: 'owner@shop.example' }, store, silent,
      { retry: FAST, smtpTransport: { secure: false, ignoreTLS: true } });
    const record = await notifier.notify({ job: 'inbox', level: 'info', message: 'inbox ran successfully' });
    expect(smtp.attempts()).toBe(3);
    expect(record.deliveries.email).toMatch(/^failed: .*mailbox full/);
  });

  it('refuses SMTP without a recipient', () => {
    expect(() => createNotifier({ smtpUrl: 'smtp://127.0.0.1:25' }, store, silent)).toThrow(/STOREPULSE_NOTIFY_EMAIL/);
  });
});
