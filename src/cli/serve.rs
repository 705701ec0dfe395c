//! `vanban serve`: the search page and JSON API on a local address.

use anyhow::Context;
use std::io::Write;
use std::net::SocketAddr;

use super::{Global, EXIT_OK};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on. The default, loopback, is reachable from this computer only;
    /// use 0.0.0.0:8080 to open it to the office network (reading is open to all there;
    /// saving a correction from another computer needs the write token).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Seconds a connection may take to send a request (or stay idle between requests),
    /// and may leave an answer unread, before it is closed.
    #[arg(long, default_value_t = crate::serve::limits::DEFAULT_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Most connections open at once (never more than half the open-file limit); more get
    /// "503, try again" at once.
    #[arg(long, default_value_t = crate::serve::limits::DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// Replaces the write token (the old one stops working at once), prints the new one,
    /// and exits.
    #[arg(long)]
    pub rotate_token: bool,
}

pub fn run(args: &ServeArgs, global: &Global) -> anyhow::Result<i32> {
    let token_file = crate::serve::token::path_in(&global.index);
    if args.rotate_token {
        let token = crate::serve::token::rotate(&global.index).with_context(|| format!("cannot write {}", token_file.display()))?;
        println!("vanban: new write token: {token}\n(kept in {}, readable by this account only; the old token no longer works)", token_file.display());
        return Ok(EXIT_OK);
    }
    let (token, created) = crate::serve::token::load_or_create(&global.index).with_context(|| format!("cannot create the write token {}", token_file.display()))?;
    if created {
        // Printed this once; it stays in the file (mode 0600) for the administrator.
        eprintln!(
            "vanban: write token (needed to save corrections from another computer): {token}\nvanban: kept in {}; `vanban serve --rotate-token` replaces it",
            token_file.display()
        );
    }
    if !global.index.join("meta.json").exists() {
        eprintln!(
            "vanban: note: there is no index in {} yet; pages will say so until `vanban ingest FOLDER` has run",
            global.index.display()
        );
    }
    if !args.addr.ip().is_loopback() {
        eprintln!("vanban: warning: {} is reachable from other computers: anyone there can read the archive; saving corrections needs the write token", args.addr);
    }
    let limits = crate::serve::Limits { timeout: std::time::Duration::from_secs(args.timeout), max_connections: args.max_connections };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(crate::serve::limits::BLOCKING_THREADS)
        .enable_all()
        .build()
        .context("cannot start the server runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}: is another program (or vanban serve) using it?", args.addr))?;
        let bound = listener.local_addr().context("cannot read the listening address")?;
        // Tests and scripts read this first line to find a port chosen with :0.
        println!("vanban: serving {} on http://{bound}/ (Ctrl+C to stop)", global.index.display());
        let _ = std::io::stdout().flush();
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        crate::serve::serve(listener, global.index.clone(), limits, shutdown).await.context("the server stopped")
    })?;
    Ok(EXIT_OK)
}
