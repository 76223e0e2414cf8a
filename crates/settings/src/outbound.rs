//! Requests Hearth sends to URLs users name (web pages fetched for retrieval): which targets
//! they may reach and how much they may read, with Open WebUI's variables.

use crate::parse;
use clap::Args;
use std::time::Duration;

/// Where user-steered requests may go.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct OutboundSettings {
    /// Let user-steered requests reach loopback, private and link-local addresses (the cloud
    /// metadata addresses of the block list stay refused).
    #[arg(id = "ENABLE_LOCAL_WEB_FETCH", long = "enable-local-web-fetch", env = "ENABLE_LOCAL_WEB_FETCH", value_name = "ENABLE_LOCAL_WEB_FETCH", value_parser = parse::flag)]
    pub enable_local_web_fetch: Option<bool>,
    /// The older name of ENABLE_LOCAL_WEB_FETCH (used when that one is unset).
    #[arg(id = "ENABLE_RAG_LOCAL_WEB_FETCH", long = "enable-rag-local-web-fetch", env = "ENABLE_RAG_LOCAL_WEB_FETCH", value_name = "ENABLE_RAG_LOCAL_WEB_FETCH", default_value = "false", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub enable_rag_local_web_fetch: bool,
    /// Comma-separated filter entries: a host (covers its subdomains), an address or a CIDR
    /// range; `!` in front blocks it. Host entries without `!` form an allow-list; an address
    /// or range without `!` may be reached even while local fetching is off.
    #[arg(id = "WEB_FETCH_FILTER_LIST", long = "web-fetch-filter-list", env = "WEB_FETCH_FILTER_LIST", value_name = "WEB_FETCH_FILTER_LIST", default_value = "", value_parser = parse::comma_list)]
    pub web_fetch_filter_list: crate::List,
    /// Seconds a fetch may take, connection to last byte.
    #[arg(id = "WEB_FETCH_TIMEOUT", long = "web-fetch-timeout", env = "WEB_FETCH_TIMEOUT", value_name = "WEB_FETCH_TIMEOUT", default_value = "30", value_parser = parse::positive_seconds)]
    pub web_fetch_timeout: Duration,
    /// Bytes a fetched page may have.
    #[arg(
        id = "WEB_FETCH_MAX_BYTES",
        long = "web-fetch-max-bytes",
        env = "WEB_FETCH_MAX_BYTES",
        value_name = "WEB_FETCH_MAX_BYTES",
        default_value = "10485760"
    )]
    pub web_fetch_max_bytes: usize,
    /// Redirects a fetch follows (each target checked again).
    #[arg(
        id = "WEB_FETCH_MAX_REDIRECTS",
        long = "web-fetch-max-redirects",
        env = "WEB_FETCH_MAX_REDIRECTS",
        value_name = "WEB_FETCH_MAX_REDIRECTS",
        default_value = "5"
    )]
    pub web_fetch_max_redirects: usize,
}

impl OutboundSettings {
    /// Whether local targets are allowed (ENABLE_LOCAL_WEB_FETCH, else its older name).
    pub fn local_fetch(&self) -> bool {
        self.enable_local_web_fetch
            .unwrap_or(self.enable_rag_local_web_fetch)
    }
}
