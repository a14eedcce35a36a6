//! The back office's dashboard (admins): a period chosen by a plain GET
//! form (today, 7, 30 or 90 days, or a custom range of UTC days), the
//! period's revenue, orders, average order value and units against the
//! period before, charts of revenue and orders per day, the best-selling
//! products and categories, the funnel, refunds and returns, and links to
//! the stock that needs restocking.

use crate::api::analytics::admin_dashboard;
use crate::components::{AdminNav, ChartKind, DayChart, ErrorView};
use crate::domain::analytics::{change_percent, day_text, Dashboard, TopItem, PRESETS};
use crate::domain::money::{Currency, Money};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminAnalyticsPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let data = crate::components::page_data(
        move || (param("period"), param("from"), param("to")),
        |(period, from, to)| admin_dashboard(period, from, to),
    );
    view! {
        <Title text="Dashboard · Admin"/>
        <AdminNav current="analytics"/>
        <section class="admin-analytics">
            <h1>"Dashboard"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let chosen = param("period");
                    match data.await {
                        Err(error) => view! { {period_form(&chosen, &param("from"), &param("to"))} <ErrorView error/> }.into_any(),
                        Ok(d) => {
                            let (from, to) = (day_text(d.period.first), day_text(d.period.last));
                            view! { {period_form(&chosen, &from, &to)} {figures(d)} }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The period picker: presets and a custom range, submitted as a GET.
fn period_form(chosen: &str, from: &str, to: &str) -> impl IntoView {
    let chosen = if chosen.is_empty() {
        "7d".to_owned()
    } else {
        chosen.to_owned()
    };
    let options = PRESETS
        .iter()
        .map(|(key, label, _)| (*key, *label))
        .chain([("custom", "Custom range")])
        .map(|(key, label)| view! { <option value=key selected=chosen == key>{label}</option> })
        .collect_view();
    view! {
        <form method="get" action="/admin/analytics" class="order-filters" data-testid="period-form">
            <label>"Period" <select name="period" data-testid="period">{options}</select></label>
            <label>"From (UTC)" <input type="date" name="from" value=from.to_owned() data-testid="from"/></label>
            <label>"To (UTC)" <input type="date" name="to" value=to.to_owned() data-testid="to"/></label>
            <button type="submit" class="button" data-testid="show-period">"Show"</button>
        </form>
    }
}

fn money(minor: i64, currency: &str) -> String {
    match Currency::parse(currency) {
        Some(c) => Money::new(minor, c).to_string(),
        None => format!("{} {currency}", minor as f64 / 100.0),
    }
}

/// A figure with its change against the period before.
fn card(
    label: &'static str,
    now: String,
    change: Option<i64>,
    test_id: &'static str,
) -> impl IntoView {
    let (text, class) = match change {
        None => ("no earlier figures".to_owned(), "change"),
        Some(0) => ("same as before".to_owned(), "change"),
        Some(p) if p > 0 => (format!("▲ {p}% on the period before"), "change up"),
        Some(p) => (format!("▼ {}% on the period before", -p), "change down"),
    };
    view! {
        <div class="kpi" data-testid=test_id>
            <span class="kpi-label">{label}</span>
            <strong class="kpi-value">{now}</strong>
            <span class=class>{text}</span>
        </div>
    }
}

fn figures(d: Dashboard) -> impl IntoView {
    let c = d.currency.clone();
    let (now, was) = (d.now, d.before);
    let days: Vec<i64> = d.days.iter().map(|p| p.day).collect();
    let revenue: Vec<i64> = d.days.iter().map(|p| p.revenue_minor).collect();
    let orders: Vec<i64> = d.days.iter().map(|p| p.orders).collect();
    let revenue_labels = revenue.iter().map(|v| money(*v, &c)).collect();
    let order_labels = orders.iter().map(|v| format!("{v} orders")).collect();
    let others = (!d.other_currencies.is_empty())
        .then(|| view! { <p class="hint">{format!("Orders paid in {} are not in these figures.", d.other_currencies.join(", "))}</p> });
    let funnel = d
        .funnel
        .steps()
        .into_iter()
        .map(|(label, shoppers, of)| {
            let width = if d.funnel.viewed > 0 {
                (shoppers as f64 * 100.0 / d.funnel.viewed as f64).clamp(0.0, 100.0)
            } else {
                0.0
            };
            view! {
                <li>
                    <span class="funnel-label">{label}</span>
                    <span class="funnel-bar" style=format!("width: {width:.0}%")></span>
                    <span class="funnel-count">{shoppers} {of.map(|p| format!(" ({p}%)"))}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="hint">{format!("{} to {} (UTC), in {}; compared with the {} days before.", day_text(d.period.first), day_text(d.period.last), c, d.period.days())}</p>
        {others}
        <div class="kpis">
            {card("Revenue", money(now.revenue_minor, &c), change_percent(now.revenue_minor, was.revenue_minor), "kpi-revenue")}
            {card("Orders", now.orders.to_string(), change_percent(now.orders, was.orders), "kpi-orders")}
            {card("Average order", money(now.average_minor(), &c), change_percent(now.average_minor(), was.average_minor()), "kpi-average")}
            {card("Units sold", now.units.to_string(), change_percent(now.units, was.units), "kpi-units")}
            {card("Refunded", format!("{} ({})", money(now.refunded_minor, &c), now.refunds), change_percent(now.refunded_minor, was.refunded_minor), "kpi-refunds")}
            {card("Returns asked", now.returns.to_string(), change_percent(now.returns, was.returns), "kpi-returns")}
        </div>
        <div class="charts">
            <DayChart title="Revenue per day" kind=ChartKind::Line days=days.clone() values=revenue labels=revenue_labels test_id="revenue-chart"/>
            <DayChart title="Orders per day" kind=ChartKind::Bars days=days values=orders labels=order_labels test_id="orders-chart"/>
        </div>
        <div class="charts">
            {top_table("Top products", &d.products, &c, "top-products", "/admin/products/")}
            {top_table("Top categories", &d.categories, &c, "top-categories", "/admin/categories/")}
        </div>
        <h2>"Shoppers"</h2>
        <p class="hint">"Each shopper counts once a day at each step."</p>
        <ol class="funnel" data-testid="funnel">{funnel}</ol>
        <h2>"Stock"</h2>
        <p data-testid="stock-alerts">
            <a href="/admin/products?stock=low&sort=stock">{format!("{} products running low", d.low_stock)}</a>
            " · "
            <a href="/admin/products?stock=out">{format!("{} sold out", d.sold_out)}</a>
        </p>
    }
}

/// The best sellers, each linked to its page in the back office (`link` and its id).
fn top_table(
    title: &'static str,
    items: &[TopItem],
    currency: &str,
    test_id: &'static str,
    link: &'static str,
) -> impl IntoView {
    let rows = items
        .iter()
        .map(|t| {
            let name = if t.name.is_empty() { format!("#{}", t.id) } else { t.name.clone() };
            let name = view! { <a href=format!("{link}{}", t.id)>{name}</a> };
            view! { <tr><td>{name}</td><td class="num">{t.units}</td><td class="num">{money(t.revenue_minor, currency)}</td></tr> }
        })
        .collect_view();
    view! {
        <div class="top-list" data-testid=test_id>
            <h2>{title}</h2>
            {if items.is_empty() {
                view! { <p>"Nothing sold in this period."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-label=title>
                        <table class="admin-table">
                            <thead><tr><th>"Name"</th><th class="num">"Units"</th><th class="num">"Sales"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </div>
    }
}
