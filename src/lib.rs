//! doisoat
