/**
 * The whole database schema. The keys `user`, `session`, `account`, `verification` and `deviceCode` are
 * the model names better-auth's drizzle adapter looks up.
 */
export { accounts as account } from './accounts.ts';
export { apiTokens } from './api-tokens.ts';
export { deviceCodeOutcomes } from './device-code-outcomes.ts';
export { deviceCodes as deviceCode } from './device-codes.ts';
export { generations } from './generations.ts';
export { mailboxOwners } from './mailbox-owners.ts';
export { rateLimits } from './rate-limits.ts';
export { retiredIdentities } from './retired-identities.ts';
export { sessions as session } from './sessions.ts';
export { subscriptions } from './subscriptions.ts';
export { usageCounters } from './usage-counters.ts';
export { users as user } from './users.ts';
export { verifications as verification } from './verifications.ts';
export { webhookEvents } from './webhook-events.ts';
