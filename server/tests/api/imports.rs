//! The catalog's CSV import (issue 19): a dry run that changes nothing and
//! says per line what would happen, then a job that does it, keyed by SKU
//! (the same file again changes nothing), resumable from its last batch;
//! bad files refused with a reason; who may import what.

use crate::helpers::{admin, spawn_app, staff, Browser, TestApp};
use app::domain::catalog_import::{ImportJob, JobState, Outcome};

const UPLOAD: &str = "admin/import/upload";

/// Uploads `csv` as `name`; the reply.
async fn upload(browser: &mut Browser<'_>, csv: &str) -> crate::helpers::Reply {
    browser.upload_file(UPLOAD, &[], ("catalog.csv", "text/csv", csv.as_bytes().to_vec()), false).await
}

/// The newest import's id.
async fn newest_job(app: &TestApp) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT MAX(id) FROM catalog_imports").fetch_one(&app.db.pool).await.unwrap();
    id
}

async fn job(browser: &mut Browser<'_>, id: i64) -> ImportJob {
    let reply = browser.call("admin/import/job", &[("id", &id.to_string())]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// Starts import `id` and waits (at most 30 s) until it is done.
async fn run(browser: &mut Browser<'_>, id: i64) -> ImportJob {
    let started = browser.call("admin/import/decide", &[("id", &id.to_string()), ("go", "start")]).await;
    assert!(started.status < 400, "{} {}", started.status, started.body);
    wait_done(browser, id).await
}

async fn wait_done(browser: &mut Browser<'_>, id: i64) -> ImportJob {
    for _ in 0..300 {
        let now = job(browser, id).await;
        if now.state == JobState::Done {
            return now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("import {id} did not finish in 30 s");
}

fn why(job: &ImportJob, sku: &str, dry: bool) -> Outcome {
    let report = if dry { &job.dry_run } else { &job.result };
    report.lines.iter().find(|l| l.sku == sku).map(|l| l.outcome.clone()).unwrap_or(Outcome::Unchanged)
}

/// A brand and a category slug the shop has.
async fn brand_and_category(app: &TestApp) -> (String, String) {
    let (brand,): (String,) = sqlx::query_as("SELECT slug FROM brands ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let (category,): (String,) =
        sqlx::query_as("SELECT slug FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    (brand, category)
}

#[tokio::test]
async fn the_export_imports_back_unchanged() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "import-roundtrip@example.com").await;
    let csv = owner.get("/admin/products.csv").await;
    assert_eq!(csv.status, 200);
    let reply = upload(&mut owner, &csv.body).await;
    assert!(reply.status < 400, "{} {}", reply.status, reply.body);
    let checked = job(&mut owner, newest_job(&app).await).await;
    let (variants,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM product_variants").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(checked.lines, variants as u64);
    assert_eq!(
        (checked.dry_run.created, checked.dry_run.changed, checked.dry_run.refused, checked.dry_run.unchanged),
        (0, 0, 0, variants as u64),
        "the shop's own export changes nothing: {:?}",
        checked.dry_run.lines.first()
    );
}

#[tokio::test]
async fn a_dry_run_changes_nothing_then_the_job_creates_changes_and_refuses() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "import-run@example.com").await;
    let (brand, category) = brand_and_category(&app).await;
    // An existing product sold one way, to change.
    let (slug, sku, price, stock, product): (String, String, i64, i64, i64) = sqlx::query_as(
        "SELECT p.slug, v.sku, v.price_minor, v.stock, p.id FROM products p JOIN product_variants v ON v.product_id = p.id \
         WHERE NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id) AND v.compare_at_minor IS NULL ORDER BY p.id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let new_price = price + 100;
    let new_stock = stock + 5;
    let csv = format!(
        "handle,name,status,brand,category,option1_name,option1_value,option2_name,option2_value,option3_name,option3_value,sku,price,stock,description\n\
         import-tee,Import tee,active,{brand},{category},Size,S,,,,,IMP-TEE-S,12.00,4,\"Soft, light.\"\n\
         import-tee,Import tee,active,{brand},{category},Size,M,,,,,IMP-TEE-M,10.50,6,\"Soft, light.\"\n\
         import-odd,Odd,draft,no-such-brand,{category},,,,,,,IMP-ODD,3.00,1,\n\
         import-bad,Bad,draft,{brand},{category},,,,,,,IMP-BAD,three,1,\n\
         {slug},{name},{status},{brand_now},{category_now},,,,,,,{sku},{money},{new_stock},{description}\n",
        name = "\"Renamed by import\"",
        status = "draft",
        brand_now = brand,
        category_now = category,
        money = app::domain::order_desk::csv_amount(new_price),
        description = "\"Changed by the import.\"",
    );
    let reply = upload(&mut owner, &csv).await;
    assert!(reply.status < 400, "{} {}", reply.status, reply.body);
    let id = newest_job(&app).await;
    let checked = job(&mut owner, id).await;
    assert_eq!(checked.state, JobState::Checked);
    assert_eq!((checked.dry_run.created, checked.dry_run.changed, checked.dry_run.refused), (2, 1, 2), "{:?}", checked.dry_run);
    assert!(matches!(why(&checked, "IMP-ODD", true), Outcome::Refused(w) if w.contains("no brand “no-such-brand”")));
    assert!(matches!(why(&checked, "IMP-BAD", true), Outcome::Refused(w) if w.contains("not an amount")));
    match why(&checked, &sku, true) {
        Outcome::Changed(how) => assert!(how.contains("stock") && how.contains("price") && how.contains("name"), "{how}"),
        other => panic!("{other:?}"),
    }
    // The dry run wrote nothing.
    let (made,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products WHERE slug = 'import-tee'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(made, 0);
    let (still,): (i64,) = sqlx::query_as("SELECT price_minor FROM product_variants WHERE sku = $1").bind(&sku).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(still, price);

    let done = run(&mut owner, id).await;
    assert_eq!((done.result.created, done.result.changed, done.result.refused), (2, 1, 2), "{:?}", done.result);
    assert_eq!(done.lines_done, 5);
    let (tee, tee_price, tee_stock, tee_status): (i64, i64, i64, String) =
        sqlx::query_as("SELECT id, price_minor, stock, status FROM products WHERE slug = 'import-tee'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!((tee_price, tee_stock, tee_status.as_str()), (1050, 10, "active"), "the cheapest variant's price, the stock summed");
    let (options,): (String,) = sqlx::query_as("SELECT name FROM product_options WHERE product_id = $1").bind(tee).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(options, "Size");
    let (opening,): (i64,) = sqlx::query_as("SELECT CAST(SUM(delta) AS BIGINT) FROM inventory_ledger WHERE product_id = $1 AND reason = 'opening'")
        .bind(tee)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(opening, 10, "the stock arrived through the ledger");
    let (changed_price, changed_stock, name, product_stock): (i64, i64, String, i64) = sqlx::query_as(
        "SELECT v.price_minor, v.stock, p.name, p.stock FROM product_variants v JOIN products p ON p.id = v.product_id WHERE v.sku = $1",
    )
    .bind(&sku)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((changed_price, changed_stock, name.as_str(), product_stock), (new_price, new_stock, "Renamed by import", new_stock));
    let (follows,): (i64,) = sqlx::query_as("SELECT price_minor FROM products WHERE id = $1").bind(product).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(follows, new_price, "sold one way, the product's price is its variant's");
    let (counted,): (i64,) = sqlx::query_as("SELECT delta FROM inventory_ledger WHERE variant_id = (SELECT id FROM product_variants WHERE sku = $1) AND reason = 'counted' AND note = $2")
        .bind(&sku)
        .bind(format!("CSV import {id}"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(counted, 5);
    let audit = crate::helpers::audit_details(&app, "product-created").await;
    assert!(audit.iter().any(|d| d.contains(&format!("CSV import {id}")) && d.contains("IMP-TEE-S, IMP-TEE-M")), "{audit:?}");
    let changes = crate::helpers::audit_details(&app, "product-changed").await;
    assert!(changes.iter().any(|d| d.contains(&format!("CSV import {id}: product {product}"))), "{changes:?}");
    assert!(changes.iter().any(|d| d.contains(&format!("CSV import {id} (catalog.csv, 5 lines) started"))), "{changes:?}");

    // The same file again: keyed by SKU, nothing changes.
    let again = upload(&mut owner, &csv).await;
    assert!(again.status < 400);
    let second = newest_job(&app).await;
    let checked = job(&mut owner, second).await;
    assert_eq!((checked.dry_run.created, checked.dry_run.changed, checked.dry_run.unchanged, checked.dry_run.refused), (0, 0, 3, 2));
    // It cannot be started twice; a dropped one not at all.
    let dropped = owner.call("admin/import/decide", &[("id", &second.to_string()), ("go", "drop")]).await;
    assert!(dropped.status < 400, "{}", dropped.body);
    let twice = owner.call("admin/import/decide", &[("id", &second.to_string()), ("go", "start")]).await;
    assert_eq!(twice.status, 409, "{}", twice.body);

    // A new size of the tee: a variant added to the product, its stock through the ledger.
    let more = "handle,sku,option1_name,option1_value,option2_name,option2_value,option3_name,option3_value,price,stock\n\
                import-tee,IMP-TEE-L,Size,L,,,,,9.00,3\nimport-tee,IMP-TEE-XL,Size,S,,,,,9.00,1\n";
    assert!(upload(&mut owner, more).await.status < 400);
    let third = newest_job(&app).await;
    let done = run(&mut owner, third).await;
    assert_eq!((done.result.created, done.result.refused), (1, 1), "{:?}", done.result);
    assert!(matches!(why(&done, "IMP-TEE-XL", false), Outcome::Refused(w) if w.contains("S is already the variant with SKU IMP-TEE-S")));
    let (price, stock): (i64, i64) = sqlx::query_as("SELECT price_minor, stock FROM products WHERE id = $1").bind(tee).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!((price, stock), (900, 13), "the new variant is the cheapest; its stock is added");
    let (ledger,): (i64,) = sqlx::query_as("SELECT CAST(SUM(delta) AS BIGINT) FROM inventory_ledger WHERE product_id = $1").bind(tee).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(ledger, 13, "the ledger sums to the stock");
}

#[tokio::test]
async fn bad_files_are_refused_with_a_reason_and_change_nothing() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "import-bad@example.com").await;
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"handle,sku\nmug,M\xff\n".to_vec(), "not UTF-8"),
        (b"".to_vec(), "empty"),
        (b"name,price\nMug,2\n".to_vec(), "handle and sku"),
        (b"handle,sku,colour\nmug,M,red\n".to_vec(), "“colour”"),
        (b"handle,sku\n".to_vec(), "no lines"),
        (format!("handle,sku,description\nmug,M,\"{}\"\n", "x".repeat(70 * 1024)).into_bytes(), "longer than 64 KB"),
        (b"handle,sku\nmug,\"M\n".to_vec(), "never closed"),
    ];
    for (bytes, expected) in cases {
        let reply = owner.upload_file(UPLOAD, &[], ("bad.csv", "text/csv", bytes), false).await;
        assert_eq!(reply.status, 400, "{expected}: {}", reply.body);
        assert!(reply.body.contains(expected), "{expected}: {}", reply.body);
    }
    // A file over the limit is refused before it is read.
    let huge = vec![b'a'; app::domain::catalog_import::MAX_FILE + 128 * 1024];
    let reply = owner.upload_file(UPLOAD, &[], ("huge.csv", "text/csv", huge), false).await;
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert!(reply.body.contains("up to 32 MB"), "{}", reply.body);
    // Without JavaScript, the refusal comes back to the page in its address.
    let plain = owner.upload_file(UPLOAD, &[], ("bad.csv", "text/csv", b"name\n".to_vec()), true).await;
    let back = plain.headers.get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    assert!((300..400).contains(&plain.status) && back.contains("__err="), "{} {back}", plain.status);
    let (jobs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM catalog_imports").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(jobs, 0, "nothing was kept");
    // A bad line in a good file is refused on its own, with its line number.
    let (brand, category) = brand_and_category(&app).await;
    let csv = format!("handle,sku,name,brand,category,price\nok-one,OK-1,Fine,{brand},{category},2\nok-two,OK-2,Fine,{brand},{category},2,extra\n");
    assert!(upload(&mut owner, &csv).await.status < 400);
    let checked = job(&mut owner, newest_job(&app).await).await;
    assert_eq!((checked.dry_run.created, checked.dry_run.refused), (1, 1));
    let refused = checked.dry_run.lines.iter().find(|l| l.sku == "OK-2").unwrap();
    assert_eq!(refused.line, 3);
    assert!(matches!(&refused.outcome, Outcome::Refused(w) if w.contains("7 cells; the header has 6")));
}

#[tokio::test]
async fn who_may_import_what() {
    let app = spawn_app().await;
    let (brand, category) = brand_and_category(&app).await;
    let csv = format!("handle,sku,name,brand,category,price\nseller-mug,SELLER-MUG,Mug,{brand},{category},2\n");
    // A shopper, an order manager: refused; nothing kept.
    let mut shopper = Browser::new(&app);
    crate::helpers::signed_up(&mut shopper, "import-shopper@example.com").await;
    assert_eq!(upload(&mut shopper, &csv).await.status, 403);
    let mut anonymous = Browser::new(&app);
    assert_eq!(upload(&mut anonymous, &csv).await.status, 401);
    // A seller's staff: their new products are their seller's; another seller's product is not theirs to change.
    let (seller,): (i64,) = sqlx::query_as("SELECT MIN(seller_id) FROM products WHERE seller_id IS NOT NULL").fetch_one(&app.db.pool).await.unwrap();
    let (other_slug, other_sku): (String, String) = sqlx::query_as(
        "SELECT p.slug, v.sku FROM products p JOIN product_variants v ON v.product_id = p.id WHERE p.seller_id IS NULL OR p.seller_id <> $1 ORDER BY p.id LIMIT 1",
    )
    .bind(seller)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let mut shipper = staff(&app, "import-seller@example.com", Some(seller)).await;
    let csv = format!("{csv}{other_slug},{other_sku},Mine now,{brand},{category},1\n");
    assert!(upload(&mut shipper, &csv).await.status < 400);
    let id = newest_job(&app).await;
    let done = run(&mut shipper, id).await;
    assert_eq!((done.result.created, done.result.refused), (1, 1), "{:?}", done.result);
    assert!(matches!(why(&done, &other_sku, false), Outcome::Refused(w) if w.contains("Another seller's product")));
    let (owner_of,): (Option<i64>,) = sqlx::query_as("SELECT seller_id FROM products WHERE slug = 'seller-mug'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(owner_of, Some(seller));
    // The list of latest imports: theirs, without the reports.
    let recent = shipper.call("admin/import/recent", &[]).await;
    assert_eq!(recent.status, 200, "{}", recent.body);
    let recent: Vec<ImportJob> = serde_json::from_str(&recent.body).unwrap();
    assert_eq!(recent.iter().map(|j| j.id).collect::<Vec<_>>(), [id]);
    assert_eq!((recent[0].state, recent[0].lines), (JobState::Done, 2));
    // Another seller's staff (or a shopper) cannot see the job.
    let mut owner = admin(&app, "import-admin@example.com").await;
    assert_eq!(job(&mut owner, id).await.id, id, "admins see every import");
    let reply = shopper.call("admin/import/job", &[("id", &id.to_string())]).await;
    assert_eq!(reply.status, 403);
}

#[tokio::test]
async fn an_import_resumes_after_its_last_batch_when_its_server_is_gone() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "import-resume@example.com").await;
    let (brand, category) = brand_and_category(&app).await;
    let mut csv = "handle,sku,name,brand,category,price,stock\n".to_owned();
    for n in 0..300 {
        csv.push_str(&format!("resume-{n},RESUME-{n},Resume {n},{brand},{category},1.00,2\n"));
    }
    assert!(upload(&mut owner, &csv).await.status < 400);
    let id = newest_job(&app).await;
    // A server took the job, imported its first batch (250 products) and died
    // before the next: the job says so, and its lease has run out.
    sqlx::query("UPDATE catalog_imports SET state = 'running', groups_done = 250, lines_done = 250, lease_until = 0 WHERE id = $1")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let done = wait_done(&mut owner, id).await;
    assert_eq!(done.lines_done, 300);
    let (made,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products WHERE slug LIKE 'resume-%'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(made, 50, "only what was not done yet");
    let (first,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products WHERE slug = 'resume-0'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(first, 0);
}
