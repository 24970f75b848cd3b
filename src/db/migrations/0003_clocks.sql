CREATE TABLE "case_clocks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"policy_key" text NOT NULL,
	"name" text NOT NULL,
	"label" text NOT NULL,
	"basis" text NOT NULL,
	"amount" real NOT NULL,
	"met_by" text NOT NULL,
	"pausable" boolean NOT NULL,
	"informational" boolean NOT NULL,
	"warn_at" jsonb NOT NULL,
	"customer_text" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"warnings_fired" integer DEFAULT 0 NOT NULL,
	"next_fire_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"met_at" timestamp with time zone,
	"breached_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "clock_policies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"source" text NOT NULL,
	"clocks" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "policy_key" text;--> statement-breakpoint
ALTER TABLE "case_clocks" ADD CONSTRAINT "case_clocks_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_clocks" ADD CONSTRAINT "case_clocks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clock_policies" ADD CONSTRAINT "clock_policies_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_clocks_org_case_idx" ON "case_clocks" USING btree ("organisation_id","case_id");--> statement-breakpoint
CREATE INDEX "case_clocks_due_idx" ON "case_clocks" USING btree ("next_fire_at") WHERE next_fire_at IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "clock_policies_org_key_uq" ON "clock_policies" USING btree ("organisation_id","key");