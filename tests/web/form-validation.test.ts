import { describe, expect, it } from 'vitest';
import { normaliseUserCode, validateSignIn, validateSignUp } from '../../server/web/validation.ts';

describe('form validation', () => {
  it('reports every problem of the sign-up form at once', () => {
    expect(validateSignUp({ name: '', email: 'nope', password: 'short' })).toEqual({
      name: 'Enter your name.',
      email: 'Enter an email address like name@example.com.',
      password: 'Use at least 8 characters.',
    });
    expect(validateSignUp({ name: 'A', email: 'a@b.co', password: '12345678' })).toEqual({});
    expect(validateSignIn({ email: 'a@b.co', password: '' })).toEqual({ password: 'Enter your password.' });
  });

  it('normalises user codes like better-auth', () => {
    expect(normaliseUserCode(' abcd-efgh ')).toBe('ABCDEFGH');
    expect(normaliseUserCode('<script>')).toBe('SCRIPT');
    expect(normaliseUserCode(undefined)).toBe('');
  });
});
