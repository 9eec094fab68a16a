/** A way to deliver a notification. A channel throws when delivery fails; the notifier retries it. */
import type { Logger } from '../logger.js';

export interface Notification {
  /** The job it is about, or null for the pipeline itself. */
  job: string | null;
  level: 'info' | 'error';
  /** First line reads like "inbox ran successfully: …" or "inbox failed due to …". */
  message: string;
  /** Where to look: a report, an export, a run. */
  link?: string;
}

export interface NotifyChannel {
  /** The key of this channel in a notification's `deliveries`. */
  readonly name: string;
  send(notification: Notification): Promise<void>;
  close?(): Promise<void>;
}

/** The text of a notification with its link on a line of its own (email body, Slack text). */
export function textWithLink(notification: Notification): string {
  return notification.link ? `${notification.message}\n\n${notification.link}` : notification.message;
}

/** Always on: every notification also goes to the structured log. */
export function logChannel(logger: Logger): NotifyChannel {
  return {
    name: 'log',
    async send({ job, level, message, link }) {
      logger[level]({ job, link, notification: true }, message);
    },
  };
}
