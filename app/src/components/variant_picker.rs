//! The product page's option picker: one radio group per option (size,
//! colour, …), inside the add-to-cart form so it works without JavaScript
//! (the server finds the variant from the values). With JavaScript the
//! price, stock and picture follow the choice and the address keeps it
//! (`?variant=<id>`, replaced, not pushed). A value no variant has with the
//! other choices is marked unavailable; a sold-out one says so.

use crate::domain::variants::{offered, pick, ProductOption, Variant};
use leptos::prelude::*;

/// The values chosen now, one per option.
pub type Chosen = RwSignal<Vec<String>>;

/// The values of variant `id` if it is one of `variants`, else those of the
/// first in stock (else the first).
pub fn initial_choice(variants: &[Variant], id: Option<i64>) -> Vec<String> {
    id.and_then(|id| variants.iter().find(|v| v.id == id))
        .or_else(|| variants.iter().find(|v| v.stock > 0))
        .or(variants.first())
        .map(|v| v.values.clone())
        .unwrap_or_default()
}

/// The radio groups; changing one updates `chosen` and the address. The
/// browser keeps which radio is checked; only each value's state (sold out,
/// not available with the other choices) follows, as `data-state` that the
/// style sheet spells out, so the picker adds little to the page's code.
#[component]
pub fn VariantPicker(options: Vec<ProductOption>, variants: Vec<Variant>, chosen: Chosen) -> impl IntoView {
    let first = chosen.get_untracked();
    let variants = StoredValue::new(variants);
    let choose = move |index: usize, value: String| {
        chosen.update(|now| {
            if let Some(slot) = now.get_mut(index) {
                *slot = value;
            }
        });
        keep_in_address(variants.with_value(|all| pick(all, &chosen.read_untracked()).map(|v| v.id)));
    };
    options
        .into_iter()
        .enumerate()
        .map(|(index, option)| {
            let field = format!("option{}", index + 1);
            let values = option.values.into_iter().map(|value| {
                let id = format!("{field}-{}", value.to_lowercase().replace(' ', "-"));
                let for_id = id.clone();
                let checked = first.get(index) == Some(&value);
                let (this, shown) = (value.clone(), value.clone());
                let state = move || variants.with_value(|all| value_state(all, &chosen.read(), index, &value));
                view! {
                    <label for=for_id class="option-value" data-state=state data-testid="option-value">
                        <input
                            type="radio"
                            id=id
                            name=field.clone()
                            value=this.clone()
                            checked=checked
                            required
                            on:change=move |_| choose(index, this.clone())
                        />
                        <span>{shown}</span>
                        <span class="option-note"></span>
                    </label>
                }
            });
            view! {
                <fieldset class="option-picker" data-testid="option-picker">
                    <legend>{option.name}</legend>
                    {values.collect_view()}
                </fieldset>
            }
        })
        .collect_view()
}

/// `available`, `sold-out` or `unavailable`: what choosing `value` for
/// option `index` would give with the other choices in `now`.
fn value_state(all: &[Variant], now: &[String], index: usize, value: &str) -> &'static str {
    let mut with = now.to_vec();
    if let Some(slot) = with.get_mut(index) {
        *slot = value.to_owned();
    }
    match pick(all, &with) {
        Some(v) if v.stock > 0 => "available",
        Some(_) => "sold-out",
        None if offered(all, now, index, value) => "available",
        None => "unavailable",
    }
}

/// Puts `?variant=<id>` (or nothing) in the address without a new history entry.
fn keep_in_address(id: Option<i64>) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let path = window.location().pathname().unwrap_or_default();
        let url = match id {
            Some(id) => format!("{path}?variant={id}"),
            None => path,
        };
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&leptos::wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::{Currency, Money};

    fn variant(id: i64, values: &[&str], stock: i64) -> Variant {
        let price = Money::new(100, Currency::Usd);
        Variant { id, sku: id.to_string(), values: values.iter().map(|v| v.to_string()).collect(), price, compare_at: None, stock, image: None }
    }

    #[test]
    fn the_first_choice_is_the_asked_variant_else_one_in_stock() {
        let all = [variant(1, &["S"], 0), variant(2, &["M"], 3)];
        assert_eq!(initial_choice(&all, Some(1)), vec!["S".to_string()]);
        assert_eq!(initial_choice(&all, None), vec!["M".to_string()]);
        assert_eq!(initial_choice(&all, Some(99)), vec!["M".to_string()]);
        assert!(initial_choice(&[], None).is_empty());
    }

    #[test]
    fn a_value_is_sold_out_or_unavailable_with_the_other_choices() {
        let all = [variant(1, &["S", "Red"], 0), variant(2, &["M", "Red"], 2), variant(3, &["M", "Blue"], 1)];
        let now = vec!["M".to_string(), "Red".to_string()];
        assert_eq!(value_state(&all, &now, 0, "S"), "sold-out");
        assert_eq!(value_state(&all, &now, 1, "Blue"), "available");
        let small = vec!["S".to_string(), "Red".to_string()];
        assert_eq!(value_state(&all, &small, 1, "Blue"), "unavailable");
    }
}
