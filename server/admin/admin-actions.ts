import { eq } from 'drizzle-orm';
import * as z from 'zod';
import { PLAN_IDS, type PlanId } from '../../shared/plans.ts';
import { findMailboxOwner } from '../accounts/usage-carry-over.ts';
import type { AppDeps } from '../app-deps.ts';
import { subscriptions } from '../db/schema/subscriptions.ts';
import { users } from '../db/schema/users.ts';
import { ApiError } from '../http/api-error.ts';
import { createCiToken } from '../tokens/token-service.ts';

/** `admin create-user` input. */
export const CreateUserInputSchema = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(8).max(128),
  plan: z.enum(PLAN_IDS).default('free'),
  name: z.string().trim().min(1).max(100).optional(),
});
/** `admin set-plan` input. */
export const SetPlanInputSchema = z.strictObject({ email: z.email(), plan: z.enum(PLAN_IDS) });
/** `admin create-token` input. */
export const CreateTokenInputSchema = z.strictObject({
  email: z.email(),
  name: z.string().trim().min(1).max(64).default('admin'),
});

type Deps = Pick<AppDeps, 'database' | 'auth' | 'ciTokens' | 'baseUrl'>;

async function findUserId(deps: Deps, email: string): Promise<string> {
  const [row] = await deps.database.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, email.toLowerCase()));
  if (!row) throw new ApiError('NOT_FOUND', `No user with email ${email}.`);
  return row.id;
}

/** Sets a user's plan (creating the subscription row if needed). */
export async function adminSetPlan(deps: Deps, input: { email: string; plan: PlanId }) {
  const userId = await findUserId(deps, input.email);
  await deps.database.db
    .insert(subscriptions)
    .values({ userId, plan: input.plan })
    .onConflictDoUpdate({ target: subscriptions.userId, set: { plan: input.plan, updatedAt: new Date() } });
  deps.ciTokens.forgetUser(userId);
  return { userId, email: input.email.toLowerCase(), plan: input.plan };
}

/**
 * Creates an email + password user with a verified address (the operator vouches for it, so no
 * verification mail is sent): through better-auth's own adapter and password hashing, so its account hooks
 * run as on sign-up (subscription row, mailbox, usage carried over from a deleted account).
 */
export async function adminCreateUser(deps: Deps, input: z.output<typeof CreateUserInputSchema>) {
  const email = input.email.toLowerCase();
  const [existing] = await deps.database.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, email));
  if (existing) throw new ApiError('CONFLICT', `A user with email ${input.email} already exists.`);
  const sameMailbox = await findMailboxOwner(deps.database.db, email);
  if (sameMailbox) {
    throw new ApiError(
      'CONFLICT',
      `An account already uses the mailbox of ${input.email} (the same address with or without a +tag).`,
    );
  }
  if (input.password.length < 8 || input.password.length > 128) {
    throw new ApiError('VALIDATION_FAILED', 'The password must have 8 to 128 characters.');
  }
  const context = await deps.auth.$context;
  const hash = await context.password.hash(input.password);
  const user = await context.internalAdapter.createUser(
    { email, name: input.name ?? email.split('@')[0]!, emailVerified: true },
    { method: 'admin' },
  );
  await context.internalAdapter.linkAccount({
    userId: user.id,
    providerId: 'credential',
    accountId: user.id,
    password: hash,
  });
  await deps.database.db.insert(subscriptions).values({ userId: user.id }).onConflictDoNothing();
  return adminSetPlan(deps, { email, plan: input.plan });
}

/** Creates a CI token for a user (within the plan's limit) and returns it with the secret. */
export async function adminCreateToken(deps: Deps, input: z.output<typeof CreateTokenInputSchema>) {
  const userId = await findUserId(deps, input.email);
  return createCiToken(deps.database.db, { userId, name: input.name, upgradeUrl: `${deps.baseUrl}/pricing` });
}
