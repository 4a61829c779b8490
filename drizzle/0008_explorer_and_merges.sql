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
ALTER TABLE "profile_layouts" ADD CONSTRAINT "profile_layouts_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_merge_members" ADD CONSTRAINT "profile_merge_members_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_merge_members" ADD CONSTRAINT "profile_merge_members_merge_id_profile_merges_id_fk" FOREIGN KEY ("merge_id") REFERENCES "public"."profile_merges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_merges" ADD CONSTRAINT "profile_merges_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "profile_merge_members_profile_idx" ON "profile_merge_members" USING btree ("domain_id","profile_id");--> statement-breakpoint
CREATE INDEX "profile_merges_main_idx" ON "profile_merges" USING btree ("domain_id","main_profile_id","seq" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "profiles_name_tokens_idx" ON "profiles" USING gin (regexp_split_to_array(btrim(translate(lower(regexp_replace(normalize((coalesce(first_name, '') || ' ' || coalesce(middle_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(last_name, '') || coalesce(first_name, '') || ' ' || coalesce(first_name, '') || coalesce(last_name, '')), NFKD), '[\u0300-\u036f]', '', 'g')), 'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ', 'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶ')), '\s+'));