//! Permissions and the built-in roles. A Role is a named set of Permissions; the string form of a
//! permission is the product's (`orders.place`) and is what the database stores.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Permission {
    /// See the company's catalog and prices.
    CatalogView,
    /// Build and edit carts.
    CartManage,
    /// Place orders without approval.
    OrdersPlace,
    /// Approve colleagues' orders that wait for approval.
    OrdersApprove,
    /// See every order of the company, not just one's own.
    OrdersViewAll,
    /// Ask for quotes.
    QuotesRequest,
    /// Invite teammates, set roles, locations and spending limits.
    TeamManage,
    /// See invoices, balances and credit.
    InvoicesView,
    /// Accept a quote the merchant answered, turning it into an order.
    QuotesAccept,
    /// See every quote of the company, not just one's own.
    QuotesViewAll,
    /// Set approval rules and spending limits.
    ApprovalsManage,
    /// Read the company's audit log.
    AuditView,
}

/// The groups a role editor shows permissions in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Area {
    Catalog,
    Cart,
    Orders,
    Approvals,
    Quotes,
    Invoices,
    Team,
}

impl Area {
    pub const ALL: [Area; 7] =
        [Area::Catalog, Area::Cart, Area::Orders, Area::Approvals, Area::Quotes, Area::Invoices, Area::Team];

    pub fn code(self) -> &'static str {
        match self {
            Area::Catalog => "catalog",
            Area::Cart => "cart",
            Area::Orders => "orders",
            Area::Approvals => "approvals",
            Area::Quotes => "quotes",
            Area::Invoices => "invoices",
            Area::Team => "team",
        }
    }

    /// This area's permissions, in the order a role editor lists them.
    pub fn permissions(self) -> impl Iterator<Item = Permission> {
        Permission::ALL.into_iter().filter(move |p| p.area() == self)
    }
}

impl Permission {
    pub const ALL: [Permission; 12] = [
        Permission::CatalogView,
        Permission::CartManage,
        Permission::OrdersPlace,
        Permission::OrdersApprove,
        Permission::OrdersViewAll,
        Permission::QuotesRequest,
        Permission::TeamManage,
        Permission::InvoicesView,
        Permission::QuotesAccept,
        Permission::QuotesViewAll,
        Permission::ApprovalsManage,
        Permission::AuditView,
    ];

    pub fn area(self) -> Area {
        match self {
            Permission::CatalogView => Area::Catalog,
            Permission::CartManage => Area::Cart,
            Permission::OrdersPlace | Permission::OrdersViewAll => Area::Orders,
            Permission::OrdersApprove | Permission::ApprovalsManage => Area::Approvals,
            Permission::QuotesRequest | Permission::QuotesAccept | Permission::QuotesViewAll => Area::Quotes,
            Permission::InvoicesView => Area::Invoices,
            Permission::TeamManage | Permission::AuditView => Area::Team,
        }
    }

    /// The translation key of its plain-language description: `permissions.<code with _>`.
    pub fn description_key(self) -> String {
        format!("permissions.{}", self.code().replace('.', "_"))
    }

    pub fn code(self) -> &'static str {
        match self {
            Permission::CatalogView => "catalog.view",
            Permission::CartManage => "cart.manage",
            Permission::OrdersPlace => "orders.place",
            Permission::OrdersApprove => "orders.approve",
            Permission::OrdersViewAll => "orders.view_all",
            Permission::QuotesRequest => "quotes.request",
            Permission::TeamManage => "team.manage",
            Permission::InvoicesView => "invoices.view",
            Permission::QuotesAccept => "quotes.accept",
            Permission::QuotesViewAll => "quotes.view_all",
            Permission::ApprovalsManage => "approvals.manage",
            Permission::AuditView => "audit.view",
        }
    }

    /// Unknown codes (say, from a newer release's custom role) are ignored by callers, never
    /// mapped to some other permission.
    pub fn parse(code: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// The roles every company starts with. Custom roles are rows with their own permission sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BuiltInRole {
    Admin,
    Buyer,
    Requester,
    Finance,
}

impl BuiltInRole {
    pub const ALL: [BuiltInRole; 4] =
        [BuiltInRole::Admin, BuiltInRole::Buyer, BuiltInRole::Requester, BuiltInRole::Finance];

    pub fn code(self) -> &'static str {
        match self {
            BuiltInRole::Admin => "admin",
            BuiltInRole::Buyer => "buyer",
            BuiltInRole::Requester => "requester",
            BuiltInRole::Finance => "finance",
        }
    }

    pub fn parse(code: &str) -> Option<BuiltInRole> {
        BuiltInRole::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The product's definition of each built-in role.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            BuiltInRole::Admin => &Permission::ALL,
            BuiltInRole::Buyer => &[CatalogView, CartManage, OrdersPlace, QuotesRequest, QuotesAccept],
            // A Requester builds carts, but an approver must say yes before they become orders.
            BuiltInRole::Requester => &[CatalogView, CartManage, QuotesRequest],
            // Finance approves spending (the demo rule "over 25,000 USD: Admin, then Finance").
            BuiltInRole::Finance => &[CatalogView, OrdersViewAll, OrdersApprove, InvoicesView],
        }
    }
}

/// The permissions a member holds, as loaded from their role.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionSet(Vec<Permission>);

impl PermissionSet {
    pub fn new(mut permissions: Vec<Permission>) -> PermissionSet {
        permissions.sort();
        permissions.dedup();
        PermissionSet(permissions)
    }

    /// Parses stored codes, skipping any this build does not know.
    pub fn from_codes<'a, I: IntoIterator<Item = &'a str>>(codes: I) -> PermissionSet {
        PermissionSet::new(codes.into_iter().filter_map(Permission::parse).collect())
    }

    pub fn allows(&self, permission: Permission) -> bool {
        self.0.binary_search(&permission).is_ok()
    }

    pub fn iter(&self) -> impl Iterator<Item = Permission> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// What `other` holds that this set does not.
    pub fn missing_from(&self, other: &PermissionSet) -> Vec<Permission> {
        other.iter().filter(|p| !self.allows(*p)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_are_the_products_and_round_trip() {
        assert_eq!(Permission::OrdersPlace.code(), "orders.place");
        assert_eq!(Permission::OrdersViewAll.code(), "orders.view_all");
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.code()), Some(p));
        }
        assert_eq!(Permission::parse("orders.PLACE"), None);
        assert_eq!(Permission::parse(""), None);
    }

    #[test]
    fn requester_cannot_place_orders_but_buyer_can() {
        let requester = PermissionSet::new(BuiltInRole::Requester.permissions().to_vec());
        let buyer = PermissionSet::new(BuiltInRole::Buyer.permissions().to_vec());
        assert!(!requester.allows(Permission::OrdersPlace));
        assert!(requester.allows(Permission::CartManage));
        assert!(buyer.allows(Permission::OrdersPlace));
        assert!(!buyer.allows(Permission::TeamManage));
    }

    #[test]
    fn only_admin_manages_the_team_and_only_admin_and_finance_see_invoices() {
        for role in BuiltInRole::ALL {
            let set = PermissionSet::new(role.permissions().to_vec());
            assert_eq!(set.allows(Permission::TeamManage), role == BuiltInRole::Admin, "{role:?}");
            assert_eq!(
                set.allows(Permission::InvoicesView),
                matches!(role, BuiltInRole::Admin | BuiltInRole::Finance),
                "{role:?}"
            );
        }
    }

    #[test]
    fn unknown_stored_codes_grant_nothing() {
        let set = PermissionSet::from_codes(["orders.place", "root.everything", "ORDERS.APPROVE"]);
        assert!(set.allows(Permission::OrdersPlace));
        assert!(!set.allows(Permission::OrdersApprove));
        assert_eq!(set.iter().count(), 1);
    }

    #[test]
    fn every_permission_has_one_area_and_every_area_a_permission() {
        for area in Area::ALL {
            assert!(area.permissions().count() > 0, "{area:?}");
        }
        let listed: usize = Area::ALL.iter().map(|a| a.permissions().count()).sum();
        assert_eq!(listed, Permission::ALL.len());
        assert_eq!(Permission::AuditView.description_key(), "permissions.audit_view");
    }

    proptest! {
        #[test]
        fn a_set_allows_exactly_what_it_was_given(mask in 0u16..4096) {
            let given: Vec<Permission> = Permission::ALL.iter().enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0).map(|(_, p)| *p).collect();
            let set = PermissionSet::new(given.clone());
            for p in Permission::ALL {
                prop_assert_eq!(set.allows(p), given.contains(&p));
            }
        }
    }
}
