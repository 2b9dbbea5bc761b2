import type { Logger } from '../logger.ts';

/** One e-mail: plain text (always) and HTML. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The link the message carries (logged instead of sent when there is no SMTP server). */
  link: string;
}

/** Sends the server's e-mail (verification, password reset). */
export interface Mailer {
  /**
   * `smtp`: sent through SMTP_URL · `log`: outside production without SMTP_URL, the link is written to the
   * log · `off`: in production without SMTP_URL, nothing can be sent.
   */
  mode: 'smtp' | 'log' | 'off';
  /** Sends `message`; resolves once the SMTP server accepted it. Rejects when it could not be sent. */
  send(message: MailMessage): Promise<void>;
  /** Closes the SMTP connections. */
  close(): void;
}

/** SMTP settings (`SMTP_URL`, `MAIL_FROM`). */
export interface MailSettings {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; absent → no SMTP server. */
  smtpUrl?: string | undefined;
  /** Sender, e.g. `SpecMint <no-reply@licence.example.com>`. @default `SpecMint <no-reply@<host of the base URL>>` */
  from?: string | undefined;
  /** NODE_ENV=production: without SMTP, links are not logged (they would sit in production logs). */
  production?: boolean;
}

/** Options of {@link createMailer}. */
export interface CreateMailerOptions extends MailSettings {
  /** Public URL of the server (the default sender's domain). */
  baseUrl: string;
  logger: Logger;
}

/** What does not work in production without SMTP (said once at start-up). */
export const NO_SMTP_IN_PRODUCTION =
  'SMTP_URL is not set: this server cannot send e-mail. New accounts cannot verify their e-mail address, so ' +
  'they cannot generate on the Free plan, and nobody can reset a forgotten password. Set SMTP_URL (and ' +
  'MAIL_FROM) to an SMTP server; accounts made with `specmint-server admin create-user` are verified.';

/** The sender when MAIL_FROM is not set. */
export function defaultSender(baseUrl: string): string {
  const host = new URL(baseUrl).hostname;
  return `SpecMint <no-reply@${host === 'localhost' || /^[\d.]+$/.test(host) ? 'localhost.localdomain' : host}>`;
}

/**
 * The server's mailer: SMTP through nodemailer when `smtpUrl` is set (loaded only then); otherwise,
 * outside production, a mailer that writes each link to the log (the quickstart needs no mail server);
 * in production, one that refuses (start-up says so, {@link NO_SMTP_IN_PRODUCTION}).
 */
export async function createMailer(options: CreateMailerOptions): Promise<Mailer> {
  const { logger } = options;
  if (options.smtpUrl) {
    const { createTransport } = await import('nodemailer');
    const transport = createTransport(options.smtpUrl, {
      from: options.from ?? defaultSender(options.baseUrl),
    });
    return {
      mode: 'smtp',
      send: async (message) => {
        await transport.sendMail({
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
        });
      },
      close: () => transport.close(),
    };
  }
  if (!options.production) {
    return {
      mode: 'log',
      send: async (message) => {
        logger.warn(`e-mail not sent (SMTP_URL is not set); open this link instead: ${message.link}`, {
          to: message.to,
          subject: message.subject,
        });
      },
      close: () => {},
    };
  }
  logger.warn(NO_SMTP_IN_PRODUCTION);
  return {
    mode: 'off',
    send: async (message) => {
      throw new Error(`cannot send "${message.subject}": SMTP_URL is not set`);
    },
    close: () => {},
  };
}
