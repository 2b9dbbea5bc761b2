CREATE TABLE "device_code_outcomes" (
	"user_code" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"outcome" text NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mailbox_owners" (
	"mailbox_key" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mailbox_owners_user_id_unique" UNIQUE("user_id")
);
--> statement-breakpoint
CREATE TABLE "retired_identities" (
	"identity_key" text NOT NULL,
	"ledger_owner_id" text NOT NULL,
	"retired_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retired_identities_identity_key_ledger_owner_id_pk" PRIMARY KEY("identity_key","ledger_owner_id")
);
--> statement-breakpoint
ALTER TABLE "generations" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "device_code_outcomes" ADD CONSTRAINT "device_code_outcomes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_owners" ADD CONSTRAINT "mailbox_owners_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retired_identities" ADD CONSTRAINT "retired_identities_ledger_owner_id_users_id_fk" FOREIGN KEY ("ledger_owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "retired_identities_owner_idx" ON "retired_identities" USING btree ("ledger_owner_id");--> statement-breakpoint
CREATE INDEX "generations_open_reservations_idx" ON "generations" USING btree ("user_id","period_start","expires_at") WHERE "generations"."charged" and "generations"."status" = 'issued' and "generations"."expires_at" is not null;--> statement-breakpoint
-- One live account per mailbox: register the accounts that exist already (the oldest wins a shared mailbox).
-- The normalisation is server/accounts/mailbox-key.ts's, in SQL (a test keeps the two equal).
INSERT INTO "mailbox_owners" ("mailbox_key", "user_id")
SELECT DISTINCT ON (k.mailbox_key) k.mailbox_key, k.id FROM (
	SELECT u.id, u.created_at, 'email:' || encode(sha256(convert_to(
		CASE WHEN d.domain IN ('gmail.com', 'googlemail.com')
			THEN replace(split_part(d.local, '+', 1), '.', '') || '@gmail.com'
			ELSE split_part(d.local, '+', 1) || '@' || d.domain END, 'UTF8')), 'hex') AS mailbox_key
	FROM "users" u
	CROSS JOIN LATERAL (SELECT lower(btrim(u.email)) AS e) n
	CROSS JOIN LATERAL (SELECT regexp_replace(n.e, '@[^@]*$', '') AS local, substring(n.e from '@([^@]*)$') AS domain) d
	WHERE u.id NOT LIKE 'deleted-%' AND d.domain IS NOT NULL
) k ORDER BY k.mailbox_key, k.created_at;
