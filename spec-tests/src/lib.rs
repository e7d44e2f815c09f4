//! Spec-suite runner helpers.
