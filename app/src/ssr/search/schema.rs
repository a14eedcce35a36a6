//! The search index's fields and the text analysis they share.

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::Index;

/// The analyzer of every full-text field: words, lower-cased, accents folded,
/// English stems ("headphones" and "headphone" are one term).
pub const ANALYZER: &str = "oxcart_en";

/// Handles to every field, resolved once.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub id: Field,
    pub slug: Field,
    pub name: Field,
    pub brand: Field,
    /// Department and aisle names.
    pub category: Field,
    /// Attribute values ("Black", "Bluetooth 5.3").
    pub attributes: Field,
    pub description: Field,
    /// `/Brand`.
    pub brand_facet: Field,
    /// `/department-slug/aisle-slug`.
    pub category_facet: Field,
    /// `/Attribute/Value`.
    pub attribute_facet: Field,
    /// Minor units.
    pub price: Field,
    pub currency: Field,
    pub rating: Field,
    pub rating_count: Field,
    /// 1 when in stock, else 0.
    pub in_stock: Field,
    pub popularity: Field,
    /// Relevance multiplier from popularity, computed at indexing time.
    pub boost: Field,
    /// Unix seconds.
    pub created: Field,
    pub image: Field,
}

impl Fields {
    /// The schema and its field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let stored_text = text.clone().set_stored();
        let fields = Fields {
            id: b.add_u64_field("id", INDEXED | STORED | FAST),
            slug: b.add_text_field("slug", STORED),
            name: b.add_text_field("name", stored_text.clone()),
            brand: b.add_text_field("brand", stored_text.clone()),
            category: b.add_text_field("category", text.clone()),
            attributes: b.add_text_field("attributes", text),
            description: b.add_text_field("description", stored_text),
            brand_facet: b.add_facet_field("brand_facet", FacetOptions::default()),
            category_facet: b.add_facet_field("category_facet", FacetOptions::default()),
            attribute_facet: b.add_facet_field("attribute_facet", FacetOptions::default()),
            price: b.add_u64_field("price", INDEXED | STORED | FAST),
            currency: b.add_text_field("currency", STORED),
            rating: b.add_f64_field("rating", INDEXED | STORED | FAST),
            rating_count: b.add_u64_field("rating_count", STORED),
            in_stock: b.add_u64_field("in_stock", INDEXED | STORED | FAST),
            popularity: b.add_u64_field("popularity", FAST),
            boost: b.add_f64_field("boost", FAST),
            created: b.add_i64_field("created", FAST),
            image: b.add_text_field("image", STORED),
        };
        (b.build(), fields)
    }
}

/// Registers [`ANALYZER`] on `index` (analyzers are not stored in the index).
pub fn register_analyzer(index: &Index) {
    index.tokenizers().register(ANALYZER, analyzer());
}

/// A fresh instance of the shared analyzer.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}
