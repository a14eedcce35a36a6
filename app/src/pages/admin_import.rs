//! The back office's catalog import (`/admin/import`): upload a CSV file
//! (a plain multipart form: it works without JavaScript) to get its dry run,
//! line by line; start it, and follow its progress bar (refreshed every
//! second, or by the page reloading itself without JavaScript) to its
//! account of what was created, changed and refused.

use crate::api::catalog_import::{catalog_import_job, catalog_imports, DecideCatalogImport, UploadCatalogCsv};
use crate::components::{AdminNav, ErrorView};
use crate::domain::catalog_import::{ImportJob, JobState, Outcome, Report, MAX_FILE, REPORT_LINES};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminImportPage() -> impl IntoView {
    let query = use_query_map();
    let job = move || query.read().get("job").and_then(|j| j.parse::<i64>().ok());
    // Bumped every second while a job runs: its progress is read again.
    let tick = RwSignal::new(0usize);
    let data = crate::components::page_data(move || (job(), tick.get()), |(job, _)| async move {
        match job {
            Some(id) => catalog_import_job(id).await.map(Some),
            None => Ok(None),
        }
    });
    let recent = crate::components::page_data(|| (), |_| catalog_imports());
    let decide = ServerAction::<DecideCatalogImport>::new();
    // Its redirect is to this same address: the job is read again.
    crate::components::bump_on_success(tick, decide);
    Effect::new(move |_| {
        let running = data.get().and_then(|d| d.ok()).flatten().is_some_and(|j| j.state == JobState::Running);
        if running {
            set_timeout(move || tick.update(|t| *t += 1), std::time::Duration::from_secs(1));
        }
    });
    view! {
        <Title text="Import products · Admin"/>
        <AdminNav current="products"/>
        <section class="admin-import">
            <h1>"Import products"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Ok(Some(job)) => job_view(job, decide).into_any(),
                    }
                })}
            </Suspense>
            {upload_form()}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move { recent.await.ok().map(recent_list) })}
            </Suspense>
        </section>
    }
}

/// The upload form, with the refusal of the last upload posted without JavaScript.
fn upload_form() -> impl IntoView {
    let refused = use_context::<ServerActionError>()
        .filter(|e| e.path() == <UploadCatalogCsv as ServerFn>::PATH)
        .map(|e| ServerFnUrlError::<crate::error::AppError>::decode_err(e.err()));
    let path = <UploadCatalogCsv as ServerFn>::PATH;
    view! {
        <form method="post" action=path enctype="multipart/form-data" class="staff-form" data-testid="import-form">
            <h2>"Check a file"</h2>
            <p class="hint">
                "A CSV file in the columns of "<a href="/admin/products.csv" download>"the export"</a>
                " (handle and sku are needed; a column left out leaves that field as it is). Lines are matched to variants by SKU, "
                "so importing the same file again changes nothing. Nothing is imported until you have seen the check and start it. "
                {format!("At most {} MB.", MAX_FILE >> 20)}
            </p>
            {refused.map(|error| view! { <p class="form-error" role="alert" data-testid="import-error">{error.to_string()}</p> })}
            <label>"File" <input type="file" name="file" accept=".csv,text/csv" required data-testid="import-file"/></label>
            <button type="submit" class="button" data-testid="import-check">"Check the file"</button>
        </form>
    }
}

fn job_view(job: ImportJob, decide: ServerAction<DecideCatalogImport>) -> impl IntoView {
    let id = job.id;
    let heading = format!("Import {} — {}", job.id, job.file_name);
    let body = match job.state {
        JobState::Checked => view! {
            <p data-testid="import-state">{format!("Checked: {} lines. This is what importing it would do:", job.lines)}</p>
            {counts(&job.dry_run, true)}
            <ActionForm action=decide attr:class="inline-form" attr:data-testid="import-decide">
                <input type="hidden" name="id" value=id/>
                <button type="submit" name="go" value="start" class="button" data-testid="import-start">
                    {format!("Import {} lines", job.dry_run.created + job.dry_run.changed)}
                </button>
                <button type="submit" name="go" value="drop" class="button secondary" data-testid="import-drop">"Drop it"</button>
            </ActionForm>
            {move || decide.value().get().and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            {lines(&job.dry_run)}
        }
        .into_any(),
        JobState::Running => view! {
            // Without JavaScript the page reloads itself to show the progress
            // (with it, the browser reads the noscript's text and ignores it).
            <noscript inner_html=r#"<meta http-equiv="refresh" content="2">"#></noscript>
            <p data-testid="import-state">{format!("Importing: {} of {} lines ({}%).", job.lines_done, job.lines, job.percent())}</p>
            <progress max=job.lines value=job.lines_done data-testid="import-progress">{format!("{}%", job.percent())}</progress>
            {counts(&job.result, false)}
        }
        .into_any(),
        JobState::Done => view! {
            <p data-testid="import-state">{format!("Imported: all {} lines are done.", job.lines)}</p>
            <progress max=job.lines value=job.lines data-testid="import-progress">"100%"</progress>
            {counts(&job.result, false)}
            {lines(&job.result)}
        }
        .into_any(),
        JobState::Dropped => view! { <p data-testid="import-state">"Dropped: nothing was imported."</p> }.into_any(),
    };
    view! {
        <section class="import-job" data-testid="import-job">
            <h2>{heading}</h2>
            {body}
        </section>
    }
}

/// The counts of a report: what would be (`planned`) or was done.
fn counts(report: &Report, planned: bool) -> impl IntoView {
    let (create, change) = if planned { ("to create", "to change") } else { ("created", "changed") };
    view! {
        <ul class="import-counts" data-testid="import-counts">
            <li data-testid="count-created">{format!("{} {create}", report.created)}</li>
            <li data-testid="count-changed">{format!("{} {change}", report.changed)}</li>
            <li data-testid="count-unchanged">{format!("{} unchanged", report.unchanged)}</li>
            <li data-testid="count-refused">{format!("{} refused", report.refused)}</li>
        </ul>
    }
}

/// The report's lines (refused, created, changed) as a table.
fn lines(report: &Report) -> impl IntoView {
    if report.lines.is_empty() {
        return ().into_any();
    }
    let shown = report.created + report.changed + report.refused;
    let more = (shown > report.lines.len() as u64)
        .then(|| view! { <p class="hint">{format!("The first {REPORT_LINES} lines are shown (every refusal first); the counts cover them all.")}</p> });
    let mut sorted = report.lines.clone();
    sorted.sort_by_key(|l| l.line);
    let rows = sorted
        .into_iter()
        .map(|l| {
            let (what, why, class) = match l.outcome {
                Outcome::Created => ("Create", String::new(), "created"),
                Outcome::Changed(how) => ("Change", how, "changed"),
                Outcome::Unchanged => ("Unchanged", String::new(), "unchanged"),
                Outcome::Refused(why) => ("Refused", why, "refused"),
            };
            view! {
                <tr class=class data-testid="import-line">
                    <td>{l.line}</td>
                    <td>{l.sku}</td>
                    <td>{what}</td>
                    <td>{why}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {more}
        <div class="table-scroll" tabindex="0" role="region" aria-label="Import lines">
            <table class="staff-table" data-testid="import-lines">
                <thead><tr><th>"Line"</th><th>"SKU"</th><th>"What"</th><th>"Details"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The latest imports, each linked to its page.
fn recent_list(jobs: Vec<ImportJob>) -> impl IntoView {
    (!jobs.is_empty()).then(|| {
        let items = jobs
            .into_iter()
            .map(|j| {
                let state = match j.state {
                    JobState::Checked => "checked, not started",
                    JobState::Running => "importing",
                    JobState::Done => "imported",
                    JobState::Dropped => "dropped",
                };
                view! {
                    <li><a href=format!("/admin/import?job={}", j.id)>{format!("Import {} — {}", j.id, j.file_name)}</a>
                    {format!(" ({} lines, {state}, by {})", j.lines, j.by)}</li>
                }
            })
            .collect_view();
        view! { <h2>"Latest imports"</h2> <ul class="import-recent" data-testid="import-recent">{items}</ul> }
    })
}
