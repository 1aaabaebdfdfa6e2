//! End-to-end feature tests live in `tests/`, each expanding its own spec from `specs/`.
