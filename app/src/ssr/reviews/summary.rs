//! What a product's page shows of its reviews, as HTML the server makes (the
//! product page is the shoppers' landing page, so its WebAssembly carries no
//! review code): the average, how many gave each number of stars, the most
//! helpful reviews, and the links to all of them and to write one. Every
//! word a shopper or moderator typed is escaped.

use super::read;
use crate::domain::reviews::{Review, ReviewSort};
use crate::domain::rich_text::escape;
use crate::error::AppError;

/// Reviews shown on the product's page.
pub const ON_PRODUCT_PAGE: i64 = 3;

/// Product `id`'s most helpful published reviews and their HTML section.
pub async fn for_product(pool: &sqlx::AnyPool, id: i64, slug: &str, rating: (f64, i64)) -> Result<(Vec<Review>, String), AppError> {
    let mut conn = pool.acquire().await?;
    let spread = read::stars(&mut conn, id).await?;
    let top = read::published(&mut conn, id, ReviewSort::Helpful, ON_PRODUCT_PAGE, 0).await?;
    let html = section(slug, rating, spread, &top);
    Ok((top, html))
}

/// The "Reviews" section of product `slug`'s page.
pub fn section(slug: &str, (avg, count): (f64, i64), spread: [i64; 5], top: &[Review]) -> String {
    let slug = escape(slug);
    let mut out = String::from(r#"<h2 id="reviews">Reviews</h2>"#);
    let total: i64 = spread.iter().sum();
    if total == 0 {
        out.push_str(r#"<p class="reviews-none" data-testid="no-reviews">No reviews yet.</p>"#);
    } else {
        let tenths = (avg * 10.0).round() as i64;
        out.push_str(&format!(
            r#"<p class="reviews-average" data-testid="reviews-average"><strong>{}.{}</strong> out of 5 from {count} {}</p><ul class="star-bars">"#,
            tenths / 10,
            tenths % 10,
            if count == 1 { "review" } else { "reviews" }
        ));
        for n in (1..=5).rev() {
            let many = spread[n as usize - 1];
            let percent = many * 100 / total.max(1);
            out.push_str(&format!(
                r#"<li><span class="star-bar-label">{n} star{}</span><span class="star-bar" aria-hidden="true"><span style="width:{percent}%"></span></span><span class="star-bar-count">{many}</span></li>"#,
                if n == 1 { "" } else { "s" }
            ));
        }
        out.push_str("</ul>");
    }
    out.push_str(r#"<p class="reviews-actions">"#);
    if total > 0 {
        out.push_str(&format!(r#"<a href="/p/{slug}/reviews" data-testid="all-reviews">Read all {total} {}</a> "#, if total == 1 { "review" } else { "reviews" }));
    }
    out.push_str(&format!(r#"<a class="button secondary" href="/account/reviews/{slug}" data-testid="write-review">Write a review</a></p>"#));
    if !top.is_empty() {
        out.push_str(r#"<ul class="review-list">"#);
        for review in top {
            out.push_str(r#"<li class="review" data-testid="review">"#);
            out.push_str(&review.html);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(title: &str, body: &str) -> Review {
        let mut r = Review {
            id: 1,
            author: "Ana P.".into(),
            rating: 4,
            title: title.into(),
            body: body.into(),
            verified: true,
            helpful: 2,
            reply: "Thanks <3".into(),
            at: 1_796_601_600,
            html: String::new(),
        };
        r.html = super::super::html::review_html(&r);
        r
    }

    #[test]
    fn what_shoppers_typed_is_escaped_and_the_spread_adds_up() {
        let html = section("oak-lamp", (4.5, 2), [0, 0, 0, 1, 1], &[review("<script>x</script>", "a & b\n\nline\nbreak")]);
        assert!(html.contains("<strong>4.5</strong> out of 5 from 2 reviews"), "{html}");
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;") && !html.contains("<script>"), "{html}");
        assert!(html.contains("<p>a &amp; b</p><p>line<br>break</p>"), "{html}");
        assert!(html.contains("Thanks &lt;3") && html.contains("Verified purchase") && html.contains("2 shoppers found"), "{html}");
        assert!(html.contains(r#"href="/p/oak-lamp/reviews""#) && html.contains(r#"href="/account/reviews/oak-lamp""#));
        assert!(html.contains(r#"style="width:50%""#), "{html}");
        let empty = section("oak-lamp", (0.0, 0), [0; 5], &[]);
        assert!(empty.contains("No reviews yet.") && !empty.contains("Read all"), "{empty}");
    }
}
