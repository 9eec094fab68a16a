/**
 * The notifier (DESIGN §2, §6): every notification goes to the log, to email and to the webhook when
 * configured, and is stored with the outcome per channel. A failing channel is retried with backoff,
 * then recorded as failed; it never makes notify() throw.
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { NotificationRecord, Store } from '../store/port.js';
import { logChannel, type Notification, type NotifyChannel } from './channel.js';
import { emailChannel, type EmailChannelOptions } from './email.js';
import { describeError, withRetry, type RetryPolicy, type Sleep } from './retry.js';
import { webhookChannel } from './webhook.js';

export type { Notification, NotifyChannel } from './channel.js';

export interface Notifier {
  /** Delivers on every channel, stores the notification with each channel's outcome, and returns it. */
  notify(notification: Notification): Promise<NotificationRecord>;
  /** The channels in use, by delivery name ("log", "email", "webhook"). */
  readonly channels: string[];
  close(): Promise<void>;
}

export interface NotifierOptions {
  /** Default: 3 attempts, waiting 0.5 s then 1 s. */
  retry?: RetryPolicy;
  sleep?: Sleep;
  smtpTransport?: EmailChannelOptions['transport'];
  webhookTimeoutMs?: number;
}

export const DEFAULT_NOTIFY_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500 };

export function createNotifier(
  config: Config['notify'],
  store: Pick<Store, 'addNotification'>,
  logger: Logger,
  options: NotifierOptions = {},
): Notifier {
  const channels: NotifyChannel[] = [logChannel(logger)];
  if (config.smtpUrl) {
    if (!config.email) throw new Error('STOREPULSE_SMTP_URL is set but STOREPULSE_NOTIFY_EMAIL is not: set the address to send notifications to.');
    channels.push(emailChannel({ smtpUrl: config.smtpUrl, to: config.email, transport: options.smtpTransport }));
  }
  if (config.webhookUrl) channels.push(webhookChannel(config.webhookUrl, options.webhookTimeoutMs));
  return notifierOver(channels, store, logger, options);
}

/** A notifier over the given channels (createNotifier picks them from configuration). */
export function notifierOver(
  channels: NotifyChannel[],
  store: Pick<Store, 'addNotification'>,
  logger: Logger,
  options: Pick<NotifierOptions, 'retry' | 'sleep'> = {},
): Notifier {
  const policy = options.retry ?? DEFAULT_NOTIFY_RETRY;

  async function deliver(channel: NotifyChannel, notification: Notification): Promise<string> {
    try {
      await withRetry(policy, () => channel.send(notification), {
        sleep: options.sleep,
        onFailure: (error, attempt) => logger.warn({ channel: channel.name, attempt, of: policy.attempts, err: describeError(error) },
          `notification by ${channel.name} failed (attempt ${attempt} of ${policy.attempts})`),
      });
      return 'sent';
    } catch (error) {
      return `failed: ${describeError(error)}`;
    }
  }

  return {
    channels: channels.map((channel) => channel.name),
    async notify(notification) {
      const outcomes = await Promise.all(channels.map(async (channel) => [channel.name, await deliver(channel, notification)] as const));
      return store.addNotification({
        job: notification.job,
        level: notification.level,
        message: notification.message,
        link: notification.link ?? null,
        deliveries: Object.fromEntries(outcomes),
      });
    },
    async close() {
      await Promise.all(channels.map((channel) => channel.close?.()));
    },
  };
}
