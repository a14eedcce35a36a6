//! The back office's categories and brands: the fields staff edit and the
//! rules they are checked by (shared by the server and the browser), the
//! category tree as the editor lists it, and the brand list.
//!
//! The tree has two levels, as the storefront shows it: departments (no
//! parent) and their aisles. A product sits in either, and belongs to the
//! department at the top of its category.

use super::products::{id, line};
use super::Slug;
use serde::{Deserialize, Serialize};

/// The category editor's fields as the browser sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CategoryInput {
    pub name: String,
    /// Empty: made from the name.
    pub slug: String,
    /// The department's id; empty: the category is a department itself.
    pub parent: String,
    pub description: String,
    pub seo_title: String,
    pub seo_description: String,
}

/// A category's fields once checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryFields {
    pub name: String,
    pub slug: Slug,
    pub parent_id: Option<i64>,
    pub description: String,
    pub seo_title: String,
    pub seo_description: String,
}

/// A slug typed into a form, or one made from `name` when left empty.
pub fn slug_or_from(raw: &str, name: &str) -> Result<Slug, String> {
    match raw.trim() {
        "" => Ok(Slug::from_title(name)),
        raw => Slug::parse(raw)
            .ok_or_else(|| "The slug may hold only lowercase letters, digits and single hyphens (at most 120).".to_string()),
    }
}

impl CategoryInput {
    /// Checks every field; the error is a sentence naming the field.
    pub fn check(&self) -> Result<CategoryFields, String> {
        let name = line(&self.name, "name", 80, true)?;
        let description = line(&self.description, "description", 500, false)?;
        Ok(CategoryFields {
            slug: slug_or_from(&self.slug, &name)?,
            parent_id: id(&self.parent, "department")?,
            name,
            description,
            seo_title: line(&self.seo_title, "SEO title", 120, false)?,
            seo_description: line(&self.seo_description, "SEO description", 320, false)?,
        })
    }
}

/// The brand editor's fields as the browser sends them. The list's rename
/// form sends only the name and slug; the editor also sends `details`, and
/// only then are the description and SEO fields saved (an emptied box
/// empties its field).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BrandInput {
    pub name: String,
    /// Empty: made from the name.
    pub slug: String,
    /// The form carries the description and SEO fields (the editor's does).
    pub details: bool,
    pub description: String,
    pub seo_title: String,
    pub seo_description: String,
}

/// A brand's fields once checked (`None`: left as it is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrandFields {
    pub name: String,
    pub slug: Slug,
    pub description: Option<String>,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
}

impl BrandInput {
    pub fn check(&self) -> Result<BrandFields, String> {
        let name = line(&self.name, "name", 80, true)?;
        let detail = |value: &str, what: &str, most: usize| self.details.then(|| line(value, what, most, false)).transpose();
        Ok(BrandFields {
            slug: slug_or_from(&self.slug, &name)?,
            name,
            description: detail(&self.description, "description", 500)?,
            seo_title: detail(&self.seo_title, "SEO title", 120)?,
            seo_description: detail(&self.seo_description, "SEO description", 320)?,
        })
    }
}

/// A brand as its editor shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditedBrand {
    pub id: i64,
    /// Sent back with a save: a save of an older version is refused.
    pub version: i64,
    pub input: BrandInput,
    /// The slug shoppers reach its page at now (`/b/…`).
    pub slug: String,
    pub products: i64,
    /// Its own picture, shown on its page.
    pub image: Option<super::catalog::ProductImage>,
}

/// Where staff move a category among its siblings, or an image among a
/// product's: one place up (earlier) or down, or to a place (1-based, as a
/// drag and drop puts it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shift {
    Up,
    Down,
    To(usize),
}

impl Shift {
    /// `up`, `down` or a place (`1` is the first).
    pub fn parse(key: &str) -> Option<Self> {
        match key.trim() {
            "up" => Some(Self::Up),
            "down" => Some(Self::Down),
            place => place.parse().ok().filter(|&n| n > 0).map(Self::To),
        }
    }

    /// What a form sends: `up`, `down` or the place.
    pub fn key(self) -> String {
        match self {
            Self::Up => "up".into(),
            Self::Down => "down".into(),
            Self::To(place) => place.to_string(),
        }
    }

    /// The move in an audit line: "up", "down", "to place 3".
    pub fn said(self) -> String {
        match self {
            Self::To(place) => format!("to place {place}"),
            way => way.key(),
        }
    }

    /// Why `apply` found nothing to do for an item of `count` called `what`.
    pub fn refusal(self, what: &str, count: usize) -> String {
        match self {
            Self::Up => format!("{what} is already the first."),
            Self::Down => format!("{what} is already the last."),
            Self::To(place) if place > count => format!("There is no place {place}: there are {count}."),
            Self::To(place) => format!("{what} is already at place {place}."),
        }
    }

    /// `ids` (in display order) with `id` moved this way (the others keep
    /// their order); `None` when it is not among them, already there, or the
    /// place is past the end.
    pub fn apply(self, ids: &[i64], id: i64) -> Option<Vec<i64>> {
        let at = ids.iter().position(|&i| i == id)?;
        let to = match self {
            Self::Up => at.checked_sub(1)?,
            Self::Down => at + 1,
            Self::To(place) => place - 1,
        };
        if to == at || to >= ids.len() {
            return None;
        }
        let mut moved = ids.to_vec();
        let item = moved.remove(at);
        moved.insert(to, item);
        Some(moved)
    }
}

/// One category in the editor's tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryNode {
    pub id: i64,
    pub name: String,
    pub slug: String,
    /// Products in it (a department's count includes its aisles').
    pub products: i64,
    /// A department's aisles, in display order; empty for an aisle.
    pub children: Vec<CategoryNode>,
}

/// The category tree: departments in display order, each with its aisles.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryTree {
    pub departments: Vec<CategoryNode>,
}

/// A category as its editor shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditedCategory {
    pub id: i64,
    /// Sent back with a save: a save of an older version is refused.
    pub version: i64,
    pub input: CategoryInput,
    /// The slug shoppers reach it at now (`/c/…`).
    pub slug: String,
    pub products: i64,
    pub children: i64,
    /// Its own picture for the home page (none: the generated artwork).
    pub image: Option<super::catalog::ProductImage>,
}

/// The category editor: the category (none for a new one) and the
/// departments it may be put under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryEditor {
    pub category: Option<EditedCategory>,
    pub departments: Vec<super::products::Choice>,
}

/// One brand in the back office's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandRow {
    pub id: i64,
    pub version: i64,
    pub name: String,
    pub slug: String,
    pub products: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_needs_a_name_and_makes_its_slug_from_it() {
        let empty = CategoryInput::default().check();
        assert_eq!(empty, Err("Enter the name.".into()));
        let fields = CategoryInput { name: " Garden & Patio ".into(), ..Default::default() }.check().unwrap();
        assert_eq!((fields.name.as_str(), fields.slug.as_str(), fields.parent_id), ("Garden & Patio", "garden-patio", None));
        let bad = CategoryInput { name: "Tools".into(), slug: "Tools!".into(), ..Default::default() }.check();
        assert!(bad.unwrap_err().contains("slug"));
        let parent = CategoryInput { name: "Tools".into(), parent: "x".into(), ..Default::default() }.check();
        assert_eq!(parent, Err("Choose the department from the list.".into()));
        let long = CategoryInput { name: "a".repeat(81), ..Default::default() }.check();
        assert!(long.unwrap_err().contains("at most 80"));
    }

    #[test]
    fn a_brand_needs_a_name() {
        assert_eq!(BrandInput::default().check(), Err("Enter the name.".into()));
        let fields = BrandInput { name: "Nordlicht".into(), ..Default::default() }.check().unwrap();
        assert_eq!(fields.slug.as_str(), "nordlicht");
        assert_eq!(fields.description, None, "the rename form: kept as it is");
        let emptied = BrandInput { name: "Nordlicht".into(), details: true, ..Default::default() }.check().unwrap();
        assert_eq!(emptied.description.as_deref(), Some(""), "the editor: an emptied box empties the field");
        let long = BrandInput { name: "Nordlicht".into(), details: true, seo_title: "t".repeat(121), ..Default::default() }.check();
        assert!(long.unwrap_err().contains("SEO title"));
    }

    #[test]
    fn shifting_swaps_with_the_neighbour_and_stops_at_the_ends() {
        let ids = [4, 7, 9];
        assert_eq!(Shift::Up.apply(&ids, 7), Some(vec![7, 4, 9]));
        assert_eq!(Shift::Down.apply(&ids, 7), Some(vec![4, 9, 7]));
        assert_eq!(Shift::Up.apply(&ids, 4), None);
        assert_eq!(Shift::Down.apply(&ids, 9), None);
        assert_eq!(Shift::Down.apply(&ids, 5), None);
        assert_eq!(Shift::To(1).apply(&ids, 9), Some(vec![9, 4, 7]));
        assert_eq!(Shift::To(3).apply(&ids, 4), Some(vec![7, 9, 4]));
        assert_eq!(Shift::To(2).apply(&ids, 7), None, "already there");
        assert_eq!(Shift::To(4).apply(&ids, 7), None, "past the end");
        assert_eq!(Shift::parse(" 2 "), Some(Shift::To(2)));
        assert_eq!(Shift::parse("0"), None);
        assert_eq!(Shift::parse("-1"), None);
        assert_eq!(Shift::To(5).refusal("The image", 3), "There is no place 5: there are 3.");
        assert_eq!(Shift::parse(" up "), Some(Shift::Up));
        assert_eq!(Shift::parse("sideways"), None);
    }
}
