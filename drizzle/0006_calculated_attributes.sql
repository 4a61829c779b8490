CREATE TABLE "calculated_attribute_values" (
	"domain_id" uuid NOT NULL,
	"profile_id" uuid NOT NULL,
	"name" text NOT NULL,
	"value_number" numeric,
	"value_text" text,
	"value_bool" boolean,
	"value_time" timestamp with time zone,
	"definition_version" integer NOT NULL,
	"last_object_at" timestamp with time zone,
	"valid_until" timestamp with time zone,
	"computed_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	CONSTRAINT "calculated_attribute_values_domain_id_profile_id_name_pk" PRIMARY KEY("domain_id","profile_id","name")
);
--> statement-breakpoint
CREATE TABLE "calculated_attributes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"domain_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"object_type" text NOT NULL,
	"spec" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"backfilled_version" integer,
	"backfill_job_id" uuid,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calculated_attribute_values" ADD CONSTRAINT "calculated_attribute_values_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calculated_attribute_values" ADD CONSTRAINT "calculated_attribute_values_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calculated_attributes" ADD CONSTRAINT "calculated_attributes_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calculated_values_number_idx" ON "calculated_attribute_values" USING btree ("domain_id","name","value_number");--> statement-breakpoint
CREATE INDEX "calculated_values_text_idx" ON "calculated_attribute_values" USING btree ("domain_id","name","value_text");--> statement-breakpoint
CREATE INDEX "calculated_values_time_idx" ON "calculated_attribute_values" USING btree ("domain_id","name","value_time");--> statement-breakpoint
CREATE INDEX "calculated_values_bool_idx" ON "calculated_attribute_values" USING btree ("domain_id","name","value_bool");--> statement-breakpoint
CREATE INDEX "calculated_values_expiry_idx" ON "calculated_attribute_values" USING btree ("valid_until");--> statement-breakpoint
CREATE UNIQUE INDEX "calculated_attributes_domain_name_uq" ON "calculated_attributes" USING btree ("domain_id","name");--> statement-breakpoint
CREATE INDEX "calculated_attributes_domain_type_idx" ON "calculated_attributes" USING btree ("domain_id","object_type");