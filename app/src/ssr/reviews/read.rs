//! A product's published reviews as shoppers read them: a page in the order
//! asked for (most helpful, newest, highest or lowest rating), each with its
//! verified-purchase mark, and how many reviews gave each number of stars.

use super::{active_product, VERIFIED_SQL};
use crate::domain::reviews::{Review, ReviewPage, ReviewSort, PER_PAGE};
use crate::error::AppError;
use sqlx::AnyConnection;

type Row = (i64, String, i64, String, String, i64, i64, String, i64);

fn order_by(sort: ReviewSort) -> &'static str {
    match sort {
        ReviewSort::Helpful => "r.helpful DESC, r.id DESC",
        ReviewSort::Newest => "r.updated_at DESC, r.id DESC",
        ReviewSort::Highest => "r.rating DESC, r.id DESC",
        ReviewSort::Lowest => "r.rating ASC, r.id DESC",
    }
}

/// Up to `limit` of `product`'s published reviews from `offset`, in `sort`'s order.
pub async fn published(conn: &mut AnyConnection, product: i64, sort: ReviewSort, limit: i64, offset: i64) -> Result<Vec<Review>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT r.id, r.author, r.rating, r.title, r.body, {VERIFIED_SQL}, r.helpful, r.reply, r.updated_at \
         FROM reviews r WHERE r.product_id = $1 AND r.status = 'published' ORDER BY {} LIMIT $2 OFFSET $3",
        order_by(sort)
    ))
    .bind(product)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, author, rating, title, body, verified, helpful, reply, at)| {
            let mut review = Review { id, author, rating, title, body, verified: verified == 1, helpful, reply, at, html: String::new() };
            review.html = super::html::review_html(&review);
            review
        })
        .collect())
}

/// How many of `product`'s published reviews gave 1, 2, 3, 4 and 5 stars.
pub async fn stars(conn: &mut AnyConnection, product: i64) -> Result<[i64; 5], AppError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT rating, CAST(COUNT(*) AS BIGINT) FROM reviews WHERE product_id = $1 AND status = 'published' GROUP BY rating",
    )
    .bind(product)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = [0; 5];
    for (rating, n) in rows {
        if let Some(slot) = usize::try_from(rating - 1).ok().and_then(|i| out.get_mut(i)) {
            *slot = n;
        }
    }
    Ok(out)
}

/// Page `page` (1-based) of product `slug`'s reviews in `sort`'s order; a
/// page past the end is the last.
pub async fn page(slug: String, sort: String, page: i64) -> Result<ReviewPage, AppError> {
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool.acquire().await?;
    let (id, product) = active_product(&mut conn, &slug).await?;
    let (rating_avg, rating_count): (f64, i64) =
        sqlx::query_as("SELECT rating_avg, rating_count FROM products WHERE id = $1").bind(id).fetch_one(&mut *conn).await?;
    let stars = stars(&mut conn, id).await?;
    let total: i64 = stars.iter().sum();
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let sort = ReviewSort::parse(&sort);
    let reviews = published(&mut conn, id, sort, PER_PAGE, (page - 1) * PER_PAGE).await?;
    Ok(ReviewPage { product, slug, rating_avg, rating_count, stars, sort, page, pages, reviews })
}
