//! Product images in the back office (issue 18) over HTTP: staff upload a
//! picture, which is checked by decoding it, stripped of its metadata and
//! served at every width under hashed names with a year's caching; they
//! describe, reorder and remove images, and a file leaves the store when no
//! product shows it any more. Bad uploads (a script named .png, an empty
//! file, one too large, the same picture twice) are refused with a reason
//! and change nothing; customers, strangers and other sellers' staff reach
//! no product's images. Admins give a department its own picture for the
//! home page, and take it back. Files an upload cut off by a crash left
//! behind are swept after an hour; shown pictures never are.

use crate::helpers::{admin, audit_details, eventually, jpeg, signed_up, spawn_app, staff, Browser, Reply, TestApp};

/// The id, slug and name of an active demo product of the shop itself.
async fn shop_product(app: &TestApp, nth: i64) -> (i64, String, String) {
    sqlx::query_as("SELECT id, slug, name FROM products WHERE seller_id IS NULL AND status = 'active' ORDER BY id LIMIT 1 OFFSET $1")
        .bind(nth)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// Product `id`'s images: (position, url, alt, width, height).
async fn images(app: &TestApp, id: i64) -> Vec<(i64, String, String, i64, i64)> {
    sqlx::query_as("SELECT position, url, alt, width, height FROM product_images WHERE product_id = $1 ORDER BY position")
        .bind(id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

const PRODUCT_UPLOAD: &str = "admin/products/images";
const CATEGORY_UPLOAD: &str = "admin/categories/image";

async fn upload(staff: &mut Browser<'_>, id: i64, alt: &str, bytes: Vec<u8>) -> Reply {
    staff.upload(PRODUCT_UPLOAD, &[("product", &id.to_string()), ("alt", alt)], bytes, false).await
}

#[tokio::test]
async fn an_upload_is_served_at_every_width_under_hashed_names_with_a_years_caching() {
    let app = spawn_app().await;
    let (id, slug, _) = shop_product(&app, 0).await;
    // Only the upload: it is the page's main image.
    sqlx::query("DELETE FROM product_images WHERE product_id = $1").bind(id).execute(&app.db.pool).await.unwrap();
    let mut owner = admin(&app, "owner@example.com").await;

    let reply = upload(&mut owner, id, "  The board, end grain up  ", jpeg(1500, 1000, 1)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let rows = images(&app, id).await;
    let (position, url, alt, width, height) = rows.last().unwrap().clone();
    assert_eq!((position, alt.as_str(), width, height), (0, "The board, end grain up", 1280, 853));
    let hash = url.strip_prefix("/media/").and_then(|n| n.strip_suffix("-1280.jpg")).expect("a hashed name");
    assert_eq!(hash.len(), 20);

    for w in [160, 320, 640, 1280] {
        let response = app.get(&format!("/media/{hash}-{w}.jpg")).await;
        assert_eq!(response.status(), 200, "width {w}");
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
        let bytes = response.bytes().await.unwrap();
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "no metadata is served");
        assert_eq!(image::load_from_memory(&bytes).unwrap().width(), w);
    }
    assert_eq!(app.get(&format!("/media/{hash}-1500.jpg")).await.status(), 404, "never wider than the widest");
    assert_eq!(app.get("/media/..%2F..%2Foxcart.jpg").await.status(), 404, "no way out of the store");
    assert_eq!(app.get("/media/nothing-here.jpg").await.status(), 404);

    // The product page offers every width, with its size reserved.
    let (_, page) = app.page(&format!("/p/{slug}")).await;
    assert!(page.contains(&format!("/media/{hash}-640.jpg 640w")), "srcset on the product page");
    assert!(page.contains("width=\"1280\"") && page.contains("height=\"853\""));
    let added = audit_details(&app, "product-changed").await;
    assert!(added.iter().any(|d| d.contains(&format!("image {url} added (1500 × 1000 px"))), "{added:?}");
}

#[tokio::test]
async fn bad_uploads_are_refused_with_a_reason_and_change_nothing() {
    let app = spawn_app().await;
    let (id, _, _) = shop_product(&app, 0).await;
    let mut owner = admin(&app, "owner@example.com").await;
    let rows = images(&app, id).await;

    let script = upload(&mut owner, id, "A picture", b"<script>alert(document.cookie)</script>".to_vec()).await;
    assert!(script.status == 400 && script.body.contains("not a picture the shop can read"), "{} {}", script.status, script.body);
    let empty = upload(&mut owner, id, "A picture", Vec::new()).await;
    assert!(empty.status == 400 && empty.body.contains("Choose a picture"), "{} {}", empty.status, empty.body);
    let huge = upload(&mut owner, id, "A picture", vec![0xFF; 50 * 1024 * 1024]).await;
    assert!(huge.status == 413 && huge.body.contains("the shop takes images up to 15 MB"), "{} {}", huge.status, huge.body);
    let just_over = upload(&mut owner, id, "A picture", vec![0xFF; 15 * 1024 * 1024 + 1]).await;
    assert!(just_over.status == 413 && just_over.body.contains("up to 15 MB"), "read and refused: {} {}", just_over.status, just_over.body);
    let no_alt = upload(&mut owner, id, " ", jpeg(300, 200, 2)).await;
    assert!(no_alt.status == 400 && no_alt.body.contains("needs alt text"), "an active product: {}", no_alt.body);
    let nobody = upload(&mut owner, 999_999, "A picture", jpeg(300, 200, 2)).await;
    assert_eq!(nobody.status, 404, "{}", nobody.body);
    let not_multipart = owner.call("admin/products/images", &[("product", &id.to_string())]).await;
    assert!(not_multipart.status == 415 && not_multipart.body.contains("upload form"), "{} {}", not_multipart.status, not_multipart.body);
    assert_eq!(images(&app, id).await, rows, "nothing changed");
    assert!(app.media_files().is_empty(), "nothing stored: {:?}", app.media_files());

    // The same picture twice is one image.
    assert_eq!(upload(&mut owner, id, "A picture", jpeg(300, 200, 3)).await.status, 200);
    let stored = app.media_files();
    let twice = upload(&mut owner, id, "The same picture", jpeg(300, 200, 3)).await;
    assert!(twice.status == 409 && twice.body.contains("already one of the product's images"), "{}", twice.body);
    assert_eq!((images(&app, id).await.len(), app.media_files()), (rows.len() + 1, stored));

    // Without JavaScript a refusal goes back to the form's page, which shows it.
    let plain = owner.upload(PRODUCT_UPLOAD, &[("product", &id.to_string()), ("alt", "x")], b"GIF89a not really".to_vec(), true).await;
    let back = plain.headers.get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    assert!((300..400).contains(&plain.status) && back.starts_with("https://shop.test/admin/products/1?") && back.contains("__err="), "{} {back}", plain.status);
    let too_big = owner.upload(PRODUCT_UPLOAD, &[("product", &id.to_string())], vec![0; 16 * 1024 * 1024], true).await;
    let back = too_big.headers.get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    assert!(too_big.status == 303 && back.contains("__err="), "{} {back}", too_big.status);
}

#[tokio::test]
async fn images_are_described_reordered_and_removed_and_a_file_goes_with_its_last_product() {
    let app = spawn_app().await;
    let (id, _, name) = shop_product(&app, 1).await;
    let mut owner = admin(&app, "owner@example.com").await;
    let demo = images(&app, id).await;
    assert!(!demo.is_empty(), "demo products have generated artwork");
    assert_eq!(upload(&mut owner, id, "Front", jpeg(400, 400, 4)).await.status, 200);
    let url = images(&app, id).await.last().unwrap().1.clone();
    let id_text = id.to_string();

    // Moved to the front, it is what cards and search results show.
    for _ in 0..demo.len() {
        let moved = owner.call("admin/products/images/move", &[("id", &id_text), ("url", &url), ("to", "up")]).await;
        assert_eq!(moved.status, 200, "{}", moved.body);
    }
    let rows = images(&app, id).await;
    assert_eq!(rows[0].1, url);
    assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), (0..rows.len() as i64).collect::<Vec<_>>());
    let already_first = owner.call("admin/products/images/move", &[("id", &id_text), ("url", &url), ("to", "up")]).await;
    assert!(already_first.status == 400 && already_first.body.contains("already the first"), "{}", already_first.body);
    assert_eq!(images(&app, id).await, rows, "the first stays first");
    for (to, place) in [("down", 1), ("up", 0)] {
        let moved = owner.call("admin/products/images/move", &[("id", &id_text), ("url", &url), ("to", to)]).await;
        assert_eq!((moved.status, images(&app, id).await[place].1.as_str()), (200, url.as_str()), "{to}: {}", moved.body);
    }
    let query = format!("/search?q={}", name.replace(' ', "+"));
    let hash = url.trim_start_matches("/media/").trim_end_matches("-400.jpg").to_owned();
    eventually(&app, &query, |_, html| html.contains(&format!("/media/{hash}-320.jpg 320w"))).await;

    // Alt text: changed, and never emptied on a product in the shop.
    let described = owner.call("admin/products/images/alt", &[("id", &id_text), ("url", &url), ("alt", "Front, lid open")]).await;
    assert_eq!(described.status, 200, "{}", described.body);
    assert_eq!(images(&app, id).await[0].2, "Front, lid open");
    let emptied = owner.call("admin/products/images/alt", &[("id", &id_text), ("url", &url), ("alt", "")]).await;
    assert_eq!(emptied.status, 400, "{}", emptied.body);
    let sideways = owner.call("admin/products/images/move", &[("id", &id_text), ("url", &url), ("to", "sideways")]).await;
    assert_eq!(sideways.status, 400);
    // To a place, as a drag and drop sends it: the others keep their order.
    let before: Vec<String> = images(&app, id).await.into_iter().map(|r| r.1).collect();
    let dropped = owner.call("admin/products/images/move", &[("id", &id_text), ("url", &url), ("to", &before.len().to_string())]).await;
    assert_eq!(dropped.status, 200, "{}", dropped.body);
    let after: Vec<String> = images(&app, id).await.into_iter().map(|r| r.1).collect();
    assert_eq!(after, [&before[1..], &before[..1]].concat());
    let past = owner.call("admin/products/images/move", &[("id", &id_text), ("url", &url), ("to", "99")]).await;
    assert!(past.status == 400 && past.body.contains("no place 99"), "{}", past.body);
    let back = owner.call("admin/products/images/move", &[("id", &id_text), ("url", &url), ("to", "1")]).await;
    assert_eq!(back.status, 200, "{}", back.body);
    assert_eq!(images(&app, id).await.into_iter().map(|r| r.1).collect::<Vec<_>>(), before);
    assert!(audit_details(&app, "product-changed").await.iter().any(|d| d.contains("moved to place 1")));
    let gone = owner.call("admin/products/images/remove", &[("id", &id_text), ("url", "/media/product/0-0.svg")]).await;
    assert!(gone.status == 404 && gone.body.contains("not among the product's images"), "{}", gone.body);

    // A copy shares the files: removing the image from the original keeps them.
    let copy: i64 = owner.step("admin/products/duplicate", &[("id", &id_text)]).await.body.trim().parse().unwrap();
    let files = app.media_files();
    assert!(files.iter().any(|f| f.starts_with(&hash)));
    // The default variant shows the picture until it is removed.
    let (variant, sku, price, weight, low): (i64, String, i64, i64, i64) =
        sqlx::query_as("SELECT id, sku, price_minor, weight_grams, low_stock_threshold FROM product_variants WHERE product_id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let (price, weight, low) = (format!("{}.{:02}", price / 100, price % 100), weight.to_string(), low.to_string());
    let variant_text = variant.to_string();
    let version = crate::helpers::variant_version(&app, variant).await.to_string();
    let shown = [("id", id_text.as_str()), ("variant", &variant_text), ("version", &version), ("sku", &sku), ("price", &price), ("weight_grams", &weight), ("low_stock", &low), ("image", &url)];
    let shown = owner.call("admin/products/variant", &shown).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    let removed = owner.call("admin/products/images/remove", &[("id", &id_text), ("url", &url)]).await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    let (picture,): (Option<String>,) =
        sqlx::query_as("SELECT image_url FROM product_variants WHERE id = $1").bind(variant).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(picture, None, "the variant no longer points at a removed picture");
    let rows = images(&app, id).await;
    assert_eq!(rows.iter().map(|r| (r.0, r.1.clone())).collect::<Vec<_>>(), demo.iter().map(|r| (r.0, r.1.clone())).collect::<Vec<_>>(), "the gap is closed");
    assert_eq!(app.media_files(), files, "the copy still shows it");
    let removed = owner.call("admin/products/images/remove", &[("id", &copy.to_string()), ("url", &url)]).await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert!(app.media_files().is_empty(), "the last product let go of it: {:?}", app.media_files());
    let audit = audit_details(&app, "product-changed").await;
    assert!(audit.iter().any(|d| d.contains("moved up")) && audit.iter().any(|d| d.contains("removed")), "{audit:?}");
}

#[tokio::test]
async fn customers_strangers_and_other_sellers_staff_reach_no_products_images() {
    let app = spawn_app().await;
    let sellers: Vec<(i64,)> = sqlx::query_as("SELECT id FROM sellers ORDER BY id LIMIT 2").fetch_all(&app.db.pool).await.unwrap();
    let (mine, theirs) = (sellers[0].0, sellers[1].0);
    let product_of = |seller: i64| {
        let pool = app.db.pool.clone();
        async move {
            let (id, url): (i64, String) = sqlx::query_as(
                "SELECT p.id, i.url FROM products p JOIN product_images i ON i.product_id = p.id WHERE p.seller_id = $1 ORDER BY p.id, i.position LIMIT 1",
            )
            .bind(seller)
            .fetch_one(&pool)
            .await
            .unwrap();
            (id, url)
        }
    };
    let ((my_product, _), (their_product, their_url)) = (product_of(mine).await, product_of(theirs).await);
    let before = images(&app, their_product).await;
    let their_id = their_product.to_string();

    let mut stranger = Browser::new(&app);
    assert_eq!(upload(&mut stranger, their_product, "x", jpeg(200, 200, 5)).await.status, 401);
    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "shopper@example.com").await;
    assert_eq!(upload(&mut customer, their_product, "x", jpeg(200, 200, 5)).await.status, 403);
    let mut packer = staff(&app, "packer@example.com", Some(mine)).await;
    assert_eq!(upload(&mut packer, their_product, "x", jpeg(200, 200, 5)).await.status, 404);
    for (endpoint, extra) in [("alt", ("alt", "Mine now")), ("move", ("to", "down")), ("remove", ("confirm", "on"))] {
        let endpoint = format!("admin/products/images/{endpoint}");
        let form = [("id", their_id.as_str()), ("url", their_url.as_str()), extra];
        assert_eq!(packer.call(&endpoint, &form).await.status, 404, "{endpoint}, another seller's");
        assert_eq!(customer.call(&endpoint, &form).await.status, 403, "{endpoint}, a customer");
        assert_eq!(stranger.call(&endpoint, &form).await.status, 401, "{endpoint}, a stranger");
    }
    assert_eq!(images(&app, their_product).await, before, "nothing changed");
    // Their own seller's products they manage.
    assert_eq!(upload(&mut packer, my_product, "Mine", jpeg(200, 200, 5)).await.status, 200);
}

#[tokio::test]
async fn an_admin_gives_a_department_its_own_picture_for_the_home_page_and_takes_it_back() {
    let app = spawn_app().await;
    let (id, slug): (i64, String) =
        sqlx::query_as("SELECT id, slug FROM categories WHERE parent_id IS NULL ORDER BY position, name LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let picture_of = |id: i64| {
        let pool = app.db.pool.clone();
        async move {
            let (url,): (String,) = sqlx::query_as("SELECT image_url FROM categories WHERE id = $1").bind(id).fetch_one(&pool).await.unwrap();
            url
        }
    };
    let field = [("category", id.to_string())];
    let field: Vec<(&str, &str)> = field.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let (seller,): (i64,) = sqlx::query_as("SELECT id FROM sellers ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let mut packer = staff(&app, "packer@example.com", Some(seller)).await;
    assert_eq!(packer.upload(CATEGORY_UPLOAD, &field, jpeg(800, 450, 6), false).await.status, 403, "the shop's categories are the admins'");
    let mut owner = admin(&app, "owner@example.com").await;
    let bad = owner.upload(CATEGORY_UPLOAD, &field, b"%PDF-1.7 not a picture".to_vec(), false).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    let missing = owner.upload(CATEGORY_UPLOAD, &[("category", "999999")], jpeg(800, 450, 6), false).await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    assert_eq!((picture_of(id).await, app.media_files()), (String::new(), Vec::<String>::new()), "nothing changed");

    let reply = owner.upload(CATEGORY_UPLOAD, &field, jpeg(1600, 900, 6), false).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let first = picture_of(id).await;
    let hash = first.strip_prefix("/media/").and_then(|n| n.strip_suffix("-1280.jpg")).expect("the widest file").to_owned();
    let (_, home) = app.page("/").await;
    assert!(home.contains(&format!("/media/{hash}-640.jpg 640w")), "the home page's tile offers every width");
    assert!(!home.contains(&format!("/media/category/{slug}.svg")));

    // A new picture replaces the old, whose files go.
    assert_eq!(owner.upload(CATEGORY_UPLOAD, &field, jpeg(1200, 675, 8), false).await.status, 200);
    let second = picture_of(id).await;
    assert_ne!(second, first);
    assert!(app.media_files().iter().all(|f| !f.starts_with(&hash)), "{:?}", app.media_files());

    let removed = owner.call("admin/categories/image/remove", &[("id", &id.to_string())]).await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!((picture_of(id).await, app.media_files()), (String::new(), Vec::<String>::new()));
    assert!(app.page("/").await.1.contains(&format!("/media/category/{slug}.svg")), "the artwork again");
    let audit = audit_details(&app, "category-changed").await;
    assert!(audit.iter().any(|d| d.contains("picture") && d.contains("removed")), "{audit:?}");
}

#[tokio::test]
async fn an_aisle_shows_its_own_picture_above_its_products() {
    let app = spawn_app().await;
    let (id, slug): (i64, String) =
        sqlx::query_as("SELECT id, slug FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let (status, page) = app.page(&format!("/c/{slug}")).await;
    assert_eq!(status, 200);
    assert!(!page.contains("listing-picture"), "no picture until one is uploaded");
    let mut owner = admin(&app, "aisles@example.com").await;
    let field = [("category", id.to_string())];
    let field: Vec<(&str, &str)> = field.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = owner.upload(CATEGORY_UPLOAD, &field, jpeg(1600, 500, 31), false).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let (url,): (String,) = sqlx::query_as("SELECT image_url FROM categories WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    let hash = url.strip_prefix("/media/").and_then(|n| n.strip_suffix("-1280.jpg")).expect("the widest file").to_owned();
    let page = app.page(&format!("/c/{slug}")).await.1;
    assert!(page.contains(r#"data-testid="listing-picture""#), "the aisle's page shows it");
    assert!(page.contains(&format!("/media/{hash}-320.jpg 320w")) && page.contains(r#"width="1280""#) && page.contains(r#"height="400""#), "every width, and its size: no layout shift");
}

#[tokio::test]
async fn files_nothing_shows_are_swept_after_an_hour_and_shown_ones_never() {
    use app::ssr::media::{store::LocalDir, sweep};
    let app = spawn_app().await;
    let (id, _, _) = shop_product(&app, 2).await;
    let mut owner = admin(&app, "owner@example.com").await;
    assert_eq!(upload(&mut owner, id, "Shown", jpeg(400, 300, 21)).await.status, 200);
    let shown_url = images(&app, id).await.last().unwrap().1.clone();
    let shown = app.media_files();
    // Two uploads a crash cut off: their files written, their rows never;
    // one an hour and a minute ago, one just now.
    let now = app::ssr::now();
    for (hash, at) in [("0123456789abcdef0123", now - sweep::GRACE_SECS - 60), ("fedcba9876543210fedc", now)] {
        let url = format!("/media/{hash}-640.jpg");
        sweep::note(&app.db, &url, false).await.unwrap();
        sqlx::query("UPDATE media_files SET written_at = $2 WHERE url = $1").bind(&url).bind(at).execute(&app.db.pool).await.unwrap();
        for width in [160, 320, 640] {
            std::fs::write(app.media_dir().join(format!("{hash}-{width}.jpg")), b"left behind").unwrap();
        }
    }
    let store = LocalDir::new(app.media_dir()).unwrap();
    assert_eq!(sweep::sweep(&app.db, &store, now - sweep::GRACE_SECS).await.unwrap(), 1);
    let left = app.media_files();
    assert!(left.iter().all(|f| !f.starts_with("0123456789abcdef0123")), "the old one went: {left:?}");
    assert_eq!(left.iter().filter(|f| f.starts_with("fedcba9876543210fedc")).count(), 3, "an upload in flight stays");
    assert!(shown.iter().all(|f| left.contains(f)), "shown files stay: {left:?}");

    // An hour on, the fresh one goes too, and the shown picture still stays.
    assert_eq!(sweep::sweep(&app.db, &store, now + 1).await.unwrap(), 1);
    assert_eq!(app.media_files(), shown);
    let noted: Vec<(String,)> = sqlx::query_as("SELECT url FROM media_files ORDER BY url").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(noted, [(shown_url.clone(),)], "only the shown picture is still noted");
    // Removed, its files go at once; the sweep then forgets the note.
    let removed = owner.call("admin/products/images/remove", &[("id", &id.to_string()), ("url", &shown_url)]).await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert!(app.media_files().is_empty());
    assert_eq!(sweep::sweep(&app.db, &store, app::ssr::now() + 1).await.unwrap(), 1);
    let (noted,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM media_files").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(noted, 0);

    // While a sweep (on any server) holds its claim on a picture, an upload of
    // the same picture waits for it to end; a claim a crash left runs out.
    let url = "/media/abcdef0123456789abcd-640.jpg";
    sweep::note(&app.db, url, false).await.unwrap();
    let claim = |at: i64| sqlx::query("UPDATE media_files SET sweeping = $2 WHERE url = $1").bind(url).bind(at).execute(&app.db.pool);
    claim(app::ssr::now()).await.unwrap();
    let db = app.db.clone();
    let waiting = tokio::spawn(async move { sweep::note(&db, url, false).await });
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert!(!waiting.is_finished(), "the upload waits while the claim holds");
    sqlx::query("DELETE FROM media_files WHERE url = $1").bind(url).execute(&app.db.pool).await.unwrap();
    waiting.await.unwrap().unwrap();
    let fresh = || sqlx::query_as::<_, (i64, Option<i64>)>("SELECT written_at, sweeping FROM media_files WHERE url = $1").bind(url).fetch_one(&app.db.pool);
    let (at, sweeping) = fresh().await.unwrap();
    assert!(at >= now && sweeping.is_none(), "noted anew once the sweep was done: {at} {sweeping:?}");
    claim(app::ssr::now() - 601).await.unwrap();
    sweep::note(&app.db, url, false).await.unwrap();
    assert_eq!(fresh().await.unwrap().1, None, "a stale claim does not hold an upload up");
}
