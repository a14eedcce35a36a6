//! A chart of one figure per day, drawn on the server as SVG: bars (orders)
//! or a filled line (revenue). It scales to the width of a phone; the labels
//! are HTML around it (so they stay readable at any size), each bar or
//! point has a tooltip, and the same figures are in a table for screen
//! readers and for copying.

use crate::domain::analytics::{chart_points, day_text};
use leptos::prelude::*;

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 160.0;

/// How a chart draws its figures.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Bars,
    Line,
}

/// A chart titled `title` of `values[i]` on day `days[i]`, each written as `labels[i]`.
#[component]
pub fn DayChart(
    title: &'static str,
    kind: ChartKind,
    days: Vec<i64>,
    values: Vec<i64>,
    labels: Vec<String>,
    test_id: &'static str,
) -> impl IntoView {
    let top = values.iter().copied().max().unwrap_or(0);
    let top_label = values
        .iter()
        .position(|v| *v == top)
        .and_then(|i| labels.get(i).cloned())
        .unwrap_or_default();
    let count = values.len().max(1) as f64;
    let shapes = match kind {
        ChartKind::Bars => {
            let slot = WIDTH / count;
            let bar = (slot * 0.8).max(1.0);
            values
                .iter()
                .zip(days.iter().zip(&labels))
                .enumerate()
                .map(|(i, (v, (day, text)))| {
                    let h = if top == 0 { 0.0 } else { *v as f64 * HEIGHT / top as f64 };
                    let tip = format!("{}: {text}", day_text(*day));
                    view! {
                        <rect x=format!("{:.1}", i as f64 * slot + (slot - bar) / 2.0) y=format!("{:.1}", HEIGHT - h)
                            width=format!("{bar:.1}") height=format!("{h:.1}") class="bar"><title>{tip}</title></rect>
                    }
                })
                .collect_view()
                .into_any()
        }
        ChartKind::Line => {
            let points = chart_points(&values, WIDTH, HEIGHT);
            let area = format!("0,{HEIGHT} {points} {WIDTH},{HEIGHT}");
            view! {
                <polygon points=area class="area"/>
                <polyline points=points class="line"/>
            }
            .into_any()
        }
    };
    let first = days.first().copied().map(day_text).unwrap_or_default();
    let last = days.last().copied().map(day_text).unwrap_or_default();
    let rows = days
        .iter()
        .zip(labels)
        .map(|(d, text)| view! { <tr><td>{day_text(*d)}</td><td class="num">{text}</td></tr> })
        .collect_view();
    view! {
        <figure class="day-chart" data-testid=test_id>
            <figcaption><strong>{title}</strong> <span class="chart-top">{format!("highest {top_label}")}</span></figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" role="img" aria-label=title>
                <line x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT class="axis"/>
                {shapes}
            </svg>
            <div class="chart-days"><span>{first}</span><span>{last}</span></div>
            <details>
                <summary>"Figures"</summary>
                <table class="admin-table"><tbody>{rows}</tbody></table>
            </details>
        </figure>
    }
}
