//! Russian typography for rendered HTML (placeholder; filled in by the typography work).
