//! Quote rows. A buyer's query takes the `CompanyId` beside the quote id; the merchant's desk
//! reaches every company's quotes only through `Desk`, which only the staff guard makes. Child
//! rows (lines, revisions, messages, attachments) are reached through their quote's company.

use crate::domain::ids::{CompanyId, MemberId, UserId};
use sqlx::{Any, AnyPool, Transaction};

/// Proof that the caller is merchant staff (only `guard`'s staff check, and the demo loader, make
/// it): the key to queries across companies.
#[derive(Clone, Copy, Debug)]
pub struct Desk(pub(in crate::backend) ());

#[derive(Clone, Debug)]
pub struct QuoteRow {
    pub id: i64,
    pub company_id: CompanyId,
    pub company_name: String,
    pub requested_by: MemberId,
    pub requester_name: String,
    pub location_id: i64,
    pub location_name: String,
    pub status: String,
    pub revision: i64,
    pub version: i64,
    pub currency: String,
    pub note: String,
    pub expires_at: Option<i64>,
    pub reason: String,
    pub order_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The latest revision's total (or the request's at list prices where known).
    pub total_minor: Option<i64>,
    pub line_count: i64,
}

const SELECT: &str = "SELECT q.id, q.company_id, c.name AS company_name, q.requested_by, \
     u.display_name AS requester_name, q.location_id, l.name AS location_name, q.status, q.revision, q.version, \
     q.currency, q.note, q.expires_at, q.reason, q.order_id, q.created_at, q.updated_at, \
     (SELECT r.total_minor FROM quote_revisions r WHERE r.quote_id = q.id AND r.revision = q.revision) AS total_minor, \
     (SELECT COUNT(*) FROM quote_lines ql WHERE ql.quote_id = q.id AND ql.revision = q.revision) AS line_count \
     FROM quotes q JOIN companies c ON c.id = q.company_id JOIN members m ON m.id = q.requested_by \
     JOIN users u ON u.id = m.user_id JOIN locations l ON l.id = q.location_id";

/// More columns than sqlx decodes into a tuple.
#[derive(sqlx::FromRow)]
struct Raw {
    id: i64,
    company_id: i64,
    company_name: String,
    requested_by: i64,
    requester_name: String,
    location_id: i64,
    location_name: String,
    status: String,
    revision: i64,
    version: i64,
    currency: String,
    note: String,
    expires_at: Option<i64>,
    reason: String,
    order_id: Option<i64>,
    created_at: i64,
    updated_at: i64,
    total_minor: Option<i64>,
    line_count: i64,
}

fn row(r: Raw) -> QuoteRow {
    QuoteRow {
        id: r.id,
        company_id: CompanyId(r.company_id),
        company_name: r.company_name,
        requested_by: MemberId(r.requested_by),
        requester_name: r.requester_name,
        location_id: r.location_id,
        location_name: r.location_name,
        status: r.status,
        revision: r.revision,
        version: r.version,
        currency: r.currency,
        note: r.note,
        expires_at: r.expires_at,
        reason: r.reason,
        order_id: r.order_id,
        created_at: r.created_at,
        updated_at: r.updated_at,
        total_minor: r.total_minor,
        line_count: r.line_count,
    }
}

/// A company's quote by id; another company's is `None`, like a missing one.
pub async fn get(pool: &AnyPool, company: CompanyId, id: i64) -> Result<Option<QuoteRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE q.id = $1 AND q.company_id = $2");
    let r: Option<Raw> = sqlx::query_as(&sql).bind(id).bind(company.0).fetch_optional(pool).await?;
    Ok(r.map(row))
}

/// Any company's quote, for the merchant's desk.
pub async fn get_for_desk(pool: &AnyPool, _desk: Desk, id: i64) -> Result<Option<QuoteRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE q.id = $1");
    let r: Option<Raw> = sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?;
    Ok(r.map(row))
}

#[derive(Clone, Debug, Default)]
pub struct QuoteFilter {
    pub status: Option<String>,
    /// Offers that expire before this instant (and have not yet).
    pub expiring_before: Option<i64>,
    pub requested_by: Option<MemberId>,
}

/// A company's quotes, newest first.
pub async fn list(pool: &AnyPool, company: CompanyId, filter: &QuoteFilter) -> Result<Vec<QuoteRow>, sqlx::Error> {
    let mut sql = format!("{SELECT} WHERE q.company_id = $1");
    let mut n = 2;
    if filter.status.is_some() {
        sql.push_str(&format!(" AND q.status = ${n}"));
        n += 1;
    }
    if filter.requested_by.is_some() {
        sql.push_str(&format!(" AND q.requested_by = ${n}"));
        n += 1;
    }
    if filter.expiring_before.is_some() {
        sql.push_str(&format!(" AND q.status IN ('offered', 'accepted') AND q.expires_at <= ${n}"));
    }
    sql.push_str(" ORDER BY q.id DESC LIMIT 500");
    let mut q = sqlx::query_as::<_, Raw>(&sql).bind(company.0);
    if let Some(status) = &filter.status {
        q = q.bind(status.clone());
    }
    if let Some(member) = filter.requested_by {
        q = q.bind(member.0);
    }
    if let Some(before) = filter.expiring_before {
        q = q.bind(before);
    }
    Ok(q.fetch_all(pool).await?.into_iter().map(row).collect())
}

/// The desk's queue: every company's quotes in `statuses`, oldest change first (the one waiting
/// longest on top).
pub async fn desk(pool: &AnyPool, _desk: Desk, statuses: &[&str]) -> Result<Vec<QuoteRow>, sqlx::Error> {
    let list = statuses.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ");
    debug_assert!(statuses.iter().all(|s| s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
    let sql = format!("{SELECT} WHERE q.status IN ({list}) ORDER BY q.updated_at ASC, q.id ASC LIMIT 500");
    Ok(sqlx::query_as::<_, Raw>(&sql).fetch_all(pool).await?.into_iter().map(row).collect())
}

#[derive(Clone, Debug)]
pub struct LineRow {
    pub revision: i64,
    pub line_no: i64,
    pub variant_id: i64,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub quantity: i64,
    pub target_price_minor: Option<i64>,
    pub list_price_minor: Option<i64>,
    pub offered_price_minor: Option<i64>,
}

/// Every revision's lines of a company's quote, by revision then line.
pub async fn lines(pool: &AnyPool, company: CompanyId, id: i64) -> Result<Vec<LineRow>, sqlx::Error> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, i64, i64, String, String, String, i64, Option<i64>, Option<i64>, Option<i64>)> =
        sqlx::query_as(
            "SELECT revision, line_no, variant_id, sku, name, unit, quantity, target_price_minor, list_price_minor, \
             offered_price_minor FROM quote_lines \
             WHERE quote_id IN (SELECT id FROM quotes WHERE id = $1 AND company_id = $2) ORDER BY revision, line_no",
        )
        .bind(id)
        .bind(company.0)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| LineRow {
            revision: r.0,
            line_no: r.1,
            variant_id: r.2,
            sku: r.3,
            name: r.4,
            unit: r.5,
            quantity: r.6,
            target_price_minor: r.7,
            list_price_minor: r.8,
            offered_price_minor: r.9,
        })
        .collect())
}

#[derive(Clone, Debug)]
pub struct RevisionRow {
    pub revision: i64,
    pub offered_at: i64,
    pub offered_by: String,
    pub expires_at: i64,
    pub total_minor: i64,
}

pub async fn revisions(pool: &AnyPool, company: CompanyId, id: i64) -> Result<Vec<RevisionRow>, sqlx::Error> {
    let rows: Vec<(i64, i64, String, i64, i64)> = sqlx::query_as(
        "SELECT r.revision, r.offered_at, u.display_name, r.expires_at, r.total_minor FROM quote_revisions r \
         JOIN users u ON u.id = r.offered_by \
         WHERE r.quote_id IN (SELECT id FROM quotes WHERE id = $1 AND company_id = $2) ORDER BY r.revision",
    )
    .bind(id)
    .bind(company.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RevisionRow { revision: r.0, offered_at: r.1, offered_by: r.2, expires_at: r.3, total_minor: r.4 })
        .collect())
}

#[derive(Clone, Debug)]
pub struct MessageRow {
    pub id: i64,
    pub at: i64,
    pub author_name: String,
    /// True when the merchant wrote it.
    pub from_merchant: bool,
    pub kind: String,
    pub revision: i64,
    pub body: String,
}

pub async fn messages(pool: &AnyPool, company: CompanyId, id: i64) -> Result<Vec<MessageRow>, sqlx::Error> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, i64, String, Option<i64>, String, i64, String)> = sqlx::query_as(
        "SELECT id, at, author_name, staff_id, kind, revision, body FROM quote_messages \
         WHERE quote_id IN (SELECT id FROM quotes WHERE id = $1 AND company_id = $2) ORDER BY id",
    )
    .bind(id)
    .bind(company.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MessageRow {
            id: r.0,
            at: r.1,
            author_name: r.2,
            from_merchant: r.3.is_some(),
            kind: r.4,
            revision: r.5,
            body: r.6,
        })
        .collect())
}

#[derive(Clone, Debug)]
pub struct AttachmentRow {
    pub id: i64,
    pub message_id: Option<i64>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

pub async fn attachments(pool: &AnyPool, company: CompanyId, id: i64) -> Result<Vec<AttachmentRow>, sqlx::Error> {
    let rows: Vec<(i64, Option<i64>, String, String, i64)> = sqlx::query_as(
        "SELECT id, message_id, file_name, content_type, size_bytes FROM quote_attachments \
         WHERE quote_id IN (SELECT id FROM quotes WHERE id = $1 AND company_id = $2) ORDER BY id",
    )
    .bind(id)
    .bind(company.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AttachmentRow { id: r.0, message_id: r.1, file_name: r.2, content_type: r.3, size_bytes: r.4 })
        .collect())
}

/// One attachment's name, content type and bytes, through its quote's company.
pub async fn attachment(
    pool: &AnyPool,
    company: CompanyId,
    quote: i64,
    attachment: i64,
) -> Result<Option<(String, String, Vec<u8>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT file_name, content_type, bytes FROM quote_attachments WHERE id = $1 AND quote_id IN \
         (SELECT id FROM quotes WHERE id = $2 AND company_id = $3)",
    )
    .bind(attachment)
    .bind(quote)
    .bind(company.0)
    .fetch_optional(pool)
    .await
}

/// The quote a member's earlier request with this key made (a retry or a second click).
pub async fn by_key(pool: &AnyPool, company: CompanyId, key: &str) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM quotes WHERE company_id = $1 AND idempotency_key = $2")
        .bind(company.0)
        .bind(key)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| r.0))
}

pub struct NewQuote<'a> {
    pub company: CompanyId,
    pub requested_by: MemberId,
    pub location_id: i64,
    pub currency: &'a str,
    pub note: &'a str,
    pub idempotency_key: &'a str,
    pub now: i64,
}

pub async fn insert(tx: &mut Transaction<'_, Any>, q: &NewQuote<'_>) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO quotes (company_id, requested_by, location_id, status, currency, note, idempotency_key, \
         created_at, updated_at) VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(q.company.0)
    .bind(q.requested_by.0)
    .bind(q.location_id)
    .bind(q.currency)
    .bind(q.note)
    .bind(q.idempotency_key)
    .bind(q.now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

#[derive(Clone, Copy)]
pub struct NewLine<'a> {
    pub variant_id: i64,
    pub sku: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub quantity: i64,
    pub target_price_minor: Option<i64>,
    pub list_price_minor: Option<i64>,
    pub offered_price_minor: Option<i64>,
}

/// Writes one revision's lines (the quote was found or inserted in this transaction).
pub async fn write_lines(
    tx: &mut Transaction<'_, Any>,
    quote: i64,
    revision: i64,
    lines: &[NewLine<'_>],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM quote_lines WHERE quote_id = $1 AND revision = $2")
        .bind(quote)
        .bind(revision)
        .execute(&mut **tx)
        .await?;
    for (n, l) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO quote_lines (quote_id, revision, line_no, variant_id, sku, name, unit, quantity, \
             target_price_minor, list_price_minor, offered_price_minor) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(quote)
        .bind(revision)
        .bind(n as i64 + 1)
        .bind(l.variant_id)
        .bind(l.sku)
        .bind(l.name)
        .bind(l.unit)
        .bind(l.quantity)
        .bind(l.target_price_minor)
        .bind(l.list_price_minor)
        .bind(l.offered_price_minor)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub async fn write_revision(
    tx: &mut Transaction<'_, Any>,
    quote: i64,
    revision: i64,
    offered_by: UserId,
    expires_at: i64,
    total_minor: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO quote_revisions (quote_id, revision, offered_at, offered_by, expires_at, total_minor) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(quote)
    .bind(revision)
    .bind(now)
    .bind(offered_by.0)
    .bind(expires_at)
    .bind(total_minor)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The compare-and-set every transition is: from one of `from`, at `version`, to `to`. Its
/// first statement writes, so it also takes the write lock (SQLite) or the row's lock
/// (PostgreSQL) before anything else in the transaction. False when someone else moved it.
#[allow(clippy::too_many_arguments)]
pub async fn transition(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    id: i64,
    version: i64,
    from: &[&str],
    to: &str,
    revision: i64,
    expires_at: Option<i64>,
    reason: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let from = from.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "UPDATE quotes SET status = $1, revision = $2, expires_at = $3, reason = $4, version = version + 1, \
         updated_at = $5 WHERE id = $6 AND company_id = $7 AND version = $8 AND status IN ({from})"
    );
    let done = sqlx::query(&sql)
        .bind(to)
        .bind(revision)
        .bind(expires_at)
        .bind(reason)
        .bind(now)
        .bind(id)
        .bind(company.0)
        .bind(version)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Placing's claim: accepted, at the revision the buyer checked out and still standing.
pub async fn claim_for_order(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    id: i64,
    revision: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE quotes SET status = 'ordered', version = version + 1, updated_at = $1 \
         WHERE id = $2 AND company_id = $3 AND status = 'accepted' AND revision = $4 AND expires_at > $1",
    )
    .bind(now)
    .bind(id)
    .bind(company.0)
    .bind(revision)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sending an accepted quote for approval: still accepted at this revision and standing (its
/// version goes up, so a transition racing it loses). The request's unique open row per quote
/// keeps a second request out.
pub async fn hold_for_request(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    id: i64,
    revision: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE quotes SET version = version + 1, updated_at = $1 \
         WHERE id = $2 AND company_id = $3 AND status = 'accepted' AND revision = $4 AND expires_at > $1",
    )
    .bind(now)
    .bind(id)
    .bind(company.0)
    .bind(revision)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_order(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    id: i64,
    order: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE quotes SET order_id = $1 WHERE id = $2 AND company_id = $3")
        .bind(order)
        .bind(id)
        .bind(company.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Who wrote a message or made a change.
#[derive(Clone, Copy, Debug)]
pub enum Author<'a> {
    Member(MemberId, &'a str),
    Staff(UserId, &'a str),
    /// The sweep (expiry, reminders).
    System,
}

pub async fn add_message(
    tx: &mut Transaction<'_, Any>,
    quote: i64,
    author: Author<'_>,
    kind: &str,
    revision: i64,
    body: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let (member, staff, name) = match author {
        Author::Member(m, name) => (Some(m.0), None, name),
        Author::Staff(u, name) => (None, Some(u.0), name),
        Author::System => (None, None, ""),
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO quote_messages (quote_id, at, member_id, staff_id, author_name, kind, revision, body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(quote)
    .bind(now)
    .bind(member)
    .bind(staff)
    .bind(name)
    .bind(kind)
    .bind(revision)
    .bind(body)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn add_attachment(
    tx: &mut Transaction<'_, Any>,
    quote: i64,
    message: Option<i64>,
    file_name: &str,
    content_type: &str,
    bytes: &[u8],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO quote_attachments (quote_id, message_id, file_name, content_type, size_bytes, bytes, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(quote)
    .bind(message)
    .bind(file_name)
    .bind(content_type)
    .bind(bytes.len() as i64)
    .bind(bytes.to_vec())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The merchant's people: every staff user's email and language (mail about a quote goes to them).
pub async fn staff_recipients(tx: &mut Transaction<'_, Any>) -> Result<Vec<(String, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT email, locale FROM users WHERE is_staff = 1 ORDER BY id").fetch_all(&mut **tx).await
}

/// The requester's email and language.
pub async fn requester(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    id: i64,
) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.locale FROM quotes q JOIN members m ON m.id = q.requested_by \
         JOIN users u ON u.id = m.user_id WHERE q.id = $1 AND q.company_id = $2",
    )
    .bind(id)
    .bind(company.0)
    .fetch_optional(&mut **tx)
    .await
}

/// Standing offers whose expiry has passed: (company, id, version, revision, expires_at).
#[allow(clippy::type_complexity)]
pub async fn past_expiry(pool: &AnyPool, now: i64) -> Result<Vec<(i64, i64, i64, i64, Option<i64>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT company_id, id, version, revision, expires_at FROM quotes \
         WHERE status IN ('offered', 'accepted') AND expires_at <= $1 LIMIT 200",
    )
    .bind(now)
    .fetch_all(pool)
    .await
}

/// Claims the "expires in 3 days" reminder of standing offers that expire before `before`:
/// a conditional update per quote, so two app servers do not both remind. (company, id, revision)
pub async fn claim_reminders(pool: &AnyPool, before: i64, now: i64) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    let due: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT company_id, id, revision FROM quotes WHERE status = 'offered' AND reminded_at IS NULL \
         AND expires_at <= $1 AND expires_at > $2 LIMIT 200",
    )
    .bind(before)
    .bind(now)
    .fetch_all(pool)
    .await?;
    let mut claimed = vec![];
    for (company, id, revision) in due {
        let done = sqlx::query("UPDATE quotes SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(pool)
            .await?;
        if done.rows_affected() == 1 {
            claimed.push((company, id, revision));
        }
    }
    Ok(claimed)
}

/// A user's display name (empty when there is none).
pub async fn user_name(pool: &AnyPool, user: UserId) -> Result<String, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT display_name FROM users WHERE id = $1").bind(user.0).fetch_optional(pool).await?;
    Ok(row.map(|r| r.0).unwrap_or_default())
}

/// A new offer gets its own "expires in 3 days" reminder.
pub async fn reset_reminder(tx: &mut Transaction<'_, Any>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE quotes SET reminded_at = NULL WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

impl<'a> From<&'a LineRow> for NewLine<'a> {
    /// A line carried into another revision as it is.
    fn from(l: &'a LineRow) -> NewLine<'a> {
        NewLine {
            variant_id: l.variant_id,
            sku: &l.sku,
            name: &l.name,
            unit: &l.unit,
            quantity: l.quantity,
            target_price_minor: l.target_price_minor,
            list_price_minor: l.list_price_minor,
            offered_price_minor: l.offered_price_minor,
        }
    }
}

/// The company's members who asked for a quote, by name.
pub async fn requesters(pool: &AnyPool, company: CompanyId) -> Result<Vec<(MemberId, String)>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT DISTINCT q.requested_by, u.display_name FROM quotes q JOIN members m ON m.id = q.requested_by \
         JOIN users u ON u.id = m.user_id WHERE q.company_id = $1 ORDER BY u.display_name",
    )
    .bind(company.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, name)| (MemberId(id), name)).collect())
}
