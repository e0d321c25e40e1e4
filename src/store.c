#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "i18n.h"
#include "jsonv.h"
#include "store.h"
#include "util.h"

struct bs_store {
    bs_db *db;         /* owned */
};

/* Migration i brings the schema from version i to i + 1. Never edit a
 * released entry: add a new one. */
static const char *const migrations[] = {
    // 1: companies, experts, engagements, visits, tasks, the event log.
    "CREATE TABLE company ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  industry TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  employees INTEGER,"
    "  capital INTEGER,"
    "  prefecture TEXT,"
    "  contact_name TEXT,"
    "  contact_role TEXT,"
    "  staffing TEXT,"
    "  security_action TEXT,"
    "  notes TEXT,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    "CREATE TABLE expert ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  created_at TEXT NOT NULL);"
    // One row per qualification, region, theme or industry of an expert.
    "CREATE TABLE expert_tag ("
    "  expert_id INTEGER NOT NULL REFERENCES expert(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('qualifications','regions','themes','industries')),"
    "  pos INTEGER NOT NULL,"
    "  value TEXT NOT NULL,"
    "  PRIMARY KEY (expert_id, kind, pos));"
    "CREATE TABLE engagement ("
    "  id INTEGER PRIMARY KEY,"
    "  company_id INTEGER NOT NULL REFERENCES company(id),"
    "  expert_id INTEGER NOT NULL REFERENCES expert(id),"
    "  theme TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('matched','active','completed','terminated')),"
    "  reason TEXT,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    "CREATE TABLE visit ("
    "  engagement_id INTEGER NOT NULL REFERENCES engagement(id),"
    "  n INTEGER NOT NULL CHECK (n >= 1),"
    "  state TEXT NOT NULL CHECK (state IN ('pending','planned','prepared','held','reported')),"
    "  planned_date TEXT,"
    "  held_date TEXT,"
    "  attendees TEXT,"
    "  notes TEXT,"
    "  reported_at TEXT,"
    "  PRIMARY KEY (engagement_id, n));"
    "CREATE TABLE task ("
    "  engagement_id INTEGER NOT NULL REFERENCES engagement(id),"
    "  theme TEXT NOT NULL,"
    "  visit INTEGER NOT NULL,"
    "  item TEXT NOT NULL,"
    "  done_at TEXT NOT NULL,"
    "  PRIMARY KEY (engagement_id, theme, item));"
    "CREATE TABLE event ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  company_id INTEGER,"
    "  engagement_id INTEGER,"
    "  kind TEXT NOT NULL,"
    "  detail TEXT);"
    "CREATE INDEX event_engagement ON event(engagement_id);"
    "CREATE TRIGGER event_no_update BEFORE UPDATE ON event"
    "  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;"
    "CREATE TRIGGER event_no_delete BEFORE DELETE ON event"
    "  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;",
    // 2: rows imported from worksheets, one JSON object per row.
    "CREATE TABLE record ("
    "  engagement_id INTEGER NOT NULL REFERENCES engagement(id),"
    "  sheet TEXT NOT NULL,"
    "  seq INTEGER NOT NULL,"
    "  data TEXT NOT NULL CHECK (json_valid(data)),"
    "  imported_at TEXT NOT NULL,"
    "  PRIMARY KEY (engagement_id, sheet, seq));",
    // 3: generated documents, so that a file edited since can be told.
    "CREATE TABLE document ("
    "  engagement_id INTEGER NOT NULL REFERENCES engagement(id),"
    "  path TEXT NOT NULL,"
    "  doc TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  visit INTEGER,"
    "  template TEXT,"
    "  sha256 TEXT NOT NULL,"
    "  generated_at TEXT NOT NULL,"
    "  PRIMARY KEY (engagement_id, path));",
    // 4: the theme variant(s) chosen for an engagement: NULL follows the
    // company's industry and size; '' is the standard edition; else ids
    // joined by ','.
    "ALTER TABLE engagement ADD COLUMN variant TEXT;",
    // 5: a company's engagements found without reading them all (every
    // context reads the records of the company's other engagements).
    "CREATE INDEX engagement_company ON engagement(company_id);",
    // 6: the dates documents carry: when a visit's pack was prepared, and
    // when the engagement ended (completed or terminated), either given
    // with --date when an engagement is recorded after the fact.
    "ALTER TABLE visit ADD COLUMN prepared_date TEXT;"
    "ALTER TABLE engagement ADD COLUMN ended_on TEXT;",
    // 7: what a visit plan and a report say: a visit's time, place and
    // whether it is held online; what the expert found, the issues raised
    // and what was agreed; the expert's contact; the expert's findings of
    // the whole engagement for the final report.
    "ALTER TABLE visit ADD COLUMN time_from TEXT;"
    "ALTER TABLE visit ADD COLUMN time_to TEXT;"
    "ALTER TABLE visit ADD COLUMN place TEXT;"
    "ALTER TABLE visit ADD COLUMN online INTEGER;"
    "ALTER TABLE visit ADD COLUMN findings TEXT;"
    "ALTER TABLE visit ADD COLUMN issues TEXT;"
    "ALTER TABLE visit ADD COLUMN agreed TEXT;"
    "ALTER TABLE expert ADD COLUMN phone TEXT;"
    "ALTER TABLE expert ADD COLUMN email TEXT;"
    "ALTER TABLE expert ADD COLUMN affiliation TEXT;"
    "ALTER TABLE engagement ADD COLUMN findings TEXT;",
    // 8: documents of the programme rather than of one engagement (the
    // secretariat's overall schedule), so that an edit to one is told too.
    "CREATE TABLE programme_document ("
    "  path TEXT PRIMARY KEY,"
    "  doc TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  generated_at TEXT NOT NULL);",
    // 9: a document's kind: NULL for the file bansou wrote (DOCX or XLSX),
    // 'pdf' for the PDF converted from it, kept beside it under the same
    // doc id so that an edit to either is told.
    "ALTER TABLE document ADD COLUMN kind TEXT;",
    // 10: the bytes of the documents that go to the secretariat (a visit's
    // report, the final report), once per content, by their hash.
    "CREATE TABLE document_content ("
    "  sha256 TEXT PRIMARY KEY,"
    "  size INTEGER NOT NULL,"
    "  bytes BLOB NOT NULL);",
    // 11: who added a company, which decides on a server who may see it
    // before it is engaged; kept here too so that both schemas have the
    // same columns and a workspace can move to a server as it is.
    "ALTER TABLE company ADD COLUMN added_by TEXT;",
    // 12: the expert's overall questionnaire, once per expert and fiscal
    // year (not of one engagement): its rows as imported, one JSON list.
    "CREATE TABLE survey_overall ("
    "  expert_id INTEGER NOT NULL REFERENCES expert(id),"
    "  fiscal_year INTEGER NOT NULL,"
    "  data TEXT NOT NULL CHECK (json_valid(data)),"
    "  imported_at TEXT NOT NULL,"
    "  PRIMARY KEY (expert_id, fiscal_year));",
    // 13: the expert pool (アクティブリスト): registration, affiliation,
    // residence, fee, self-PR and whether the expert is listed (with the
    // reason when not); company sizes, support forms and periods as tags;
    // the answers of the skill survey, one JSON map per expert.
    "ALTER TABLE expert ADD COLUMN reg_no TEXT;"
    "ALTER TABLE expert ADD COLUMN reg_year INTEGER;"
    "ALTER TABLE expert ADD COLUMN affiliation_kind TEXT;"
    "ALTER TABLE expert ADD COLUMN residence TEXT;"
    "ALTER TABLE expert ADD COLUMN fee TEXT;"
    "ALTER TABLE expert ADD COLUMN self_pr TEXT;"
    "ALTER TABLE expert ADD COLUMN listed INTEGER;"
    "ALTER TABLE expert ADD COLUMN unlisted TEXT;"
    "CREATE TABLE expert_tag_new ("
    "  expert_id INTEGER NOT NULL REFERENCES expert(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('qualifications','regions','themes','industries',"
    "    'sizes','forms','periods')),"
    "  pos INTEGER NOT NULL,"
    "  value TEXT NOT NULL,"
    "  PRIMARY KEY (expert_id, kind, pos));"
    "INSERT INTO expert_tag_new SELECT expert_id, kind, pos, value FROM expert_tag;"
    "DROP TABLE expert_tag;"
    "ALTER TABLE expert_tag_new RENAME TO expert_tag;"
    "CREATE TABLE expert_skill ("
    "  expert_id INTEGER PRIMARY KEY REFERENCES expert(id),"
    "  data TEXT NOT NULL CHECK (json_valid(data)),"
    "  source TEXT NOT NULL,"
    "  answered_at TEXT,"
    "  imported_at TEXT NOT NULL);",
    // 14: a company's application to the programme, once per fiscal year:
    // what the call asks it to declare (SECURITY ACTION, whether a basic
    // policy exists, earlier participation, consent to the terms).
    "CREATE TABLE application ("
    "  company_id INTEGER NOT NULL REFERENCES company(id),"
    "  fiscal_year INTEGER NOT NULL,"
    "  applied_on TEXT NOT NULL,"
    "  security_action TEXT,"
    "  has_policy INTEGER,"
    "  earlier INTEGER,"
    "  consent INTEGER,"
    "  via TEXT,"
    "  notes TEXT,"
    "  recorded_at TEXT NOT NULL,"
    "  PRIMARY KEY (company_id, fiscal_year));",
    // 15: consultation sessions (相談会): the day, region, venue and
    // co-hosting chamber, the rounds of individual consultations
    // ("14:50-15:10,15:15-15:35"), an expert per booth; a consultation is
    // a company booked into a round and booth, the expert's record of it
    // and its outcome: an engagement (linked) or a decline with its reason.
    "CREATE TABLE consult_session ("
    "  id INTEGER PRIMARY KEY,"
    "  held_on TEXT NOT NULL,"
    "  region TEXT NOT NULL,"
    "  venue TEXT NOT NULL,"
    "  chamber TEXT,"
    "  rounds TEXT NOT NULL,"
    "  notes TEXT,"
    "  created_at TEXT NOT NULL);"
    "CREATE TABLE consult_booth ("
    "  session_id INTEGER NOT NULL REFERENCES consult_session(id),"
    "  booth INTEGER NOT NULL,"
    "  expert_id INTEGER NOT NULL REFERENCES expert(id),"
    "  PRIMARY KEY (session_id, booth));"
    "CREATE TABLE consultation ("
    "  id INTEGER PRIMARY KEY,"
    "  session_id INTEGER NOT NULL REFERENCES consult_session(id),"
    "  round INTEGER NOT NULL,"
    "  booth INTEGER NOT NULL,"
    "  company_id INTEGER NOT NULL REFERENCES company(id),"
    "  expert_id INTEGER NOT NULL REFERENCES expert(id),"
    "  asked TEXT,"
    "  topics TEXT,"
    "  advice TEXT,"
    "  wish INTEGER,"
    "  wished_theme TEXT,"
    "  wished_dates TEXT,"
    "  proposed_theme TEXT,"
    "  outcome TEXT CHECK (outcome IN ('engaged', 'declined')),"
    "  decline_reason TEXT,"
    "  decline_detail TEXT,"
    "  engagement_id INTEGER REFERENCES engagement(id),"
    "  booked_at TEXT NOT NULL,"
    "  recorded_at TEXT,"
    "  UNIQUE (session_id, round, booth),"
    "  UNIQUE (session_id, company_id));",
    // 16: a cancelled booking's id is never given again (the log names
    // consultations by id), as the server's identity columns never do.
    "CREATE TABLE consultation_new ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  session_id INTEGER NOT NULL REFERENCES consult_session(id),"
    "  round INTEGER NOT NULL,"
    "  booth INTEGER NOT NULL,"
    "  company_id INTEGER NOT NULL REFERENCES company(id),"
    "  expert_id INTEGER NOT NULL REFERENCES expert(id),"
    "  asked TEXT,"
    "  topics TEXT,"
    "  advice TEXT,"
    "  wish INTEGER,"
    "  wished_theme TEXT,"
    "  wished_dates TEXT,"
    "  proposed_theme TEXT,"
    "  outcome TEXT CHECK (outcome IN ('engaged', 'declined')),"
    "  decline_reason TEXT,"
    "  decline_detail TEXT,"
    "  engagement_id INTEGER REFERENCES engagement(id),"
    "  booked_at TEXT NOT NULL,"
    "  recorded_at TEXT,"
    "  UNIQUE (session_id, round, booth),"
    "  UNIQUE (session_id, company_id));"
    "INSERT INTO consultation_new SELECT * FROM consultation;"
    "DROP TABLE consultation;"
    "ALTER TABLE consultation_new RENAME TO consultation;",
};

/* The same migrations on PostgreSQL, entry for entry (the version numbers
 * are shared): the same tables, columns, keys and indexes. Ids are
 * identity columns, integers bigint, and every text column collates as
 * "C" so that ORDER BY and comparisons go byte by byte as on SQLite.
 * record.data is json, not jsonb, which would reorder a row's keys. The
 * event log's triggers raise a constraint error, as SQLite's RAISE(ABORT)
 * does. */
#define T " text COLLATE \"C\""
static const char *const pg_migrations[] = {
    // 1
    "CREATE TABLE company ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  name" T " NOT NULL UNIQUE,"
    "  industry" T " NOT NULL,"
    "  kind" T " NOT NULL,"
    "  employees bigint,"
    "  capital bigint,"
    "  prefecture" T ","
    "  contact_name" T ","
    "  contact_role" T ","
    "  staffing" T ","
    "  security_action" T ","
    "  notes" T ","
    "  created_at" T " NOT NULL,"
    "  updated_at" T " NOT NULL);"
    "CREATE TABLE expert ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  name" T " NOT NULL UNIQUE,"
    "  created_at" T " NOT NULL);"
    "CREATE TABLE expert_tag ("
    "  expert_id bigint NOT NULL REFERENCES expert(id),"
    "  kind" T " NOT NULL CHECK (kind IN ('qualifications','regions','themes','industries')),"
    "  pos bigint NOT NULL,"
    "  value" T " NOT NULL,"
    "  PRIMARY KEY (expert_id, kind, pos));"
    "CREATE TABLE engagement ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  company_id bigint NOT NULL REFERENCES company(id),"
    "  expert_id bigint NOT NULL REFERENCES expert(id),"
    "  theme" T " NOT NULL,"
    "  state" T " NOT NULL CHECK (state IN ('matched','active','completed','terminated')),"
    "  reason" T ","
    "  created_at" T " NOT NULL,"
    "  updated_at" T " NOT NULL);"
    "CREATE TABLE visit ("
    "  engagement_id bigint NOT NULL REFERENCES engagement(id),"
    "  n bigint NOT NULL CHECK (n >= 1),"
    "  state" T " NOT NULL CHECK (state IN ('pending','planned','prepared','held','reported')),"
    "  planned_date" T ","
    "  held_date" T ","
    "  attendees" T ","
    "  notes" T ","
    "  reported_at" T ","
    "  PRIMARY KEY (engagement_id, n));"
    "CREATE TABLE task ("
    "  engagement_id bigint NOT NULL REFERENCES engagement(id),"
    "  theme" T " NOT NULL,"
    "  visit bigint NOT NULL,"
    "  item" T " NOT NULL,"
    "  done_at" T " NOT NULL,"
    "  PRIMARY KEY (engagement_id, theme, item));"
    "CREATE TABLE event ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  at" T " NOT NULL,"
    "  actor" T " NOT NULL,"
    "  company_id bigint,"
    "  engagement_id bigint,"
    "  kind" T " NOT NULL,"
    "  detail" T ");"
    "CREATE INDEX event_engagement ON event(engagement_id);"
    "CREATE FUNCTION event_append_only() RETURNS trigger LANGUAGE plpgsql AS"
    "  $$BEGIN RAISE EXCEPTION 'the event log is append-only'"
    "  USING ERRCODE = 'restrict_violation'; END$$;"
    "CREATE TRIGGER event_no_update BEFORE UPDATE ON event"
    "  FOR EACH ROW EXECUTE FUNCTION event_append_only();"
    "CREATE TRIGGER event_no_delete BEFORE DELETE ON event"
    "  FOR EACH ROW EXECUTE FUNCTION event_append_only();"
    "CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event"
    "  FOR EACH STATEMENT EXECUTE FUNCTION event_append_only();",
    // 2
    "CREATE TABLE record ("
    "  engagement_id bigint NOT NULL REFERENCES engagement(id),"
    "  sheet" T " NOT NULL,"
    "  seq bigint NOT NULL,"
    "  data json NOT NULL,"
    "  imported_at" T " NOT NULL,"
    "  PRIMARY KEY (engagement_id, sheet, seq));",
    // 3
    "CREATE TABLE document ("
    "  engagement_id bigint NOT NULL REFERENCES engagement(id),"
    "  path" T " NOT NULL,"
    "  doc" T " NOT NULL,"
    "  title" T " NOT NULL,"
    "  visit bigint,"
    "  template" T ","
    "  sha256" T " NOT NULL,"
    "  generated_at" T " NOT NULL,"
    "  PRIMARY KEY (engagement_id, path));",
    // 4
    "ALTER TABLE engagement ADD COLUMN variant" T ";",
    // 5
    "CREATE INDEX engagement_company ON engagement(company_id);",
    // 6
    "ALTER TABLE visit ADD COLUMN prepared_date" T ";"
    "ALTER TABLE engagement ADD COLUMN ended_on" T ";",
    // 7
    "ALTER TABLE visit ADD COLUMN time_from" T ";"
    "ALTER TABLE visit ADD COLUMN time_to" T ";"
    "ALTER TABLE visit ADD COLUMN place" T ";"
    "ALTER TABLE visit ADD COLUMN online integer;"
    "ALTER TABLE visit ADD COLUMN findings" T ";"
    "ALTER TABLE visit ADD COLUMN issues" T ";"
    "ALTER TABLE visit ADD COLUMN agreed" T ";"
    "ALTER TABLE expert ADD COLUMN phone" T ";"
    "ALTER TABLE expert ADD COLUMN email" T ";"
    "ALTER TABLE expert ADD COLUMN affiliation" T ";"
    "ALTER TABLE engagement ADD COLUMN findings" T ";",
    // 8
    "CREATE TABLE programme_document ("
    "  path" T " PRIMARY KEY,"
    "  doc" T " NOT NULL,"
    "  title" T " NOT NULL,"
    "  sha256" T " NOT NULL,"
    "  generated_at" T " NOT NULL);",
    // 9
    "ALTER TABLE document ADD COLUMN kind" T ";",
    // 10: the stored bytes must be those their hash names, so that nobody
    // can put other bytes under the hash of a report yet to come.
    "CREATE TABLE document_content ("
    "  sha256" T " PRIMARY KEY CHECK (sha256 = encode(sha256(bytes), 'hex')),"
    "  size bigint NOT NULL CHECK (size = octet_length(bytes)),"
    "  bytes bytea NOT NULL);",
    // 11: users and what each may see, enforced by the server (see
    // docs/design-notes.md, "Roles on the server"). The database's owner
    // (who ran init) is not subject to the policies. Two group roles carry
    // the privileges; bansou_user says which login is the secretariat or
    // which expert, and every policy asks it, so that a member of a group
    // of another database of the same cluster sees nothing here.
    "DO $$BEGIN"
    "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bansou_secretariat') THEN"
    "    CREATE ROLE bansou_secretariat NOLOGIN; END IF;"
    "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bansou_expert') THEN"
    "    CREATE ROLE bansou_expert NOLOGIN; END IF;"
    "  EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());"
    "END$$;"
    "CREATE TABLE bansou_user ("
    "  login" T " PRIMARY KEY,"
    "  role" T " NOT NULL CHECK (role IN ('secretariat','expert')),"
    "  expert_id bigint REFERENCES expert(id),"
    "  created_at" T " NOT NULL,"
    "  CHECK ((role = 'expert') = (expert_id IS NOT NULL)));"
    "ALTER TABLE company ADD COLUMN added_by" T " DEFAULT session_user;"
    "CREATE FUNCTION bansou_my_expert() RETURNS bigint LANGUAGE sql STABLE"
    "  SECURITY DEFINER SET search_path FROM CURRENT AS"
    "  $$SELECT expert_id FROM bansou_user WHERE login = session_user AND role = 'expert'$$;"
    // The companies an expert may see: those they added or are engaged
    // with. Asked with the owner's rights, so that the policies of company
    // and engagement, which ask it, do not run into each other.
    "CREATE FUNCTION bansou_my_companies() RETURNS SETOF bigint LANGUAGE sql STABLE"
    "  SECURITY DEFINER SET search_path FROM CURRENT AS"
    "  $$SELECT id FROM company WHERE added_by = session_user"
    "    UNION SELECT company_id FROM engagement WHERE expert_id = bansou_my_expert()$$;"
    "CREATE FUNCTION bansou_is_secretariat() RETURNS boolean LANGUAGE sql STABLE"
    "  SECURITY DEFINER SET search_path FROM CURRENT AS"
    "  $$SELECT EXISTS (SELECT FROM bansou_user"
    "    WHERE login = session_user AND role = 'secretariat')$$;"
    // The actor of an event is the database user, whatever the client
    // says; only the owner (an administrator's scripts, a migration) names
    // someone else.
    "CREATE FUNCTION bansou_event_actor() RETURNS trigger LANGUAGE plpgsql AS"
    "  $$BEGIN"
    "    IF NOT pg_has_role(session_user,"
    "        (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN"
    "      NEW.actor := session_user; END IF;"
    "    RETURN NEW; END$$;"
    "CREATE TRIGGER event_actor BEFORE INSERT ON event"
    "  FOR EACH ROW EXECUTE FUNCTION bansou_event_actor();"
    // A login for a user: the role made when it does not exist yet (with
    // the password's verifier, never the password), in its group, allowed
    // to connect to this database, and entered in bansou_user. True when
    // the role was made.
    "CREATE FUNCTION bansou_user_add(p_login text, p_role text, p_expert bigint,"
    "    p_verifier text, p_at text) RETURNS boolean LANGUAGE plpgsql AS"
    "  $$DECLARE made boolean := false;"
    "  BEGIN"
    "    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = p_login) THEN"
    "      EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_login, p_verifier);"
    "      made := true; END IF;"
    "    EXECUTE format('GRANT %I TO %I', 'bansou_' || p_role, p_login);"
    "    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), p_login);"
    "    INSERT INTO bansou_user VALUES (p_login, p_role, p_expert, p_at);"
    "    RETURN made; END$$;"
    // Takes a user's access to this database away; the role itself stays
    // (it may serve another database, and the event log names it).
    "CREATE FUNCTION bansou_user_remove(p_login text) RETURNS boolean LANGUAGE plpgsql AS"
    "  $$BEGIN"
    "    DELETE FROM bansou_user WHERE login = p_login;"
    "    IF NOT FOUND THEN RETURN false; END IF;"
    "    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM %I', current_database(), p_login);"
    "    RETURN true; END$$;"
    "REVOKE EXECUTE ON FUNCTION bansou_user_add(text, text, bigint, text, text),"
    "  bansou_user_remove(text) FROM PUBLIC;"
    "GRANT SELECT ON bansou_schema TO bansou_secretariat, bansou_expert;"
    "GRANT SELECT, INSERT, UPDATE, DELETE ON company, expert, expert_tag, engagement, visit,"
    "  task, record, document, document_content, programme_document TO bansou_secretariat;"
    "GRANT SELECT, INSERT ON event TO bansou_secretariat, bansou_expert;"
    "GRANT SELECT ON bansou_user TO bansou_secretariat;"
    "GRANT SELECT, INSERT, UPDATE ON company, engagement TO bansou_expert;"
    "GRANT SELECT, UPDATE ON expert TO bansou_expert;"
    "GRANT SELECT, INSERT, DELETE ON expert_tag TO bansou_expert;"
    "GRANT SELECT, INSERT ON document_content TO bansou_expert;"
    "GRANT SELECT, INSERT, UPDATE, DELETE ON visit, task, record, document TO bansou_expert;"
    "ALTER TABLE company ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE expert ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE expert_tag ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE engagement ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE visit ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE task ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE record ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE document ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE document_content ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE event ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE programme_document ENABLE ROW LEVEL SECURITY;"
    "CREATE POLICY secretariat ON company USING (bansou_is_secretariat());"
    "CREATE POLICY secretariat ON expert USING (bansou_is_secretariat());"
    "CREATE POLICY secretariat ON expert_tag USING (bansou_is_secretariat());"
    "CREATE POLICY secretariat ON engagement USING (bansou_is_secretariat());"
    "CREATE POLICY secretariat ON document_content USING (bansou_is_secretariat());"
    "CREATE POLICY secretariat ON event USING (bansou_is_secretariat());"
    "CREATE POLICY secretariat ON programme_document USING (bansou_is_secretariat());"
    // An expert sees the pool, and changes only their own entry.
    "CREATE POLICY pool ON expert FOR SELECT USING (bansou_my_expert() IS NOT NULL);"
    "CREATE POLICY own ON expert FOR UPDATE USING (id = bansou_my_expert());"
    "CREATE POLICY pool ON expert_tag FOR SELECT USING (bansou_my_expert() IS NOT NULL);"
    "CREATE POLICY own_add ON expert_tag FOR INSERT WITH CHECK (expert_id = bansou_my_expert());"
    "CREATE POLICY own_drop ON expert_tag FOR DELETE USING (expert_id = bansou_my_expert());"
    // Their own engagements, on companies they can see: never another
    // expert's, never a company found by guessing its id.
    "CREATE POLICY own ON engagement USING (expert_id = bansou_my_expert())"
    "  WITH CHECK (expert_id = bansou_my_expert()"
    "    AND company_id IN (SELECT bansou_my_companies()));"
    "CREATE POLICY own ON company"
    "  USING (added_by = session_user OR id IN (SELECT bansou_my_companies()))"
    "  WITH CHECK (bansou_my_expert() IS NOT NULL);"
    "CREATE POLICY engaged ON visit USING (engagement_id IN (SELECT id FROM engagement));"
    "CREATE POLICY engaged ON task USING (engagement_id IN (SELECT id FROM engagement));"
    "CREATE POLICY engaged ON record USING (engagement_id IN (SELECT id FROM engagement));"
    "CREATE POLICY engaged ON document USING (engagement_id IN (SELECT id FROM engagement));"
    "CREATE POLICY engaged ON document_content FOR SELECT"
    "  USING (sha256 IN (SELECT sha256 FROM document));"
    "CREATE POLICY stored ON document_content FOR INSERT"
    "  WITH CHECK (bansou_my_expert() IS NOT NULL);"
    // Events of their engagements, of the companies they see, and their own.
    "CREATE POLICY own ON event FOR SELECT USING (bansou_my_expert() IS NOT NULL"
    "  AND (engagement_id IN (SELECT id FROM engagement)"
    "    OR (engagement_id IS NULL AND company_id IN (SELECT id FROM company))"
    "    OR actor = session_user));"
    "CREATE POLICY own_add ON event FOR INSERT WITH CHECK (bansou_my_expert() IS NOT NULL"
    "  AND (engagement_id IS NULL OR engagement_id IN (SELECT id FROM engagement))"
    "  AND (company_id IS NULL OR company_id IN (SELECT id FROM company)));",
    // 12: an expert answers and sees their own; the secretariat all.
    "CREATE TABLE survey_overall ("
    "  expert_id bigint NOT NULL REFERENCES expert(id),"
    "  fiscal_year bigint NOT NULL,"
    "  data json NOT NULL,"
    "  imported_at" T " NOT NULL,"
    "  PRIMARY KEY (expert_id, fiscal_year));"
    "GRANT SELECT, INSERT, UPDATE, DELETE ON survey_overall TO bansou_secretariat, bansou_expert;"
    "ALTER TABLE survey_overall ENABLE ROW LEVEL SECURITY;"
    "CREATE POLICY secretariat ON survey_overall USING (bansou_is_secretariat());"
    "CREATE POLICY own ON survey_overall USING (expert_id = bansou_my_expert());",
    // 13: every expert sees the pool and answers for themselves.
    "ALTER TABLE expert ADD COLUMN reg_no" T ";"
    "ALTER TABLE expert ADD COLUMN reg_year bigint;"
    "ALTER TABLE expert ADD COLUMN affiliation_kind" T ";"
    "ALTER TABLE expert ADD COLUMN residence" T ";"
    "ALTER TABLE expert ADD COLUMN fee" T ";"
    "ALTER TABLE expert ADD COLUMN self_pr" T ";"
    "ALTER TABLE expert ADD COLUMN listed bigint;"
    "ALTER TABLE expert ADD COLUMN unlisted" T ";"
    "ALTER TABLE expert_tag DROP CONSTRAINT expert_tag_kind_check;"
    "ALTER TABLE expert_tag ADD CONSTRAINT expert_tag_kind_check CHECK (kind IN"
    "  ('qualifications','regions','themes','industries','sizes','forms','periods'));"
    "CREATE TABLE expert_skill ("
    "  expert_id bigint PRIMARY KEY REFERENCES expert(id),"
    "  data json NOT NULL,"
    "  source" T " NOT NULL,"
    "  answered_at" T ","
    "  imported_at" T " NOT NULL);"
    "GRANT SELECT, INSERT, UPDATE, DELETE ON expert_skill TO bansou_secretariat;"
    "GRANT SELECT, INSERT, UPDATE ON expert_skill TO bansou_expert;"
    "ALTER TABLE expert_skill ENABLE ROW LEVEL SECURITY;"
    "CREATE POLICY secretariat ON expert_skill USING (bansou_is_secretariat());"
    "CREATE POLICY pool ON expert_skill FOR SELECT USING (bansou_my_expert() IS NOT NULL);"
    "CREATE POLICY own_add ON expert_skill FOR INSERT WITH CHECK (expert_id = bansou_my_expert());"
    "CREATE POLICY own_set ON expert_skill FOR UPDATE USING (expert_id = bansou_my_expert());",
    // 14: an expert records and sees the applications of their companies.
    "CREATE TABLE application ("
    "  company_id bigint NOT NULL REFERENCES company(id),"
    "  fiscal_year bigint NOT NULL,"
    "  applied_on" T " NOT NULL,"
    "  security_action" T ","
    "  has_policy bigint,"
    "  earlier bigint,"
    "  consent bigint,"
    "  via" T ","
    "  notes" T ","
    "  recorded_at" T " NOT NULL,"
    "  PRIMARY KEY (company_id, fiscal_year));"
    "GRANT SELECT, INSERT, UPDATE, DELETE ON application TO bansou_secretariat;"
    "GRANT SELECT, INSERT, UPDATE ON application TO bansou_expert;"
    "ALTER TABLE application ENABLE ROW LEVEL SECURITY;"
    "CREATE POLICY secretariat ON application USING (bansou_is_secretariat());"
    "CREATE POLICY own ON application USING (company_id IN (SELECT bansou_my_companies()))"
    "  WITH CHECK (company_id IN (SELECT bansou_my_companies()));",
    // 15: every expert sees the sessions and their timetables; an expert
    // sees and records their own consultations, and the companies of them.
    "CREATE TABLE consult_session ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  held_on" T " NOT NULL,"
    "  region" T " NOT NULL,"
    "  venue" T " NOT NULL,"
    "  chamber" T ","
    "  rounds" T " NOT NULL,"
    "  notes" T ","
    "  created_at" T " NOT NULL);"
    "CREATE TABLE consult_booth ("
    "  session_id bigint NOT NULL REFERENCES consult_session(id),"
    "  booth bigint NOT NULL,"
    "  expert_id bigint NOT NULL REFERENCES expert(id),"
    "  PRIMARY KEY (session_id, booth));"
    "CREATE TABLE consultation ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  session_id bigint NOT NULL REFERENCES consult_session(id),"
    "  round bigint NOT NULL,"
    "  booth bigint NOT NULL,"
    "  company_id bigint NOT NULL REFERENCES company(id),"
    "  expert_id bigint NOT NULL REFERENCES expert(id),"
    "  asked" T ","
    "  topics" T ","
    "  advice" T ","
    "  wish bigint,"
    "  wished_theme" T ","
    "  wished_dates" T ","
    "  proposed_theme" T ","
    "  outcome" T " CHECK (outcome IN ('engaged', 'declined')),"
    "  decline_reason" T ","
    "  decline_detail" T ","
    "  engagement_id bigint REFERENCES engagement(id),"
    "  booked_at" T " NOT NULL,"
    "  recorded_at" T ","
    "  UNIQUE (session_id, round, booth),"
    "  UNIQUE (session_id, company_id));"
    "GRANT SELECT, INSERT, UPDATE, DELETE ON consult_session, consult_booth, consultation"
    "  TO bansou_secretariat;"
    "GRANT SELECT ON consult_session, consult_booth TO bansou_expert;"
    "GRANT SELECT, UPDATE ON consultation TO bansou_expert;"
    "ALTER TABLE consult_session ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE consult_booth ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE consultation ENABLE ROW LEVEL SECURITY;"
    "CREATE POLICY secretariat ON consult_session USING (bansou_is_secretariat());"
    "CREATE POLICY secretariat ON consult_booth USING (bansou_is_secretariat());"
    "CREATE POLICY secretariat ON consultation USING (bansou_is_secretariat());"
    "CREATE POLICY pool ON consult_session FOR SELECT USING (bansou_my_expert() IS NOT NULL);"
    "CREATE POLICY pool ON consult_booth FOR SELECT USING (bansou_my_expert() IS NOT NULL);"
    "CREATE POLICY own ON consultation USING (expert_id = bansou_my_expert())"
    "  WITH CHECK (expert_id = bansou_my_expert());"
    "CREATE OR REPLACE FUNCTION bansou_my_companies() RETURNS SETOF bigint LANGUAGE sql STABLE"
    "  SECURITY DEFINER SET search_path FROM CURRENT AS"
    "  $$SELECT id FROM company WHERE added_by = session_user"
    "    UNION SELECT company_id FROM engagement WHERE expert_id = bansou_my_expert()"
    "    UNION SELECT company_id FROM consultation WHERE expert_id = bansou_my_expert()$$;",
    // 16: identity columns never give an id again: nothing to change.
    "SELECT 1;",
};
#undef T

_Static_assert(sizeof pg_migrations == sizeof migrations,
               "every migration has its PostgreSQL form");

static bool on_pg(const bs_store *st)
{
    return strcmp(db_backend(st->db), "postgresql") == 0;
}

int store_schema_version(void)
{
    return (int)(sizeof migrations / sizeof *migrations);
}

static int migrate(bs_store *st, bs_err *err)
{
    int rc = store_begin(st, err);
    if (rc != BS_OK) {
        return rc;
    }
    int v = 0;
    rc = db_schema_version(st->db, &v, err);
    if (rc == BS_OK && v > store_schema_version()) {
        rc = bs_err_set(err, BS_ECORRUPT,
                        _("database schema version %d is newer than this bansou (%d)"), v,
                        store_schema_version());
    }
    for (; rc == BS_OK && v < store_schema_version(); v++) {
        rc = db_exec(st->db, on_pg(st) ? pg_migrations[v] : migrations[v], err);
        if (rc == BS_OK) {
            rc = db_set_schema_version(st->db, v + 1, err);
        }
        if (rc != BS_OK) {
            bs_err_prefix(err, _("migration %d"), v + 1);
        }
    }
    if (rc != BS_OK) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st, err);
}

int store_open(const char *path, bool create, bs_store **out, bs_err *err)
{
    bs_store *st = xcalloc(1, sizeof *st);
    int rc = db_open(path, create, &st->db, err);
    if (rc != BS_OK) {
        goto fail;
    }
    rc = migrate(st, err);
    if (rc != BS_OK) {
        bs_err_prefix(err, "%s", path);
        goto fail;
    }
    *out = st;
    return BS_OK;
fail:
    store_close(st);
    return rc;
}

void store_close(bs_store *st)
{
    if (!st) {
        return;
    }
    db_close(st->db);
    free(st);
}

bool store_on_server(const bs_store *st)
{
    return on_pg(st);
}

int store_begin(bs_store *st, bs_err *err)
{
    return db_begin(st->db, err);
}

int store_commit(bs_store *st, bs_err *err)
{
    return db_commit(st->db, err);
}

void store_rollback(bs_store *st)
{
    if (st) {
        db_rollback(st->db);
    }
}

/* Runs `sql` with `args` (a list bound to ?1, ?2 …, may be NULL) and
 * returns every row (out may be NULL when rows are not wanted). */
static int query(bs_store *st, const char *sql, const bs_value *args, bs_value **out, bs_err *err)
{
    return db_query(st->db, sql, args, out, err);
}

/* A list of arguments from a printf-like spec: 'i' int64, 's' string (NULL
 * → null), 'v' a value (copied). */
static bs_value *args(const char *spec, ...)
{
    bs_value *l = value_list();
    va_list ap;
    va_start(ap, spec);
    for (const char *p = spec; *p; p++) {
        if (*p == 'i') {
            value_push(l, value_int(va_arg(ap, int64_t)));
        } else if (*p == 's') {
            const char *s = va_arg(ap, const char *);
            value_push(l, s ? value_str(s) : value_null());
        } else {
            value_push(l, value_copy(va_arg(ap, const bs_value *)));
        }
    }
    va_end(ap);
    return l;
}

static int query_args(bs_store *st, const char *sql, bs_value *a, bs_value **out, bs_err *err)
{
    int rc = query(st, sql, a, out, err);
    value_free(a);
    return rc;
}

/* Runs `sql`, an INSERT … RETURNING id, with `a` (taken) and gives the id
 * of the new row. */
static int insert_id(bs_store *st, const char *sql, bs_value *a, int64_t *id_out, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = query_args(st, sql, a, &rows, err);
    if (rc == BS_OK) {
        *id_out = value_as_int(value_get(value_at(rows, 0), "id"));
    }
    value_free(rows);
    return rc;
}

/* The only row of `rows`, taken out of the list (NULL when empty). */
static bs_value *first_row(bs_value *rows)
{
    bs_value *r = value_len(rows) ? value_copy(value_at(rows, 0)) : NULL;
    value_free(rows);
    return r;
}

int store_event_add(bs_store *st, const char *actor, int64_t company, int64_t eng,
                    const char *kind, const char *detail, bs_err *err)
{
    char now[32];
    bs_now_iso(now);
    bs_value *a = args("ss", now, actor);
    value_push(a, company ? value_int(company) : value_null());
    value_push(a, eng ? value_int(eng) : value_null());
    value_push(a, value_str(kind));
    value_push(a, detail ? value_str(detail) : value_null());
    return query_args(st,
                      "INSERT INTO event (at, actor, company_id, engagement_id, kind, detail)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                      a, NULL, err);
}

int store_event_list(bs_store *st, int64_t eng, bs_value **out, bs_err *err)
{
    // Two statements: "?1 = 0 OR engagement_id = ?1" would read the whole log.
    if (eng == 0) {
        return query_args(st,
                          "SELECT id, at, actor, company_id, engagement_id, kind, detail FROM event"
                          " ORDER BY id",
                          NULL, out, err);
    }
    return query_args(st,
                      "SELECT id, at, actor, company_id, engagement_id, kind, detail FROM event"
                      " WHERE engagement_id = ?1 ORDER BY id",
                      args("i", eng), out, err);
}

static const char *const company_cols[] = {
    "name",         "industry",     "kind",     "employees",       "capital", "prefecture",
    "contact_name", "contact_role", "staffing", "security_action", "notes",   NULL,
};

static bool known_col(const char *const *cols, const char *name)
{
    for (; *cols; cols++) {
        if (strcmp(*cols, name) == 0) {
            return true;
        }
    }
    return false;
}

static int check_cols(const char *const *cols, const bs_value *fields, bs_err *err)
{
    for (size_t i = 0; i < value_len(fields); i++) {
        if (!known_col(cols, value_key_at(fields, i))) {
            return bs_err_set(err, BS_EINPUT, _("unknown field '%s'"), value_key_at(fields, i));
        }
    }
    return BS_OK;
}

/* BS_EEXIST when another row of `table` (not `except`) has `name`. */
static int check_unique(bs_store *st, const char *table, const char *name, int64_t except,
                        bs_err *err)
{
    char *sql = xasprintf("SELECT id FROM %s WHERE name = ?1 AND id <> ?2", table);
    bs_value *dup = NULL;
    int rc = query_args(st, sql, args("si", name ? name : "", except), &dup, err);
    if (rc == BS_OK && value_len(dup) > 0) {
        rc = bs_err_set(err, BS_EEXIST,
                        strcmp(table, "company") == 0 ? _("company '%s' exists already (id %lld)")
                                                      : _("expert '%s' exists already (id %lld)"),
                        name,
                        (long long)value_as_int(value_get(value_at(dup, 0), "id")));
    }
    value_free(dup);
    free(sql);
    return rc;
}

int store_company_add(bs_store *st, const bs_value *fields, int64_t *id_out, bs_err *err)
{
    int rc = check_cols(company_cols, fields, err);
    if (rc != BS_OK) {
        return rc;
    }
    rc = check_unique(st, "company", value_get_str(fields, "name"), 0, err);
    if (rc != BS_OK) {
        return rc;
    }
    char now[32];
    bs_now_iso(now);
    bs_buf cols = {0}, params = {0};
    bs_value *a = value_list();
    for (size_t i = 0; i < value_len(fields); i++) {
        bs_buf_printf(&cols, "%s, ", value_key_at(fields, i));
        bs_buf_printf(&params, "?%zu, ", i + 1);
        value_push(a, value_copy(value_at(fields, i)));
    }
    value_push(a, value_str(now));
    char *sql = xasprintf("INSERT INTO company (%screated_at, updated_at) VALUES (%s?%zu, ?%zu)"
                          " RETURNING id",
                          cols.s ? cols.s : "", params.s ? params.s : "", value_len(a),
                          value_len(a));
    rc = insert_id(st, sql, a, id_out, err);
    if (rc == BS_EEXIST && on_pg(st)) {
        // check_unique saw no such name: the company is one this user may
        // not see (another expert's, on a server).
        bs_err_clear(err);
        rc = bs_err_set(err, BS_EEXIST,
                        _("company '%s' exists already, registered by someone whose companies"
                          " you do not see: the secretariat can engage you with it"),
                        value_get_str(fields, "name"));
    }
    free(sql);
    bs_buf_free(&cols);
    bs_buf_free(&params);
    return rc;
}

int store_company_update(bs_store *st, int64_t id, const bs_value *fields, bs_err *err)
{
    int rc = check_cols(company_cols, fields, err);
    if (rc != BS_OK || value_len(fields) == 0) {
        return rc;
    }
    const char *name = value_get_str(fields, "name");
    if (name && (rc = check_unique(st, "company", name, id, err)) != BS_OK) {
        return rc;
    }
    char now[32];
    bs_now_iso(now);
    bs_buf sets = {0};
    bs_value *a = value_list();
    for (size_t i = 0; i < value_len(fields); i++) {
        bs_buf_printf(&sets, "%s = ?%zu, ", value_key_at(fields, i), i + 1);
        value_push(a, value_copy(value_at(fields, i)));
    }
    value_push(a, value_str(now));
    value_push(a, value_int(id));
    char *sql = xasprintf("UPDATE company SET %supdated_at = ?%zu WHERE id = ?%zu", sets.s,
                          value_len(a) - 1, value_len(a));
    rc = query_args(st, sql, a, NULL, err);
    free(sql);
    bs_buf_free(&sets);
    return rc;
}

/* True when `ref` is all ASCII digits (an id rather than a name). */
static bool is_id(const char *ref)
{
    if (!*ref) {
        return false;
    }
    for (const char *p = ref; *p; p++) {
        if (*p < '0' || *p > '9') {
            return false;
        }
    }
    return strlen(ref) < 18;
}

static int get_by_ref(bs_store *st, const char *what, const char *sql_id, const char *sql_name,
                      const char *ref, bs_value **out, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = is_id(ref) ? query_args(st, sql_id, args("i", (int64_t)atoll(ref)), &rows, err)
                        : query_args(st, sql_name, args("s", ref), &rows, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *row = first_row(rows);
    if (!row) {
        return bs_err_set(err, BS_ENOTFOUND,
                          strcmp(what, "company") == 0 ? _("no company '%s'") : _("no expert '%s'"),
                          ref);
    }
    *out = row;
    return BS_OK;
}

#define COMPANY_SELECT                                                                         \
    "SELECT id, name, industry, kind, employees, capital, prefecture, contact_name,"           \
    " contact_role, staffing, security_action, notes, created_at, updated_at FROM company"

int store_company_get(bs_store *st, const char *ref, bs_value **out, bs_err *err)
{
    return get_by_ref(st, "company", COMPANY_SELECT " WHERE id = ?1",
                      COMPANY_SELECT " WHERE name = ?1", ref, out, err);
}

int store_company_list(bs_store *st, bs_value **out, bs_err *err)
{
    return query(st, COMPANY_SELECT " ORDER BY id", NULL, out, err);
}

static const char *const expert_lists[] = {"qualifications", "regions", "themes", "industries",
                                           "sizes",          "forms",   "periods", NULL};
static const char *const expert_texts[] = {
    "phone",     "email", "affiliation", "reg_no", "reg_year", "affiliation_kind",
    "residence", "fee",   "self_pr",     "listed", "unlisted", NULL};
static const char *const expert_cols[] = {
    "name",  "qualifications", "regions",     "themes", "industries", "sizes",
    "forms", "periods",        "phone",       "email",  "affiliation", "reg_no",
    "reg_year", "affiliation_kind", "residence", "fee", "self_pr",    "listed",
    "unlisted", NULL};

/* Sets the contact fields and replaces the tag lists of expert `id` that
 * `fields` holds (checked against expert_cols); the others stay. */
static int expert_set(bs_store *st, int64_t id, const bs_value *fields, bs_err *err)
{
    int rc = BS_OK;
    for (const char *const *k = expert_texts; *k && rc == BS_OK; k++) {
        const bs_value *v = value_get(fields, *k);
        if (!v) {
            continue;
        }
        // The column name comes from expert_texts, never from the caller.
        char *sql = xasprintf("UPDATE expert SET %s = ?2 WHERE id = ?1", *k);
        bs_value *a = args("i", id);
        value_push(a, value_copy(v));
        rc = query_args(st, sql, a, NULL, err);
        free(sql);
    }
    for (const char *const *k = expert_lists; *k && rc == BS_OK; k++) {
        const bs_value *l = value_get(fields, *k);
        if (!l) {
            continue;
        }
        rc = query_args(st, "DELETE FROM expert_tag WHERE expert_id = ?1 AND kind = ?2",
                        args("is", id, *k), NULL, err);
        for (size_t i = 0; i < value_len(l) && rc == BS_OK; i++) {
            bs_value *a = args("is", id, *k);
            value_push(a, value_int((int64_t)i));
            value_push(a, value_copy(value_at(l, i)));
            rc = query_args(st,
                            "INSERT INTO expert_tag (expert_id, kind, pos, value)"
                            " VALUES (?1, ?2, ?3, ?4)",
                            a, NULL, err);
        }
    }
    return rc;
}

int store_expert_add(bs_store *st, const bs_value *fields, int64_t *id_out, bs_err *err)
{
    int rc = check_cols(expert_cols, fields, err);
    if (rc != BS_OK) {
        return rc;
    }
    const char *name = value_get_str(fields, "name");
    rc = check_unique(st, "expert", name, 0, err);
    if (rc != BS_OK) {
        return rc;
    }
    char now[32];
    bs_now_iso(now);
    int64_t id = 0;
    rc = insert_id(st, "INSERT INTO expert (name, created_at) VALUES (?1, ?2) RETURNING id",
                   args("ss", name, now), &id, err);
    if (rc != BS_OK) {
        return rc;
    }
    rc = expert_set(st, id, fields, err);
    if (rc == BS_OK) {
        *id_out = id;
    }
    return rc;
}

int store_expert_update(bs_store *st, int64_t id, const bs_value *fields, bs_err *err)
{
    int rc = check_cols(expert_cols, fields, err);
    const char *name = value_get_str(fields, "name");
    if (rc == BS_OK && name) {
        rc = check_unique(st, "expert", name, id, err);
    }
    if (rc == BS_OK && name) {
        rc = query_args(st, "UPDATE expert SET name = ?2 WHERE id = ?1", args("is", id, name),
                        NULL, err);
    }
    return rc == BS_OK ? expert_set(st, id, fields, err) : rc;
}

/* Adds the expert's tag lists from `tags` (rows {expert_id, kind, value}
 * in order) to its row map, and `listed` as a boolean. */
static void expert_fill(bs_value *row, const bs_value *tags)
{
    int64_t id = value_as_int(value_get(row, "id"));
    for (const char *const *k = expert_lists; *k; k++) {
        bs_value *l = value_list();
        for (size_t i = 0; i < value_len(tags); i++) {
            const bs_value *t = value_at(tags, i);
            if (value_as_int(value_get(t, "expert_id")) == id &&
                strcmp(value_get_str(t, "kind"), *k) == 0) {
                value_push(l, value_copy(value_get(t, "value")));
            }
        }
        value_set(row, *k, l);
    }
    const bs_value *listed = value_get(row, "listed");
    if (value_type(listed) == BS_VINT) {
        value_set(row, "listed", value_bool(value_as_int(listed) != 0));
    }
}

#define EXPERT_SELECT                                                                          \
    "SELECT id, name, phone, email, affiliation, reg_no, reg_year, affiliation_kind, residence," \
    " fee, self_pr, listed, unlisted, created_at FROM expert"

int store_expert_get(bs_store *st, const char *ref, bs_value **out, bs_err *err)
{
    bs_value *row = NULL;
    int rc = get_by_ref(st, "expert", EXPERT_SELECT " WHERE id = ?1",
                        EXPERT_SELECT " WHERE name = ?1", ref, &row, err);
    bs_value *tags = NULL;
    if (rc == BS_OK) {
        rc = query_args(st,
                        "SELECT expert_id, kind, value FROM expert_tag WHERE expert_id = ?1"
                        " ORDER BY kind, pos",
                        args("i", value_as_int(value_get(row, "id"))), &tags, err);
    }
    if (rc == BS_OK) {
        expert_fill(row, tags);
    }
    value_free(tags);
    if (rc != BS_OK) {
        value_free(row);
        return rc;
    }
    *out = row;
    return BS_OK;
}

int store_expert_list(bs_store *st, bs_value **out, bs_err *err)
{
    bs_value *rows = NULL, *tags = NULL;
    int rc = query(st, EXPERT_SELECT " ORDER BY id", NULL, &rows, err);
    if (rc == BS_OK) {
        rc = query(st, "SELECT expert_id, kind, value FROM expert_tag ORDER BY expert_id, kind, pos",
                   NULL, &tags, err);
    }
    for (size_t i = 0; rc == BS_OK && i < value_len(rows); i++) {
        expert_fill(value_at(rows, i), tags);
    }
    value_free(tags);
    if (rc != BS_OK) {
        value_free(rows);
        return rc;
    }
    *out = rows;
    return BS_OK;
}

int store_engagement_add(bs_store *st, int64_t company, int64_t expert, const char *theme,
                         int visits, int64_t *id_out, bs_err *err)
{
    char now[32];
    bs_now_iso(now);
    int64_t id = 0;
    int rc = insert_id(st,
                       "INSERT INTO engagement (company_id, expert_id, theme, state, created_at,"
                       " updated_at) VALUES (?1, ?2, ?3, 'matched', ?4, ?4) RETURNING id",
                       args("iiss", company, expert, theme, now), &id, err);
    if (rc != BS_OK) {
        return rc;
    }
    for (int n = 1; n <= visits && rc == BS_OK; n++) {
        rc = query_args(st,
                        "INSERT INTO visit (engagement_id, n, state) VALUES (?1, ?2, 'pending')",
                        args("ii", id, (int64_t)n), NULL, err);
    }
    if (rc == BS_OK) {
        *id_out = id;
    }
    return rc;
}

#define ENGAGEMENT_SELECT                                                                      \
    "SELECT e.id, e.company_id, c.name AS company_name, c.industry AS company_industry,"       \
    " c.prefecture AS company_prefecture, e.expert_id, x.name AS expert_name, e.theme,"        \
    " e.state, e.reason, e.variant, e.ended_on, e.findings, e.created_at, e.updated_at"        \
    " FROM engagement e JOIN company c ON c.id = e.company_id"                                 \
    " JOIN expert x ON x.id = e.expert_id"

static int engagement_fill(bs_store *st, bs_value *row, bs_err *err)
{
    bs_value *visits = NULL;
    int rc = query_args(st,
                        "SELECT n, state, planned_date, prepared_date, held_date, attendees, notes,"
                        " reported_at, time_from, time_to, place, online, findings, issues, agreed"
                        " FROM visit WHERE engagement_id = ?1 ORDER BY n",
                        args("i", value_as_int(value_get(row, "id"))), &visits, err);
    if (rc == BS_OK) {
        value_set(row, "visits", visits);
    }
    return rc;
}

static int engagement_query(bs_store *st, const char *sql, bs_value *a, bs_value **out,
                            bs_err *err)
{
    bs_value *rows = NULL;
    int rc = query_args(st, sql, a, &rows, err);
    for (size_t i = 0; rc == BS_OK && i < value_len(rows); i++) {
        rc = engagement_fill(st, value_at(rows, i), err);
    }
    if (rc != BS_OK) {
        value_free(rows);
        return rc;
    }
    *out = rows;
    return BS_OK;
}

int store_engagement_get(bs_store *st, int64_t id, bs_value **out, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = engagement_query(st, ENGAGEMENT_SELECT " WHERE e.id = ?1", args("i", id), &rows,
                              err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *row = first_row(rows);
    if (!row) {
        return bs_err_set(err, BS_ENOTFOUND, _("no engagement %lld"), (long long)id);
    }
    *out = row;
    return BS_OK;
}

int store_engagement_list(bs_store *st, bs_value **out, bs_err *err)
{
    return engagement_query(st, ENGAGEMENT_SELECT " ORDER BY e.id", value_list(), out, err);
}

int store_engagement_set_variant(bs_store *st, int64_t id, const char *variant, bs_err *err)
{
    char now[32];
    bs_now_iso(now);
    return query_args(st, "UPDATE engagement SET variant = ?2, updated_at = ?3 WHERE id = ?1",
                      args("iss", id, variant, now), NULL, err);
}

int store_engagement_set_state(bs_store *st, int64_t id, const char *state, const char *reason,
                               bs_err *err)
{
    char now[32];
    bs_now_iso(now);
    return query_args(st,
                      "UPDATE engagement SET state = ?2, reason = coalesce(?3, reason),"
                      " updated_at = ?4 WHERE id = ?1",
                      args("isss", id, state, reason, now), NULL, err);
}

int store_engagement_set_ended(bs_store *st, int64_t id, const char *date, bs_err *err)
{
    return query_args(st, "UPDATE engagement SET ended_on = ?2 WHERE id = ?1", args("is", id, date),
                      NULL, err);
}

int store_engagement_set_findings(bs_store *st, int64_t id, const char *findings, bs_err *err)
{
    // Not `updated_at`: on a closed engagement that is when it closed.
    return query_args(st, "UPDATE engagement SET findings = ?2 WHERE id = ?1",
                      args("is", id, findings), NULL, err);
}

int store_engagement_set_theme(bs_store *st, int64_t id, const char *theme, int visits,
                               bs_err *err)
{
    char now[32];
    bs_now_iso(now);
    // Variant ids belong to a theme: the new theme starts from its default.
    int rc = query_args(st,
                        "UPDATE engagement SET theme = ?2, variant = NULL, updated_at = ?3"
                        " WHERE id = ?1",
                        args("iss", id, theme, now), NULL, err);
    if (rc == BS_OK) {
        rc = query_args(st,
                        "DELETE FROM visit WHERE engagement_id = ?1 AND n > ?2"
                        " AND state IN ('pending', 'planned', 'prepared')",
                        args("ii", id, (int64_t)visits), NULL, err);
    }
    for (int n = 1; n <= visits && rc == BS_OK; n++) {
        rc = query_args(st,
                        "INSERT INTO visit (engagement_id, n, state)"
                        " VALUES (?1, ?2, 'pending') ON CONFLICT DO NOTHING",
                        args("ii", id, (int64_t)n), NULL, err);
    }
    return rc;
}

int store_visit_update(bs_store *st, int64_t eng, int n, const bs_value *fields, bs_err *err)
{
    static const char *const cols[] = {"state",       "planned_date", "prepared_date", "held_date",
                                       "attendees",   "notes",        "reported_at",   "time_from",
                                       "time_to",     "place",        "online",        "findings",
                                       "issues",      "agreed",       NULL};
    int rc = check_cols(cols, fields, err);
    if (rc != BS_OK || value_len(fields) == 0) {
        return rc;
    }
    bs_buf sets = {0};
    bs_value *a = value_list();
    for (size_t i = 0; i < value_len(fields); i++) {
        bs_buf_printf(&sets, "%s%s = ?%zu", i ? ", " : "", value_key_at(fields, i), i + 1);
        value_push(a, value_copy(value_at(fields, i)));
    }
    value_push(a, value_int(eng));
    value_push(a, value_int(n));
    char *sql = xasprintf("UPDATE visit SET %s WHERE engagement_id = ?%zu AND n = ?%zu", sets.s,
                          value_len(a) - 1, value_len(a));
    rc = query_args(st, sql, a, NULL, err);
    free(sql);
    bs_buf_free(&sets);
    return rc;
}

int store_task_set(bs_store *st, int64_t eng, const char *theme, int visit, const char *item,
                   bool done, bs_err *err)
{
    if (!done) {
        return query_args(st,
                          "DELETE FROM task WHERE engagement_id = ?1 AND theme = ?2 AND item = ?3",
                          args("iss", eng, theme, item), NULL, err);
    }
    char now[32];
    bs_now_iso(now);
    bs_value *a = args("is", eng, theme);
    value_push(a, value_int(visit));
    value_push(a, value_str(item));
    value_push(a, value_str(now));
    return query_args(st,
                      "INSERT INTO task (engagement_id, theme, visit, item, done_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                      a, NULL, err);
}

int store_task_list(bs_store *st, int64_t eng, const char *theme, bs_value **out, bs_err *err)
{
    return query_args(st,
                      "SELECT visit, item, done_at FROM task WHERE engagement_id = ?1"
                      " AND theme = ?2 ORDER BY visit, done_at, item",
                      args("is", eng, theme), out, err);
}

int store_records_replace(bs_store *st, int64_t eng, const char *sheet, const bs_value *rows,
                          bs_err *err)
{
    int rc = query_args(st, "DELETE FROM record WHERE engagement_id = ?1 AND sheet = ?2",
                        args("is", eng, sheet), NULL, err);
    char now[32];
    bs_now_iso(now);
    for (size_t i = 0; rc == BS_OK && i < value_len(rows); i++) {
        char *json = jsonv_dump_compact(value_at(rows, i));
        bs_value *a = args("isiss", eng, sheet, (int64_t)i + 1, json, now);
        free(json);
        // A cursor rather than a query: a failing row is the database's
        // error as it is, not a duplicate.
        bs_db_cursor *c = NULL;
        rc = db_cursor_open(st->db,
                            "INSERT INTO record (engagement_id, sheet, seq, data, imported_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            a, &c, err);
        bool row = false;
        if (rc == BS_OK) {
            rc = db_cursor_next(c, &row, err);
        }
        db_cursor_close(c);
        value_free(a);
    }
    return rc;
}

/* The imported rows that `sql` with `a` (taken) selects, one result row per
 * field: sheet, the row's seq, its engagement, then json_each's key, type
 * and atom (the field's JSON text for an array or object), ordered by
 * sheet, engagement, seq and field; an empty row gives one result row
 * whose key and type are null. Grouped into a map of sheet → rows (maps);
 * a sheet's rows come from the first engagement listed for it. The
 * database parses the stored JSON: much faster than parsing it here row by
 * row. Each backend has its own text of the query (below).
 * Stepped through a cursor, not db_query: a map per field would cost as
 * much as the parsing saved. */
static int load_records(bs_store *st, const char *sql, bs_value *a, bs_value **out, bs_err *err)
{
    bs_db_cursor *c = NULL;
    int rc = db_cursor_open(st->db, sql, a, &c, err);
    value_free(a);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *m = value_map(), *row = NULL, *list = NULL;
    int64_t row_seq = -1, row_eng = -1, sheet_eng = -1;
    char *sheet = NULL;
    bool more = false;
    while (rc == BS_OK && (rc = db_cursor_next(c, &more, err)) == BS_OK && more) {
        const char *sh = db_cursor_text(c, 0, NULL);
        int64_t seq = db_cursor_int(c, 1), eng = db_cursor_int(c, 2);
        if (!sheet || strcmp(sheet, sh) != 0) {
            free(sheet);
            sheet = xstrdup(sh);
            list = value_list();
            value_set(m, sheet, list);
            sheet_eng = eng;
            row = NULL;
        }
        if (eng != sheet_eng) {
            continue; // an older engagement's rows of a sheet a newer one has
        }
        if (!row || seq != row_seq || eng != row_eng) {
            row = value_map();
            value_push(list, row);
            row_seq = seq;
            row_eng = eng;
        }
        // An array's elements have integer keys: a row must be an object.
        bool indexed = db_cursor_type(c, 3) == BS_VINT;
        const char *key = indexed ? NULL : db_cursor_text(c, 3, NULL);
        const char *type = db_cursor_text(c, 4, NULL);
        if (!key) {
            if (type) {
                rc = bs_err_set(err, BS_ECORRUPT, _("record %s/%lld: not a JSON object"), sheet,
                                (long long)seq);
            }
            continue; // an empty row
        }
        bs_value *v;
        if (strcmp(type, "integer") == 0) {
            v = value_int(db_cursor_int(c, 5));
        } else if (strcmp(type, "real") == 0) {
            v = value_num(db_cursor_num(c, 5));
        } else if (strcmp(type, "text") == 0) {
            size_t len = 0;
            const char *t = db_cursor_text(c, 5, &len);
            v = value_strn(t, len);
        } else if (strcmp(type, "true") == 0 || strcmp(type, "false") == 0) {
            v = value_bool(type[0] == 't');
        } else if (strcmp(type, "null") == 0) {
            v = value_null();
        } else {
            const char *json = db_cursor_text(c, 5, NULL);
            v = NULL;
            rc = jsonv_parse(json ? json : "null", json ? strlen(json) : 4, "record", &v, err);
        }
        if (v) {
            value_set(row, key, v);
        }
    }
    free(sheet);
    db_cursor_close(c);
    if (rc != BS_OK) {
        value_free(m);
        return rc;
    }
    *out = m;
    return BS_OK;
}

/* SQLite: json_each and its columns (key, type, atom, value, id). */
#define RECORD_FIELDS                                                                          \
    "SELECT r.sheet, r.seq, r.engagement_id, j.key, j.type,"                                   \
    " CASE WHEN j.type IN ('array', 'object') THEN j.value ELSE j.atom END"

/* PostgreSQL: the same columns from its json_each over an object (its
 * value is json), with SQLite's names of the types (a number without a
 * fraction or exponent is an integer) and a string's text unquoted. A row
 * that is not an object gives one result row whose key is null and whose
 * type is the row's. */
#define PG_RECORD_FIELDS                                                                       \
    "SELECT r.sheet, r.seq, r.engagement_id, j.key,"                                           \
    " CASE WHEN json_typeof(r.data) <> 'object' THEN json_typeof(r.data)"                      \
    "  WHEN j.key IS NULL THEN NULL"                                                            \
    "  WHEN json_typeof(j.value) = 'number' THEN"                                               \
    "   CASE WHEN j.value::text ~ '^-?[0-9]+$' THEN 'integer' ELSE 'real' END"                  \
    "  WHEN json_typeof(j.value) = 'string' THEN 'text'"                                        \
    "  WHEN json_typeof(j.value) = 'boolean' THEN j.value::text"                                \
    "  ELSE json_typeof(j.value) END AS type,"                                                  \
    " CASE WHEN json_typeof(j.value) = 'string' THEN j.value #>> '{}'"                          \
    "  ELSE j.value::text END AS value"
#define PG_RECORD_EACH                                                                         \
    " LEFT JOIN LATERAL json_each(CASE WHEN json_typeof(r.data) = 'object' THEN r.data END)"   \
    " WITH ORDINALITY j(key, value, id) ON true"

int store_survey_overall_put(bs_store *st, int64_t expert, int year, const bs_value *rows,
                             bs_err *err)
{
    char now[32];
    bs_now_iso(now);
    char *json = jsonv_dump_compact(rows);
    bs_value *a = args("i", expert);
    value_push(a, value_int(year));
    value_push(a, value_str(json));
    value_push(a, value_str(now));
    free(json);
    return query_args(st,
                      "INSERT INTO survey_overall (expert_id, fiscal_year, data, imported_at)"
                      " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (expert_id, fiscal_year) DO UPDATE"
                      " SET data = excluded.data, imported_at = excluded.imported_at",
                      a, NULL, err);
}

int store_survey_overall_list(bs_store *st, int year, bs_value **out, bs_err *err)
{
    // One row per expert and year: reading them all to filter costs nothing.
    bs_value *rows = NULL;
    int rc = query_args(st,
                        "SELECT s.expert_id, e.name AS expert_name, s.fiscal_year, s.data,"
                        " s.imported_at FROM survey_overall s JOIN expert e ON e.id = s.expert_id"
                        " WHERE ?1 = 0 OR s.fiscal_year = ?1 ORDER BY s.fiscal_year, s.expert_id",
                        args("i", (int64_t)year), &rows, err);
    for (size_t i = 0; rc == BS_OK && i < value_len(rows); i++) {
        bs_value *r = value_at(rows, i);
        bs_value *data = NULL;
        const char *json = value_get_str(r, "data");
        rc = jsonv_parse(json ? json : "null", json ? strlen(json) : 4, "survey_overall", &data,
                         err);
        if (rc == BS_OK) {
            value_set(r, "data", data);
        }
    }
    if (rc != BS_OK) {
        value_free(rows);
        return rc;
    }
    *out = rows;
    return BS_OK;
}

int store_expert_skill_put(bs_store *st, int64_t expert, const bs_value *answers,
                          const char *source, const char *answered_at, bs_err *err)
{
    char now[32];
    bs_now_iso(now);
    char *json = jsonv_dump_compact(answers);
    bs_value *a = args("i", expert);
    value_push(a, value_str(json));
    value_push(a, value_str(source));
    value_push(a, answered_at && *answered_at ? value_str(answered_at) : value_null());
    value_push(a, value_str(now));
    free(json);
    return query_args(st,
                      "INSERT INTO expert_skill (expert_id, data, source, answered_at, imported_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (expert_id) DO UPDATE"
                      " SET data = excluded.data, source = excluded.source,"
                      " answered_at = excluded.answered_at, imported_at = excluded.imported_at",
                      a, NULL, err);
}

int store_expert_skill_list(bs_store *st, bs_value **out, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = query(st,
                   "SELECT expert_id, data, source, answered_at, imported_at FROM expert_skill"
                   " ORDER BY expert_id",
                   NULL, &rows, err);
    for (size_t i = 0; rc == BS_OK && i < value_len(rows); i++) {
        bs_value *r = value_at(rows, i);
        bs_value *data = NULL;
        const char *json = value_get_str(r, "data");
        rc = jsonv_parse(json ? json : "null", json ? strlen(json) : 4, "expert_skill", &data, err);
        if (rc == BS_OK) {
            value_set(r, "data", data);
        }
    }
    if (rc != BS_OK) {
        value_free(rows);
        return rc;
    }
    *out = rows;
    return BS_OK;
}

int store_application_put(bs_store *st, int64_t company, int year, const bs_value *f,
                          bs_err *err)
{
    char now[32];
    bs_now_iso(now);
    bs_value *a = args("i", company);
    value_push(a, value_int(year));
    static const char *const keys[] = {"applied_on", "security_action", "has_policy", "earlier",
                                       "consent",    "via",             "notes",      NULL};
    for (const char *const *k = keys; *k; k++) {
        const bs_value *v = value_get(f, *k);
        value_push(a, v ? value_copy(v) : value_null());
    }
    value_push(a, value_str(now));
    return query_args(st,
                      "INSERT INTO application (company_id, fiscal_year, applied_on,"
                      " security_action, has_policy, earlier, consent, via, notes, recorded_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                      " ON CONFLICT (company_id, fiscal_year) DO UPDATE SET"
                      " applied_on = excluded.applied_on,"
                      " security_action = excluded.security_action,"
                      " has_policy = excluded.has_policy, earlier = excluded.earlier,"
                      " consent = excluded.consent, via = excluded.via, notes = excluded.notes,"
                      " recorded_at = excluded.recorded_at",
                      a, NULL, err);
}

int store_application_list(bs_store *st, int64_t company, bs_value **out, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = query_args(st,
                        "SELECT a.company_id, c.name AS company_name, a.fiscal_year, a.applied_on,"
                        " a.security_action, a.has_policy, a.earlier, a.consent, a.via, a.notes,"
                        " a.recorded_at FROM application a JOIN company c ON c.id = a.company_id"
                        " WHERE ?1 = 0 OR a.company_id = ?1 ORDER BY a.company_id, a.fiscal_year",
                        args("i", company), &rows, err);
    // The yes/no answers as booleans, as they were given.
    static const char *const flags[] = {"has_policy", "earlier", "consent", NULL};
    for (size_t i = 0; rc == BS_OK && i < value_len(rows); i++) {
        bs_value *r = value_at(rows, i);
        for (const char *const *k = flags; *k; k++) {
            const bs_value *v = value_get(r, *k);
            if (value_type(v) == BS_VINT) {
                value_set(r, *k, value_bool(value_as_int(v) != 0));
            }
        }
    }
    if (rc != BS_OK) {
        value_free(rows);
        return rc;
    }
    *out = rows;
    return BS_OK;
}

/* INSERT INTO `table` the fields of `f` named in `cols` (NULL-terminated;
 * the names come from there, never from the caller) and RETURNING id. */
static int insert_fields(bs_store *st, const char *table, const char *const *cols,
                         const bs_value *f, int64_t *id_out, bs_err *err)
{
    bs_buf names = {0}, params = {0};
    bs_value *a = value_list();
    for (size_t i = 0; cols[i]; i++) {
        const bs_value *v = value_get(f, cols[i]);
        bs_buf_printf(&names, "%s%s", i ? ", " : "", cols[i]);
        bs_buf_printf(&params, "%s?%zu", i ? ", " : "", i + 1);
        value_push(a, v ? value_copy(v) : value_null());
    }
    char *sql = xasprintf("INSERT INTO %s (%s) VALUES (%s) RETURNING id", table, names.s,
                          params.s);
    int rc = insert_id(st, sql, a, id_out, err);
    free(sql);
    bs_buf_free(&names);
    bs_buf_free(&params);
    return rc;
}

static const char *const session_cols[] = {"held_on", "region", "venue",      "chamber",
                                           "rounds",  "notes",  "created_at", NULL};

int store_session_add(bs_store *st, const bs_value *fields, int64_t *id_out, bs_err *err)
{
    return insert_fields(st, "consult_session", session_cols, fields, id_out, err);
}

int store_session_booth(bs_store *st, int64_t session, int booth, int64_t expert, bs_err *err)
{
    bs_value *a = args("i", session);
    value_push(a, value_int(booth));
    value_push(a, value_int(expert));
    return query_args(st,
                      "INSERT INTO consult_booth (session_id, booth, expert_id) VALUES (?1, ?2, ?3)"
                      " ON CONFLICT (session_id, booth) DO UPDATE SET expert_id = excluded.expert_id",
                      a, NULL, err);
}

#define SESSION_SELECT                                                                         \
    "SELECT id, held_on, region, venue, chamber, rounds, notes, created_at FROM consult_session"
#define CONSULTATION_SELECT                                                                    \
    "SELECT k.id, k.session_id, k.round, k.booth, k.company_id, c.name AS company_name,"        \
    " k.expert_id, x.name AS expert_name, k.asked, k.topics, k.advice, k.wish, k.wished_theme,"  \
    " k.wished_dates, k.proposed_theme, k.outcome, k.decline_reason, k.decline_detail,"         \
    " k.engagement_id, k.booked_at, k.recorded_at, s.held_on, s.region, s.venue, s.chamber"     \
    " FROM consultation k JOIN consult_session s ON s.id = k.session_id"                       \
    " JOIN company c ON c.id = k.company_id JOIN expert x ON x.id = k.expert_id"

/* `wish` as a boolean, as it was given. */
static void consultation_fix(bs_value *rows)
{
    for (size_t i = 0; i < value_len(rows); i++) {
        bs_value *r = value_at(rows, i);
        const bs_value *w = value_get(r, "wish");
        if (value_type(w) == BS_VINT) {
            value_set(r, "wish", value_bool(value_as_int(w) != 0));
        }
    }
}

int store_session_list(bs_store *st, bs_value **out, bs_err *err)
{
    return query(st, SESSION_SELECT " ORDER BY held_on, id", NULL, out, err);
}

int store_session_get(bs_store *st, int64_t id, bs_value **out, bs_err *err)
{
    bs_value *rows = NULL, *booths = NULL, *cons = NULL;
    int rc = query_args(st, SESSION_SELECT " WHERE id = ?1", args("i", id), &rows, err);
    bs_value *row = rc == BS_OK ? first_row(rows) : NULL;
    if (rc == BS_OK && !row) {
        rc = bs_err_set(err, BS_ENOTFOUND, _("no consultation session %lld"), (long long)id);
    }
    if (rc == BS_OK) {
        rc = query_args(st,
                        "SELECT b.booth, b.expert_id, x.name AS expert_name FROM consult_booth b"
                        " JOIN expert x ON x.id = b.expert_id WHERE b.session_id = ?1"
                        " ORDER BY b.booth",
                        args("i", id), &booths, err);
    }
    if (rc == BS_OK) {
        rc = query_args(st, CONSULTATION_SELECT " WHERE k.session_id = ?1 ORDER BY k.round, k.booth",
                        args("i", id), &cons, err);
    }
    if (rc != BS_OK) {
        value_free(row);
        value_free(booths);
        value_free(cons);
        return rc;
    }
    consultation_fix(cons);
    value_set(row, "booths", booths);
    value_set(row, "consultations", cons);
    *out = row;
    return BS_OK;
}

static const char *const consultation_cols[] = {
    "session_id", "round",  "booth",        "company_id",     "expert_id",
    "asked",      "booked_at", NULL};

int store_consultation_add(bs_store *st, const bs_value *fields, int64_t *id_out, bs_err *err)
{
    return insert_fields(st, "consultation", consultation_cols, fields, id_out, err);
}

static const char *const consultation_sets[] = {
    "topics",         "advice",  "wish",           "wished_theme",   "wished_dates",
    "proposed_theme", "outcome", "decline_reason", "decline_detail", "engagement_id",
    "recorded_at",    "expert_id", NULL};

int store_consultation_update(bs_store *st, int64_t id, const bs_value *fields, bs_err *err)
{
    bs_buf sets = {0};
    bs_value *a = value_list();
    for (size_t i = 0; consultation_sets[i]; i++) {
        const bs_value *v = value_get(fields, consultation_sets[i]);
        if (v) {
            value_push(a, value_copy(v));
            bs_buf_printf(&sets, "%s%s = ?%zu", value_len(a) > 1 ? ", " : "",
                          consultation_sets[i], value_len(a));
        }
    }
    if (value_len(a) == 0) {
        value_free(a);
        return BS_OK;
    }
    value_push(a, value_int(id));
    char *sql = xasprintf("UPDATE consultation SET %s WHERE id = ?%zu", sets.s, value_len(a));
    int rc = query_args(st, sql, a, NULL, err);
    free(sql);
    bs_buf_free(&sets);
    return rc;
}

int store_consultation_delete(bs_store *st, int64_t id, bs_err *err)
{
    return query_args(st, "DELETE FROM consultation WHERE id = ?1", args("i", id), NULL, err);
}

int store_consultation_get(bs_store *st, int64_t id, bs_value **out, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = query_args(st, CONSULTATION_SELECT " WHERE k.id = ?1", args("i", id), &rows, err);
    if (rc != BS_OK) {
        return rc;
    }
    consultation_fix(rows);
    bs_value *row = first_row(rows);
    if (!row) {
        return bs_err_set(err, BS_ENOTFOUND, _("no consultation %lld"), (long long)id);
    }
    *out = row;
    return BS_OK;
}

int store_consultation_list(bs_store *st, int64_t company, bs_value **out, bs_err *err)
{
    int rc = query_args(st,
                        CONSULTATION_SELECT " WHERE ?1 = 0 OR k.company_id = ?1"
                                            " ORDER BY s.held_on, k.session_id, k.round, k.booth",
                        args("i", company), out, err);
    if (rc == BS_OK) {
        consultation_fix(*out);
    }
    return rc;
}

int store_expert_loads(bs_store *st, bs_value **out, bs_err *err)
{
    return query(st,
                 "SELECT expert_id, COUNT(*) AS n FROM engagement"
                 " WHERE state IN ('matched', 'active') GROUP BY expert_id ORDER BY expert_id",
                 NULL, out, err);
}

int store_open_engagement(bs_store *st, int64_t company, const char *theme, int64_t *id_out,
                          bs_err *err)
{
    bs_value *rows = NULL;
    int rc = query_args(st,
                        "SELECT id FROM engagement WHERE company_id = ?1 AND theme = ?2"
                        " AND state IN ('matched', 'active') ORDER BY id LIMIT 1",
                        args("is", company, theme), &rows, err);
    *id_out = rc == BS_OK && value_len(rows) ? value_as_int(value_get(value_at(rows, 0), "id")) : 0;
    value_free(rows);
    return rc;
}

int store_record_sheets(bs_store *st, bs_value **out, bs_err *err)
{
    return query(st,
                 "SELECT DISTINCT engagement_id, sheet FROM record ORDER BY engagement_id, sheet",
                 NULL, out, err);
}

int store_records_get(bs_store *st, int64_t eng, bs_value **out, bs_err *err)
{
    if (on_pg(st)) {
        return load_records(st,
                            PG_RECORD_FIELDS " FROM record r" PG_RECORD_EACH
                            " WHERE r.engagement_id = ?1 ORDER BY r.sheet, r.seq, j.id",
                            args("i", eng), out, err);
    }
    return load_records(st,
                        RECORD_FIELDS " FROM record r LEFT JOIN json_each(r.data) j"
                        " WHERE r.engagement_id = ?1 ORDER BY r.sheet, r.seq, j.id",
                        args("i", eng), out, err);
}

int store_company_records(bs_store *st, int64_t company, int64_t except_eng, bs_value **out,
                          bs_err *err)
{
    if (on_pg(st)) {
        return load_records(st,
                            PG_RECORD_FIELDS
                            " FROM engagement e JOIN record r ON r.engagement_id = e.id"
                            PG_RECORD_EACH " WHERE e.company_id = ?1 AND e.id <> ?2"
                            " ORDER BY r.sheet, r.engagement_id DESC, r.seq, j.id",
                            args("ii", company, except_eng), out, err);
    }
    return load_records(st,
                        RECORD_FIELDS " FROM engagement e JOIN record r ON r.engagement_id = e.id"
                        " LEFT JOIN json_each(r.data) j"
                        " WHERE e.company_id = ?1 AND e.id <> ?2"
                        " ORDER BY r.sheet, r.engagement_id DESC, r.seq, j.id",
                        args("ii", company, except_eng), out, err);
}

int store_document_put(bs_store *st, int64_t eng, const bs_value *doc, bs_err *err)
{
    char now[32];
    bs_now_iso(now);
    bs_value *a = args("i", eng);
    static const char *const keys[] = {"path",   "doc",  "title", "visit",
                                       "template", "sha256", "kind", NULL};
    for (const char *const *k = keys; *k; k++) {
        const bs_value *v = value_get(doc, *k);
        value_push(a, v ? value_copy(v) : value_null());
    }
    value_push(a, value_str(now));
    return query_args(st,
                      "INSERT INTO document (engagement_id, path, doc, title, visit,"
                      " template, sha256, kind, generated_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                      " ON CONFLICT (engagement_id, path) DO UPDATE SET doc = excluded.doc,"
                      " title = excluded.title, visit = excluded.visit,"
                      " template = excluded.template, sha256 = excluded.sha256,"
                      " kind = excluded.kind, generated_at = excluded.generated_at",
                      a, NULL, err);
}

int store_content_put(bs_store *st, const char *sha256, const void *bytes, size_t len,
                      bs_err *err)
{
    bs_value *a = args("s", sha256);
    value_push(a, value_int((int64_t)len));
    value_push(a, value_strn(bytes, len));
    return query_args(st,
                      // No conflict target: with one, the server would also ask its
                      // SELECT policy, which lets an expert see the content only once
                      // a document row of theirs names it.
                      "INSERT INTO document_content (sha256, size, bytes) VALUES (?1, ?2, ?3)"
                      " ON CONFLICT DO NOTHING",
                      a, NULL, err);
}

int store_content_get(bs_store *st, const char *sha256, bs_value **out, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = query_args(st, "SELECT bytes FROM document_content WHERE sha256 = ?1",
                        args("s", sha256), &rows, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *row = first_row(rows);
    if (!row) {
        return bs_err_set(err, BS_ENOTFOUND, _("no stored content %s"), sha256);
    }
    *out = value_copy(value_get(row, "bytes"));
    value_free(row);
    return BS_OK;
}

int store_document_list(bs_store *st, int64_t eng, bs_value **out, bs_err *err)
{
    return query_args(st,
                      "SELECT path, doc, title, visit, template, sha256, generated_at, kind,"
                      " EXISTS (SELECT 1 FROM document_content c WHERE c.sha256 = d.sha256)"
                      " AS stored"
                      " FROM document d"
                      " WHERE engagement_id = ?1 ORDER BY coalesce(visit, 999), generated_at, path",
                      args("i", eng), out, err);
}

int store_programme_document_put(bs_store *st, const bs_value *doc, bs_err *err)
{
    char now[32];
    bs_now_iso(now);
    bs_value *a = value_list();
    static const char *const keys[] = {"path", "doc", "title", "sha256", NULL};
    for (const char *const *k = keys; *k; k++) {
        const bs_value *v = value_get(doc, *k);
        value_push(a, v ? value_copy(v) : value_null());
    }
    value_push(a, value_str(now));
    return query_args(st,
                      "INSERT INTO programme_document (path, doc, title, sha256,"
                      " generated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                      " ON CONFLICT (path) DO UPDATE SET doc = excluded.doc,"
                      " title = excluded.title, sha256 = excluded.sha256,"
                      " generated_at = excluded.generated_at",
                      a, NULL, err);
}

int store_programme_document_list(bs_store *st, bs_value **out, bs_err *err)
{
    return query_args(st,
                      "SELECT path, doc, title, sha256, generated_at FROM programme_document"
                      " ORDER BY path",
                      NULL, out, err);
}

int store_login(bs_store *st, char **out, bs_err *err)
{
    *out = NULL;
    if (!on_pg(st)) {
        return BS_OK;
    }
    bs_value *rows = NULL;
    int rc = query(st, "SELECT session_user AS login", NULL, &rows, err);
    if (rc == BS_OK) {
        *out = xstrdup(value_get_str(value_at(rows, 0), "login"));
    }
    value_free(rows);
    return rc;
}

static int needs_server(bs_err *err)
{
    return bs_err_set(err, BS_ESTATE,
                      _("users and roles need a database server (see 'bansou help init')"));
}

/* BS_OK when the store's user owns the database's tables (who may add
 * users); else BS_ESTATE naming the owner. */
static int check_owner(bs_store *st, bs_err *err)
{
    if (!on_pg(st)) {
        return needs_server(err);
    }
    bs_value *rows = NULL;
    int rc = query(st,
                   "SELECT pg_has_role(session_user, c.relowner, 'MEMBER') AS owner,"
                   " pg_get_userbyid(c.relowner) AS name"
                   " FROM pg_class c WHERE c.oid = 'company'::regclass",
                   NULL, &rows, err);
    const bs_value *r = value_at(rows, 0);
    if (rc == BS_OK && !value_as_int(value_get(r, "owner"))) {
        rc = bs_err_set(err, BS_ESTATE, _("only the database's owner (%s) adds and removes users"),
                        value_get_str(r, "name"));
    }
    value_free(rows);
    return rc;
}

int store_user_add(bs_store *st, const char *login, const char *role, int64_t expert,
                   const char *password, bool *made_out, bs_err *err)
{
    int rc = check_owner(st, err);
    bs_value *rows = NULL;
    if (rc == BS_OK) {
        rc = query_args(st, "SELECT login FROM bansou_user WHERE login = ?1", args("s", login),
                        &rows, err);
    }
    if (rc == BS_OK && value_len(rows) > 0) {
        rc = bs_err_set(err, BS_EEXIST, _("user %s exists already"), login);
    }
    value_free(rows);
    rows = NULL;
    char *verifier = NULL;
    if (rc == BS_OK) {
        rc = db_password_verifier(st->db, login, password, &verifier, err);
    }
    if (rc == BS_OK) {
        char now[32];
        bs_now_iso(now);
        bs_value *a = args("ss", login, role);
        value_push(a, expert ? value_int(expert) : value_null());
        value_push(a, value_str(verifier));
        value_push(a, value_str(now));
        rc = query_args(st, "SELECT bansou_user_add(?1, ?2, ?3, ?4, ?5) AS made", a, &rows, err);
    }
    if (rc == BS_OK) {
        *made_out = value_as_int(value_get(value_at(rows, 0), "made")) != 0;
    }
    value_free(rows);
    free(verifier);
    return rc;
}

int store_user_list(bs_store *st, bs_value **out, bs_err *err)
{
    if (!on_pg(st)) {
        return needs_server(err);
    }
    return query(st,
                 "SELECT u.login, u.role, u.expert_id, e.name AS expert_name, u.created_at"
                 " FROM bansou_user u LEFT JOIN expert e ON e.id = u.expert_id ORDER BY u.login",
                 NULL, out, err);
}

int store_user_remove(bs_store *st, const char *login, bs_err *err)
{
    int rc = check_owner(st, err);
    bs_value *rows = NULL;
    if (rc == BS_OK) {
        rc = query_args(st, "SELECT bansou_user_remove(?1) AS removed", args("s", login), &rows,
                        err);
    }
    if (rc == BS_OK && !value_as_int(value_get(value_at(rows, 0), "removed"))) {
        rc = bs_err_set(err, BS_ENOTFOUND, _("no user %s"), login);
    }
    value_free(rows);
    return rc;
}

/* --- copying a database into another ------------------------------------------------ */

/* Every table and column of the schema, in an order in which the rows a
 * row refers to come first. The columns are bansou's, never the source's:
 * a file that has others gives an error, not other SQL. */
static const struct copied_table {
    const char *name;
    const char *cols;
    const char *id;    /* the integer key that may conflict, or NULL */
    const char *named; /* a unique text column that may conflict, or NULL */
} copied[] = {
    {"expert",
     "id, name, created_at, phone, email, affiliation, reg_no, reg_year, affiliation_kind,"
     " residence, fee, self_pr, listed, unlisted",
     "id", "name"},
    {"expert_tag", "expert_id, kind, pos, value", NULL, NULL},
    {"company",
     "id, name, industry, kind, employees, capital, prefecture, contact_name, contact_role,"
     " staffing, security_action, notes, created_at, updated_at, added_by",
     "id", "name"},
    {"engagement",
     "id, company_id, expert_id, theme, state, reason, created_at, updated_at, variant,"
     " ended_on, findings",
     "id", NULL},
    {"visit",
     "engagement_id, n, state, planned_date, held_date, attendees, notes, reported_at,"
     " prepared_date, time_from, time_to, place, online, findings, issues, agreed",
     NULL, NULL},
    {"task", "engagement_id, theme, visit, item, done_at", NULL, NULL},
    {"record", "engagement_id, sheet, seq, data, imported_at", NULL, NULL},
    {"document", "engagement_id, path, doc, title, visit, template, sha256, generated_at, kind",
     NULL, NULL},
    {"document_content", "sha256, size, bytes", NULL, NULL},
    {"programme_document", "path, doc, title, sha256, generated_at", NULL, "path"},
    {"event", "id, at, actor, company_id, engagement_id, kind, detail", "id", NULL},
    {"survey_overall", "expert_id, fiscal_year, data, imported_at", NULL, NULL},
    {"expert_skill", "expert_id, data, source, answered_at, imported_at", NULL, NULL},
    {"application",
     "company_id, fiscal_year, applied_on, security_action, has_policy, earlier, consent, via,"
     " notes, recorded_at",
     NULL, NULL},
    {"consult_session", "id, held_on, region, venue, chamber, rounds, notes, created_at", "id",
     NULL},
    {"consult_booth", "session_id, booth, expert_id", NULL, NULL},
    {"consultation",
     "id, session_id, round, booth, company_id, expert_id, asked, topics, advice, wish,"
     " wished_theme, wished_dates, proposed_theme, outcome, decline_reason, decline_detail,"
     " engagement_id, booked_at, recorded_at",
     "id", NULL},
};

/* Counts a conflict, naming the first ten in `found`. */
static void conflict(bs_buf *found, size_t *count, const struct copied_table *t,
                     const bs_value *key)
{
    if (++*count > 10) {
        return;
    }
    if (value_type(key) == BS_VINT) {
        bs_buf_printf(found, "%s%s %lld", found->s ? ", " : "", t->name,
                      (long long)value_as_int(key));
    } else {
        bs_buf_printf(found, "%s%s '%s'", found->s ? ", " : "", t->name, value_as_str(key));
    }
}

/* Appends to `found` what of `rows` (of table t, by id when it has one)
 * `to` holds already: ids by walking both in order, names one by one. */
static int find_conflicts(bs_store *to, const struct copied_table *t, const bs_value *rows,
                          bs_buf *found, size_t *count, bs_err *err)
{
    int rc = BS_OK;
    if (t->id) {
        char *sql = xasprintf("SELECT id FROM %s ORDER BY id", t->name);
        bs_value *have = NULL;
        rc = query(to, sql, NULL, &have, err);
        free(sql);
        for (size_t i = 0, j = 0; rc == BS_OK && i < value_len(rows) && j < value_len(have);) {
            const bs_value *v = value_get(value_at(rows, i), "id");
            int64_t a = value_as_int(v), b = value_as_int(value_get(value_at(have, j), "id"));
            if (a == b) {
                conflict(found, count, t, v);
            }
            i += a <= b;
            j += b <= a;
        }
        value_free(have);
    }
    if (rc == BS_OK && t->named) {
        char *sql = xasprintf("SELECT 1 AS k FROM %s WHERE %s = ?1", t->name, t->named);
        for (size_t i = 0; rc == BS_OK && i < value_len(rows); i++) {
            const bs_value *v = value_get(value_at(rows, i), t->named);
            bs_value *have = NULL;
            bs_value *a = value_list();
            value_push(a, value_copy(v));
            rc = query_args(to, sql, a, &have, err);
            if (rc != BS_OK) {
                bs_err_prefix(err, _("%s, row %zu"), t->name, i + 1);
            } else if (value_len(have) > 0) {
                conflict(found, count, t, v);
            }
            value_free(have);
        }
        free(sql);
    }
    return rc;
}

/* Inserts `rows` of table t into `to`, with the same columns. */
static int insert_rows(bs_store *to, const struct copied_table *t, const bs_value *rows,
                       bs_err *err)
{
    bs_buf params = {0};
    size_t ncol = 1;
    for (const char *p = t->cols; *p; p++) {
        ncol += *p == ',';
    }
    for (size_t i = 1; i <= ncol; i++) {
        bs_buf_printf(&params, "%s?%zu", i > 1 ? ", " : "", i);
    }
    bool content = strcmp(t->name, "document_content") == 0;
    char *sql = xasprintf("INSERT INTO %s (%s) VALUES (%s)%s", t->name, t->cols, params.s,
                          content ? " ON CONFLICT DO NOTHING" : "");
    bs_buf_free(&params);
    int rc = BS_OK;
    for (size_t i = 0; rc == BS_OK && i < value_len(rows); i++) {
        const bs_value *r = value_at(rows, i);
        bs_value *a = value_list();
        for (size_t c = 0; c < value_len(r); c++) {
            value_push(a, value_copy(value_at(r, c)));
        }
        rc = query_args(to, sql, a, NULL, err);
        if (rc != BS_OK) {
            bs_err_prefix(err, _("%s, row %zu"), t->name, i + 1);
        }
    }
    free(sql);
    return rc;
}

/* The identity counters of `to` continued after the ids copied. */
static int continue_ids(bs_store *to, bs_err *err)
{
    int rc = BS_OK;
    for (size_t i = 0; rc == BS_OK && on_pg(to) && i < sizeof copied / sizeof *copied; i++) {
        if (!copied[i].id) {
            continue;
        }
        char *sql = xasprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), m)"
                              " FROM (SELECT max(id) AS m FROM %s) x WHERE m IS NOT NULL",
                              copied[i].name, copied[i].name);
        rc = query(to, sql, NULL, NULL, err);
        free(sql);
    }
    return rc;
}

int store_copy(bs_store *from, bs_store *to, bs_value **copied_out, bs_err *err)
{
    enum { N = sizeof copied / sizeof *copied };
    bs_value *rows[N] = {0};
    int rc = on_pg(to) ? check_owner(to, err) : BS_OK;
    for (size_t i = 0; rc == BS_OK && i < N; i++) {
        char *sql = xasprintf("SELECT %s FROM %s%s", copied[i].cols, copied[i].name,
                              copied[i].id ? " ORDER BY id" : "");
        rc = query(from, sql, NULL, &rows[i], err);
        free(sql);
    }
    if (rc == BS_OK) {
        rc = store_begin(to, err);
    }
    if (rc != BS_OK) {
        goto done;
    }
    bs_buf found = {0};
    size_t conflicts = 0;
    for (size_t i = 0; rc == BS_OK && i < N; i++) {
        rc = find_conflicts(to, &copied[i], rows[i], &found, &conflicts, err);
    }
    if (rc == BS_OK && conflicts) {
        rc = conflicts > 10
                 ? bs_err_set(err, BS_EEXIST, _("the database holds already %s and %zu more"),
                              found.s, conflicts - 10)
                 : bs_err_set(err, BS_EEXIST, _("the database holds already %s"), found.s);
    }
    bs_buf_free(&found);
    for (size_t i = 0; rc == BS_OK && i < N; i++) {
        rc = insert_rows(to, &copied[i], rows[i], err);
    }
    if (rc == BS_OK) {
        rc = continue_ids(to, err);
    }
    rc = rc == BS_OK ? store_commit(to, err) : (store_rollback(to), rc);
    if (rc == BS_OK) {
        bs_value *m = value_map();
        for (size_t i = 0; i < N; i++) {
            value_set_int(m, copied[i].name, (int64_t)value_len(rows[i]));
        }
        *copied_out = m;
    }
done:
    for (size_t i = 0; i < N; i++) {
        value_free(rows[i]);
    }
    return rc;
}
