//! Page numbers from URLs and the page window they select.

use serde::{Deserialize, Serialize};

/// Products per listing page.
pub const PER_PAGE: u32 = 24;

/// A requested 1-based page number, parsed from the `page` query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PageRequest(u32);

impl Default for PageRequest {
    fn default() -> Self {
        Self::FIRST
    }
}

impl PageRequest {
    pub const FIRST: PageRequest = PageRequest(1);

    /// Parses `?page=`: absent or empty means page 1; zero is treated as page 1;
    /// anything that is not a whole number is an error for the shopper to see.
    pub fn parse(raw: Option<&str>) -> Result<Self, String> {
        let raw = raw.map(str::trim).unwrap_or("");
        if raw.is_empty() {
            return Ok(Self::FIRST);
        }
        if raw.starts_with('-') && raw[1..].bytes().all(|b| b.is_ascii_digit()) && raw.len() > 1 {
            return Ok(Self::FIRST);
        }
        if !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("“{}” is not a page number.", truncate(raw, 20)));
        }
        // All digits: anything beyond u32 is simply "very far", clamped later.
        Ok(Self(raw.parse::<u32>().unwrap_or(u32::MAX).max(1)))
    }

    /// Page `number` (zero counts as the first).
    pub fn at(number: u32) -> Self {
        Self(number.max(1))
    }

    pub fn number(self) -> u32 {
        self.0
    }

    /// Clamps to the last page of `total_items` and returns the window.
    pub fn resolve(self, total_items: u64) -> PageInfo {
        let total_pages = total_items.div_ceil(PER_PAGE as u64).max(1).min(u32::MAX as u64) as u32;
        PageInfo {
            page: self.0.min(total_pages),
            total_pages,
            total_items,
        }
    }
}

/// The page actually shown, after clamping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageInfo {
    pub page: u32,
    pub total_pages: u32,
    pub total_items: u64,
}

impl PageInfo {
    /// Row offset of the first item on this page.
    pub fn offset(&self) -> u64 {
        (self.page as u64 - 1) * PER_PAGE as u64
    }

    pub fn limit(&self) -> u32 {
        PER_PAGE
    }

    /// The page numbers to link to: first, last, and two either side of the current
    /// one, with `None` standing for a gap ("…").
    pub fn window(&self) -> Vec<Option<u32>> {
        let mut out = Vec::new();
        let mut last = 0;
        for p in 1..=self.total_pages {
            let near = p.abs_diff(self.page) <= 2;
            if p == 1 || p == self.total_pages || near {
                if p > last + 1 {
                    out.push(None);
                }
                out.push(Some(p));
                last = p;
            } else if p > self.page + 2 {
                // Jump straight to the last page rather than walking every number.
                if self.total_pages > p {
                    out.push(None);
                    out.push(Some(self.total_pages));
                }
                break;
            }
        }
        out
    }
}

/// At most `max_chars` characters of `s` (untrusted input in error messages).
pub(crate) fn truncate(s: &str, max_chars: usize) -> String {
    let mut out: String = s.chars().take(max_chars).collect();
    if s.chars().count() > max_chars {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_page_numbers() {
        assert_eq!(PageRequest::parse(None), Ok(PageRequest(1)));
        assert_eq!(PageRequest::parse(Some("")), Ok(PageRequest(1)));
        assert_eq!(PageRequest::parse(Some("3")), Ok(PageRequest(3)));
        assert_eq!(PageRequest::parse(Some("0")), Ok(PageRequest(1)));
        assert_eq!(PageRequest::parse(Some("-4")), Ok(PageRequest(1)));
        assert_eq!(PageRequest::parse(Some("99999999999999")), Ok(PageRequest(u32::MAX)));
        assert!(PageRequest::parse(Some("abc")).is_err());
        assert!(PageRequest::parse(Some("1.5")).is_err());
        assert!(PageRequest::parse(Some("-")).is_err());
        assert!(PageRequest::parse(Some(&"x".repeat(10_000))).unwrap_err().len() < 60);
    }

    #[test]
    fn clamps_to_last_page() {
        let info = PageRequest(50).resolve(100);
        assert_eq!((info.page, info.total_pages), (5, 5));
        assert_eq!(info.offset(), 96);
        let empty = PageRequest(3).resolve(0);
        assert_eq!((empty.page, empty.total_pages, empty.offset()), (1, 1, 0));
    }

    #[test]
    fn window_shows_ends_and_neighbours() {
        let w = PageRequest(10).resolve(24 * 40).window();
        assert_eq!(
            w,
            vec![Some(1), None, Some(8), Some(9), Some(10), Some(11), Some(12), None, Some(40)]
        );
        assert_eq!(PageRequest(1).resolve(24 * 3).window(), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(PageRequest(1).resolve(10).window(), vec![Some(1)]);
    }
}
