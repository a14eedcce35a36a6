//! `GET /order/{number}/events`: server-sent events telling an open order
//! page that its order changed, so it reloads its data. Browsers reconnect by
//! themselves after a drop; the page works without it (a normal reload).
//! Streams end when the server shuts down, so shutdown never waits on them.

use crate::api_v1::{ApiError, Caller, OrderKey};
use app::ssr::orders::access;
use app::ssr::AppState;
use axum::extract::{Path, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, watch};

/// How long one stream lives before the browser is asked to reconnect.
const STREAM_LIFETIME: Duration = Duration::from_secs(600);

fn stopping() -> &'static watch::Sender<bool> {
    static STOPPING: OnceLock<watch::Sender<bool>> = OnceLock::new();
    STOPPING.get_or_init(|| watch::channel(false).0)
}

/// Ends every open stream (called when the server starts shutting down).
pub fn close_all() {
    stopping().send_replace(true);
}

pub async fn order_events(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    Query(query): Query<OrderKey>,
) -> Result<Response, ApiError> {
    let (order, _) = access::order_for(&state.db, &number, &query.key, user.map(|u| u.id)).await?;
    Ok(Sse::new(changes(order, state.order_feed.subscribe())).keep_alive(KeepAlive::default()).into_response())
}

/// A `ready` event (with the reconnect delay), then `changed` each time
/// `order` changes, until the stream's lifetime ends or the server stops.
fn changes(order: i64, changed: broadcast::Receiver<i64>) -> impl Stream<Item = Result<Event, Infallible>> {
    let ready = Event::default().event("ready").data(order.to_string()).retry(Duration::from_secs(3));
    let deadline = tokio::time::Instant::now() + STREAM_LIFETIME;
    let rest = stream::unfold((changed, stopping().subscribe()), move |(mut changed, mut stop)| async move {
        loop {
            if *stop.borrow() {
                return None;
            }
            tokio::select! {
                got = changed.recv() => match got {
                    Ok(id) if id != order => continue,
                    // Missed some news: the order may have changed.
                    Ok(_) | Err(RecvError::Lagged(_)) => {
                        return Some((Ok(Event::default().event("changed").data(order.to_string())), (changed, stop)));
                    }
                    Err(RecvError::Closed) => return None,
                },
                _ = stop.changed() => return None,
                _ = tokio::time::sleep_until(deadline) => return None,
            }
        }
    });
    stream::once(async move { Ok(ready) }).chain(rest)
}
