//! The global allocator server binaries install: mimalloc, with its arenas committed as they
//! are used.
//!
//! glibc's malloc and free were a fifth of the gateway's instructions per proxied request;
//! with mimalloc the whole request takes 15% fewer (BENCHMARKS.md, callgrind). Out of the
//! box, mimalloc commits its whole first arena up front wherever the OS overcommits (Linux):
//! the server then sat at 18 MiB idle instead of 8, peaked at 46 MiB instead of 34 under 256
//! connections, and its p99 latency doubled. Committing on demand keeps the speed without
//! that cost.
//!
//! The one module of the workspace allowed `unsafe`: a `GlobalAlloc` is an unsafe trait, and
//! mimalloc's options are set through its C API.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, Ordering};

use libmimalloc_sys::{mi_option_get, mi_option_set, mi_option_t};
use mimalloc::MiMalloc;

/// `mi_option_arena_eager_commit` (its place in mimalloc's `mi_option_e`, v2 and v3 alike;
/// the Rust bindings name it only for v2).
const ARENA_EAGER_COMMIT: mi_option_t = 4;

/// mimalloc's default for it: commit eagerly where the OS overcommits.
const EAGER_IF_OVERCOMMIT: std::ffi::c_long = 2;

/// `#[global_allocator] static ALLOCATOR: naftiko::Allocator = naftiko::Allocator;`
///
/// mimalloc, with arenas committed on demand unless the environment says otherwise
/// (`MIMALLOC_ARENA_EAGER_COMMIT=1`; mimalloc reads its environment when the process loads,
/// before the first allocation sets this default).
#[derive(Debug, Clone, Copy, Default)]
pub struct Allocator;

static CONFIGURED: AtomicBool = AtomicBool::new(false);

impl Allocator {
    /// Before the first allocation (the first arena is reserved by it); after that, one
    /// relaxed load per allocation.
    #[inline]
    fn configure() {
        if !CONFIGURED.load(Ordering::Relaxed) {
            configure_once();
        }
    }
}

#[cold]
fn configure_once() {
    // SAFETY: option reads and writes are plain stores into mimalloc's option table, valid
    // at any time; a second thread racing here writes the same value.
    unsafe {
        if mi_option_get(ARENA_EAGER_COMMIT) == EAGER_IF_OVERCOMMIT {
            mi_option_set(ARENA_EAGER_COMMIT, 0);
        }
    }
    CONFIGURED.store(true, Ordering::Relaxed);
}

// SAFETY: every call goes to mimalloc's own `GlobalAlloc`, with the caller's arguments.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::configure();
        // SAFETY: forwarded as received.
        unsafe { MiMalloc.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::configure();
        // SAFETY: forwarded as received.
        unsafe { MiMalloc.alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as received; `ptr` came from `alloc` above, that is mimalloc.
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`.
        unsafe { MiMalloc.realloc(ptr, layout, new_size) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The library's own test binary runs on it.
    #[global_allocator]
    static ALLOCATOR: Allocator = Allocator;

    #[test]
    fn arenas_are_committed_on_demand_unless_the_environment_chose() {
        let v = vec![1u8; 1 << 20];
        assert_eq!(v.iter().map(|&b| usize::from(b)).sum::<usize>(), 1 << 20);
        // SAFETY: a read of mimalloc's option table.
        let option = unsafe { mi_option_get(ARENA_EAGER_COMMIT) };
        match std::env::var("MIMALLOC_ARENA_EAGER_COMMIT") {
            Ok(set) if set == "1" => assert_eq!(option, 1),
            _ => assert_eq!(option, 0),
        }
    }
}
