//! Pure domain types shared by server and browser: no I/O, no framework, unit tested.

pub mod approval;
pub mod email;
pub mod ids;
pub mod invoice;
pub mod money;
pub mod order;
pub mod order_entry;
pub mod permission;
pub mod pricing;
pub mod quote;
pub mod return_to;
pub mod team;
