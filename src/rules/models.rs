//! Placeholder family, filled in by its own change.

use super::registry::declare_rules;
use super::{Context, Sink};

declare_rules! {
    family: "models";
}

/// Checks one payload.
pub fn check(_ctx: &Context<'_>, _sink: &mut Sink<'_>) {}
