//! The header search: a plain GET form to `/search` that, once hydrated, also
//! suggests products and categories as the shopper types (the WAI-ARIA
//! combobox pattern: arrow keys move through the list, Enter opens the
//! highlighted suggestion, Escape closes it).

use crate::api::search::suggest;
use crate::domain::listing::Suggestion;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::time::Duration;

/// Pause in typing before suggestions are fetched.
const DEBOUNCE: Duration = Duration::from_millis(150);

#[component]
pub fn SearchBox() -> impl IntoView {
    let query = use_query_map();
    let text = RwSignal::new(String::new());
    // Show the current search in the box on the results page.
    Effect::new(move |_| {
        if let Some(q) = query.read().get("q") {
            text.set(q);
        }
    });
    let suggestions = RwSignal::new(Vec::<Suggestion>::new());
    let active = RwSignal::new(None::<usize>);
    let open = RwSignal::new(false);
    // Each keystroke bumps this; a fetch whose number is no longer current is dropped.
    let typed = StoredValue::new(0u64);
    let navigate = use_navigate();

    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        let ticket = typed.get_value() + 1;
        typed.set_value(ticket);
        if value.trim().chars().count() < 2 {
            suggestions.set(Vec::new());
            open.set(false);
            return;
        }
        set_timeout(
            move || {
                if typed.get_value() != ticket {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let found = suggest(value).await.unwrap_or_default();
                    if typed.get_value() == ticket {
                        // The shopper may have highlighted a suggestion of an earlier
                        // answer meanwhile: it stays highlighted if still offered.
                        let highlighted = active
                            .get_untracked()
                            .and_then(|i| suggestions.with_untracked(|s| s.get(i).map(|s| s.href.clone())));
                        let kept = highlighted.and_then(|href| found.iter().position(|s| s.href == href));
                        open.set(!found.is_empty());
                        active.set(kept);
                        suggestions.set(found);
                    }
                });
            },
            DEBOUNCE,
        );
    };
    let on_keydown = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            let count = suggestions.with(Vec::len);
            match ev.key().as_str() {
                "ArrowDown" if count > 0 => {
                    ev.prevent_default();
                    open.set(true);
                    active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
                }
                "ArrowUp" if count > 0 => {
                    ev.prevent_default();
                    active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
                }
                "Escape" => {
                    open.set(false);
                    active.set(None);
                }
                "Enter" => {
                    let chosen = active.get().filter(|_| open.get()).and_then(|i| suggestions.with(|s| s.get(i).cloned()));
                    if let Some(s) = chosen {
                        ev.prevent_default();
                        open.set(false);
                        navigate(&s.href, Default::default());
                    }
                }
                _ => {}
            }
        }
    };
    let on_submit = move |_| open.set(false);

    view! {
        <form class="search-form" role="search" method="get" action="/search" on:submit=on_submit>
            <label class="visually-hidden" for="search-input">"Search products"</label>
            <input
                id="search-input"
                type="search"
                name="q"
                placeholder="Search products"
                autocomplete="off"
                role="combobox"
                aria-autocomplete="list"
                aria-controls="search-suggestions"
                aria-expanded=move || open.get().to_string()
                aria-activedescendant=move || active.get().filter(|_| open.get()).map(|i| format!("suggestion-{i}"))
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_keydown
                on:blur=move |_| set_timeout(move || open.set(false), Duration::from_millis(200))
                data-testid="search-input"
            />
            <button type="submit">"Search"</button>
            <ul
                id="search-suggestions"
                role="listbox"
                aria-label="Suggestions"
                class="suggestions"
                hidden=move || !open.get()
                data-testid="suggestions"
            >
                {move || {
                    suggestions
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let selected = move || (active.get() == Some(i)).to_string();
                            view! {
                                <li id=format!("suggestion-{i}") role="option" aria-selected=selected
                                    class:active=move || active.get() == Some(i)>
                                    <a href=s.href tabindex="-1">
                                        <span class="suggestion-label">{s.label}</span>
                                        <span class="suggestion-kind">{s.kind}</span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </form>
    }
}
