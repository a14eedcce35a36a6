//! Reviews and ratings as shoppers and moderators see them: what a review
//! form may hold, the orders a product's reviews are shown in, a review's
//! state, the shop's rules, and the automatic hold for links and banned words.

use serde::{Deserialize, Serialize};

/// Longest title, text, moderator's reason and shop's answer, in characters.
pub const TITLE_MAX: usize = 120;
pub const BODY_MAX: usize = 5000;
pub const REASON_MAX: usize = 500;
pub const REPLY_MAX: usize = 2000;
/// Reviews on one page of a product's reviews.
pub const PER_PAGE: i64 = 10;
/// Reports that take a published review back to the moderators.
pub const REPORTS_TO_HOLD: i64 = 3;

/// The review form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewInput {
    /// "1" to "5" stars.
    pub rating: String,
    pub title: String,
    pub body: String,
}

/// A checked review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewFields {
    pub rating: i64,
    pub title: String,
    pub body: String,
}

impl ReviewInput {
    /// The checked fields, or a sentence saying what is wrong.
    pub fn parse(&self) -> Result<ReviewFields, String> {
        let rating = match self.rating.trim().parse::<i64>() {
            Ok(n @ 1..=5) => n,
            _ => return Err("Choose a rating from 1 to 5 stars.".into()),
        };
        let title = one_line(&self.title);
        let body = self.body.trim().replace("\r\n", "\n");
        if title.is_empty() {
            return Err("Give your review a title.".into());
        }
        if title.chars().count() > TITLE_MAX {
            return Err(format!("Keep the title to {TITLE_MAX} characters."));
        }
        if body.is_empty() {
            return Err("Write a few words about the product.".into());
        }
        if body.chars().count() > BODY_MAX {
            return Err(format!("Keep the review to {BODY_MAX} characters."));
        }
        Ok(ReviewFields { rating, title, body })
    }
}

/// `text` trimmed, its runs of white space (line breaks included) made one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks free text a moderator types (a reason, an answer): trimmed, not
/// longer than `max`; empty allowed only when `may_be_empty`.
pub fn checked_text(text: &str, max: usize, what: &str, may_be_empty: bool) -> Result<String, String> {
    let text = text.trim().replace("\r\n", "\n");
    if text.is_empty() && !may_be_empty {
        return Err(format!("Write the {what}."));
    }
    if text.chars().count() > max {
        return Err(format!("Keep the {what} to {max} characters."));
    }
    Ok(text)
}

/// The order a product's reviews are listed in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewSort {
    #[default]
    Helpful,
    Newest,
    Highest,
    Lowest,
}

impl ReviewSort {
    pub const ALL: [ReviewSort; 4] = [Self::Helpful, Self::Newest, Self::Highest, Self::Lowest];

    /// From the address's `sort=`; anything else is the default.
    pub fn parse(key: &str) -> Self {
        Self::ALL.into_iter().find(|s| s.key() == key).unwrap_or_default()
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Helpful => "helpful",
            Self::Newest => "newest",
            Self::Highest => "highest",
            Self::Lowest => "lowest",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Helpful => "Most helpful",
            Self::Newest => "Newest",
            Self::Highest => "Highest rating",
            Self::Lowest => "Lowest rating",
        }
    }
}

/// Where a review stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewStatus {
    /// Waiting for a moderator.
    Pending,
    /// Shown on the product's page and counted in its rating.
    Published,
    /// Turned down, with the moderator's reason for its author.
    Rejected,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 3] = [Self::Pending, Self::Published, Self::Rejected];

    pub fn key(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Published => "published",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Waiting for approval",
            Self::Published => "Published",
            Self::Rejected => "Not published",
        }
    }
}

/// A published review as shoppers read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub id: i64,
    /// The author's first name and initial ("Ana P.").
    pub author: String,
    pub rating: i64,
    pub title: String,
    pub body: String,
    /// The author received this product in a delivered order.
    pub verified: bool,
    pub helpful: i64,
    /// The shop's public answer (empty: none).
    pub reply: String,
    /// When it was written or last edited (Unix seconds).
    pub at: i64,
    /// The above as safe HTML, made by the server.
    pub html: String,
}

/// One page of a product's published reviews, with the rating's spread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub product: String,
    pub slug: String,
    pub rating_avg: f64,
    pub rating_count: i64,
    /// How many reviews gave 1, 2, 3, 4 and 5 stars.
    pub stars: [i64; 5],
    pub sort: ReviewSort,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
    pub reviews: Vec<Review>,
}

/// The author's own review as the form shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnReview {
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub status: ReviewStatus,
    /// Why it waits or was not published.
    pub reason: String,
}

/// The write-a-review page: the product, whether this shopper may review it
/// (and if not, why), and their review if they wrote one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewForm {
    pub product: String,
    pub slug: String,
    pub refusal: Option<String>,
    pub own: Option<OwnReview>,
}

/// A review in the moderators' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationRow {
    pub id: i64,
    pub product: String,
    pub slug: String,
    pub author: String,
    pub email: String,
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub status: ReviewStatus,
    pub reason: String,
    pub reports: i64,
    pub verified: bool,
    pub reply: String,
    pub at: i64,
}

/// The moderators' page: one state's reviews (the queue oldest first, the
/// others newest first), how many wait, and the shop's rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationPage {
    pub status: ReviewStatus,
    pub rows: Vec<ModerationRow>,
    pub waiting: i64,
    pub policy: ReviewPolicy,
}

/// Most reviews on the moderators' page.
pub const MODERATION_ROWS: i64 = 100;

/// The shop's rules for reviews.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPolicy {
    /// Every review waits for a moderator (otherwise only held ones do).
    pub moderate_all: bool,
    /// Only customers who bought the product may review it.
    pub buyers_only: bool,
    /// Words that hold a review, one per line.
    pub banned_words: String,
    pub version: i64,
}

/// The rules' form as typed (checkboxes present when ticked).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyInput {
    pub moderate_all: String,
    pub buyers_only: String,
    pub banned_words: String,
}

/// Longest banned-words list, in characters.
pub const BANNED_MAX: usize = 10_000;

impl PolicyInput {
    /// (moderate all, buyers only, the banned words one per line, lower case).
    pub fn parse(&self) -> Result<(bool, bool, String), String> {
        let ticked = |v: &str| matches!(v.trim(), "on" | "true" | "1");
        let words: Vec<String> = self.banned_words.lines().map(|w| one_line(w).to_lowercase()).filter(|w| !w.is_empty()).collect();
        let words = words.join("\n");
        if words.chars().count() > BANNED_MAX {
            return Err(format!("Keep the banned words to {BANNED_MAX} characters."));
        }
        Ok((ticked(&self.moderate_all), ticked(&self.buyers_only), words))
    }
}

/// Top-level domains that make a word like `cheap-pills.com` a link.
const LINK_ENDINGS: [&str; 14] =
    [".com", ".net", ".org", ".io", ".co", ".info", ".biz", ".shop", ".store", ".xyz", ".ru", ".cn", ".top", ".ly"];

/// Why a review is held for a moderator whatever the rules say: it holds a
/// link, or one of the shop's banned words (whole words or phrases, any case).
pub fn hold_reason(title: &str, body: &str, banned_words: &str) -> Option<String> {
    let text = format!("{title}\n{body}").to_lowercase();
    let linky = text.split_whitespace().any(|word| {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        word.contains("://") || word.starts_with("www.") || LINK_ENDINGS.iter().any(|end| word.len() > end.len() && word.ends_with(end))
    });
    if linky {
        return Some("Held: it contains a link.".into());
    }
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let padded = format!(" {} ", words.join(" "));
    banned_words
        .lines()
        .map(|w| w.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
        .filter(|w| !w.is_empty())
        .find(|w| padded.contains(&format!(" {w} ")))
        .map(|w| format!("Held: it contains the banned word “{w}”."))
}

/// "Ana P." from a display name ("Ana Pérez"), or "A customer" for none
/// (or for a name that is an email address).
pub fn author_name(display_name: &str) -> String {
    if display_name.contains('@') {
        return "A customer".into();
    }
    let mut words = display_name.split_whitespace();
    match (words.next(), words.last()) {
        (None, _) => "A customer".into(),
        (Some(first), None) => first.chars().take(40).collect(),
        (Some(first), Some(last)) => {
            let first: String = first.chars().take(40).collect();
            match last.chars().next() {
                Some(initial) => format!("{first} {}.", initial.to_uppercase()),
                None => first,
            }
        }
    }
}

/// Stars as text for lists and mail: "★★★★☆".
pub fn stars(rating: i64) -> String {
    let full = rating.clamp(0, 5) as usize;
    format!("{}{}", "★".repeat(full), "☆".repeat(5 - full))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(rating: &str, title: &str, body: &str) -> ReviewInput {
        ReviewInput { rating: rating.into(), title: title.into(), body: body.into() }
    }

    #[test]
    fn a_review_needs_stars_a_title_and_words_within_limits() {
        let ok = input(" 4 ", "  Solid\n lamp ", "Bright.\r\nWarm light.").parse().unwrap();
        assert_eq!(ok, ReviewFields { rating: 4, title: "Solid lamp".into(), body: "Bright.\nWarm light.".into() });
        for (rating, title, body, says) in [
            ("0", "t", "b", "rating"),
            ("6", "t", "b", "rating"),
            ("four", "t", "b", "rating"),
            ("3", " ", "b", "title"),
            ("3", "t", " \n ", "few words"),
        ] {
            let err = input(rating, title, body).parse().unwrap_err();
            assert!(err.contains(says), "{rating}/{title}/{body}: {err}");
        }
        assert!(input("3", &"x".repeat(TITLE_MAX + 1), "b").parse().unwrap_err().contains("120"));
        assert!(input("3", "t", &"é".repeat(BODY_MAX)).parse().is_ok(), "characters, not bytes");
        assert!(input("3", "t", &"x".repeat(BODY_MAX + 1)).parse().is_err());
    }

    #[test]
    fn links_and_banned_words_hold_a_review() {
        for text in ["see https://x.test/a", "visit www.deals.test", "buy at cheap-pills.com now", "(pills.shop)."] {
            assert_eq!(hold_reason("t", text, "").as_deref(), Some("Held: it contains a link."), "{text}");
        }
        for text in ["Works. Version 2.0 is fine", "I use it 3.5 hours a day", "e.g. in the kitchen"] {
            assert_eq!(hold_reason("t", text, ""), None, "{text}");
        }
        let banned = "scam\nrip off\n";
        assert!(hold_reason("What a SCAM!", "b", banned).unwrap().contains("scam"));
        assert!(hold_reason("t", "a total rip-off", banned).unwrap().contains("rip off"));
        assert_eq!(hold_reason("t", "scampi were great", banned), None, "whole words only");
    }

    #[test]
    fn authors_show_a_first_name_and_initial() {
        assert_eq!(author_name("Ana Pérez"), "Ana P.");
        assert_eq!(author_name("  ana maria  éloise "), "ana É.");
        assert_eq!(author_name("Cher"), "Cher");
        assert_eq!(author_name(" "), "A customer");
        assert_eq!(author_name("ana@example.com"), "A customer", "never an email address");
    }

    #[test]
    fn sorts_and_states_read_back_what_they_write() {
        for s in ReviewSort::ALL {
            assert_eq!(ReviewSort::parse(s.key()), s);
        }
        assert_eq!(ReviewSort::parse("nonsense"), ReviewSort::Helpful);
        for s in ReviewStatus::ALL {
            assert_eq!(ReviewStatus::parse(s.key()), Some(s));
        }
        let (all, buyers, words) =
            PolicyInput { moderate_all: "on".into(), buyers_only: String::new(), banned_words: " Scam \n\n rip  off".into() }
                .parse()
                .unwrap();
        assert!(all && !buyers);
        assert_eq!(words, "scam\nrip off");
        assert_eq!(stars(4), "★★★★☆");
    }
}
