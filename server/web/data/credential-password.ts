import { and, eq } from 'drizzle-orm';
import type { Auth } from '../../auth/create-auth.ts';
import type { Database } from '../../db/client.ts';
import { accounts } from '../../db/schema/accounts.ts';

/** The user's password hash (better-auth's `credential` account), or null for GitHub/Google-only users. */
export async function readPasswordHash(db: Database, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ password: accounts.password })
    .from(accounts)
    .where(and(eq(accounts.userId, userId), eq(accounts.providerId, 'credential')));
  return row?.password ?? null;
}

/** True when `password` matches `hash`, checked with better-auth's own hasher. */
export async function verifyPassword(auth: Auth, hash: string, password: string): Promise<boolean> {
  const context = await auth.$context;
  return context.password.verify({ hash, password });
}
