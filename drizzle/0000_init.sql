CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"domain_id" uuid NOT NULL,
	"profile_id" uuid NOT NULL,
	"case_id" text NOT NULL,
	"title" text NOT NULL,
	"summary" text,
	"status" text NOT NULL,
	"reason" text,
	"priority" text,
	"created_by" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"domain_id" uuid NOT NULL,
	"profile_id" uuid,
	"contact_id" text NOT NULL,
	"channel" text NOT NULL,
	"direction" text,
	"initiated_at" timestamp with time zone NOT NULL,
	"disconnected_at" timestamp with time zone,
	"queue" text,
	"queue_wait_seconds" integer,
	"hold_seconds" integer,
	"agent_id" text,
	"phone_number" text,
	"email_address" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"domain_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "domains" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"default_expiration_days" integer,
	"default_phone_region" text DEFAULT 'US' NOT NULL,
	"event_retention_days" integer DEFAULT 30 NOT NULL,
	"last_event_id" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "domains_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"domain_id" uuid NOT NULL,
	"id" bigint NOT NULL,
	"type" text NOT NULL,
	"profile_id" uuid,
	"object_type" text,
	"object_id" text,
	"actor_key_id" uuid,
	"changes" jsonb,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_domain_id_id_pk" PRIMARY KEY("domain_id","id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"domain_id" uuid NOT NULL,
	"profile_id" uuid NOT NULL,
	"order_id" text NOT NULL,
	"status" text,
	"fulfillment_status" text,
	"total_price" numeric(14, 4),
	"currency" text,
	"ordered_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	"items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profile_keys" (
	"domain_id" uuid NOT NULL,
	"key_name" text NOT NULL,
	"value" text NOT NULL,
	"profile_id" uuid NOT NULL,
	CONSTRAINT "profile_keys_domain_id_key_name_value_profile_id_pk" PRIMARY KEY("domain_id","key_name","value","profile_id")
);
--> statement-breakpoint
CREATE TABLE "profiles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"domain_id" uuid NOT NULL,
	"account_number" text,
	"additional_information" text,
	"party_type" text,
	"business_name" text,
	"first_name" text,
	"middle_name" text,
	"last_name" text,
	"birth_date" date,
	"gender" text,
	"phone_number" text,
	"mobile_phone_number" text,
	"home_phone_number" text,
	"business_phone_number" text,
	"email_address" text,
	"personal_email_address" text,
	"business_email_address" text,
	"address" jsonb,
	"shipping_address" jsonb,
	"mailing_address" jsonb,
	"billing_address" jsonb,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"inferred" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_keys" ADD CONSTRAINT "profile_keys_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cases_domain_case_id_uq" ON "cases" USING btree ("domain_id","case_id");--> statement-breakpoint
CREATE INDEX "cases_profile_recent_idx" ON "cases" USING btree ("domain_id","profile_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_domain_contact_id_uq" ON "contacts" USING btree ("domain_id","contact_id");--> statement-breakpoint
CREATE INDEX "contacts_profile_recent_idx" ON "contacts" USING btree ("domain_id","profile_id","initiated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "api_keys_domain_idx" ON "api_keys" USING btree ("domain_id");--> statement-breakpoint
CREATE INDEX "events_profile_idx" ON "events" USING btree ("domain_id","profile_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_domain_order_id_uq" ON "orders" USING btree ("domain_id","order_id");--> statement-breakpoint
CREATE INDEX "orders_profile_recent_idx" ON "orders" USING btree ("domain_id","profile_id","ordered_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "profile_keys_profile_idx" ON "profile_keys" USING btree ("profile_id");--> statement-breakpoint
CREATE INDEX "profiles_domain_id_idx" ON "profiles" USING btree ("domain_id","id");--> statement-breakpoint
CREATE INDEX "profiles_domain_updated_idx" ON "profiles" USING btree ("domain_id","updated_at");