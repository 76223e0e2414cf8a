//! The `storage!` macro that declares [`Storage`](crate::Storage): every store port as one
//! value, so services take one handle and a backend implements the ports it has. The list of
//! stores is in the crate root, next to the modules, so adding a store touches one file of
//! the domain besides its own.

macro_rules! storage {
    ($($(#[$doc:meta])* $name:ident: $port:path,)*) => {
        /// Every store. Implemented for any type that implements all the store ports (the
        /// SQL backend, the in-memory doubles of the tests).
        pub trait Storage: Send + Sync {
            $(
                $(#[$doc])*
                fn $name(&self) -> &dyn $port;
            )*
        }

        impl<T: $($port +)* 'static> Storage for T {
            $(
                fn $name(&self) -> &dyn $port {
                    self
                }
            )*
        }
    };
}

pub(crate) use storage;
