//! The rules that protect a company while its admins change the team: pure, so they are unit
//! tested here and the service (`backend::team`) only gathers the facts they need.

use super::permission::{Permission, PermissionSet};

/// Why a team change is refused. Each has a translation key under `team.rule`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamRule {
    /// Nobody deactivates themselves (an admin locking themselves out by a slip).
    NotYourself,
    /// The company would have no active member left who can manage the team.
    LastAdmin,
    /// A role may only hold permissions the member granting it holds.
    NotYours(Vec<Permission>),
    /// A role must allow something.
    NoPermissions,
}

impl TeamRule {
    pub fn key(&self) -> &'static str {
        match self {
            TeamRule::NotYourself => "team.rule.not_yourself",
            TeamRule::LastAdmin => "team.rule.last_admin",
            TeamRule::NotYours(_) => "team.rule.not_yours",
            TeamRule::NoPermissions => "team.rule.no_permissions",
        }
    }
}

/// What an admin does to a member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberChange {
    /// A new role (with its permissions); locations may change alongside.
    Role(PermissionSet),
    Deactivate,
    Reactivate,
}

/// The member being changed, as the database has them now.
#[derive(Clone, Debug)]
pub struct Target {
    pub is_self: bool,
    pub active: bool,
    pub permissions: PermissionSet,
}

/// Whether `change` may be made by `actor` (their own permissions) to `target`, in a company
/// with `active_admins` active members who hold `team.manage` (the target among them if so).
pub fn check_member_change(
    actor: &PermissionSet,
    target: &Target,
    change: &MemberChange,
    active_admins: usize,
) -> Result<(), TeamRule> {
    let is_the_last_admin = target.active && target.permissions.allows(Permission::TeamManage) && active_admins <= 1;
    // Nobody changes a member who holds more than they do (a team lead does not demote or
    // deactivate an admin): the same test as granting.
    if !target.is_self {
        may_grant(actor, &target.permissions)?;
    }
    match change {
        MemberChange::Deactivate if target.is_self => Err(TeamRule::NotYourself),
        MemberChange::Deactivate if is_the_last_admin => Err(TeamRule::LastAdmin),
        MemberChange::Role(new) if is_the_last_admin && !new.allows(Permission::TeamManage) => Err(TeamRule::LastAdmin),
        MemberChange::Role(new) => may_grant(actor, new),
        // Reactivating gives back the role the member had, which an admin with fewer
        // permissions than that role could not have granted.
        MemberChange::Reactivate => may_grant(actor, &target.permissions),
        MemberChange::Deactivate => Ok(()),
    }
}

/// A role (new, edited, or given to someone) may hold only what the granter holds.
pub fn may_grant(granter: &PermissionSet, role: &PermissionSet) -> Result<(), TeamRule> {
    let missing = granter.missing_from(role);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(TeamRule::NotYours(missing))
    }
}

/// A custom role's permissions as submitted: at least one, and only the granter's.
pub fn check_role_permissions(granter: &PermissionSet, role: &PermissionSet) -> Result<(), TeamRule> {
    if role.is_empty() {
        return Err(TeamRule::NoPermissions);
    }
    may_grant(granter, role)
}

/// Limits on names people type.
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_ROLE_NAME_CHARS: usize = 60;
pub const MIN_PASSWORD_CHARS: usize = 10;
/// argon2 hashes whatever it is given; a cap keeps a megabyte "password" from costing seconds.
pub const MAX_PASSWORD_BYTES: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooLong,
}

/// A person's or a role's name: trimmed, inner runs of whitespace kept as typed, no control
/// characters, at most `max` characters.
pub fn clean_name(raw: &str, max: usize) -> Result<String, TextError> {
    let name: String = raw.trim().chars().filter(|c| !c.is_control()).collect();
    if name.is_empty() {
        Err(TextError::Empty)
    } else if name.chars().count() > max {
        Err(TextError::TooLong)
    } else {
        Ok(name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordError {
    TooShort,
    TooLong,
}

pub fn check_new_password(password: &str) -> Result<(), PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(PasswordError::TooShort)
    } else if password.len() > MAX_PASSWORD_BYTES {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

/// Mail providers anyone can sign up with: owning an address there proves nothing about a
/// company, so they cannot be verified for joining.
const PUBLIC_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "yahoo.co.jp",
    "yahoo.co.uk",
    "yahoo.fr",
    "yahoo.de",
    "ymail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "gmx.com",
    "web.de",
    "t-online.de",
    "mail.ru",
    "yandex.ru",
    "yandex.com",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "sohu.com",
    "foxmail.com",
    "naver.com",
    "daum.net",
    "hanmail.net",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "softbank.ne.jp",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "libero.it",
    "zoho.com",
    "fastmail.com",
    "hey.com",
    "mail.com",
    "tutanota.com",
    "yopmail.com",
];

/// A domain that cannot be verified for joining: a public provider, or not a domain at all.
pub fn is_public_domain(domain: &str) -> bool {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    PUBLIC_DOMAINS.contains(&domain.as_str()) || !domain.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::permission::BuiltInRole;

    fn set(role: BuiltInRole) -> PermissionSet {
        PermissionSet::new(role.permissions().to_vec())
    }

    fn target(role: BuiltInRole, is_self: bool) -> Target {
        Target { is_self, active: true, permissions: set(role) }
    }

    #[test]
    fn nobody_deactivates_themselves() {
        let admin = set(BuiltInRole::Admin);
        let me = target(BuiltInRole::Admin, true);
        assert_eq!(check_member_change(&admin, &me, &MemberChange::Deactivate, 5), Err(TeamRule::NotYourself));
        let colleague = target(BuiltInRole::Admin, false);
        assert_eq!(check_member_change(&admin, &colleague, &MemberChange::Deactivate, 5), Ok(()));
    }

    #[test]
    fn the_last_active_admin_is_neither_demoted_nor_deactivated() {
        let admin = set(BuiltInRole::Admin);
        let last = target(BuiltInRole::Admin, false);
        let demote = MemberChange::Role(set(BuiltInRole::Buyer));
        assert_eq!(check_member_change(&admin, &last, &demote, 1), Err(TeamRule::LastAdmin));
        assert_eq!(check_member_change(&admin, &last, &MemberChange::Deactivate, 1), Err(TeamRule::LastAdmin));
        // Demoting oneself when one is the last admin is refused too.
        let me = target(BuiltInRole::Admin, true);
        assert_eq!(check_member_change(&admin, &me, &demote, 1), Err(TeamRule::LastAdmin));
        // With a second admin both are fine, and keeping the admin role is always fine.
        assert_eq!(check_member_change(&admin, &last, &demote, 2), Ok(()));
        assert_eq!(check_member_change(&admin, &me, &demote, 2), Ok(()));
        assert_eq!(check_member_change(&admin, &last, &MemberChange::Role(set(BuiltInRole::Admin)), 1), Ok(()));
        // A buyer is nobody's last admin.
        let buyer = target(BuiltInRole::Buyer, false);
        assert_eq!(check_member_change(&admin, &buyer, &MemberChange::Deactivate, 1), Ok(()));
    }

    #[test]
    fn a_member_cannot_grant_what_they_do_not_hold() {
        // A custom role with team.manage but without invoices.view.
        let manager = PermissionSet::new(vec![Permission::TeamManage, Permission::CatalogView, Permission::CartManage]);
        let buyer =
            Target { is_self: false, active: true, permissions: PermissionSet::new(vec![Permission::CatalogView]) };
        let to_finance = MemberChange::Role(set(BuiltInRole::Finance));
        assert_eq!(
            check_member_change(&manager, &buyer, &to_finance, 2),
            Err(TeamRule::NotYours(vec![
                Permission::OrdersApprove,
                Permission::OrdersViewAll,
                Permission::InvoicesView
            ]))
        );
        let to_cart = MemberChange::Role(PermissionSet::new(vec![Permission::CatalogView, Permission::CartManage]));
        assert_eq!(check_member_change(&manager, &buyer, &to_cart, 2), Ok(()));
        // Nor reactivate someone whose role holds more than they do.
        let mut finance = target(BuiltInRole::Finance, false);
        finance.active = false;
        assert!(matches!(
            check_member_change(&manager, &finance, &MemberChange::Reactivate, 2),
            Err(TeamRule::NotYours(_))
        ));
        assert_eq!(check_member_change(&set(BuiltInRole::Admin), &finance, &MemberChange::Reactivate, 2), Ok(()));
    }

    #[test]
    fn nobody_changes_a_member_who_holds_more_than_they_do() {
        let lead = PermissionSet::new(vec![Permission::TeamManage, Permission::CatalogView, Permission::CartManage]);
        let admin = target(BuiltInRole::Admin, false);
        let to_buyer = MemberChange::Role(set(BuiltInRole::Buyer));
        assert!(matches!(check_member_change(&lead, &admin, &to_buyer, 2), Err(TeamRule::NotYours(_))));
        assert!(matches!(check_member_change(&lead, &admin, &MemberChange::Deactivate, 2), Err(TeamRule::NotYours(_))));
    }

    #[test]
    fn a_role_needs_a_permission_and_only_the_granters() {
        let admin = set(BuiltInRole::Admin);
        assert_eq!(check_role_permissions(&admin, &PermissionSet::default()), Err(TeamRule::NoPermissions));
        assert_eq!(check_role_permissions(&admin, &set(BuiltInRole::Buyer)), Ok(()));
        assert!(matches!(check_role_permissions(&set(BuiltInRole::Buyer), &admin), Err(TeamRule::NotYours(_))));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(clean_name("  Site buyer ", MAX_ROLE_NAME_CHARS), Ok("Site buyer".into()));
        assert_eq!(clean_name("   ", MAX_ROLE_NAME_CHARS), Err(TextError::Empty));
        assert_eq!(clean_name(&"é".repeat(61), MAX_ROLE_NAME_CHARS), Err(TextError::TooLong));
        assert_eq!(clean_name(&"é".repeat(60), MAX_ROLE_NAME_CHARS).map(|n| n.chars().count()), Ok(60));
        assert_eq!(clean_name("a\u{0}b\nc", MAX_NAME_CHARS), Ok("abc".into()));
    }

    #[test]
    fn passwords_have_a_floor_and_a_ceiling() {
        assert_eq!(check_new_password("short"), Err(PasswordError::TooShort));
        assert_eq!(check_new_password("long enough!"), Ok(()));
        assert_eq!(check_new_password(&"x".repeat(257)), Err(PasswordError::TooLong));
        // Characters, not bytes, for the floor: ten Japanese characters are enough.
        assert_eq!(check_new_password("パスワードは十文字です"), Ok(()));
    }

    #[test]
    fn public_mail_domains_cannot_be_verified() {
        for d in ["gmail.com", "Outlook.com", "qq.com", "163.com", "yahoo.co.jp", "localhost"] {
            assert!(is_public_domain(d), "{d}");
        }
        assert!(!is_public_domain("acme.example"));
    }
}
