CREATE TABLE "profile_layouts" (
	"domain_id" uuid PRIMARY KEY NOT NULL,
	"panels" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "profile_layouts" ADD CONSTRAINT "profile_layouts_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "profiles_name_tokens_idx" ON "profiles" USING gin (regexp_split_to_array(btrim(translate(lower(regexp_replace(normalize((coalesce(first_name, '') || ' ' || coalesce(middle_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(last_name, '') || coalesce(first_name, '') || ' ' || coalesce(first_name, '') || coalesce(last_name, '')), NFKD), '[\u0300-\u036f]', '', 'g')), 'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ', 'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶ')), '\s+'));