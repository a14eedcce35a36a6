//! Accounts: registration, email confirmation, sign-in and out, sessions,
//! password change, CSRF, brute force and bad input, through the server
//! functions as a browser calls them.
//!
//! Over 400 lines: one suite per domain it proves; each test is a scenario.

use crate::helpers::{confirmation_token, newest_mail, signed_up, spawn_app, spawn_app_with, Browser, PASSWORD};


#[tokio::test]
async fn register_confirm_sign_out_and_in_again() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let reply = browser
        .call("account/register", &[("email", " Ada@Example.com "), ("name", "Ada"), ("password", PASSWORD)])
        .await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("We sent a message to ada@example.com"));
    assert_eq!(browser.who().await, None, "not signed in before confirming");

    let reply = browser.call("account/sign-in", &[("email", "ada@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(reply.status, 401, "unconfirmed accounts cannot sign in yet");
    assert!(reply.body.contains("Confirm your email address first"));

    let token = confirmation_token(&app, "ada@example.com").await;
    let reply = browser.call("account/confirm", &[("token", &token)]).await;
    assert!(reply.status < 400, "{}", reply.body);
    let cookie = reply.headers.get("set-cookie").expect("a session cookie").to_str().unwrap().to_owned();
    for flag in ["__Host-oxcart=", "HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
    assert_eq!(browser.who().await.as_deref(), Some("ada@example.com"));
    let reply = browser.call("account/confirm", &[("token", &token)]).await;
    assert_eq!(reply.status, 400, "a used link is refused");
    assert!(reply.body.contains("expired or was already used"));

    browser.step("account/sign-out", &[]).await;
    assert_eq!(browser.who().await, None);
    let reply = browser.call("account/sign-in", &[("email", "ADA@example.com"), ("password", PASSWORD)]).await;
    assert!(reply.status < 400, "{}", reply.body);
    assert_eq!(browser.who().await.as_deref(), Some("ada@example.com"));

    let events: Vec<(String,)> = sqlx::query_as("SELECT event FROM audit_log WHERE subject = $1 ORDER BY id")
        .bind("ada@example.com")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let events: Vec<&str> = events.iter().map(|(e,)| e.as_str()).collect();
    assert_eq!(events, ["registered", "email-verified", "signed-out", "signed-in"]);
}

#[tokio::test]
async fn wrong_passwords_and_unknown_emails_get_the_same_answer() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    signed_up(&mut browser, "bob@example.com").await;
    let mut other = Browser::new(&app);
    let wrong = other.call("account/sign-in", &[("email", "bob@example.com"), ("password", "not it at all")]).await;
    let unknown = other.call("account/sign-in", &[("email", "nobody@example.com"), ("password", PASSWORD)]).await;
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert_eq!(wrong.body, unknown.body, "no hint whether the account exists");

    // Registering a taken address answers as for a new one; its owner is told by mail.
    let again = other.call("account/register", &[("email", "bob@example.com"), ("name", "X"), ("password", PASSWORD)]).await;
    assert_eq!(again.status, 200);
    assert!(again.body.contains("We sent a message to bob@example.com"));
    assert!(newest_mail(&app, "bob@example.com").await.contains("already has one"));
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    signed_up(&mut browser, "carol@example.com").await;
    let first = browser.cookie.clone().unwrap();
    browser.step("account/sign-in", &[("email", "carol@example.com"), ("password", PASSWORD)]).await;
    let second = browser.cookie.clone().unwrap();
    assert_ne!(first, second, "a new id at sign-in");
    let mut stale = Browser::new(&app);
    stale.cookie = Some(first);
    assert_eq!(stale.who().await, None, "the old id no longer works");
}

#[tokio::test]
async fn changing_the_password_signs_out_other_sessions() {
    let app = spawn_app().await;
    let mut laptop = Browser::new(&app);
    signed_up(&mut laptop, "dan@example.com").await;
    let mut phone = Browser::new(&app);
    let reply = phone.call("account/sign-in", &[("email", "dan@example.com"), ("password", PASSWORD)]).await;
    assert!(reply.status < 400);
    assert!(phone.who().await.is_some());

    let reply = laptop.call("account/password", &[("current", "wrong one!"), ("new", "another good phrase")]).await;
    assert_eq!(reply.status, 400);
    let reply = laptop.call("account/password", &[("current", PASSWORD), ("new", "password123")]).await;
    assert_eq!(reply.status, 400, "common passwords are refused");
    assert!(reply.body.contains("too easy to guess"));
    let reply = laptop.call("account/password", &[("current", PASSWORD), ("new", "another good phrase")]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(laptop.who().await.as_deref(), Some("dan@example.com"), "this session goes on");
    assert_eq!(phone.who().await, None, "the other one ended");
    let reply = phone.call("account/sign-in", &[("email", "dan@example.com"), ("password", "another good phrase")]).await;
    assert!(reply.status < 400);
}

#[tokio::test]
async fn signing_out_everywhere_keeps_only_this_session() {
    let app = spawn_app().await;
    let mut laptop = Browser::new(&app);
    signed_up(&mut laptop, "lin@example.com").await;
    let mut phone = Browser::new(&app);
    phone.step("account/sign-in", &[("email", "lin@example.com"), ("password", PASSWORD)]).await;
    assert!(phone.who().await.is_some());
    let reply = laptop.call("account/sign-out-everywhere", &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(laptop.who().await.as_deref(), Some("lin@example.com"));
    assert_eq!(phone.who().await, None);
    assert_eq!(Browser::new(&app).call("account/sign-out-everywhere", &[]).await.status, 401);
}

#[tokio::test]
async fn the_name_can_be_changed_and_is_validated() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    signed_up(&mut browser, "max@example.com").await;
    let reply = browser.call("account/profile", &[("name", "  Max <b>Mustermann</b> ")]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let me = browser.call("account/me", &[]).await.body;
    assert!(me.contains(r#""display_name":"Max <b>Mustermann</b>""#), "{me}");
    for (bad, status) in [("x".repeat(101), 400), ("x".repeat(1 << 20), 413), ("Max\u{202e}".into(), 400)] {
        let reply = browser.call("account/profile", &[("name", &bad)]).await;
        assert_eq!(reply.status, status, "{}", &reply.body[..reply.body.len().min(200)]);
    }
    assert_eq!(Browser::new(&app).call("account/profile", &[("name", "Mallory")]).await.status, 401);
}

#[tokio::test]
async fn changing_the_email_needs_the_password_and_the_new_address() {
    // More account calls than the default burst of 10 from one address; the
    // limiter has its own test, and a fast run must not trip it here.
    let app = spawn_app_with(|config| config.auth_burst = 100).await;
    let mut browser = Browser::new(&app);
    signed_up(&mut browser, "old@example.com").await;
    let mut other = Browser::new(&app);
    signed_up(&mut other, "taken@example.com").await;
    let mut phone = Browser::new(&app);
    phone.step("account/sign-in", &[("email", "old@example.com"), ("password", PASSWORD)]).await;

    let reply = browser.call("account/email", &[("password", "not my password"), ("email", "new@example.com")]).await;
    assert_eq!(reply.status, 400, "the password is checked first");
    let reply = browser.call("account/email", &[("password", PASSWORD), ("email", "not an address")]).await;
    assert_eq!(reply.status, 400);
    // A taken address gets the same answer; its owner is told by mail and nothing changes.
    let taken = browser.call("account/email", &[("password", PASSWORD), ("email", "taken@example.com")]).await;
    assert_eq!(taken.status, 200, "{}", taken.body);
    assert!(newest_mail(&app, "taken@example.com").await.contains("Nothing was changed"));
    let reply = browser.call("account/email", &[("password", PASSWORD), ("email", "New@Example.com")]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body.replace("new@", "taken@"), taken.body, "no hint whether an address is taken");
    assert_eq!(browser.who().await.as_deref(), Some("old@example.com"), "nothing changes before the link");

    let token = confirmation_token(&app, "new@example.com").await;
    let reply = browser.call("account/email/confirm", &[("token", &token)]).await;
    assert!(reply.status < 400, "{} {}", reply.status, reply.body);
    assert_eq!(browser.who().await.as_deref(), Some("new@example.com"), "this browser stays signed in");
    assert_eq!(phone.who().await, None, "other sessions end");
    assert!(newest_mail(&app, "old@example.com").await.contains("was changed to new@example.com"));
    let reply = browser.call("account/email/confirm", &[("token", &token)]).await;
    assert_eq!(reply.status, 400, "the link works once");

    let mut fresh = Browser::new(&app);
    let reply = fresh.call("account/sign-in", &[("email", "old@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(reply.status, 401);
    let reply = fresh.call("account/sign-in", &[("email", "new@example.com"), ("password", PASSWORD)]).await;
    assert!(reply.status < 400, "{}", reply.body);
}

#[tokio::test]
async fn requests_from_other_sites_are_refused() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    signed_up(&mut browser, "eve@example.com").await;
    let reply = browser.call_from("account/sign-out", &[], "https://evil.example").await;
    assert_eq!(reply.status, 403);
    assert_eq!(browser.who().await.as_deref(), Some("eve@example.com"), "still signed in");
    let reply = browser
        .call_from("account/password", &[("current", PASSWORD), ("new", "hijacked phrase!")], "https://evil.example")
        .await;
    assert_eq!(reply.status, 403);
}

#[tokio::test]
async fn brute_force_gets_429_with_retry_after() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let mut limited = None;
    for attempt in 0..20 {
        let reply = browser.call("account/sign-in", &[("email", "frank@example.com"), ("password", "guess guess")]).await;
        if reply.status == 429 {
            limited = Some((attempt, reply));
            break;
        }
        assert_eq!(reply.status, 401);
    }
    let (attempt, reply) = limited.expect("refused before 20 attempts");
    assert!(attempt <= 10, "after {attempt} attempts");
    let retry: u64 = reply.headers.get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!(retry >= 1);
    assert!(reply.body.contains("Too many"), "{}", reply.body);
}

#[tokio::test]
async fn an_account_under_attack_refuses_the_attacker_but_not_its_owner() {
    let app = spawn_app().await;
    for email in ["gina@example.com", "hugo@example.com"] {
        signed_up(&mut Browser::new(&app), email).await;
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    // gina's account is attacked from elsewhere; hugo's from this test's own address.
    for (email, ip) in [("gina@example.com", "192.0.2.9"), ("hugo@example.com", "127.0.0.1")] {
        for _ in 0..10 {
            sqlx::query("INSERT INTO audit_log (at, subject, event, ip) VALUES ($1, $2, 'sign-in-failed', $3)")
                .bind(now)
                .bind(email)
                .bind(ip)
                .execute(&app.db.pool)
                .await
                .unwrap();
        }
    }
    let started = std::time::Instant::now();
    let mut owner = Browser::new(&app);
    let reply = owner.call("account/sign-in", &[("email", "gina@example.com"), ("password", PASSWORD)]).await;
    assert!(reply.status < 400, "the owner, elsewhere, still gets in: {} {}", reply.status, reply.body);
    assert!(started.elapsed() >= std::time::Duration::from_millis(1500), "but slowed down");
    let mut attacker = Browser::new(&app);
    let reply = attacker.call("account/sign-in", &[("email", "hugo@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(reply.status, 429, "the attacking address is refused, even with the right password");
    assert!(reply.body.contains("Too many failed sign-ins for this account"));
}

#[tokio::test]
async fn bad_input_gets_a_clear_message_never_a_500() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let long = "n".repeat(101);
    let cases: [(&[(&str, &str)], &str); 6] = [
        (&[("email", "not-an-email"), ("name", "A"), ("password", PASSWORD)], "email address like"),
        (&[("email", "a@example.com"), ("name", &long), ("password", PASSWORD)], "at most 100"),
        (&[("email", "a@example.com"), ("name", "A\u{202E}b"), ("password", PASSWORD)], "invisible"),
        (&[("email", "a@example.com"), ("name", "A"), ("password", "short")], "at least 8"),
        (&[("email", "'; DROP TABLE users; --@x.com"), ("name", "A"), ("password", PASSWORD)], "email address"),
        (&[("email", "a@example.com"), ("name", "A")], ""),
    ];
    for (form, message) in cases {
        let reply = browser.call("account/register", form).await;
        assert_eq!(reply.status, 400, "expected “{message}”");
        assert!(reply.body.contains(message), "{}", &reply.body[..reply.body.len().min(200)]);
    }
    // A megabyte of name is refused before anything reads it: too large, not a bad request.
    let huge = "n".repeat(1_000_000);
    let reply = browser.call("account/register", &[("email", "a@example.com"), ("name", &huge), ("password", PASSWORD)]).await;
    assert_eq!(reply.status, 413);
    assert!(reply.body.contains("too large"), "{}", &reply.body[..reply.body.len().min(200)]);
    // Markup in a name is stored as typed and shown escaped.
    let reply = browser
        .call("account/register", &[("email", "h@example.com"), ("name", "<script>x</script>"), ("password", PASSWORD)])
        .await;
    assert_eq!(reply.status, 200);
    let token = confirmation_token(&app, "h@example.com").await;
    browser.step("account/confirm", &[("token", &token)]).await;
    let html = app
        .client
        .get(format!("{}/account", app.base))
        .header("cookie", browser.cookie.clone().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
    assert!(!html.contains("<script>x</script>"));
    let reply = browser.call("account/confirm", &[("token", "../../etc/passwd")]).await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn password_reset_links_work_once_and_expire() {
    let app = spawn_app().await;
    let mut owner = Browser::new(&app);
    signed_up(&mut owner, "ivy@example.com").await;
    let mut other = Browser::new(&app);
    let known = other.call("account/forgot", &[("email", "ivy@example.com")]).await;
    let unknown = other.call("account/forgot", &[("email", "nobody@example.com")]).await;
    assert_eq!((known.status, unknown.status), (200, 200));
    assert_eq!(known.body.replace("ivy@", "nobody@"), unknown.body, "no hint whether the account exists");

    let token = confirmation_token(&app, "ivy@example.com").await;
    let weak = other.call("account/reset", &[("token", &token), ("new", "password123")]).await;
    assert_eq!(weak.status, 400, "a refused password does not use the link up");
    let reply = other.call("account/reset", &[("token", &token), ("new", "a brand new phrase")]).await;
    assert!(reply.status < 400, "{}", reply.body);
    assert_eq!(other.who().await.as_deref(), Some("ivy@example.com"));
    assert_eq!(owner.who().await, None, "sessions with the old password ended");
    let again = Browser::new(&app).call("account/reset", &[("token", &token), ("new", "yet another phrase")]).await;
    assert_eq!(again.status, 400);
    assert!(again.body.contains("expired or was already used"));

    Browser::new(&app).call("account/forgot", &[("email", "ivy@example.com")]).await;
    let token = confirmation_token(&app, "ivy@example.com").await;
    sqlx::query("UPDATE auth_tokens SET expires_at = 0").execute(&app.db.pool).await.unwrap();
    let late = Browser::new(&app).call("account/reset", &[("token", &token), ("new", "too late a phrase")]).await;
    assert_eq!(late.status, 400, "an expired link is refused");
}

#[tokio::test]
async fn only_admins_read_the_audit_log() {
    let app = spawn_app().await;
    assert_eq!(Browser::new(&app).call("admin/audit", &[]).await.status, 401);
    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "jo@example.com").await;
    let reply = customer.call("admin/audit", &[]).await;
    assert_eq!(reply.status, 403);
    assert!(reply.body.contains("Only admins"));

    let link = app::ssr::accounts::create_staff(&app.db, "Root@Example.com", None, "https://shop.test").await.unwrap();
    let token = link.split("token=").nth(1).unwrap();
    let mut admin = Browser::new(&app);
    let reply = admin.call("account/reset", &[("token", token), ("new", "admin pass phrase")]).await;
    assert!(reply.status < 400, "{}", reply.body);
    let reply = admin.call("admin/audit", &[]).await;
    assert_eq!(reply.status, 403, "admins need two-step sign-in first");
    assert!(reply.body.contains("two-step"));
    turn_on_two_step(&mut admin, "admin pass phrase").await;
    let reply = admin.call("admin/audit", &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains("root@example.com") && reply.body.contains("role-changed"));
    assert!(reply.body.contains("jo@example.com"), "admins see every account's events");

    // Promoting an existing account ends its sessions: it signs in again with the new role.
    app::ssr::accounts::create_staff(&app.db, "jo@example.com", None, "https://shop.test").await.unwrap();
    assert_eq!(customer.who().await, None);
}

#[tokio::test]
async fn a_user_downloads_their_data_and_deletes_their_account() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    signed_up(&mut browser, "kim@example.com").await;
    let export = app
        .client
        .get(format!("{}/api/account/export", app.base))
        .header("cookie", browser.cookie.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    assert!(export.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let data: serde_json::Value = export.json().await.unwrap();
    assert_eq!(data["account"]["email"], "kim@example.com");
    assert!(data["security_events"].as_array().unwrap().iter().any(|e| e["event"] == "registered"));
    assert_eq!(Browser::new(&app).call("account/me", &[]).await.body, "null", "nobody else's data");

    let reply = browser.call("account/delete", &[("password", "not my password")]).await;
    assert_eq!(reply.status, 400);
    let reply = browser.call("account/delete", &[("password", PASSWORD)]).await;
    assert!(reply.status < 400, "{}", reply.body);
    assert_eq!(browser.who().await, None);
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE subject = 'kim@example.com'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "the address is gone from the audit log");
    let reply = browser.call("account/sign-in", &[("email", "kim@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(reply.status, 401);
    signed_up(&mut Browser::new(&app), "kim@example.com").await; // the address can sign up again
}

/// Turns two-step sign-in on for the signed-in `browser`: its secret and recovery codes.
async fn turn_on_two_step(browser: &mut Browser<'_>, password: &str) -> (Vec<u8>, Vec<String>) {
    let refused = browser.call("account/two-step/start", &[("password", "not my password")]).await;
    assert_eq!(refused.status, 400, "enrolling an app takes the password again: {}", refused.body);
    let reply = browser.call("account/two-step/start", &[("password", password)]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let setup: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let secret = base32_decode(setup["secret"].as_str().unwrap());
    assert!(setup["uri"].as_str().unwrap().starts_with("otpauth://totp/Oxcart:"));
    let wrong = browser.call("account/two-step/enable", &[("code", &unused_code(&secret))]).await;
    assert_eq!(wrong.status, 400);
    let reply = browser.call("account/two-step/enable", &[("code", &code(&secret, 0))]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let codes: Vec<String> = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

/// The authenticator code `offset` steps from now.
fn code(secret: &[u8], offset: i64) -> String {
    let step = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() / 30) as i64;
    format!("{:06}", app::ssr::accounts::totp::code_at(secret, (step + offset) as u64))
}

/// A six-digit code that is valid for no step near now.
fn unused_code(secret: &[u8]) -> String {
    let near: Vec<String> = (-2..=2).map(|o| code(secret, o)).collect();
    (0..).map(|n| format!("{:06}", n * 7919 % 1_000_000)).find(|c| !near.contains(c)).unwrap()
}

fn base32_decode(text: &str) -> Vec<u8> {
    let (mut bits, mut value, mut out) = (0u32, 0u64, Vec::new());
    for c in text.bytes() {
        let digit = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => panic!("not base32: {text}"),
        };
        value = (value << 5) | u64::from(digit);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((value >> bits) as u8);
        }
    }
    out
}

#[tokio::test]
async fn two_step_sign_in_takes_a_fresh_code_or_a_recovery_code_once() {
    let app = spawn_app_with(|config| config.auth_burst = 100).await; // many sign-ins from one address
    let mut browser = Browser::new(&app);
    signed_up(&mut browser, "lee@example.com").await;
    let (secret, recovery) = turn_on_two_step(&mut browser, PASSWORD).await;
    browser.step("account/sign-out", &[]).await;

    password_step(&mut browser).await;
    assert_eq!(browser.who().await, None, "the password alone does not sign in");
    let wrong = browser.call("account/two-step", &[("code", &unused_code(&secret))]).await;
    assert_eq!(wrong.status, 401);
    let next = code(&secret, 1); // one step ahead: allowed drift, newer than the set-up code
    let reply = browser.call("account/two-step", &[("code", &next)]).await;
    assert!(reply.status < 400, "{}", reply.body);
    assert_eq!(browser.who().await.as_deref(), Some("lee@example.com"));

    browser.step("account/sign-out", &[]).await;
    password_step(&mut browser).await;
    let reused = browser.call("account/two-step", &[("code", &next)]).await;
    assert_eq!(reused.status, 401, "a code works once");
    let reply = browser.call("account/two-step", &[("code", &recovery[0].to_uppercase())]).await;
    assert!(reply.status < 400, "a recovery code works: {}", reply.body);
    assert_eq!(browser.who().await.as_deref(), Some("lee@example.com"));

    browser.step("account/sign-out", &[]).await;
    password_step(&mut browser).await;
    let again = browser.call("account/two-step", &[("code", &recovery[0])]).await;
    assert_eq!(again.status, 401, "a recovery code works once");
    let without = Browser::new(&app).call("account/two-step", &[("code", &code(&secret, 0))]).await;
    assert_eq!(without.status, 401, "no password step, no code step");
}

/// The password step of signing in as lee@example.com, which asks for a code next.
async fn password_step(browser: &mut Browser<'_>) {
    let reply = browser.call("account/sign-in", &[("email", "lee@example.com"), ("password", PASSWORD)]).await;
    assert!(reply.status < 400, "{}", reply.body);
    assert_eq!(reply.headers.get("location").map(|l| l.to_str().unwrap()), Some("/account/two-step"));
}

#[tokio::test]
async fn one_user_can_never_read_or_change_anothers_addresses() {
    let app = spawn_app_with(|config| config.auth_burst = 100).await;
    let mut ann = Browser::new(&app);
    signed_up(&mut ann, "ann@example.com").await;
    let mut ben = Browser::new(&app);
    signed_up(&mut ben, "ben@example.com").await;
    let home = [
        ("full_name", "Ann Example"),
        ("line1", "1 High Street"),
        ("city", "Leeds"),
        ("postal_code", "ls1 1aa"),
        ("country", "gb"),
    ];
    let reply = ann.call("account/addresses/save", &home).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let saved: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!((saved["postal_code"].as_str(), saved["country"].as_str()), (Some("LS1 1AA"), Some("GB")));
    let id = saved["id"].as_i64().unwrap().to_string();

    assert_eq!(ben.call("account/addresses", &[]).await.body, "[]", "Ben sees none of Ann's");
    let mut change = home.to_vec();
    change.push(("id", &id));
    change[0] = ("full_name", "Mallory");
    let reply = ben.call("account/addresses/save", &change).await;
    assert_eq!(reply.status, 404, "changing someone else's address looks like a missing one");
    let reply = ben.call("account/addresses/delete", &[("id", &id)]).await;
    assert_eq!(reply.status, 404);
    assert_eq!(Browser::new(&app).call("account/addresses", &[]).await.status, 401, "signed out");
    let mine = ann.call("account/addresses", &[]).await.body;
    assert!(mine.contains("Ann Example") && !mine.contains("Mallory"), "{mine}");

    let reply = ann.call("account/addresses/save", &change).await;
    assert_eq!(reply.status, 200, "the owner may change it");
    let reply = ann.call("account/addresses/delete", &[("id", &id)]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(ann.call("account/addresses", &[]).await.body, "[]");

    let mut bad = home.to_vec();
    bad[4] = ("country", "Narnia");
    let reply = ann.call("account/addresses/save", &bad).await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("two-letter code"));
    let reply = ann.call("account/addresses/delete", &[("id", "1 OR 1=1")]).await;
    assert_eq!(reply.status, 400, "an id that is not a number");
}

/// A request that changes nothing in its session does not write it again
/// until the stored idle deadline is an hour behind (no commit per request).
#[tokio::test]
async fn unchanged_sessions_are_written_only_when_their_deadline_falls_behind() {
    use app::ssr::accounts::store::REFRESH_SECS;
    let app = spawn_app().await;
    let mut shopper = Browser::new(&app);
    let (id,): (i64,) =
        sqlx::query_as("SELECT id FROM products WHERE stock > 0 ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(shopper.call("cart/add", &[("product", &id.to_string())]).await.status, 200);
    let stored = || async {
        sqlx::query_as::<_, (String, i64)>("SELECT data, expires_at FROM sessions").fetch_one(&app.db.pool).await.unwrap()
    };
    let behind = |secs: i64| {
        sqlx::query("UPDATE sessions SET expires_at = expires_at - $1").bind(secs).execute(&app.db.pool)
    };
    behind(600).await.unwrap();
    let before = stored().await;
    assert_eq!(shopper.call("cart", &[]).await.status, 200);
    assert_eq!(stored().await, before, "ten minutes behind: left as it is");
    behind(REFRESH_SECS).await.unwrap();
    assert_eq!(shopper.call("cart", &[]).await.status, 200);
    let (data, expires_at) = stored().await;
    assert_eq!(data, before.0);
    assert!(expires_at > before.1, "more than the slack behind: the deadline moves on");
}
