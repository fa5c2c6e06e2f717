//! Slugs (placeholder).
