//! Staff pages for orders: the list (state, search, payment, days, seller;
//! CSV of the filter; tick orders to print packing slips or start packing
//! them), and one order with staff notes, the shopper's mails (send again)
//! and the forms that move it on (packing, parcels, tracking, returns,
//! refunds, and for admins cancelling with a reason). For admins and
//! sellers' staff with two-step sign-in; a seller's staff see and ship only
//! their seller's items. The server checks every call.

use super::orders::filter_links;
use crate::api::orders::{
    staff_order, staff_orders, AddOrderNote, DecideReturn, MarkDelivered, PackOrder, ReceiveReturn, RefundOrder, ResendOrderMail,
    ShipOrder, StaffCancelOrder, TrackParcel,
};
use crate::components::{form_error, AdminNav, ErrorView, OrderDetails};
use crate::domain::order_desk::{OrderFilter, OrderMail, OrderNote, PaymentFilter, StaffOrderRow};
use crate::domain::order_view::StaffOrderView;
use crate::domain::time::utc;
use crate::domain::orders::{OrderStatus, ParcelStatus, ReturnStatus};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const STATES: [(&str, &str); 7] = [
    ("", "All"),
    ("paid", "To pack"),
    ("processing", "Being packed"),
    ("partially-shipped", "Partly shipped"),
    ("shipped", "Shipped"),
    ("return-requested", "Returns to answer"),
    ("returned", "Returns to refund"),
];

#[component]
pub fn StaffOrdersPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let get = |name: &str| q.get(name).unwrap_or_default();
        OrderFilter {
            status: get("status"),
            q: get("q"),
            payment: get("payment"),
            from: get("from"),
            to: get("to"),
            seller: get("seller"),
            page: get("page"),
        }
    };
    let orders = crate::components::page_data(filter, |f: OrderFilter| {
        staff_orders(f.status, f.q, f.payment, f.from, f.to, f.seller, f.page)
    });
    view! {
        <Title text="Orders · Admin"/>
        <AdminNav current="orders"/>
        <section class="orders">
            <h1>"Orders"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                // The staff's filters only for staff: a refusal shows the error alone.
                {move || Suspend::new(async move {
                    match orders.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(list) => {
                            let filter = filter();
                            let done = bulk_news(&query.read().get("packed").unwrap_or_default(), &query.read().get("refused").unwrap_or_default());
                            view! {
                                {filter_form(&filter, &list.sellers)}
                                {filter_links("Filter orders", "/admin/orders", "status", &STATES, &filter.status)}
                                {done.map(|text| view! { <p class="notice" role="status" data-testid="bulk-news">{text}</p> })}
                                <p data-testid="order-count">
                                    {order_count(list.page.total_items)} " · "
                                    <a href=format!("/admin/orders.csv?{}", filter.query(1)) download data-testid="export-csv">"Download as CSV"</a>
                                    " · "
                                    <a href=format!("/admin/order-lines.csv?{}", filter.query(1)) download data-testid="export-lines">"Download with lines"</a>
                                </p>
                                {staff_table(list.rows)}
                                {pager(list.page, &filter)}
                            }
                            .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The search and the payment, day and seller filters; the state stays as chosen.
fn filter_form(filter: &OrderFilter, sellers: &[(i64, String)]) -> impl IntoView {
    let f = filter.clone();
    let payment = f.payment.clone();
    let seller = f.seller.clone();
    view! {
        <form method="get" action="/admin/orders" class="order-filters" role="search" data-testid="order-filters">
            <input type="hidden" name="status" value=f.status.clone()/>
            <label>"Find (number, email, name or SKU)"
                <input name="q" type="search" value=f.q.clone() maxlength=100 data-testid="order-search"/>
            </label>
            <label>"Payment"
                <select name="payment" data-testid="payment-filter">
                    <option value="" selected=payment.is_empty()>"Any"</option>
                    {PaymentFilter::ALL.map(|p| view! { <option value=p.key() selected=payment == p.key()>{p.label()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Placed from" <input name="from" type="date" value=f.from.clone() data-testid="from-day"/></label>
            <label>"to" <input name="to" type="date" value=f.to.clone() data-testid="to-day"/></label>
            {(!sellers.is_empty()).then(|| view! {
                <label>"Seller"
                    <select name="seller" data-testid="seller-filter">
                        <option value="" selected=seller.is_empty()>"Any"</option>
                        {sellers.iter().map(|(id, name)| {
                            let id = id.to_string();
                            view! { <option value=id.clone() selected=seller == id>{name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            })}
            <button type="submit" class="button secondary">"Show"</button>
            " " <a href="/admin/orders">"Clear"</a>
        </form>
    }
}

/// What a bulk packing did, from the address it came back to.
fn bulk_news(packed: &str, refused: &str) -> Option<String> {
    let packed: u32 = packed.parse().ok()?;
    let moved = match packed {
        1 => "1 order moved to packing.".to_owned(),
        n => format!("{n} orders moved to packing."),
    };
    // Only what looks like order numbers: the address is anyone's to write.
    let refused: Vec<&str> = refused
        .split_whitespace()
        .filter(|n| crate::domain::shop_details::is_order_number(n))
        .collect();
    Some(match refused.as_slice() {
        [] => moved,
        refused => format!("{moved} Not moved (not paid, already further on, or not yours): {}.", refused.join(" ")),
    })
}

/// The list with a tick box per order for the bulk actions: packing slips
/// (a printable page) and moving them all to packing.
fn staff_table(rows: Vec<StaffOrderRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"No orders here."</p> }.into_any();
    }
    view! {
        <form method="get" action="/admin/packing-slips" target="_blank" class="bulk-orders" data-testid="bulk-orders">
            <div class="bulk-actions">
                <button type="submit" class="button secondary" data-testid="print-slips">"Print packing slips"</button>
                " "
                <button type="submit" class="button secondary" formmethod="post" formaction="/api/admin/orders/bulk-pack" formtarget="_self" data-testid="bulk-pack">
                    "Start packing"
                </button>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Orders">
                <table data-testid="order-history">
                    <thead><tr><th><span class="visually-hidden">"Pick"</span></th><th>"Order"</th><th>"Placed (UTC)"</th><th>"Buyer"</th><th>"Status"</th><th>"Payment"</th><th>"Items"</th><th>"Total"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|o| {
                            let pick = format!("pick[{}]", o.number);
                            let label = format!("Pick {}", o.number);
                            view! {
                                <tr>
                                    <td><input type="checkbox" name=pick value="on" aria-label=label/></td>
                                    <td><a href=format!("/admin/orders/{}", o.number)>{o.number.clone()}</a></td>
                                    <td>{utc(o.created_at)}</td>
                                    <td>{o.name.clone()}<br/><small>{o.email.clone()}</small></td>
                                    <td>{o.status.label()}</td>
                                    <td>{o.payment.map_or("", PaymentFilter::label)}</td>
                                    <td>{o.items}</td>
                                    <td>{o.total.to_string()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </form>
    }
    .into_any()
}

fn order_count(total: u64) -> String {
    match total {
        1 => "1 order".into(),
        n => format!("{n} orders"),
    }
}

/// Earlier and later pages of the list, keeping the search and the filters.
fn pager(page: crate::domain::PageInfo, filter: &OrderFilter) -> impl IntoView {
    let href = move |to: u32| format!("/admin/orders?{}", filter.query(to));
    (page.total_pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pages of orders">
                {(page.page > 1).then(|| view! { <a href=href(page.page - 1) rel="prev" data-testid="orders-prev">"← Newer"</a> })}
                " " <span data-testid="orders-page">{format!("Page {} of {}", page.page, page.total_pages)}</span> " "
                {(page.page < page.total_pages).then(|| view! { <a href=href(page.page + 1) rel="next" data-testid="orders-next">"Older →"</a> })}
            </nav>
        }
    })
}

/// The staff's forms, each posting to its server function.
#[derive(Clone, Copy)]
struct Actions {
    pack: ServerAction<PackOrder>,
    ship: ServerAction<ShipOrder>,
    track: ServerAction<TrackParcel>,
    deliver: ServerAction<MarkDelivered>,
    decide: ServerAction<DecideReturn>,
    receive: ServerAction<ReceiveReturn>,
    refund: ServerAction<RefundOrder>,
    cancel: ServerAction<StaffCancelOrder>,
    note: ServerAction<AddOrderNote>,
    resend: ServerAction<ResendOrderMail>,
}

impl Actions {
    fn version(&self) -> usize {
        self.pack.version().get()
            + self.ship.version().get()
            + self.track.version().get()
            + self.deliver.version().get()
            + self.decide.version().get()
            + self.receive.version().get()
            + self.refund.version().get()
            + self.cancel.version().get()
            + self.note.version().get()
            + self.resend.version().get()
    }
}

/// The order whose number is `number`, as its path gives it.
#[component]
pub fn StaffOrderPage(number: String) -> impl IntoView {
    let actions = Actions {
        pack: ServerAction::new(),
        ship: ServerAction::new(),
        track: ServerAction::new(),
        deliver: ServerAction::new(),
        decide: ServerAction::new(),
        receive: ServerAction::new(),
        refund: ServerAction::new(),
        cancel: ServerAction::new(),
        note: ServerAction::new(),
        resend: ServerAction::new(),
    };
    let data = crate::components::page_data(
        move || (number.clone(), actions.version()),
        |(number, _)| staff_order(number),
    );
    view! {
        <Title text="Order · Admin"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(staff) => view! {
                        <section class="order staff" data-testid="order">
                            <p><a href="/admin/orders">"← All orders"</a></p>
                            <OrderDetails order=staff.order.clone()/>
                            {desk(&staff.order.number, staff.notes.clone(), staff.mails.clone(), actions)}
                            {staff_forms(staff, actions)}
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Staff notes (never shown to the shopper) with a form to add one, and
/// for admins the mails the shopper was sent, each with "Send again".
fn desk(number: &str, notes: Vec<OrderNote>, mails: Vec<OrderMail>, actions: Actions) -> impl IntoView {
    let Actions { note, resend, .. } = actions;
    let (for_note, for_mails) = (number.to_owned(), number.to_owned());
    view! {
        <section class="order-notes" id="notes" data-testid="order-notes">
            <h2>"Staff notes"</h2>
            <p class="hint">"Only staff see these."</p>
            {if notes.is_empty() {
                view! { <p>"No notes yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="notes">
                        {notes.into_iter().map(|n| view! {
                            <li><p class="note-body">{n.body}</p><small>{format!("{} · {} UTC", n.author, utc(n.at))}</small></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ActionForm action=note attr:class="staff-form" attr:data-testid="note-form">
                <input type="hidden" name="number" value=for_note/>
                <label for="note-body">"Add a note"</label>
                <textarea id="note-body" name="body" required maxlength=2000 rows=3></textarea>
                {form_error(move || note.value().get().and_then(Result::err))}
                <button type="submit" class="button secondary" data-testid="add-note">"Add note"</button>
            </ActionForm>
        </section>
        {(!mails.is_empty()).then(|| view! {
            <section class="order-mails" data-testid="order-mails">
                <h2>"Mails to the shopper"</h2>
                {form_error(move || resend.value().get().and_then(Result::err))}
                <div class="table-scroll" tabindex="0" role="region" aria-label="Mails to the shopper">
                <table class="admin-table">
                    <thead><tr><th>"Subject"</th><th>"To"</th><th>"Sent (UTC)"</th><th></th></tr></thead>
                    <tbody>
                        {mails.into_iter().map(|m| {
                            let number = for_mails.clone();
                            let state = match (m.sent_at, m.error.is_empty()) {
                                (Some(at), _) => utc(at),
                                (None, true) => "Waiting to be sent".to_owned(),
                                (None, false) => format!("Not sent yet: {}", m.error),
                            };
                            view! {
                                <tr>
                                    <td>{m.subject}</td>
                                    <td class="wrap-anywhere">{m.to}</td>
                                    <td>{state}</td>
                                    <td>
                                        <ActionForm action=resend>
                                            <input type="hidden" name="number" value=number/>
                                            <input type="hidden" name="mail" value=m.id.to_string()/>
                                            <button type="submit" class="button secondary small" data-testid="resend-mail">"Send again"</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            </section>
        })}
    }
}

fn staff_forms(StaffOrderView { order, admin, .. }: StaffOrderView, actions: Actions) -> impl IntoView {
    let hidden = |number: &str| {
        let number = number.to_owned();
        view! { <input type="hidden" name="number" value=number/> }
    };
    let (number, lines) = (order.number.as_str(), order.lines.clone());
    let can_ship = order.status.ship(false).is_ok() && order.lines.iter().any(|l| l.unshipped > 0);
    let open_parcels: Vec<_> = order.shipments.iter().filter(|p| p.status != ParcelStatus::Delivered).cloned().collect();
    let open_return = order.returns.iter().find(|r| matches!(r.status, ReturnStatus::Requested | ReturnStatus::Approved | ReturnStatus::Received)).cloned();
    let can_refund = admin && order.status.refund(false).is_ok() && order.refundable.minor() > 0;
    let Actions { pack, ship, track, deliver, decide, receive, refund, cancel, .. } = actions;
    let packing = order.status.pack().is_ok().then(|| { let number = number.to_owned(); view! {
            <ActionForm action=pack attr:class="staff-form">
                {hidden(&number)}
                {form_error(move || pack.value().get().and_then(Result::err))}
                <button type="submit" class="button secondary" data-testid="pack">"Start packing"</button>
            </ActionForm>
        }});
    let shipping = can_ship.then(|| { let (number, lines) = (number.to_owned(), lines.clone()); view! {
            <h2>"Ship a parcel"</h2>
            <ActionForm action=ship attr:class="staff-form" attr:data-testid="ship-form">
                {hidden(&number)}
                <label for="carrier">"Carrier"</label>
                <input id="carrier" name="carrier" required maxlength=60/>
                <label for="tracking">"Tracking number"</label>
                <input id="tracking" name="tracking" required maxlength=60/>
                <p class="hint">"Quantities in this parcel; leave all at 0 to ship everything left."</p>
                {lines.iter().filter(|l| l.unshipped > 0).map(|l| {
                    let id = format!("ship-{}", l.variant_id);
                    view! {
                        <label for=id.clone()>{format!("{} ({} left)", l.label(), l.unshipped)}</label>
                        <input id=id type="number" min="0" max=l.unshipped value="0" name=format!("qty[v{}]", l.variant_id)/>
                    }
                }).collect_view()}
                {form_error(move || ship.value().get().and_then(Result::err))}
                <button type="submit" class="button" data-testid="ship">"Mark shipped"</button>
            </ActionForm>
        }});
    let parcel_news = (!open_parcels.is_empty()).then(|| { let number = number.to_owned(); view! {
            <h2>"Parcel news"</h2>
            <ActionForm action=track attr:class="staff-form">
                {hidden(&number)}
                <label for="parcel">"Parcel"</label>
                <select id="parcel" name="tracking">
                    {open_parcels.iter().map(|p| view! { <option value=p.tracking.clone()>{format!("{} {}", p.carrier, p.tracking)}</option> }).collect_view()}
                </select>
                <label for="parcel-status">"What happened"</label>
                <select id="parcel-status" name="status">
                    {[ParcelStatus::InTransit, ParcelStatus::OutForDelivery, ParcelStatus::Delivered, ParcelStatus::Exception]
                        .map(|s| view! { <option value=s.key()>{s.label()}</option> }).collect_view()}
                </select>
                <label for="parcel-detail">"Detail (optional)"</label>
                <input id="parcel-detail" name="detail" maxlength=200/>
                {form_error(move || track.value().get().and_then(Result::err))}
                <button type="submit" class="button secondary">"Record"</button>
            </ActionForm>
        }});
    let delivering = (admin && order.status == OrderStatus::Shipped).then(|| { let number = number.to_owned(); view! {
            <ActionForm action=deliver attr:class="staff-form">
                {hidden(&number)}
                {form_error(move || deliver.value().get().and_then(Result::err))}
                <button type="submit" class="button secondary" data-testid="deliver">"Mark everything delivered"</button>
            </ActionForm>
        }});
    let returning = open_return.filter(|_| admin).map(|r| { let (number, lines) = (number.to_owned(), lines.clone()); match r.status {
            ReturnStatus::Requested => view! {
                <h2>"Return request"</h2>
                <ActionForm action=decide attr:class="staff-form">
                    {hidden(&number)}
                    <label for="return-note">"Note to the shopper (optional)"</label>
                    <input id="return-note" name="note" maxlength=500/>
                    {form_error(move || decide.value().get().and_then(Result::err))}
                    <button type="submit" class="button" name="decision" value="approve" data-testid="approve-return">"Approve"</button>
                    " "
                    <button type="submit" class="button secondary" name="decision" value="reject" data-testid="reject-return">"Refuse"</button>
                </ActionForm>
            }.into_any(),
            ReturnStatus::Approved => view! {
                <h2>"Returned items arrived"</h2>
                <ActionForm action=receive attr:class="staff-form">
                    {hidden(&number)}
                    <p class="hint">"How many of each go back on the shelf? The rest are written off."</p>
                    {r.items.iter().filter_map(|(name, q, _)| {
                        let line = lines.iter().find(|l| &l.label() == name)?;
                        let id = format!("restock-{}", line.variant_id);
                        Some(view! {
                            <label for=id.clone()>{format!("{name} ({q} returned)")}</label>
                            <input id=id type="number" min="0" max=*q value=*q name=format!("restock[v{}]", line.variant_id)/>
                        })
                    }).collect_view()}
                    {form_error(move || receive.value().get().and_then(Result::err))}
                    <button type="submit" class="button" data-testid="receive-return">"Received"</button>
                </ActionForm>
            }.into_any(),
            _ => ().into_any(),
        }});
    let refunding = can_refund.then(|| { let number = number.to_owned(); view! {
            <h2>"Refund"</h2>
            <ActionForm action=refund attr:class="staff-form">
                {hidden(&number)}
                <label for="refund-amount">{format!("Amount (up to {}; empty: the returned items' value)", order.refundable)}</label>
                <input id="refund-amount" name="amount" inputmode="decimal" maxlength=20/>
                <label for="refund-password">"Your password (for large refunds)"</label>
                <input id="refund-password" name="password" type="password" autocomplete="current-password"/>
                {form_error(move || refund.value().get().and_then(Result::err))}
                <button type="submit" class="button" data-testid="refund">"Refund"</button>
            </ActionForm>
        }});
    let cancelling = (admin && order.status.cancel().is_ok()).then(|| { let number = number.to_owned(); view! {
            <h2>"Cancel the order"</h2>
            <ActionForm action=cancel attr:class="staff-form danger" attr:data-testid="cancel-form">
                {hidden(&number)}
                <p class="hint">"The stock goes back on the shelf; a paid order is refunded in full. The shopper gets your reason by mail."</p>
                <label for="cancel-reason">"Reason for the shopper"</label>
                <input id="cancel-reason" name="reason" required maxlength=300/>
                <label><input type="checkbox" required data-testid="confirm-cancel"/>" Yes, cancel this order"</label>
                {form_error(move || cancel.value().get().and_then(Result::err))}
                <button type="submit" class="button danger" data-testid="cancel-order">"Cancel order"</button>
            </ActionForm>
        }});
    view! { {packing} {shipping} {parcel_news} {delivering} {returning} {refunding} {cancelling} }
}
