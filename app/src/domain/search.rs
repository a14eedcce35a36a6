//! What a search page URL asks for, validated: the text, the filters, the sort
//! order and the page. Both the server and the client build URLs from it.

use super::PageRequest;
use serde::{Deserialize, Serialize};

/// Longest search text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most values a shopper may tick in one facet.
const MAX_VALUES: usize = 20;

/// The order of search results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SearchSort {
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    Newest,
    Rating,
    Popularity,
}

impl SearchSort {
    pub const ALL: [SearchSort; 6] =
        [Self::Relevance, Self::PriceAsc, Self::PriceDesc, Self::Newest, Self::Rating, Self::Popularity];

    /// The `sort` URL value (absent or empty: relevance).
    pub fn parse(raw: Option<&str>) -> Result<Self, String> {
        match raw.map(str::trim).unwrap_or("") {
            "" => Ok(Self::Relevance),
            key => Self::ALL
                .into_iter()
                .find(|s| s.key() == key)
                .ok_or_else(|| format!("Unknown sort order “{}”.", shorten(key))),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::PriceAsc => "price-asc",
            Self::PriceDesc => "price-desc",
            Self::Newest => "newest",
            Self::Rating => "rating",
            Self::Popularity => "popular",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Relevance => "Best match",
            Self::PriceAsc => "Price: low to high",
            Self::PriceDesc => "Price: high to low",
            Self::Newest => "Newest",
            Self::Rating => "Customer rating",
            Self::Popularity => "Most popular",
        }
    }
}

/// A price range in minor units; either end may be open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PriceRange {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

impl PriceRange {
    /// Parses `"50-100"`, `"50-"` or `"-100"` in whole currency units.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let bad = || format!("“{}” is not a price range; use for example 50-100.", shorten(raw));
        let (lo, hi) = raw.trim().split_once('-').ok_or_else(bad)?;
        let bound = |s: &str| -> Result<Option<u64>, String> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            let units: u64 = s.parse().map_err(|_| bad())?;
            units.checked_mul(100).map(Some).ok_or_else(bad)
        };
        let range = Self { min: bound(lo)?, max: bound(hi)? };
        match (range.min, range.max) {
            (None, None) => Err(bad()),
            (Some(min), Some(max)) if min > max => {
                Err(format!("The price range {} starts above where it ends.", shorten(raw)))
            }
            _ => Ok(range),
        }
    }

    /// The URL value, in whole units.
    pub fn key(&self) -> String {
        let unit = |v: Option<u64>| v.map(|m| (m / 100).to_string()).unwrap_or_default();
        format!("{}-{}", unit(self.min), unit(self.max))
    }
}

/// The raw URL parameters of a search page, exactly as received.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    pub cat: Option<String>,
    pub brand: Vec<String>,
    /// `Name:Value` pairs, e.g. `Colour:Black`.
    pub attr: Vec<String>,
    pub price: Option<String>,
    pub rating: Option<String>,
    pub stock: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

/// A validated search.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SearchRequest {
    pub text: String,
    /// A category slug (a department or an aisle).
    pub category: Option<String>,
    pub brands: Vec<String>,
    pub attributes: Vec<(String, String)>,
    pub price: Option<PriceRange>,
    pub min_rating: Option<u8>,
    pub in_stock: bool,
    pub sort: SearchSort,
    pub page: PageRequest,
}

impl SearchRequest {
    /// Validates URL parameters; the error is a sentence for the shopper.
    pub fn parse(p: &SearchParams) -> Result<Self, String> {
        let text = p.q.as_deref().unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(format!("Search text can be at most {MAX_QUERY_CHARS} characters long."));
        }
        let category = match p.cat.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => {
                Some(super::Slug::parse(c).ok_or_else(|| format!("“{}” is not a category.", shorten(c)))?.to_string())
            }
        };
        if p.brand.len() > MAX_VALUES || p.attr.len() > MAX_VALUES {
            return Err(format!("Choose at most {MAX_VALUES} values of one filter."));
        }
        let mut brands: Vec<String> = p.brand.iter().map(|b| b.trim().to_owned()).filter(|b| !b.is_empty()).collect();
        brands.sort();
        brands.dedup();
        let mut attributes = Vec::new();
        for raw in &p.attr {
            let (name, value) = raw
                .split_once(':')
                .map(|(n, v)| (n.trim(), v.trim()))
                .filter(|(n, v)| !n.is_empty() && !v.is_empty())
                .ok_or_else(|| format!("“{}” is not a filter; use Name:Value.", shorten(raw)))?;
            attributes.push((name.to_owned(), value.to_owned()));
        }
        attributes.sort();
        attributes.dedup();
        let price = match p.price.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => Some(PriceRange::parse(raw)?),
        };
        let min_rating = match p.rating.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => match raw.parse::<u8>() {
                Ok(n @ 1..=5) => Some(n),
                _ => return Err(format!("“{}” is not a rating from 1 to 5.", shorten(raw))),
            },
        };
        let in_stock = match p.stock.as_deref().map(str::trim) {
            None | Some("") | Some("0") => false,
            Some("1") => true,
            Some(other) => return Err(format!("“{}” is not a stock filter; use stock=1.", shorten(other))),
        };
        let mut request = Self {
            text,
            category,
            brands,
            attributes,
            price,
            min_rating,
            in_stock,
            sort: SearchSort::parse(p.sort.as_deref())?,
            page: PageRequest::parse(p.page.as_deref())?,
        };
        if request.sort == SearchSort::Relevance {
            request.sort = request.default_sort();
        }
        Ok(request)
    }

    /// The order used when the URL names none: relevance for a text search,
    /// popularity when browsing (without text, relevance means nothing).
    pub fn default_sort(&self) -> SearchSort {
        if self.text.is_empty() { SearchSort::Popularity } else { SearchSort::Relevance }
    }

    /// The URL for this request (first page unless `page` says otherwise).
    /// Browsing a category without text is that category's page, `/c/slug`;
    /// everything else is `/search`.
    pub fn href(&self) -> String {
        let mut q: Vec<(&str, String)> = Vec::new();
        let base = match (&self.category, self.text.is_empty()) {
            (Some(c), true) => format!("/c/{c}"),
            (Some(c), false) => {
                q.push(("q", self.text.clone()));
                q.push(("cat", c.clone()));
                "/search".to_owned()
            }
            (None, _) => {
                if !self.text.is_empty() {
                    q.push(("q", self.text.clone()));
                }
                "/search".to_owned()
            }
        };
        q.extend(self.brands.iter().map(|b| ("brand", b.clone())));
        q.extend(self.attributes.iter().map(|(n, v)| ("attr", format!("{n}:{v}"))));
        if let Some(p) = &self.price {
            q.push(("price", p.key()));
        }
        if let Some(r) = self.min_rating {
            q.push(("rating", r.to_string()));
        }
        if self.in_stock {
            q.push(("stock", "1".into()));
        }
        if self.sort != self.default_sort() {
            q.push(("sort", self.sort.key().into()));
        }
        if self.page.number() > 1 {
            q.push(("page", self.page.number().to_string()));
        }
        let query: Vec<String> = q.into_iter().map(|(k, v)| format!("{k}={}", url_encode(&v))).collect();
        if query.is_empty() { base } else { format!("{base}?{}", query.join("&")) }
    }

    /// A copy on the first page, for links that change the filters or the sort.
    /// `request` in its default order (as if its URL named none).
    pub fn plain(request: Self) -> Self {
        Self { sort: request.default_sort(), ..request }
    }

    pub fn first_page(&self) -> Self {
        Self { page: PageRequest::FIRST, ..self.clone() }
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// At most 40 characters of untrusted input, for error messages.
fn shorten(s: &str) -> String {
    super::pagination::truncate(s, 40)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> SearchParams {
        let mut p = SearchParams::default();
        for (k, v) in pairs {
            let v = Some(v.to_string());
            match *k {
                "q" => p.q = v,
                "cat" => p.cat = v,
                "brand" => p.brand.push(v.unwrap()),
                "attr" => p.attr.push(v.unwrap()),
                "price" => p.price = v,
                "rating" => p.rating = v,
                "stock" => p.stock = v,
                "sort" => p.sort = v,
                "page" => p.page = v,
                _ => unreachable!(),
            }
        }
        p
    }

    #[test]
    fn a_full_request_round_trips_through_its_url() {
        let r = SearchRequest::parse(&params(&[
            ("q", "  wireless   headphones "),
            ("cat", "electronics"),
            ("brand", "Voltix"),
            ("brand", "Arcwave"),
            ("attr", "Colour:Black"),
            ("price", "50-200"),
            ("rating", "4"),
            ("stock", "1"),
            ("sort", "price-asc"),
            ("page", "2"),
        ]))
        .unwrap();
        assert_eq!(r.text, "wireless headphones");
        assert_eq!(r.brands, ["Arcwave", "Voltix"], "sorted, so equal searches share a URL");
        assert_eq!(r.price, Some(PriceRange { min: Some(5000), max: Some(20000) }));
        assert_eq!(
            r.href(),
            "/search?q=wireless+headphones&cat=electronics&brand=Arcwave&brand=Voltix&attr=Colour%3ABlack\
             &price=50-200&rating=4&stock=1&sort=price-asc&page=2"
        );
        assert_eq!(SearchRequest::parse(&SearchParams::default()).unwrap().href(), "/search");
    }

    #[test]
    fn browsing_a_category_is_its_page_sorted_by_popularity() {
        let r = SearchRequest::parse(&params(&[("cat", "laptops"), ("brand", "Voltix")])).unwrap();
        assert_eq!(r.sort, SearchSort::Popularity, "relevance means nothing without text");
        assert_eq!(r.href(), "/c/laptops?brand=Voltix");
        let sorted = SearchRequest { sort: SearchSort::PriceAsc, ..r.clone() };
        assert_eq!(sorted.href(), "/c/laptops?brand=Voltix&sort=price-asc");
        let with_text = SearchRequest { text: "pro".into(), sort: SearchSort::Relevance, ..r };
        assert_eq!(with_text.href(), "/search?q=pro&cat=laptops&brand=Voltix");
    }

    #[test]
    fn bad_values_are_sentences_not_panics() {
        for (k, v) in [
            ("price", "200-50"),
            ("price", "-"),
            ("price", "abc"),
            ("price", "-5-3"),
            ("price", "99999999999999999999-"),
            ("rating", "9"),
            ("rating", "x"),
            ("stock", "yes"),
            ("sort", "DROP TABLE"),
            ("page", "1.5"),
            ("cat", "../etc"),
            ("attr", "Colour"),
        ] {
            let err = SearchRequest::parse(&params(&[(k, v)])).unwrap_err();
            assert!(err.ends_with('.'), "{k}={v}: {err}");
        }
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert!(SearchRequest::parse(&params(&[("q", &long)])).is_err());
        assert!(SearchRequest::parse(&params(&[("price", "-100")])).is_ok(), "open ranges are fine");
    }
}
