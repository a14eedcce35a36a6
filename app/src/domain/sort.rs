//! Sort orders for product listings.

use serde::{Deserialize, Serialize};

/// How a product listing is ordered; `Featured` is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProductSort {
    #[default]
    Featured,
    PriceAsc,
    PriceDesc,
    Newest,
    Rating,
    Name,
}

impl ProductSort {
    pub const ALL: [ProductSort; 6] = [
        Self::Featured,
        Self::PriceAsc,
        Self::PriceDesc,
        Self::Newest,
        Self::Rating,
        Self::Name,
    ];

    /// Parses the `sort` query value; unknown values are an error message.
    pub fn parse(raw: Option<&str>) -> Result<Self, String> {
        match raw.unwrap_or("") {
            "" => Ok(Self::Featured),
            key => Self::ALL
                .into_iter()
                .find(|s| s.key() == key)
                .ok_or_else(|| "Unknown sort order.".to_owned()),
        }
    }

    /// The value used in URLs.
    pub fn key(self) -> &'static str {
        match self {
            Self::Featured => "featured",
            Self::PriceAsc => "price-asc",
            Self::PriceDesc => "price-desc",
            Self::Newest => "newest",
            Self::Rating => "rating",
            Self::Name => "name",
        }
    }

    /// The label shown to shoppers.
    pub fn label(self) -> &'static str {
        match self {
            Self::Featured => "Featured",
            Self::PriceAsc => "Price: low to high",
            Self::PriceDesc => "Price: high to low",
            Self::Newest => "Newest",
            Self::Rating => "Best rated",
            Self::Name => "Name A–Z",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for s in ProductSort::ALL {
            assert_eq!(ProductSort::parse(Some(s.key())), Ok(s));
        }
        assert_eq!(ProductSort::parse(None), Ok(ProductSort::Featured));
        assert!(ProductSort::parse(Some("price; drop table")).is_err());
    }
}
