CREATE TABLE "report_survey_daily" (
	"organisation_id" uuid NOT NULL,
	"day" date NOT NULL,
	"unit_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"care_n" integer NOT NULL,
	"care_sum" double precision NOT NULL,
	"care_sum_squares" double precision NOT NULL,
	"nps_n" integer NOT NULL,
	"promoters" integer NOT NULL,
	"detractors" integer NOT NULL,
	"pair_n" integer NOT NULL,
	"pair_care" double precision NOT NULL,
	"pair_propensity" double precision NOT NULL,
	"pair_care_squares" double precision NOT NULL,
	"pair_propensity_squares" double precision NOT NULL,
	"pair_products" double precision NOT NULL,
	CONSTRAINT "report_survey_daily_organisation_id_day_unit_id_survey_id_pk" PRIMARY KEY("organisation_id","day","unit_id","survey_id")
);
--> statement-breakpoint
ALTER TABLE "report_watermarks" ADD COLUMN "rollup_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "report_survey_daily" ADD CONSTRAINT "report_survey_daily_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_daily_org_dimension_day_idx" ON "report_daily" USING btree ("organisation_id","dimension","day");--> statement-breakpoint
-- Hand-written: the survey rollup is kept by a trigger, so every writer of survey_responses keeps it exact.
CREATE OR REPLACE FUNCTION report_survey_daily_add(r survey_responses, sign integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO report_survey_daily AS d (organisation_id, day, unit_id, survey_id, care_n, care_sum, care_sum_squares, nps_n, promoters, detractors,
    pair_n, pair_care, pair_propensity, pair_care_squares, pair_propensity_squares, pair_products)
  VALUES (r.organisation_id, (r.created_at AT TIME ZONE 'UTC')::date, coalesce(r.unit_id, '00000000-0000-0000-0000-000000000000'::uuid), r.survey_id,
    sign * (r.care IS NOT NULL)::int, sign * coalesce(r.care::float8, 0), sign * coalesce(r.care::float8 * r.care::float8, 0),
    sign * (r.nps IS NOT NULL)::int, sign * coalesce((r.nps >= 9)::int, 0), sign * coalesce((r.nps <= 6)::int, 0),
    sign * coalesce((r.care IS NOT NULL AND r.propensity IS NOT NULL)::int, 0),
    sign * coalesce(r.care::float8 + 0 * r.propensity::float8, 0), sign * coalesce(r.propensity::float8 + 0 * r.care::float8, 0),
    sign * coalesce(r.care::float8 * r.care::float8 + 0 * r.propensity::float8, 0), sign * coalesce(r.propensity::float8 * r.propensity::float8 + 0 * r.care::float8, 0),
    sign * coalesce(r.care::float8 * r.propensity::float8, 0))
  ON CONFLICT (organisation_id, day, unit_id, survey_id) DO UPDATE SET
    care_n = d.care_n + excluded.care_n, care_sum = d.care_sum + excluded.care_sum, care_sum_squares = d.care_sum_squares + excluded.care_sum_squares,
    nps_n = d.nps_n + excluded.nps_n, promoters = d.promoters + excluded.promoters, detractors = d.detractors + excluded.detractors,
    pair_n = d.pair_n + excluded.pair_n, pair_care = d.pair_care + excluded.pair_care, pair_propensity = d.pair_propensity + excluded.pair_propensity,
    pair_care_squares = d.pair_care_squares + excluded.pair_care_squares, pair_propensity_squares = d.pair_propensity_squares + excluded.pair_propensity_squares,
    pair_products = d.pair_products + excluded.pair_products
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_survey_daily_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM report_survey_daily_add(OLD, -1); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM report_survey_daily_add(NEW, 1); END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_survey_daily_sync AFTER INSERT OR DELETE OR UPDATE OF organisation_id, survey_id, unit_id, created_at, care, propensity, nps
  ON survey_responses FOR EACH ROW EXECUTE FUNCTION report_survey_daily_sync();
--> statement-breakpoint
INSERT INTO report_survey_daily (organisation_id, day, unit_id, survey_id, care_n, care_sum, care_sum_squares, nps_n, promoters, detractors,
  pair_n, pair_care, pair_propensity, pair_care_squares, pair_propensity_squares, pair_products)
SELECT organisation_id, (created_at AT TIME ZONE 'UTC')::date, coalesce(unit_id, '00000000-0000-0000-0000-000000000000'::uuid), survey_id,
  count(care), coalesce(sum(care::float8), 0), coalesce(sum(care::float8 * care::float8), 0),
  count(nps), count(*) FILTER (WHERE nps >= 9), count(*) FILTER (WHERE nps <= 6),
  count(*) FILTER (WHERE care IS NOT NULL AND propensity IS NOT NULL),
  coalesce(sum(care::float8) FILTER (WHERE propensity IS NOT NULL), 0), coalesce(sum(propensity::float8) FILTER (WHERE care IS NOT NULL), 0),
  coalesce(sum(care::float8 * care::float8) FILTER (WHERE propensity IS NOT NULL), 0), coalesce(sum(propensity::float8 * propensity::float8) FILTER (WHERE care IS NOT NULL), 0),
  coalesce(sum(care::float8 * propensity::float8), 0)
FROM survey_responses GROUP BY 1, 2, 3, 4;
