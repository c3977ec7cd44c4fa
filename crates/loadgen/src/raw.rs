//! HTTP/1.1 as bytes: a signed request written out once, and just enough parsing of an
//! answer (status line, `content-length` or chunked body, `connection: close`) to know
//! where it ends, so that the replay loop does no per-request work beyond a write and a
//! scan of what it read.

/// A head longer than this is taken for a broken answer rather than waited for.
const MAX_HEAD: usize = 64 * 1024;

/// A complete answer at the start of a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    /// Its status code.
    pub status: u16,
    /// Its length in bytes, head and body: what to drop from the buffer.
    pub len: usize,
    /// The server closes the connection after it.
    pub close: bool,
}

/// The request line, the headers, a `content-length` when the request has none, and the
/// body, as the bytes sent on the wire.
pub fn encode(request: &http::Request<Vec<u8>>) -> Vec<u8> {
    let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let body = request.body();
    let mut out = Vec::with_capacity(512 + body.len());
    out.extend_from_slice(request.method().as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(target.as_bytes());
    out.extend_from_slice(b" HTTP/1.1\r\n");
    for (name, value) in request.headers() {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if !request.headers().contains_key(http::header::CONTENT_LENGTH) {
        out.extend_from_slice(format!("content-length: {}\r\n", body.len()).as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// Headers an answer may carry; an answer with more is taken for a broken one.
const MAX_HEADERS: usize = 64;

/// The answer at the start of `buf`: `Ok(None)` while it is incomplete; an error when it is
/// not HTTP/1.x or its end cannot be known without the connection closing.
pub fn parse_response(buf: &[u8]) -> Result<Option<Answer>, String> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let body_start = match response.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
            return Err(format!("no end of the answer's head in {MAX_HEAD} bytes"));
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => {
            let shown = &buf[..buf.len().min(80)];
            return Err(format!(
                "not an HTTP/1.x answer ({e}): {:?}",
                String::from_utf8_lossy(shown)
            ));
        }
    };
    let status = response.code.unwrap_or_default();
    let mut length: Option<usize> = None;
    let mut chunked = false;
    let mut close = response.version == Some(0);
    for header in response.headers.iter() {
        let value = std::str::from_utf8(header.value)
            .map_err(|_| format!("header {} is not UTF-8", header.name))?
            .trim();
        if header.name.eq_ignore_ascii_case("content-length") {
            length = Some(
                value
                    .parse()
                    .map_err(|_| format!("content-length {value:?} is not a number"))?,
            );
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value
                .split(',')
                .any(|t| t.trim().eq_ignore_ascii_case("chunked"));
        } else if header.name.eq_ignore_ascii_case("connection") {
            for token in value.split(',').map(str::trim) {
                if token.eq_ignore_ascii_case("close") {
                    close = true;
                } else if token.eq_ignore_ascii_case("keep-alive") {
                    close = false;
                }
            }
        }
    }
    let end = if (100..200).contains(&status) || status == 204 || status == 304 {
        Some(body_start)
    } else if chunked {
        chunked_end(&buf[body_start..])?.map(|n| body_start + n)
    } else if let Some(n) = length {
        (buf.len() >= body_start + n).then_some(body_start + n)
    } else {
        return Err(format!(
            "answer {status} has neither content-length nor a chunked body"
        ));
    };
    Ok(end.map(|len| Answer { status, len, close }))
}

/// Where a chunked body (starting at `body[0]`) ends, trailers included.
fn chunked_end(body: &[u8]) -> Result<Option<usize>, String> {
    let mut at = 0;
    loop {
        let Some(line_end) = find(&body[at..], b"\r\n") else {
            return Ok(None);
        };
        let line = std::str::from_utf8(&body[at..at + line_end])
            .map_err(|_| "a chunk size line is not UTF-8".to_owned())?;
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("chunk size {size_text:?} is not hexadecimal"))?;
        at += line_end + 2;
        if size == 0 {
            // Trailer lines, up to an empty one.
            loop {
                let Some(e) = find(&body[at..], b"\r\n") else {
                    return Ok(None);
                };
                at += e + 2;
                if e == 0 {
                    return Ok(Some(at));
                }
            }
        }
        if body.len() < at + size + 2 {
            return Ok(None);
        }
        if &body[at + size..at + size + 2] != b"\r\n" {
            return Err("a chunk does not end with CRLF".to_owned());
        }
        at += size + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &[u8] =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"a\":\"bc\"}\n";

    #[test]
    fn content_length_answers_end_after_their_body() {
        let answer = parse_response(OK).map_err(|e| e.to_string());
        assert_eq!(
            answer,
            Ok(Some(Answer {
                status: 200,
                len: OK.len(),
                close: false
            }))
        );
    }

    #[test]
    fn split_reads_wait_for_the_rest() {
        for cut in 0..OK.len() {
            assert_eq!(parse_response(&OK[..cut]), Ok(None), "cut at {cut}");
        }
    }

    #[test]
    fn keep_alive_leaves_the_next_answer_in_the_buffer() {
        let second =
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}";
        let mut buf = OK.to_vec();
        buf.extend_from_slice(second);
        let first = parse_response(&buf).ok().flatten();
        assert_eq!(first.map(|a| (a.status, a.len)), Some((200, OK.len())));
        let rest = &buf[OK.len()..];
        assert_eq!(
            parse_response(rest),
            Ok(Some(Answer {
                status: 404,
                len: second.len(),
                close: false
            }))
        );
    }

    #[test]
    fn connection_close_and_http_1_0_are_seen() {
        let closing = b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(
            parse_response(closing).map(|a| a.map(|a| a.close)),
            Ok(Some(true))
        );
        let old = b"HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(
            parse_response(old).map(|a| a.map(|a| a.close)),
            Ok(Some(true))
        );
    }

    #[test]
    fn chunked_answers_end_after_the_last_chunk_and_trailers() {
        let chunked: &[u8] = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\nx-trailer: 1\r\n\r\n";
        assert_eq!(
            parse_response(chunked).map(|a| a.map(|a| a.len)),
            Ok(Some(chunked.len()))
        );
        for cut in 0..chunked.len() {
            assert_eq!(parse_response(&chunked[..cut]), Ok(None), "cut at {cut}");
        }
        let mut two = chunked.to_vec();
        two.extend_from_slice(OK);
        assert_eq!(
            parse_response(&two).map(|a| a.map(|a| a.len)),
            Ok(Some(chunked.len()))
        );
    }

    #[test]
    fn broken_answers_are_errors() {
        assert!(parse_response(b"SSH-2.0-x\r\n\r\n").is_err());
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n\r\n").is_err());
        assert!(parse_response(b"HTTP/1.1 200 OK\r\ncontent-length: x\r\n\r\n").is_err());
        assert!(
            parse_response(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n").is_err()
        );
        assert!(parse_response(&vec![b'a'; MAX_HEAD + 1]).is_err());
    }

    #[test]
    fn encoded_requests_carry_their_length_and_body() {
        let request = http::Request::builder()
            .method("POST")
            .uri("http://127.0.0.1:1/backend/a/details?x=1")
            .header("host", "127.0.0.1:1")
            .body(b"{}".to_vec());
        let bytes = request.map(|r| encode(&r)).map_err(|e| e.to_string());
        assert_eq!(
            bytes,
            Ok(b"POST /backend/a/details?x=1 HTTP/1.1\r\nhost: 127.0.0.1:1\r\ncontent-length: 2\r\n\r\n{}".to_vec())
        );
    }
}
