/** Webhook notifications (STOREPULSE_WEBHOOK_URL): a JSON POST that Slack's incoming webhooks accept as is. */
import { textWithLink, type Notification, type NotifyChannel } from './channel.js';

export interface WebhookPayload {
  /** What Slack (and Mattermost, Discord's /slack endpoint) shows. */
  text: string;
  job: string | null;
  level: Notification['level'];
  message: string;
  link: string | null;
  sent_at: string;
}

export function webhookPayload(notification: Notification, now = new Date()): WebhookPayload {
  return {
    text: textWithLink(notification),
    job: notification.job,
    level: notification.level,
    message: notification.message,
    link: notification.link ?? null,
    sent_at: now.toISOString(),
  };
}

export function webhookChannel(url: string, timeoutMs = 10_000): NotifyChannel {
  const target = new URL(url);
  return {
    name: 'webhook',
    async send(notification) {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(webhookPayload(notification)),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Drain the body so the connection can be reused; a webhook's answer carries nothing we need.
      const answer = await response.text().catch(() => '');
      if (!response.ok) {
        // The URL itself is a secret (Slack's carries the token): name the host only.
        throw new Error(`webhook at ${target.host} answered HTTP ${response.status}${answer ? `: ${answer.slice(0, 200)}` : ''}`);
      }
    },
  };
}
