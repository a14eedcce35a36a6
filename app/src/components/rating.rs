//! A product's star rating with its review count.
//!
//! Numbers are written from whole tenths, not with `{:.1}`: formatting an
//! `f64` pulls the standard library's float printing (Grisu and Dragon4,
//! about 15 kB of WebAssembly) into every shopper's bundle.

use leptos::prelude::*;

/// `avg` to one decimal ("4.3"), from 0.0 to 5.0.
fn one_decimal(avg: f64) -> String {
    let tenths = (avg.clamp(0.0, 5.0) * 10.0 + 0.5) as i64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Stars out of five with the review count, readable by screen readers.
#[component]
pub fn Rating(avg: f64, count: i64) -> impl IntoView {
    let shown = one_decimal(avg);
    let label = format!("Rated {shown} out of 5 from {count} reviews");
    let width = format!("width: {}%", (avg.clamp(0.0, 5.0) * 20.0 + 0.5) as i64);
    view! {
        <span class="rating" role="img" aria-label=label>
            <span class="stars" aria-hidden="true">
                <span class="stars-fill" style=width></span>
            </span>
            <span class="rating-count" aria-hidden="true">{format!("{shown} ({count})")}</span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ratings_print_one_decimal_rounded_half_up_within_zero_to_five() {
        for (avg, shown) in [(0.0, "0.0"), (4.25, "4.3"), (4.24, "4.2"), (3.96, "4.0"), (5.0, "5.0"), (7.0, "5.0"), (-1.0, "0.0")] {
            assert_eq!(super::one_decimal(avg), shown, "{avg}");
        }
    }
}
