-- Catalog imports from CSV (issue 19). An upload is checked at once (the
-- dry run, kept as JSON in `dry_run`) and waits, with the file, until staff
-- start it; then any app server takes it (a lease: `lease_until`) and
-- imports its products in batches, each batch's changes and the job's new
-- `groups_done` in one transaction, so a crash resumes where it stopped.
CREATE TABLE catalog_imports (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    body        TEXT NOT NULL,
    state       TEXT NOT NULL,
    -- Whose it is: their reach (NULL: every product) and, for the audit log, who and from where.
    seller_id   BIGINT,
    user_id     BIGINT NOT NULL,
    email       TEXT NOT NULL,
    ip          TEXT NOT NULL,
    lines       BIGINT NOT NULL,
    lines_done  BIGINT NOT NULL DEFAULT 0,
    groups_done BIGINT NOT NULL DEFAULT 0,
    dry_run     TEXT NOT NULL,
    result      TEXT NOT NULL DEFAULT '',
    lease_until BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX catalog_imports_by_state ON catalog_imports (state, id);
