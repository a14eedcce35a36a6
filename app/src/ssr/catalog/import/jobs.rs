//! Import jobs: an upload is read and dry-run at once and kept, with its
//! report, until the staff who sent it start it (or drop it). A started job
//! is taken by one app server at a time (a lease it renews each batch) and
//! imported in batches of products: each batch's writes and the job's
//! progress commit together, so after a crash the next server resumes at
//! the first batch not done, and nothing is imported twice. A batch that
//! fails as a whole (a sale moved a stock meanwhile) is tried product by
//! product; a product that still fails is refused with the reason.

use super::plan::{plan, read_stored, Lookups};
use super::write::{flush, write, Author, Pending};
use crate::domain::catalog_import::{file_text, read_file, Group, ImportJob, JobState, Outcome, Report, ReportLine, MAX_FILE};
use crate::error::AppError;
use crate::ssr::accounts::audit::{record_change, Event};
use crate::ssr::accounts::Staff;
use crate::ssr::catalog::staff::catalog_staff;
use crate::ssr::db::Db;
use crate::ssr::now;
use leptos::server_fn::codec::MultipartData;
use std::time::Duration;

/// Products per batch (one transaction).
const BATCH: usize = 250;
/// How long a server holds a job without renewing its lease.
const LEASE_SECS: i64 = 60;
/// How often servers look for a started job.
pub const POLL: Duration = Duration::from_millis(500);

/// Reads the upload form (`file`), dry-runs it and keeps it as a job; its id.
pub async fn upload(data: MultipartData) -> Result<i64, AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let (name, bytes) = read_form(data).await?;
    let text = file_text(bytes).map_err(AppError::BadRequest)?;
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    check(&state.db, Uploader { reach, user: user.id, email: &user.email, ip: &ip }, &name, text).await
}

/// Who uploads a file.
pub struct Uploader<'a> {
    pub reach: Staff,
    pub user: i64,
    pub email: &'a str,
    pub ip: &'a str,
}

/// Dry-runs file `text` (called `name`) for `by` and keeps it as a job waiting to be started; its id.
pub async fn check(db: &Db, by: Uploader<'_>, name: &str, text: String) -> Result<i64, AppError> {
    let read = read_file(&text).map_err(AppError::BadRequest)?;
    if read.lines == 0 {
        return Err(AppError::BadRequest("The file has a header but no lines to import.".into()));
    }
    let mut report = read.refused.clone();
    let mut conn = db.pool.acquire().await?;
    let lookups = Lookups::read(&mut conn).await?;
    for batch in read.groups.chunks(BATCH) {
        let stored = read_stored(&mut conn, batch, false).await?;
        for group in batch {
            plan(group, &stored, &lookups, by.reach).lines.into_iter().for_each(|line| report.add(line));
        }
    }
    drop(conn);
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO catalog_imports (file_name, body, state, seller_id, user_id, email, ip, lines, dry_run, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(name)
    .bind(&text)
    .bind(JobState::Checked.key())
    .bind(seller_of(by.reach))
    .bind(by.user)
    .bind(by.email)
    .bind(by.ip)
    .bind(read.lines as i64)
    .bind(serde_json::to_string(&report).map_err(|_| AppError::Internal)?)
    .bind(now())
    .fetch_one(&db.pool)
    .await?;
    Ok(id)
}

fn seller_of(reach: Staff) -> Option<i64> {
    match reach {
        Staff::Admin => None,
        Staff::Seller(seller) => Some(seller),
    }
}

/// The form's file (its name and bytes), at most [`MAX_FILE`].
async fn read_form(data: MultipartData) -> Result<(String, Vec<u8>), AppError> {
    let bad = || AppError::BadRequest("Send the file with the import form.".into());
    let mut form = data.into_inner().ok_or_else(bad)?;
    while let Some(mut field) = form.next_field().await.map_err(|_| bad())? {
        if field.name() != Some("file") {
            continue;
        }
        let name: String = field.file_name().unwrap_or("catalog.csv").chars().filter(|c| !c.is_control()).take(120).collect();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| bad())? {
            if bytes.len() + chunk.len() > MAX_FILE {
                return Err(AppError::TooLarge(format!("The file is over {} MB: split it into several files.", MAX_FILE >> 20)));
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok((name, bytes));
    }
    Err(AppError::BadRequest("Choose the CSV file to import.".into()))
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: i64,
    file_name: String,
    state: String,
    seller_id: Option<i64>,
    email: String,
    lines: i64,
    lines_done: i64,
    dry_run: String,
    result: String,
    created_at: i64,
    finished_at: Option<i64>,
}

const JOB_COLUMNS: &str = "id, file_name, state, seller_id, email, lines, lines_done, dry_run, result, created_at, finished_at";

impl JobRow {
    fn view(self) -> ImportJob {
        let report = |json: &str| serde_json::from_str::<Report>(json).unwrap_or_default();
        ImportJob {
            id: self.id,
            file_name: self.file_name,
            state: JobState::parse(&self.state).unwrap_or(JobState::Dropped),
            lines: self.lines as u64,
            lines_done: self.lines_done as u64,
            dry_run: report(&self.dry_run),
            result: report(&self.result),
            by: self.email,
            created_at: self.created_at,
            finished_at: self.finished_at,
        }
    }
}

/// Job `id`, if the signed-in staff's reach covers it (admins: every job; a
/// seller's staff: their seller's).
async fn reachable_job(db: &Db, reach: Staff, id: i64) -> Result<JobRow, AppError> {
    let row: Option<JobRow> = sqlx::query_as(&format!("SELECT {JOB_COLUMNS} FROM catalog_imports WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.filter(|r| reach == Staff::Admin || r.seller_id == seller_of(reach))
        .ok_or_else(|| AppError::NotFound("There is no such import.".into()))
}

/// Staff: import `id` as its page shows it.
pub async fn job(id: i64) -> Result<ImportJob, AppError> {
    let state = crate::ssr::state()?;
    let (_, reach) = catalog_staff(&state.db).await?;
    Ok(reachable_job(&state.db, reach, id).await?.view())
}

/// Staff: the latest imports in their reach, newest first.
pub async fn recent() -> Result<Vec<ImportJob>, AppError> {
    let state = crate::ssr::state()?;
    let (_, reach) = catalog_staff(&state.db).await?;
    let seller = seller_of(reach);
    // The list shows no reports: they are not read (each is up to 500 lines of JSON).
    let rows: Vec<JobRow> = sqlx::query_as(
        "SELECT id, file_name, state, seller_id, email, lines, lines_done, '' AS dry_run, '' AS result, created_at, finished_at \
         FROM catalog_imports WHERE $1 = 0 OR seller_id = $2 ORDER BY id DESC LIMIT 10",
    )
    .bind(i64::from(seller.is_some()))
    .bind(seller.unwrap_or(0))
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows.into_iter().map(JobRow::view).collect())
}

/// Staff: starts checked import `id` (`go`), or drops it.
pub async fn decide(id: i64, go: bool) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let job = reachable_job(&state.db, reach, id).await?;
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    let mut tx = state.db.begin_write().await?;
    let (to, body) = if go { (JobState::Running, "body") } else { (JobState::Dropped, "''") };
    let done = sqlx::query(&format!("UPDATE catalog_imports SET state = $2, body = {body} WHERE id = $1 AND state = $3"))
        .bind(id)
        .bind(to.key())
        .bind(JobState::Checked.key())
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict("This import was started or dropped already.".into()));
    }
    let verb = if go { "started" } else { "dropped" };
    let detail = format!("CSV import {id} ({}, {} lines) {verb}", job.file_name, job.lines);
    record_change(&mut tx, Some(user.id), &user.email, Event::ProductChanged, &ip, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Looks for started imports every [`POLL`] until the pool closes.
pub fn spawn_worker(db: Db) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(POLL).await;
            if db.pool.is_closed() {
                break;
            }
            if let Err(error) = run_one(&db).await {
                tracing::warn!(?error, "catalog import failed; it resumes on the next try");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    });
}

/// A started job this server took, with what it needs to go on.
#[derive(sqlx::FromRow)]
struct Taken {
    id: i64,
    body: String,
    seller_id: Option<i64>,
    user_id: i64,
    email: String,
    ip: String,
    groups_done: i64,
    lines_done: i64,
    result: String,
}

/// Takes one started job whose lease ran out (if any) and imports the rest of it.
pub async fn run_one(db: &Db) -> Result<bool, AppError> {
    let at = now();
    // A read first: on SQLite an UPDATE takes the write lock even when it changes nothing.
    let waiting: Option<(i64,)> = sqlx::query_as("SELECT id FROM catalog_imports WHERE state = $1 AND lease_until < $2 LIMIT 1")
        .bind(JobState::Running.key())
        .bind(at)
        .fetch_optional(&db.pool)
        .await?;
    if waiting.is_none() {
        return Ok(false);
    }
    let taken: Option<Taken> = sqlx::query_as(
        "UPDATE catalog_imports SET lease_until = $2 \
         WHERE id = (SELECT id FROM catalog_imports WHERE state = $3 AND lease_until < $1 ORDER BY id LIMIT 1) AND lease_until < $1 \
         RETURNING id, body, seller_id, user_id, email, ip, groups_done, lines_done, result",
    )
    .bind(at)
    .bind(at + LEASE_SECS)
    .bind(JobState::Running.key())
    .fetch_optional(&db.pool)
    .await?;
    let Some(job) = taken else {
        return Ok(false);
    };
    import(db, job).await?;
    Ok(true)
}

async fn import(db: &Db, job: Taken) -> Result<(), AppError> {
    // The file was read when it was checked: it reads the same way now.
    let read = read_file(&job.body).map_err(AppError::BadRequest)?;
    let mut result = if job.groups_done == 0 { read.refused.clone() } else { serde_json::from_str(&job.result).unwrap_or_default() };
    let by = Author { job: job.id, user: job.user_id, email: &job.email, ip: &job.ip, seller: job.seller_id };
    let reach = job.seller_id.map_or(Staff::Admin, Staff::Seller);
    let lookups = Lookups::read(&mut *db.pool.acquire().await?).await?;
    let (mut groups_done, mut lines_done) = (job.groups_done as usize, job.lines_done);
    if groups_done == 0 {
        lines_done = read.refused.total() as i64;
    }
    while groups_done < read.groups.len() {
        let batch = &read.groups[groups_done..(groups_done + BATCH).min(read.groups.len())];
        let report = match import_batch(db, batch, &lookups, reach, &by, Progress { result: &result, groups_done, lines_done }).await {
            Ok(report) => report,
            Err(_) if !still_held(db, job.id, groups_done).await? => return Ok(()),
            // One product at a time: each that still fails is refused, the rest imported.
            Err(_) => import_singly(db, batch, &lookups, reach, &by, Progress { result: &result, groups_done, lines_done }).await?,
        };
        lines_done += batch.iter().map(|g| g.lines.len() as i64).sum::<i64>();
        groups_done += batch.len();
        result.merge(report);
    }
    // The account is written again: a file whose every line was refused on reading has no batch.
    sqlx::query(
        "UPDATE catalog_imports SET state = $2, finished_at = $3, body = '', result = $5, lines_done = lines \
         WHERE id = $1 AND state = $4 AND groups_done = $6",
    )
    .bind(job.id)
    .bind(JobState::Done.key())
    .bind(now())
    .bind(JobState::Running.key())
    .bind(serde_json::to_string(&result).map_err(|_| AppError::Internal)?)
    .bind(groups_done as i64)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Whether job `id` still stands where this server left it (else another took it over).
async fn still_held(db: &Db, id: i64, groups_done: usize) -> Result<bool, AppError> {
    let (done, state): (i64, String) =
        sqlx::query_as("SELECT groups_done, state FROM catalog_imports WHERE id = $1").bind(id).fetch_one(&db.pool).await?;
    Ok(done == groups_done as i64 && state == JobState::Running.key())
}

/// Where a job stands before a batch.
#[derive(Clone, Copy)]
struct Progress<'a> {
    result: &'a Report,
    groups_done: usize,
    lines_done: i64,
}

/// Imports `batch` in one transaction with the job's progress; its report.
async fn import_batch(db: &Db, batch: &[Group], lookups: &Lookups, reach: Staff, by: &Author<'_>, at: Progress<'_>) -> Result<Report, AppError> {
    let mut tx = db.begin_write().await?;
    let stored = read_stored(&mut tx, batch, true).await?;
    let (mut report, mut pending) = (Report::default(), Pending::default());
    for group in batch {
        let plan = plan(group, &stored, lookups, reach);
        write(&mut tx, &plan, by, &mut pending).await?;
        plan.lines.into_iter().for_each(|line| report.add(line));
    }
    flush(&mut tx, pending, by).await?;
    record_progress(&mut tx, by.job, at, batch, &report).await?;
    tx.commit().await?;
    Ok(report)
}

/// [`import_batch`] one product per transaction, each with the job's
/// progress past it; a product whose write fails has its lines refused with
/// the reason (recorded in a transaction of its own).
async fn import_singly(db: &Db, batch: &[Group], lookups: &Lookups, reach: Staff, by: &Author<'_>, at: Progress<'_>) -> Result<Report, AppError> {
    let (mut result, mut report) = (at.result.clone(), Report::default());
    let (mut groups_done, mut lines_done) = (at.groups_done, at.lines_done);
    for group in batch {
        let one = std::slice::from_ref(group);
        let mut tx = db.begin_write().await?;
        let stored = read_stored(&mut tx, one, true).await?;
        let plan = plan(group, &stored, lookups, reach);
        let mut mine = Report::default();
        let mut pending = Pending::default();
        let written = match write(&mut tx, &plan, by, &mut pending).await {
            Ok(()) => flush(&mut tx, pending, by).await,
            failed => failed,
        };
        match written {
            Ok(()) => plan.lines.into_iter().for_each(|line| mine.add(line)),
            Err(error) => {
                drop(tx);
                tx = db.begin_write().await?;
                let why = match error {
                    AppError::BadRequest(why) | AppError::Conflict(why) => why,
                    _ => "The shop could not write this product; import the file again to retry it.".to_owned(),
                };
                for line in &group.lines {
                    mine.add(ReportLine { line: line.line, sku: line.sku.clone(), outcome: Outcome::Refused(why.clone()) });
                }
            }
        }
        record_progress(&mut tx, by.job, Progress { result: &result, groups_done, lines_done }, one, &mine).await?;
        tx.commit().await?;
        groups_done += 1;
        lines_done += group.lines.len() as i64;
        result.merge(mine.clone());
        report.merge(mine);
    }
    Ok(report)
}

/// Moves the job past `batch` (its report added), if this server still
/// holds it where it was; renews the lease.
async fn record_progress(conn: &mut sqlx::AnyConnection, job: i64, at: Progress<'_>, batch: &[Group], report: &Report) -> Result<(), AppError> {
    let mut result = at.result.clone();
    result.merge(report.clone());
    let lines = batch.iter().map(|g| g.lines.len() as i64).sum::<i64>();
    let done = sqlx::query(
        "UPDATE catalog_imports SET groups_done = $3, lines_done = $4, result = $5, lease_until = $6 WHERE id = $1 AND groups_done = $2",
    )
    .bind(job)
    .bind(at.groups_done as i64)
    .bind((at.groups_done + batch.len()) as i64)
    .bind(at.lines_done + lines)
    .bind(serde_json::to_string(&result).map_err(|_| AppError::Internal)?)
    .bind(now() + LEASE_SECS)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict("Another server took this import over.".into()));
    }
    Ok(())
}
