//! Export: the cross-reference list (who cites whom) and the missing-documents list,
//! as CSV, JSON or JSONL.
//!
//! (Skeleton: the index owner fills this module.)
