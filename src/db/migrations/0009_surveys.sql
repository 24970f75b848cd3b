CREATE TABLE "survey_invitations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"segment" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"send_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"responded_at" timestamp with time zone,
	CONSTRAINT "survey_invitations_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"invitation_id" uuid,
	"answers" jsonb NOT NULL,
	"care" real,
	"propensity" real,
	"nps" real,
	"csat" real,
	"ces" real,
	"unit_id" uuid,
	"product" text,
	"channel" text,
	"touchpoint" text NOT NULL,
	"case_id" uuid,
	"follow_up_case_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "survey_responses_invitation_id_unique" UNIQUE("invitation_id")
);
--> statement-breakpoint
CREATE TABLE "survey_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"questions" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"audience" text NOT NULL,
	"touchpoint" text NOT NULL,
	"status" text NOT NULL,
	"current_version" integer NOT NULL,
	"settings" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_versions" ADD CONSTRAINT "survey_versions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_versions" ADD CONSTRAINT "survey_versions_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "survey_invitations_org_survey_idx" ON "survey_invitations" USING btree ("organisation_id","survey_id");--> statement-breakpoint
CREATE INDEX "survey_invitations_org_email_idx" ON "survey_invitations" USING btree ("organisation_id","email","created_at");--> statement-breakpoint
CREATE INDEX "survey_invitations_send_idx" ON "survey_invitations" USING btree ("send_at") WHERE sent_at IS NULL;--> statement-breakpoint
CREATE INDEX "survey_responses_org_survey_created_idx" ON "survey_responses" USING btree ("organisation_id","survey_id","created_at");--> statement-breakpoint
CREATE INDEX "survey_responses_org_unit_idx" ON "survey_responses" USING btree ("organisation_id","unit_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_versions_org_survey_version_uq" ON "survey_versions" USING btree ("organisation_id","survey_id","version");--> statement-breakpoint
CREATE INDEX "surveys_org_status_idx" ON "surveys" USING btree ("organisation_id","status");