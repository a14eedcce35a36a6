//! Search quality on a judged query set (`search_quality/judged.tsv`): recall@10
//! for queries that name a product, precision@10 for category and brand words,
//! how often a misspelled query finds nothing, and the "did you mean"
//! offered (or not). Prints a report and fails below the targets
//! (recall@10 ≥ 0.9, zero results on misspellings ≤ 5%, every spelling right).

use app::domain::SearchRequest;
use app::ssr::search::SearchIndex;

/// The API suite's helpers, for a fresh database on the engine under test.
#[allow(dead_code, unused_imports)]
#[path = "api/helpers/mod.rs"]
mod helpers;

const JUDGED: &str = include_str!("search_quality/judged.tsv");

#[tokio::test]
async fn judged_queries_meet_the_quality_targets() {
    let dir = tempfile::tempdir().unwrap();
    let url = helpers::fresh_database_url(dir.path()).await;
    let db = oxcart::db::connect(&url, 4).await.unwrap();
    oxcart::db::migrate(&db).await.unwrap();
    oxcart::seed::seed(&db, 5000, 42, false, false).await.unwrap();
    let index = SearchIndex::open(&dir.path().join("search"), &db, std::time::Duration::ZERO).await.unwrap();
    let slug_map = |sql: &'static str| async {
        sqlx::query_as::<_, (String, String)>(sql)
            .fetch_all(&db.pool)
            .await
            .unwrap()
            .into_iter()
            .collect::<std::collections::HashMap<String, String>>()
    };
    let brand_of = slug_map("SELECT p.slug, b.name FROM products p JOIN brands b ON b.id = p.brand_id").await;
    let aisle_of = slug_map("SELECT p.slug, c.slug FROM products p JOIN categories c ON c.id = p.category_id").await;

    let (mut found, mut wanted) = (0, 0);
    let (mut precise, mut judged_top) = (0usize, 0usize);
    let (mut misspelled, mut misspelled_empty) = (0, 0);
    let (mut spellings, mut spelled_right) = (0, 0);
    let mut misses = Vec::new();
    for line in JUDGED.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut cols = line.split('\t');
        let (kind, query, expect) = (cols.next().unwrap(), cols.next().unwrap(), cols.next().unwrap());
        let request = SearchRequest { text: query.to_owned(), ..Default::default() };
        let results = index.search(&request, "").unwrap();
        let top: Vec<&str> = results.hits.iter().take(10).map(|h| h.card.slug.as_str()).collect();
        if kind == "misspelled" {
            misspelled += 1;
            misspelled_empty += usize::from(top.is_empty());
        }
        let (what, value) = expect.split_once(':').unwrap();
        match what {
            "corrected" => {
                spellings += 1;
                let offered = results.did_you_mean.as_ref().map_or("", |(text, _)| text.as_str());
                if offered == value {
                    spelled_right += 1;
                } else {
                    misses.push(format!("{kind}: “{query}” offers “{offered}”, not “{value}”"));
                }
            }
            "product" => {
                wanted += 1;
                if top.contains(&value) {
                    found += 1;
                } else {
                    misses.push(format!("{kind}: “{query}” misses {value}"));
                }
            }
            "aisle" | "brand" => {
                let of = if what == "aisle" { &aisle_of } else { &brand_of };
                let good = top.iter().filter(|s| of.get(**s).is_some_and(|v| v == value)).count();
                precise += good;
                judged_top += 10;
                if good < 8 {
                    misses.push(format!("{kind}: “{query}” has {good}/10 from {value}"));
                }
            }
            other => panic!("unknown expectation {other}"),
        }
    }
    let recall = found as f64 / wanted as f64;
    let precision = precise as f64 / judged_top as f64;
    let zero_rate = misspelled_empty as f64 / misspelled as f64;
    println!("search quality on {} judged queries:", wanted + judged_top / 10);
    println!("  recall@10 (named products):      {recall:.3} ({found}/{wanted})");
    println!("  precision@10 (category, brand):  {precision:.3}");
    println!("  zero results, misspelled:        {zero_rate:.3} ({misspelled_empty}/{misspelled})");
    println!("  did you mean, right:             {spelled_right}/{spellings}");
    for miss in &misses {
        println!("  - {miss}");
    }
    assert!(wanted + judged_top / 10 >= 60, "at least 60 judged queries");
    assert!(recall >= 0.9, "recall@10 {recall:.3} is below 0.9");
    assert!(zero_rate <= 0.05, "{zero_rate:.3} of misspelled queries found nothing");
    assert!(precision >= 0.8, "precision@10 {precision:.3} is below 0.8");
    assert_eq!(spelled_right, spellings, "every judged \"did you mean\" is right");
}
