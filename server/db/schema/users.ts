import { boolean, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * better-auth's `user` model (core schema of better-auth 1.7), written by hand. Property names are the
 * field names better-auth addresses; the SQL columns are snake_case.
 */
export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
