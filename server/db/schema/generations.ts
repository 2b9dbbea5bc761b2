import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { AiRequest, GenerationResponse, GenerationStatus } from '../../../shared/contracts.ts';
import type { Format } from '../../../shared/plans.ts';
import { users } from './users.ts';

/**
 * The usage ledger and generation history: one row per granted `POST /v1/generations`. `charged` rows
 * hold a spec's charge for the period — reserved while `issued`, confirmed once `completed` — at most one
 * per user, period and spec hash (enforced by a partial unique index); a released or expired reservation
 * gives its charge back (`charged` false). `response` is the first answer, returned again on an idempotent
 * replay. `expires_at` is null on rows written before reservations existed (charged when issued).
 */
export const generations = pgTable(
  'generations',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    specHash: text('spec_hash').notNull(),
    specTitle: text('spec_title').notNull(),
    operationCount: integer('operation_count').notNull(),
    formats: jsonb('formats').$type<Format[]>().notNull(),
    ai: jsonb('ai').$type<AiRequest | null>(),
    cliVersion: text('cli_version').notNull(),
    plan: text('plan').notNull(),
    charged: boolean('charged').notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    response: jsonb('response').$type<GenerationResponse>().notNull(),
    status: text('status').$type<GenerationStatus>().notNull().default('issued'),
    /** End of the reservation (the usage token's `exp`); null on rows from before reservations. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    files: integer('files'),
    tests: integer('tests'),
    durationMs: integer('duration_ms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('generations_user_idempotency_key_idx').on(table.userId, table.idempotencyKey),
    uniqueIndex('generations_one_charge_per_spec_idx')
      .on(table.userId, table.periodStart, table.specHash)
      .where(sql`${table.charged}`),
    index('generations_user_created_idx').on(table.userId, table.createdAt, table.id),
    // Charged reservations still open: what a batch sweeps when they expire (a handful per account).
    index('generations_open_reservations_idx')
      .on(table.userId, table.periodStart, table.expiresAt)
      .where(sql`${table.charged} and ${table.status} = 'issued' and ${table.expiresAt} is not null`),
  ],
);
