//! Conversions named by field links (filled in below).
