DROP INDEX "calculated_values_number_idx";--> statement-breakpoint
DROP INDEX "calculated_values_text_idx";--> statement-breakpoint
DROP INDEX "calculated_values_time_idx";--> statement-breakpoint
DROP INDEX "calculated_values_bool_idx";--> statement-breakpoint
DROP INDEX "calculated_values_expiry_idx";--> statement-breakpoint
CREATE INDEX "calculated_values_number_idx" ON "calculated_attribute_values" USING btree ("domain_id","name","value_number") WHERE value_number is not null;--> statement-breakpoint
CREATE INDEX "calculated_values_text_idx" ON "calculated_attribute_values" USING btree ("domain_id","name","value_text") WHERE value_text is not null;--> statement-breakpoint
CREATE INDEX "calculated_values_time_idx" ON "calculated_attribute_values" USING btree ("domain_id","name","value_time") WHERE value_time is not null;--> statement-breakpoint
CREATE INDEX "calculated_values_bool_idx" ON "calculated_attribute_values" USING btree ("domain_id","name","value_bool") WHERE value_bool is not null;--> statement-breakpoint
CREATE INDEX "calculated_values_expiry_idx" ON "calculated_attribute_values" USING btree ("valid_until") WHERE valid_until is not null;