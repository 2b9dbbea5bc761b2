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
import type { AiRequest, GenerationResponse } from '../../../shared/contracts.ts';
import type { Format } from '../../../shared/plans.ts';
import { users } from './users.ts';

/**
 * The usage ledger and generation history: one row per granted `POST /v1/generations`. `charged` rows
 * are the ledger — at most one per user, period and spec hash (enforced by a partial unique index).
 * `response` is the first answer, returned again on an idempotent replay.
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
    status: text('status').$type<'issued' | 'completed'>().notNull().default('issued'),
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
  ],
);
