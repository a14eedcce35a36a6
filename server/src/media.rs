//! Product images: uploaded files from the media store (their names carry
//! their content's hash, so browsers and CDNs keep them for a year), and the
//! demo catalog's placeholder artwork, drawn as SVG from the URL alone:
//! deterministic, cacheable, and nothing fetched from anywhere.

use app::ssr::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use crate::splitmix::SplitMix64;
use std::fmt::Write;

/// `/media/{file}`: an uploaded image's file, e.g. `…-640.webp`.
pub async fn stored(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(content_type) = app::ssr::media::store::content_type(&file) else {
        return (StatusCode::NOT_FOUND, "no such image").into_response();
    };
    if !app::ssr::media::store::valid_key(&file) {
        return (StatusCode::NOT_FOUND, "no such image").into_response();
    }
    match state.media.get(&file).await {
        Ok(Some(bytes)) => (
            [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")],
            bytes,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "no such image").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "The image cannot be read just now; try again shortly.").into_response(),
    }
}

/// `/media/product/{id}-{n}.svg`: view `n` of product `id`.
pub async fn product(Path(file): Path<String>) -> Response {
    let parsed = file
        .strip_suffix(".svg")
        .and_then(|stem| stem.split_once('-'))
        .and_then(|(id, n)| Some((id.parse::<u64>().ok()?, n.parse::<u8>().ok()?)));
    match parsed {
        Some((id, view)) => svg(product_svg(id, view)),
        None => (StatusCode::NOT_FOUND, "no such image").into_response(),
    }
}

/// `/media/category/{slug}.svg`: a banner for a category.
pub async fn category(Path(file): Path<String>) -> Response {
    match file.strip_suffix(".svg").filter(|s| app::domain::Slug::parse(s).is_some()) {
        Some(slug) => svg(category_svg(slug)),
        None => (StatusCode::NOT_FOUND, "no such image").into_response(),
    }
}

fn svg(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=604800"),
        ],
        body,
    )
        .into_response()
}

fn product_svg(id: u64, view: u8) -> String {
    let mut rng = SplitMix64(id.wrapping_mul(31));
    let hue = rng.below(360);
    let mut rng = SplitMix64(id.wrapping_mul(31) ^ (view as u64) << 40);
    let mut s = String::with_capacity(1024);
    let _ = write!(
        s,
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 800 800' width='800' height='800'>\
         <defs><linearGradient id='g' x1='0' y1='0' x2='1' y2='1'>\
         <stop offset='0' stop-color='hsl({hue},55%,92%)'/><stop offset='1' stop-color='hsl({},45%,80%)'/>\
         </linearGradient></defs><rect width='800' height='800' fill='url(#g)'/>",
        (hue + 40) % 360
    );
    // A product-like silhouette: a body, a rim and a highlight, varied per view.
    let (w, h) = (300 + rng.below(200), 260 + rng.below(240));
    let (x, y) = (400 - w / 2, 420 - h / 2);
    let r = 20 + rng.below(120);
    let _ = write!(
        s,
        "<ellipse cx='400' cy='{}' rx='{}' ry='26' fill='hsl({hue},30%,40%)' opacity='.18'/>\
         <rect x='{x}' y='{y}' width='{w}' height='{h}' rx='{r}' fill='hsl({hue},50%,{}%)'/>\
         <rect x='{}' y='{}' width='{}' height='{}' rx='{}' fill='hsl({hue},60%,{}%)'/>\
         <circle cx='{}' cy='{}' r='{}' fill='white' opacity='.35'/></svg>",
        y + h + 30,
        w / 2 + 40,
        35 + view as u64 * 8 % 30,
        x + w / 8,
        y + h / 8,
        w * 3 / 4,
        h / 3,
        r / 2,
        55 + rng.below(25),
        x + w / 4 + rng.below(w / 2),
        y + h * 2 / 3,
        14 + rng.below(30),
    );
    s
}

fn category_svg(slug: &str) -> String {
    let seed = slug.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    let mut rng = SplitMix64(seed);
    let hue = rng.below(360);
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 640 360' width='640' height='360'>\
         <rect width='640' height='360' fill='hsl({hue},50%,88%)'/>"
    );
    for _ in 0..7 {
        let _ = write!(
            s,
            "<circle cx='{}' cy='{}' r='{}' fill='hsl({},55%,{}%)' opacity='.55'/>",
            rng.below(640),
            rng.below(360),
            30 + rng.below(110),
            (hue + rng.below(60)) % 360,
            45 + rng.below(35)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_deterministic_and_distinct() {
        assert_eq!(product_svg(7, 0), product_svg(7, 0));
        assert_ne!(product_svg(7, 0), product_svg(7, 1));
        assert_ne!(product_svg(7, 0), product_svg(8, 0));
        assert!(category_svg("electronics").starts_with("<svg"));
    }
}
