//! The shop's own details (issue 19): admins save its name, contact, the
//! seller's address, VAT number and legal text, and the order-number
//! prefix (a save over a newer one is refused, bad input said); invoices
//! carry them and new orders take the prefix. The search synonyms list is
//! edited as text and search follows it on every server.

use crate::helpers::{admin, audit_details, eventually, jpeg, paid_order_of, product_with_stock, spawn_app, Browser};
use serde_json::Value;

#[tokio::test]
async fn the_shops_details_reach_invoices_and_order_numbers() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "details@example.com").await;
    let settings: Value = serde_json::from_str(&owner.get("/api/admin/settings").await.body).unwrap();
    assert_eq!(settings["details"]["name"], "Oxcart");
    assert_eq!(settings["details"]["order_prefix"], "OX");
    let version = settings["details"]["version"].as_i64().unwrap().to_string();
    let form = |prefix: &'static str| {
        vec![
            ("input[name]", "Acme Goods"),
            ("input[contact_email]", "Shop@Acme.Example"),
            ("input[contact_phone]", "+49 30 1234"),
            ("input[address]", "Acme GmbH\r\nMain St 1\r\n10115 Berlin"),
            ("input[vat_number]", "DE123456789"),
            ("input[legal_text]", "Registered in Berlin <HRB 1>."),
            ("input[order_prefix]", prefix),
        ]
    };
    let bad = owner.call("admin/settings/details", &[&[("version", version.as_str())][..], &form("O-X")[..]].concat()).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("2 to 6 letters or digits"), "{}", bad.body);
    let saved = owner.call("admin/settings/details", &[&[("version", version.as_str())][..], &form("acme")[..]].concat()).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let stale = owner.call("admin/settings/details", &[&[("version", version.as_str())][..], &form("OX")[..]].concat()).await;
    assert_eq!(stale.status, 409, "a save over a newer one: {}", stale.body);
    let audit = audit_details(&app, "settings-changed").await;
    assert!(audit.iter().any(|d| d.contains("order number prefix “OX” → “ACME”") && d.contains("name “Oxcart” → “Acme Goods”")), "{audit:?}");
    // A shopper cannot change them.
    let mut shopper = Browser::new(&app);
    assert_eq!(shopper.call("admin/settings/details", &[&[("version", "2")][..], &form("EVIL")[..]].concat()).await.status, 401);

    // A new order takes the prefix; its invoice carries the details.
    let product = product_with_stock(&app, 11, 5).await;
    let order = paid_order_of(&mut shopper, &[(product, 1)], "details-buyer@example.com").await;
    assert!(order.0.starts_with("ACME-") && order.0.len() == 13, "{}", order.0);
    let invoice = shopper.get(&format!("/order/{}/invoice?key={}", order.0, order.1)).await;
    assert_eq!(invoice.status, 200);
    for expected in ["Acme Goods", "Main St 1", "10115 Berlin", "VAT number DE123456789", "shop@acme.example", "Registered in Berlin &lt;HRB 1&gt;."] {
        assert!(invoice.body.contains(expected), "{expected}: {}", invoice.body);
    }
    assert!(invoice.body.contains("<title>Invoice ACME-") && invoice.body.contains("| Acme Goods</title>"));
    let pdf = app.client.get(format!("{}/order/{}/invoice.pdf?key={}", app.base, order.0, order.1)).send().await.unwrap();
    let pdf = String::from_utf8_lossy(&pdf.bytes().await.unwrap()).into_owned();
    assert!(pdf.contains("Acme Goods") && pdf.contains("VAT number DE123456789") && pdf.contains("Registered in Berlin"), "the PDF too");
    // The packing slip names the shop too.
    let slips = owner.get(&format!("/admin/packing-slips?pick%5B{}%5D=on", order.0)).await;
    assert_eq!(slips.status, 200, "{}", slips.body);
    assert!(slips.body.contains(&order.0) && slips.body.contains("<p>Acme Goods</p>"), "{}", slips.body);
}

#[tokio::test]
async fn the_synonyms_list_is_edited_as_text_and_search_follows_it() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "synonyms@example.com").await;
    // A word no product has finds nothing until it is a synonym of one they have.
    let (name, slug): (String, String) =
        sqlx::query_as("SELECT name, slug FROM products WHERE status = 'active' ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let word: String = name.split_whitespace().find(|w| w.len() > 3 && w.chars().all(char::is_alphabetic)).unwrap().to_lowercase();
    let before = search(&app).await;
    assert!(!before.contains(&format!("/p/{slug}")), "nothing yet");
    let bad = owner.call("admin/settings/synonyms", &[("synonyms", "zorblax")]).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("word: synonym"), "{}", bad.body);
    let saved = owner.call("admin/settings/synonyms", &[("synonyms", &format!("tv: television\nZorblax: {word}"))]).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let settings: Value = serde_json::from_str(&owner.get("/api/admin/settings").await.body).unwrap();
    assert_eq!(settings["synonyms"], format!("tv: television\nzorblax: {word}"));
    assert!(audit_details(&app, "settings-changed").await.iter().any(|d| d.starts_with("search synonyms:")));
    // Every server rereads the list within its housekeeping (5 s).
    let mut found = false;
    for _ in 0..80 {
        if search(&app).await.contains(&format!("/p/{slug}")) {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(found, "a search for the synonym finds the product");
}

/// The search page for the made-up word.
async fn search(app: &crate::helpers::TestApp) -> String {
    app.page("/search?q=zorblax").await.1
}

/// Saves the details with `name` (the rest as the demo has them).
async fn rename(owner: &mut Browser<'_>, name: &str) -> crate::helpers::Reply {
    let settings: Value = serde_json::from_str(&owner.get("/api/admin/settings").await.body).unwrap();
    let version = settings["details"]["version"].as_i64().unwrap().to_string();
    owner.call("admin/settings/details", &[("version", version.as_str()), ("input[name]", name), ("input[order_prefix]", "OX")]).await
}

#[tokio::test]
async fn the_shops_name_and_logo_show_on_every_page_title_and_mail() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "brand@example.com").await;
    let (_, before) = app.page("/c/electronics").await;
    assert!(before.contains("<title>Electronics | Oxcart</title>") && before.contains(r#"<meta name="application-name" content="Oxcart""#), "{before}");

    // A new name: every page's header, footer and title, cached pages too (through the change log).
    assert_eq!(rename(&mut owner, "Fern & <Co>").await.status, 200);
    eventually(&app, "/c/electronics", |_, html| html.contains("<title>Electronics | Fern &amp; &lt;Co&gt;</title>")).await;
    let (_, home) = app.page("/").await;
    assert!(home.contains("<title>Fern &amp; &lt;Co&gt;</title>"), "the home page is the name alone");
    let footer = &home[home.find("<footer").unwrap()..];
    assert!(home.contains(r#"<span aria-hidden="true">◆</span> Fern &amp; &lt;Co&gt;</a>"#) && footer.contains("Fern &amp; &lt;Co&gt;"), "header and footer: {footer}");
    assert!(home.contains(r#"<meta name="application-name" content="Fern &amp; &lt;Co&gt;""#), "for the browser's titles");
    assert!(!home.contains("<Co>"), "escaped everywhere");
    let (_, missing) = app.page("/no/such/page").await;
    assert!(missing.contains("| Fern &amp; &lt;Co&gt;</title>"), "the 404 page too");
    // Mails name the shop.
    let mut stranger = Browser::new(&app);
    let asked = stranger.call("account/forgot", &[("email", "brand@example.com")]).await;
    assert!(asked.status < 400, "{}", asked.body);
    let (subject,): (String,) = sqlx::query_as("SELECT subject FROM outbox_emails WHERE to_address = 'brand@example.com' ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(subject, "Reset your Fern & <Co> password");

    // A logo: refused from a catalog manager and a shopper, taken from an admin, in every header.
    let field = [("shop", "1")];
    let picture = jpeg(1600, 400, 7);
    assert!(picture.len() > 64 * 1024, "larger than a form may be: {} B", picture.len());
    let mut manager = crate::helpers::staff(&app, "brand-manager@example.com", None).await;
    sqlx::query("UPDATE users SET role = 'catalog' WHERE email = 'brand-manager@example.com'").execute(&app.db.pool).await.unwrap();
    assert_eq!(manager.upload("admin/settings/logo", &field, jpeg(640, 160, 7), false).await.status, 403);
    assert_eq!(stranger.upload("admin/settings/logo", &field, jpeg(640, 160, 7), false).await.status, 401);
    let bad = owner.upload("admin/settings/logo", &field, b"GIF89a not really".to_vec(), false).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    let uploaded = owner.upload("admin/settings/logo", &field, picture, false).await;
    assert!(uploaded.status < 400, "{} {}", uploaded.status, uploaded.body);
    let settings: Value = serde_json::from_str(&owner.get("/api/admin/settings").await.body).unwrap();
    let url = settings["logo"]["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("/media/") && url.ends_with("-1280.jpg"), "{url}");
    let shown = url.replace("-1280.jpg", "-320.jpg");
    eventually(&app, "/", |_, html| html.contains(&format!(r#"src="{shown}""#))).await;
    let (_, home) = app.page("/").await;
    assert!(home.contains(&format!(r#"<img src="{shown}" alt="Fern &amp; &lt;Co&gt;" width="160" height="40" data-testid="shop-logo">"#)), "{home}");
    assert_eq!(app.page(&shown).await.0, 200, "the logo's file is served");
    assert!(audit_details(&app, "settings-changed").await.iter().any(|d| d.contains("shop 1 “Fern & <Co>”: picture")));

    // Removed: the name again, and the files may go.
    let removed = owner.call("admin/settings/logo/remove", &[("id", "1")]).await;
    assert!(removed.status < 400, "{}", removed.body);
    eventually(&app, "/", |_, html| !html.contains("shop-logo") && html.contains("◆")).await;
    let (unshown,): (i64,) =
        sqlx::query_as(&format!("SELECT COUNT(*) FROM media_files WHERE url = $1 AND {}", app::ssr::media::sweep::unshown("media_files.url")))
            .bind(&url)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(unshown, 1, "nothing shows the old logo now");
}
