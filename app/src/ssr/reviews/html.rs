//! One review as safe HTML, made by the server for the product's page and
//! the reviews page alike: every word a shopper or moderator typed escaped,
//! paragraphs and line breaks kept.

use crate::domain::reviews::{stars, Review};
use crate::domain::rich_text::escape;
use crate::domain::time::utc;

/// One review: stars, title, author, date, the verified mark, the words,
/// the shop's answer and how many found it helpful.
pub fn review_html(r: &Review) -> String {
    let mut out = format!(
        r#"<p class="review-stars" role="img" aria-label="Rated {0} out of 5">{1}</p><h3 class="review-title">{2}</h3><p class="review-meta">{3} · {4}"#,
        r.rating,
        stars(r.rating),
        escape(&r.title),
        escape(&r.author),
        utc(r.at).get(..10).unwrap_or_default(),
    );
    if r.verified {
        out.push_str(r#" · <span class="verified" data-testid="verified">Verified purchase</span>"#);
    }
    out.push_str("</p>");
    out.push_str(&paragraphs("review-body", &r.body));
    if !r.reply.is_empty() {
        out.push_str(r#"<div class="review-reply" data-testid="review-reply"><p class="review-reply-by">The shop answered:</p>"#);
        out.push_str(&paragraphs("review-reply-text", &r.reply));
        out.push_str("</div>");
    }
    if r.helpful > 0 {
        out.push_str(&format!(
            r#"<p class="review-helpful" data-testid="helpful-count">{} found this helpful</p>"#,
            if r.helpful == 1 { "1 shopper".to_string() } else { format!("{} shoppers", r.helpful) }
        ));
    }
    out
}

/// `text` escaped, in paragraphs (blank lines) with its line breaks kept.
pub fn paragraphs(class: &str, text: &str) -> String {
    let inner: String = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect();
    format!(r#"<div class="{class}">{inner}</div>"#)
}
