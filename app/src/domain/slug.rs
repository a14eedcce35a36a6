//! URL slugs: lowercase ASCII letters, digits and single hyphens.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest slug accepted from a URL; anything longer cannot exist.
pub const MAX_SLUG_LEN: usize = 120;

/// A validated slug. Build one with [`Slug::parse`] or [`Slug::from_title`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    /// Accepts an existing slug as it appears in a URL; `None` if malformed.
    pub fn parse(s: &str) -> Option<Self> {
        let ok = !s.is_empty()
            && s.len() <= MAX_SLUG_LEN
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--")
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        ok.then(|| Self(s.to_owned()))
    }

    /// Derives a slug from a human title: "Men's T-Shirts & Tops" → "men-s-t-shirts-tops".
    pub fn from_title(title: &str) -> Self {
        let mut out = String::with_capacity(title.len());
        for c in title.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            if out.len() >= MAX_SLUG_LEN {
                break;
            }
        }
        while out.ends_with('-') {
            out.pop();
        }
        if out.is_empty() {
            out.push_str("item");
        }
        Self(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_only_canonical_slugs() {
        assert!(Slug::parse("red-shoes-42").is_some());
        for bad in ["", "-a", "a-", "a--b", "Red", "a b", "a/b", "é", "a_b", &"a".repeat(121)] {
            assert!(Slug::parse(bad).is_none(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn from_title_makes_parseable_slugs() {
        assert_eq!(Slug::from_title("Men's T-Shirts & Tops").as_str(), "men-s-t-shirts-tops");
        assert_eq!(Slug::from_title("  !!  ").as_str(), "item");
        assert_eq!(Slug::from_title("Café Crème").as_str(), "caf-cr-me");
        let long = Slug::from_title(&"word ".repeat(100));
        assert!(Slug::parse(long.as_str()).is_some());
    }
}
