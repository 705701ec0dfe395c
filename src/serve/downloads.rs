//! Downloads: the cross-reference list of the whole archive or of one search, and the
//! missing-documents list, as CSV (with a byte-order mark, for Excel) or JSON.
//!
//! The cross-reference list is streamed: a blocking task reads one record at a time and
//! sends the encoded rows through a small channel, so a download costs the memory of one
//! record whatever the archive's size (issue 16: 200 concurrent downloads held 6 GB).
//! Downloads take turns ([`super::limits::Heavy`]); a client that stops reading for the
//! connection timeout ends its download and frees its turn.

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashSet;
use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

use super::failure::{ApiFailure, Failure};
use super::pages::bad_query;
use super::state::AppState;
use super::views::{self, SearchForm};
use crate::export::{archive_cross_references, archive_missing_documents, write_row_stream, write_rows, Format};

/// Bytes gathered before a chunk is sent to the client.
const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks buffered between the reading task and the connection.
const CHUNKS_IN_FLIGHT: usize = 4;
/// A download whose client takes longer than this to accept the next chunk is abandoned.
const SEND_PATIENCE: Duration = Duration::from_secs(60);

#[derive(Debug, Deserialize)]
pub struct ExportParams {
    #[serde(default)]
    format: String,
    /// The search to export; all empty means the whole archive.
    #[serde(flatten)]
    search: SearchForm,
}

fn format(text: &str) -> Result<(Format, &'static str, &'static str), Failure> {
    match text.trim() {
        "" | "csv" => Ok((Format::Csv, "text/csv; charset=utf-8", "csv")),
        "json" => Ok((Format::Json, "application/json", "json")),
        other => Err(Failure::bad_request(format!("Định dạng “{other}” không có: hãy chọn csv hoặc json."))),
    }
}

pub async fn cross_references_download(
    State(state): State<AppState>,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Result<Response, ApiFailure> {
    let Query(params) = params.map_err(bad_query)?;
    let (format, content_type, extension) = format(&params.format)?;
    let whole = params.search.is_blank();
    let turn = state.heavy().turn().await?;
    let (started_tx, started_rx) = oneshot::channel::<Result<(), Failure>>();
    let (chunks_tx, chunks_rx) = mpsc::channel::<std::io::Result<Bytes>>(CHUNKS_IN_FLIGHT);
    let runtime = tokio::runtime::Handle::current();
    let task_state = state.clone();
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        // Everything that can fail with a message (a bad query, no index) fails before the
        // first byte, so that the client gets a status, not a cut file.
        let prepared = (|| {
            let archive = task_state.archive()?;
            let wanted: Option<HashSet<String>> = if whole {
                None
            } else {
                Some(views::matching_record_ids(&archive, &params.search)?.into_iter().collect())
            };
            Ok((archive, wanted))
        })();
        let (archive, wanted) = match prepared {
            Ok(ready) => ready,
            Err(failure) => {
                let _ = started_tx.send(Err(failure));
                return;
            }
        };
        // Whether a cited document is in the archive looks at the whole archive, not
        // just at the documents the search matched.
        let rows = match archive_cross_references(&archive, wanted) {
            Ok(rows) => rows,
            Err(err) => {
                let _ = started_tx.send(Err(Failure::internal(&err)));
                return;
            }
        };
        let _ = started_tx.send(Ok(()));
        let mut sink = ChunkSink { buffer: Vec::with_capacity(CHUNK_BYTES), chunks: chunks_tx.clone(), runtime };
        let written = write_row_stream(rows, format, true, &mut sink).and_then(|_| Ok(sink.flush()?));
        if let Err(err) = written {
            if !sink.chunks.is_closed() {
                tracing::error!("a download stopped: {err:#}");
                // The client sees the download fail rather than end early as if complete.
                let _ = sink.runtime.block_on(chunks_tx.send(Err(std::io::Error::other(format!("{err:#}")))));
            }
        }
    });
    match started_rx.await {
        Ok(Ok(())) => {}
        Ok(Err(failure)) => return Err(failure.into()),
        Err(_) => return Err(Failure::internal(&anyhow::anyhow!("the download stopped before it started")).into()),
    }
    let name = if whole { "vanban-trich-dan" } else { "vanban-trich-dan-ket-qua-tim-kiem" };
    let body = Body::from_stream(Chunks(chunks_rx));
    Ok(attachment(body, content_type, &format!("{name}.{extension}")))
}

pub async fn missing(State(state): State<AppState>, params: Result<Query<ExportParams>, QueryRejection>) -> Result<Response, ApiFailure> {
    let Query(params) = params.map_err(bad_query)?;
    let (format, content_type, extension) = format(&params.format)?;
    let turn = state.heavy().turn().await?;
    let bytes = state
        .with_archive(move |_, archive| {
            let _turn = turn;
            // One row per missing document: small beside the records, which are read one
            // at a time.
            let rows = archive_missing_documents(archive).map_err(|err| Failure::internal(&err))?;
            let mut bytes = Vec::new();
            write_rows(&rows, format, true, &mut bytes).map_err(|err| Failure::internal(&err))?;
            Ok(bytes)
        })
        .await?;
    Ok(attachment(Body::from(bytes), content_type, &format!("vanban-van-ban-con-thieu.{extension}")))
}

fn attachment(body: Body, content_type: &'static str, file_name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response()
}

/// The writing end of a download, on the blocking task: gathers bytes into chunks and
/// hands each to the connection, waiting (at most [`SEND_PATIENCE`]) while the client is
/// behind. A client gone or stalled makes the next write fail, which ends the export.
struct ChunkSink {
    buffer: Vec<u8>,
    chunks: mpsc::Sender<std::io::Result<Bytes>>,
    runtime: tokio::runtime::Handle,
}

impl ChunkSink {
    fn send_buffer(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK_BYTES)));
        let sent = self.runtime.block_on(tokio::time::timeout(SEND_PATIENCE, self.chunks.send(Ok(chunk))));
        match sent {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")),
            Err(_) => Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "the client stopped reading")),
        }
    }
}

impl Write for ChunkSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send_buffer()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send_buffer()
    }
}

/// The reading end: the chunks as the response body's stream.
struct Chunks(mpsc::Receiver<std::io::Result<Bytes>>);

impl futures_core::Stream for Chunks {
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}
