//! Invoices for paid orders: a printable HTML page and a PDF with the same
//! content, both from the order as its buyer sees it and the shop's details
//! (its name, the seller's address, VAT number and contact, the legal text).

use crate::domain::order_view::OrderView;
use crate::domain::shop_details::ShopDetails;
use crate::domain::money::Money;
use crate::domain::orders::OrderStatus;
use crate::domain::tax::rate_text;
use crate::domain::time::utc;
use crate::error::AppError;
use crate::ssr::orders::pdf::{self, Text};
use leptos::prelude::*;

/// What an invoice says.
pub struct Invoice {
    pub number: String,
    /// The shop's name, the seller's lines (address, VAT number, contact) and the legal text.
    pub seller: String,
    pub seller_lines: Vec<String>,
    pub legal: String,
    pub issued: i64,
    pub email: String,
    /// The delivery address, line by line.
    pub ship_to: Vec<String>,
    /// (quantity × item, unit price, line total)
    pub lines: Vec<(String, Money, Money)>,
    /// (label, amount): subtotal, discount, shipping, tax, total.
    pub totals: Vec<(String, Money)>,
    /// Refunds that went through: (when, amount).
    pub refunds: Vec<(i64, Money)>,
    pub paid_with: String,
}

impl Invoice {
    /// The invoice of `order`; refused (409) until the order is paid.
    pub fn of(order: &OrderView, shop: &ShopDetails) -> Result<Self, AppError> {
        let paid_at = order.events.iter().find(|e| e.status == OrderStatus::Paid).map(|e| e.at);
        let Some(issued) = paid_at else {
            return Err(AppError::Conflict("An invoice is issued once the order is paid.".into()));
        };
        let money = |minor| Money::new(minor, order.currency);
        let a = &order.ship_to;
        let t = order.totals;
        let mut totals = vec![("Subtotal".to_owned(), money(t.subtotal))];
        if t.discount > 0 {
            totals.push(("Discount".into(), money(-t.discount)));
        }
        totals.push(("Shipping".into(), money(t.shipping)));
        // Each rate with what it applies to, as an invoice must say.
        let by_rate: Vec<(String, Money)> = match order.taxes.as_slice() {
            [] => vec![("Tax".into(), money(t.tax))],
            rates => rates.iter().map(|r| (format!("Tax {} on {}", rate_text(r.rate_bp), money(r.net)), money(r.tax))).collect(),
        };
        if t.tax_included {
            totals.push(("Total".into(), money(t.total)));
            totals.extend(by_rate.into_iter().map(|(label, tax)| (format!("Includes {}", label.to_lowercase()), tax)));
        } else {
            totals.extend(by_rate);
            totals.push(("Total".into(), money(t.total)));
        }
        Ok(Invoice {
            number: order.number.clone(),
            seller: shop.name.clone(),
            seller_lines: shop.seller_lines(),
            legal: shop.legal_text.clone(),
            issued,
            email: order.email.clone(),
            ship_to: a.lines(false),
            lines: order
                .lines
                .iter()
                .map(|l| {
                    let total = l.unit_price.checked_mul(l.quantity).unwrap_or(l.unit_price);
                    let sku = if l.sku.is_empty() { String::new() } else { format!(" · SKU {}", l.sku) };
                    (format!("{} × {}{sku}", l.quantity, l.label()), l.unit_price, total)
                })
                .collect(),
            totals,
            refunds: order.refunds.iter().filter(|r| r.status == "succeeded").map(|r| (r.at, r.amount)).collect(),
            paid_with: order.payment.as_ref().map(|p| p.card.clone()).unwrap_or_default(),
        })
    }

    /// A standalone, printable HTML document.
    pub fn html(&self) -> String {
        let number = self.number.clone();
        let body = view! {
            <main class="invoice">
                <header>
                    <h1>"Invoice " {number.clone()}</h1>
                    <p class="seller"><strong>{self.seller.clone()}</strong>
                        {self.seller_lines.iter().map(|l| view! { <br/>{l.clone()} }).collect_view()}</p>
                </header>
                <p>{format!("Issued {} UTC · paid with {}", utc(self.issued), self.paid_with)}</p>
                <section><h2>"Billed to"</h2><p>{self.email.clone()}</p></section>
                <section><h2>"Delivered to"</h2><p>{self.ship_to.iter().map(|l| view! { {l.clone()}<br/> }).collect_view()}</p></section>
                <table>
                    <thead><tr><th>"Item"</th><th>"Unit price"</th><th>"Amount"</th></tr></thead>
                    <tbody>
                        {self.lines.iter().map(|(item, unit, total)| view! {
                            <tr><td>{item.clone()}</td><td>{unit.to_string()}</td><td>{total.to_string()}</td></tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        {self.totals.iter().map(|(label, amount)| view! {
                            <tr><th colspan="2">{label.clone()}</th><td>{amount.to_string()}</td></tr>
                        }).collect_view()}
                    </tfoot>
                </table>
                {(!self.refunds.is_empty()).then(|| view! {
                    <section><h2>"Refunded"</h2><ul>
                        {self.refunds.iter().map(|(at, amount)| view! { <li>{format!("{} UTC: {amount}", utc(*at))}</li> }).collect_view()}
                    </ul></section>
                })}
                {(!self.legal.is_empty()).then(|| view! {
                    <footer class="legal">{self.legal.lines().map(|l| view! { {l.to_owned()}<br/> }).collect_view()}</footer>
                })}
                <p class="no-print"><a href=format!("/order/{number}")>"Back to the order"</a></p>
            </main>
        }
        .to_html();
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
             <title>Invoice {} | {}</title><style>{STYLE}</style></head><body>{body}</body></html>",
            self.number.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>(),
            crate::domain::rich_text::escape(&self.seller)
        )
    }

    /// The same content as a PDF.
    pub fn pdf(&self) -> Vec<u8> {
        let mut pages: Vec<Vec<Text>> = vec![Vec::new()];
        let mut y = pdf::PAGE_HEIGHT - 60.0;
        let mut put = |x: f32, size: f32, bold: bool, text: String, advance: bool, pages: &mut Vec<Vec<Text>>| {
            if y < 60.0 {
                pages.push(Vec::new());
                y = pdf::PAGE_HEIGHT - 60.0;
            }
            pages.last_mut().expect("one page at least").push(Text { x, y, size, bold, text });
            if advance {
                y -= size * 1.5;
            }
        };
        put(50.0, 20.0, true, format!("Invoice {}", self.number), false, &mut pages);
        put(400.0, 14.0, true, self.seller.chars().take(24).collect(), true, &mut pages);
        for line in &self.seller_lines {
            put(400.0, 9.0, false, line.chars().take(36).collect(), true, &mut pages);
        }
        put(50.0, 10.0, false, format!("Issued {} UTC, paid with {}", utc(self.issued), self.paid_with), true, &mut pages);
        put(50.0, 11.0, true, "Billed to".into(), true, &mut pages);
        put(50.0, 10.0, false, self.email.clone(), true, &mut pages);
        put(50.0, 11.0, true, "Delivered to".into(), true, &mut pages);
        for line in &self.ship_to {
            put(50.0, 10.0, false, line.clone(), true, &mut pages);
        }
        put(50.0, 10.0, true, "Item".into(), false, &mut pages);
        put(380.0, 10.0, true, "Unit price".into(), false, &mut pages);
        put(480.0, 10.0, true, "Amount".into(), true, &mut pages);
        for (item, unit, total) in &self.lines {
            put(50.0, 10.0, false, item.chars().take(60).collect(), false, &mut pages);
            put(380.0, 10.0, false, unit.to_string(), false, &mut pages);
            put(480.0, 10.0, false, total.to_string(), true, &mut pages);
        }
        for (label, amount) in &self.totals {
            let bold = label == "Total";
            put(280.0, 10.0, bold, label.clone(), false, &mut pages);
            put(480.0, 10.0, bold, amount.to_string(), true, &mut pages);
        }
        for (at, amount) in &self.refunds {
            put(50.0, 10.0, false, format!("Refunded {} UTC: {amount}", utc(*at)), true, &mut pages);
        }
        if !self.legal.is_empty() {
            put(50.0, 8.0, false, String::new(), true, &mut pages);
            for line in self.legal.lines() {
                // The page is about 95 characters of this size wide.
                for part in line.chars().collect::<Vec<_>>().chunks(95) {
                    put(50.0, 8.0, false, part.iter().collect(), true, &mut pages);
                }
            }
        }
        pdf::render(&pages)
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;color:#111}main{max-width:48rem;margin:auto}\
    header{display:flex;justify-content:space-between;align-items:baseline}table{width:100%;border-collapse:collapse}\
    th,td{text-align:left;padding:.3rem;border-bottom:1px solid #ddd}td:last-child{text-align:right}\
    .seller{text-align:right}.legal{margin-top:2rem;font-size:.8rem;color:#555}\
    @media print{.no-print{display:none}body{margin:0}}";
