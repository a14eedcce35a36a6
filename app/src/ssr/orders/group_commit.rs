//! Placing orders in groups (group commit).
//!
//! An order takes its stock with a guarded update, so on PostgreSQL the row
//! of a product everyone buys stays locked until the order commits, and a
//! commit waits for the disk: one order per disk flush on that product. The
//! desk places the orders that are waiting together, in one transaction, and
//! answers them after that one commit. Only when an order of the group is
//! refused is the group placed again with a savepoint each (so a refused order
//! leaves the others alone). With nobody else waiting a group is a single
//! order, so no order ever waits for a group to fill.

use super::place::{find_by_key, place_in_transaction, Checkout, Items, Placed};
use crate::error::AppError;
use crate::ssr::{Backend, Db};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Mutex};

struct Job {
    items: Items,
    checkout: Checkout,
    reply: oneshot::Sender<Result<Placed, AppError>>,
}

/// What became of one order of a group.
enum Outcome {
    Placed(Placed),
    /// Refused for a reason the shopper is told (stock, promo, prices).
    Refused(AppError),
    /// A request with the same key placed its order first.
    KeyTaken,
    /// A database error: tried again on its own.
    Failed,
}

/// Takes orders and places them in groups.
#[derive(Clone)]
pub struct OrderPlacer {
    jobs: mpsc::Sender<Job>,
    counters: Arc<Counters>,
}

/// The live tallies behind [`PlacerCounts`].
#[derive(Default)]
struct Counters {
    together: AtomicU64,
    one_by_one: AtomicU64,
}

/// How the orders a desk has handled were placed, since it started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlacerCounts {
    /// Orders of groups placed whole, in one transaction with no savepoints.
    pub together: u64,
    /// Orders of groups placed again one savepoint each (a refusal or a database error).
    pub one_by_one: u64,
}

impl OrderPlacer {
    /// Starts `workers` tasks placing orders in `db`, at most `most` per
    /// transaction; 0 workers picks one for SQLite (one writer at a time
    /// anyway) and two for PostgreSQL. `shop_url` starts the links in the
    /// mail an order sends to staff (a product falling to its threshold).
    pub fn spawn(db: Db, workers: usize, most: usize, shop_url: Arc<str>) -> Self {
        let workers = match (workers, db.backend) {
            (0, Backend::Sqlite) => 1,
            (0, Backend::Postgres) => 2,
            (n, _) => n,
        };
        let (jobs, queue) = mpsc::channel::<Job>(4096);
        let queue = Arc::new(Mutex::new(queue));
        let counters = Arc::new(Counters::default());
        for _ in 0..workers {
            let (desk, queue, counters) = (Desk { db: db.clone(), shop_url: shop_url.clone() }, queue.clone(), counters.clone());
            tokio::spawn(async move {
                while let Some(group) = next_group(&queue, most.max(1)).await {
                    place_group(&desk, group, &counters).await;
                }
            });
        }
        Self { jobs, counters }
    }

    /// How the orders so far were placed.
    pub fn counts(&self) -> PlacerCounts {
        PlacerCounts {
            together: self.counters.together.load(Relaxed),
            one_by_one: self.counters.one_by_one.load(Relaxed),
        }
    }

    /// Places the order for `items`; a retry with the same key returns the first order.
    pub async fn place(&self, items: Items, checkout: Checkout) -> Result<Placed, AppError> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Job { items, checkout, reply }).await.map_err(|_| AppError::Internal)?;
        answer.await.map_err(|_| AppError::Internal)?
    }
}

/// What a worker places orders with: the database and the shop's public URL.
struct Desk {
    db: Db,
    shop_url: Arc<str>,
}

/// The next order waiting and every other one already waiting, up to `most`.
async fn next_group(queue: &Mutex<mpsc::Receiver<Job>>, most: usize) -> Option<Vec<Job>> {
    let mut queue = queue.lock().await;
    let mut group = vec![queue.recv().await?];
    while group.len() < most {
        match queue.try_recv() {
            Ok(job) => group.push(job),
            Err(_) => break,
        }
    }
    Some(group)
}

/// Places `group` and answers each order. The usual case goes first: every
/// order of the group placed in one transaction. If any is refused (or the
/// database fails), that is rolled back and the group placed again with a
/// savepoint per order, so each order stands or falls alone; an order that
/// failed there on a database error (a failed commit, a deadlock with another
/// group or server) is tried again on its own, see [`alone`].
async fn place_group(desk: &Desk, group: Vec<Job>, counters: &Counters) {
    let db = &desk.db;
    let whole = together(desk, &group).await.unwrap_or_else(|error| {
        tracing::warn!(%error, orders = group.len(), "placing a group of orders at once failed; placing each alone");
        None
    });
    let outcomes = match whole {
        Some(placed) => {
            counters.together.fetch_add(group.len() as u64, Relaxed);
            placed.into_iter().map(Outcome::Placed).collect()
        }
        None => {
            counters.one_by_one.fetch_add(group.len() as u64, Relaxed);
            attempt(desk, &group).await.unwrap_or_else(|error| {
                tracing::warn!(%error, orders = group.len(), "placing a group of orders failed; each is tried alone");
                group.iter().map(|_| Outcome::Failed).collect()
            })
        }
    };
    for (job, outcome) in group.into_iter().zip(outcomes) {
        let outcome = match outcome {
            Outcome::Failed => alone(desk, &job).await,
            other => other,
        };
        let answer = match outcome {
            Outcome::Placed(placed) => Ok(placed),
            // A retry whose first request emptied the cart is refused for that; it gets the first order.
            Outcome::Refused(refusal) => find_by_key(db, &job.checkout, &job.items).await.and_then(|p| p.ok_or(refusal)),
            Outcome::KeyTaken => find_by_key(db, &job.checkout, &job.items).await.and_then(|p| p.ok_or(AppError::Internal)),
            Outcome::Failed => Err(AppError::Internal),
        };
        // The shopper may have gone; the order stands either way (a retry finds it by key).
        let _ = job.reply.send(answer);
    }
}

/// How many times an order that failed on a database error is tried alone.
const TRIES_ALONE: u32 = 4;

/// Places one order that failed in its group, trying again after a short,
/// growing, jittered pause while the database keeps failing: on PostgreSQL a
/// group holds the rows of several products and the same key as another
/// group, so two groups (or two servers) can deadlock, and PostgreSQL then
/// cancels one of them. The order then goes through once the other commits.
async fn alone(desk: &Desk, job: &Job) -> Outcome {
    for round in 1..=TRIES_ALONE {
        match attempt(desk, std::slice::from_ref(job)).await {
            Ok(mut outcome) => match outcome.pop() {
                Some(Outcome::Failed) | None => {}
                Some(done) => return done,
            },
            Err(error) => tracing::warn!(%error, round, "placing an order alone failed"),
        }
        if round < TRIES_ALONE {
            let pause = 20u64 << round;
            tokio::time::sleep(std::time::Duration::from_millis(pause + u64::from(u16::from_le_bytes(crate::ssr::accounts::random_bytes::<2>())) % pause)).await;
        }
    }
    tracing::error!(tries = TRIES_ALONE, "placing an order failed");
    Outcome::Failed
}

/// Places every order of `jobs` in one write transaction without savepoints,
/// or none of them: `Ok(None)` when one was refused or its key was taken, an
/// error when the database failed. Savepoints cost two round trips per order.
async fn together(desk: &Desk, jobs: &[Job]) -> Result<Option<Vec<Placed>>, sqlx::Error> {
    let mut tx = desk.db.begin_write().await?;
    let mut placed = Vec::with_capacity(jobs.len());
    for job in jobs {
        // Returning early drops `tx`, which rolls it back.
        match place_in_transaction(&mut tx, &job.items, &job.checkout, &desk.shop_url).await {
            Ok(Some(order)) => placed.push(order),
            Ok(None) | Err(_) => return Ok(None),
        }
    }
    tx.commit().await?;
    Ok(Some(placed))
}

/// Places each order of `jobs` in its own savepoint of one write transaction.
async fn attempt(desk: &Desk, jobs: &[Job]) -> Result<Vec<Outcome>, sqlx::Error> {
    let mut tx = desk.db.begin_write().await?;
    let mut outcomes = Vec::with_capacity(jobs.len());
    for job in jobs {
        let mut savepoint = sqlx::Acquire::begin(&mut *tx).await?;
        let outcome = match place_in_transaction(&mut savepoint, &job.items, &job.checkout, &desk.shop_url).await {
            Ok(Some(placed)) => {
                savepoint.commit().await?;
                outcomes.push(Outcome::Placed(placed));
                continue;
            }
            Ok(None) => Outcome::KeyTaken,
            Err(AppError::Internal) => Outcome::Failed,
            Err(refusal) => Outcome::Refused(refusal),
        };
        savepoint.rollback().await?;
        outcomes.push(outcome);
    }
    tx.commit().await?;
    Ok(outcomes)
}
