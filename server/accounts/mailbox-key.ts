import { createHash } from 'node:crypto';

/** Domains whose mailboxes ignore dots in the local part (Google's, which are one service). */
const DOT_BLIND_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an e-mail address reaches, as one canonical string: trimmed and lower-cased; a `+tag`
 * sub-address dropped on every domain (Gmail, Outlook, iCloud, Fastmail, Proton… deliver `ann+x@` to
 * `ann@`); dots dropped and `googlemail.com` read as `gmail.com` for Google. A provider that treats `+`
 * as an ordinary character is rare; counting two such mailboxes as one costs its users one shared Free
 * quota, while not folding sub-addresses would give anyone unlimited quotas. See docs/billing.md.
 * Mirrored in SQL by migration 0002 (tests/server/mailbox-key.test.ts keeps them equal).
 */
export function normaliseMailbox(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const local = address.slice(0, at).split('+')[0] ?? '';
  const domain = address.slice(at + 1);
  if (DOT_BLIND_DOMAINS.has(domain)) return `${local.replace(/\./g, '')}@gmail.com`;
  return `${local}@${domain}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The one-way key of an address's mailbox (`email:<sha256 of the normalised address>`). */
export function mailboxKey(email: string): string {
  return `email:${sha256(normaliseMailbox(email))}`;
}

/** The one-way key of an OAuth identity (`oauth:github:<sha256 of the provider's account id>`). */
export function oauthIdentityKey(providerId: string, accountId: string): string {
  return `oauth:${providerId}:${sha256(accountId)}`;
}
