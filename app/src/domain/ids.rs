//! Typed ids: a `CompanyId` cannot be passed where a `LocationId` is expected. A server function
//! takes these as arguments (serde reads the bare number), so an id is typed from the edge on;
//! repository functions that read or change a company's rows take the `CompanyId` beside the id,
//! so a query by id alone does not fit their signature.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A login identity (a person); see `MemberId` for their place in a company.
    UserId,
    CompanyId,
    LocationId,
    MemberId,
    RoleId,
    /// A member's cart at one location.
    CartId,
    /// A shopping list.
    ListId,
    /// An order (buyers see its `OrderNumber`, the id offset by 100,000).
    OrderId,
    QuoteId,
    InvoiceId,
    InvitationId,
    /// A purchase request waiting for an approver.
    ApprovalId,
);
