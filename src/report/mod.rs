//! What each command did, as data: commands build these, `render` shows them as text or JSON.
//! One file per command; nothing here prints or touches the machine.

pub(crate) mod ca;
pub(crate) mod doctor;
pub(crate) mod env;
pub(crate) mod export;
pub(crate) mod generate;
pub(crate) mod inspect;
pub(crate) mod list;
pub(crate) mod proxy;
pub(crate) mod renew;
pub(crate) mod setup;
pub(crate) mod share;
pub(crate) mod trust;
