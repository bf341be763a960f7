//! Invitations: an admin invites an address with a role and locations; the mail carries a
//! single-use link whose token is random and stored only as its SHA-256; it expires after 7
//! days, can be resent (new token, the old link dies) and revoked. Accepting creates the account
//! (or, for an address that has one, checks its password) and the membership in one transaction
//! that first closes the invitation, so a replayed accept finds it closed.

use super::audit::{self, Action, Who};
use super::{company_locations, repo, InvitationRow};
use crate::backend::auth;
use crate::backend::platform::clock::now;
use crate::backend::platform::guard::Actor;
use crate::backend::platform::state::AppState;
use crate::backend::platform::{mail, password, rate, session};
use crate::domain::email::Email;
use crate::domain::ids::{CompanyId, InvitationId, LocationId, RoleId};
use crate::domain::team::{check_new_password, clean_name, PasswordError, TextError, MAX_NAME_CHARS};
use crate::error::AppError;
use crate::i18n::{tr, Locale};

pub const VALID_SECS: i64 = 7 * 86_400;

pub async fn pending(state: &AppState, actor: &Actor) -> Result<Vec<InvitationRow>, AppError> {
    Ok(repo::pending_invitations(&state.pool, actor.company_id()).await?)
}

/// An address an invitation can go to: `Email::parse`, and a domain with a dot.
pub fn invitable(raw: &str) -> Result<Email, AppError> {
    Email::parse(raw)
        .ok()
        .filter(|e| e.domain().contains('.') && !e.domain().starts_with('.') && !e.domain().ends_with('.'))
        .ok_or_else(|| AppError::invalid("email", "team.invite.email_invalid"))
}

pub async fn invite(
    state: &AppState,
    actor: &Actor,
    email: &str,
    role: RoleId,
    locations: &[LocationId],
    locale: &str,
) -> Result<InvitationId, AppError> {
    let company = actor.company_id();
    let email = invitable(email)?;
    let locale = Locale::parse(locale).ok_or_else(|| AppError::invalid("locale", "prefs.locale.unknown"))?;
    let role = super::grantable_role(state, actor, role).await?;
    let locations = company_locations(state, company, locations).await?;
    let at = now();
    // The address's membership here, if any (this company's own data, so the admin may know).
    let user = auth::repo::find_user_by_email(&state.pool, &email).await?;
    if let Some(user) = &user {
        match repo::membership_of(&state.pool, company, user.id).await? {
            Some((_, true)) => return Err(AppError::invalid("email", "team.invite.already_member")),
            Some((_, false)) => return Err(AppError::invalid("email", "team.invite.deactivated_member")),
            None => {}
        }
    }
    rate::take(
        &state.pool,
        &[(rate::INVITE_PER_ADMIN, &actor.member_id.0.to_string()), (rate::INVITE_PER_COMPANY, &company.0.to_string())],
    )
    .await?;
    let token = session::new_token();
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    if repo::pending_invitation_for(&mut tx, company, email.as_str(), at).await?.is_some() {
        return Err(AppError::invalid("email", "team.invite.already_invited"));
    }
    let id = repo::insert_invitation(
        &mut tx,
        company,
        email.as_str(),
        role.id,
        locale.tag(),
        actor.member_id,
        &session::hash_token(&token),
        &locations,
        at,
        at + VALID_SECS,
    )
    .await?;
    let who = Who::user(&mut tx, actor.user_id).await?;
    audit::record(&mut tx, company, &who, Action::Invited, email.as_str(), &role.name, at).await?;
    queue_mail(state, &mut tx, company, &who.name, email.as_str(), locale, &token, at).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn queue_mail(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    company: CompanyId,
    inviter: &str,
    email: &str,
    locale: Locale,
    token: &str,
    at: i64,
) -> Result<(), AppError> {
    let company_name = repo::company(&state.pool, company).await?.map(|c| c.name).unwrap_or_default();
    let link = format!("{}/invitations/{token}", state.auth.public_url);
    let subject = tr!(locale, "mail.invite.subject", company = company_name.as_str());
    let body = format!(
        "{}\n\n{link}\n\n{}\n",
        tr!(locale, "mail.invite.body", inviter = inviter, company = company_name.as_str()),
        tr!(locale, "mail.invite.expiry", count = 7)
    );
    mail::enqueue(tx, email, &subject, &body, at).await?;
    Ok(())
}

/// A new link for a pending invitation; the old one stops working.
pub async fn resend(state: &AppState, actor: &Actor, id: InvitationId) -> Result<(), AppError> {
    let company = actor.company_id();
    let invitation = repo::invitation(&state.pool, company, id).await?.ok_or(AppError::NotFound)?;
    if invitation.status != "pending" {
        return Err(AppError::invalid("", "team.invite.not_pending"));
    }
    rate::take(
        &state.pool,
        &[(rate::INVITE_PER_ADMIN, &actor.member_id.0.to_string()), (rate::INVITE_PER_COMPANY, &company.0.to_string())],
    )
    .await?;
    let token = session::new_token();
    let at = now();
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    if !repo::renew_invitation(&mut tx, company, id, &session::hash_token(&token), at + VALID_SECS).await? {
        return Err(AppError::invalid("", "team.invite.not_pending"));
    }
    let who = Who::user(&mut tx, actor.user_id).await?;
    audit::record(&mut tx, company, &who, Action::InvitationResent, &invitation.email, "", at).await?;
    let locale = Locale::parse(&invitation.locale).unwrap_or_default();
    queue_mail(state, &mut tx, company, &who.name, &invitation.email, locale, &token, at).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

pub async fn revoke(state: &AppState, actor: &Actor, id: InvitationId) -> Result<(), AppError> {
    let company = actor.company_id();
    let invitation = repo::invitation(&state.pool, company, id).await?.ok_or(AppError::NotFound)?;
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    if !repo::close_invitation(&mut tx, company, id, "revoked").await? {
        return Err(AppError::invalid("", "team.invite.not_pending"));
    }
    let who = Who::user(&mut tx, actor.user_id).await?;
    audit::record(&mut tx, company, &who, Action::InvitationRevoked, &invitation.email, "", now()).await?;
    tx.commit().await?;
    Ok(())
}

/// What the accept page shows.
#[derive(Clone, Debug)]
pub struct Invitation {
    pub row: InvitationRow,
    pub company_name: String,
    /// The address already has an account: the page asks for its password instead of a new one.
    pub has_account: bool,
}

/// Used, revoked, expired, unknown and malformed tokens all answer this one error.
pub fn no_longer_valid() -> AppError {
    AppError::invalid("", "invitation.invalid")
}

/// The pending, unexpired invitation behind a token (exactly 64 lowercase hex characters:
/// another case or extra characters are simply not a token).
pub async fn by_token(state: &AppState, token: &str) -> Result<Invitation, AppError> {
    if !session::well_formed(token) {
        return Err(no_longer_valid());
    }
    let row = repo::invitation_by_hash(&state.pool, &session::hash_token(token))
        .await?
        .filter(|i| i.status == "pending" && i.expires_at > now())
        .ok_or_else(no_longer_valid)?;
    let company_name = repo::company(&state.pool, row.company_id).await?.map(|c| c.name).unwrap_or_default();
    let email = Email::parse(&row.email).map_err(|_| no_longer_valid())?;
    let has_account = auth::repo::find_user_by_email(&state.pool, &email).await?.is_some();
    Ok(Invitation { row, company_name, has_account })
}

pub fn name_error(e: TextError) -> AppError {
    AppError::invalid("name", if e == TextError::Empty { "account.name_empty" } else { "account.name_long" })
}

pub fn password_error(e: PasswordError) -> AppError {
    AppError::invalid(
        "password",
        if e == PasswordError::TooShort { "account.password_short" } else { "account.password_long" },
    )
}

/// Accepts: a new person gives a name and a password; an existing account its password. Returns
/// a session token for the invited company.
pub async fn accept(
    state: &AppState,
    token: &str,
    name: &str,
    new_password: &str,
    ip: &str,
) -> Result<String, AppError> {
    let invitation = by_token(state, token).await?;
    let email = Email::parse(&invitation.row.email).map_err(|_| no_longer_valid())?;
    let existing = auth::repo::find_user_by_email(&state.pool, &email).await?;
    let at = now();
    let user_id = match &existing {
        Some(user) => {
            // The same lockout as sign-in: this form must not become a way around it.
            auth::check_password(state, &email, &user.password_hash, new_password, ip).await?;
            Some(user.id)
        }
        None => None,
    };
    let new_user = match user_id {
        Some(_) => None,
        None => {
            let name = clean_name(name, MAX_NAME_CHARS).map_err(name_error)?;
            check_new_password(new_password).map_err(password_error)?;
            Some((name, password::hash(new_password.to_string()).await?))
        }
    };
    let company = invitation.row.company_id;
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    // First statement: a replayed or concurrent accept finds the invitation closed.
    if !repo::close_invitation(&mut tx, company, invitation.row.id, "accepted").await? {
        return Err(no_longer_valid());
    }
    let user_id = match (user_id, new_user) {
        (Some(id), _) => id,
        // None: the address got an account meanwhile (another invitation): start over.
        (None, Some((name, hash))) => {
            auth::repo::insert_user(&mut tx, &email, &name, &hash, Some(&invitation.row.locale), at)
                .await?
                .ok_or_else(no_longer_valid)?
        }
        (None, None) => return Err(no_longer_valid()),
    };
    match repo::membership_of(&mut *tx, company, user_id).await? {
        Some((member, _)) => {
            // Already a member (invited twice): the invitation's role and locations apply.
            repo::set_member_role(&mut tx, company, member, invitation.row.role_id).await?;
            repo::set_member_locations(&mut tx, company, member, &invitation.row.locations).await?;
            repo::set_member_active(&mut tx, company, member, true).await?;
        }
        None => {
            repo::insert_member(&mut tx, company, user_id, invitation.row.role_id, &invitation.row.locations, at)
                .await?;
        }
    }
    let who = Who::user(&mut tx, user_id).await?;
    audit::record(&mut tx, company, &who, Action::InvitationAccepted, email.as_str(), &invitation.row.role_name, at)
        .await?;
    tx.commit().await?;
    let location = invitation.row.locations.first().copied();
    let token = session::create(&state.pool, user_id, Some(company), location, state.auth.session_ttl_secs).await?;
    auth::repo::touch_sign_in(&state.pool, user_id).await?;
    Ok(token)
}
