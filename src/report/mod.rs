//! What each command did, as data: commands build these, `render` shows them as text or JSON.
//! One file per command; nothing here prints or touches the machine.

pub mod ca;
pub mod doctor;
pub mod env;
pub mod generate;
pub mod inspect;
pub mod setup;
pub mod trust;
