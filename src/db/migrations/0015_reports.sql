CREATE TABLE "report_case_facts" (
	"organisation_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"product" text,
	"category" text,
	"channel" text NOT NULL,
	"vulnerable" boolean NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"received_day" date NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_day" date,
	"outcome" text,
	"calendar_days" integer,
	"business_days" integer,
	"within_8_weeks" boolean,
	"redress_amount" numeric(14, 2),
	"redress_kind" text,
	"reopen_count" integer NOT NULL,
	"clocks" text[] NOT NULL,
	"breached_clocks" text[] NOT NULL,
	"phrases" text[] NOT NULL,
	CONSTRAINT "report_case_facts_organisation_id_case_id_pk" PRIMARY KEY("organisation_id","case_id")
);
--> statement-breakpoint
CREATE TABLE "report_commentaries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"unit_key" text NOT NULL,
	"headline" text NOT NULL,
	"risks" text NOT NULL,
	"actions" text NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_daily" (
	"organisation_id" uuid NOT NULL,
	"day" date NOT NULL,
	"unit_id" uuid NOT NULL,
	"dimension" text NOT NULL,
	"value" text NOT NULL,
	"received" integer NOT NULL,
	"resolved" integer NOT NULL,
	"resolved_within_3bd" integer NOT NULL,
	"resolved_within_8w" integer NOT NULL,
	"upheld" integer NOT NULL,
	"reopened" integer NOT NULL,
	"open_now" integer DEFAULT 0 NOT NULL,
	"redress_compensation" numeric(16, 2) NOT NULL,
	"redress_refund" numeric(16, 2) NOT NULL,
	"redress_goodwill" numeric(16, 2) NOT NULL,
	"redress_interest" numeric(16, 2) NOT NULL,
	"clock_counts" text[] NOT NULL,
	"breach_counts" text[] NOT NULL,
	"calendar_histogram" integer[],
	"business_histogram" integer[],
	CONSTRAINT "report_daily_organisation_id_day_dimension_unit_id_value_pk" PRIMARY KEY("organisation_id","day","dimension","unit_id","value")
);
--> statement-breakpoint
CREATE TABLE "report_subscriptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"frequency" text NOT NULL,
	"unit_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_period" text
);
--> statement-breakpoint
CREATE TABLE "report_watermarks" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"last_event_id" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "attachments" jsonb;--> statement-breakpoint
ALTER TABLE "report_case_facts" ADD CONSTRAINT "report_case_facts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_commentaries" ADD CONSTRAINT "report_commentaries_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_commentaries" ADD CONSTRAINT "report_commentaries_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_daily" ADD CONSTRAINT "report_daily_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_subscriptions" ADD CONSTRAINT "report_subscriptions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_subscriptions" ADD CONSTRAINT "report_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_subscriptions" ADD CONSTRAINT "report_subscriptions_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_watermarks" ADD CONSTRAINT "report_watermarks_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_case_facts_org_received_idx" ON "report_case_facts" USING btree ("organisation_id","received_day");--> statement-breakpoint
CREATE INDEX "report_case_facts_org_resolved_idx" ON "report_case_facts" USING btree ("organisation_id","resolved_day");--> statement-breakpoint
CREATE UNIQUE INDEX "report_commentaries_org_period_unit_uq" ON "report_commentaries" USING btree ("organisation_id","period_from","period_to","unit_key");--> statement-breakpoint
CREATE UNIQUE INDEX "report_subscriptions_org_user_freq_uq" ON "report_subscriptions" USING btree ("organisation_id","user_id","frequency");