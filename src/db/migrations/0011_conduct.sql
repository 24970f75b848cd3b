CREATE TABLE "conduct_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"practice_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"delegate_id" uuid NOT NULL,
	"created_by" uuid,
	"deadline" timestamp with time zone NOT NULL,
	"priority" text NOT NULL,
	"expected_effect" text NOT NULL,
	"status" text NOT NULL,
	"required" boolean NOT NULL,
	"source_kind" text NOT NULL,
	"source" jsonb NOT NULL,
	"assessment_id" uuid,
	"done_at" timestamp with time zone,
	"done_note" text,
	"verified_at" timestamp with time zone,
	"verified_by" uuid,
	"verify_score" integer,
	"escalated_at" timestamp with time zone,
	"next_reminder_at" timestamp with time zone,
	"escalated_to_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conduct_assessments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"cycle_id" uuid NOT NULL,
	"practice_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"state" text NOT NULL,
	"self_score" integer,
	"rationale" text,
	"reviewer_score" integer,
	"review_comment" text,
	"not_applicable_reason" text,
	"carried_from_id" uuid,
	"submitted_by" uuid,
	"submitted_at" timestamp with time zone,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conduct_cycles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"framework_id" uuid NOT NULL,
	"framework_version" integer NOT NULL,
	"name" text NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"previous_cycle_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "conduct_evidence" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"status" text NOT NULL,
	"expires_at" timestamp with time zone,
	"url" text,
	"note" text,
	"filename" text,
	"content_type" text,
	"size" integer,
	"sha256" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conduct_evidence_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"evidence_id" uuid NOT NULL,
	"assessment_id" uuid,
	"action_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conduct_exclusions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"practice_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"justification" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conduct_frameworks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"preset_key" text,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"version" integer NOT NULL,
	"outcomes" jsonb NOT NULL,
	"scale" jsonb NOT NULL,
	"threshold" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conduct_practices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"framework_id" uuid NOT NULL,
	"outcome_key" text NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"guidance" text NOT NULL,
	"example_evidence" jsonb NOT NULL,
	"unit_kinds" jsonb NOT NULL,
	"critical" boolean NOT NULL,
	"active" boolean NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conduct_reminders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"key" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conduct_snapshots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"cycle_id" uuid NOT NULL,
	"day" text NOT NULL,
	"score" real,
	"capped" boolean NOT NULL,
	"share_below_threshold" real NOT NULL,
	"red_cells" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conduct_actions" ADD CONSTRAINT "conduct_actions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_actions" ADD CONSTRAINT "conduct_actions_practice_id_conduct_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."conduct_practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_actions" ADD CONSTRAINT "conduct_actions_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_actions" ADD CONSTRAINT "conduct_actions_delegate_id_users_id_fk" FOREIGN KEY ("delegate_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_assessments" ADD CONSTRAINT "conduct_assessments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_assessments" ADD CONSTRAINT "conduct_assessments_cycle_id_conduct_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."conduct_cycles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_assessments" ADD CONSTRAINT "conduct_assessments_practice_id_conduct_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."conduct_practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_assessments" ADD CONSTRAINT "conduct_assessments_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_cycles" ADD CONSTRAINT "conduct_cycles_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_cycles" ADD CONSTRAINT "conduct_cycles_framework_id_conduct_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."conduct_frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_cycles" ADD CONSTRAINT "conduct_cycles_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_evidence" ADD CONSTRAINT "conduct_evidence_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_evidence" ADD CONSTRAINT "conduct_evidence_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_evidence" ADD CONSTRAINT "conduct_evidence_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_evidence_links" ADD CONSTRAINT "conduct_evidence_links_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_evidence_links" ADD CONSTRAINT "conduct_evidence_links_evidence_id_conduct_evidence_id_fk" FOREIGN KEY ("evidence_id") REFERENCES "public"."conduct_evidence"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_evidence_links" ADD CONSTRAINT "conduct_evidence_links_assessment_id_conduct_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."conduct_assessments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_exclusions" ADD CONSTRAINT "conduct_exclusions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_exclusions" ADD CONSTRAINT "conduct_exclusions_practice_id_conduct_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."conduct_practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_exclusions" ADD CONSTRAINT "conduct_exclusions_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_exclusions" ADD CONSTRAINT "conduct_exclusions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_frameworks" ADD CONSTRAINT "conduct_frameworks_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_practices" ADD CONSTRAINT "conduct_practices_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_practices" ADD CONSTRAINT "conduct_practices_framework_id_conduct_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."conduct_frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_reminders" ADD CONSTRAINT "conduct_reminders_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_snapshots" ADD CONSTRAINT "conduct_snapshots_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_snapshots" ADD CONSTRAINT "conduct_snapshots_cycle_id_conduct_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."conduct_cycles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conduct_actions_org_status_deadline_idx" ON "conduct_actions" USING btree ("organisation_id","status","deadline");--> statement-breakpoint
CREATE INDEX "conduct_actions_org_delegate_idx" ON "conduct_actions" USING btree ("organisation_id","delegate_id","status");--> statement-breakpoint
CREATE INDEX "conduct_actions_org_practice_unit_idx" ON "conduct_actions" USING btree ("organisation_id","practice_id","unit_id");--> statement-breakpoint
CREATE INDEX "conduct_actions_reminder_due_idx" ON "conduct_actions" USING btree ("next_reminder_at") WHERE status = 'open' AND next_reminder_at IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "conduct_assessments_org_cycle_practice_unit_uq" ON "conduct_assessments" USING btree ("organisation_id","cycle_id","practice_id","unit_id");--> statement-breakpoint
CREATE INDEX "conduct_assessments_org_cycle_unit_idx" ON "conduct_assessments" USING btree ("organisation_id","cycle_id","unit_id");--> statement-breakpoint
CREATE INDEX "conduct_assessments_org_practice_unit_idx" ON "conduct_assessments" USING btree ("organisation_id","practice_id","unit_id");--> statement-breakpoint
CREATE INDEX "conduct_cycles_org_framework_idx" ON "conduct_cycles" USING btree ("organisation_id","framework_id","created_at");--> statement-breakpoint
CREATE INDEX "conduct_evidence_org_unit_idx" ON "conduct_evidence" USING btree ("organisation_id","unit_id","created_at");--> statement-breakpoint
CREATE INDEX "conduct_evidence_org_expiry_idx" ON "conduct_evidence" USING btree ("organisation_id","expires_at") WHERE expires_at IS NOT NULL AND status <> 'expired';--> statement-breakpoint
CREATE INDEX "conduct_evidence_links_org_evidence_idx" ON "conduct_evidence_links" USING btree ("organisation_id","evidence_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conduct_evidence_links_org_assessment_uq" ON "conduct_evidence_links" USING btree ("organisation_id","assessment_id","evidence_id") WHERE assessment_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "conduct_evidence_links_org_action_uq" ON "conduct_evidence_links" USING btree ("organisation_id","action_id","evidence_id") WHERE action_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "conduct_exclusions_org_practice_unit_uq" ON "conduct_exclusions" USING btree ("organisation_id","practice_id","unit_id");--> statement-breakpoint
CREATE INDEX "conduct_frameworks_org_idx" ON "conduct_frameworks" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "conduct_practices_org_framework_idx" ON "conduct_practices" USING btree ("organisation_id","framework_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conduct_practices_org_framework_code_uq" ON "conduct_practices" USING btree ("organisation_id","framework_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "conduct_reminders_org_subject_key_uq" ON "conduct_reminders" USING btree ("organisation_id","subject_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "conduct_snapshots_org_cycle_day_uq" ON "conduct_snapshots" USING btree ("organisation_id","cycle_id","day");