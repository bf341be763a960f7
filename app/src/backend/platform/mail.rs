//! Outgoing mail. Services write a message into `mail_outbox` inside the transaction that causes
//! it (so an order is never placed without its confirmation, nor confirmed twice); `follow`, a
//! task on every app server, claims pending messages and sends them through SMTP (lettre) when
//! `APP_SMTP_URL` is set, else writes them as .eml files into a local outbox folder for
//! development. A failed send is retried with a growing pause and its error kept on the row.
//! Delivery is at least once: if the server dies between the SMTP server's yes and marking the
//! row sent, the message goes again. It goes as the same message: its Message-ID comes from the
//! outbox row, so mail clients show one, and the outbox folder keeps one file per row (written
//! whole, under the row's name), so a crash never shows as a lost or a doubled mail there.
//!
//! A message may name an attachment (`attachment`, e.g. `invoice:42:de`): it is rendered when
//! the message is sent, by the `Attacher` the app passes in, so the outbox stores no documents
//! and this module knows no feature.

use lettre::message::header::ContentType;
use lettre::message::{Attachment as MailPart, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::{Any, AnyPool, Transaction};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// A document to attach: its file name, content type and bytes.
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Renders the attachment a message names; an `Err` keeps the message for a later try.
pub type Attacher =
    Arc<dyn Fn(String) -> Pin<Box<dyn Future<Output = Result<Attachment, String>> + Send>> + Send + Sync>;

#[derive(Clone)]
pub struct MailSettings {
    /// `smtp://user:pass@host:port?tls=required`, `smtps://…`; `None` = write to `outbox_dir`.
    pub smtp_url: Option<String>,
    pub from: String,
    pub outbox_dir: String,
}

impl std::fmt::Debug for MailSettings {
    // The SMTP URL may carry a password: show only whether one is set.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("smtp", &self.smtp_url.as_ref().map(|_| "[redacted]"))
            .field("from", &self.from)
            .field("outbox_dir", &self.outbox_dir)
            .finish()
    }
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp_url: None,
            from: "Northwind Supply <orders@northwind.example>".into(),
            outbox_dir: "data/outbox".into(),
        }
    }
}

#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// A folder with one `mail-<row id>.eml` per message.
    Outbox(std::path::PathBuf),
}

impl Mailer {
    pub fn from_settings(settings: &MailSettings) -> Result<Mailer, String> {
        match &settings.smtp_url {
            Some(url) => Ok(Mailer::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("APP_SMTP_URL is not a valid SMTP URL: {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            )),
            None => {
                std::fs::create_dir_all(&settings.outbox_dir)
                    .map_err(|e| format!("cannot create the mail outbox {}: {e}", settings.outbox_dir))?;
                Ok(Mailer::Outbox(settings.outbox_dir.clone().into()))
            }
        }
    }

    /// Sends outbox row `id`. Into the folder, the file appears whole (written aside, then
    /// renamed) and a second send of the same row replaces it.
    async fn send(&self, id: i64, message: Message) -> Result<(), String> {
        match self {
            Mailer::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Mailer::Outbox(dir) => {
                let file = dir.join(format!("mail-{id:010}.eml"));
                let part = dir.join(format!(".mail-{id:010}.eml.part"));
                tokio::fs::write(&part, message.formatted()).await.map_err(|e| e.to_string())?;
                tokio::fs::rename(&part, &file).await.map_err(|e| e.to_string())
            }
        }
    }
}

/// Queues a message in the caller's transaction.
pub async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    recipient: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    enqueue_with(tx, recipient, subject, body, None, now).await
}

/// Queues a message that carries the attachment `attachment` names (see `Attacher`).
pub async fn enqueue_with(
    tx: &mut Transaction<'_, Any>,
    recipient: &str,
    subject: &str,
    body: &str,
    attachment: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mail_outbox (recipient, subject, body, attachment, created_at, attempts) VALUES ($1, $2, $3, $4, $5, 0)",
    )
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(attachment)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// How long a claim lasts: another server may take the message over after this.
const CLAIM_SECS: i64 = 120;
const MAX_ATTEMPTS: i64 = 20;

/// Sends what is due; returns how many were sent.
pub async fn deliver_pending(
    pool: &AnyPool,
    mailer: &Mailer,
    from: &str,
    attach: &Attacher,
    now: i64,
    stop: &tokio::sync::watch::Receiver<bool>,
) -> Result<usize, sqlx::Error> {
    let due: Vec<(i64, String, String, String, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT id, recipient, subject, body, attachment, attempts, created_at FROM mail_outbox \
         WHERE sent_at IS NULL AND attempts < $1 AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY id LIMIT 50",
    )
    .bind(MAX_ATTEMPTS)
    .bind(now)
    .fetch_all(pool)
    .await?;
    let mut sent = 0;
    for (id, recipient, subject, body, attachment, attempts, created_at) in due {
        // Shutting down: the message being sent was finished; the rest wait, unclaimed, for the
        // next start (or another server).
        if *stop.borrow() {
            break;
        }
        // The time now, not the batch's: a slow send must not leave later claims already expired.
        let now = now.max(super::clock::now());
        // Claim it: only one server wins the update.
        let claimed = sqlx::query(
            "UPDATE mail_outbox SET claimed_until = $1, attempts = attempts + 1 \
             WHERE id = $2 AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $3)",
        )
        .bind(now + CLAIM_SECS)
        .bind(id)
        .bind(now)
        .execute(pool)
        .await?;
        if claimed.rows_affected() != 1 {
            continue;
        }
        let part = match attachment {
            Some(key) => attach(key).await.map(Some),
            None => Ok(None),
        };
        let message_id = message_id(id, created_at, from);
        let result = match part.and_then(|part| build(from, &recipient, &subject, &body, &message_id, part)) {
            Ok(message) => mailer.send(id, message).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                sqlx::query("UPDATE mail_outbox SET sent_at = $1, last_error = NULL WHERE id = $2")
                    .bind(super::clock::now())
                    .bind(id)
                    .execute(pool)
                    .await?;
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(mail = id, attempts = attempts + 1, "mail not sent: {error}");
                // Back off: the next try waits 30 s × attempts.
                sqlx::query("UPDATE mail_outbox SET last_error = $1, claimed_until = $2 WHERE id = $3")
                    .bind(error.chars().take(500).collect::<String>())
                    .bind(now + 30 * (attempts + 1))
                    .bind(id)
                    .execute(pool)
                    .await?;
            }
        }
    }
    Ok(sent)
}

/// The Message-ID of outbox row `id`: the same on every send of the row, so a resend after a
/// crash is the same message to the recipient's mail client; unique across rows and databases
/// (the row's creation time is part of it).
fn message_id(id: i64, created_at: i64, from: &str) -> String {
    let domain = from.rsplit_once('@').map(|(_, d)| d.trim_end_matches('>')).unwrap_or("portal.invalid");
    format!("<outbox.{id}.{created_at}@{domain}>")
}

fn build(
    from: &str,
    to: &str,
    subject: &str,
    body: &str,
    message_id: &str,
    attachment: Option<Attachment>,
) -> Result<Message, String> {
    let builder = Message::builder()
        .message_id(Some(message_id.to_string()))
        .from(from.parse().map_err(|e| format!("sender address: {e}"))?)
        .to(to.parse().map_err(|e| format!("recipient address: {e}"))?)
        .subject(subject);
    match attachment {
        None => builder.header(ContentType::TEXT_PLAIN).body(body.to_string()),
        Some(a) => {
            let kind = ContentType::parse(&a.content_type).map_err(|e| format!("attachment type: {e}"))?;
            builder.multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(body.to_string()))
                    .singlepart(MailPart::new(a.file_name).body(a.bytes, kind)),
            )
        }
    }
    .map_err(|e| e.to_string())
}

/// Mails queued and not sent yet (for `/metrics`).
pub async fn backlog(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL").fetch_one(pool).await?;
    Ok(count)
}

/// Delivers pending mail every second, and at once when `wake` is notified (after an order).
/// Sends the outbox every second, or at once when woken, until `stop` turns true: then it
/// finishes the message in progress (never cut off mid-send, so never sent twice) and returns.
pub async fn follow(
    pool: AnyPool,
    mailer: Mailer,
    from: String,
    attach: Attacher,
    wake: Arc<tokio::sync::Notify>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    while !*stop.borrow() {
        if let Err(e) = deliver_pending(&pool, &mailer, &from, &attach, super::clock::now(), &stop).await {
            tracing::warn!("mail outbox: {e}");
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {},
            _ = wake.notified() => {},
            _ = stop.changed() => {},
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rows_message_id_is_the_same_on_every_send_and_differs_between_rows() {
        let from = "Northwind Supply <orders@northwind.example>";
        assert_eq!(message_id(7, 1_800_000_000, from), "<outbox.7.1800000000@northwind.example>");
        assert_eq!(message_id(7, 1_800_000_000, from), message_id(7, 1_800_000_000, from));
        assert_ne!(message_id(7, 1_800_000_000, from), message_id(8, 1_800_000_000, from));
        assert_eq!(message_id(1, 2, "no address"), "<outbox.1.2@portal.invalid>");
        let message = build(from, "ben@acme.example", "Order", "Thanks", &message_id(7, 5, from), None).unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(text.contains("Message-ID: <outbox.7.5@northwind.example>"), "{text}");
    }
}
