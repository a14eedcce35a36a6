//! Admins shaping the category tree: the tree with product counts, the
//! editor, create and save (rename, new slug: the old one keeps redirecting;
//! move to another department: its products follow), reorder among
//! siblings, and delete (only a category without products or aisles).
//! Every change is in the audit log and the change log, in its transaction,
//! so navigation, category pages and search follow within a poll of the log.

use super::editing::{id_text, Statement};
use super::images::forget_unused;
use super::pictures::{own_picture, Owner};
use super::redirects::Redirects;
use super::staff::{catalog_admin, finish_catalog_change, is_postgres, slug_taken, still_used, unique_clash};
use crate::domain::products::Choice;
use crate::domain::taxonomy::{CategoryEditor, CategoryFields, CategoryInput, CategoryNode, CategoryTree, EditedCategory, Shift};
use crate::error::AppError;
use crate::ssr::accounts::audit::{summary, Changes, Event};
use crate::ssr::now;
use sqlx::AnyConnection;
use std::collections::HashMap;

const WHAT: &str = "manage categories";

/// A category as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
struct Stored {
    id: i64,
    version: i64,
    parent_id: Option<i64>,
    name: String,
    slug: String,
    description: String,
    seo_title: String,
    seo_description: String,
}

impl Stored {
    fn input(&self) -> CategoryInput {
        CategoryInput {
            name: self.name.clone(),
            slug: self.slug.clone(),
            parent: id_text(self.parent_id),
            description: self.description.clone(),
            seo_title: self.seo_title.clone(),
            seo_description: self.seo_description.clone(),
        }
    }
}

/// Category `id` (locked for the transaction on PostgreSQL), or 404.
async fn stored(conn: &mut AnyConnection, id: i64, lock: bool) -> Result<Stored, AppError> {
    let lock = if lock && is_postgres(conn) { " FOR UPDATE" } else { "" };
    let found: Option<Stored> = sqlx::query_as(&format!(
        "SELECT id, version, parent_id, name, slug, description, seo_title, seo_description FROM categories WHERE id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    found.ok_or_else(|| AppError::NotFound("There is no such category.".into()))
}

/// Products in category `id` (directly, or in its aisles) and its aisles.
async fn holds(conn: &mut AnyConnection, id: i64) -> Result<(i64, i64), AppError> {
    let (products,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products WHERE category_id = $1 OR department_id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let (children,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM categories WHERE parent_id = $1").bind(id).fetch_one(&mut *conn).await?;
    Ok((products, children))
}

/// The whole tree, departments and aisles in display order, with counts.
pub async fn tree() -> Result<CategoryTree, AppError> {
    let state = crate::ssr::state()?;
    catalog_admin(&state.db, WHAT).await?;
    let mut conn = state.db.pool.acquire().await?;
    let rows: Vec<(i64, Option<i64>, String, String)> =
        sqlx::query_as("SELECT id, parent_id, name, slug FROM categories ORDER BY position, name, id").fetch_all(&mut *conn).await?;
    let counts: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT category_id, department_id, COUNT(*) FROM products GROUP BY category_id, department_id")
            .fetch_all(&mut *conn)
            .await?;
    let (mut direct, mut under) = (HashMap::<i64, i64>::new(), HashMap::<i64, i64>::new());
    for (category, department, n) in counts {
        *direct.entry(category).or_default() += n;
        *under.entry(department).or_default() += n;
    }
    let node = |id: i64, name: String, slug: String, products: i64| CategoryNode { id, name, slug, products, children: Vec::new() };
    let mut departments: Vec<CategoryNode> = rows
        .iter()
        .filter(|(_, parent, _, _)| parent.is_none())
        .map(|(id, _, name, slug)| node(*id, name.clone(), slug.clone(), under.get(id).copied().unwrap_or(0)))
        .collect();
    for (id, parent, name, slug) in rows {
        if let Some(department) = parent.and_then(|p| departments.iter_mut().find(|d| d.id == p)) {
            department.children.push(node(id, name, slug, direct.get(&id).copied().unwrap_or(0)));
        }
    }
    Ok(CategoryTree { departments })
}

/// The editor of category `id` (0: a new one).
pub async fn editor(id: i64) -> Result<CategoryEditor, AppError> {
    let state = crate::ssr::state()?;
    catalog_admin(&state.db, WHAT).await?;
    let mut conn = state.db.pool.acquire().await?;
    let category = if id == 0 {
        None
    } else {
        let stored = stored(&mut conn, id, false).await?;
        let (products, children) = holds(&mut conn, id).await?;
        let image = super::pictures::image_of(&mut conn, super::pictures::Owner::Category, id).await?;
        Some(EditedCategory { id, version: stored.version, input: stored.input(), slug: stored.slug, products, children, image })
    };
    let departments: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM categories WHERE parent_id IS NULL AND id <> $1 ORDER BY position, name, id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let departments = departments.into_iter().map(|(id, name)| Choice { id, name }).collect();
    Ok(CategoryEditor { category, departments })
}

fn stale() -> AppError {
    AppError::Conflict(
        "Someone else saved this category after you opened it, so your changes were not saved. \
         Reload the page to see their version, and make your changes again."
            .into(),
    )
}

/// Refuses a department that is not one (an aisle, or the category itself),
/// and a department with aisles going under another (the tree has two levels).
async fn check_parent(conn: &mut AnyConnection, id: i64, parent: Option<i64>) -> Result<(), AppError> {
    let Some(parent) = parent else { return Ok(()) };
    if parent == id {
        return Err(AppError::BadRequest("A category cannot be its own department.".into()));
    }
    let found: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT parent_id FROM categories WHERE id = $1").bind(parent).fetch_optional(&mut *conn).await?;
    match found {
        None => return Err(AppError::BadRequest("Choose the department from the list.".into())),
        Some((Some(_),)) => {
            return Err(AppError::BadRequest("Choose a department: a category at the top of the tree, not an aisle.".into()))
        }
        Some((None,)) => {}
    }
    if id != 0 && holds(conn, id).await?.1 > 0 {
        return Err(AppError::BadRequest(
            "This department has aisles of its own, so it cannot go under another: the tree has two levels. \
             Move its aisles first."
                .into(),
        ));
    }
    Ok(())
}

/// Refuses a slug another category has.
async fn slug_free(conn: &mut AnyConnection, slug: &str, id: i64) -> Result<(), AppError> {
    if slug_taken(conn, "categories", slug, id).await? {
        return Err(AppError::BadRequest(format!("Another category is already at /c/{slug}. Choose another slug.")));
    }
    Ok(())
}

/// A unique-key violation on save: another category took the slug meanwhile.
fn slug_clash(error: sqlx::Error) -> AppError {
    unique_clash(error, "Another category took that slug a moment ago. Choose another slug.")
}

/// The next free position at the end of `parent`'s children.
async fn last_position(conn: &mut AnyConnection, parent: Option<i64>) -> Result<i64, AppError> {
    let (last,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM categories WHERE ($1 = 0 AND parent_id IS NULL) OR parent_id = $1",
    )
    .bind(parent.unwrap_or(0))
    .fetch_one(&mut *conn)
    .await?;
    Ok(last)
}

/// Saves the editor: a new category at the end of its department when `id`
/// is 0, else category `id` if still at `version`. Returns its id.
pub async fn save(id: i64, version: i64, input: CategoryInput) -> Result<i64, AppError> {
    let state = crate::ssr::state()?;
    let user = catalog_admin(&state.db, WHAT).await?;
    let fields = input.check().map_err(AppError::BadRequest)?;
    let mut tx = state.db.begin_write().await?;
    let before = if id == 0 { None } else { Some(stored(&mut tx, id, true).await?) };
    if before.as_ref().is_some_and(|b| b.version != version) {
        return Err(stale());
    }
    check_parent(&mut tx, id, fields.parent_id).await?;
    slug_free(&mut tx, fields.slug.as_str(), id).await?;
    let (id, event, detail) = match before {
        None => {
            let id = insert(&mut tx, &fields).await?;
            (id, Event::CategoryCreated, format!("category {id} “{}” (/c/{}) created", fields.name, fields.slug.as_str()))
        }
        Some(before) => {
            let moved = before.parent_id != fields.parent_id;
            let position = if moved { Some(last_position(&mut tx, fields.parent_id).await?) } else { None };
            update(&mut tx, &before, &fields, position).await?;
            if moved {
                // Its products now belong to the department at its new top.
                sqlx::query("UPDATE products SET department_id = $1 WHERE category_id = $2")
                    .bind(fields.parent_id.unwrap_or(id))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            if before.slug != fields.slug.as_str() {
                Redirects::Categories.remember(&mut tx, &before.slug, id).await?;
            }
            (id, Event::CategoryChanged, changes(&before, &fields))
        }
    };
    Redirects::Categories.forget(&mut tx, fields.slug.as_str()).await?;
    finish_catalog_change(tx, &user, event, &detail).await?;
    Ok(id)
}

/// Binds the editable fields as `$1`…`$6` (in the column order of
/// [`insert`] and [`update`]) and `position` as `$7`.
fn with_fields<'q>(statement: Statement<'q>, f: &'q CategoryFields, position: Option<i64>) -> Statement<'q> {
    statement
        .bind(f.parent_id)
        .bind(f.slug.as_str())
        .bind(&f.name)
        .bind(&f.description)
        .bind(&f.seo_title)
        .bind(&f.seo_description)
        .bind(position)
}

async fn insert(conn: &mut AnyConnection, f: &CategoryFields) -> Result<i64, AppError> {
    let position = last_position(conn, f.parent_id).await?;
    let row = with_fields(
        sqlx::query(
            "INSERT INTO categories (parent_id, slug, name, description, seo_title, seo_description, position, version, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) RETURNING id",
        ),
        f,
        Some(position),
    )
    .bind(now())
    .fetch_one(&mut *conn)
    .await
    .map_err(slug_clash)?;
    Ok(sqlx::Row::try_get(&row, 0)?)
}

/// Writes `f` over `before` (at `position` when it moved to another department).
async fn update(conn: &mut AnyConnection, before: &Stored, f: &CategoryFields, position: Option<i64>) -> Result<(), AppError> {
    let done = with_fields(
        sqlx::query(
            "UPDATE categories SET parent_id = $1, slug = $2, name = $3, description = $4, seo_title = $5, seo_description = $6, \
                 position = COALESCE($7, position), version = version + 1 \
             WHERE id = $8 AND version = $9",
        ),
        f,
        position,
    )
    .bind(before.id)
    .bind(before.version)
    .execute(&mut *conn)
    .await
    .map_err(slug_clash)?;
    if done.rows_affected() == 0 {
        return Err(stale());
    }
    Ok(())
}

/// What a save changed, field by field.
fn changes(before: &Stored, after: &CategoryFields) -> String {
    let mut out = Changes::default();
    out.field("name", before.name.clone(), after.name.clone());
    out.field("slug", before.slug.clone(), after.slug.to_string());
    out.field("department", id_text(before.parent_id), id_text(after.parent_id));
    out.field("description", summary(&before.description), summary(&after.description));
    out.field("SEO title", before.seo_title.clone(), after.seo_title.clone());
    out.field("SEO description", summary(&before.seo_description), summary(&after.seo_description));
    format!("category {} “{}”: {}", before.id, before.name, out.text())
}


/// Moves category `id` one place up or down among its siblings.
pub async fn shift(id: i64, shift: Shift) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let user = catalog_admin(&state.db, WHAT).await?;
    let mut tx = state.db.begin_write().await?;
    let category = stored(&mut tx, id, true).await?;
    let siblings: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM categories WHERE ($1 = 0 AND parent_id IS NULL) OR parent_id = $1 ORDER BY position, name, id",
    )
    .bind(category.parent_id.unwrap_or(0))
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<i64> = siblings.into_iter().map(|(id,)| id).collect();
    let Some(order) = shift.apply(&ids, id) else {
        return Err(AppError::BadRequest(shift.refusal(&format!("“{}”", category.name), ids.len())));
    };
    for (position, sibling) in order.iter().enumerate() {
        sqlx::query("UPDATE categories SET position = $1 WHERE id = $2").bind(position as i64).bind(sibling).execute(&mut *tx).await?;
    }
    let detail = format!("category {id} “{}” moved {} (now {} of {})", category.name, shift.said(), order.iter().position(|&i| i == id).unwrap_or(0) + 1, order.len());
    finish_catalog_change(tx, &user, Event::CategoryChanged, &detail).await
}

/// Deletes category `id` at `version`; only one that holds no products and no aisles.
pub async fn delete(id: i64, version: i64) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let user = catalog_admin(&state.db, WHAT).await?;
    let mut tx = state.db.begin_write().await?;
    let before = stored(&mut tx, id, true).await?;
    if before.version != version {
        return Err(stale());
    }
    match holds(&mut tx, id).await? {
        (0, 0) => {}
        (0, children) => {
            return Err(AppError::Conflict(format!(
                "“{}” still has {children} aisle(s). Move or delete them first.",
                before.name
            )))
        }
        (products, _) => {
            return Err(AppError::Conflict(format!(
                "“{}” still holds {products} product(s). Move them to another category first.",
                before.name
            )))
        }
    }
    let picture = own_picture(&mut tx, Owner::Category, id).await?;
    sqlx::query("DELETE FROM categories WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(still_used)?;
    let detail = format!("category {id} “{}” (/c/{}) deleted", before.name, before.slug);
    finish_catalog_change(tx, &user, Event::CategoryDeleted, &detail).await?;
    forget_unused(&state, picture.as_slice()).await;
    Ok(())
}
