//! Carts in the database: a guest's belongs to a random token kept in their
//! session, a signed-in user's to the user (so it follows them across
//! devices). Each has two lists: the cart itself and "saved", the
//! wishlist (`ssr/wishlist/`).

pub mod shopper;

use crate::domain::checkout::{CartLine, CartView, MAX_QUANTITY};
use crate::domain::money::{Currency, Money};
use crate::error::AppError;
use crate::ssr::accounts::{random_token, session_error};
use crate::ssr::db::Db;
use crate::ssr::now;
use sqlx::AnyConnection;
use tower_sessions::Session;

/// The session key of a guest's cart token.
const TOKEN_KEY: &str = "cart";
/// The session key of notices to show once (what a sign-in merge changed).
const NOTICES_KEY: &str = "cart-notices";

/// Which list of a cart a line is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    Cart,
    Saved,
}

impl List {
    pub fn key(self) -> &'static str {
        match self {
            Self::Cart => "cart",
            Self::Saved => "saved",
        }
    }
}

/// Whose cart: a signed-in user's, or the guest's of this session.
#[derive(Clone, Copy, Debug)]
pub enum Owner {
    User(i64),
    Guest,
}

/// A cart to work on: its id, and whether this request made it (its
/// `updated_at` is then current already).
#[derive(Clone, Copy, Debug)]
pub struct Cart {
    pub id: i64,
    pub new: bool,
}

/// The cart of `owner`, created when `create` (else `None` if there is none
/// yet). Creating writes, so `conn` is then a write transaction whose commit
/// also makes the cart.
pub async fn find(conn: &mut AnyConnection, session: &Session, owner: Owner, create: bool) -> Result<Option<Cart>, AppError> {
    let old = |id: Option<(i64,)>| id.map(|(id,)| Cart { id, new: false });
    match owner {
        Owner::User(user) => {
            if create {
                let made: Option<(i64,)> = sqlx::query_as(
                    "INSERT INTO carts (user_id, updated_at) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING RETURNING id",
                )
                .bind(user)
                .bind(now())
                .fetch_optional(&mut *conn)
                .await?;
                if let Some((id,)) = made {
                    return Ok(Some(Cart { id, new: true }));
                }
            }
            let id = sqlx::query_as("SELECT id FROM carts WHERE user_id = $1").bind(user).fetch_optional(&mut *conn).await?;
            Ok(old(id))
        }
        Owner::Guest => {
            if let Some(token) = session.get::<String>(TOKEN_KEY).await.map_err(session_error)? {
                let id = sqlx::query_as("SELECT id FROM carts WHERE token = $1").bind(&token).fetch_optional(&mut *conn).await?;
                if id.is_some() || !create {
                    return Ok(old(id));
                }
            } else if !create {
                return Ok(None);
            }
            let token = random_token();
            let (id,): (i64,) = sqlx::query_as("INSERT INTO carts (token, updated_at) VALUES ($1, $2) RETURNING id")
                .bind(&token)
                .bind(now())
                .fetch_one(&mut *conn)
                .await?;
            session.insert(TOKEN_KEY, token).await.map_err(session_error)?;
            Ok(Some(Cart { id, new: true }))
        }
    }
}

type LineRow = (i64, i64, String, String, String, String, String, Option<String>, i64, String, i64, i64, String);

/// The lines of cart `id`, both lists, oldest first, with today's prices and
/// stock; with `for_sale_only`, none of products the shop no longer sells.
pub async fn lines(conn: &mut AnyConnection, id: i64, for_sale_only: bool) -> Result<Vec<(List, CartLine)>, AppError> {
    let rows: Vec<LineRow> = sqlx::query_as(&format!(
        "SELECT v.id, p.id, p.slug, p.name, v.option1, v.option2, v.option3, \
                COALESCE(v.image_url, (SELECT url FROM product_images i WHERE i.product_id = p.id ORDER BY position LIMIT 1)), \
                v.price_minor, p.currency, ci.quantity, v.stock, ci.list \
         FROM cart_items ci JOIN product_variants v ON v.id = ci.variant_id JOIN products p ON p.id = v.product_id \
         WHERE ci.cart_id = $1 {} ORDER BY ci.added_at, v.id",
        if for_sale_only { "AND p.status = 'active'" } else { "" }
    ))
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(variant_id, product_id, slug, name, o1, o2, o3, image, price, currency, quantity, stock, list)| {
            let currency = Currency::parse(&currency).unwrap_or(Currency::Usd);
            let variant = crate::domain::variants::title(&[o1, o2, o3]);
            let unit_price = Money::new(price, currency);
            let list = if list == List::Saved.key() { List::Saved } else { List::Cart };
            (list, CartLine { variant_id, product_id, slug, name, variant, image, unit_price, quantity, stock })
        })
        .collect())
}

/// Both lists of cart `id`, with today's prices and stock, plus notices about
/// lines that can no longer be bought as they are.
pub async fn view(db: &Db, session: &Session, id: Option<i64>) -> Result<CartView, AppError> {
    let mut cart = CartView::default();
    if let Some(notices) = session.remove::<Vec<String>>(NOTICES_KEY).await.map_err(session_error)? {
        cart.notices = notices;
    }
    let Some(id) = id else { return Ok(cart) };
    for (list, line) in lines(&mut *db.pool.acquire().await?, id, false).await? {
        if list == List::Saved {
            cart.saved.push(line);
            continue;
        }
        let stock = line.stock;
        if stock == 0 {
            cart.notices.push(format!("{} is out of stock: save it for later or remove it to check out.", line.label()));
        } else if stock < line.quantity {
            cart.notices.push(format!("Only {stock} left of {}: lower the quantity to check out.", line.label()));
        }
        cart.lines.push(line);
    }
    Ok(cart)
}

/// Items on cart `id`'s cart list (quantities added up), as the header counts them.
pub async fn item_count(conn: &mut AnyConnection, id: i64) -> Result<i64, AppError> {
    let (items,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM cart_items WHERE cart_id = $1 AND list = $2")
            .bind(id)
            .bind(List::Cart.key())
            .fetch_one(&mut *conn)
            .await?;
    Ok(items)
}

/// What adding did: the quantity now in the cart, and whether stock capped it.
pub struct Added {
    pub quantity: i64,
    pub capped: bool,
}

/// Adds `quantity` of `variant` to a list of `cart`, capped by stock and
/// [`MAX_QUANTITY`]. Refuses unknown and sold-out variants. `conn` is a write
/// transaction (see [`Db::begin_write`]).
pub async fn add(conn: &mut AnyConnection, cart: Cart, list: List, variant: i64, quantity: i64) -> Result<Added, AppError> {
    let found: Option<(i64, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT v.stock, p.name, ci.quantity, (SELECT COUNT(*) FROM cart_items WHERE cart_id = $2 AND list = $3) \
         FROM product_variants v JOIN products p ON p.id = v.product_id \
         LEFT JOIN cart_items ci ON ci.cart_id = $2 AND ci.list = $3 AND ci.variant_id = v.id WHERE v.id = $1 AND p.status = 'active'",
    )
    .bind(variant)
    .bind(cart.id)
    .bind(list.key())
    .fetch_optional(&mut *conn)
    .await?;
    let (stock, name, had, lines) = found.ok_or_else(|| AppError::NotFound("That product is no longer sold.".into()))?;
    if had.is_none() && lines >= crate::domain::checkout::MAX_LINES as i64 {
        return Err(AppError::BadRequest(format!(
            "A {} holds at most {} different items.",
            if list == List::Cart { "cart" } else { "saved list" },
            crate::domain::checkout::MAX_LINES
        )));
    }
    if stock == 0 && list == List::Cart {
        return Err(AppError::BadRequest(format!("{name} is out of stock.")));
    }
    let wanted = had.unwrap_or(0).saturating_add(quantity);
    let limit = if list == List::Cart { stock.min(MAX_QUANTITY) } else { MAX_QUANTITY };
    let quantity = wanted.min(limit);
    put(conn, cart, list, variant, quantity).await?;
    Ok(Added { quantity, capped: quantity < wanted })
}

/// Sets the quantity of a line (inserting it if needed). A new line starts
/// from what its owner sees now: today's price, and whether it is sold out
/// (what the wishlist's alerts compare with; `ssr/wishlist/alerts.rs`).
async fn put(conn: &mut AnyConnection, cart: Cart, list: List, variant: i64, quantity: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO cart_items (cart_id, list, variant_id, quantity, added_at, seen_price_minor, seen_out) \
         SELECT $1, $2, v.id, $4, $5, v.price_minor, CASE WHEN v.stock = 0 OR p.status <> 'active' THEN 1 ELSE 0 END \
         FROM product_variants v JOIN products p ON p.id = v.product_id WHERE v.id = $3 \
         ON CONFLICT (cart_id, list, variant_id) DO UPDATE SET quantity = excluded.quantity",
    )
    .bind(cart.id)
    .bind(list.key())
    .bind(variant)
    .bind(quantity)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    touch(conn, cart).await
}

/// Marks `cart` as changed now (what the sweeper's clean-up goes by).
async fn touch(conn: &mut AnyConnection, cart: Cart) -> Result<(), AppError> {
    if !cart.new {
        sqlx::query("UPDATE carts SET updated_at = $2 WHERE id = $1").bind(cart.id).bind(now()).execute(conn).await?;
    }
    Ok(())
}

/// Sets a cart line to `quantity` (0 removes it); more than the stock is refused.
pub async fn set_quantity(db: &Db, cart: Cart, variant: i64, quantity: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    if quantity == 0 {
        take(&mut tx, cart, List::Cart, variant).await?;
        return Ok(tx.commit().await?);
    }
    let found: Option<(i64, String)> = sqlx::query_as(
        "SELECT v.stock, p.name FROM product_variants v JOIN products p ON p.id = v.product_id WHERE v.id = $1 AND p.status = 'active'",
    )
    .bind(variant)
    .fetch_optional(&mut *tx)
    .await?;
    let (stock, name) = found.ok_or_else(|| AppError::NotFound("That product is no longer sold.".into()))?;
    if quantity > stock {
        return Err(AppError::BadRequest(match stock {
            0 => format!("{name} is out of stock."),
            n => format!("Only {n} left of {name}."),
        }));
    }
    put(&mut tx, cart, List::Cart, variant, quantity).await?;
    Ok(tx.commit().await?)
}

/// Takes `variant` off a list.
pub async fn remove(db: &Db, cart: Cart, list: List, variant: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    take(&mut tx, cart, list, variant).await?;
    Ok(tx.commit().await?)
}

/// [`remove`] inside the caller's transaction.
async fn take(conn: &mut AnyConnection, cart: Cart, list: List, variant: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM cart_items WHERE cart_id = $1 AND list = $2 AND variant_id = $3")
        .bind(cart.id)
        .bind(list.key())
        .bind(variant)
        .execute(&mut *conn)
        .await?;
    touch(conn, cart).await
}

/// Moves `variant` from one list to the other, adding to what is there.
pub async fn switch(db: &Db, cart: Cart, from: List, variant: i64) -> Result<(), AppError> {
    let to = match from {
        List::Cart => List::Saved,
        List::Saved => List::Cart,
    };
    let mut tx = db.begin_write().await?;
    let had: Option<(i64,)> =
        sqlx::query_as("SELECT quantity FROM cart_items WHERE cart_id = $1 AND list = $2 AND variant_id = $3")
            .bind(cart.id)
            .bind(from.key())
            .bind(variant)
            .fetch_optional(&mut *tx)
            .await?;
    let (quantity,) = had.ok_or_else(|| AppError::NotFound("That item is not in your list any more.".into()))?;
    add(&mut tx, cart, to, variant, quantity).await?;
    take(&mut tx, cart, from, variant).await?;
    Ok(tx.commit().await?)
}

/// After sign-in: moves the guest cart of this session into the user's, in
/// one transaction, adding quantities (capped by stock); what changed is
/// shown once on the cart page.
pub async fn adopt_guest_cart(db: &Db, session: &Session, user: i64) -> Result<(), AppError> {
    // Most sign-ins bring no guest cart: those never take the write lock.
    let Some(guest) = find(&mut *db.pool.acquire().await?, session, Owner::Guest, false).await? else { return Ok(()) };
    let mut tx = db.begin_write().await?;
    let mine = find(&mut tx, session, Owner::User(user), true).await?.ok_or(AppError::Internal)?;
    let items: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT ci.list, ci.variant_id, ci.quantity, p.name FROM cart_items ci \
         JOIN product_variants v ON v.id = ci.variant_id JOIN products p ON p.id = v.product_id \
         WHERE ci.cart_id = $1 ORDER BY ci.added_at",
    )
    .bind(guest.id)
    .fetch_all(&mut *tx)
    .await?;
    let mut notices = Vec::new();
    for (list, variant, quantity, name) in items {
        let list = if list == List::Saved.key() { List::Saved } else { List::Cart };
        match add(&mut tx, mine, list, variant, quantity).await {
            Ok(added) if added.capped => {
                notices.push(format!("{name}: only {} could stay in your cart (stock).", added.quantity))
            }
            Ok(_) => {}
            Err(AppError::BadRequest(message) | AppError::NotFound(message)) => notices.push(message),
            Err(other) => return Err(other),
        }
    }
    // A link the guest shared keeps working, unless the account shares its own.
    let (shared,): (Option<String>,) = sqlx::query_as("SELECT share_token FROM carts WHERE id = $1").bind(guest.id).fetch_one(&mut *tx).await?;
    sqlx::query("DELETE FROM carts WHERE id = $1").bind(guest.id).execute(&mut *tx).await?;
    if shared.is_some() {
        sqlx::query("UPDATE carts SET share_token = $2 WHERE id = $1 AND share_token IS NULL").bind(mine.id).bind(shared).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    session.remove::<String>(TOKEN_KEY).await.map_err(session_error)?;
    if !notices.is_empty() {
        session.insert(NOTICES_KEY, notices).await.map_err(session_error)?;
    }
    Ok(())
}

/// A guest cart untouched this long is abandoned: its session (idle timeout
/// [`crate::ssr::accounts::IDLE_TIMEOUT_DAYS`]) has long run out.
pub const ABANDONED_SECS: i64 = 30 * 24 * 3600;

/// Deletes abandoned guest carts (with their lines); returns how many.
/// Signed-in users' carts stay.
pub async fn delete_abandoned(db: &Db) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM carts WHERE user_id IS NULL AND updated_at < $1")
        .bind(now() - ABANDONED_SECS)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
