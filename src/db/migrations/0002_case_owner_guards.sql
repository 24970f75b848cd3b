-- The owner invariant, enforced by the database as well as the service:
-- a case's owner is always an active user of the same organisation.
CREATE OR REPLACE FUNCTION trustdesk_check_case_owner() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM users u
    WHERE u.id = NEW.owner_id AND u.organisation_id = NEW.organisation_id AND u.active
  ) THEN
    RAISE EXCEPTION 'case owner % is not an active user of the organisation', NEW.owner_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER cases_owner_active
  BEFORE INSERT OR UPDATE OF owner_id ON cases
  FOR EACH ROW EXECUTE FUNCTION trustdesk_check_case_owner();
--> statement-breakpoint
-- A user who still owns open cases cannot be deactivated: the service reassigns them first.
CREATE OR REPLACE FUNCTION trustdesk_check_user_deactivation() RETURNS trigger AS $$
BEGIN
  IF OLD.active AND NOT NEW.active AND EXISTS (
    SELECT 1 FROM cases c
    WHERE c.organisation_id = NEW.organisation_id AND c.owner_id = NEW.id AND c.status IN ('open', 'waiting_customer')
  ) THEN
    RAISE EXCEPTION 'user % still owns open cases', NEW.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER users_deactivation_guard
  BEFORE UPDATE OF active ON users
  FOR EACH ROW EXECUTE FUNCTION trustdesk_check_user_deactivation();
