//! The shoppers' funnel: who looked at a product, put something in the
//! cart, began checkout and paid, each shopper counted once a day and step.
//! A shopper is their address and browser, hashed with a salt of the day
//! that is deleted once the day is summed, so no mark can be tied to a
//! person later (no cookie, and pages from the page cache count too).
//! Marks are kept in memory and written every few seconds in one
//! transaction, so a page view never waits on a database write. Paid comes
//! from the orders: the order remembers its shopper, and its payment (even
//! by a webhook, later) counts that shopper as paid. The looks at each
//! product are counted the same way (once a day per shopper and product)
//! for its popularity (`ssr/catalog/popularity.rs`).

use crate::error::AppError;
use crate::ssr::Db;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Mutex;

/// The steps marked from requests (paid is read from the orders).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Viewed = 1,
    Carted = 2,
    Checkout = 3,
}

/// Step 4 in `funnel_days`: shoppers whose order was paid that day.
pub const PAID_STEP: i64 = 4;

/// Marks held in memory at most (2,000 new shopper steps a second between
/// two writes, far above a shop's traffic); more, a flood of made-up
/// browsers, are not counted, which also bounds the database's writes.
const MAX_PENDING: usize = 10_000;

/// A shopper before the day's salt: SHA-256 of address and browser.
type Who = [u8; 32];

#[derive(Default)]
struct Pending {
    marks: HashSet<(i64, i64, Who)>,
    orders: Vec<(String, i64, Who)>,
    /// New shoppers who looked at each product (by slug) since the last write.
    looks: HashMap<String, i64>,
    dropped: usize,
}

/// Looks this server has counted today (product and shopper, hashed), so a
/// shopper counts once a day per product; at most this many a day, more
/// are not counted.
const MAX_LOOKS_A_DAY: usize = 200_000;
/// Looks one address counts a day at most (whatever browsers it claims to
/// be), so nobody can make a product popular, or use up the day's looks, alone.
const LOOKS_PER_ADDRESS: u32 = 300;

#[derive(Default)]
struct Looked {
    day: i64,
    seen: HashSet<u64>,
    per_address: HashMap<IpAddr, u32>,
}

/// Marks waiting to be written.
#[derive(Default)]
pub struct FunnelRecorder {
    pending: Mutex<Pending>,
    looked: Mutex<Looked>,
}

/// Crawlers and link previews are not shoppers.
fn is_robot(user_agent: &str) -> bool {
    let ua = user_agent.to_ascii_lowercase();
    ua.is_empty()
        || [
            "bot",
            "crawl",
            "spider",
            "slurp",
            "preview",
            "curl/",
            "wget",
            "python-requests",
        ]
        .iter()
        .any(|w| ua.contains(w))
}

fn who(ip: IpAddr, user_agent: &str) -> Who {
    let mut hash = Sha256::new();
    hash.update(ip.to_string().as_bytes());
    hash.update([0]);
    hash.update(user_agent.as_bytes());
    hash.finalize().into()
}

fn today() -> i64 {
    crate::ssr::now().div_euclid(crate::domain::analytics::DAY_SECS)
}

impl FunnelRecorder {
    /// Marks the shopper at `ip` with `user_agent` as having reached `step` today.
    pub fn note(&self, step: Step, ip: IpAddr, user_agent: &str) {
        if is_robot(user_agent) {
            return;
        }
        let mark = (today(), step as i64, who(ip, user_agent));
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        if pending.marks.len() + pending.orders.len() >= MAX_PENDING {
            pending.dropped += 1;
        } else {
            pending.marks.insert(mark);
        }
    }

    /// Counts a look at the product `slug` by the shopper at `ip` with
    /// `user_agent`, unless they looked at it today already.
    pub fn note_look(&self, slug: &str, ip: IpAddr, user_agent: &str) {
        use std::hash::{BuildHasher, Hash, Hasher};
        if is_robot(user_agent) || slug.is_empty() || slug.len() > 200 {
            return;
        }
        let day = today();
        {
            let mut looked = self.looked.lock().unwrap_or_else(|e| e.into_inner());
            if looked.day != day {
                *looked = Looked { day, ..Looked::default() };
            }
            if looked.per_address.get(&ip).is_some_and(|n| *n >= LOOKS_PER_ADDRESS) {
                return;
            }
            // The same keys for every look: one hasher state, made once per process.
            static KEYS: std::sync::OnceLock<std::collections::hash_map::RandomState> = std::sync::OnceLock::new();
            let mut hasher = KEYS.get_or_init(Default::default).build_hasher();
            (slug, who(ip, user_agent)).hash(&mut hasher);
            if looked.seen.len() >= MAX_LOOKS_A_DAY || !looked.seen.insert(hasher.finish()) {
                return;
            }
            *looked.per_address.entry(ip).or_default() += 1;
        }
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        *pending.looks.entry(slug.to_owned()).or_default() += 1;
    }

    /// Remembers who placed order `number` (and marks them as at checkout).
    pub fn note_order(&self, number: &str, ip: IpAddr, user_agent: &str) {
        self.note(Step::Checkout, ip, user_agent);
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        if pending.marks.len() + pending.orders.len() < MAX_PENDING {
            pending
                .orders
                .push((number.to_owned(), today(), who(ip, user_agent)));
        } else {
            pending.dropped += 1;
        }
    }

    /// Writes what is waiting; how many marks and orders were written.
    pub async fn flush(&self, db: &Db) -> Result<usize, AppError> {
        let taken = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        if taken.dropped > 0 {
            tracing::warn!(
                dropped = taken.dropped,
                "funnel marks not counted: too many between two writes"
            );
        }
        if taken.marks.is_empty() && taken.orders.is_empty() && taken.looks.is_empty() {
            return Ok(0);
        }
        let written = Self::write(db, &taken).await;
        if written.is_err() {
            // Kept for the next write (a deadlock or a lost connection is passing).
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.marks.extend(taken.marks);
            pending.orders.extend(taken.orders);
            for (slug, n) in taken.looks {
                *pending.looks.entry(slug).or_default() += n;
            }
        }
        written
    }

    /// Writes `taken` in one transaction; how many marks, orders and products.
    async fn write(db: &Db, taken: &Pending) -> Result<usize, AppError> {
        let Pending { marks, orders, looks, .. } = taken;
        let mut days: Vec<i64> = marks
            .iter()
            .map(|m| m.0)
            .chain(orders.iter().map(|o| o.1))
            .collect();
        days.sort_unstable();
        days.dedup();
        let mut salts = std::collections::HashMap::new();
        for day in days {
            salts.insert(day, salt(db, day).await?);
        }
        let shopper = |day: i64, who: &Who| {
            let mut hash = Sha256::new();
            hash.update(salts[&day].as_bytes());
            hash.update(who);
            crate::ssr::accounts::hex(&hash.finalize()[..16])
        };
        let marks: Vec<(i64, i64, String)> = marks
            .iter()
            .map(|(day, step, who)| (*day, *step, shopper(*day, who)))
            .collect();
        let written = marks.len() + orders.len() + looks.len();
        let mut tx = db.begin_write().await?;
        // In one order on every server, so two writes never wait on each other's rows.
        let mut looks: Vec<(String, i64)> = looks.iter().map(|(slug, n)| (slug.clone(), *n)).collect();
        looks.sort_unstable();
        crate::ssr::catalog::popularity::add_looks(&mut tx, &looks).await?;
        for chunk in marks.chunks(200) {
            let sql = crate::ssr::db::rows_sql(
                "INSERT INTO funnel_marks (day, step, shopper) VALUES",
                chunk.len(),
                3,
            );
            let mut insert = sqlx::query(&sql);
            for (day, step, shopper) in chunk {
                insert = insert.bind(*day).bind(*step).bind(shopper.as_str());
            }
            insert.execute(&mut *tx).await?;
        }
        for (number, day, who) in orders.iter() {
            sqlx::query(
                "INSERT INTO order_shoppers (order_id, day, shopper) SELECT id, $2, $3 FROM orders WHERE number = $1 \
                 ON CONFLICT DO NOTHING",
            )
            .bind(number.as_str())
            .bind(*day)
            .bind(shopper(*day, who))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(written)
    }
}

/// The address and browser of the request being served.
async fn requester() -> (IpAddr, String) {
    let ip = crate::ssr::accounts::checks::client_ip().await;
    let agent = leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .ok()
        .and_then(|h| {
            h.get(axum::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    (ip, agent)
}

/// Marks the shopper of the request being served as having reached `step`.
pub async fn note_request(step: Step) {
    if let Ok(state) = crate::ssr::state() {
        let (ip, agent) = requester().await;
        state.funnel.note(step, ip, &agent);
    }
}

/// Counts a look at product `slug` by the shopper of the request being
/// served, when it is the browser's own fetch of a product's data (a
/// product page's request was counted by the server's middleware, which
/// sees the page cache's answers too).
pub async fn note_look_request(slug: &str) {
    let fetched = leptos_axum::extract::<axum::http::request::Parts>().await.is_ok_and(|parts| parts.uri.path() == "/api/product");
    if let (true, Ok(state)) = (fetched, crate::ssr::state()) {
        let (ip, agent) = requester().await;
        state.funnel.note_look(slug, ip, &agent);
    }
}

/// Remembers that the shopper of the request being served placed order `number`.
pub async fn note_placed(number: &str) {
    if let Ok(state) = crate::ssr::state() {
        let (ip, agent) = requester().await;
        state.funnel.note_order(number, ip, &agent);
    }
}

/// Writes the marks every `every` until the pool closes.
pub fn spawn_writer(recorder: std::sync::Arc<FunnelRecorder>, db: Db, every: std::time::Duration) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            if let Err(error) = recorder.flush(&db).await {
                tracing::warn!(
                    ?error,
                    "writing funnel marks failed; those marks are not counted"
                );
            }
            if db.pool.is_closed() {
                break;
            }
        }
    });
}

/// The salt of `day`, made by the first server that needs it.
async fn salt(db: &Db, day: i64) -> Result<String, AppError> {
    sqlx::query("INSERT INTO funnel_salts (day, salt) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(day)
        .bind(crate::ssr::accounts::random_token())
        .execute(&db.pool)
        .await?;
    let (salt,): (String,) = sqlx::query_as("SELECT salt FROM funnel_salts WHERE day = $1")
        .bind(day)
        .fetch_one(&db.pool)
        .await?;
    Ok(salt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_are_not_shoppers() {
        assert!(is_robot("Mozilla/5.0 (compatible; Googlebot/2.1)"));
        assert!(is_robot(""));
        assert!(!is_robot(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"
        ));
    }

    #[test]
    fn a_shopper_is_marked_once_a_day_and_step() {
        let recorder = FunnelRecorder::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        recorder.note(Step::Viewed, ip, "Firefox");
        recorder.note(Step::Viewed, ip, "Firefox");
        recorder.note(Step::Viewed, ip, "Chrome");
        recorder.note(Step::Carted, ip, "Firefox");
        recorder.note(Step::Viewed, ip, "Googlebot");
        assert_eq!(recorder.pending.lock().unwrap().marks.len(), 3);
        recorder.note_look("blue-mug", ip, "Firefox");
        recorder.note_look("blue-mug", ip, "Firefox");
        recorder.note_look("blue-mug", ip, "Chrome");
        recorder.note_look("red-mug", ip, "Firefox");
        recorder.note_look("red-mug", ip, "Googlebot");
        let looks = &recorder.pending.lock().unwrap().looks;
        assert_eq!((looks["blue-mug"], looks["red-mug"]), (2, 1), "once a day per shopper and product");
    }

    #[test]
    fn one_address_counts_a_bounded_number_of_looks_a_day() {
        let recorder = FunnelRecorder::default();
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for n in 0..LOOKS_PER_ADDRESS + 50 {
            recorder.note_look("blue-mug", ip, &format!("Browser/{n}"));
        }
        recorder.note_look("blue-mug", "192.0.2.8".parse().unwrap(), "Browser/1");
        assert_eq!(recorder.pending.lock().unwrap().looks["blue-mug"], i64::from(LOOKS_PER_ADDRESS) + 1);
    }
}
