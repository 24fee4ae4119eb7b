//! The JavaScript binding (being written).
