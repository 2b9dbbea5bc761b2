import type { MailMessage } from './mailer.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function compose(options: {
  to: string;
  subject: string;
  greeting: string;
  lines: string[];
  action: string;
  link: string;
  footer: string;
}): MailMessage {
  const text = [
    options.greeting,
    '',
    ...options.lines,
    '',
    `${options.action}: ${options.link}`,
    '',
    options.footer,
    '',
    '— SpecMint',
  ].join('\n');
  const paragraphs = options.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  const html = `<!DOCTYPE html>
<html lang="en"><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1b1f24;">
<p>${escapeHtml(options.greeting)}</p>
${paragraphs}
<p><a href="${escapeHtml(options.link)}" style="display: inline-block; padding: 10px 16px; background: #0a7d55; color: #fff; border-radius: 6px; text-decoration: none;">${escapeHtml(options.action)}</a></p>
<p style="font-size: 14px; color: #57606a;">Or paste this link into your browser:<br>${escapeHtml(options.link)}</p>
<p style="font-size: 14px; color: #57606a;">${escapeHtml(options.footer)}</p>
<p>— SpecMint</p>
</body></html>`;
  return { to: options.to, subject: options.subject, text, html, link: options.link };
}

/** The e-mail that verifies an address (sent at sign-up and on request). */
export function verificationMessage(options: {
  to: string;
  name: string;
  link: string;
  hours: number;
}): MailMessage {
  return compose({
    to: options.to,
    subject: 'Verify your e-mail address for SpecMint',
    greeting: `Hello ${options.name},`,
    lines: [
      'Please confirm that this is your e-mail address. The Free plan generates test suites once it is verified.',
    ],
    action: 'Verify my e-mail address',
    link: options.link,
    footer: `The link works for ${options.hours} hours. If you did not create a SpecMint account, ignore this e-mail.`,
  });
}

/** The e-mail with a password-reset link. */
export function passwordResetMessage(options: {
  to: string;
  name: string;
  link: string;
  minutes: number;
}): MailMessage {
  return compose({
    to: options.to,
    subject: 'Reset your SpecMint password',
    greeting: `Hello ${options.name},`,
    lines: [
      'Someone asked to reset the password of your SpecMint account. Choose a new one with the link below.',
    ],
    action: 'Choose a new password',
    link: options.link,
    footer: `The link works once, for ${options.minutes} minutes. If you did not ask for it, ignore this e-mail: your password stays as it is.`,
  });
}
