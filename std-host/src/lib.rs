//! Folio's std host: the `.wast` driver, the `spectest` module, and the virtual-reservation
//! page store.
