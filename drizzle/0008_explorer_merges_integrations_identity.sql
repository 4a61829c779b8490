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
CREATE TABLE "ingest_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL,
	"domain_id" uuid NOT NULL,
	"delivery_id" text NOT NULL,
	"seq" bigserial NOT NULL,
	"payload" text,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_until" timestamp with time zone,
	"last_error" text,
	"received_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ingest_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"domain_id" uuid NOT NULL,
	"object_type" text NOT NULL,
	"verification" text NOT NULL,
	"signature_header" text,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profile_layouts" (
	"domain_id" uuid PRIMARY KEY NOT NULL,
	"panels" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profile_merge_members" (
	"domain_id" uuid NOT NULL,
	"merge_id" uuid NOT NULL,
	"profile_id" uuid NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "profile_merge_members_merge_id_profile_id_pk" PRIMARY KEY("merge_id","profile_id")
);
--> statement-breakpoint
CREATE TABLE "profile_merges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"domain_id" uuid NOT NULL,
	"seq" bigserial NOT NULL,
	"main_profile_id" uuid NOT NULL,
	"merged_profile_ids" uuid[] NOT NULL,
	"origin" text NOT NULL,
	"prior_profiles" jsonb NOT NULL,
	"prior_keys" jsonb NOT NULL,
	"prior_values" jsonb NOT NULL,
	"moved_objects" jsonb NOT NULL,
	"main_after" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"unmerged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "event_sinks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"domain_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"url" text,
	"subject" text,
	"types" text[] DEFAULT '{}'::text[] NOT NULL,
	"filter" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secret" text NOT NULL,
	"batch_size" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"cursor" bigint DEFAULT 0 NOT NULL,
	"delivered" bigint DEFAULT 0 NOT NULL,
	"failing_since" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "match_cursors" ADD CONSTRAINT "match_cursors_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_groups" ADD CONSTRAINT "match_groups_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_keys" ADD CONSTRAINT "match_keys_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matching_configs" ADD CONSTRAINT "matching_configs_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_deliveries" ADD CONSTRAINT "ingest_deliveries_source_id_ingest_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."ingest_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_deliveries" ADD CONSTRAINT "ingest_deliveries_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_sources" ADD CONSTRAINT "ingest_sources_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_layouts" ADD CONSTRAINT "profile_layouts_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_merge_members" ADD CONSTRAINT "profile_merge_members_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_merge_members" ADD CONSTRAINT "profile_merge_members_merge_id_profile_merges_id_fk" FOREIGN KEY ("merge_id") REFERENCES "public"."profile_merges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_merges" ADD CONSTRAINT "profile_merges_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_sinks" ADD CONSTRAINT "event_sinks_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "match_groups_members_uq" ON "match_groups" USING btree ("domain_id","member_key");--> statement-breakpoint
CREATE INDEX "match_groups_domain_confidence_idx" ON "match_groups" USING btree ("domain_id","status","confidence" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "match_groups_profiles_idx" ON "match_groups" USING gin ("profile_ids");--> statement-breakpoint
CREATE INDEX "match_keys_profile_idx" ON "match_keys" USING btree ("profile_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ingest_deliveries_source_delivery_uq" ON "ingest_deliveries" USING btree ("source_id","delivery_id");--> statement-breakpoint
CREATE INDEX "ingest_deliveries_pending_idx" ON "ingest_deliveries" USING btree ("status","seq");--> statement-breakpoint
CREATE INDEX "ingest_sources_domain_idx" ON "ingest_sources" USING btree ("domain_id");--> statement-breakpoint
CREATE INDEX "profile_merge_members_profile_idx" ON "profile_merge_members" USING btree ("domain_id","profile_id");--> statement-breakpoint
CREATE INDEX "profile_merges_main_idx" ON "profile_merges" USING btree ("domain_id","main_profile_id","seq" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "event_sinks_domain_idx" ON "event_sinks" USING btree ("domain_id");--> statement-breakpoint
CREATE INDEX "profiles_name_tokens_idx" ON "profiles" USING gin (regexp_split_to_array(btrim(lower(regexp_replace(normalize((case when (coalesce(first_name, '') || ' ' || coalesce(middle_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(last_name, '') || coalesce(first_name, '') || ' ' || coalesce(first_name, '') || coalesce(last_name, '')) ~ '[ぁ-ゖ]' then translate((coalesce(first_name, '') || ' ' || coalesce(middle_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(last_name, '') || coalesce(first_name, '') || ' ' || coalesce(first_name, '') || coalesce(last_name, '')), 'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ', 'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶ') else (coalesce(first_name, '') || ' ' || coalesce(middle_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(last_name, '') || coalesce(first_name, '') || ' ' || coalesce(first_name, '') || coalesce(last_name, '')) end), NFKD), '[\u0300-\u036f]', '', 'g'))), '\s+'));