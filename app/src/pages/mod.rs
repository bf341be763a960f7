//! One module per route. Pages import `api`, `domain`, `components`, never `backend` nor another
//! page: what two pages share is a component (the `architecture` tests check both).

pub mod account;
pub mod approvals;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod invitation;
pub mod invoices;
pub mod lists;
pub mod login;
pub mod not_found;
pub mod orders;
pub mod product;
pub mod quick_order;
pub mod quotes;
pub mod search;
pub mod search_desk;
pub mod staff;
pub mod team;
