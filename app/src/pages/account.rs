//! Account pages: register, confirm the email address, sign in, and the
//! account overview with password change, sign-out and the customer's
//! consents.

use crate::api::account::{
    audit_log, current_user, my_consents, ChangeName, ChangePassword, ConfirmEmail, ConfirmEmailChange, DeleteAccount,
    EnableTwoStep, Register, RequestEmailChange, RequestPasswordReset, ResetPassword, SaveConsents, SignIn, SignOut,
    SignOutEverywhere, StartTwoStep, TwoStepSignIn,
};
use crate::api::addresses::{my_addresses, DeleteAddress, SaveAddress};
use crate::components::{form_error, form_outcome, AddressFields, AdminNav, ErrorView};
use crate::domain::account::{MAX_EMAIL, MAX_NAME, MAX_PASSWORD, MIN_PASSWORD};
use crate::domain::time::utc;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let done = move || action.value().get().and_then(Result::ok);
    view! {
        <Title text="Create an account"/>
        <section class="account-form">
            <h1>"Create an account"</h1>
            <Show when=move || done().is_some() fallback=move || view! {
                <ActionForm action=action>
                    <label for="name">"Your name"</label>
                    <input id="name" name="name" autocomplete="name" maxlength=MAX_NAME/>
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="email" required maxlength=MAX_EMAIL/>
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="new-password" required
                        minlength=MIN_PASSWORD maxlength=MAX_PASSWORD/>
                    <p class="hint">{format!("At least {MIN_PASSWORD} characters. Avoid common passwords.")}</p>
                    {form_error(move || action.value().get().and_then(Result::err))}
                    <button type="submit" class="button">"Create account"</button>
                </ActionForm>
                <p>"Already have an account? " <a href="/account/sign-in">"Sign in"</a></p>
            }>
                <p class="notice" role="status" data-testid="form-done">{done}</p>
            </Show>
        </section>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    view! {
        <Title text="Sign in"/>
        <section class="account-form">
            <h1>"Sign in"</h1>
            <ActionForm action=action>
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required maxlength=MAX_EMAIL/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    maxlength=MAX_PASSWORD/>
                {form_error(move || action.value().get().and_then(Result::err))}
                <button type="submit" class="button">"Sign in"</button>
            </ActionForm>
            <p><a href="/account/forgot">"Forgot your password?"</a></p>
            <p>"New here? " <a href="/account/register">"Create an account"</a></p>
        </section>
    }
}

/// Where the emailed link lands: one button confirms (no change on a GET).
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let action = ServerAction::<ConfirmEmail>::new();
    let token = move || use_query_map().read().get("token").unwrap_or_default();
    view! {
        <Title text="Confirm your email"/>
        <section class="account-form">
            <h1>"Confirm your email address"</h1>
            <ActionForm action=action>
                <input type="hidden" name="token" value=token/>
                {form_error(move || action.value().get().and_then(Result::err))}
                <button type="submit" class="button">"Confirm and sign in"</button>
            </ActionForm>
        </section>
    }
}

/// Where the link that moves an account to a new address lands.
#[component]
pub fn EmailChangePage() -> impl IntoView {
    let action = ServerAction::<ConfirmEmailChange>::new();
    let token = move || use_query_map().read().get("token").unwrap_or_default();
    view! {
        <Title text="Confirm your new email"/>
        <section class="account-form">
            <h1>"Confirm your new email address"</h1>
            <ActionForm action=action>
                <input type="hidden" name="token" value=token/>
                {form_error(move || action.value().get().and_then(Result::err))}
                <button type="submit" class="button">"Use this address"</button>
            </ActionForm>
        </section>
    }
}

/// Name, email address and the other sessions of the signed-in user.
#[component]
fn ProfileForms(name: String) -> impl IntoView {
    let rename = ServerAction::<ChangeName>::new();
    let move_email = ServerAction::<RequestEmailChange>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    view! {
        <h2>"Profile"</h2>
        <ActionForm action=rename>
            <label for="profile-name">"Your name"</label>
            <input id="profile-name" name="name" autocomplete="name" maxlength=MAX_NAME value=name/>
            {form_outcome(move || rename.value().get())}
            <button type="submit" class="button secondary">"Save name"</button>
        </ActionForm>
        <h2>"Change email address"</h2>
        <ActionForm action=move_email>
            <label for="new-email">"New email address"</label>
            <input id="new-email" name="email" type="email" autocomplete="email" required maxlength=MAX_EMAIL/>
            <label for="email-password">"Your password"</label>
            <input id="email-password" name="password" type="password" autocomplete="current-password" required
                maxlength=MAX_PASSWORD/>
            {form_outcome(move || move_email.value().get())}
            <button type="submit" class="button secondary">"Send a confirmation link"</button>
        </ActionForm>
        <h2>"Other sessions"</h2>
        <ActionForm action=everywhere>
            <p>"Lost a device or signed in on a shared computer? End every session but this one."</p>
            {form_outcome(move || everywhere.value().get())}
            <button type="submit" class="button secondary" data-testid="sign-out-everywhere">"Sign out everywhere else"</button>
        </ActionForm>
    }
}

/// What the user agreed to: news and offers by email, ticked or not, and
/// when it last changed.
#[component]
fn Consents() -> impl IntoView {
    let save = ServerAction::<SaveConsents>::new();
    let done = RwSignal::new(0);
    crate::components::bump_on_success(done, save);
    let consents = crate::components::page_data(move || done.get(), |_| my_consents());
    view! {
        <h2>"Emails from us"</h2>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let history = consents.await.unwrap_or_default();
                let agreed = crate::domain::consents::agrees(&history, "marketing");
                let last = history.first().map(|c| c.text());
                view! {
                    <ActionForm action=save attr:data-testid="consents-form">
                        <label class="check">
                            <input type="checkbox" name="marketing" value="on" checked=agreed data-testid="marketing-consent"/>
                            " Send me news and offers by email (you can stop them here at any time)"
                        </label>
                        {last.map(|text| view! { <p class="hint" data-testid="consent-status">{text}</p> })}
                        {form_error(move || save.value().get().and_then(Result::err))}
                        <button type="submit" class="button secondary" data-testid="save-consents">"Save"</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

/// The signed-in user's account.
#[component]
pub fn AccountPage() -> impl IntoView {
    let user = crate::components::page_data(|| (), |_| current_user());
    let change = ServerAction::<ChangePassword>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let delete = ServerAction::<DeleteAccount>::new();
    view! {
        <Title text="Your account"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(None) => view! {
                        <ErrorView error=AppError::Unauthorized("Sign in to see your account.".into())/>
                    }.into_any(),
                    Ok(Some(user)) => view! {
                        <section class="account-form">
                            <h1>"Your account"</h1>
                            <dl class="account-details">
                                <dt>"Name"</dt><dd data-testid="account-name">{user.display_name.clone()}</dd>
                                <dt>"Email"</dt><dd data-testid="account-email">{user.email}</dd>
                            </dl>
                            <p><a class="button secondary" href="/account/orders" data-testid="my-orders">"Your orders"</a></p>
                            <ProfileForms name=user.display_name.clone()/>
                            <h2>"Change password"</h2>
                            <ActionForm action=change>
                                <label for="current">"Current password"</label>
                                <input id="current" name="current" type="password" autocomplete="current-password"
                                    required maxlength=MAX_PASSWORD/>
                                <label for="new">"New password"</label>
                                <input id="new" name="new" type="password" autocomplete="new-password" required
                                    minlength=MIN_PASSWORD maxlength=MAX_PASSWORD/>
                                {form_outcome(move || change.value().get())}
                                <button type="submit" class="button">"Change password"</button>
                            </ActionForm>
                            <ActionForm action=sign_out>
                                <button type="submit" class="button secondary" data-testid="sign-out">"Sign out"</button>
                            </ActionForm>
                            <h2>"Two-step sign-in"</h2>
                            {if user.two_step {
                                view! { <p data-testid="two-step-on">"On: signing in asks for a code from your authenticator app."</p> }.into_any()
                            } else {
                                view! { <TwoStepSetupForm/> }.into_any()
                            }}
                            <AddressBook/>
                            <Consents/>
                            <h2>"Your data"</h2>
                            <p><a href="/api/account/export" download="oxcart-my-data.json" rel="nofollow">"Download my data (JSON)"</a></p>
                            <ActionForm action=delete>
                                <label for="delete-password">"Delete my account: enter your password"</label>
                                <input id="delete-password" name="password" type="password" autocomplete="current-password"
                                    required maxlength=MAX_PASSWORD/>
                                {form_error(move || delete.value().get().and_then(Result::err))}
                                <button type="submit" class="button secondary">"Delete my account"</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Asks for the address to send a password reset link to.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let done = move || action.value().get().and_then(Result::ok);
    view! {
        <Title text="Forgot your password?"/>
        <section class="account-form">
            <h1>"Forgot your password?"</h1>
            <Show when=move || done().is_some() fallback=move || view! {
                <ActionForm action=action>
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="email" required maxlength=MAX_EMAIL/>
                    {form_error(move || action.value().get().and_then(Result::err))}
                    <button type="submit" class="button">"Send me a link"</button>
                </ActionForm>
            }>
                <p class="notice" role="status" data-testid="form-done">{done}</p>
            </Show>
        </section>
    }
}

/// Where the emailed reset link lands: choose a new password.
#[component]
pub fn ResetPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let token = move || use_query_map().read().get("token").unwrap_or_default();
    view! {
        <Title text="Choose a new password"/>
        <section class="account-form">
            <h1>"Choose a new password"</h1>
            <ActionForm action=action>
                <input type="hidden" name="token" value=token/>
                <label for="new">"New password"</label>
                <input id="new" name="new" type="password" autocomplete="new-password" required
                    minlength=MIN_PASSWORD maxlength=MAX_PASSWORD/>
                {form_error(move || action.value().get().and_then(Result::err))}
                <button type="submit" class="button">"Save and sign in"</button>
            </ActionForm>
        </section>
    }
}

/// The security audit log (admins only; the server refuses everyone else).
#[component]
pub fn AuditPage() -> impl IntoView {
    let entries = crate::components::page_data(|| (), |_| audit_log());
    view! {
        <Title text="Audit log"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(entries) => view! {
                        <AdminNav current="audit"/>
                        <section class="audit-log">
                            <h1>"Audit log"</h1>
                            <table data-testid="audit-log">
                                <thead><tr><th>"When (UTC)"</th><th>"Account"</th><th>"Event"</th><th>"Details"</th><th>"Address"</th></tr></thead>
                                <tbody>
                                    {entries.into_iter().map(|e| view! {
                                        <tr><td>{utc(e.at)}</td><td>{e.subject}</td><td>{e.event}</td><td class="detail">{e.detail}</td><td>{e.ip}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Turns two-step sign-in on: a secret for the app, then a code from it.
#[component]
fn TwoStepSetupForm() -> impl IntoView {
    let start = ServerAction::<StartTwoStep>::new();
    let enable = ServerAction::<EnableTwoStep>::new();
    let setup = move || start.value().get().and_then(Result::ok);
    let codes = move || enable.value().get().and_then(Result::ok);
    view! {
        <Show when=move || codes().is_none() fallback=move || view! {
            <p class="notice" role="status" data-testid="two-step-on">
                "Two-step sign-in is on. Keep these recovery codes somewhere safe: each works once if you lose your phone."
            </p>
            <ul class="recovery-codes" data-testid="recovery-codes">
                {codes().unwrap_or_default().into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
        }>
            <Show when=move || setup().is_some() fallback=move || view! {
                <p>"Protect your account with codes from an authenticator app."</p>
                <ActionForm action=start>
                    <label for="two-step-password">"Password, to set up the app"</label>
                    <input id="two-step-password" name="password" type="password" autocomplete="current-password" required/>
                    {form_error(move || start.value().get().and_then(Result::err))}
                    <button type="submit" class="button secondary">"Set up two-step sign-in"</button>
                </ActionForm>
            }>
                <p>"Add this key to your authenticator app (or open the link on your phone), then enter the code it shows."</p>
                <p><code data-testid="two-step-secret">{move || setup().map(|s| s.secret)}</code></p>
                <p><a href=move || setup().map(|s| s.uri) rel="nofollow">"Open in an authenticator app"</a></p>
                <ActionForm action=enable>
                    <label for="two-step-code">"Code from the app"</label>
                    <input id="two-step-code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength=20/>
                    {form_error(move || enable.value().get().and_then(Result::err))}
                    <button type="submit" class="button">"Turn on"</button>
                </ActionForm>
            </Show>
        </Show>
    }
}

/// The second step of signing in.
#[component]
pub fn TwoStepPage() -> impl IntoView {
    let action = ServerAction::<TwoStepSignIn>::new();
    view! {
        <Title text="Enter your code"/>
        <section class="account-form">
            <h1>"Enter your code"</h1>
            <p>"Open your authenticator app and enter the code for Oxcart, or one of your recovery codes."</p>
            <ActionForm action=action>
                <label for="code">"Code"</label>
                <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength=20/>
                {form_error(move || action.value().get().and_then(Result::err))}
                <button type="submit" class="button">"Sign in"</button>
            </ActionForm>
        </section>
    }
}

/// The user's saved addresses: the list, deleting one, adding one.
#[component]
fn AddressBook() -> impl IntoView {
    let save = ServerAction::<SaveAddress>::new();
    let delete = ServerAction::<DeleteAddress>::new();
    let addresses = crate::components::page_data(move || (save.version().get(), delete.version().get()), |_| my_addresses());
    view! {
        <h2>"Addresses"</h2>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = addresses.await.unwrap_or_default();
                view! {
                    <ul class="addresses" data-testid="addresses">
                        {list.into_iter().map(|a| view! {
                            <li>
                                <address>
                                    {a.full_name}<br/>{a.line1}<br/>
                                    {(!a.line2.is_empty()).then(|| view! { {a.line2.clone()}<br/> })}
                                    {format!("{} {} {}", a.postal_code, a.city, a.region)}<br/>{a.country}
                                </address>
                                <ActionForm action=delete>
                                    <input type="hidden" name="id" value=a.id/>
                                    <button type="submit" class="button secondary">"Delete"</button>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                }
            })}
        </Suspense>
        <details class="add-address">
            <summary>"Add an address"</summary>
            <ActionForm action=save>
                <AddressFields with_place=true/>
                {form_error(move || save.value().get().and_then(Result::err))}
                <button type="submit" class="button">"Save address"</button>
            </ActionForm>
        </details>
    }
}
