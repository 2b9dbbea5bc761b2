/**
 * A real SMTP server for the tests (the `smtp-server` package) on a loopback port: the licence server
 * sends its verification and password-reset mail there through nodemailer (`SMTP_URL`), and the tests
 * read each message (parsed by `mailparser`) and follow its link.
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A received message. */
export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  from: string;
}

/** The running mailbox. */
export interface Mailbox {
  /** `smtp://127.0.0.1:PORT` for SMTP_URL. */
  smtpUrl: string;
  messages: ReceivedMail[];
  /** Resolves with the first message to `to` (after `skip` earlier ones) whose subject matches. */
  waitFor(
    to: string,
    subject: RegExp,
    options?: { skip?: number; timeoutMs?: number },
  ): Promise<ReceivedMail>;
  close(): Promise<void>;
}

function addresses(parsed: ParsedMail['to']): string {
  const list = Array.isArray(parsed) ? parsed : parsed ? [parsed] : [];
  return list.flatMap((entry) => entry.value.map((value) => value.address ?? '')).join(',');
}

/** Starts the SMTP server (no TLS, no authentication: loopback only). */
export async function startMailbox(): Promise<Mailbox> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages.push({
            to: addresses(parsed.to).toLowerCase(),
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(to, subject, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 10_000);
      for (;;) {
        const matching = messages.filter(
          (mail) => mail.to === to.toLowerCase() && subject.test(mail.subject),
        );
        const found = matching[options.skip ?? 0];
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `no mail to ${to} matching ${subject}; got: ${messages.map((m) => `${m.to}: ${m.subject}`).join('; ')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The one link of `path` on the server at `origin` in a message's text. */
export function linkIn(mail: ReceivedMail, origin: string, path: string): string {
  const escaped = `${origin}${path}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const link = new RegExp(`${escaped}\\?token=[^\\s]+`).exec(mail.text)?.[0];
  if (!link) throw new Error(`no ${path} link in the mail "${mail.subject}":\n${mail.text}`);
  return link;
}
