ALTER TABLE "survey_invitations" ADD COLUMN "reminder_token_hash" text;--> statement-breakpoint
ALTER TABLE "surveys" ADD COLUMN "public_token_hash" text;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_reminder_token_hash_unique" UNIQUE("reminder_token_hash");--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_public_token_hash_unique" UNIQUE("public_token_hash");