ALTER TABLE "profile_keys" ADD COLUMN "source" text DEFAULT 'profile' NOT NULL;--> statement-breakpoint
ALTER TABLE "profile_keys" DROP CONSTRAINT "profile_keys_domain_id_key_name_value_profile_id_pk";--> statement-breakpoint
ALTER TABLE "profile_keys" ADD CONSTRAINT "profile_keys_domain_id_key_name_value_profile_id_source_pk" PRIMARY KEY("domain_id","key_name","value","profile_id","source");--> statement-breakpoint
CREATE INDEX "profile_keys_source_idx" ON "profile_keys" USING btree ("domain_id","source");
