//! Reading a request's body: within the size limit, and without waiting on a client that
//! stopped sending.

use crate::error::{ApiError, ErrorKind};
use axum::body::{Body, Bytes, HttpBody};
use bytes::BytesMut;
use std::pin::Pin;
use std::time::Duration;

/// The whole body, or 413 past `limit` bytes, or 408 when no byte arrives for `stall`.
///
/// The time limit is on progress, not on the whole body: a large upload on a slow link
/// that keeps moving is never cut, a client that stops is.
pub async fn read_body(mut body: Body, limit: usize, stall: Duration) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            ErrorKind::RequestEntityTooLarge,
            format!("The request body exceeds the limit of {limit} bytes."),
        )
    };
    if body.size_hint().lower() > u64::try_from(limit).unwrap_or(u64::MAX) {
        return Err(too_large());
    }
    // Most bodies come in one frame, which is kept as it is.
    let mut first: Option<Bytes> = None;
    let mut joined: Option<BytesMut> = None;
    loop {
        let next = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx));
        let frame = match tokio::time::timeout(stall, next).await {
            Err(_) => {
                return Err(ApiError::new(
                    ErrorKind::RequestTimeout,
                    format!(
                        "No part of the request body arrived for {} ms.",
                        stall.as_millis()
                    ),
                ));
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                tracing::debug!(error = %e, "the request body could not be read");
                return Err(ApiError::bad_request("The request body could not be read."));
            }
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        let received = first.as_ref().map_or(0, Bytes::len)
            + joined.as_ref().map_or(0, BytesMut::len)
            + data.len();
        if received > limit {
            return Err(too_large());
        }
        match (&mut first, &mut joined) {
            (_, Some(buffer)) => buffer.extend_from_slice(&data),
            (None, None) => first = Some(data),
            (Some(head), None) => {
                let mut buffer = BytesMut::with_capacity(received);
                buffer.extend_from_slice(head);
                buffer.extend_from_slice(&data);
                first = None;
                joined = Some(buffer);
            }
        }
    }
    Ok(match (first, joined) {
        (_, Some(buffer)) => buffer.freeze(),
        (Some(data), None) => data,
        (None, None) => Bytes::new(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use hyper::body::Frame;
    use std::collections::VecDeque;
    use std::task::{Context, Poll};

    /// A body that yields its frames, then stalls for ever if `stalls`, or ends.
    struct Frames {
        frames: VecDeque<&'static str>,
        stalls: bool,
    }

    impl HttpBody for Frames {
        type Data = Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
            match self.frames.pop_front() {
                Some(f) => Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(f.as_bytes()))))),
                None if self.stalls => Poll::Pending,
                None => Poll::Ready(None),
            }
        }
    }

    fn body(frames: &[&'static str], stalls: bool) -> Body {
        Body::new(Frames {
            frames: frames.iter().copied().collect(),
            stalls,
        })
    }

    const SECOND: Duration = Duration::from_secs(1);

    #[tokio::test]
    async fn frames_are_joined_up_to_the_limit() {
        let joined = read_body(body(&["ab", "cd", "e"], false), 5, SECOND).await;
        assert_eq!(&joined.unwrap()[..], b"abcde");
        let err = read_body(body(&["ab", "cd", "ef"], false), 5, SECOND)
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::RequestEntityTooLarge);
    }

    #[tokio::test]
    async fn a_declared_length_over_the_limit_is_refused_unread() {
        let err = read_body(Body::from("abcdef"), 5, SECOND)
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::RequestEntityTooLarge);
        let empty = read_body(Body::empty(), 5, SECOND).await.unwrap();
        assert!(empty.is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_stops_arriving_times_out() {
        let err = read_body(body(&["ab"], true), 5, SECOND).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::RequestTimeout);
        assert_eq!(err.kind.status().as_u16(), 408);
    }
}
