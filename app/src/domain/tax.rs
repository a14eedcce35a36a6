//! Tax on an order: each line at its tax class's rate for the destination,
//! shipping at the destination's standard rate, with prices entered before
//! tax (tax added) or with tax in them (tax taken out). The discount is
//! shared out over the lines in proportion to their value; the tax is
//! worked out once per rate (so an invoice's "20% on X" is exact) and then
//! shared out over that rate's lines. Every share is whole minor units and
//! the shares add up exactly, so a line's refund is what it cost.

use serde::{Deserialize, Serialize};

/// An order's sums, in minor units of one currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub subtotal: i64,
    pub discount: i64,
    pub shipping: i64,
    pub tax: i64,
    pub total: i64,
    /// The prices held the tax (the total does not add it again).
    #[serde(default)]
    pub tax_included: bool,
}

/// One line to tax: its list value (unit price × quantity), its rate, and
/// whether the order's discount applies to it (a promo code restricted to
/// some products takes its discount off those lines only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Taxable {
    pub value: i64,
    pub rate_bp: i64,
    pub discounted: bool,
}

/// A line's share of the discount and its tax.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineTax {
    pub discount: i64,
    pub tax: i64,
}

/// The tax charged at one rate, on goods and shipping together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateTax {
    pub rate_bp: i64,
    /// What the rate applies to (net of tax).
    pub net: i64,
    pub tax: i64,
}

/// An order taxed: each line's share, the tax on shipping, the sums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Taxed {
    pub lines: Vec<LineTax>,
    pub shipping_tax: i64,
    pub by_rate: Vec<RateTax>,
    pub totals: Totals,
}

/// Tax at `rate_bp` on `amount`: added to it (`included` false) or the part
/// of it that is tax (`included` true), rounded half up.
pub fn tax_on(amount: i64, rate_bp: i64, included: bool) -> i64 {
    let (amount, rate) = (i128::from(amount.max(0)), i128::from(rate_bp.clamp(0, 10_000)));
    let tax = if included {
        let net = (amount * 10_000 + (10_000 + rate) / 2) / (10_000 + rate);
        amount - net
    } else {
        (amount * rate + 5_000) / 10_000
    };
    tax as i64
}

/// Shares `whole` out over `weights` in proportion, in whole units that add
/// up to `whole` exactly (the largest remainders get the leftover units;
/// ties go to the earlier weight). All zero when the weights are.
pub fn share_out(whole: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|w| i128::from((*w).max(0))).sum();
    if sum == 0 || whole == 0 {
        return vec![0; weights.len()];
    }
    let mut shares: Vec<(i64, i128, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let exact = i128::from(whole) * i128::from((*w).max(0));
            ((exact / sum) as i64, exact % sum, i)
        })
        .collect();
    let mut left = whole - shares.iter().map(|s| s.0).sum::<i64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|a, b| shares[*b].1.cmp(&shares[*a].1).then(a.cmp(b)));
    for i in order {
        if left == 0 {
            break;
        }
        shares[i].0 += 1;
        left -= 1;
    }
    shares.into_iter().map(|s| s.0).collect()
}

/// Taxes an order: `lines`, `discount` off the sum of those it applies to,
/// `shipping` taxed at `shipping_rate_bp`. `None` on overflow.
pub fn tax_order(lines: &[Taxable], discount: i64, shipping: i64, shipping_rate_bp: i64, included: bool) -> Option<Taxed> {
    let subtotal = lines.iter().try_fold(0i64, |sum, l| sum.checked_add(l.value))?;
    let weights: Vec<i64> = lines.iter().map(|l| if l.discounted { l.value } else { 0 }).collect();
    let eligible = weights.iter().try_fold(0i64, |sum, w| sum.checked_add(*w))?;
    let discount = discount.clamp(0, eligible.max(0));
    let discounts = share_out(discount, &weights);
    let bases: Vec<i64> = lines.iter().zip(&discounts).map(|(l, d)| l.value - d).collect();

    let mut rates: Vec<i64> = lines.iter().map(|l| l.rate_bp).collect();
    rates.sort_unstable();
    rates.dedup();
    let mut taxes = vec![0; lines.len()];
    let mut by_rate = Vec::new();
    for rate in rates {
        let members: Vec<usize> = (0..lines.len()).filter(|i| lines[*i].rate_bp == rate).collect();
        let base = members.iter().try_fold(0i64, |sum, i| sum.checked_add(bases[*i]))?;
        let tax = tax_on(base, rate, included);
        for (i, share) in members.iter().zip(share_out(tax, &members.iter().map(|i| bases[*i]).collect::<Vec<_>>())) {
            taxes[*i] = share;
        }
        by_rate.push(RateTax { rate_bp: rate, net: if included { base - tax } else { base }, tax });
    }
    let shipping_tax = tax_on(shipping, shipping_rate_bp, included);
    if shipping > 0 {
        let net = if included { shipping - shipping_tax } else { shipping };
        match by_rate.iter_mut().find(|r| r.rate_bp == shipping_rate_bp) {
            Some(r) => {
                r.net = r.net.checked_add(net)?;
                r.tax += shipping_tax;
            }
            None => by_rate.push(RateTax { rate_bp: shipping_rate_bp, net, tax: shipping_tax }),
        }
    }
    let tax = taxes.iter().try_fold(shipping_tax, |sum, t| sum.checked_add(*t))?;
    let mut total = subtotal.checked_sub(discount)?.checked_add(shipping)?;
    if !included {
        total = total.checked_add(tax)?;
    }
    let lines = discounts.into_iter().zip(taxes).map(|(discount, tax)| LineTax { discount, tax }).collect();
    Some(Taxed {
        lines,
        shipping_tax,
        by_rate,
        totals: Totals { subtotal, discount, shipping, tax, total, tax_included: included },
    })
}

/// What `returned` of a line's `quantity` units cost the customer: the
/// line's value less its discount, plus its tax when the tax was added,
/// in proportion and rounded down (so several returns of one line never
/// give back more than it cost; all of it gives back exactly that).
pub fn refund_for(returned: i64, quantity: i64, value: i64, line: LineTax, included: bool) -> i64 {
    if quantity <= 0 || returned <= 0 {
        return 0;
    }
    let paid = i128::from(value - line.discount) + if included { 0 } else { i128::from(line.tax) };
    (paid.max(0) * i128::from(returned.min(quantity)) / i128::from(quantity)) as i64
}

/// "20%", "7.25%": a rate in basis points as a person reads it.
pub fn rate_text(rate_bp: i64) -> String {
    let whole = format!("{}.{:02}", rate_bp / 100, rate_bp % 100);
    format!("{}%", whole.trim_end_matches('0').trim_end_matches('.'))
}

/// A rate typed as a percentage ("20", "7.25", "5,5" is refused: a comma
/// only groups thousands) in basis points, 0 to 100%.
pub fn parse_rate(raw: &str) -> Result<i64, String> {
    let bad = || format!("Enter the rate as a percentage from 0 to 100, e.g. 20 or 7.25 (not “{}”).", raw.trim());
    let text = raw.trim().trim_end_matches('%').trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || whole.len() > 3 || fraction.len() > 2 || !(whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit())) {
        return Err(bad());
    }
    let bp = whole.parse::<i64>().map_err(|_| bad())? * 100 + format!("{fraction:0<2}").parse::<i64>().map_err(|_| bad())?;
    if bp > 10_000 {
        return Err(bad());
    }
    Ok(bp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(value: i64, rate_bp: i64) -> Taxable {
        Taxable { value, rate_bp, discounted: true }
    }

    #[test]
    fn tax_added_or_taken_out_rounds_half_up() {
        assert_eq!(tax_on(9_499, 2000, false), 1_900, "20% of 94.99 = 18.998");
        assert_eq!(tax_on(12_000, 2000, true), 2_000, "120.00 with 20% in it holds 20.00");
        assert_eq!(tax_on(1_000, 700, true), 65, "10.00 with 7% in it: net 9.3458 → 9.35, tax 0.65");
        assert_eq!(tax_on(-5, 2000, false), 0);
        assert_eq!(tax_on(1_000, 0, true), 0);
    }

    #[test]
    fn shares_add_up_exactly_and_follow_the_weights() {
        assert_eq!(share_out(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(share_out(10, &[0, 0]), vec![0, 0]);
        assert_eq!(share_out(7, &[1_000, 3_000]), vec![2, 5]);
        for (whole, weights) in [(999, vec![3, 7, 11, 13]), (1, vec![5, 5]), (12_345, vec![1, 99_999])] {
            assert_eq!(share_out(whole, &weights).iter().sum::<i64>(), whole);
        }
    }

    #[test]
    fn each_class_at_its_own_rate_with_the_discount_shared() {
        // A 100.00 jacket at 20% and a 50.00 book at 0%, 15.00 off, 5.00 shipping at 20%.
        let taxed = tax_order(&[line(10_000, 2000), line(5_000, 0)], 1_500, 500, 2000, false).unwrap();
        assert_eq!(taxed.lines, vec![LineTax { discount: 1_000, tax: 1_800 }, LineTax { discount: 500, tax: 0 }]);
        assert_eq!(taxed.shipping_tax, 100);
        let t = taxed.totals;
        assert_eq!((t.subtotal, t.discount, t.shipping, t.tax, t.total), (15_000, 1_500, 500, 1_900, 15_000 - 1_500 + 500 + 1_900));
        assert_eq!(
            taxed.by_rate,
            vec![RateTax { rate_bp: 0, net: 4_500, tax: 0 }, RateTax { rate_bp: 2000, net: 9_500, tax: 1_900 }]
        );
    }

    #[test]
    fn a_restricted_discount_comes_off_its_own_lines_only() {
        // 15.00 off the book only; the jacket keeps its full price and tax.
        let book = Taxable { discounted: true, ..line(5_000, 0) };
        let jacket = Taxable { discounted: false, ..line(10_000, 2000) };
        let taxed = tax_order(&[jacket, book], 1_500, 0, 2000, false).unwrap();
        assert_eq!(taxed.lines, vec![LineTax { discount: 0, tax: 2_000 }, LineTax { discount: 1_500, tax: 0 }]);
        let capped = tax_order(&[jacket, Taxable { value: 1_000, ..book }], 1_500, 0, 2000, false).unwrap();
        assert_eq!(capped.totals.discount, 1_000, "never more than the lines it applies to");
    }

    #[test]
    fn prices_with_tax_in_them_keep_the_total() {
        let taxed = tax_order(&[line(12_000, 2000), line(1_070, 700)], 0, 600, 2000, true).unwrap();
        assert_eq!(taxed.totals.total, 12_000 + 1_070 + 600, "the shopper pays the prices shown");
        assert_eq!(taxed.lines[0].tax, 2_000);
        assert_eq!(taxed.lines[1].tax, 70);
        assert_eq!(taxed.shipping_tax, 100);
        assert_eq!(taxed.totals.tax, 2_170);
        assert!(taxed.totals.tax_included);
    }

    #[test]
    fn one_rate_is_worked_out_once_then_shared() {
        // Three 0.05 lines at 10%: per line 0.005 → 0.01 each would charge 0.03; once: 0.015 → 0.02.
        let taxed = tax_order(&[line(5, 1000), line(5, 1000), line(5, 1000)], 0, 0, 1000, false).unwrap();
        assert_eq!(taxed.totals.tax, 2);
        assert_eq!(taxed.lines.iter().map(|l| l.tax).sum::<i64>(), 2);
    }

    #[test]
    fn overflow_is_refused() {
        assert!(tax_order(&[line(i64::MAX, 0), line(1, 0)], 0, 0, 0, false).is_none());
        assert!(tax_order(&[line(i64::MAX - 10, 0)], 0, 100, 0, false).is_none());
    }

    #[test]
    fn refunds_never_add_up_to_more_than_the_line_cost() {
        let cost = LineTax { discount: 333, tax: 601 };
        // 3 units for 30.00, 3.33 off, 6.01 tax: 32.68 in all.
        let parts: i64 = (0..3).map(|_| refund_for(1, 3, 3_000, cost, false)).sum();
        assert!(parts <= 3_268);
        assert_eq!(refund_for(3, 3, 3_000, cost, false), 3_268);
        assert_eq!(refund_for(3, 3, 3_000, cost, true), 2_667, "tax in the price: not added again");
        assert_eq!(refund_for(5, 3, 3_000, cost, false), 3_268, "never more units than were bought");
        assert_eq!(refund_for(1, 0, 3_000, cost, false), 0);
    }

    #[test]
    fn rates_typed_as_percentages() {
        assert_eq!(parse_rate("20"), Ok(2000));
        assert_eq!(parse_rate(" 7.25 % "), Ok(725));
        assert_eq!(parse_rate("5.5"), Ok(550));
        assert_eq!(parse_rate("0"), Ok(0));
        assert_eq!(parse_rate("100"), Ok(10_000));
        for bad in ["", "-1", "100.01", "5,5", "1e2", "7.255", "abc", "1000"] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
        assert_eq!(rate_text(2000), "20%");
        assert_eq!(rate_text(725), "7.25%");
        assert_eq!(rate_text(550), "5.5%");
        assert_eq!(rate_text(0), "0%");
    }

    proptest::proptest! {
        #[test]
        fn refunds_of_every_line_never_add_up_to_more_than_the_goods_cost(
            lines in proptest::collection::vec((1i64..100_000, 1i64..5, proptest::sample::select(vec![0i64, 500, 700, 2000])), 1..8),
            off in 0i64..10_000, shipping in 0i64..5_000, included in proptest::bool::ANY,
        ) {
            let taxable: Vec<Taxable> = lines.iter().map(|(unit, qty, rate)| line(unit * qty, *rate)).collect();
            let taxed = tax_order(&taxable, off, shipping, 2000, included).unwrap();
            let t = taxed.totals;
            let shipping_paid = shipping + if included { 0 } else { taxed.shipping_tax };
            let mut refunds = 0;
            for ((_, qty, _), (l, share)) in lines.iter().zip(taxable.iter().zip(&taxed.lines)) {
                let one_by_one: i64 = (0..*qty).map(|_| refund_for(1, *qty, l.value, *share, included)).sum();
                let whole = refund_for(*qty, *qty, l.value, *share, included);
                proptest::prop_assert!(one_by_one <= whole && whole - one_by_one < *qty);
                refunds += whole;
            }
            proptest::prop_assert_eq!(refunds, t.total - shipping_paid, "every line back: exactly the goods' cost");
            proptest::prop_assert_eq!(taxed.by_rate.iter().map(|r| r.tax).sum::<i64>(), t.tax);
        }
    }
}
