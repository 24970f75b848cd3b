CREATE TABLE "survey_drafts" (
	"organisation_id" uuid NOT NULL,
	"invitation_id" uuid NOT NULL,
	"answers" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "survey_responses" ADD COLUMN "verbatim" text;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD COLUMN "sentiment" real;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD COLUMN "themes" jsonb;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD COLUMN "text_analysis" jsonb;--> statement-breakpoint
ALTER TABLE "survey_drafts" ADD CONSTRAINT "survey_drafts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_drafts" ADD CONSTRAINT "survey_drafts_invitation_id_survey_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."survey_invitations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_drafts_org_invitation_uq" ON "survey_drafts" USING btree ("organisation_id","invitation_id");--> statement-breakpoint
CREATE INDEX "survey_responses_unanalysed_idx" ON "survey_responses" USING btree ("created_at") WHERE text_analysis IS NULL;