/** Email notifications through SMTP (STOREPULSE_SMTP_URL, to STOREPULSE_NOTIFY_EMAIL). */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { subjectOf } from './messages.js';
import { textWithLink, type NotifyChannel } from './channel.js';

export interface EmailChannelOptions {
  /** e.g. smtp://user:pass@mail.example.com:587 ; options in the query string are understood too (?ignoreTLS=true). */
  smtpUrl: string;
  to: string;
  from?: string;
  /** Extra transport options (tests: `{ secure: false, ignoreTLS: true }`). */
  transport?: SMTPTransport.Options;
}

// nodemailer waits up to 2 minutes to connect and 10 minutes on a silent socket; a notification should not.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export function emailChannel(options: EmailChannelOptions): NotifyChannel {
  const transporter = nodemailer.createTransport({ ...TIMEOUTS, ...options.transport, url: options.smtpUrl });
  const from = options.from ?? `storepulse <${options.to}>`;
  return {
    name: 'email',
    async send(notification) {
      await transporter.sendMail({
        from,
        to: options.to,
        subject: subjectOf(notification.message),
        text: textWithLink(notification),
      });
    },
    async close() {
      transporter.close();
    },
  };
}
