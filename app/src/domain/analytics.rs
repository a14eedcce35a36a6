//! The back office's dashboard, shared with the browser: the period asked
//! for (a preset or a custom range of UTC days), a period's totals against
//! the period before, one point a day for the charts, the best sellers, the
//! shoppers' funnel and the stock to look at. Days are counted from
//! 1970-01-01 (UTC), as `secs / 86400`.

use serde::{Deserialize, Serialize};

/// The longest custom range, in days.
pub const MAX_DAYS: i64 = 366;

/// Seconds in a day.
pub const DAY_SECS: i64 = 86_400;

/// The presets offered, with their key and label: (key, label, days).
pub const PRESETS: [(&str, &str, i64); 4] = [
    ("today", "Today", 1),
    ("7d", "Last 7 days", 7),
    ("30d", "Last 30 days", 30),
    ("90d", "Last 90 days", 90),
];

/// A span of whole UTC days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub first: i64,
    pub last: i64,
}

impl Period {
    /// How many days it spans.
    pub fn days(self) -> i64 {
        self.last - self.first + 1
    }

    /// The period of the same length just before it.
    pub fn before(self) -> Period {
        Period {
            first: self.first - self.days(),
            last: self.first - 1,
        }
    }

    /// The period a dashboard address asks for: a preset key (`7d` when
    /// empty), or `custom` with `from` and `to` typed as `YYYY-MM-DD`.
    pub fn parse(key: &str, from: &str, to: &str, today: i64) -> Result<Period, String> {
        let key = if key.trim().is_empty() {
            "7d"
        } else {
            key.trim()
        };
        if let Some((_, _, days)) = PRESETS.iter().find(|(k, _, _)| *k == key) {
            return Ok(Period {
                first: today - days + 1,
                last: today,
            });
        }
        if key != "custom" {
            return Err(format!(
                "\"{}\" is not a period: choose today, 7d, 30d, 90d or custom.",
                key.chars().take(20).collect::<String>()
            ));
        }
        let day = |text: &str, which: &str| -> Result<i64, String> {
            if text.trim().is_empty() {
                return Err(format!("Give the {which} day of the range."));
            }
            super::time::parse_utc(text).map(|secs| secs.div_euclid(DAY_SECS))
        };
        let (first, last) = (day(from, "first")?, day(to, "last")?);
        if first > last {
            return Err("The range ends before it starts.".into());
        }
        if last - first + 1 > MAX_DAYS {
            return Err(format!("A range is at most {MAX_DAYS} days."));
        }
        if first < 0 || last > today + 1 {
            return Err("The range must lie between 1970 and today.".into());
        }
        Ok(Period { first, last })
    }
}

/// `YYYY-MM-DD` of a day number.
pub fn day_text(day: i64) -> String {
    let (year, month, day, _, _) = super::time::civil(day * DAY_SECS);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The calendar month of a day, as year * 12 + month - 1.
pub fn month_of(day: i64) -> i64 {
    let (year, month, _, _, _) = super::time::civil(day * DAY_SECS);
    year * 12 + month - 1
}

/// The whole calendar months within days `first..end` (end excluded): the
/// first and last month and the days they cover (`start..stop`); the days
/// before `start` and from `stop` on are in no whole month. `None` when no
/// month lies wholly inside.
pub fn whole_months(first: i64, end: i64) -> Option<(i64, i64, i64, i64)> {
    let mut start = first;
    while start < end && month_of(start - 1) == month_of(start) {
        start += 1;
    }
    let mut stop = end;
    while stop > start && month_of(stop) == month_of(stop - 1) {
        stop -= 1;
    }
    (start < stop).then(|| (month_of(start), month_of(stop - 1), start, stop))
}

/// What a period sold: orders paid in it (their totals with shipping and
/// tax), the units in them, the refunds that went through and the returns asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub orders: i64,
    pub revenue_minor: i64,
    pub units: i64,
    pub refunds: i64,
    pub refunded_minor: i64,
    pub returns: i64,
}

impl Totals {
    /// Adds `other` in.
    pub fn add(&mut self, other: &Totals) {
        self.orders += other.orders;
        self.revenue_minor += other.revenue_minor;
        self.units += other.units;
        self.refunds += other.refunds;
        self.refunded_minor += other.refunded_minor;
        self.returns += other.returns;
    }

    /// The average order value, rounded to the minor unit (0 without orders).
    pub fn average_minor(&self) -> i64 {
        if self.orders == 0 {
            0
        } else {
            (self.revenue_minor + self.orders / 2) / self.orders
        }
    }
}

/// The change from `before` to `now` in whole percent; `None` when there was
/// nothing before to compare with.
pub fn change_percent(now: i64, before: i64) -> Option<i64> {
    if before == 0 {
        return None;
    }
    let change = (now - before) as f64 * 100.0 / before as f64;
    Some(change.round() as i64)
}

/// One day's orders and revenue, for the charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayPoint {
    pub day: i64,
    pub orders: i64,
    pub revenue_minor: i64,
}

/// A product or category among the best sellers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopItem {
    pub id: i64,
    pub name: String,
    pub units: i64,
    pub revenue_minor: i64,
}

/// Shoppers (counted once a day each) at each step: looked at a product,
/// put something in the cart, began checkout, paid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel {
    pub viewed: i64,
    pub carted: i64,
    pub checkout: i64,
    pub paid: i64,
}

impl Funnel {
    /// (label, shoppers, percent of the step before) for each step.
    pub fn steps(&self) -> [(&'static str, i64, Option<i64>); 4] {
        let of = |n: i64, d: i64| (d > 0).then(|| ((n as f64) * 100.0 / d as f64).round() as i64);
        [
            ("Viewed a product", self.viewed, None),
            ("Added to cart", self.carted, of(self.carted, self.viewed)),
            (
                "Began checkout",
                self.checkout,
                of(self.checkout, self.carted),
            ),
            ("Paid", self.paid, of(self.paid, self.checkout)),
        ]
    }
}

/// Everything the dashboard shows for a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub period: Period,
    /// The currency the figures are in (the one most orders are paid in);
    /// orders in other currencies are counted in `other_currencies` only.
    pub currency: String,
    pub other_currencies: Vec<String>,
    pub now: Totals,
    pub before: Totals,
    /// One point per day of the period, days without orders included.
    pub days: Vec<DayPoint>,
    pub products: Vec<TopItem>,
    pub categories: Vec<TopItem>,
    pub funnel: Funnel,
    /// Active products with a variant at or under its threshold, and sold out.
    pub low_stock: i64,
    pub sold_out: i64,
}

/// The points of a chart of `values` in a `width` × `height` box (y grows
/// downwards, the largest value touches the top): "x,y x,y …".
pub fn chart_points(values: &[i64], width: f64, height: f64) -> String {
    let top = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = if values.len() > 1 {
        width / (values.len() - 1) as f64
    } else {
        0.0
    };
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                height - (*v).max(0) as f64 * height / top
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: i64 = 20_000;

    #[test]
    fn presets_end_today() {
        assert_eq!(
            Period::parse("", "", "", TODAY),
            Ok(Period {
                first: TODAY - 6,
                last: TODAY
            })
        );
        assert_eq!(Period::parse("today", "", "", TODAY).unwrap().days(), 1);
        assert_eq!(Period::parse("90d", "", "", TODAY).unwrap().days(), 90);
        assert!(Period::parse("1y", "", "", TODAY)
            .unwrap_err()
            .contains("not a period"));
    }

    #[test]
    fn custom_ranges_are_checked() {
        let p = Period::parse("custom", "2024-01-01", "2024-01-31", TODAY).unwrap();
        assert_eq!((day_text(p.first).as_str(), p.days()), ("2024-01-01", 31));
        assert_eq!(
            p.before(),
            Period {
                first: p.first - 31,
                last: p.first - 1
            }
        );
        assert!(Period::parse("custom", "2024-02-01", "2024-01-01", TODAY)
            .unwrap_err()
            .contains("ends before"));
        assert!(Period::parse("custom", "2020-01-01", "2024-01-01", TODAY)
            .unwrap_err()
            .contains("at most"));
        assert!(Period::parse("custom", "", "2024-01-01", TODAY)
            .unwrap_err()
            .contains("first day"));
        assert!(Period::parse("custom", "yesterday", "2024-01-01", TODAY).is_err());
    }

    #[test]
    fn averages_and_changes() {
        let t = Totals {
            orders: 3,
            revenue_minor: 1000,
            ..Totals::default()
        };
        assert_eq!(t.average_minor(), 333);
        assert_eq!(Totals::default().average_minor(), 0);
        assert_eq!(change_percent(150, 100), Some(50));
        assert_eq!(change_percent(50, 100), Some(-50));
        assert_eq!(change_percent(5, 0), None);
    }

    #[test]
    fn funnel_steps_relate_to_the_step_before() {
        let f = Funnel {
            viewed: 200,
            carted: 50,
            checkout: 20,
            paid: 10,
        };
        let steps = f.steps();
        assert_eq!(steps[1].2, Some(25));
        assert_eq!(steps[3], ("Paid", 10, Some(50)));
        assert_eq!(Funnel::default().steps()[1].2, None);
    }

    #[test]
    fn whole_months_inside_a_range() {
        let day = |text: &str| super::super::time::parse_utc(text).unwrap() / DAY_SECS;
        // 2024-01-15 .. 2024-04-10: February and March are whole.
        let (a, b, start, stop) = whole_months(day("2024-01-15"), day("2024-04-10")).unwrap();
        assert_eq!((a, b), (2024 * 12 + 1, 2024 * 12 + 2));
        assert_eq!((day_text(start), day_text(stop)), ("2024-02-01".to_owned(), "2024-04-01".to_owned()));
        // A range from the first to the last day of a month is that month.
        let (a, b, _, _) = whole_months(day("2024-02-01"), day("2024-03-01")).unwrap();
        assert_eq!((a, b), (2024 * 12 + 1, 2024 * 12 + 1));
        assert_eq!(whole_months(day("2024-02-02"), day("2024-03-01")), None);
        assert_eq!(whole_months(day("2024-02-01"), day("2024-02-29")), None);
        assert_eq!(month_of(day("2023-12-31")) + 1, month_of(day("2024-01-01")));
    }

    #[test]
    fn chart_points_scale_to_the_box() {
        assert_eq!(
            chart_points(&[0, 5, 10], 100.0, 50.0),
            "0.0,50.0 50.0,25.0 100.0,0.0"
        );
        assert_eq!(chart_points(&[0, 0], 10.0, 10.0), "0.0,10.0 10.0,10.0");
        assert_eq!(chart_points(&[], 10.0, 10.0), "");
    }
}
