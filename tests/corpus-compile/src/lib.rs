//! Every corpus spec the generator accepts, compiled under `#![deny(warnings)]`.
//! `GENERATED` lists them; `REFUSED` gives each other file's first diagnostic.
#![deny(warnings)]

include!(concat!(env!("OUT_DIR"), "/corpus.rs"));
