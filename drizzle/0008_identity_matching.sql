CREATE TABLE "match_cursors" (
	"domain_id" uuid PRIMARY KEY NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"domain_id" uuid NOT NULL,
	"profile_ids" uuid[] NOT NULL,
	"member_key" text NOT NULL,
	"confidence" real NOT NULL,
	"method" text NOT NULL,
	"fields" jsonb NOT NULL,
	"status" text DEFAULT 'SUGGESTED' NOT NULL,
	"merge_id" text,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_keys" (
	"domain_id" uuid NOT NULL,
	"key" text NOT NULL,
	"profile_id" uuid NOT NULL,
	CONSTRAINT "match_keys_domain_id_key_profile_id_pk" PRIMARY KEY("domain_id","key","profile_id")
);
--> statement-breakpoint
CREATE TABLE "matching_configs" (
	"domain_id" uuid PRIMARY KEY NOT NULL,
	"config" jsonb NOT NULL,
	"model" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "match_cursors" ADD CONSTRAINT "match_cursors_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_groups" ADD CONSTRAINT "match_groups_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_keys" ADD CONSTRAINT "match_keys_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matching_configs" ADD CONSTRAINT "matching_configs_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "match_groups_members_uq" ON "match_groups" USING btree ("domain_id","member_key");--> statement-breakpoint
CREATE INDEX "match_groups_domain_confidence_idx" ON "match_groups" USING btree ("domain_id","status","confidence" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "match_keys_profile_idx" ON "match_keys" USING btree ("profile_id");