/**
 * The mailer without SMTP (issue #17 item 4): outside production the link is logged so the quickstart
 * works with no mail server; in production start-up says what will not work and nothing is logged that a
 * log reader could use to take over an account. With SMTP_URL, mail goes through a real SMTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../server/env.ts';
import { createLogger } from '../../server/logger.ts';
import { createMailer, NO_SMTP_IN_PRODUCTION } from '../../server/mail/mailer.ts';
import { passwordResetMessage } from '../../server/mail/messages.ts';
import { type Mailbox, startMailbox } from '../web/helpers/mailbox.ts';

const message = passwordResetMessage({
  to: 'ann@example.test',
  name: 'Ann',
  link: 'http://licence.test/reset-password?token=abc123',
  minutes: 60,
});

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }) };
}

describe('mailer', () => {
  let mailbox: Mailbox;
  beforeAll(async () => {
    mailbox = await startMailbox();
  });
  afterAll(async () => {
    await mailbox.close();
  });

  it('outside production without SMTP_URL: the link is written to the log', async () => {
    const { lines, logger } = capture();
    const mailer = await createMailer({ baseUrl: 'http://localhost:8787', logger });
    expect(mailer.mode).toBe('log');
    await mailer.send(message);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.join('\n')).toContain('http://licence.test/reset-password?token=abc123');
  });

  it('in production without SMTP_URL: start-up says what will not work; sending fails without logging the link', async () => {
    const { lines, logger } = capture();
    const mailer = await createMailer({ baseUrl: 'https://licence.example.com', logger, production: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(mailer.mode).toBe('off');
    expect(lines.join('\n')).toContain(NO_SMTP_IN_PRODUCTION.slice(0, 60));
    expect(NO_SMTP_IN_PRODUCTION).toContain('cannot verify');
    await expect(mailer.send(message)).rejects.toThrow(/SMTP_URL is not set/);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.join('\n')).not.toContain('token=abc123');
  });

  it('with SMTP_URL: the message reaches the SMTP server from MAIL_FROM', async () => {
    const env = parseEnv({ SMTP_URL: mailbox.smtpUrl, MAIL_FROM: 'SpecMint <mail@licence.test>' });
    const { logger } = capture();
    const mailer = await createMailer({ ...env.mail, baseUrl: 'http://localhost:8787', logger });
    expect(mailer.mode).toBe('smtp');
    await mailer.send(message);
    const received = await mailbox.waitFor('ann@example.test', /Reset your SpecMint password/);
    expect(received.from).toContain('mail@licence.test');
    expect(received.text).toContain('http://licence.test/reset-password?token=abc123');
    expect(() => parseEnv({ SMTP_URL: 'http://mail.example.com' })).toThrow(/smtp:\/\//);
  });
});
