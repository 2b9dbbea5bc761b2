/** Pure validation of the pages' form input; messages are shown next to the fields. */

/** Field name → message. */
export type FieldErrors = Partial<Record<string, string>>;

/** Limits shared with better-auth's configuration (server/auth/create-auth.ts). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const NAME_MAX = 100;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Message for an email address, or undefined when it is fine. */
export function checkEmail(email: string): string | undefined {
  if (email === '') return 'Enter your email address.';
  if (email.length > 254 || !EMAIL.test(email)) return 'Enter an email address like name@example.com.';
  return undefined;
}

/** Message for a new password, or undefined when it is fine. */
export function checkNewPassword(password: string): string | undefined {
  if (password === '') return 'Choose a password.';
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  return undefined;
}

/** Message for a display name, or undefined when it is fine. */
export function checkName(name: string): string | undefined {
  if (name === '') return 'Enter your name.';
  if (name.length > NAME_MAX) return `Use at most ${NAME_MAX} characters.`;
  return undefined;
}

function compact(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([, message]) => message !== undefined));
}

/** Sign-up form: name, email, password. */
export function validateSignUp(input: { name: string; email: string; password: string }): FieldErrors {
  return compact({
    name: checkName(input.name),
    email: checkEmail(input.email),
    password: checkNewPassword(input.password),
  });
}

/** Sign-in form: email, password (any length: the check is the server's). */
export function validateSignIn(input: { email: string; password: string }): FieldErrors {
  return compact({
    email: checkEmail(input.email),
    password: input.password === '' ? 'Enter your password.' : undefined,
  });
}

/**
 * A user code as typed: letters and digits only, upper-cased (better-auth normalises the same way), so
 * `abcd-efgh` and `ABCDEFGH` are the same code. Empty when nothing usable was typed.
 */
export function normaliseUserCode(input: string | undefined): string {
  return (input ?? '')
    .replace(/[^a-zA-Z0-9]/g, '')
    .toUpperCase()
    .slice(0, 32);
}

/** Reads one text field of a parsed form body (files and missing fields read as ''). */
export function formText(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** Like {@link formText} without trimming (passwords). */
export function formSecret(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value : '';
}
