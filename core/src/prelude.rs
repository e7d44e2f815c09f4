//! Names from `alloc` that every file uses, so files read the same as with std.
#![allow(unused_imports)]

pub use alloc::{
    borrow::ToOwned,
    boxed::Box,
    format,
    string::{String, ToString},
    sync::Arc,
    vec,
    vec::Vec,
};
