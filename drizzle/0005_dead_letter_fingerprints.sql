ALTER TABLE "dead_letters" ADD COLUMN "fingerprint" text DEFAULT gen_random_uuid()::text NOT NULL;--> statement-breakpoint
ALTER TABLE "dead_letters" ADD COLUMN "occurrences" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "dead_letters" ADD COLUMN "last_seen_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL;--> statement-breakpoint
UPDATE "dead_letters" SET "last_seen_at" = "created_at";--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letters_fingerprint_uq" ON "dead_letters" USING btree ("domain_id","fingerprint");